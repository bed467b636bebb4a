"""From a standalone question to what the reply says: extractive, or written by the model and checked.

The extractive answer is always computed (it is cheap, batched across concurrent askers, and
its calibrated confidence decides whether the notes cover the question at all). With a model
configured and the notes covering the question, the model writes the answer from the
retrieved passages; then:

- a reply that passes the citation check is shown, with the passages it cited (mode "llm");
- a reply that fails it (cites nothing, cites a passage it was not given, says the notes do
  not cover it) becomes the honest "my notes don't cover that" with the closest topics;
- a model that fails (timeout, 429, 5xx, a refused key, a malformed stream) leaves the
  extractive answer, with a short note saying so (mode "extractive").

``Outcome.llm`` tells which of these happened, for ``--json`` and the evaluation.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass, field
from time import perf_counter
from typing import TYPE_CHECKING

from bot import metrics
from bot.batching import Batcher
from knowledge import levels
from knowledge.answer import Answer
from knowledge.generation.types import Generated, ModelUnavailable
from knowledge.text import closest_topics as section_suggestions
from knowledge.types import Hit, Level

if TYPE_CHECKING:
    from knowledge.base import KnowledgeBase
    from knowledge.generation.grounded import Generator

log = logging.getLogger(__name__)

CLOSEST_TOPICS = 3


@dataclass(frozen=True, slots=True)
class Outcome:
    text: str
    sources: tuple[Hit, ...]
    grounded: bool
    mode: str  # "llm" | "extractive": which one wrote the text
    confidence: float
    suggestions: tuple[str, ...] = ()
    # None: no model configured. "answered"; "not_asked" (the notes do not cover it);
    # "rejected:<verdict>" (its reply failed the check); "failed:<failure>" (it did not reply).
    llm: str | None = None
    note: str | None = None  # a line for the student, e.g. that the model was unavailable
    found: bool = True  # a re-answer found something at its level (an example in the notes)
    evidence: dict[str, float] = field(default_factory=dict)  # what the retrieval confidence was computed from


class Answerer:
    def __init__(self, knowledge: KnowledgeBase, generator: Generator | None = None) -> None:
        self._knowledge = knowledge
        self._generator = generator
        self._answers: Batcher[str, Answer] = Batcher(knowledge.answer_many)

    @property
    def generator(self) -> Generator | None:
        return self._generator

    async def answer(self, question: str, level: Level = Level.NORMAL, *,
                     stream: bool = False) -> AsyncIterator[str | Outcome]:
        """The answer to a standalone ``question``: with ``stream``, the model's text so far (``str``,
        unchecked, only while it writes) before the one ``Outcome``; otherwise just the ``Outcome``."""
        started = perf_counter()
        answer = await self._answers.submit(question)
        if self._generator is None or not answer.grounded:
            outcome = await self._extractive(answer, question, level)
            if self._generator is not None:
                outcome = dataclasses.replace(outcome, llm="not_asked")
        else:
            outcome = None
            try:
                async for item in self._generated(answer, question, level, stream):
                    if isinstance(item, Outcome):
                        outcome = item
                    else:
                        yield item
            except ModelUnavailable as exc:
                log.warning("%s; answering from the notes directly", exc)
                metrics.MODEL_FAILURES.labels(exc.failure.value).inc()
                outcome = dataclasses.replace(
                    await self._extractive(answer, question, level), llm=f"failed:{exc.failure.value}",
                    note=f"_The language model {exc.failure.said}, so this answer quotes the notes directly._",
                )
        metrics.ANSWER_SECONDS.labels(outcome.mode).observe(perf_counter() - started)
        yield dataclasses.replace(outcome, evidence=answer.evidence)

    async def _generated(self, answer: Answer, question: str, level: Level,
                         stream: bool) -> AsyncIterator[str | Outcome]:
        if level is Level.DEEPER:
            hits = levels.passages(await asyncio.to_thread(self._knowledge.search, question, levels.DEEPER_PASSAGES),
                                   level)
        else:
            hits = levels.passages(answer.hits, level)
        result: Generated | None = None
        if stream:
            async with aclosing(self._generator.stream(question, hits, level)) as pieces:
                async for item in pieces:
                    if isinstance(item, Generated):
                        result = item
                    else:
                        yield item.text
        else:
            result = await self._generator.answer(question, hits, level)
        if result.ok:
            yield Outcome(result.text, result.sources, True, "llm", answer.confidence, llm="answered")
            return
        metrics.MODEL_REJECTED.labels(result.verdict.value).inc()
        yield Outcome(*abstention(answer), False, "llm", answer.confidence, closest_topics(answer.hits),
                      llm=f"rejected:{result.verdict.value}")

    async def _extractive(self, answer: Answer, question: str, level: Level) -> Outcome:
        if not answer.grounded:
            return Outcome(answer.markdown(), (), False, "extractive", answer.confidence, answer.suggestions)
        if level is Level.NORMAL:
            return Outcome(answer.markdown(), answer.sources, True, "extractive", answer.confidence)
        _, again = await asyncio.to_thread(levels.reanswer, self._knowledge, question, level)
        return Outcome(again.text, again.sources, True, "extractive", answer.confidence, found=again.found)


def closest_topics(hits: tuple[Hit, ...]) -> tuple[str, ...]:
    return section_suggestions([hit.title for hit in hits], CLOSEST_TOPICS)


def abstention(answer: Answer) -> tuple[str, tuple[Hit, ...]]:
    """The honest "my notes don't cover that" in the extractive answer's own words, and no sources."""
    honest = dataclasses.replace(answer, grounded=False, statements=(), sources=(),
                                 suggestions=closest_topics(answer.hits))
    return honest.markdown(), ()
