"""``StudyBuddy``: the core's one public surface. Adapters call these methods and render the replies.

Every method takes typed values (no command strings: ``bot.commands`` parses text for the
surfaces that have text) and returns a ``Reply``; user mistakes raise ``UserInputError``,
which the adapter's one error handler turns into a reply with ``bot.errors.error_reply``.
Stores, the database and the scheduler stay behind this class.
"""

from __future__ import annotations

import asyncio
import logging
import zoneinfo
from collections.abc import AsyncIterator, Sequence
from contextlib import aclosing
from datetime import time
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from bot import metrics
from bot.actions import (
    LEVELS,
    LevelAction,
    QuizAction,
    QuizMeAction,
    ReviewAction,
    VoteAction,
    level_action,
    parse_action,
    quiz_me_action,
    vote_action,
)
from bot.answering import Answerer, Outcome
from bot.conversation import rewrite as rewrite_follow_up
from bot.errors import ConfigError, UserInputError
from bot.ports import Clock
from bot.replies import Actor, Button, ChannelRef, Period, Reply, Source, Turn, Visibility
from knowledge.types import Level

if TYPE_CHECKING:  # the quiz and storage packages load only in processes that open the database
    from bot.quiz import QuizScheduler, QuizService
    from bot.storage.asked import AskStore
    from bot.storage.events import EventStore
    from knowledge.base import KnowledgeBase
    from knowledge.generation.grounded import Generator
    from knowledge.quizbank import QuizBank

log = logging.getLogger(__name__)
T = TypeVar("T")

# Seconds between two partial replies of a streamed answer, unless the adapter passes its own.
STREAM_INTERVAL = 1.0
LEVEL_LABELS = {Level.SIMPLER: "Simpler", Level.DEEPER: "Deeper", Level.EXAMPLE: "Example"}
LEVEL_TITLES = {Level.SIMPLER: "Simpler", Level.DEEPER: "In more depth", Level.EXAMPLE: "An example"}

ASK_USAGE = "Ask me a question about the notes, e.g. `/ask what is the vanishing gradient problem?`"
HELP = """Ask anything about the notes: just type it, mention me, or use `/ask QUESTION`.

- `/ask QUESTION` — an answer built only from the notes, with the sections it comes from
- `/tokenize TEXT` — how real tokenizers (GPT-4o, GPT-4, BERT, Mistral) cut TEXT, what it costs, why words split
- `/quiz now` — a quiz from the notes in this channel; `/quiz close` reveals the answer
- `/quiz schedule 09:00 Europe/Paris` — a quiz here every day (`/quiz unschedule`, `/quiz status`)
- `/leaderboard [week|all]` — points (correct answers), answers and streaks
- `/review` — your spaced-repetition review of what you missed
- `/stats` — a chart of your accuracy (`/stats channel` for the channel)"""


