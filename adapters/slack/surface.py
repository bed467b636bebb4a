"""The Slack app's lifecycle: check the tokens, connect (Socket Mode or HTTP), attach the poster.

Socket Mode when an app-level token (``xapp-``) is set: the app opens a websocket to Slack
and needs no public URL. HTTP mode when a signing secret is set instead: Slack POSTs to
``/slack/events`` on ``STUDYBUDDY_SLACK_HOST:STUDYBUDDY_SLACK_PORT`` and bolt verifies each
request's signature and timestamp. ``STUDYBUDDY_SLACK_API_URL`` points the Web API (and so
``apps.connections.open``, which hands out the websocket URL) at another host.

Every setting and token is checked at ``start``; a bad one is one ``ConfigError`` line.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from adapters.slack.dedup import EventDedupStore, InMemoryEventDedupStore, SharedEventDedup
from adapters.slack.handlers import Handlers
from adapters.slack.outbox import Outbox, make_client, slack_error
from adapters.slack.people import People
from adapters.slack.poster import SlackPoster
from bot.app import App
from bot.errors import ConfigError, DependencyError

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
BAD_TOKEN = ("invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "not_allowed_token_type")


class SlackSurface:
    """One Slack workspace served by this process. ``start`` connects; ``stop`` disconnects."""

    def __init__(self, app: App, *, dedup: EventDedupStore | None = None) -> None:
        self.app = app
        self.dedup = dedup
        self.bolt: AsyncApp | None = None
        self.handlers: Handlers | None = None
        self.poster: SlackPoster | None = None
        self.http_url: str | None = None  # HTTP mode: where Slack must POST (the bound port, for port 0)
        self._socket: AsyncSocketModeHandler | None = None
        self._runner: web.AppRunner | None = None

    @property
    def mode(self) -> str:
        return "socket" if self.app.settings.slack_app_token is not None else "http"

    async def start(self) -> None:
        s = self.app.settings
        bot_token = _secret(s.slack_bot_token)
        app_token = _secret(s.slack_app_token)
        signing_secret = _secret(s.slack_signing_secret)
        _check(bot_token, app_token, signing_secret)
        client = make_client(bot_token, s.slack_api_url)
        bot_user_id = await _who_am_i(client)
        if self.dedup is None:  # replicas share the database's record of handled events; alone, memory will do
            buddy = self.app.buddy
            self.dedup = SharedEventDedup(buddy) if buddy.shares_state else InMemoryEventDedupStore()
        outbox = Outbox(client)
        self.poster = SlackPoster(self.app.buddy, outbox)
        people = People(client, set(s.slack_admin_users))
        self.handlers = Handlers(self.app.buddy, outbox, people, self.poster, self.dedup, bot_user_id)
        self.bolt = AsyncApp(client=client, signing_secret=signing_secret or "", process_before_response=False,
                             logger=logging.getLogger("slack_bolt.studybuddy"))
        self.handlers.register(self.bolt)
        if app_token:
            await self._connect_socket(client, app_token)
        else:
            await self._listen_http(s.slack_host, s.slack_port)
        if self.app.scheduler is not None:
            await self.app.attach("slack", self.poster)
        log.info("Slack adapter running in %s mode as %s", self.mode, bot_user_id)

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _connect_socket(self, client, app_token: str) -> None:
        try:
            opened = await client.apps_connections_open(app_token=app_token)
        except SlackApiError as exc:
            error = slack_error(exc)
            if error in BAD_TOKEN:
                raise ConfigError(f"Slack refused STUDYBUDDY_SLACK_APP_TOKEN ({error}): use the app-level token "
                                  "(xapp-…) with the connections:write scope from the app's Basic Information page") from exc
            raise DependencyError(f"Slack could not open a Socket Mode connection ({error})") from exc
        self._socket = AsyncSocketModeHandler(self.bolt, app_token, web_client=client)
        # The URL just issued is used for the first connection; reconnects ask for new ones.
        self._socket.client.wss_uri = opened["url"]
        await self._socket.connect_async()

    async def _listen_http(self, host: str, port: int) -> None:
        self._runner = web.AppRunner(self.bolt.web_app(path=EVENTS_PATH), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        try:
            await site.start()
        except OSError as exc:
            await self._runner.cleanup()
            self._runner = None
            raise ConfigError(f"cannot listen on {host}:{port} for Slack ({exc.strerror}): set STUDYBUDDY_SLACK_HOST "
                              "and STUDYBUDDY_SLACK_PORT to a free address") from exc
        port = self._runner.addresses[0][1]  # the real port when 0 was asked for
        self.http_url = f"http://{host}:{port}{EVENTS_PATH}"


async def serve(app: App) -> None:
    """Run the Slack app until cancelled (``studybuddy run`` starts it when the bot token is set)."""
    surface = SlackSurface(app)
    try:
        await surface.start()
        await asyncio.Event().wait()
    finally:
        await surface.stop()


def _secret(value) -> str | None:
    text = value.get_secret_value().strip() if value is not None else ""
    return text or None


def _check(bot_token: str | None, app_token: str | None, signing_secret: str | None) -> None:
    if not bot_token:
        raise ConfigError("set STUDYBUDDY_SLACK_BOT_TOKEN to the app's bot token (xoxb-…, OAuth & Permissions page)")
    if not bot_token.startswith("xoxb-"):
        raise ConfigError("STUDYBUDDY_SLACK_BOT_TOKEN must be the bot token, which starts with xoxb- "
                          "(OAuth & Permissions page)")
    if app_token is None and signing_secret is None:
        raise ConfigError("set STUDYBUDDY_SLACK_APP_TOKEN (xapp-…) for Socket Mode, or "
                          "STUDYBUDDY_SLACK_SIGNING_SECRET for HTTP mode")
    if app_token is not None and not app_token.startswith("xapp-"):
        raise ConfigError("STUDYBUDDY_SLACK_APP_TOKEN must be an app-level token, which starts with xapp- "
                          "(Basic Information → App-Level Tokens, scope connections:write)")


async def _who_am_i(client) -> str:
    try:
        auth = await client.auth_test()
    except SlackApiError as exc:
        error = slack_error(exc)
        if error in BAD_TOKEN:
            raise ConfigError(f"Slack refused STUDYBUDDY_SLACK_BOT_TOKEN ({error}): copy the Bot User OAuth Token "
                              "again, or reinstall the app to the workspace") from exc
        raise DependencyError(f"Slack's auth.test failed ({error})") from exc
    except Exception as exc:  # aiohttp: DNS, refused connection, TLS
        raise DependencyError(f"cannot reach Slack's Web API at {client.base_url} ({type(exc).__name__}): check the "
                              "network or STUDYBUDDY_SLACK_API_URL") from exc
    return auth["user_id"]
