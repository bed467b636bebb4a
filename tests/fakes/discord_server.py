"""A protocol-level fake of Discord: the REST API and the gateway on 127.0.0.1 (port 0).

The real discord.py client talks to it exactly as it talks to discord.com. Tests drive it
like Discord's users would: type a slash command, click a button, mention the bot, and read
what the bot sent from ``requests`` (every REST call, with its JSON payload and files).

What it does as Discord does (and what discord.py relies on):
- REST: JSON with ``Content-Type: application/json`` exactly; 401 for a wrong token;
  400 (code 50035) for a message over any limit (content, embeds, fields, components)
  and 50006 for an empty one, so a test sees every would-be rejection.
- Interactions: one callback per interaction (a second is 400, code 40060), within the
  acknowledgement deadline (else 404, 10062); after a deferral the first follow-up fills the
  "thinking" message and keeps its ephemeral flag; later follow-ups are new messages.
- Message nonce with ``enforce_nonce``: the same author sending the same nonce in a channel
  gets the first message back instead of a second one.
- Rate limits: ``rate_limit(...)`` answers the next matching calls with 429, a JSON body with
  ``retry_after`` and a ``Via`` header (as Discord's edge does).
- Gateway: HELLO, heartbeat ACKs, IDENTIFY → READY + GUILD_CREATE, RESUME with replay of the
  events sent while the client was away; ``reconnect()`` sends op 7. Privileged intents that
  the application has not enabled close the socket with 4014; a wrong token closes with 4004.
- Without the message-content intent, message text reaches the bot only in DMs and in
  messages that mention it.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from aiohttp import WSMsgType, web

API_PREFIX = "/api/v10"
DISCORD_EPOCH_MS = 1_420_070_400_000
EPHEMERAL = 1 << 6
MESSAGE_CONTENT_INTENT = 1 << 15
PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | MESSAGE_CONTENT_INTENT  # members, presences, message content
MANAGE_CHANNELS = 1 << 4
EVERYDAY_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 31) | (1 << 38)  # view, send, use commands, send in threads
APP_FLAG_MESSAGE_CONTENT_LIMITED = 1 << 19
INVALID_FORM_BODY = 50035


def _snowflakes():
    counter = itertools.count(1)
    while True:
        yield str(((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) | (next(counter) & 0xFFF))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def _json(data: Any, status: int = 200, headers: dict | None = None) -> web.Response:
    # Exactly "application/json": discord.py does not read JSON marked "; charset=utf-8".
    return web.Response(body=json.dumps(data).encode(), status=status,
                        headers={"Content-Type": "application/json", **(headers or {})})


def _error(status: int, code: int, message: str, errors: dict | None = None) -> web.Response:
    body = {"code": code, "message": message}
    if errors:
        body["errors"] = errors
    return _json(body, status)


@dataclass
class Recorded:
    """One REST call as the fake received it, and what it answered."""

    method: str
    path: str  # after the API base, e.g. /channels/12/messages
    query: dict[str, str]
    body: dict | None  # the JSON payload (``payload_json`` of a multipart upload)
    files: list[tuple[str, bytes]] = field(default_factory=list)  # (filename, data)
    status: int = 0
    at: float = field(default_factory=time.monotonic)  # when it arrived

    def creates_message(self) -> bool:
        """A call that makes a new message appear (and could ping someone)."""
        if self.method != "POST" or self.body is None:
            return False
        if re.fullmatch(r"/channels/\d+/messages", self.path) or re.fullmatch(r"/webhooks/\d+/[^/]+", self.path):
            return True
        return self.path.endswith("/callback") and self.body.get("type") == 4

    def edits_message(self) -> bool:
        """A call that changes a message's text (an edit can ping as a new message can)."""
        return self.method == "PATCH" and self.body is not None and bool(
            re.fullmatch(r"/channels/\d+/messages/\d+", self.path)
            or re.fullmatch(r"/webhooks/\d+/[^/]+/messages/(@original|\d+)", self.path))


@dataclass
class Interaction:
    """An interaction the fake sent, and everything the bot answered to it."""

    id: str
    token: str
    payload: dict
    created: float
    callback_type: int | None = None
    original: dict | None = None  # the response message ("@original")
    original_deleted: bool = False
    followups: list[dict] = field(default_factory=list)
    autocomplete: list[dict] | None = None
    done: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def deferred(self) -> bool:
        return self.callback_type in (5, 6)

    def messages(self) -> list[dict]:
        """What the user sees, in order: the response message (unless deleted), then follow-ups."""
        shown = [] if self.original is None or self.original_deleted else [self.original]
        return shown + [m for m in self.followups if m is not self.original and not m.get("_deleted")]


class DiscordLimitError(ValueError):
    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path, self.problem = path, problem