def _sources(hits) -> tuple[Source, ...]:
    return tuple(
        Source(n=i + 1, title=h.title, path=h.source, text=h.text, score=round(h.score, 4)) for i, h in enumerate(hits)
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


async def _last(replies: AsyncIterator[T]) -> T:
    async with aclosing(replies):
        async for item in replies:
            last = item
    return last


async def _throttled(replies: AsyncIterator[Reply], min_interval: float) -> AsyncIterator[Reply]:
    """Partial replies at most one per ``min_interval`` seconds (the latest wins); the final one always."""
    loop = asyncio.get_running_loop()
    shown_at: float | None = None
    async for reply in replies:
        if (reply.data or {}).get("partial"):
            now = loop.time()
            if shown_at is not None and now - shown_at < min_interval:
                continue
            shown_at = now
        yield reply


@cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


class StudyBuddy:
    def __init__(
        self,
        knowledge: KnowledgeBase,
        *,
        clock: Clock,
        quiz: QuizService | None = None,
        scheduler: QuizScheduler | None = None,
        asked: AskStore | None = None,
        events: EventStore | None = None,
        bank: QuizBank | None = None,
        pricing_file: Path | None = None,
        max_question_chars: int = 2000,
        generator: Generator | None = None,
    ) -> None:
        self._knowledge = knowledge
        self._clock = clock
        self._quiz = quiz
        self._scheduler = scheduler
        self._asked = asked
        self._events = events
        self._bank = bank
        self._pricing_file = pricing_file
        self._max_question_chars = max_question_chars
        self._answerer = Answerer(knowledge, generator)
        self._tokenize_passage: Source | None = None

    # Questions ---------------------------------------------------------------------------

    async def ask(self, question: str, *, actor: Actor | None = None, channel: ChannelRef | None = None,
                  conversation: Sequence[Turn] = ()) -> Reply:
        """An answer from the notes, cited, or an honest "the notes don't cover that".

        ``conversation`` holds the thread's or DM's earlier turns (oldest first): a follow-up
        such as "and its limitations?" is read in their light. With a language model configured
        it writes the answer from the retrieved passages (``data["mode"] == "llm"``); otherwise,
        or when it fails, the notes' own sentences answer (``"extractive"``). With state, the
        answer gets an id and buttons: 👍 / 👎 (stored), "Quiz me on this", "Simpler", "Deeper",
        "Example".
        """
        return await _last(self._ask(question, actor, channel, conversation, stream=False))

    async def ask_stream(self, question: str, *, actor: Actor | None = None, channel: ChannelRef | None = None,
                         conversation: Sequence[Turn] = (), min_interval: float = STREAM_INTERVAL,
                         ) -> AsyncIterator[Reply]:
        """``ask``, for surfaces that show an answer as it is written by editing their message.

        Yields growing partial replies (``data["partial"] is True``: text only, no sources or
        buttons, citations numbered as they will be in the end) and then exactly one final reply,
        the same ``ask`` returns (``data["partial"] is False``), which may differ entirely: a
        reply that fails the citation check, or a model that fails mid-way, ends in the honest
        or the extractive answer. Without a model there is only the final reply.

        Throttle contract: the first partial comes as soon as there is text; later ones at most
        one per ``min_interval`` seconds (pieces in between are merged into the next); the final
        reply is never held back. An adapter edits its message once per reply it receives and
        passes the interval its platform's edit rate limit allows (Discord about 1 s per
        message, Slack's chat.update about 1.2 s). Stopping the iteration early (``aclose``)
        closes the model's stream.
        """
        async with aclosing(self._ask(question, actor, channel, conversation, stream=True)) as replies:
            async for reply in _throttled(replies, min_interval):
                yield reply

    async def _ask(self, question: str, actor: Actor | None, channel: ChannelRef | None,
                   conversation: Sequence[Turn], *, stream: bool) -> AsyncIterator[Reply]:
        question = (question or "").strip()
        if not question:
            raise UserInputError(ASK_USAGE)
        notes: list[str] = []
        if len(question) > self._max_question_chars:
            cut = question[: self._max_question_chars]
            question = cut.rsplit(" ", 1)[0] or cut
            notes.append(f"_Your question was long, so I answered from its first {self._max_question_chars:,} characters._")
        standalone = await rewrite_follow_up(question, tuple(conversation), self._answerer.generator)
        if standalone != question:
            notes.append(f"_(I read this follow-up as: {standalone})_")
        async for item in self._answer(question, standalone, Level.NORMAL, notes, actor, channel, stream=stream):
            yield item

    async def reanswer(self, actor: Actor, channel: ChannelRef | None, answer_id: int, level: Level) -> Reply:
        """An earlier answer again from the same passages, at another level ("Simpler", "Deeper", "Example")."""
        return await _last(self._reanswer(actor, channel, answer_id, level, stream=False))

    async def _reanswer(self, actor: Actor, channel: ChannelRef | None, answer_id: int, level: Level, *,
                        stream: bool) -> AsyncIterator[Reply]:
        asked = await self._state_asked().get(answer_id)
        if asked is None:
            yield Reply("I can't find that answer any more.", visibility=Visibility.PRIVATE)
            return
        async for item in self._answer(asked.question, asked.standalone, level, [], actor, channel, stream=stream,
                                       of=answer_id):
            yield item

    async def _answer(self, question: str, standalone: str, level: Level, notes: list[str], actor: Actor | None,
                      channel: ChannelRef | None, *, stream: bool, of: int | None = None) -> AsyncIterator[Reply]:
        """Partial replies while a model writes (when streaming), then the final reply, recorded with its buttons."""
        visibility = Visibility.PUBLIC if level is Level.NORMAL else Visibility.PRIVATE
        title = None if level is Level.NORMAL else f"{LEVEL_TITLES[level]}: {_shorten(question, 80)}"
        outcome: Outcome | None = None
        async with aclosing(self._answerer.answer(standalone, level, stream=stream)) as items:
            async for item in items:
                if isinstance(item, Outcome):
                    outcome = item
                else:
                    yield Reply(item, visibility=visibility, title=title,
                                data={"question": question, "partial": True, "mode": "llm"})
        metrics.QUESTIONS.labels(actor.platform if actor else "cli",
                                 "answered" if outcome.grounded else "abstained").inc()
        text = outcome.text
        sources = _sources(outcome.sources)
        if outcome.note:
            notes = [*notes, outcome.note]
        data = {
            "question": question,
            "answer": text,
            "grounded": outcome.grounded,
            "sources": [{"n": s.n, "title": s.title, "path": s.path, "text": s.text, "score": s.score} for s in sources],
            "confidence": round(outcome.confidence, 4),
            "evidence": outcome.evidence,  # what the confidence was computed from
            "mode": outcome.mode,
            "partial": False,
        }
        if outcome.llm is not None:
            data["llm"] = outcome.llm
        if level is not Level.NORMAL:
            data["level"] = level.value
            data["reanswer_of"] = of
            data["found"] = outcome.found
        if standalone != question:
            data["standalone_question"] = standalone
        if not outcome.grounded:
            data["suggestions"] = list(outcome.suggestions)
        if notes:
            text += "\n\n" + "\n\n".join(notes)
            data["answer"] = text
        buttons: tuple[Button, ...] = ()
        if self._asked is not None:
            answer_id = await self._asked.record(
                platform=actor.platform if actor else "cli", channel_id=channel.channel_id if channel else None,
                question=question, standalone=standalone, answer=text, grounded=outcome.grounded,
                sources=[{"n": s.n, "title": s.title, "path": s.path} for s in sources], now=self._clock(),
            )
            data["answer_id"] = answer_id
            buttons = self._answer_buttons(answer_id, sources, level)
        yield Reply(text=text, sources=sources, buttons=buttons, visibility=visibility, title=title, data=data)

    def _answer_buttons(self, answer_id: int, sources: tuple[Source, ...],
                        level: Level = Level.NORMAL) -> tuple[Button, ...]:
        if not sources:
            return ()
        buttons = [Button(vote_action(answer_id, True), "👍 Helpful"), Button(vote_action(answer_id, False), "👎 Not helpful")]
        if self._quiz is not None and self._quiz.has_items_for([s.title for s in sources]):
            buttons.append(Button(quiz_me_action(answer_id), "Quiz me on this", style="primary"))
        buttons += [Button(level_action(answer_id, lv), LEVEL_LABELS[lv]) for lv in LEVELS if lv is not level]
        return tuple(buttons)

    async def feedback(self, actor: Actor, answer_id: int, helpful: bool) -> Reply:
        """Store 👍 / 👎 on an answer (a second vote replaces the first)."""
        if not await self._state_asked().vote(answer_id, actor.platform, actor.user_id, actor.display_name, helpful,
                                              self._clock()):
            return Reply("I can't find that answer any more.", visibility=Visibility.PRIVATE)
        text = "Thanks — glad it helped." if helpful else (
            "Thanks for saying so. The notes may not cover this well; try asking it another way, "
            "or add what's missing to the notes."
        )
        return Reply(text, visibility=Visibility.PRIVATE, data={"answer_id": answer_id, "helpful": helpful})

    async def votes(self, answer_id: int) -> tuple[int, int]:
        """(👍, 👎) counts of one answer."""
        return await self._state_asked().votes(answer_id)

    async def quiz_me(self, actor: Actor, answer_id: int) -> Reply:
        """A private quiz card on the sections an answer cited."""
        asked = await self._state_asked().get(answer_id)
        if asked is None or not asked.sources:
            return Reply("I can't find that answer any more.", visibility=Visibility.PRIVATE)
        return await self._state_quiz().quiz_me(actor, [s["title"] for s in asked.sources])

    # Tokenizer explainer -----------------------------------------------------------------

    async def tokenize(self, text: str, *, show_ids: bool = False, image: bool = False, special_tokens: bool = False,
                       max_chars: int | None = None) -> Reply:
        """How real tokenizers cut ``text``. ``max_chars`` is the surface's message limit (None: no limit)."""
        # Imported here: the explainer's modules (tiktoken, Pillow's pictures) cost a cold `studybuddy ask`
        # about 0.15 s it never uses.
        from bot.tokenization import tokenize_reply
        from knowledge.tokenization import check_length, notes_passage

        check_length(len(text))  # a 1 MB paste is refused before any work
        if self._tokenize_passage is None:
            found = await asyncio.to_thread(notes_passage, self._knowledge.notes_dir)
            if found is not None:
                self._tokenize_passage = Source(1, found.title, found.path, found.text, round(found.score, 4))
        return await asyncio.to_thread(
            tokenize_reply, text, show_ids=show_ids, with_image=image, notes_passage=self._tokenize_passage,
            pricing_file=self._pricing_file, max_message_chars=max_chars, special_tokens=special_tokens,
        )

    # Quizzes -----------------------------------------------------------------------------

    async def quiz_now(self, channel: ChannelRef) -> Reply:
        """A quiz for the channel, for the adapter to post (then ``quiz_posted``). Refused while one is open."""
        reply = await self._state_quiz().post_quiz(channel)
        metrics.QUIZ_POSTS.labels(channel.platform, "manual").inc()
        return reply

    async def quiz_posted(self, quiz_id: int, message_id: str | None) -> None:
        """The platform's id of a posted quiz message (so a surface can mark it closed later)."""
        await self._state_quiz().quizzes.set_message_id(quiz_id, message_id)

    async def quiz_not_posted(self, quiz_id: int) -> None:
        """A quiz from ``quiz_now`` that the surface failed to post: forget it, so it neither blocks
        the channel's next ``quiz_now`` nor gets revealed."""
        await self._state_quiz().discard_unsent(quiz_id)

    async def open_quiz(self, channel: ChannelRef) -> int | None:
        return await self._state_quiz().open_quiz(channel)

    async def quiz_close(self, channel: ChannelRef, *, actor: Actor) -> Reply:
        """Close the channel's open quiz now and return its reveal (for the channel)."""
        self._require_manager(actor, "close the quiz early")
        return await self._state_quiz().close_open(channel)

    async def answer(self, actor: Actor, action_id: str) -> Reply:
        """A quiz or review button: always a private reply."""
        reply = await self._state_quiz().answer(actor, action_id)
        metrics.QUIZ_ANSWERS.labels(actor.platform, metrics.answer_result(reply.data)).inc()
        return reply

    async def answer_number(self, actor: Actor, channel: ChannelRef, number: int) -> Reply:
        """Answer the channel's open quiz by option number (surfaces without buttons)."""
        reply = await self._state_quiz().answer_open(actor, channel, number)
        metrics.QUIZ_ANSWERS.labels(actor.platform, metrics.answer_result(reply.data)).inc()
        return reply

    async def press(self, actor: Actor, channel: ChannelRef | None, action_id: str) -> Reply:
        """Any button the core made: quiz and review answers, 👍 / 👎, "Quiz me on this", "Simpler" /
        "Deeper" / "Example"."""
        action = parse_action(action_id)
        if isinstance(action, LevelAction):
            return await self.reanswer(actor, channel, action.answer_id, action.level)
        if isinstance(action, (QuizAction, ReviewAction)):
            return await self.answer(actor, action_id)
        if isinstance(action, VoteAction):
            return await self.feedback(actor, action.answer_id, action.helpful)
        if isinstance(action, QuizMeAction):
            return await self.quiz_me(actor, action.answer_id)
        return Reply("That button is no longer valid.", visibility=Visibility.PRIVATE)

    async def press_stream(self, actor: Actor, channel: ChannelRef | None, action_id: str, *,
                           min_interval: float = STREAM_INTERVAL) -> AsyncIterator[Reply]:
        """``press``, streamed like ``ask_stream`` (same throttle contract): a "Simpler" / "Deeper" /
        "Example" re-answer written by the model appears as it is written; any other button
        yields its one reply."""
        action = parse_action(action_id)
        if not isinstance(action, LevelAction):
            yield await self.press(actor, channel, action_id)
            return
        async with aclosing(self._reanswer(actor, channel, action.answer_id, action.level, stream=True)) as replies:
            async for reply in _throttled(replies, min_interval):
                yield reply

    async def review(self, actor: Actor) -> Reply:
        return await self._state_quiz().review(actor)

    async def review_number(self, actor: Actor, number: int) -> Reply:
        return await self._state_quiz().answer_review_number(actor, number)

    async def schedule(self, channel: ChannelRef, at: time, timezone: str | None = None, *, actor: Actor) -> Reply:
        """A quiz in ``channel`` every day at ``at`` local time (``timezone`` an IANA name; the channel's if None)."""
        self._require_manager(actor, "schedule the daily quiz")
        reply = await self._state_quiz().schedule(channel, at, timezone)
        if self._scheduler is not None:
            await self._scheduler.changed()
        return reply

    async def unschedule(self, channel: ChannelRef, *, actor: Actor) -> Reply:
        self._require_manager(actor, "stop the daily quiz")
        reply = await self._state_quiz().unschedule(channel)
        if self._scheduler is not None:
            await self._scheduler.changed()
        return reply

    async def status(self, channel: ChannelRef) -> Reply:
        return await self._state_quiz().status(channel)

    async def leaderboard(self, channel: ChannelRef, period: Period = Period.WEEK) -> Reply:
        return await self._state_quiz().leaderboard(channel, period)

    async def stats(self, *, actor: Actor | None = None, channel: ChannelRef | None = None) -> Reply:
        """A chart of a student's accuracy (``actor``), or of a channel's participation."""
        if (actor is None) == (channel is None):
            raise ValueError("stats takes an actor or a channel")
        return await self._state_quiz().stats(actor=actor, channel=channel)

    def bank(self) -> QuizBank:
        """The quiz bank this process posts from (the same for every surface)."""
        if self._bank is None:
            raise ConfigError("the quiz bank is not loaded in this process")
        return self._bank

    @property
    def shares_state(self) -> bool:
        """Whether this process opened the database (what replicas share): scores, schedules, handled events."""
        return self._events is not None

    async def first_delivery(self, platform: str, event_id: str) -> bool:
        """True the first time any process of this bot sees ``event_id`` (a platform's retried
        delivery gives False): handle the event only then."""
        if self._events is None:
            raise ConfigError("event de-duplication needs the database, which this process did not open")
        return await self._events.claim(platform, event_id, self._clock())

    # Help and choices --------------------------------------------------------------------

    def help(self) -> Reply:
        return Reply(HELP, title="Study Buddy", visibility=Visibility.PRIVATE)

    @staticmethod
    def timezones(prefix: str = "", limit: int = 25) -> list[str]:
        """IANA zone names matching what a user started typing (for autocomplete)."""
        needle = prefix.strip().lower().replace(" ", "_")
        starts = [z for z in _zones() if z.lower().startswith(needle)]
        inside = [z for z in _zones() if needle in z.lower() and z not in starts]
        return (starts + inside)[:limit]

    # Internals ---------------------------------------------------------------------------

    @staticmethod
    def _require_manager(actor: Actor, what: str) -> None:
        if not actor.can_manage:
            raise UserInputError(f"Only people who can manage this channel can {what}.")

    def _state_quiz(self) -> QuizService:
        if self._quiz is None:
            raise ConfigError("quizzes need the database, which this process did not open")
        return self._quiz

    def _state_asked(self) -> AskStore:
        if self._asked is None:
            raise ConfigError("feedback needs the database, which this process did not open")
        return self._asked
