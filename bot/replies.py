"""The shared vocabulary of the core and every adapter: who, where, what was said before, and the reply.

Adapters build ``Actor``, ``ChannelRef`` and ``Turn`` from platform events, call the facade
(``bot.facade.StudyBuddy``) and render the ``Reply`` it returns. None of these types knows
a platform.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


@dataclass(frozen=True, slots=True)
class Actor:
    """A person on one platform; the same human on Discord and Slack is two actors.

    ``can_manage`` is what the platform says about their rights in the channel (Discord's
    Manage Channels, a Slack admin or a configured user, the terminal's own user): it gates
    changing the channel's daily quiz.
    """

    platform: str  # "discord" | "slack" | "console"
    user_id: str
    display_name: str
    can_manage: bool = False


@dataclass(frozen=True, slots=True)
class ChannelRef:
    """A place replies go: a channel, a DM or a thread's parent channel on one platform."""

    platform: str
    channel_id: str


@dataclass(frozen=True, slots=True)
class Turn:
    """One earlier message of a thread or DM, oldest first, for follow-up questions."""

    text: str
    by_bot: bool = False


class Period(str, Enum):
    WEEK = "week"
    ALL = "all"


class Visibility(str, Enum):
    PUBLIC = "public"  # the whole channel sees it
    PRIVATE = "private"  # only the person who asked (ephemeral / DM)


@dataclass(frozen=True, slots=True)
class Source:
    """A cited note passage: ``[n]`` in the reply text points here."""

    n: int
    title: str
    path: str
    text: str
    score: float


@dataclass(frozen=True, slots=True)
class Button:
    """One clickable choice. ``action_id`` is stable across restarts (<= 100 chars)."""

    action_id: str
    label: str
    style: str = "secondary"  # "primary" | "secondary" | "success" | "danger"


@dataclass(frozen=True, slots=True)
class Image:
    filename: str
    data: bytes  # PNG bytes
    alt: str = ""


@dataclass(frozen=True, slots=True)
class Reply:
    """What the bot says.

    ``text`` uses a small markdown subset every surface can show: ``**bold**``,
    ``*italic*``, `` `code` ``, code blocks, ``- `` bullets and ``[n]`` citations.
    It never contains unneutralised user text: adapters escape mentions when
    rendering, and the core never builds pings.
    """

    text: str
    sources: tuple[Source, ...] = ()
    buttons: tuple[Button, ...] = ()
    image: Image | None = None
    visibility: Visibility = Visibility.PUBLIC
    title: str | None = None
    data: dict | None = field(default=None, compare=False)  # machine-readable payload (--json)
