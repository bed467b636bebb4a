"""The platform-neutral reply every core call returns; adapters render it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


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
