"""Grounded generation: retrieved passages in, a cited answer out, checked before anyone reads it.

``Generator.answer`` asks for the whole reply; ``Generator.stream`` yields what may be shown
so far (``Partial``) and ends with the same checked result (``Generated``). Both raise
``ModelUnavailable`` when the model fails; the caller falls back to the extractive answer.
``Generator.rewrite`` turns a follow-up into a standalone question, or says it cannot.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING

from knowledge.generation import citations, prompt
from knowledge.generation.types import Completion, Generated, Partial
from knowledge.text import split_line
from knowledge.types import Hit, Level

if TYPE_CHECKING:
    from knowledge.generation.client import ChatModel

log = logging.getLogger(__name__)

MAX_REWRITE_CHARS = 400
_REWRITE_LABEL = re.compile(r"^\s*(?:standalone question|rewritten question|question)\s*:\s*", re.IGNORECASE)


class Generator:
    def __init__(self, model: ChatModel) -> None:
        self.model = model

    async def answer(self, question: str, hits: Sequence[Hit], level: Level = Level.NORMAL) -> Generated:
        messages = prompt.answer_messages(question, hits, level)
        reply = await self.model.complete(messages, max_tokens=prompt.MAX_TOKENS[level])
        return self._checked(reply.text, reply.finish_reason, hits)

    async def stream(self, question: str, hits: Sequence[Hit],
                     level: Level = Level.NORMAL) -> AsyncIterator[Partial | Generated]:
        """``Partial`` replies as the text grows (only when what may be shown changed), then one ``Generated``."""
        messages = prompt.answer_messages(question, hits, level)
        text, shown = "", ""
        async for piece in self.model.stream(messages, max_tokens=prompt.MAX_TOKENS[level]):
            if isinstance(piece, Completion):
                yield self._checked(piece.text, piece.finish_reason, hits)
                return
            text += piece
            now = citations.partial(text, len(hits))
            if now and now != shown:
                shown = now
                yield Partial(now)

    def _checked(self, text: str, finish_reason: str, hits: Sequence[Hit]) -> Generated:
        if finish_reason == "length":
            text = _complete_sentences(text)
        checked = citations.check(text, [h.text for h in hits])
        if not checked.ok:
            log.info("model reply not shown (%s)", checked.verdict.value)
        sources = tuple(hits[n - 1] for n in checked.cited)
        return Generated(checked.verdict, checked.text, sources, len(hits), checked.dropped)

    async def rewrite(self, question: str, turns: Sequence[tuple[str, bool]]) -> str | None:
        """``question`` as it reads on its own given ``turns`` ((text, by_bot), oldest first); None if the
        model's reply is not a usable question (then the rule-based rewrite is used)."""
        reply = await self.model.complete(prompt.rewrite_messages(question, turns), max_tokens=80)
        lines = [line.strip() for line in reply.text.strip().splitlines() if line.strip()]
        if len(lines) != 1 or reply.finish_reason == "length":
            return None
        text = _REWRITE_LABEL.sub("", lines[0]).strip().strip('"“”\'`').strip()
        if (not text or len(text) > MAX_REWRITE_CHARS or citations.CITATION.search(text)
                or prompt.NOT_IN_NOTES.lower() in text.lower()):
            return None
        return text


def _complete_sentences(text: str) -> str:
    """A reply cut off by the token limit, without its unfinished last sentence."""
    lines = text.rstrip().splitlines()
    if not lines:
        return text
    parts = split_line(lines[-1])
    if parts and not parts[-1].rstrip().endswith((".", "!", "?", "]", ":")):
        parts = parts[:-1]
    lines[-1] = " ".join(parts)
    return "\n".join(lines).rstrip()
