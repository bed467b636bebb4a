"""Who and where, the injected clock, and the outbound port adapters implement for the scheduler."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Protocol

from bot.replies import Reply

Clock = Callable[[], datetime]  # returns an aware UTC datetime


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True, slots=True)
class Actor:
    """A person on one platform; the same human on Discord and Slack is two actors."""

    platform: str  # "discord" | "slack" | "console"
    user_id: str
    display_name: str


@dataclass(frozen=True, slots=True)
class ChannelRef:
    platform: str
    channel_id: str


class Poster(Protocol):
    """Posts a reply into a channel on behalf of the scheduler; returns the platform message id.

    Raise on failure: the scheduler then releases its claim so the slot is retried.
    """

    async def post(self, channel: ChannelRef, reply: Reply) -> str | None: ...
