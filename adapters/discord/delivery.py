"""Sending rendered replies: as the answer to an interaction, or into a channel, thread or DM.

An interaction is acknowledged within Discord's 3 seconds (``ack``: "thinking…", public or
ephemeral as the command expects) and then answered with follow-ups. Discord fixes a
deferred answer's visibility at the deferral, so a private reply (an error, a refusal) after a
public "thinking…" removes that message and answers ephemerally instead: others never see a
message meant for one person.
"""

from __future__ import annotations

import logging

import discord

from adapters.discord.render import render
from bot.replies import Reply, Visibility

log = logging.getLogger(__name__)


class InteractionReplies:
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

    async def send(self, reply: Reply, *, embed: bool = False) -> list[discord.Message]:
        private = self.private or reply.visibility is Visibility.PRIVATE
        sent: list[discord.Message] = []
        for out in render(reply, embed=embed):
            kwargs = out.kwargs()
            response = self.interaction.response
            if not response.is_done():
                callback = await response.send_message(**kwargs, ephemeral=private)
                if isinstance(callback.resource, discord.Message):
                    sent.append(callback.resource)
                continue
            if self._thinking and private and not self.private:
                # A public "thinking…" cannot turn private: remove it, then answer ephemerally.
                await self.interaction.delete_original_response()
            self._thinking = False
            sent.append(await self.interaction.followup.send(**kwargs, ephemeral=private, wait=True))
        return sent


class ChannelReplies:
    """Answers a message in a channel, thread or DM; the first part replies to ``reference``."""

    def __init__(self, channel: discord.abc.Messageable, reference: discord.Message | None = None) -> None:
        self.channel = channel
        self.reference = reference

    async def send(self, reply: Reply, *, embed: bool = False) -> list[discord.Message]:
        sent = []
        for out in render(reply, embed=embed):
            kwargs = out.kwargs()
            if not sent and self.reference is not None:
                kwargs.update(reference=self.reference.to_reference(fail_if_not_exists=False), mention_author=False)
            sent.append(await self.channel.send(**kwargs))
        return sent


async def send_with_key(channel: discord.abc.Messageable, reply: Reply, key: str | None) -> list[discord.Message]:
    """Post ``reply`` with ``key`` as the message nonce (``enforce_nonce``): a send retried after a
    timeout, or by another process that took the slot over, returns the first message instead of
    posting a second. Each part of a split reply gets its own nonce (at most 25 characters)."""
    sent = []
    for i, out in enumerate(render(reply)):
        nonce = None if key is None else (key if i == 0 else f"{key[:22]}.{i}")
        sent.append(await channel.send(**out.kwargs(), nonce=nonce))
    return sent
