"""The Discord client: start-up (buttons, command sync, the scheduler's poster) and the one error boundary.

Events come in three kinds, each turned into core calls and rendered replies:
- slash commands and context menus (``adapters.discord.commands``),
- button clicks, all routed by the ``sb1:`` prefix to ``on_action`` (``adapters.discord.buttons``),
- messages: a mention, a DM, or a follow-up in a thread the bot started (``adapters.discord.messages``).
Every one of them runs inside ``guard``, the only place this adapter calls ``error_reply``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import discord
from discord import app_commands

from adapters.discord import commands, messages
from adapters.discord.buttons import ActionButton, closed_view
from adapters.discord.delivery import EDIT_INTERVAL, ChannelReplies, InteractionReplies, send_with_key
from adapters.discord.endpoints import resolve_gateway
from adapters.discord.identity import PLATFORM, actor_of, channel_of
from bot.app import App
from bot.errors import ConfigError, error_reply
from bot.replies import ChannelRef, Reply

log = logging.getLogger(__name__)

CLOSED_FOOTER = "Closed — the answer is revealed below."
INVITE_HELP = ("re-invite the bot with the `bot` and `applications.commands` scopes (see the README's "
               "Discord section), or fix STUDYBUDDY_DISCORD_GUILD_IDS")

Replies = InteractionReplies | ChannelReplies


def wanted_intents(*, message_content: bool = True) -> discord.Intents:
    """Only what the bot reads: servers and channels, messages in them and in DMs (and their text)."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.message_content = message_content
    return intents


