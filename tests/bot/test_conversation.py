"""Follow-up questions in a thread or DM are read in the light of the earlier turns."""

from __future__ import annotations

import pytest

from bot.conversation import standalone_question
from bot.replies import Turn


def chat(*questions: str) -> tuple[Turn, ...]:
    turns = []
    for q in questions:
        turns += [Turn(q), Turn("(an answer)", by_bot=True)]
    return tuple(turns)


@pytest.mark.parametrize(
    ("question", "before", "expected"),
    [
        ("and its limitations?", chat("what is a transformer?"), "and its limitations? (transformer)"),
        ("why?", chat("what is a transformer?", "and its limitations?"), "why? (limitations transformer)"),
        ("give an example", chat("what is few-shot prompting"), "give an example (few-shot prompting)"),
        ("how does it compare to RNNs?", chat("explain self-attention"),
         "how does it compare to RNNs? (self-attention)"),
    ],
)
def test_follow_ups_carry_the_topic(question, before, expected):
    """A question with no topic of its own, or one pointing back, carries the previous question's words."""
    assert standalone_question(question, before) == expected


@pytest.mark.parametrize(
    ("question", "before"),
    [
        ("what is RAG?", chat("explain self-attention")),  # a new topic stands alone
        ("why?", ()),  # nothing to lean on
        ("and its limitations?", (Turn("transformers are great", by_bot=True),)),  # only the bot spoke
    ],
)
def test_standalone_questions_are_left_alone(question, before):
    """A question with its own topic, or with no earlier question, is not rewritten."""
    assert standalone_question(question, before) == question
