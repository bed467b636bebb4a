"""How long the question analysis's regular expressions take on long, hostile messages.

A chat message reaches the analysis with up to 2,000 characters (``Settings.max_question_chars``; the
core cuts longer ones at the last space before it), whitespace and all: every module-level regex in
knowledge/answer.py, retrieval.py, text.py and several.py may run on it. One that backtracks badly
(a lazy ``.+?`` before ``\\s+``, a ``[\\s,]*`` before ``$`` tried from every start) turns one message
into seconds of CPU for the whole bot.

    python -m bench.regex_backtracking              # every regex, inputs of 2,000 and 4,000 characters
    python -m bench.regex_backtracking --answers    # and KnowledgeBase.answer() on 2,000-character messages
    python -m bench.regex_backtracking --only _VERSUS,_WHAT_IS

Inputs are runs of one unit (spaces, dashes, commas, "a ", "or ", "what ", "?", words joined by "-", ...)
and of the literal phrases each regex itself names, plain, in capitals and in mixed case, with a tail
that makes the match fail at the very end and behind a question's opening. For each regex: search,
match, sub and findall are timed once on every input; anything over 2 ms is timed again (best of 3).
A regex runs in a child process that is stopped after ``--budget`` seconds (a hang is reported as
at least that long). Prints JSON: per regex the worst time and its input, the regexes over the
``target_ms`` limit, and with --answers the slowest answers.
"""

from __future__ import annotations

import argparse
import importlib
import json
import multiprocessing as mp
import re
import re._parser as sre_parse  # the project needs Python 3.11+, where the parser lives here
import sys
import time
from re._constants import (
    ANY,
    BRANCH,
    CATEGORY,
    CATEGORY_DIGIT,
    CATEGORY_SPACE,
    CATEGORY_WORD,
    IN,
    LITERAL,
    MAX_REPEAT,
    MIN_REPEAT,
    NOT_LITERAL,
    SUBPATTERN,
)

MODULES = ("knowledge.answer", "knowledge.retrieval", "knowledge.text", "knowledge.several")
LENGTHS = (2000, 4000)
TARGET_MS = 20.0
MESSAGE_CHARS = 2000  # bot.config.Settings.max_question_chars

GENERIC_UNITS = (" ", "-", ",", ", ", "a ", "or ", "what ", "?", "? ", "word-", "a-b ", "what is ", "and ", ". ",
                 "!", "x", "ab", "\n", " -", "is it ", "vs ", "like ", "so ", "the ", "'", "(", "a, ", "1 ", "a.",
                 "what is a ", "or is it ", "how does ", "thanks ", "in one line ", "\t", "_", ": ", "... ",
                 " \n", "\n ", "a\n", "a vs ", "? a")


# Inputs --------------------------------------------------------------------------------------------

def _representative(op, av) -> str | None:
    """One character a single-character item matches (a space for \\s, "a" for \\w), or None."""
    if op is LITERAL:
        return chr(av)
    if op is ANY:
        return "a"
    if op is IN:
        for iop, iav in av:
            if iop is LITERAL:
                return chr(iav)
            if iop is CATEGORY:
                return {CATEGORY_SPACE: " ", CATEGORY_WORD: "a", CATEGORY_DIGIT: "1"}.get(iav)
    return None


def _phrases(seq, out: list[str]) -> None:
    """The literal runs a parsed pattern names ("thank you", "what is"), \\s+ read as one space."""
    run: list[str] = []

    def flush():
        text = "".join(run).strip()
        if len(text) >= 2:
            out.append(text)
        run.clear()

    for op, av in seq:
        ch = _representative(op, av) if op in (LITERAL, IN) else None
        if ch is not None:
            run.append(ch)
        elif op in (MAX_REPEAT, MIN_REPEAT):
            lo, hi, item = av
            item = list(item)
            if len(item) == 1 and (c := _representative(*item[0])) is not None and lo >= 1:
                run.append(c)
            else:
                flush()
                _phrases(item, out)
        elif op is SUBPATTERN:
            flush()
            _phrases(av[-1], out)
        elif op is BRANCH:
            flush()
            for alt in av[1]:
                _phrases(alt, out)
        elif op is NOT_LITERAL:
            run.append("a")
        else:
            flush()
    flush()


