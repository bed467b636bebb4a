"""Helpers for the Discord tests: run the bot as ``studybuddy run`` does, and read what it sent."""

from __future__ import annotations

import asyncio
import contextlib

from tests.fakes.discord_server import EPHEMERAL, FakeDiscord


@contextlib.asynccontextmanager
async def running(app, fake: FakeDiscord):
    """``serve(app)`` as ``studybuddy run`` starts it, until the client holds a new gateway session."""
    from adapters.discord import serve

    identified = len(fake.identifies)
    task = asyncio.create_task(serve(app))
    fake.watch(task)
    ready = asyncio.create_task(fake.wait_ready(after=identified))
    done, _ = await asyncio.wait({task, ready}, return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        ready.cancel()
        with contextlib.suppress(BaseException):
            await ready
        task.result()  # raises what stopped the bot
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def buttons(message: dict) -> list[dict]:
    return [b for row in message.get("components") or [] for b in row.get("components") or []]


def button(message: dict, label_start: str) -> str:
    """The custom_id of the button whose label starts with ``label_start``."""
    for b in buttons(message):
        if b["label"].startswith(label_start):
            return b["custom_id"]
    raise KeyError(f"no button {label_start!r} in {[b['label'] for b in buttons(message)]}")


def text(message: dict) -> str:
    """What a reader sees: content and every embed's title and description."""
    parts = [message.get("content") or ""]
    for e in message.get("embeds") or []:
        parts += [e.get("title") or "", e.get("description") or ""]
    return "\n".join(p for p in parts if p)


def ephemeral(message: dict) -> bool:
    return bool(message["flags"] & EPHEMERAL)


def bot_messages(fake: FakeDiscord, channel_id: str | None = None) -> list[dict]:
    return [m for m in fake.history(channel_id) if m["author"]["id"] == fake.bot["id"]]
