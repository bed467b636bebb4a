"""Sending rendered replies: as the answer to an interaction, or into a channel, thread or DM.

An interaction is acknowledged within Discord's 3 seconds (``ack``: "thinking…", public or
ephemeral as the command expects) and then answered with follow-ups. Discord fixes a
deferred answer's visibility at the deferral, so a private reply (an error, a refusal) after a
public "thinking…" removes that message and answers ephemerally instead: others never see a
message meant for one person.

Answers can be streamed (``stream``): with a language model configured the core yields
partial replies while the model writes, and the first one is sent like any reply, then that
one message is edited for each later reply, the last edit carrying the whole answer (embed,
sources, buttons). Without a model the core yields only the final reply, which is sent
exactly as ``send`` sends it: the same calls as before streaming existed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import AsyncIterator
from contextlib import aclosing

import discord

from adapters.discord.render import Outgoing, render
from adapters.partial import close_markup
from bot.replies import Reply, Visibility

log = logging.getLogger(__name__)

# Seconds between two edits of a streamed answer. Discord publishes no fixed number for edits;
# its buckets (seen in X-RateLimit headers) allow about 5 per 5 s on a channel's messages,
# shared with the sends there, so one edit a second per answer leaves room for the rest.
EDIT_INTERVAL = 1.0


def _partial(reply: Reply) -> bool:
    return bool((reply.data or {}).get("partial"))


def partial_message(reply: Reply, *, embed: bool) -> Outgoing | None:
    """The one message showing a partial reply: its open markup closed, within one message's
    limits (a long answer shows its first part until the final reply), or None while it is blank."""
    text = close_markup(reply.text or "")
    if not text.strip():
        return None
    return render(dataclasses.replace(reply, text=text, sources=(), buttons=(), image=None), embed=embed)[0]


class _Streamed:
    """Showing a stream of replies in one message that is edited as the answer grows."""

    async def send(self, reply: Reply, *, embed: bool = False) -> list[discord.Message]:
        raise NotImplementedError

    async def _post(self, out: Outgoing, reply: Reply, *, first: bool = True) -> discord.Message | None:
        raise NotImplementedError

    def _private(self, reply: Reply) -> bool:
        return False

    async def stream(self, replies: AsyncIterator[Reply], *, embed: bool = False) -> list[discord.Message]:
        """Show the partial replies in one message, edited, then the final reply in its place.

        An edit Discord refuses (the message was deleted: 404) stops the edits, and the final
        reply is then sent as a new message; 429s are waited out by discord.py itself. If the
        work fails after a partial was shown, that half answer is removed before the error
        propagates to the one error boundary.
        """
        shown: discord.Message | None = None
        shown_private = False
        broken = False  # an edit failed: no more edits, the final reply goes out as a new message
        final: Reply | None = None
        async with aclosing(replies):
            try:
                async for reply in replies:
                    if not _partial(reply):
                        final = reply  # the last one: the stream then ends by itself
                        continue
                    out = partial_message(reply, embed=embed)
                    if out is None or broken:
                        continue
                    if shown is None:
                        shown_private = self._private(reply)
                        try:
                            shown = await self._post(out, reply)
                        except discord.HTTPException as exc:
                            log.info("could not show a partial answer (%s): the final one will be sent", exc)
                            broken = True
                        continue
                    broken = not await _edit(shown, out)
            except Exception:
                if shown is not None and not broken:
                    with contextlib.suppress(discord.HTTPException):
                        await shown.delete()  # a half-written answer must not look like the answer
                raise
        if final is None:
            raise RuntimeError("the reply stream ended without a final reply")
        return await self._finish(final, shown, shown_private, broken, embed=embed)

    async def _finish(self, reply: Reply, shown: discord.Message | None, shown_private: bool, broken: bool, *,
                      embed: bool) -> list[discord.Message]:
        if shown is None or broken:
            return await self.send(reply, embed=embed)
        if self._private(reply) != shown_private:
            # Visibility is fixed when a message is sent: remove the streamed one, send the final anew.
            with contextlib.suppress(discord.HTTPException):
                await shown.delete()
            return await self.send(reply, embed=embed)
        first, *rest = render(reply, embed=embed)
        if not await _edit(shown, first):
            return await self.send(reply, embed=embed)
        sent = [shown]
        for out in rest:
            message = await self._post(out, reply, first=False)
            if message is not None:
                sent.append(message)
        return sent


async def _edit(message: discord.Message, out: Outgoing) -> bool:
    """Replace ``message``'s content with ``out``; False when Discord refused (it was deleted)."""
    try:
        await message.edit(**out.edit_kwargs())
        return True
    except discord.HTTPException as exc:
        log.info("could not edit streamed answer %s (%s)", message.id, exc)
        return False


class InteractionReplies(_Streamed):
    """Answers one interaction. ``private``: only the person who acted sees the answer."""

    def __init__(self, interaction: discord.Interaction, *, private: bool) -> None:
        self.interaction = interaction
        self.private = private
        self._thinking = False  # a deferred "thinking…" message waits for its first follow-up

    async def ack(self) -> None:
        """Acknowledge now (the work may take longer than Discord's 3 seconds)."""
        if not self.interaction.response.is_done():
            await self.interaction.response.defer(ephemeral=self.private, thinking=True)
            self._thinking = True

    def _private(self, reply: Reply) -> bool:
        return self.private or reply.visibility is Visibility.PRIVATE

    async def send(self, reply: Reply, *, embed: bool = False) -> list[discord.Message]:
        sent: list[discord.Message] = []
        for out in render(reply, embed=embed):
            message = await self._post(out, reply)
            if message is not None:
                sent.append(message)
        return sent

    async def _post(self, out: Outgoing, reply: Reply, *, first: bool = True) -> discord.Message | None:
        private = self._private(reply)
        kwargs = out.kwargs()
        response = self.interaction.response
        if not response.is_done():
            callback = await response.send_message(**kwargs, ephemeral=private)
            return callback.resource if isinstance(callback.resource, discord.Message) else None
        if self._thinking and private and not self.private:
            # A public "thinking…" cannot turn private: remove it, then answer ephemerally.
            await self.interaction.delete_original_response()
        self._thinking = False
        return await self.interaction.followup.send(**kwargs, ephemeral=private, wait=True)


class ChannelReplies(_Streamed):
    """Answers a message in a channel, thread or DM; the first part replies to ``reference``."""

    def __init__(self, channel: discord.abc.Messageable, reference: discord.Message | None = None) -> None:
        self.channel = channel
        self.reference = reference

    async def send(self, reply: Reply, *, embed: bool = False) -> list[discord.Message]:
        return [await self._post(out, reply, first=i == 0) for i, out in enumerate(render(reply, embed=embed))]

    async def _post(self, out: Outgoing, reply: Reply, *, first: bool = True) -> discord.Message:
        kwargs = out.kwargs()
        if first and self.reference is not None:
            kwargs.update(reference=self.reference.to_reference(fail_if_not_exists=False), mention_author=False)
        return await self.channel.send(**kwargs)


async def send_with_key(channel: discord.abc.Messageable, reply: Reply, key: str | None) -> list[discord.Message]:
    """Post ``reply`` with ``key`` as the message nonce (``enforce_nonce``): a send retried after a
    timeout, or by another process that took the slot over, returns the first message instead of
    posting a second. Each part of a split reply gets its own nonce (at most 25 characters)."""
    sent = []
    for i, out in enumerate(render(reply)):
        nonce = None if key is None else (key if i == 0 else f"{key[:22]}.{i}")
        sent.append(await channel.send(**out.kwargs(), nonce=nonce))
    return sent