class StudyBuddyBot(discord.Client):
    def __init__(self, app: App, *, intents: discord.Intents, **client_options) -> None:
        super().__init__(intents=intents, allowed_mentions=discord.AllowedMentions.none(),
                         chunk_guilds_at_startup=False, max_messages=500, **client_options)
        self.app = app
        self.buddy = app.buddy
        self.settings = app.settings
        self.tree = app_commands.CommandTree(self)
        self.tree.error(self._on_command_error)
        commands.install(self.tree, self)
        self.poster = DiscordPoster(self)

    # Start-up ------------------------------------------------------------------------------

    async def setup_hook(self) -> None:
        """Logged in, not yet connected: buttons, gateway, commands, then scheduled posts."""
        self.add_dynamic_items(ActionButton)
        if self.settings.discord_api_base and not self.settings.discord_gateway:
            await resolve_gateway(self.http)
        await self._sync_commands()
        if self.app.scheduler is not None:
            # Sends go over REST, so posting can start before the gateway is up; catch-up first.
            await self.app.attach(PLATFORM, self.poster)

    async def _sync_commands(self) -> None:
        """Guild ids (development): their commands update at once. Otherwise global commands.

        With shards spread over processes, only the process running shard 0 syncs: a sync replaces
        the whole command list, and one writer is enough.
        """
        shard_ids = getattr(self, "shard_ids", None)
        if shard_ids is not None and 0 not in shard_ids:
            log.info("commands are synced by the process running shard 0")
            return
        try:
            if self.settings.discord_guild_ids:
                for guild_id in self.settings.discord_guild_ids:
                    guild = discord.Object(id=guild_id)
                    self.tree.copy_global_to(guild=guild)
                    synced = await self.tree.sync(guild=guild)
                    log.info("synced %d commands to guild %d", len(synced), guild_id)
            else:
                synced = await self.tree.sync()
                log.info("synced %d global commands", len(synced))
        except discord.Forbidden as exc:
            raise ConfigError(f"Discord refused to register the slash commands ({exc.status} {exc.text}): "
                              f"{INVITE_HELP}") from None

    # The one error boundary ------------------------------------------------------------------

    async def guard(self, out: Replies, work: Callable[[], Awaitable[None]], context: str) -> None:
        """Run ``work``; whatever it raises becomes one private reply to the person who acted.

        Order: (1) ``work`` runs and sends its own replies; (2) an exception while the client is
        shutting down is only logged (the connection is gone); (3) any other exception (a user
        mistake, the setup, a bug, Discord refusing a send) goes to ``error_reply``, which words
        it and logs what the operator needs; (4) that reply is sent through the same channel,
        and if even that fails (the interaction expired, the channel vanished) it is logged, once.
        """
        try:
            await work()
        except Exception as exc:
            if self.is_closed():
                log.info("stopped while handling %s: %s", context, exc)  # shutting down: no one left to tell
                return
            reply = error_reply(exc, context=f"discord {context}")
            try:
                await out.send(reply)
            except Exception as send_exc:
                log.warning("could not deliver an error reply (%s): %s", context, send_exc)

    async def answer_interaction(self, interaction: discord.Interaction, work: Callable[[InteractionReplies], Awaitable[None]],
                                  *, private: bool, context: str) -> None:
        """Acknowledge the interaction now, then run ``work`` inside the boundary."""
        out = InteractionReplies(interaction, private=private)

        async def run() -> None:
            await out.ack()
            await work(out)

        await self.guard(out, run, context)

    async def _on_command_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        # Errors discord.py raises before a command runs (an option it could not convert).
        original = getattr(error, "original", error)

        async def fail(_out: InteractionReplies) -> None:
            raise original

        await self.answer_interaction(interaction, fail, private=True, context="command options")

    # Buttons -----------------------------------------------------------------------------------

    async def on_action(self, interaction: discord.Interaction, action_id: str) -> None:
        """A click on any core button: the core decides; the answer is for the clicker only.
        "Simpler" / "Deeper" / "Example" written by a model appear as they are written (an
        ephemeral follow-up can be edited like any other); other buttons give one reply."""
        async def work(out: InteractionReplies) -> None:
            await out.stream(self.buddy.press_stream(actor_of(interaction), channel_of(interaction), action_id,
                                                     min_interval=EDIT_INTERVAL))

        await self.answer_interaction(interaction, work, private=True, context=f"button {action_id}")

    # Messages ----------------------------------------------------------------------------------

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or self.user is None:
            return
        question = messages.question_in(message, self.user)
        if question is None:
            return
        out = ChannelReplies(message.channel, reference=message)

        async def work() -> None:
            await messages.answer(self, message, question, out)

        await self.guard(out, work, "message")

    # Quizzes on Discord ----------------------------------------------------------------------

    async def show_closed(self, channel_id: str, message_id: str | None) -> None:
        """Mark a quiz message closed: its buttons disabled, a footer pointing at the reveal."""
        if not message_id:
            return
        channel = self.get_partial_messageable(int(channel_id))
        try:
            message = await channel.fetch_message(int(message_id))
            embeds = message.embeds[:1]
            if embeds:
                embeds[0].set_footer(text=CLOSED_FOOTER)
            await message.edit(embeds=embeds, view=closed_view(message), allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException as exc:
            # The reveal itself is out; a quiz message that was deleted or is out of reach stays as it is.
            log.warning("could not mark quiz message %s closed: %s", message_id, exc)


class DiscordPoster:
    """The scheduler's way into Discord channels: daily quizzes and their reveals."""

    def __init__(self, client: StudyBuddyBot) -> None:
        self.client = client

    async def post(self, channel: ChannelRef, reply: Reply, *, key: str | None = None) -> str | None:
        if self.client.is_closed():
            # The scheduler gives the slot back; the next client of this process attaches its own poster.
            raise ConnectionError("the Discord client is closed")
        target = self.client.get_partial_messageable(int(channel.channel_id))
        sent = await send_with_key(target, reply, key)
        data = reply.data or {}
        if data.get("reveal"):
            await self.client.show_closed(channel.channel_id, data.get("message_id"))
        return str(sent[-1].id) if sent else None


class ShardedStudyBuddyBot(StudyBuddyBot, discord.AutoShardedClient):
    """The same bot over several gateway connections (``STUDYBUDDY_DISCORD_SHARD_COUNT`` / ``_SHARD_IDS``).

    Sends go over REST, which no shard owns, so every process can post any channel's scheduled
    quiz; the database claim keeps each post to one process.
    """
