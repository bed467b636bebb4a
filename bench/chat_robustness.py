"""How well answers hold when a dev-set question is typed the way chat is: wrapped in an address, a
greeting or thanks, with emoji, in capitals, or with two letters of one word swapped. For each form,
how many answerable questions still cite the right passage, against the question as written.

    python -m bench.chat_robustness            # the dev sets (never the blind ones)

Typos are drawn with fixed seeds (7, 11, 23), one swapped pair in one word of five letters or more.
"""

from __future__ import annotations

import functools
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10", "dev11", "dev12", "dev13", "dev14", "dev15", "dev16", "dev17", "dev18", "dev19", "dev20", "dev21", "dev22", "dev23", "dev24", "dev25", "dev26", "dev27", "dev28", "dev29", "dev30", "dev31", "dev32", "dev33", "dev34", "dev35", "dev36", "dev37")
SEEDS = (7, 11, 23)


def _typo(question: str, rng: random.Random) -> str:
    words = question.split()
    long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long:
        return question
    i = rng.choice(long)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


FORMS = {
    "capitals": lambda q, rng: q.upper(),
    "address": lambda q, rng: f"@StudyBuddy {q}",
    "greeting": lambda q, rng: f"hey quick question, {q}",
    "emoji": lambda q, rng: f"{q.rstrip('?')} 🤔🤔",
    "thanks": lambda q, rng: f"{q} thanks!!",
    "please explain": lambda q, rng: f"pls explain {q.rstrip('?')}",
}
for _seed in SEEDS:
    FORMS[f"typo (seed {_seed})"] = functools.partial(lambda q, rng, seed: _typo(q, random.Random(f"{seed}:{q}")),
                                                      seed=_seed)


def _cited(answer, needle: str) -> bool:
    return answer.grounded and any(needle in f"{s.title} {s.text}".lower() for s in answer.sources)


def run(kb) -> dict[str, dict[str, int]]:
    cases = [json.loads(line) for s in SETS
             for line in (ROOT / f"knowledge/eval/{s}.jsonl").read_text().splitlines() if line]
    cases = [c for c in cases if c["passage"]]
    needles = [c["passage"].lower() for c in cases]
    as_written = sum(map(_cited, kb.answer_many([c["q"] for c in cases]), needles))
    out = {}
    for name, form in FORMS.items():
        answers = kb.answer_many([form(c["q"], None) for c in cases])
        out[name] = {"as_written": as_written, "typed": sum(map(_cited, answers, needles)), "questions": len(cases)}
    return out


def main() -> None:
    import asyncio

    from adapters.console.cli import READ_ONLY
    from bot.app import build_app
    from bot.config import Settings

    async def go():
        async with build_app(Settings(), parts=READ_ONLY) as app:
            return run(app.knowledge)

    result = asyncio.run(go())
    if "--json" in sys.argv:
        print(json.dumps(result, indent=1))
        return
    for name, r in result.items():
        print(f"{name:16} right passage cited {r['typed']:3} / {r['questions']}  (as written: {r['as_written']})")


if __name__ == "__main__":
    main()
