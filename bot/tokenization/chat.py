"""The report as one message in the reply's markdown subset: whole in a terminal, trimmed in a chat.

Token boundaries. The token view is a fenced code block in which every token
is closed by ``│`` (U+2502, box drawing), e.g. ``│Token│ization│·splits│``:

- inside a code block neither Discord markdown, Slack mrkdwn nor Rich's
  Markdown interprets ``*``, ``_``, ``~``, ``|``, ``>`` or ``#``, so the
  student's text is shown as typed; outside one, ``**`` in a pasted text would
  turn into bold and the boundaries would be lost;
- ``│`` is not an ASCII pipe: text full of ``|`` (``<|endoftext|>``, shell
  pipes, markdown tables) stays unambiguous, and Discord's ``||spoiler||``
  syntax cannot form;
- a backtick in the text is shown as ``ˋ`` (see ``knowledge.tokenization.visible``)
  so it can never close the fence; a ``│`` typed in the text is shown as ``¦``;
- whitespace is visible (``·`` ``↵`` ``→``) because every client trims or
  collapses it, and a token ending in a newline also ends the line, so code
  keeps its shape.

With ids, each row of tokens is followed by a row of ids, each id under its
token (cells padded to the wider of the two, by terminal display width), rows
wrapped at ``columns``.

Size. ``max_chars=None`` (a terminal) shows every token, every split word and
every finding. A chat surface passes its limit (Discord 2,000 characters, a
Slack section 3,000): counts and costs always cover the whole text, the token
views and findings share what is left, and a closing line says what was left
out and how to get it (``--image`` draws every token).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from wcwidth import wcswidth

from bot.replies import Source
from knowledge.tokenization.explain import code, per_tokenizer
from knowledge.tokenization.model import TokenizationReport, TokenizerResult
from knowledge.tokenization.visible import SEPARATOR, display

DEFAULT_MAX_CHARS = 1900  # under Discord's 2,000, with room for an adapter's escaping
CHAT_COLUMNS = 60  # id rows wrap here in chat: a phone shows about this much of a code block
TERMINAL_COLUMNS = 100
MIN_VIEW_CHARS = 120
VIEW_SHARE = 0.45
WHOLE_VIEWS_SHARE = 0.6
_MORE_LINE = 30
CHAT_SPLIT_WORDS = 3
TERMINAL_SPLIT_WORDS = 50
QUOTE_CHARS = 200
SPECIAL_FLAG = "--special"


def chat_length(text: str) -> int:
    """Length as Discord counts it (UTF-16 code units; an emoji counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def width(text: str) -> int:
    """Columns ``text`` takes in a monospace font (CJK and emoji 2, combining marks 0)."""
    w = wcswidth(text)
    return w if w >= 0 else len(text)


class _Cells:
    """The rendered cells of one result (``tok│`` with its cost), computed once, as far as needed.

    A token's cell depends only on its id and the text it covers, and a long
    text repeats the same tokens, so cells are cached by (id, length): a
    100,000-character view costs dictionary look-ups, not 25,000 renderings.
    """

    def __init__(self, result: TokenizerResult) -> None:
        self.result = result
        self.cells: list[tuple[str, int]] = []
        self.newlines = result.info.family != "WordPiece"
        self._by_token: dict[tuple[int, int, bool], tuple[str, int]] = {}

    def get(self, i: int) -> tuple[str, int]:
        cells = self.cells
        if i < len(cells):
            return cells[i]
        r = self.result
        ids, starts, ends, text = r.ids, r.starts, r.ends, r.text
        last = r.count - 1
        cache = self._by_token
        newlines = self.newlines
        while len(cells) <= i:
            j = len(cells)
            s, e = starts[j], ends[j]
            breaks = newlines and j < last and text.endswith("\n", s, e)
            key = (ids[j], e - s, breaks)
            cell = cache.get(key) if j not in r.partial and j not in r.special else None
            if cell is None:
                piece = display(r, j) + SEPARATOR
                if breaks:
                    piece += "\n" + SEPARATOR  # keep the text's lines
                cell = (piece, len(piece) if piece.isascii() else chat_length(piece))
                cache[key] = cell
            cells.append(cell)
        return cells[i]

    def ends_line(self, i: int) -> bool:
        r = self.result
        return self.newlines and i < r.count - 1 and r.text.endswith("\n", r.starts[i], r.ends[i])

def token_view(result: TokenizerResult, budget: int | None = None, *, show_ids: bool = False,
               columns: int = TERMINAL_COLUMNS) -> str:
    """``name`` line, then ``│tok│tok│…`` (within ``budget`` characters when given), ids under tokens if asked."""
    return _token_view(result, budget, show_ids, _Cells(result), columns)[0]


def _token_view(result: TokenizerResult, budget: int | None, show_ids: bool, cells: _Cells,
                columns: int) -> tuple[str, bool]:
    if show_ids:
        return _aligned_view(result, budget, cells, columns)
    head = f"{result.info.name}\n"
    n = result.count
    if budget is None:  # a terminal: every token
        if n:
            cells.get(n - 1)
        return head + SEPARATOR + "".join(piece for piece, _ in cells.cells), True
    parts = [SEPARATOR]
    used = chat_length(head) + 1
    shown = 0
    for i in range(n):
        piece, cost = cells.get(i)
        if budget is not None:
            reserve = _MORE_LINE if i < n - 1 else 0  # room for the "… N more tokens" line
            if used + cost + reserve > budget and shown:
                break
        parts.append(piece)
        used += cost
        shown += 1
    if shown < n and parts[-1].endswith("\n" + SEPARATOR):
        parts[-1] = parts[-1][:-2]
    view = head + "".join(parts)
    if shown < n:
        view += f"\n… {n - shown:,} more tokens"
    return view, shown == n


def _aligned_view(result: TokenizerResult, budget: int | None, cells: _Cells, columns: int) -> tuple[str, bool]:
    """Rows of tokens, each followed by the row of their ids, every id under its token."""
    head = f"{result.info.name}\n"
    lines: list[str] = []
    used = chat_length(head)
    n = result.count
    shown = 0
    row_t, row_i, row_w = [SEPARATOR], [SEPARATOR], 1

    def flush() -> int:
        nonlocal row_t, row_i, row_w
        if len(row_t) == 1:
            return 0
        pair = "".join(row_t) + "\n" + "".join(row_i)
        lines.append(pair)
        row_t, row_i, row_w = [SEPARATOR], [SEPARATOR], 1
        return chat_length(pair) + 1

    pending = 0
    for i in range(n):
        tok = cells.get(i)[0].split("\n", 1)[0][:-1]  # the token without its separator and line break
        tid = str(result.ids[i])
        w = max(width(tok), len(tid))
        cell_t = tok + " " * (w - width(tok)) + SEPARATOR
        cell_i = tid + " " * (w - len(tid)) + SEPARATOR
        if row_w + w + 1 > columns and len(row_t) > 1:
            pending = flush()
            used += pending
        cost = 2 * (w + 1)
        if budget is not None:
            reserve = _MORE_LINE if i < n - 1 else 0
            if used + cost + 2 + reserve > budget and shown:
                break
        row_t.append(cell_t)
        row_i.append(cell_i)
        row_w += w + 1
        used += cost
        shown += 1
        if cells.ends_line(i):
            used += flush()
    flush()
    view = head + "\n".join(lines)
    if shown < n:
        view += f"\n… {n - shown:,} more tokens"
    return view, shown == n


def length(report: TokenizationReport) -> str:
    """``42 characters``, or ``60 code points (53 characters on screen)`` when they differ."""
    if report.on_screen == report.chars:
        return f"{report.chars:,} characters"
    return f"{report.chars:,} code points ({report.on_screen:,} characters on screen)"


def summary_lines(report: TokenizationReport) -> list[str]:
    lines = [f"**{length(report)}**, {len(report.text.encode('utf-8')):,} bytes in UTF-8"]
    for r in report.results:
        lines.append(
            f"- **{r.info.name}** ({r.info.label}): **{r.count:,}** tokens, {r.chars_per_token:.1f} chars/token"
        )
    if report.special_tokens:
        lines.append("*Special tokens on: special-token strings are encoded as the control tokens each library "
                     "makes of them when allowed.*")
    return lines


def split_lines(report: TokenizationReport, limit: int | None) -> list[str]:
    if not report.split_words:
        return []
    words = report.split_words if limit is None else report.split_words[:limit]
    lines = ["**Words cut into pieces**"]
    for w in words:
        lines.append(f"- {code(w.word)} → {per_tokenizer(w.pieces)}")
    rest = report.split_words_total - len(words)
    if rest > 0 and limit is None:
        lines.append(f"- … and {rest:,} more")
    return lines


def cost_lines(report: TokenizationReport) -> list[str]:
    """Every priced model, with its own tokenizer's count, its price and its share of its context window."""
    lines: list[str] = []
    for c in report.costs:
        approx = "≈" if c.estimate else ""
        counted = f"{approx}{_tokens(c.tokens)} ({_short(report, c.tokenizer)}"
        counted += ", an estimate: its own tokenizer is not available here)" if c.estimate else ")"
        parts = [f"{approx}{_usd(c.usd)} input"]
        if c.share is not None:
            parts.append(approx + _share(c.share, c.context_window))
        lines.append(f"- {c.model}: {counted}, {', '.join(parts)}")
    lines += [f"- {f.text}" for f in report.limits]
    if not lines:
        return []
    p = report.pricing
    head = "**Cost and context**"
    if p is not None:
        head += f" (prices as of {p.as_of})"
    lines.insert(0, head)
    if p is not None and p.stale:
        lines.insert(1, f"⚠ These prices are {_age(p.age_days)} old and list prices change: check them before "
                        "relying on them (the operator can update the price table).")
    return lines


def compact_cost_lines(report: TokenizationReport) -> list[str]:
    """The same facts in fewer characters, for a chat message: prices grouped by tokenizer, one context line."""
    if not report.costs:
        return []
    groups: dict[str, list] = {}
    for c in report.costs:
        groups.setdefault(c.tokenizer, []).append(c)
    lines = []
    for name, costs in groups.items():
        exact = [c for c in costs if not c.estimate]
        approx = [c for c in costs if c.estimate]
        parts = [f"{c.model} {_usd(c.usd)}" for c in exact] + [f"{c.model} ≈{_usd(c.usd)} (estimate)" for c in approx]
        lines.append(f"- {_short(report, name)}, {_tokens(costs[0].tokens)}: {', '.join(parts)}")
    shares = [c for c in report.costs if c.share is not None]
    if shares:
        big = [c for c in shares if c.share >= 0.01]
        if not big:
            lines.append("- Context: under 1% of every model's window")
        else:
            lines.append("- Context: " + ", ".join(f"{'≈' if c.estimate else ''}{_share(c.share, c.context_window)} "
                                                   f"({c.model})" for c in big)
                         + ("; under 1% for the others" if len(big) < len(shares) else ""))
    lines += [f"- {f.text}" for f in report.limits]
    p = report.pricing
    head = "**Cost and context**"
    if p is not None:
        head += f" (input prices as of {p.as_of}" + (f"; ⚠ {_age(p.age_days)} old, check them)" if p.stale else ")")
    return [head, *lines]


def notes_lines(passage: Source | None) -> list[str]:
    if passage is None:
        return []
    return [f"**From your notes** [1]: “{quote(passage.text)}”"]


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """The passage's first sentences, as plain text that cannot break the reply's markdown."""
    clean = re.sub(r"[*_`>#|~]+", "", text)
    clean = re.sub(r"\s+", " ", clean).strip(" -")
    sentences = re.split(r"(?<=[.!?])\s+", clean)
    out = ""
    for s in sentences:
        if out and len(out) + len(s) + 1 > limit:
            break
        out = f"{out} {s}".strip()
    if len(out) > limit:
        out = out[: limit - 1].rstrip() + "…"
    return out


def _special_hint(report: TokenizationReport) -> list[str]:
    if report.special_tokens or not any(f.kind == "special_text" for f in report.findings):
        return []
    return [f"*Add `{SPECIAL_FLAG}` to see special-token strings as the control tokens the libraries would make.*"]


def render_chat(
    report: TokenizationReport,
    *,
    show_ids: bool = False,
    passage: Source | None = None,
    max_chars: int | None = DEFAULT_MAX_CHARS,
    columns: int | None = None,
) -> str:
    """The message text: everything when ``max_chars`` is None, else never longer than it (as Discord counts).

    Trimmed: summary, costs and the notes' quote always appear; then the token
    views get a minimum each; then split words and findings are added in order
    of importance while they fit; the token views take whatever is left; a
    closing line says what was left out.
    """
    head = "\n".join(summary_lines(report) + [f"*{n}*" for n in report.notes])
    costs = cost_lines(report) if max_chars is None else compact_cost_lines(report)
    tail = [part for part in ("\n".join(costs), "\n".join(notes_lines(passage))) if part]
    why_head = "**Why it split this way**"
    why = [f"- {f.text}" for f in report.findings] + _special_hint(report)
    if max_chars is None:
        cols = columns or TERMINAL_COLUMNS
        views = [_token_view(r, None, show_ids, _Cells(r), cols)[0] for r in report.results]
        split = split_lines(report, None)
        sections = [head, _fence(views), "\n".join(split), "\n".join([why_head, *why]) if why else "", *tail]
        return "\n\n".join(s for s in sections if s)
    return _render_trimmed(report, show_ids, max_chars, columns or CHAT_COLUMNS, head, tail, why_head, why)


def _fence(views: Sequence[str]) -> str:
    return "```\n" + "\n\n".join(views) + "\n```" if views else ""


def _render_trimmed(report: TokenizationReport, show_ids: bool, max_chars: int, columns: int, head: str,
                    tail: list[str], why_head: str, why: list[str]) -> str:
    notice_room = 170
    n_views = len(report.results)
    fences = 8 + 2 * n_views
    room = max_chars - chat_length(head) - sum(chat_length(t) + 2 for t in tail) - fences - notice_room
    # The views are promised what they need, up to VIEW_SHARE of the room (never less than
    # MIN_VIEW_CHARS each); the explanation comes next, and the views get whatever it leaves.
    cells = [_Cells(r) for r in report.results]
    cap = max(int(WHOLE_VIEWS_SHARE * room), 0)
    need = [chat_length(_token_view(r, cap, show_ids, c, columns)[0]) + 2 + _MORE_LINE
            for r, c in zip(report.results, cells, strict=True)]
    floor = sum(min(MIN_VIEW_CHARS, n) for n in need)
    reserved = sum(need) if sum(need) <= cap else max(floor, int(VIEW_SHARE * room))
    room -= reserved

    # the split-words finding already shows a cut word: the list only adds more when there is room for it
    split = split_lines(report, CHAT_SPLIT_WORDS)
    words = split[1:]
    if any(f.kind == "split_words" for f in report.findings):
        words = []
    # Interleaved by importance: a split word, three reasons, another word, two more, ...
    order: list[tuple[str, str]] = []
    w = r = 0
    for kind, take in (("split", 1), ("why", 3), ("split", 1), ("why", 2), ("split", 1)):
        if kind == "split":
            order += [(kind, line) for line in words[w : w + take]]
            w += take
        else:
            order += [(kind, line) for line in why[r : r + take]]
            r += take
    order += [("why", line) for line in why[r:]] + [("split", line) for line in words[w:]]
    heads = {"split": (split[0] if split else ""), "why": why_head}
    kept: dict[str, list[str]] = {"split": [], "why": []}
    for kind, line in order:
        cost = chat_length(line) + 1 + (0 if kept[kind] else chat_length(heads[kind]) + 2)
        if cost <= room:
            kept[kind].append(line)
            room -= cost

    views, complete = _fit_views(report.results, room + reserved, show_ids, cells, columns)
    sections = [head]
    if views:
        sections.append(_fence(views))
    if kept["split"]:
        sections.append("\n".join([split[0], *kept["split"]]))
    if kept["why"]:
        sections.append("\n".join([why_head, *kept["why"]]))
    sections.extend(tail)
    left_out_findings = len(why) - len(kept["why"])
    notice = _notice(report, complete, left_out_findings)
    if notice:
        sections.append(notice)
    text = "\n\n".join(sections)
    if chat_length(text) > max_chars:  # only when even the fixed lines overflow a tiny max_chars
        text = _cut(text, max_chars)
    return text


def _notice(report: TokenizationReport, complete: list[bool], left_out_findings: int) -> str:
    cut = [r for r, done in zip(report.results, complete, strict=True) if not done]
    bits = []
    if cut:
        bits.append(f"the token view{'s' if len(cut) > 1 else ''} of {', '.join(r.info.short for r in cut)}")
    if left_out_findings > 0:
        bits.append(f"{left_out_findings} of the reasons")
    if not bits:
        return ""
    how = "add `--image` for a picture of every token; " if cut else ""
    return (f"*Trimmed to fit a chat message: {' and '.join(bits)}. To see everything, {how}"
            "`studybuddy tokenize` in a terminal shows it all.*")


def _fit_views(results: Sequence[TokenizerResult], room: int, show_ids: bool, cells: list[_Cells],
               columns: int) -> tuple[list[str], list[bool]]:
    """Share ``room`` between the views; a view that needs less gives the rest to the others."""
    views: list[str] = [""] * len(results)
    complete = [False] * len(results)
    left = list(range(len(results)))
    remaining = room
    while left:
        share = remaining // len(left)
        trial = {i: _token_view(results[i], share - 2, show_ids, cells[i], columns) for i in left}
        done = [i for i in left if trial[i][1]]
        if not done or len(done) == len(left):
            for i in left:
                views[i], complete[i] = trial[i]
            break
        for i in done:
            views[i], complete[i] = trial[i]
            remaining -= chat_length(views[i]) + 2
            left.remove(i)
    return views, complete


def _cut(text: str, max_chars: int) -> str:
    out = text
    while chat_length(out) > max_chars - 1:
        out = out[: max(0, len(out) - max(1, chat_length(out) - max_chars + 1))]
    if out.count("```") % 2:
        out = out[: out.rfind("```")].rstrip()
    return out + "…"


def _tokens(n: int) -> str:
    return f"{n:,} token{'' if n == 1 else 's'}"


def _short(report: TokenizationReport, name: str) -> str:
    r = report.result(name)
    return r.info.short if r else name


def _window(tokens: int | None) -> str:
    if tokens is None:
        return "?"
    if tokens % 1000 == 0:
        return f"{tokens // 1000:,}k"
    return f"{tokens:,}-token"


def _age(days: int) -> str:
    months = days // 30
    if months >= 24:
        return f"{days // 365} years"
    return f"{months} months"


def _share(share: float, window: int | None) -> str:
    if share > 1:
        return f"**{share:.1f}×** its {_window(window)} window (does not fit)"
    pct = share * 100
    shown = "<0.01%" if pct < 0.01 else (f"{pct:.2g}%" if pct < 10 else f"{pct:.0f}%")
    return f"{shown} of its {_window(window)} window"


def _usd(usd: float) -> str:
    if usd == 0:
        return "$0"
    if usd >= 0.01:
        return f"${usd:,.2f}"
    digits = -math.floor(math.log10(usd)) + 1
    return f"${usd:.{digits}f}"
