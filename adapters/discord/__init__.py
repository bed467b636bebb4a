"""Study Buddy on Discord: slash commands, context menus, mentions answered in threads, quiz buttons.

``serve(app)`` is the entry point (``studybuddy run`` calls it when ``STUDYBUDDY_DISCORD_TOKEN``
is set): it points discord.py at Discord or at the operator's API proxy, logs in, registers
the commands, attaches the scheduler's poster, and runs until cancelled. What the operator
must fix becomes one ``ConfigError`` line; a missing message-content intent is one warning,
and the bot carries on without it (slash commands, mentions and DMs still work).
"""

from __future__ import annotations

import logging

import aiohttp
import discord

from adapters.discord.client import ShardedStudyBuddyBot, StudyBuddyBot, wanted_intents
from adapters.discord.endpoints import use_endpoints
from adapters.discord.identity import PLATFORM
from bot.app import App
from bot.errors import ConfigError, DependencyError

__all__ = ["PLATFORM", "serve"]

log = logging.getLogger(__name__)

PORTAL = "https://discord.com/developers/applications"
BAD_TOKEN = (f"Discord rejected STUDYBUDDY_DISCORD_TOKEN: copy the bot's token from {PORTAL} → your application → "
             "Bot → Reset Token")
NO_MESSAGE_CONTENT = (f"Discord's Message Content intent is off for this bot, so follow-ups in threads need a mention: "
                      f"turn it on at {PORTAL} → your application → Bot → Privileged Gateway Intents → "
                      "Message Content Intent (slash commands, mentions and DMs work meanwhile)")


async def serve(app: App) -> None:
    """Run the Discord bot on ``app`` until cancelled."""
    settings = app.settings
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        raise ConfigError("STUDYBUDDY_DISCORD_TOKEN is empty: set it to the bot's token from " + PORTAL)
    token = settings.discord_token.get_secret_value().strip()
    use_endpoints(settings.discord_api_base, settings.discord_gateway)
    # A study bot joins no voice channel: no warnings about voice libraries it will never need.
    discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
    intents = wanted_intents()
    if settings.discord_shard_ids and settings.discord_shard_count is None:
        raise ConfigError("STUDYBUDDY_DISCORD_SHARD_IDS needs STUDYBUDDY_DISCORD_SHARD_COUNT (the total across processes)")
    if settings.discord_shard_count is not None and any(
            not 0 <= i < settings.discord_shard_count for i in settings.discord_shard_ids):
        raise ConfigError(f"STUDYBUDDY_DISCORD_SHARD_IDS must lie in 0..{settings.discord_shard_count - 1}")
    while True:
        if settings.discord_shard_count is not None:
            client = ShardedStudyBuddyBot(app, intents=intents, shard_count=settings.discord_shard_count,
                                          shard_ids=settings.discord_shard_ids or None)
        else:
            client = StudyBuddyBot(app, intents=intents)
        try:
            async with client:
                await client.start(token)
            return
        except discord.LoginFailure:
            raise ConfigError(BAD_TOKEN) from None
        except discord.PrivilegedIntentsRequired:
            if not intents.message_content:
                raise ConfigError(f"Discord refused the bot's gateway intents: check them at {PORTAL} → your "
                                  "application → Bot → Privileged Gateway Intents") from None
            log.warning(NO_MESSAGE_CONTENT)
            intents = wanted_intents(message_content=False)
        except discord.ConnectionClosed as exc:
            if exc.code == 4004:  # the gateway's own "authentication failed"
                raise ConfigError(BAD_TOKEN) from None
            raise
        except (aiohttp.ClientConnectionError, discord.GatewayNotFound) as exc:
            where = settings.discord_api_base or "discord.com"
            raise DependencyError(f"cannot reach Discord at {where} ({exc}): check the network, or "
                                  "STUDYBUDDY_DISCORD_API_BASE / STUDYBUDDY_DISCORD_GATEWAY") from None
