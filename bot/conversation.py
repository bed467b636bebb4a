"""Follow-up questions: "and its limitations?" after "what is a transformer?" means the transformer's.

A thread or DM passes its recent turns to ``ask``. A question that leans on them — it names
no topic of its own ("why?", "give an example") or points back ("how does it compare to
RNNs?") — is rewritten into a standalone question before retrieval, by carrying the words of
the previous question (itself resolved the same way, so chains of follow-ups keep their topic).
A language model, when configured, may do this better; this rule is the fallback.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.replies import Turn
from knowledge.text import BACK_REFERENCES, content_words, topic_words, words

MAX_CARRIED = 8  # words carried over; enough for a topic, not a paragraph


def leans_on_context(question: str) -> bool:
    return not topic_words(question) or any(w in BACK_REFERENCES for w in words(question))


def standalone_question(question: str, turns: Sequence[Turn]) -> str:
    """``question`` as it reads on its own, given the earlier turns (oldest first)."""
    context: list[str] = []
    for turn in turns:
        if not turn.by_bot and turn.text.strip():
            context = content_words(_resolve(turn.text, context))
    return _resolve(question, context)


def _resolve(question: str, context: list[str]) -> str:
    if not context or not leans_on_context(question):
        return question
    own = set(content_words(question))
    carried = [w for w in dict.fromkeys(context) if w not in own][:MAX_CARRIED]
    if not carried:
        return question
    return f"{question.strip()} ({' '.join(carried)})"
