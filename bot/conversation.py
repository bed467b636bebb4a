"""Follow-up questions: "and its limitations?" after "what is a transformer?" means the transformer's.

A thread or DM passes its recent turns to ``ask``. A question that leans on them — it names
no topic of its own ("why?", "give an example") or points back ("how does it compare to
RNNs?") — is rewritten into a standalone question before retrieval, by carrying the words of
the previous question (itself resolved the same way, so chains of follow-ups keep their topic).
A language model, when configured, does it first (``rewrite``): it also resolves what the rule
cannot ("what about the second one?"). The rule is the fallback when the model fails or
answers with something that is not a question that adds a topic.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.replies import Turn
from knowledge.generation.types import ModelUnavailable
from knowledge.text import BACK_REFERENCES, content_words, topic_words, words

if TYPE_CHECKING:
    from knowledge.generation.grounded import Generator

log = logging.getLogger(__name__)

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


async def rewrite(question: str, turns: Sequence[Turn], generator: Generator | None) -> str:
    """``question`` as it reads on its own: by the model when there is one and an earlier question to
    lean on, else (or when the model fails or adds no topic) by the rule."""
    rule = standalone_question(question, turns)
    if generator is None or not any(not t.by_bot and t.text.strip() for t in turns):
        return rule
    try:
        rewritten = await generator.rewrite(question, [(t.text, t.by_bot) for t in turns])
    except ModelUnavailable as exc:
        log.warning("follow-up rewrite by the model failed, using the rule: %s", exc)
        return rule
    if rewritten is None or set(content_words(rewritten)) <= set(content_words(question)):
        # Nothing added: either the question stands alone (the rule agrees) or the model missed the reference.
        return rule
    return rewritten
