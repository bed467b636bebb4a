"""A quiz bank as plain data, for ``--json`` and other programs."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from knowledge.quizbank.gate import Rejected
from knowledge.types import QuizItem


def bank_to_json(items: Sequence[QuizItem]) -> list[dict]:
    """Every field of every item, with ``options`` as a list and the answer's text spelled out."""
    out = []
    for item in items:
        row = {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
        row["options"] = list(item.options)
        row["answer_text"] = item.answer_text
        out.append(row)
    return out


def rejected_to_json(rejected: Sequence[Rejected]) -> list[dict]:
    """What the gate dropped: the question, the section it came from, and every reason."""
    return [{"question": r.question, "source": r.source, "reasons": list(r.reasons)} for r in rejected]
