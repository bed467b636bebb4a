"""Prometheus metrics of the running bot, exposed by ``studybuddy serve`` at ``/metrics``.

They live in prometheus-client's default registry, the usual home for a process's metrics;
each replica exposes its own and Prometheus sums them.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

QUESTIONS = Counter("studybuddy_questions", "Questions answered", ["platform", "outcome"])  # answered | abstained
ANSWER_SECONDS = Histogram(
    "studybuddy_answer_seconds", "Time from question to answer", ["mode"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
MODEL_FAILURES = Counter("studybuddy_model_failures", "Model calls that fell back to the extractive answer",
                         ["failure"])  # timeout | rate_limited | server_error | refused_key | unreachable | ...
MODEL_REJECTED = Counter("studybuddy_model_rejected", "Model replies not shown: they failed the citation check",
                         ["verdict"])  # uncited | unknown_source | not_covered | unsupported | empty
QUIZ_POSTS = Counter("studybuddy_quiz_posts", "Quizzes posted", ["platform", "kind"])  # daily | manual
QUIZ_ANSWERS = Counter("studybuddy_quiz_answers", "Quiz and review answers", ["platform", "result"])
ERRORS = Counter("studybuddy_errors", "Errors turned into replies", ["kind"])  # input | unavailable | bug
RATE_LIMIT_WAITS = Counter("studybuddy_rate_limit_waits", "Times a platform told us to wait", ["platform"])
RATE_LIMIT_SECONDS = Counter("studybuddy_rate_limit_wait_seconds", "Seconds spent waiting on rate limits", ["platform"])


def answer_result(data: dict | None) -> str:
    """The label of a quiz or review answer reply: right, wrong, duplicate, closed or other."""
    data = data or {}
    if data.get("closed"):
        return "closed"
    if data.get("duplicate"):
        return "duplicate"
    if "correct" in data:
        return "right" if data["correct"] else "wrong"
    return "other"
