"""What the core needs from outside: the time, and a way to post into a channel on its own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Protocol

from bot.replies import ChannelRef, Reply

Clock = Callable[[], datetime]  # returns an aware UTC datetime


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Poster(Protocol):
    """Posts a reply into a channel on behalf of the scheduler (daily quizzes and reveals).

    Each platform's adapter implements one and attaches it with ``App.attach(platform, poster)``;
    a process posts only for the platforms it attached.

    ``key`` identifies the post across retries and processes (a slot, a reveal). A platform that
    can de-duplicate on it should (Discord: the message nonce with ``enforce_nonce``), so that a
    send retried after a timeout or a crash shows up once. Return the platform's message id.
    Raise on failure: the scheduler then gives the post back to be retried.
    """

    async def post(self, channel: ChannelRef, reply: Reply, *, key: str | None = None) -> str | None: ...
