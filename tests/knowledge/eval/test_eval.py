"""Answer quality on the evaluation set: the bar a change must not lower."""

from pathlib import Path

from knowledge.evaluate import evaluate, load_cases

QUESTIONS = Path(__file__).resolve().parents[3] / "knowledge" / "eval" / "dev.jsonl"


def test_eval_set_is_substantial():
    """At least 40 answerable student questions and 10 the notes do not cover."""
    cases = load_cases(QUESTIONS)
    assert sum(c.passage is not None for c in cases) >= 40
    assert sum(c.passage is None for c in cases) >= 10


def test_retrieval_and_abstention_quality(knowledge_base):
    """hit@3 ≥ 0.95 and abstention accuracy ≥ 0.9 on the evaluation set."""
    result = evaluate(knowledge_base, load_cases(QUESTIONS))
    misses = [r["question"] for r in result["rows"] if r["should_answer"] and not (r["rank"] and r["rank"] <= 3)]
    assert result["hit@3"] >= 0.95, misses
    assert result["abstention_accuracy"] >= 0.9