def check_message_limits(body: dict) -> None:
    """Raise DiscordLimitError as Discord's 400 would, for a message payload over any limit."""
    content = body.get("content") or ""
    if len(content) > 2000:
        raise DiscordLimitError("content", f"Must be 2000 or fewer in length (got {len(content)})")
    embeds = body.get("embeds") or []
    if len(embeds) > 10:
        raise DiscordLimitError("embeds", "Must be 10 or fewer in length")
    total = 0
    for i, embed in enumerate(embeds):
        parts = {
            "title": (embed.get("title") or "", 256),
            "description": (embed.get("description") or "", 4096),
            "footer.text": ((embed.get("footer") or {}).get("text") or "", 2048),
            "author.name": ((embed.get("author") or {}).get("name") or "", 256),
        }
        for name, (text, limit) in parts.items():
            if len(text) > limit:
                raise DiscordLimitError(f"embeds.{i}.{name}", f"Must be {limit} or fewer in length (got {len(text)})")
            total += len(text)
        fields = embed.get("fields") or []
        if len(fields) > 25:
            raise DiscordLimitError(f"embeds.{i}.fields", "Must be 25 or fewer in length")
        for j, f in enumerate(fields):
            if not f.get("name") or not f.get("value"):
                raise DiscordLimitError(f"embeds.{i}.fields.{j}", "This field is required")
            if len(f["name"]) > 256 or len(f["value"]) > 1024:
                raise DiscordLimitError(f"embeds.{i}.fields.{j}", "Field name/value too long")
            total += len(f["name"]) + len(f["value"])
    if total > 6000:
        raise DiscordLimitError("embeds", f"Embed size exceeds maximum size of 6000 (got {total})")
    rows = body.get("components") or []
    if len(rows) > 5:
        raise DiscordLimitError("components", "Must be 5 or fewer in length")
    for r, row in enumerate(rows):
        buttons = row.get("components") or []
        if row.get("type") != 1 or not 1 <= len(buttons) <= 5:
            raise DiscordLimitError(f"components.{r}", "An action row holds 1 to 5 components")
        for b, button in enumerate(buttons):
            custom_id = button.get("custom_id")
            if button.get("style") != 5 and not (custom_id and len(custom_id) <= 100):
                raise DiscordLimitError(f"components.{r}.components.{b}.custom_id", "Must be 1 to 100 in length")
            if len(button.get("label") or "") > 80:
                raise DiscordLimitError(f"components.{r}.components.{b}.label", "Must be 80 or fewer in length")