def own_units(pattern: re.Pattern, limit: int = 40) -> list[str]:
    out: list[str] = []
    try:
        _phrases(sre_parse.parse(pattern.pattern, pattern.flags), out)
    except Exception:  # noqa: BLE001 - an unparseable pattern just gets the generic inputs
        return []
    units = list(dict.fromkeys(out))[:limit]
    words = [u for u in units if re.fullmatch(r"[\w' ]+", u)]
    pairs = [f"{a} {b} " for a, b in zip(words, words[1:], strict=False)][:limit // 2]
    return list(dict.fromkeys([*(u + " " for u in units), *pairs, *(u + "-" for u in words[:10]),
                               *(u + ", " for u in words[:10]), " ".join(words[:12]) + " "]))


def _mixed(unit: str, n: int) -> str:
    forms = (unit, unit.upper(), unit.title(), unit.swapcase())
    return "".join(forms[i % 4] for i in range(n))


def inputs(units, lengths=LENGTHS):
    """(label, text) pairs: each unit repeated to the length, in several forms."""
    for unit in units:
        for n in lengths:
            reps = n // len(unit) + 1
            run = (unit * reps)[:n]
            yield f"{unit!r}*{n}", run
            yield f"{unit!r}*{n} upper", run.upper()
            yield f"{unit!r}*{n} mixed", _mixed(unit, reps)[:n]
            yield f"{unit!r}*{n} +x!", run[: n - 2] + "x!"
            yield f"what is {unit!r}*{n}?", ("what is " + run)[: n - 1] + "?"
            yield f"x {unit!r}*{n} z", ("x " + run)[: n - 2] + " z"


# Timing one regex ------------------------------------------------------------------------------

def _ops(pattern: re.Pattern):
    return (("search", pattern.search), ("match", pattern.match),
            ("sub", lambda s: pattern.sub(" ", s)), ("findall", pattern.findall))


def _time(fn, text: str) -> float:
    t = time.perf_counter()
    fn(text)
    return (time.perf_counter() - t) * 1000


def cases_for(pattern: re.Pattern) -> list[tuple[str, str]]:
    return list(inputs(GENERIC_UNITS)) + list(inputs(own_units(pattern)))


def time_pattern(pattern: re.Pattern, report, progress=None) -> None:
    """Times every op on every input; ``report(ms, op, label, length)`` for each."""
    for i, (label, text) in enumerate(cases_for(pattern)):
        for j, (name, fn) in enumerate(_ops(pattern)):
            if progress is not None:
                progress.value = i * 4 + j
            ms = _time(fn, text)
            if ms > 2:
                ms = min(ms, *(_time(fn, text) for _ in range(2)))
            report(ms, name, label, len(text))


def patterns(only: set[str] | None = None) -> dict[str, re.Pattern]:
    found: dict[str, re.Pattern] = {}
    for mod in MODULES:
        for name, value in vars(importlib.import_module(mod)).items():
            if isinstance(value, re.Pattern):
                items = [(name, value)]
            elif isinstance(value, (list, tuple, dict)):
                vals = value.items() if isinstance(value, dict) else enumerate(value)
                items = [(f"{name}[{k!r}]", v) for k, v in vals if isinstance(v, re.Pattern)]
            else:
                continue
            for key, pat in items:
                if only is None or key.split("[")[0] in only:
                    found[f"{mod.rsplit('.', 1)[1]}.{key}"] = pat
    return found


def _child(key: str, progress, out) -> None:
    worst: dict[int, tuple[float, str]] = {}

    def report(ms, op, label, n):
        if ms > worst.get(n, (-1.0, ""))[0]:
            worst[n] = (ms, f"{op} on {label}")
            out.put((n, ms, worst[n][1]))

    time_pattern(patterns()[key], report, progress)
    out.put(None)


def run_patterns(only: set[str] | None, budget: float, cap: float) -> dict[str, dict]:
    """Each regex in a child process: one op running over ``budget`` seconds counts as hung (and stops
    the regex's run), and a regex is stopped after ``cap`` seconds in all (its worst so far is kept)."""
    ctx = mp.get_context("fork")
    results = {}
    for key, pattern in patterns(only).items():
        progress, out = ctx.Value("i", -1), ctx.Queue()
        proc = ctx.Process(target=_child, args=(key, progress, out))
        proc.start()
        worst: dict[int, tuple[float, str]] = {}
        began = last_change = time.monotonic()
        seen, note = -1, None
        while True:
            try:
                item = out.get(timeout=0.1)
            except Exception:  # noqa: BLE001 - queue.Empty
                item = ()
            if item is None:
                break
            if item:
                n, ms, at = item
                worst[n] = (ms, at)
                continue
            now = time.monotonic()
            if progress.value != seen:
                seen, last_change = progress.value, now
            elif now - last_change > budget:
                label, text = cases_for(pattern)[seen // 4]
                op = _ops(pattern)[seen % 4][0]
                worst[len(text)] = (budget * 1000, f"{op} on {label}: over {budget:.0f} s, stopped")
                note = "hung"
            if now - began > cap and note is None:
                note = f"stopped after {cap:.0f} s"
            if note:
                proc.kill()
                break
        proc.join()
        results[key] = {**({"note": note} if note else {}),
                        **{f"worst_ms_{n}": round(w[0], 3) for n, w in sorted(worst.items())},
                        **{f"worst_at_{n}": w[1] for n, w in sorted(worst.items())}}
    return results


# The whole answer --------------------------------------------------------------------------------

def messages(n: int = MESSAGE_CHARS, own: bool = True) -> list[tuple[str, str]]:
    """2,000-character messages, stripped as the core strips one; with ``own`` also runs of a phrase of each regex."""
    units = list(GENERIC_UNITS)
    for pattern in patterns().values() if own else ():
        units += own_units(pattern, limit=2)[:1]
    units = list(dict.fromkeys(units))
    out = []
    for unit in units:
        run = (unit * (n // len(unit) + 1))[:n]
        for label, text in ((f"{unit!r}*{n}", run), (f"what is rag {unit!r}*{n}", ("what is rag " + run)[:n]),
                            (f"what is rag {unit!r}*{n} vs llava?", ("what is rag " + run)[: n - 10] + " vs llava?"),
                            (f"{unit!r}*{n} mixed", _mixed(unit, n)[:n])):
            text = text.strip()
            if text:
                out.append((label, text))
    return out


def _answer_worker(inbox, outbox) -> None:
    import asyncio

    from adapters.console.cli import READ_ONLY
    from bot.app import build_app
    from bot.config import Settings

    async def go():
        async with build_app(Settings(), parts=READ_ONLY) as app:
            kb = app.knowledge
            kb.answer("what is rag?")
            outbox.put("ready")
            while (text := inbox.get()) is not None:
                t = time.perf_counter()
                answer = kb.answer(text)
                outbox.put(((time.perf_counter() - t) * 1000, answer.grounded))

    asyncio.run(go())


def run_answers(budget: float, own: bool = True) -> dict:
    ctx = mp.get_context("spawn")
    todo = messages(own=own)
    times: list[tuple[float, str, object]] = []
    worker = None
    for label, text in todo:
        if worker is None:
            inbox, outbox = ctx.Queue(), ctx.Queue()
            worker = ctx.Process(target=_answer_worker, args=(inbox, outbox))
            worker.start()
            outbox.get(timeout=300)
        inbox.put(text)
        try:
            ms, grounded = outbox.get(timeout=budget)
            times.append((ms, label, grounded))
        except Exception:  # noqa: BLE001 - still answering after the budget
            times.append((budget * 1000, f"over {budget:.0f} s on {label}", None))
            worker.kill()
            worker.join()
            worker = None
    if worker is not None:
        inbox.put(None)
        worker.join()
    times.sort(key=lambda t: -t[0])
    return {"messages": len(todo), "median_ms": round(sorted(t[0] for t in times)[len(times) // 2], 1),
            "slowest": [{"ms": round(ms, 1), "input": label, "grounded": g} for ms, label, g in times[:10]]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", help="comma-separated regex names (_VERSUS,_WHAT_IS)")
    ap.add_argument("--budget", type=float, default=20.0, help="seconds before a regex or an answer counts as hung")
    ap.add_argument("--cap", type=float, default=120.0, help="seconds before a regex's run is stopped")
    ap.add_argument("--answers", action="store_true", help="also time KnowledgeBase.answer() on long messages")
    ap.add_argument("--no-regexes", action="store_true")
    ap.add_argument("--generic-messages", action="store_true", help="answers: only the generic runs, not each regex's phrases")
    args = ap.parse_args()
    only = set(args.only.split(",")) if args.only else None
    out: dict = {"target_ms": TARGET_MS}
    if not args.no_regexes:
        res = run_patterns(only, args.budget, args.cap)
        worst = max(LENGTHS)
        slow = {k: v for k, v in res.items() if max(v.get(f"worst_ms_{n}", 0) for n in LENGTHS) > TARGET_MS}
        out["regexes"] = len(res)
        out["over_target"] = dict(sorted(slow.items(), key=lambda kv: -kv[1].get(f"worst_ms_{worst}", 0)))
        out["slowest_ten"] = {k: {"worst_ms_2000": v.get("worst_ms_2000"), "worst_ms_4000": v.get("worst_ms_4000"),
                                  "at": v.get("worst_at_4000")}
                              for k, v in sorted(res.items(), key=lambda kv: -kv[1].get(f"worst_ms_{worst}", 0))[:10]}
        out["target_met"] = not slow
    if args.answers:
        out["answers"] = run_answers(args.budget, own=not args.generic_messages)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    sys.exit(main())
