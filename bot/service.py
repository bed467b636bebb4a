"""StudyBuddy: the platform-neutral core every adapter talks to."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from bot.errors import UserInputError
from bot.replies import Reply, Source

if TYPE_CHECKING:
    from knowledge.base import KnowledgeBase

log = logging.getLogger(__name__)

ASK_USAGE = "Ask me a question about the notes, e.g. `/ask what is the vanishing gradient problem?`"


def _sources(hits) -> tuple[Source, ...]:
    return tuple(
        Source(n=i + 1, title=h.title, path=h.source, text=h.text, score=round(h.score, 4))
        for i, h in enumerate(hits)
    )


class StudyBuddy:
    """Turns a user's intent into a ``Reply``. Heavy work runs in a worker thread."""

    def __init__(self, knowledge: KnowledgeBase, *, max_question_chars: int = 2000, quiz=None,
                 pricing_file=None) -> None:
        self.knowledge = knowledge
        self.pricing_file = pricing_file
        self.max_question_chars = max_question_chars
        self.quiz = quiz  # bot.quiz.service.QuizService, when state is configured

    async def start(self) -> None:
        """Load the model and indexes before the first user waits for them."""
        from bot.tokenization import warm_up as warm_up_tokenizers

        await asyncio.gather(asyncio.to_thread(self.knowledge.warm_up), asyncio.to_thread(warm_up_tokenizers))

    async def ask(self, question: str) -> Reply:
        question = (question or "").strip()
        if not question:
            raise UserInputError(ASK_USAGE)
        shortened = len(question) > self.max_question_chars
        if shortened:
            question = question[: self.max_question_chars].rsplit(" ", 1)[0] or question[: self.max_question_chars]
        answer = await asyncio.to_thread(self.knowledge.answer, question)
        text = answer.markdown()
        if shortened:
            text += (
                f"\n\n_Your question was long, so I answered from its first "
                f"{self.max_question_chars:,} characters._"
            )
        sources = _sources(answer.sources) if answer.grounded else ()
        data = {
            "question": question,
            "answer": text,
            "grounded": answer.grounded,
            "sources": [
                {"n": s.n, "title": s.title, "path": s.path, "text": s.text, "score": s.score} for s in sources
            ],
        }
        if not answer.grounded:
            data["suggestions"] = list(answer.suggestions)
        return Reply(text=text, sources=sources, data=data)

    async def notes_passage(self, topic: str) -> Source | None:
        """The best passage of the notes on ``topic`` (used to cite the notes elsewhere)."""
        hits = await asyncio.to_thread(self.knowledge.search, topic, 1)
        return _sources(hits[:1])[0] if hits else None

    # ---------------------------------------------------------------- tokenizer explainer
    TOKENIZE_TOPIC = "tokenization: breaking text into tokens, subword pieces"

    async def tokenize(self, text: str, *, show_ids: bool = False, with_image: bool = False) -> Reply:
        from bot.tokenization import tokenize_reply

        passage = await self.notes_passage(self.TOKENIZE_TOPIC)
        return await asyncio.to_thread(
            tokenize_reply, text, show_ids=show_ids, with_image=with_image, notes_passage=passage,
            pricing_file=self.pricing_file,
        )

    async def tokenize_command(self, args: str) -> Reply:
        """``/tokenize [--ids] [--image] TEXT`` from a text surface."""
        show_ids = with_image = False
        rest = args.lstrip()
        while rest.startswith("--"):
            flag, _, rest = rest.partition(" ")
            if flag == "--ids":
                show_ids = True
            elif flag == "--image":
                with_image = True
            else:
                raise UserInputError(f"Unknown option `{flag}`. Use `/tokenize [--ids] [--image] TEXT`.")
            rest = rest.lstrip()
        return await self.tokenize(rest, show_ids=show_ids, with_image=with_image)