class FakeDiscord:
    """One application, one bot user, one guild with a text channel and three members."""

    def __init__(self, *, token: str = "fake-bot-token", message_content_enabled: bool = True,
                 ack_deadline: float = 3.0) -> None:
        self.token = token
        self.message_content_enabled = message_content_enabled
        self.ack_deadline = ack_deadline
        self._ids = _snowflakes()
        self.app_id = self.new_id()
        self.bot = self._user(self.app_id, "StudyBuddy", bot=True)
        self.guild_id = self.new_id()
        self.channel_id = self.new_id()
        self.ada = self._user(self.new_id(), "ada")
        self.bob = self._user(self.new_id(), "bob")
        self.cy = self._user(self.new_id(), "cy")
        self.owner = self._user(self.new_id(), "owner")
        self.role_id = self.new_id()
        self.manager_ids = {self.owner["id"]}
        self.channels: dict[str, dict] = {
            self.channel_id: {"id": self.channel_id, "type": 0, "guild_id": self.guild_id, "name": "study",
                              "position": 0, "permission_overwrites": [], "nsfw": False, "parent_id": None},
        }
        self.messages: dict[str, list[dict]] = {self.channel_id: []}  # channel id → messages, oldest first
        self.attachments: dict[str, bytes] = {}
        self.requests: list[Recorded] = []
        self.rejected: list[tuple[Recorded, str]] = []  # calls Discord would have answered with an error
        self.limit_errors: list[tuple[Recorded, str]] = []  # of which: messages over a limit, or empty
        self.commands: dict[str, list[dict]] = {}  # scope ("global" or guild id) → registered commands
        self.interactions: dict[str, Interaction] = {}
        self.identifies: list[dict] = []
        self.resumes: list[dict] = []
        self._rate_limits: list[list] = []  # [method, path regex, remaining count, retry_after]
        self._stalls: list[list] = []  # [method, path regex, remaining count, seconds]
        self._closing = asyncio.Event()
        self._sessions: dict[str, dict] = {}  # session id → {"seq": int, "log": [(seq, frame)]}
        self._ws: web.WebSocketResponse | None = None
        self._ws_session: str | None = None
        self._changed = asyncio.Condition()
        self._watched: asyncio.Task | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0

    # Lifecycle ----------------------------------------------------------------------------

    async def start(self) -> FakeDiscord:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/attachments/{aid}/{filename}", self._download)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return self

    async def close(self) -> None:
        self._closing.set()  # stalled answers give up
        if self._ws is not None and not self._ws.closed:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc) -> None:
        await self.close()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def new_id(self) -> str:
        return next(self._ids)

    # Waiting ------------------------------------------------------------------------------

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def watch(self, task: asyncio.Task) -> None:
        """Waits end at once, with its error, when ``task`` (the bot) stops."""
        self._watched = task
        task.add_done_callback(lambda _t: asyncio.ensure_future(self._notify()))

    async def wait_until(self, predicate, timeout: float = 30.0):
        """Wait until ``predicate()`` is truthy (re-checked after every request and gateway frame)."""
        async def until():
            async with self._changed:
                while not (result := predicate()):
                    watched = self._watched
                    if watched is not None and watched.done():
                        raise RuntimeError("the bot stopped while the test waited") from (
                            None if watched.cancelled() else watched.exception())
                    await self._changed.wait()
                return result

        return await asyncio.wait_for(until(), timeout)

    async def wait_ready(self, *, after: int = 0, timeout: float = 60.0) -> None:
        """Until the client has identified (more than ``after`` times so far) and holds a live gateway session."""
        await self.wait_until(lambda: self._ws is not None and not self._ws.closed and len(self.identifies) > after,
                              timeout)

    def calls(self, method: str | None = None, pattern: str | None = None) -> list[Recorded]:
        return [r for r in self.requests
                if (method is None or r.method == method) and (pattern is None or re.fullmatch(pattern, r.path))]

    # Test controls ------------------------------------------------------------------------

    def stall(self, method: str, pattern: str, *, times: int = 1, seconds: float = 5.0) -> None:
        """Carry out the next ``times`` matching calls but hold their answers back for ``seconds``
        (Discord accepted the message; the answer is lost on the way back)."""
        self._stalls.append([method, re.compile(pattern), times, seconds])

    def delete(self, message: dict) -> None:
        """Someone (a moderator, the asker) deletes ``message``: edits of it answer 404 from now on."""
        message["_deleted"] = True
        for interaction in self.interactions.values():
            if interaction.original is message:
                interaction.original_deleted = True
        channel_msgs = self.messages.get(message["channel_id"], [])
        if message in channel_msgs:
            channel_msgs.remove(message)

    def rate_limit(self, method: str, pattern: str, *, times: int = 1, retry_after: float = 0.05) -> None:
        """Answer the next ``times`` calls matching (method, path regex) with 429 and ``retry_after``."""
        self._rate_limits.append([method, re.compile(pattern), times, retry_after])

    async def reconnect(self) -> None:
        """Op 7: ask the client to reconnect and resume. Events from now on wait for its RESUME."""
        ws, self._ws = self._ws, None
        await ws.send_str(json.dumps({"op": 7, "d": None}))

    @property
    def session_id(self) -> str | None:
        """The gateway session the client holds (or last held)."""
        return self._ws_session

    async def dispatch(self, event: str, data: dict) -> None:
        """Send a DISPATCH to the client; while it is away the event waits for its RESUME, as on Discord."""
        session = self._sessions[self._ws_session] if self._ws_session else next(iter(self._sessions.values()))
        session["seq"] += 1
        frame = {"op": 0, "t": event, "s": session["seq"], "d": data}
        session["log"].append((session["seq"], frame))
        if self._ws is not None and not self._ws.closed:
            await self._ws.send_str(json.dumps(frame))

    # Gateway ------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                op, d = frame.get("op"), frame.get("d")
                if op == 1:
                    await ws.send_str(json.dumps({"op": 11}))
                elif op == 2:
                    await self._identify(ws, d)
                elif op == 6:
                    await self._resume(ws, d)
                await self._notify()
        finally:
            if self._ws is ws:
                self._ws = None
            await self._notify()
        return ws

    async def _identify(self, ws: web.WebSocketResponse, d: dict) -> None:
        if d.get("token") != self.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return
        intents = int(d.get("intents", 0))
        allowed = 0 if not self.message_content_enabled else MESSAGE_CONTENT_INTENT
        if intents & PRIVILEGED_INTENTS & ~allowed:
            await ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        self.identifies.append(d)
        session_id = self.new_id()
        self._sessions[session_id] = {"seq": 0, "log": [], "intents": intents}
        self._ws, self._ws_session = ws, session_id
        ready = {
            "v": 10, "user": self.bot, "guilds": [{"id": self.guild_id, "unavailable": True}],
            "session_id": session_id, "resume_gateway_url": self.gateway_url,
            "application": {"id": self.app_id, "flags": self._app_flags()},
            "private_channels": [], "relationships": [],
        }
        if "shard" in d:  # Discord echoes a sharded connection's [shard id, shard count]
            ready["shard"] = d["shard"]
        await self.dispatch("READY", ready)
        await self.dispatch("GUILD_CREATE", self._guild())

    async def _resume(self, ws: web.WebSocketResponse, d: dict) -> None:
        session = self._sessions.get(d.get("session_id"))
        if d.get("token") != self.token or session is None:
            await ws.send_str(json.dumps({"op": 9, "d": False}))
            return
        self.resumes.append(d)
        self._ws, self._ws_session = ws, d["session_id"]
        for seq, frame in session["log"]:
            if seq > int(d.get("seq") or 0):
                await ws.send_str(json.dumps(frame))
        await self.dispatch("RESUMED", {})

    def _intents(self) -> int:
        return self._sessions[self._ws_session]["intents"] if self._ws_session else 0

    def _app_flags(self) -> int:
        return APP_FLAG_MESSAGE_CONTENT_LIMITED if self.message_content_enabled else 0

    def _guild(self) -> dict:
        members = [{k: v for k, v in self.member(u).items() if k != "permissions"}
                   for u in (self.ada, self.bob, self.cy, self.owner, self.bot)]
        return {
            "id": self.guild_id, "name": "Study group", "owner_id": self.owner["id"], "icon": None,
            "member_count": len(members), "large": False, "features": [], "emojis": [], "stickers": [],
            "roles": [{"id": self.guild_id, "name": "@everyone", "permissions": str(EVERYDAY_PERMISSIONS),
                       "position": 0, "color": 0, "hoist": False, "managed": False, "mentionable": False,
                       "flags": 0},
                      {"id": self.role_id, "name": "students", "permissions": "0", "position": 1, "color": 0,
                       "hoist": False, "managed": False, "mentionable": True, "flags": 0}],
            "members": members,
            "channels": [c for c in self.channels.values() if c["type"] != 11],
            "threads": [c for c in self.channels.values() if c["type"] == 11],
            "voice_states": [], "presences": [], "stage_instances": [], "guild_scheduled_events": [],
            "soundboard_sounds": [], "premium_tier": 0, "verification_level": 0, "default_message_notifications": 0,
            "explicit_content_filter": 0, "mfa_level": 0, "system_channel_flags": 0, "nsfw_level": 0,
            "preferred_locale": "en-US", "joined_at": _now(),
        }

    # People and payloads --------------------------------------------------------------------

    @staticmethod
    def _user(user_id: str, name: str, *, bot: bool = False) -> dict:
        user = {"id": user_id, "username": name, "discriminator": "0", "global_name": name.title(), "avatar": None}
        if bot:
            user["bot"] = True
        return user

    def member(self, user: dict) -> dict:
        perms = EVERYDAY_PERMISSIONS | (MANAGE_CHANNELS if user["id"] in self.manager_ids else 0)
        return {"user": user, "roles": [], "joined_at": _now(), "deaf": False, "mute": False, "flags": 0,
                "nick": None, "permissions": str(perms)}

    def _is_dm(self, channel_id: str) -> bool:
        return self.channels.get(channel_id, {}).get("type") == 1

    def open_dm(self, user: dict) -> str:
        """A DM channel between ``user`` and the bot."""
        channel_id = self.new_id()
        self.channels[channel_id] = {"id": channel_id, "type": 1, "recipients": [user], "last_message_id": None}
        self.messages[channel_id] = []
        return channel_id

    def _message(self, channel_id: str, author: dict, body: dict, *, attachments=(), webhook: bool = False) -> dict:
        channel = self.channels.get(channel_id, {})
        msg = {
            "id": self.new_id(), "channel_id": channel_id, "type": 0, "author": author,
            "content": body.get("content") or "", "embeds": body.get("embeds") or [],
            "components": body.get("components") or [], "attachments": list(attachments),
            "flags": int(body.get("flags") or 0), "timestamp": _now(), "edited_timestamp": None, "tts": False,
            "mention_everyone": False, "mentions": [], "mention_roles": [], "pinned": False,
        }
        if channel.get("guild_id"):
            msg["guild_id"] = channel["guild_id"]
        if body.get("nonce") is not None:
            msg["nonce"] = body["nonce"]
        if webhook:
            msg["webhook_id"] = self.app_id
            msg["application_id"] = self.app_id
        if body.get("message_reference"):
            msg["message_reference"] = body["message_reference"]
        return msg

    # Users act --------------------------------------------------------------------------------

    async def say(self, user: dict, content: str, *, channel_id: str | None = None, mention_bot: bool = False,
                  role_mentions: tuple[str, ...] = ()) -> dict:
        """``user`` posts a message (MESSAGE_CREATE to the bot, without text if the intent is missing)."""
        channel_id = channel_id or self.channel_id
        msg = self._message(channel_id, user, {"content": content})
        msg["mentions"] = [{**self.bot, "member": {k: v for k, v in self.member(self.bot).items() if k != "user"}}
                           ] if mention_bot else []
        msg["mention_roles"] = list(role_mentions)
        if not self._is_dm(channel_id):
            msg["member"] = {k: v for k, v in self.member(user).items() if k not in ("user", "permissions")}
        self.messages.setdefault(channel_id, []).append(msg)
        seen = dict(msg)
        if not self._intents() & MESSAGE_CONTENT_INTENT and not mention_bot and not self._is_dm(channel_id):
            seen.update(content="", embeds=[], attachments=[], components=[])
        await self.dispatch("MESSAGE_CREATE", seen)
        return msg

    def upload(self, filename: str, data: bytes, content_type: str = "text/plain; charset=utf-8") -> dict:
        """An attachment as Discord's CDN would hold it (for a command's attachment option)."""
        aid = self.new_id()
        self.attachments[aid] = data
        url = f"http://127.0.0.1:{self.port}/attachments/{aid}/{filename}"
        return {"id": aid, "filename": filename, "size": len(data), "url": url, "proxy_url": url,
                "content_type": content_type}

    def command(self, name: str, kind: int = 1) -> dict:
        """The registered command called ``name`` (the bot must have synced it)."""
        for scope in self.commands.values():
            for cmd in scope:
                if cmd["name"] == name and cmd.get("type", 1) == kind:
                    return cmd
        raise KeyError(f"command {name!r} (type {kind}) was not synced: {self.command_names()}")

    def command_names(self) -> list[str]:
        return sorted(c["name"] for scope in self.commands.values() for c in scope)

    async def slash(self, user: dict, name: str, options: dict | None = None, *, sub: str | None = None,
                    attachments: dict[str, dict] | None = None, channel_id: str | None = None) -> Interaction:
        """``user`` runs ``/name [sub] option:value ...``; attachment options take an ``upload()``."""
        cmd = self.command(name)
        opts = self._options(cmd, sub, options or {}, attachments or {})
        data = {"id": cmd["id"], "name": name, "type": 1, "options": opts}
        if attachments:
            data["resolved"] = {"attachments": {a["id"]: a for a in attachments.values()}}
        return await self._interact(user, 2, data, channel_id=channel_id)

    async def autocomplete(self, user: dict, name: str, options: dict, focused: str, *, sub: str | None = None
                           ) -> list[dict]:
        """The choices the bot offers while ``user`` types ``focused``."""
        cmd = self.command(name)
        opts = self._options(cmd, sub, options, {}, focused=focused)
        interaction = await self._interact(user, 4, {"id": cmd["id"], "name": name, "type": 1, "options": opts})
        await self.wait_until(lambda: interaction.autocomplete is not None)
        return interaction.autocomplete

    async def context_menu(self, user: dict, name: str, message: dict) -> Interaction:
        """``user`` right-clicks ``message`` → Apps → ``name``."""
        cmd = self.command(name, kind=3)
        data = {"id": cmd["id"], "name": name, "type": 3, "target_id": message["id"],
                "resolved": {"messages": {message["id"]: message}}}
        return await self._interact(user, 2, data, channel_id=message["channel_id"])

    async def click(self, user: dict, message: dict, custom_id: str) -> Interaction:
        """``user`` clicks the button ``custom_id`` on ``message``."""
        return await self._interact(user, 3, {"custom_id": custom_id, "component_type": 2},
                                    channel_id=message["channel_id"], message=self._public(message))

    def _options(self, cmd: dict, sub: str | None, values: dict, attachments: dict, focused: str | None = None):
        declared = cmd.get("options") or []
        if sub is not None:
            spec = next(o for o in declared if o["name"] == sub)
            return [{"type": spec["type"], "name": sub, "options": self._options(spec, None, values, attachments,
                                                                                   focused)}]
        out = []
        for spec in declared:
            if spec["name"] in attachments:
                out.append({"type": 11, "name": spec["name"], "value": attachments[spec["name"]]["id"]})
            elif spec["name"] in values:
                opt = {"type": spec["type"], "name": spec["name"], "value": values[spec["name"]]}
                if spec["name"] == focused:
                    opt["focused"] = True
                out.append(opt)
        unknown = (set(values) | set(attachments)) - {o["name"] for o in declared}
        if unknown:
            raise KeyError(f"/{cmd['name']} has no option(s) {sorted(unknown)}")
        return out

    async def _interact(self, user: dict, kind: int, data: dict, *, channel_id: str | None = None,
                        message: dict | None = None) -> Interaction:
        channel_id = channel_id or self.channel_id
        channel = self.channels[channel_id]
        interaction = Interaction(id=self.new_id(), token=f"itoken-{self.new_id()}", payload={}, created=time.monotonic())
        payload = {
            "id": interaction.id, "application_id": self.app_id, "type": kind, "token": interaction.token,
            "version": 1, "data": data, "attachment_size_limit": 8 * 1024 * 1024, "locale": "en-US",
            "channel_id": channel_id, "channel": {k: v for k, v in channel.items() if k != "recipients"},
            "app_permissions": str(EVERYDAY_PERMISSIONS), "entitlements": [],
            "authorizing_integration_owners": {"0": self.guild_id}, "context": 1 if self._is_dm(channel_id) else 0,
        }
        if self._is_dm(channel_id):
            payload["user"] = user
            payload["context"] = 1
        else:
            payload["guild_id"] = self.guild_id
            payload["guild_locale"] = "en-US"
            payload["member"] = self.member(user)
        if message is not None:
            payload["message"] = message
        interaction.payload = payload
        self.interactions[interaction.token] = interaction
        await self.dispatch("INTERACTION_CREATE", payload)
        return interaction

    async def answered(self, interaction: Interaction, count: int = 1, timeout: float = 60.0) -> list[dict]:
        """Wait until the user sees ``count`` messages answering ``interaction`` (and no "thinking" left)."""
        def shown():
            msgs = interaction.messages()
            loading = interaction.callback_type == 5 and interaction.original is not None and \
                not interaction.original_deleted and interaction.original.get("_loading")
            return msgs if len(msgs) >= count and not loading else None

        return await self.wait_until(shown, timeout)

    def history(self, channel_id: str | None = None) -> list[dict]:
        """The channel's messages as everyone sees them (no ephemeral ones), oldest first."""
        return list(self.messages.get(channel_id or self.channel_id, []))

    # REST ---------------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body, files = await self._read_body(request)
        rec = Recorded(request.method, path, dict(request.query), body, files)
        self.requests.append(rec)
        try:
            response = await self._answer(request, rec)
        except DiscordLimitError as exc:
            self.limit_errors.append((rec, str(exc)))
            response = _error(400, INVALID_FORM_BODY, "Invalid Form Body",
                              {exc.path: {"_errors": [{"code": "BASE_TYPE_BAD_LENGTH", "message": exc.problem}]}})
        rec.status = response.status
        if response.status >= 400 and response.status != 429:
            self.rejected.append((rec, response.text or ""))
        await self._notify()
        for rule in self._stalls:
            if rule[2] > 0 and rec.method == rule[0] and rule[1].fullmatch(rec.path):
                rule[2] -= 1
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._closing.wait(), rule[3])
        return response

    @staticmethod
    async def _read_body(request: web.Request) -> tuple[dict | None, list[tuple[str, bytes]]]:
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            files = [(v.filename, v.file.read()) for k, v in form.items() if k.startswith("files[")]
            return json.loads(form["payload_json"]), files
        raw = await request.read()
        return (json.loads(raw) if raw else None), []

    def _limited(self, rec: Recorded) -> web.Response | None:
        for rule in self._rate_limits:
            method, pattern, remaining, retry_after = rule
            if remaining > 0 and rec.method == method and pattern.fullmatch(rec.path):
                rule[2] -= 1
                return _json({"message": "You are being rate limited.", "retry_after": retry_after, "global": False},
                             429, {"Via": "1.1 google", "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0",
                                   "X-RateLimit-Reset-After": str(retry_after), "X-RateLimit-Bucket": "fakebucket",
                                   "X-RateLimit-Scope": "user", "Retry-After": "1"})
        return None

    async def _answer(self, request: web.Request, rec: Recorded) -> web.Response:
        p, m = rec.path, rec.method
        if p.startswith("/webhooks/") or p.startswith("/interactions/"):
            pass  # authorised by the interaction token in the path
        elif request.headers.get("Authorization") != f"Bot {self.token}":
            return _error(401, 0, "401: Unauthorized")
        if (limited := self._limited(rec)) is not None:
            return limited
        routes = [
            ("GET", r"/users/@me", self._me),
            ("GET", r"/oauth2/applications/@me", self._application),
            ("GET", r"/gateway/bot", self._gateway_bot),
            ("GET", r"/gateway", self._gateway_plain),
            ("PUT", r"/applications/(\d+)/guilds/(\d+)/commands", self._put_guild_commands),
            ("PUT", r"/applications/(\d+)/commands", self._put_global_commands),
            ("POST", r"/interactions/(\d+)/([^/]+)/callback", self._callback),
            ("POST", r"/webhooks/(\d+)/([^/]+)", self._followup),
            ("PATCH", r"/webhooks/(\d+)/([^/]+)/messages/(@original|\d+)", self._webhook_edit),
            ("GET", r"/webhooks/(\d+)/([^/]+)/messages/(@original|\d+)", self._webhook_get),
            ("DELETE", r"/webhooks/(\d+)/([^/]+)/messages/(@original|\d+)", self._webhook_delete),
            ("POST", r"/channels/(\d+)/messages", self._send),
            ("GET", r"/channels/(\d+)/messages", self._history),
            ("GET", r"/channels/(\d+)/messages/(\d+)", self._get_message),
            ("PATCH", r"/channels/(\d+)/messages/(\d+)", self._edit_message),
            ("DELETE", r"/channels/(\d+)/messages/(\d+)", self._delete_message),
            ("POST", r"/channels/(\d+)/messages/(\d+)/threads", self._start_thread),
            ("POST", r"/channels/(\d+)/typing", self._typing),
            ("GET", r"/channels/(\d+)", self._get_channel),
        ]
        for method, pattern, handler in routes:
            match = re.fullmatch(pattern, p)
            if method == m and match:
                return await handler(rec, *match.groups())
        return _error(404, 0, f"404: Not Found ({m} {p})")

    async def _me(self, rec):
        return _json(self.bot)

    async def _application(self, rec):
        return _json({"id": self.app_id, "name": "StudyBuddy", "description": "", "icon": None,
                      "bot_public": True, "bot_require_code_grant": False, "verify_key": "0" * 64,
                      "owner": self.owner, "flags": self._app_flags(), "bot": self.bot})

    async def _gateway_bot(self, rec):
        return _json({"url": self.gateway_url, "shards": 1,
                      "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0,
                                              "max_concurrency": 1}})

    async def _gateway_plain(self, rec):
        return _json({"url": self.gateway_url})

    def _store_commands(self, scope: str, body: list[dict]) -> list[dict]:
        stored = []
        for cmd in body:
            if len(cmd.get("description") or "") > 100 or len(cmd["name"]) > 32:
                raise DiscordLimitError(cmd["name"], "name ≤ 32, description ≤ 100")
            defaults = {"description": "", "options": [], "default_member_permissions": None, "nsfw": False}
            stored.append({**defaults, **cmd, "id": self.new_id(), "application_id": self.app_id, "version": self.new_id(),
                           **({"guild_id": scope} if scope != "global" else {})})
        self.commands[scope] = stored
        return stored

    async def _put_guild_commands(self, rec, app_id, guild_id):
        return _json(self._store_commands(guild_id, rec.body))

    async def _put_global_commands(self, rec, app_id):
        return _json(self._store_commands("global", rec.body))

    # Interactions -------------------------------------------------------------------------------

    async def _callback(self, rec, interaction_id, token):
        interaction = self.interactions.get(token)
        if interaction is None or interaction.id != interaction_id:
            return _error(404, 10062, "Unknown interaction")
        if interaction.callback_type is not None:
            return _error(400, 40060, "Interaction has already been acknowledged.")
        if time.monotonic() - interaction.created > self.ack_deadline:
            return _error(404, 10062, "Unknown interaction")
        kind, data = rec.body["type"], rec.body.get("data") or {}
        interaction.callback_type = kind
        resource: dict = {"type": kind}
        if kind == 4:  # a message now
            check_message_limits(data)
            msg = self._response_message(interaction, data, rec.files)
            interaction.original = msg
            resource["message"] = msg
        elif kind == 5:  # "thinking…", a message filled by the first follow-up
            msg = self._response_message(interaction, {"flags": data.get("flags", 0)}, [])
            msg["_loading"] = True
            interaction.original = msg
        elif kind == 8:
            interaction.autocomplete = data.get("choices", [])
        elif kind == 7:  # update the clicked message
            check_message_limits(data)
            target = interaction.payload["message"]
            self._apply_edit(target, data, rec.files)
        interaction.done.set()
        payload = {"interaction": {"id": interaction.id, "type": interaction.payload["type"],
                                   "response_message_loading": kind == 5,
                                   "response_message_ephemeral": bool(int(data.get("flags") or 0) & EPHEMERAL)},
                   "resource": resource}
        if interaction.original is not None:
            payload["interaction"]["response_message_id"] = interaction.original["id"]
        if rec.query.get("with_response") in ("1", "true", "True"):
            return _json(payload)
        return web.Response(status=204)

    def _response_message(self, interaction: Interaction, data: dict, files) -> dict:
        channel_id = interaction.payload["channel_id"]
        msg = self._message(channel_id, self.bot, data, attachments=self._attach(files, data), webhook=True)
        msg["interaction_metadata"] = {"id": interaction.id, "type": interaction.payload["type"],
                                       "user": self._actor(interaction)}
        if not msg["flags"] & EPHEMERAL:
            self.messages.setdefault(channel_id, []).append(msg)
        return msg

    @staticmethod
    def _actor(interaction: Interaction) -> dict:
        return interaction.payload.get("member", {}).get("user") or interaction.payload["user"]

    def _attach(self, files, data: dict) -> list[dict]:
        described = {str(a.get("id")): a for a in data.get("attachments") or []}
        out = []
        for i, (filename, blob) in enumerate(files):
            aid = self.new_id()
            self.attachments[aid] = blob
            url = f"http://127.0.0.1:{self.port}/attachments/{aid}/{filename}"
            out.append({"id": aid, "filename": filename, "size": len(blob), "url": url, "proxy_url": url,
                        "content_type": "image/png" if filename.endswith(".png") else "application/octet-stream",
                        "description": described.get(str(i), {}).get("description")})
        return out

    def _interaction_for(self, token: str) -> Interaction | None:
        interaction = self.interactions.get(token)
        if interaction is None or interaction.callback_type is None:
            return None
        return interaction

    async def _followup(self, rec, app_id, token):
        interaction = self._interaction_for(token)
        if interaction is None:
            return _error(404, 10015, "Unknown Webhook")
        check_message_limits(rec.body)
        self._check_not_empty(rec.body, rec.files)
        original = interaction.original
        if original is not None and original.get("_loading") and not interaction.original_deleted:
            # The first follow-up after a deferral fills the "thinking" message, keeping its visibility.
            flags = original["flags"]
            self._apply_edit(original, {**rec.body, "flags": flags}, rec.files)
            original.pop("_loading")
            original["edited_timestamp"] = None  # filling "thinking…" is not an edit
            msg = original
        else:
            msg = self._message(interaction.payload["channel_id"], self.bot, rec.body,
                                attachments=self._attach(rec.files, rec.body), webhook=True)
            if not msg["flags"] & EPHEMERAL:
                self.messages.setdefault(msg["channel_id"], []).append(msg)
        interaction.followups.append(msg)
        return _json(self._public(msg))

    def _webhook_message(self, token: str, message_id: str) -> tuple[Interaction | None, dict | None]:
        interaction = self._interaction_for(token)
        if interaction is None:
            return None, None
        if message_id == "@original":
            return interaction, None if interaction.original_deleted else interaction.original
        return interaction, next((m for m in interaction.followups if m["id"] == message_id
                                  and not m.get("_deleted")), None)

    async def _webhook_edit(self, rec, app_id, token, message_id):
        interaction, msg = self._webhook_message(token, message_id)
        if msg is None:
            return _error(404, 10008, "Unknown Message")
        check_message_limits(rec.body)
        self._apply_edit(msg, rec.body, rec.files)
        msg.pop("_loading", None)
        return _json(self._public(msg))

    async def _webhook_get(self, rec, app_id, token, message_id):
        _interaction, msg = self._webhook_message(token, message_id)
        return _json(self._public(msg)) if msg else _error(404, 10008, "Unknown Message")

    async def _webhook_delete(self, rec, app_id, token, message_id):
        interaction, msg = self._webhook_message(token, message_id)
        if msg is None:
            return _error(404, 10008, "Unknown Message")
        self.delete(msg)
        return web.Response(status=204)

    # Channels -----------------------------------------------------------------------------------

    @staticmethod
    def _public(msg: dict) -> dict:
        return {k: v for k, v in msg.items() if not k.startswith("_")}

    @staticmethod
    def _check_not_empty(body: dict, files) -> None:
        if not (body.get("content") or body.get("embeds") or files or body.get("components")
                or body.get("attachments")):
            raise DiscordLimitError("content", "Cannot send an empty message")

    def _apply_edit(self, msg: dict, body: dict, files) -> None:
        for key in ("content", "embeds", "components", "flags"):
            if key in body and body[key] is not None:
                msg[key] = body[key]
        if files:
            msg["attachments"] = self._attach(files, body)
        elif "attachments" in body:
            keep = {str(a.get("id")) for a in body["attachments"]}
            msg["attachments"] = [a for a in msg["attachments"] if a["id"] in keep]
        msg["edited_timestamp"] = _now()

    def _find(self, channel_id: str, message_id: str) -> dict | None:
        return next((m for m in self.messages.get(channel_id, []) if m["id"] == message_id), None)

    async def _send(self, rec, channel_id):
        if channel_id not in self.channels:
            return _error(404, 10003, "Unknown Channel")
        body = rec.body
        check_message_limits(body)
        self._check_not_empty(body, rec.files)
        nonce = body.get("nonce")
        if nonce is not None and body.get("enforce_nonce"):
            for earlier in self.messages.get(channel_id, []):
                if earlier.get("nonce") == nonce and earlier["author"]["id"] == self.bot["id"]:
                    return _json(self._public(earlier))  # a retried send: the first message, not a second
        msg = self._message(channel_id, self.bot, body, attachments=self._attach(rec.files, body))
        self.messages.setdefault(channel_id, []).append(msg)
        return _json(self._public(msg))

    async def _history(self, rec, channel_id):
        msgs = self.messages.get(channel_id)
        if msgs is None:
            return _error(404, 10003, "Unknown Channel")
        limit = int(rec.query.get("limit", 50))
        newest_first = list(reversed(msgs))
        if "before" in rec.query:
            newest_first = [m for m in newest_first if int(m["id"]) < int(rec.query["before"])]
        return _json([self._public(m) for m in newest_first[:limit]])

    async def _get_message(self, rec, channel_id, message_id):
        msg = self._find(channel_id, message_id)
        return _json(self._public(msg)) if msg else _error(404, 10008, "Unknown Message")

    async def _edit_message(self, rec, channel_id, message_id):
        msg = self._find(channel_id, message_id)
        if msg is None:
            return _error(404, 10008, "Unknown Message")
        if msg["author"]["id"] != self.bot["id"]:
            return _error(403, 50005, "Cannot edit a message authored by another user")
        check_message_limits(rec.body)
        self._apply_edit(msg, rec.body, rec.files)
        return _json(self._public(msg))

    async def _delete_message(self, rec, channel_id, message_id):
        msg = self._find(channel_id, message_id)
        if msg is None:
            return _error(404, 10008, "Unknown Message")
        if msg["author"]["id"] != self.bot["id"]:
            return _error(403, 50013, "Missing Permissions")
        self.delete(msg)
        return web.Response(status=204)

    async def _start_thread(self, rec, channel_id, message_id):
        parent = self.channels.get(channel_id)
        if parent is None or parent["type"] not in (0, 5):
            return _error(400, 50024, "Cannot execute action on this channel type")
        starter = self._find(channel_id, message_id)
        if starter is None:
            return _error(404, 10008, "Unknown Message")
        if starter.get("thread"):
            return _error(400, 160004, "A thread has already been created for this message")
        name = rec.body.get("name") or ""
        if not 1 <= len(name) <= 100:
            raise DiscordLimitError("name", "Must be between 1 and 100 in length")
        thread = {"id": message_id, "type": 11, "guild_id": self.guild_id, "parent_id": channel_id, "name": name,
                  "owner_id": self.bot["id"], "message_count": 0, "member_count": 1, "rate_limit_per_user": 0,
                  "flags": 0, "thread_metadata": {"archived": False, "auto_archive_duration":
                                                  rec.body.get("auto_archive_duration", 1440), "locked": False,
                                                  "archive_timestamp": _now()}}
        self.channels[message_id] = thread
        self.messages[message_id] = []
        starter["thread"] = thread
        await self.dispatch("THREAD_CREATE", {**thread, "newly_created": True})
        return _json(thread, 201)

    async def _typing(self, rec, channel_id):
        return web.Response(status=204)

    async def _get_channel(self, rec, channel_id):
        channel = self.channels.get(channel_id)
        return _json(channel) if channel else _error(404, 10003, "Unknown Channel")

    async def _download(self, request: web.Request) -> web.Response:
        blob = self.attachments.get(request.match_info["aid"])
        if blob is None:
            return web.Response(status=404)
        return web.Response(body=blob, content_type="application/octet-stream")
