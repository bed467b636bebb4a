"""The evaluation in model mode: every question through the facade's real answer path, scored on what
the model path promises, not on the model's prose.

- ``citations_valid``: of the answers the model wrote, the share whose every ``[n]`` names a
  listed source and whose every listed source is cited (the check makes this 1.0, or it is a bug);
- ``cited_expected``: of the answerable questions the model answered, the share citing the
  passage that answers them (a real model's choice; a fake server's script);
- ``fallback_ok``: of the questions where the model failed, the share answered extractively
  with the note saying so (a traceback or an empty reply counts against it);
- ``outcomes``: how each question ended: answered, rejected:<verdict>, failed:<failure>,
  not_asked (the notes do not cover it, so the model was not asked);
- ``abstention_accuracy``: answered when the notes cover it, "don't cover that" when not.
"""

from __future__ import annotations

import re
from collections import Counter

from bot.facade import StudyBuddy
from knowledge.evaluate import EvalCase

_CITED = re.compile(r"\[(\d+)\]")
UNAVAILABLE_NOTE = "so this answer quotes the notes directly"


async def evaluate_model(buddy: StudyBuddy, cases: list[EvalCase]) -> dict:
    outcomes: Counter[str] = Counter()
    rows = []
    written = valid = answerable_written = expected = failed = fell_back = right_abstain = 0
    for case in cases:
        try:
            reply = await buddy.ask(case.question)
        except Exception as exc:  # scored, not raised: an error a student would see is a failed fallback
            outcomes["error"] += 1
            rows.append({"question": case.question, "outcome": f"error:{type(exc).__name__}"})
            failed += 1
            continue
        data = reply.data
        outcome = data.get("llm") or "no_model"
        outcomes[outcome.split(":")[0] if outcome.startswith("failed") else outcome] += 1
        right_abstain += data["grounded"] == (case.passage is not None)
        cited_expected = None
        if outcome == "answered":
            written += 1
            cited = {int(n) for n in _CITED.findall(data["answer"])}
            valid += cited == {s["n"] for s in data["sources"]} and bool(cited)
            if case.passage:
                answerable_written += 1
                needle = case.passage.lower()
                cited_expected = any(needle in f"{s['title']}\n{s['text']}".lower() for s in data["sources"])
                expected += cited_expected
        elif outcome.startswith("failed"):
            failed += 1
            fell_back += data["mode"] == "extractive" and UNAVAILABLE_NOTE in data["answer"]
        rows.append({"question": case.question, "outcome": outcome, "mode": data["mode"],
                     "grounded": data["grounded"], "cited_expected": cited_expected})
    return {
        "questions": len(cases),
        "outcomes": dict(sorted(outcomes.items())),
        "model_answers": written,
        "citations_valid": round(valid / written, 3) if written else None,
        "cited_expected": round(expected / answerable_written, 3) if answerable_written else None,
        "model_failures": failed,
        "fallback_ok": round(fell_back / failed, 3) if failed else None,
        "abstention_accuracy": round(right_abstain / (len(cases) or 1), 3),
        "rows": rows,
    }
