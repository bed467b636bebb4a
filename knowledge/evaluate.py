"""Retrieval and abstention quality on a set of questions with the passages that answer them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from knowledge.base import KnowledgeBase


@dataclass(frozen=True, slots=True)
class EvalCase:
    question: str
    passage: str | None  # a phrase of the passage that answers it; None = the notes don't cover it


def load_cases(path: Path) -> list[EvalCase]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            cases.append(EvalCase(row["q"], row.get("passage")))
    return cases


def evaluate(kb: KnowledgeBase, cases: list[EvalCase], threshold: float | None = None) -> dict:
    ranks, confidences, rows = [], [], []
    correct_abstain = 0
    for case in cases:
        ans = kb.answer(case.question, threshold=threshold)
        rank = None
        if case.passage:
            needle = case.passage.lower()
            for i, h in enumerate(ans.hits):
                if needle in f"{h.title}\n{h.text}".lower():
                    rank = i + 1
                    break
            ranks.append(rank)
        should_answer = case.passage is not None
        correct_abstain += ans.grounded == should_answer
        confidences.append((ans.confidence, should_answer))
        rows.append({"question": case.question, "rank": rank, "grounded": ans.grounded,
                     "should_answer": should_answer, "confidence": round(ans.confidence, 3)})
    n = len(ranks) or 1
    return {
        "questions": len(cases),
        "answerable": len(ranks),
        "hit@1": round(sum(1 for r in ranks if r == 1) / n, 3),
        "hit@3": round(sum(1 for r in ranks if r and r <= 3) / n, 3),
        "mrr": round(sum(1 / r for r in ranks if r) / n, 3),
        "abstention_accuracy": round(correct_abstain / (len(cases) or 1), 3),
        "best_threshold": best_threshold(confidences),
        "rows": rows,
    }


def best_threshold(points: list[tuple[float, bool]]) -> float:
    """The threshold with the most right decisions; among ties, the middle of the widest gap."""
    values = sorted({round(c, 3) for c, _ in points})
    cands = [(a + b) / 2 for a, b in zip(values, values[1:], strict=False)] or [0.0]
    def score(t: float) -> int:
        return sum((c >= t) == ok for c, ok in points)
    top = max(score(t) for t in cands)
    best = [t for t in cands if score(t) == top]
    return round(best[len(best) // 2], 3)
