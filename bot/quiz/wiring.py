"""Builds the quiz service and its scheduler from settings; used by the CLI's terminal chat.

The bank comes from ``knowledge.quizbank`` (generated from the notes); posted quizzes keep
their own snapshot, so a rebuilt bank never breaks a reveal or a review card.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta

from bot.config import Settings
from bot.quiz.scheduler import QuizScheduler
from bot.quiz.service import QuizService
from bot.quiz.types import ChannelRef, Clock, Poster, utc_now
from bot.replies import Reply
from bot.storage import Database, upgrade
from knowledge.types import QuizItem

log = logging.getLogger(__name__)


def bank_from_notes(knowledge) -> list[QuizItem]:
    """Generate the quiz bank from the knowledge base's notes (blocking: run it in a thread)."""
    from knowledge.notes import load_chunks
    from knowledge.quizbank import build_quiz_bank

    # With the embedding model at hand, distractors are chosen by closeness in meaning.
    items = build_quiz_bank(load_chunks(knowledge.notes_dir), embedder=getattr(knowledge, "embedder", None))
    log.info("quiz bank: %d items", len(items))
    return items


async def build_quiz_service(settings: Settings, bank: list[QuizItem], *, clock: Clock = utc_now) -> QuizService:
    """Migrate the database (safe at every start) and return a QuizService on it."""
    await upgrade(settings.sqlalchemy_url)
    return QuizService(
        Database.from_url(settings.sqlalchemy_url),
        bank,
        clock=clock,
        close_after=timedelta(minutes=settings.quiz_close_minutes),
    )


async def start_scheduler(service: QuizService, settings: Settings, poster: Poster) -> QuizScheduler:
    """Rebuild the daily jobs from the database, catch up missed slots, start the timers."""
    scheduler = QuizScheduler(service, poster, grace=timedelta(minutes=settings.quiz_grace_minutes))
    await scheduler.start()
    service.scheduler = scheduler
    return scheduler


class PrintPoster:
    """The terminal's outbound port: scheduled quizzes and reveals are printed in the chat."""

    def __init__(self, show: Callable[[Reply], None]) -> None:
        self.show = show

    async def post(self, channel: ChannelRef, reply: Reply) -> str | None:
        self.show(reply)
        return None


async def start_console_quiz(settings: Settings, knowledge, console, show: Callable[[Reply], None] | None = None):
    """QuizService + scheduler for the terminal chat. ``show`` renders a reply (defaults to
    printing its text on the rich ``console``; pass the console adapter's renderer)."""
    bank = await asyncio.to_thread(bank_from_notes, knowledge)
    service = await build_quiz_service(settings, bank)
    await start_scheduler(service, settings, PrintPoster(show or (lambda reply: console.print(reply.text))))
    return service


async def stop(service: QuizService) -> None:
    if service.scheduler is not None:
        await service.scheduler.stop()
        service.scheduler = None
    await service.db.dispose()
