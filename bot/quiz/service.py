"""QuizService: the platform-neutral quiz core. Every method returns ``Reply`` objects.

Internal to ``bot``: adapters reach it through the facade (``bot.facade.StudyBuddy``), which
also tells the scheduler about schedule changes. One quiz is open per channel at a time: a
new one is refused while one is open (``quiz now``) or closes it first (the daily post), so
a bare number typed in a terminal and every button always mean one known quiz.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Sequence
from datetime import datetime, time, timedelta

from bot.actions import QuizAction, ReviewAction, parse_action
from bot.errors import UserInputError
from bot.ports import Clock, utc_now
from bot.quiz import render
from bot.quiz.picker import RECENT_WINDOW, pick_item
from bot.quiz.review import Reviewer
from bot.quiz.streaks import best_streak, current_streak
from bot.quiz.timing import local_date, next_fire, week_start
from bot.quiz.timing import zone as _tz
from bot.replies import Actor, ChannelRef, Image, Period, Reply
from bot.storage.engine import Database
from bot.storage.quizzes import ChannelRow, QuizStore
from bot.storage.reports import ReportStore
from bot.storage.reviews import ReviewStore
from bot.storage.schedules import ScheduleStore
from knowledge.text import section_key
from knowledge.types import QuizItem

log = logging.getLogger(__name__)

# Daily quizzes close this long before the next one, so the reveal precedes the new question.
CLOSE_BEFORE_NEXT = timedelta(minutes=1)


def _item_row(item: QuizItem) -> dict:
    row = {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
    row["options"] = list(item.options)
    return row


class QuizService:
    def __init__(
        self,
        db: Database,
        bank: Sequence[QuizItem] = (),
        *,
        clock: Clock = utc_now,
        close_after: timedelta = timedelta(hours=23),
        reviewer: Reviewer | None = None,
    ) -> None:
        self.db = db
        self.bank: Sequence[QuizItem] = bank
        self.clock = clock
        self.close_after = close_after
        self.reviewer = reviewer or Reviewer()
        self.quizzes = QuizStore(db)
        self.schedules = ScheduleStore(db)
        self.reviews = ReviewStore(db)
        self.reports = ReportStore(db)

    async def channel(self, channel: ChannelRef) -> ChannelRow:
        return await self.quizzes.channel(channel.platform, channel.channel_id)

    # Posting -----------------------------------------------------------------------------

    async def post_quiz(self, channel: ChannelRef) -> Reply:
        """``quiz now``: a new quiz for the channel, returned for the caller to post.

        Refused while the channel has an open quiz, so answers never attach to a hidden one.
        """
        row = await self.channel(channel)
        now = self.clock()
        open_quiz = await self.quizzes.latest_open(row.id, now)
        if open_quiz is not None:
            closes = open_quiz.closes_at.astimezone(_tz(row.timezone)).strftime("%a %H:%M")
            raise UserInputError(
                f"Quiz #{open_quiz.id} is still open here (it closes {closes}): answer it first, "
                "or close it with `/quiz close` to see the answer."
            )
        made = await self.create_quiz(row, kind="manual", now=now)
        if made is None:
            raise UserInputError("There are no quiz questions yet: the notes produced none.")
        return made[1]

    async def open_quiz(self, channel: ChannelRef) -> int | None:
        """The id of the channel's open quiz, if any."""
        quiz = await self.quizzes.latest_open((await self.channel(channel)).id, self.clock())
        return quiz.id if quiz is not None else None

    async def create_quiz(
        self, row: ChannelRow, *, kind: str, now: datetime, slot_date=None
    ) -> tuple[int, Reply] | None:
        """Pick an item and store a quiz for it; (quiz id, question reply), or None with no bank."""
        recent = await self.quizzes.recent_items(row.id, RECENT_WINDOW)
        day = slot_date or local_date(now, row.timezone)
        item = pick_item(self.bank, recent, seed=f"{row.id}:{day.isoformat()}")
        if item is None:
            return None
        closes_at = now + self.close_after
        sched = await self.schedules.get(row.id)
        if sched is not None:
            closes_at = min(closes_at, next_fire(sched.hour, sched.minute, sched.timezone, now) - CLOSE_BEFORE_NEXT)
        closes_at = max(closes_at, now + timedelta(minutes=1))
        quiz_id = await self.quizzes.create_quiz(row.id, _item_row(item), kind, day, now, closes_at)
        quiz = await self.quizzes.get(quiz_id)
        return quiz_id, render.question(quiz_id, quiz.item, kind, self._closes_text(closes_at, row.timezone))

    async def question_reply(self, quiz_id: int) -> Reply:
        """The quiz's question as first posted (to send it again under the same key)."""
        quiz = await self.quizzes.get(quiz_id)
        if quiz is None:
            raise LookupError(f"quiz {quiz_id} is gone")
        return render.question(quiz.id, quiz.item, quiz.kind, self._closes_text(quiz.closes_at, quiz.channel.timezone))

    def _closes_text(self, closes_at: datetime, tz: str) -> str:
        return f"{closes_at.astimezone(_tz(tz)):%a %H:%M} ({tz})"

    async def discard_unsent(self, quiz_id: int) -> None:
        """Forget a quiz that was never confirmed posted, so it neither blocks the channel nor gets revealed."""
        quiz = await self.quizzes.get(quiz_id)
        if quiz is not None and quiz.message_id is None:
            await self.quizzes.delete_quiz(quiz_id)

    # Answering ---------------------------------------------------------------------------

    async def answer(self, actor: Actor, action_id: str) -> Reply:
        """A button click: a quiz answer or a review answer. Always a private reply."""
        action = parse_action(action_id)
        if isinstance(action, QuizAction):
            return await self._answer_quiz(actor, action)
        if isinstance(action, ReviewAction):
            return await self._answer_review(actor, action)
        return render.private("That button is no longer valid.")

    async def answer_open(self, actor: Actor, channel: ChannelRef, number: int) -> Reply:
        """Answer the channel's open quiz by 1-based number (the terminal, other text surfaces)."""
        row = await self.channel(channel)
        quiz = await self.quizzes.latest_open(row.id, self.clock())
        if quiz is None:
            raise UserInputError("There is no open quiz here. Start one with `/quiz now`.")
        if not 1 <= number <= len(quiz.item.options):
            raise UserInputError(f"Answer quiz #{quiz.id} with a number from 1 to {len(quiz.item.options)}.")
        return await self._answer_quiz(actor, QuizAction(quiz.id, number - 1))

    async def answer_review_number(self, actor: Actor, number: int) -> Reply:
        """Answer the review card ``review`` shows (always the most overdue one) by 1-based number."""
        _count, cards = await self.reviews.due(actor.platform, actor.user_id, self.clock())
        if not cards:
            return await self.review(actor)
        card = cards[0]
        if not 1 <= number <= len(card.item.options):
            raise UserInputError(f"Pick a number from 1 to {len(card.item.options)}.")
        return await self._answer_review(actor, ReviewAction(card.id, card.reviews, number - 1))

    async def _answer_quiz(self, actor: Actor, action: QuizAction) -> Reply:
        out = await self.quizzes.record_answer(
            actor.platform,
            actor.user_id,
            actor.display_name,
            action.quiz_id,
            action.option,
            self.clock(),
            self.reviewer.on_miss,
        )
        if out.status == "unknown":
            return render.private("That quiz no longer exists.")
        if out.status == "closed":
            newer = await self.quizzes.latest_open(out.quiz.channel.id, self.clock())
            return render.closed(out.quiz.item, newer=newer.id if newer and newer.id != out.quiz.id else None)
        again = out.status == "duplicate"
        comes_back = None
        if not out.correct and not again:  # the write that recorded the miss knows its card's due time
            comes_back = out.due or await self.reviews.due_of(actor.platform, actor.user_id, out.quiz.item.id)
        return render.answered(out.quiz.item, out.option, out.correct, again=again, comes_back=comes_back,
                               now=self.clock(), tz=out.quiz.channel.timezone)

    # Reveals -----------------------------------------------------------------------------

    async def reveal(self, quiz_id: int) -> Reply:
        quiz = await self.quizzes.get(quiz_id)
        if quiz is None:
            raise UserInputError("That quiz no longer exists.")
        return render.reveal(quiz_id, quiz.item, await self.quizzes.option_counts(quiz_id), quiz.message_id)

    async def close_open(self, channel: ChannelRef) -> Reply:
        """Close the channel's open quiz now and return its reveal."""
        row = await self.channel(channel)
        quiz = await self.quizzes.latest_open(row.id, self.clock())
        if quiz is None or not await self.quizzes.close_now(quiz.id, self.clock()):
            raise UserInputError("There is no open quiz here. Start one with `/quiz now`.")
        return await self.reveal(quiz.id)

    async def close_open_quiz(self, channel: ChannelRef) -> int | None:
        """Close the channel's open quiz now (a new one replaces it); its id, for the reveal."""
        row = await self.channel(channel)
        quiz = await self.quizzes.latest_open(row.id, self.clock())
        if quiz is not None and await self.quizzes.close_now(quiz.id, self.clock()):
            return quiz.id
        return None

    # Leaderboard and stats ---------------------------------------------------------------

    async def leaderboard(self, channel: ChannelRef, period: Period = Period.WEEK) -> Reply:
        row = await self.channel(channel)
        now = self.clock()
        since = week_start(now, row.timezone) if period is Period.WEEK else None
        scores = await self.reports.scores(row.id, since)
        days = await self.reports.correct_days(row.id, [s.person_id for s in scores])
        today = local_date(now, row.timezone)
        title = "Leaderboard — this week" if period is Period.WEEK else "Leaderboard — all time"
        rows = [
            render.Standing(rank, s.display_name, s.points, s.answered, current_streak(days[s.person_id], today),
                            best_streak(days[s.person_id]), s.person_id)
            for rank, s in enumerate(scores, 1)
        ]
        return render.leaderboard(title, rows)

    async def streak(self, actor: Actor, channel: ChannelRef) -> int:
        row = await self.channel(channel)
        pid = await self.reports.person_id(actor.platform, actor.user_id)
        if pid is None:
            return 0
        days = await self.reports.correct_days(row.id, [pid])
        return current_streak(days[pid], local_date(self.clock(), row.timezone))

    async def stats(self, actor: Actor | None = None, channel: ChannelRef | None = None) -> Reply:
        """A student's accuracy over time (``actor``), else a channel's participation."""
        from bot.quiz import charts  # matplotlib costs half a second to import: only for charts

        if actor is not None:
            pid = await self.reports.person_id(actor.platform, actor.user_id)
            days = await self.reports.person_days(pid) if pid is not None else []
            if not days:
                return render.private("No answers yet: try `/quiz now`.")
            name = render.safe_name(actor.display_name)
            png = await asyncio.to_thread(charts.accuracy_png, days, name)
            answered, correct = sum(d.answered for d in days), sum(d.correct for d in days)
            text = f"**{name}**: {correct}/{answered} correct ({round(100 * correct / answered)}%)."
            return dataclasses.replace(
                render.private(text, answered=answered, correct=correct),
                image=Image("accuracy.png", png, f"Quiz accuracy of {name} by day"),
            )
        if channel is None:
            raise ValueError("stats needs an actor or a channel")
        days = await self.reports.channel_days((await self.channel(channel)).id)
        if not days:
            return Reply(text="No quizzes in this channel yet.")
        png = await asyncio.to_thread(charts.participation_png, days)
        return Reply(
            text=f"{len(days)} quiz day(s), {sum(d.answered for d in days)} answers.",
            image=Image("participation.png", png, "Quiz participation by day"),
            data={"days": len(days)},
        )

    # Review ------------------------------------------------------------------------------

    async def review(self, actor: Actor) -> Reply:
        """The student's most overdue card, privately, or when the next one is due."""
        now = self.clock()
        count, cards = await self.reviews.due(actor.platform, actor.user_id, now)
        if not cards:
            total = await self.reviews.total(actor.platform, actor.user_id)
            return render.nothing_to_review(total, await self.reviews.next_due(actor.platform, actor.user_id), now)
        card = cards[0]
        return render.review_card(card.id, card.reviews, card.item, count)

    async def _answer_review(self, actor: Actor, action: ReviewAction) -> Reply:
        card = await self.reviews.get(action.card_id, actor.platform, actor.user_id)
        if card is None:
            return render.private("That review card is not yours or no longer exists.")
        if card.reviews != action.version:
            return render.private("You already answered this review.")
        now = self.clock()
        correct = action.option == card.item.answer
        new = self.reviewer.on_review(card.card, correct, now)
        if not await self.reviews.apply(card.id, action.version, new, now):
            return render.private("You already answered this review.")
        result = render.review_answered(card.item, action.option, correct, datetime.fromisoformat(new["due"]), now)
        nxt = await self.review(actor)
        if not nxt.buttons:
            return result  # "you will see this card again …" says it all
        return dataclasses.replace(result, text=f"{result.text}\n\n---\n\n{nxt.text}", buttons=nxt.buttons,
                                   title=nxt.title)

    async def quiz_me(self, actor: Actor, section_titles: Sequence[str]) -> Reply:
        """A private quiz card on one of these note sections (the sections an answer cited).

        The card joins the person's review deck, so what they miss comes back later.
        """
        wanted = list(dict.fromkeys(section_titles))
        keys = {section_key(t) for t in wanted}
        items = [i for t in wanted for i in self.bank if i.source_title == t]
        items += [i for i in self.bank if section_key(i.source_title) in keys and i not in items]
        if not items:
            return render.private("I have no quiz question on that part of the notes yet.")
        have = await self.reviews.items_with_cards(actor.platform, actor.user_id)
        item = next((i for i in items if i.id not in have), items[0])
        now = self.clock()
        card = await self.reviews.ensure_card(
            actor.platform, actor.user_id, actor.display_name, _item_row(item), self.reviewer.new_card(now), now
        )
        return render.review_card(card.id, card.reviews, card.item, 1, title="Quiz me")

    def has_items_for(self, section_titles: Sequence[str]) -> bool:
        keys = {section_key(t) for t in section_titles}
        return any(section_key(i.source_title) in keys for i in self.bank)

    # Schedules ---------------------------------------------------------------------------

    async def schedule(self, channel: ChannelRef, at: time, timezone: str | None = None) -> Reply:
        """A daily quiz at ``at`` local time in ``timezone`` (the channel's, when None)."""
        row = await self.channel(channel)
        tz = timezone or row.timezone
        _tz(tz)  # an unknown zone is the user's mistake: say so before storing anything
        hour, minute = at.hour, at.minute
        now = self.clock()
        await self.schedules.set(row.id, hour, minute, tz, now)
        nxt = next_fire(hour, minute, tz, now).astimezone(_tz(tz))
        return Reply(
            text=f"Daily quiz scheduled at **{hour:02d}:{minute:02d}** ({tz}). Next: {nxt:%a %d %b %H:%M}.",
            data={"hour": hour, "minute": minute, "timezone": tz},
        )

    async def unschedule(self, channel: ChannelRef) -> Reply:
        row = await self.channel(channel)
        removed = await self.schedules.remove(row.id)
        return Reply(text="Daily quiz unscheduled." if removed else "There was no daily quiz scheduled here.")

    async def status(self, channel: ChannelRef) -> Reply:
        row = await self.channel(channel)
        now = self.clock()
        sched = await self.schedules.get(row.id)
        lines = []
        if sched is None:
            lines.append("No daily quiz here. Set one with `/quiz schedule 09:00 Europe/Paris`.")
        else:
            nxt = next_fire(sched.hour, sched.minute, sched.timezone, now).astimezone(_tz(sched.timezone))
            lines.append(
                f"Daily quiz at **{sched.hour:02d}:{sched.minute:02d}** ({sched.timezone}); next {nxt:%a %d %b %H:%M}."
            )
        quiz = await self.quizzes.latest_open(row.id, now)
        if quiz is not None:
            closes = quiz.closes_at.astimezone(_tz(row.timezone))
            lines.append(f"Open quiz #{quiz.id} closes {closes:%a %H:%M}.")
        return Reply(text="\n".join(lines), data={"scheduled": sched is not None, "open_quiz": quiz and quiz.id})
