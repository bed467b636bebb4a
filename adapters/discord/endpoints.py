"""Where discord.py connects: Discord itself, or a Discord API proxy the operator runs.

discord.py reads its REST base from ``discord.http.Route.BASE`` and its gateway from
``DiscordWebSocket.DEFAULT_GATEWAY``; they are class attributes (so: per process), the only
settings the library has for this. ``use_endpoints`` sets both every time the adapter starts,
to the operator's values or back to Discord's own, so a second start never inherits the first.
"""

from __future__ import annotations

import logging

import discord
import yarl
from discord.gateway import DiscordWebSocket

from bot.errors import ConfigError

log = logging.getLogger(__name__)

DISCORD_API_BASE = "https://discord.com/api/v10"
DISCORD_GATEWAY = "wss://gateway.discord.gg/"


def use_endpoints(api_base: str | None, gateway: str | None) -> None:
    """Point discord.py at ``api_base`` (versioned REST base) and ``gateway`` (None: Discord's)."""
    base = (api_base or DISCORD_API_BASE).rstrip("/")
    url = yarl.URL(base)
    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigError(f"STUDYBUDDY_DISCORD_API_BASE must be an http(s) URL such as "
                          f"http://127.0.0.1:8080/api/v10, not {api_base!r}")
    discord.http.Route.BASE = base
    DiscordWebSocket.DEFAULT_GATEWAY = _gateway_url(gateway or DISCORD_GATEWAY)
    if api_base:
        log.info("Discord REST API at %s", base)


async def resolve_gateway(http: discord.http.HTTPClient) -> None:
    """With a proxy and no gateway set, use the gateway the proxy announces (``GET /gateway/bot``)."""
    _shards, url, _limits = await http.get_bot_gateway()
    DiscordWebSocket.DEFAULT_GATEWAY = _gateway_url(url)
    log.info("Discord gateway at %s", url)


def _gateway_url(value: str) -> yarl.URL:
    url = yarl.URL(value)
    if url.scheme not in ("ws", "wss") or not url.host:
        raise ConfigError(f"STUDYBUDDY_DISCORD_GATEWAY must be a ws(s) URL such as ws://127.0.0.1:8080/gateway, "
                          f"not {value!r}")
    return url
