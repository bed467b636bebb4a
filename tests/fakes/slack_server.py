"""A small working Slack, on 127.0.0.1 and a port of its own, for driving the real slack-bolt app.

What it serves (the parts the adapter uses, with Slack's wire formats):

- the Web API at ``/api/<method>`` (form or JSON bodies, ``Authorization: Bearer``): auth.test,
  chat.postMessage / update / delete / postEphemeral, conversations.history / replies / open,
  users.info, files.getUploadURLExternal + the upload URL + files.completeUploadExternal,
  apps.connections.open. Messages are kept per channel with their metadata. Block Kit limits
  are checked as Slack checks them (``invalid_blocks``, ``msg_blocks_too_long``).
- ``response_url`` endpoints (``/respond/<n>``) that record what was sent to them;
- a Socket Mode websocket (``/link``): ``hello`` on connect, envelopes pushed by the test,
  acks collected, ``disconnect`` to make the client reconnect;
- faults on demand: the next N calls of a method answer 429 with ``Retry-After``, or 5xx.

And the other direction, as Slack sends it: signed HTTP requests to the app (``deliver``)
or envelopes over the socket (``send_envelope``).

Every call is recorded (``calls``); ``wait_for`` waits until calls matching a test arrive.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import urllib.parse
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web
from slack_sdk.signature import SignatureVerifier

BOT_TOKEN = "xoxb-test-bot-token"
APP_TOKEN = "xapp-1-test-app-token"
SIGNING_SECRET = "test-signing-secret"
TEAM = "T0TEAM"
BOT_USER = "U0BOT"
BOT_ID = "B0BOT"

# Block Kit limits, as the server enforces them.
MAX_BLOCKS = 50
SECTION_MAX = 3000
HEADER_MAX = 150
BUTTON_TEXT_MAX = 75
ACTION_ID_MAX = 255
ACTIONS_MAX = 25
CONTEXT_MAX = 10
BLOCKS_TEXT_MAX = 13_000  # measured behaviour: msg_blocks_too_long a little above this


@dataclass
class Call:
    method: str
    args: dict
    at: float  # time.monotonic() when it arrived
    status: int = 200


@dataclass
class Channel:
    id: str
    private: bool = False
    members: set[str] = field(default_factory=set)
    messages: list[dict] = field(default_factory=list)


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.responses: list[tuple[str, dict]] = []  # (response_url path, body)
        self.uploads: dict[str, bytes] = {}
        self.acks: list[dict] = []
        self.connections = 0  # websocket connections made
        self.users: dict[str, dict] = {}
        self.channels: dict[str, Channel] = {}
        self._faults: dict[str, list[tuple[int, int | None]]] = {}
        self._holds: dict[str, asyncio.Event] = {}
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._sockets: list[web.WebSocketResponse] = []
        self._pending_acks: dict[str, asyncio.Future] = {}
        self._runner: web.AppRunner | None = None
        self.base = ""
        self.app_url: str | None = None  # HTTP mode: where to POST events to the app
        self.last_response_url: str | None = None

    # Lifecycle -----------------------------------------------------------------------------

    async def start(self) -> FakeSlack:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)  # slack_sdk sends some reads (users.info) as GET
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_post("/respond/{n}", self._respond)
        app.router.add_get("/link", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.base = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self

    async def stop(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    # The workspace -------------------------------------------------------------------------

    def add_user(self, user_id: str, name: str, *, admin: bool = False, owner: bool = False) -> str:
        self.users[user_id] = {"id": user_id, "name": name.lower(), "real_name": name, "is_admin": admin,
                               "is_owner": owner, "profile": {"display_name": name, "real_name": name}}
        return user_id

    def add_channel(self, channel_id: str, *, private: bool = False, members: tuple[str, ...] = ()) -> Channel:
        channel = self.channels[channel_id] = Channel(channel_id, private, set(members) | {BOT_USER})
        return channel

    def add_message(self, channel_id: str, text: str, *, user: str, thread_ts: str | None = None) -> str:
        """A message someone wrote (as if typed in Slack); its ts."""
        message = {"type": "message", "user": user, "text": text, "ts": self._next_ts()}
        if thread_ts:
            message["thread_ts"] = thread_ts
        self._channel(channel_id).messages.append(message)
        return message["ts"]

    def messages(self, channel_id: str) -> list[dict]:
        return list(self._channel(channel_id).messages)

    def fail_next(self, method: str, status: int = 429, *, times: int = 1, retry_after: int | None = 1) -> None:
        """The next ``times`` calls of ``method`` answer ``status`` (429 carries ``Retry-After``)."""
        self._faults.setdefault(method, []).extend([(status, retry_after)] * times)

    def hold(self, method: str) -> asyncio.Event:
        """Calls of ``method`` wait until the returned event is set (to see what happens meanwhile)."""
        event = self._holds[method] = asyncio.Event()
        return event

    # What the tests look at ----------------------------------------------------------------

    def called(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and c.status == 200]

    async def wait_for(self, method: str, count: int = 1, *, timeout: float = 60, where=None) -> list[Call]:
        """The first ``count`` successful calls of ``method`` (matching ``where``), once they have arrived."""
        def matching() -> list[Call]:
            return [c for c in self.called(method) if where is None or where(c)]

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: len(matching()) >= count), timeout)
        return matching()[:count]

    async def wait_for_response(self, count: int = 1, *, timeout: float = 60) -> list[dict]:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: len(self.responses) >= count), timeout)
        return [body for _path, body in self.responses[:count]]

    async def response_at(self, url: str, *, timeout: float = 60) -> dict:
        """The first message the app sent to one response_url, once it has arrived."""
        path = url.removeprefix(self.base)

        def arrived() -> list[dict]:
            return [body for p, body in self.responses if p == path]

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(arrived), timeout)
        return arrived()[0]

    def response_url(self) -> str:
        self.last_response_url = f"{self.base}/respond/{next(self._ids)}"
        return self.last_response_url

    # Slack → the app, over HTTP ------------------------------------------------------------

    async def deliver(self, body: str, content_type: str, *, headers: dict | None = None,
                      timestamp: int | None = None, secret: str = SIGNING_SECRET) -> tuple[int, str]:
        """POST a signed request to the app as Slack does; (status, body)."""
        ts = str(int(time.time()) if timestamp is None else timestamp)
        signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
        all_headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature,
                       **(headers or {})}
        async with aiohttp.ClientSession() as session, session.post(self.app_url, data=body.encode(),
                                                                    headers=all_headers) as response:
            return response.status, await response.text()

    async def command(self, name: str, text: str, *, user: str, channel: str) -> tuple[int, str]:
        form = urllib.parse.urlencode(command_payload(self, name, text, user=user, channel=channel))
        return await self.deliver(form, "application/x-www-form-urlencoded")

    async def event(self, event: dict, *, event_id: str | None = None, retry: int = 0) -> tuple[int, str]:
        body = event_body(event, event_id or f"Ev{next(self._ids):08d}")
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        return await self.deliver(json.dumps(body), "application/json", headers=headers)

    async def interact(self, payload: dict) -> tuple[int, str]:
        form = urllib.parse.urlencode({"payload": json.dumps(payload)})
        return await self.deliver(form, "application/x-www-form-urlencoded")

    # Slack → the app, over the socket ------------------------------------------------------

    async def wait_for_connection(self, count: int = 1, *, timeout: float = 30) -> None:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: self.connections >= count and self._sockets), timeout)

    async def send_envelope(self, kind: str, payload: dict, *, retry_attempt: int = 0,
                            timeout: float = 30) -> dict:
        """Push one envelope (``events_api``, ``slash_commands``, ``interactive``) and return the app's ack."""
        envelope_id = f"env-{next(self._ids)}"
        envelope = {"envelope_id": envelope_id, "type": kind, "payload": payload,
                    "accepts_response_payload": kind != "events_api", "retry_attempt": retry_attempt,
                    "retry_reason": "timeout" if retry_attempt else ""}
        ack = self._pending_acks[envelope_id] = asyncio.get_running_loop().create_future()
        await self._sockets[-1].send_str(json.dumps(envelope))
        return await asyncio.wait_for(ack, timeout)

    async def ask_to_reconnect(self) -> None:
        """Slack's periodic ``disconnect`` (refresh_requested): the client must open a new connection."""
        await self._sockets[-1].send_str(json.dumps({"type": "disconnect", "reason": "refresh_requested"}))

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        async with self._changed:
            self.connections += 1
            self._sockets.append(ws)
            self._changed.notify_all()
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1,
                                      "connection_info": {"app_id": "A0APP"},
                                      "debug_info": {"host": "fake", "approximate_connection_time": 3600}}))
        try:
            async for msg in ws:
                if msg.type != aiohttp.WSMsgType.TEXT:
                    continue
                data = json.loads(msg.data)
                self.acks.append(data)
                future = self._pending_acks.pop(data.get("envelope_id"), None)
                if future is not None and not future.done():
                    future.set_result(data)
        finally:
            if ws in self._sockets:
                self._sockets.remove(ws)
        return ws

    # The Web API ---------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _args(request)
        call = Call(method, args, time.monotonic())
        faults = self._faults.get(method)
        if faults:
            status, retry_after = faults.pop(0)
            call.status = status
            await self._record(call)
            headers = {"Retry-After": str(retry_after)} if status == 429 and retry_after is not None else {}
            return web.json_response({"ok": False, "error": "ratelimited" if status == 429 else "fatal_error"},
                                     status=status, headers=headers)
        await self._record(call)
        if method in self._holds:
            await self._holds[method].wait()
        token = _bearer(request) or args.get("token")
        expected = APP_TOKEN if method == "apps.connections.open" else BOT_TOKEN
        if token != expected:
            return _ok_false("invalid_auth")
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            return _ok_false("unknown_method")
        return web.json_response(handler(args))

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def _m_auth_test(self, args: dict) -> dict:
        return {"ok": True, "url": "https://fake.slack.test/", "team": "Fake", "user": "studybuddy",
                "team_id": TEAM, "user_id": BOT_USER, "bot_id": BOT_ID, "is_enterprise_install": False}

    def _m_apps_connections_open(self, args: dict) -> dict:
        return {"ok": True, "url": f"ws://{self.base.removeprefix('http://')}/link"}

    def _m_users_info(self, args: dict) -> dict:
        user = self.users.get(args.get("user"))
        return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}

    def _m_chat_postMessage(self, args: dict) -> dict:
        channel = self.channels.get(args.get("channel"))
        if channel is None or (channel.private and BOT_USER not in channel.members):
            return {"ok": False, "error": "channel_not_found" if channel is None else "not_in_channel"}
        problem = check_message(args)
        if problem:
            return {"ok": False, "error": problem}
        message = {"type": "message", "user": BOT_USER, "bot_id": BOT_ID, "text": args.get("text", ""),
                   "blocks": _json(args.get("blocks")) or [], "ts": self._next_ts()}
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        if args.get("metadata"):
            message["metadata"] = _json(args["metadata"])
        channel.messages.append(message)
        return {"ok": True, "channel": channel.id, "ts": message["ts"], "message": message}

    def _m_chat_update(self, args: dict) -> dict:
        channel = self.channels.get(args.get("channel"))
        message = next((m for m in channel.messages if m["ts"] == args.get("ts")), None) if channel else None
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        if message.get("user") != BOT_USER:
            return {"ok": False, "error": "cant_update_message"}
        problem = check_message(args)
        if problem:
            return {"ok": False, "error": problem}
        message.update(text=args.get("text", ""), blocks=_json(args.get("blocks")) or [], edited=True)
        return {"ok": True, "channel": channel.id, "ts": message["ts"]}

    def _m_chat_delete(self, args: dict) -> dict:
        channel = self.channels.get(args.get("channel"))
        message = next((m for m in channel.messages if m["ts"] == args.get("ts")), None) if channel else None
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        if message.get("user") != BOT_USER:
            return {"ok": False, "error": "cant_delete_message"}
        channel.messages.remove(message)
        return {"ok": True, "channel": channel.id, "ts": message["ts"]}

    def _m_chat_postEphemeral(self, args: dict) -> dict:
        problem = check_message(args)
        if problem:
            return {"ok": False, "error": problem}
        return {"ok": True, "message_ts": self._next_ts()}

    def _m_conversations_history(self, args: dict) -> dict:
        channel = self.channels.get(args.get("channel"))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        oldest = float(args.get("oldest") or 0)
        latest = float(args.get("latest") or "inf")
        with_metadata = str(args.get("include_all_metadata")).lower() in ("true", "1")
        found = [m for m in reversed(channel.messages) if "thread_ts" not in m or m["thread_ts"] == m["ts"]
                 if oldest <= float(m["ts"]) < latest]
        found = found[: int(args.get("limit") or 100)]
        if not with_metadata:
            found = [{k: v for k, v in m.items() if k != "metadata"} for m in found]
        return {"ok": True, "messages": found, "has_more": False}

    def _m_conversations_replies(self, args: dict) -> dict:
        channel = self.channels.get(args.get("channel"))
        ts = args.get("ts")
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        thread = [m for m in channel.messages if m["ts"] == ts or m.get("thread_ts") == ts]
        return {"ok": True, "messages": thread, "has_more": False}

    def _m_conversations_open(self, args: dict) -> dict:
        user = args.get("users")
        dm = f"D{user}"
        if dm not in self.channels:
            self.add_channel(dm, private=True, members=(user,))
        return {"ok": True, "channel": {"id": dm}}

    def _m_files_getUploadURLExternal(self, args: dict) -> dict:
        if not args.get("filename") or int(args.get("length") or 0) <= 0:
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(self._ids):08d}"
        return {"ok": True, "upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}

    def _m_files_completeUploadExternal(self, args: dict) -> dict:
        files = _json(args.get("files")) or []
        if any(f["id"] not in self.uploads for f in files):
            return {"ok": False, "error": "file_not_found"}
        channel_id = args.get("channel_id")
        if channel_id:
            channel = self.channels.get(channel_id)
            if channel is None or (channel.private and BOT_USER not in channel.members):
                return {"ok": False, "error": "not_in_channel"}
            for f in files:
                channel.messages.append({"type": "message", "user": BOT_USER, "bot_id": BOT_ID, "ts": self._next_ts(),
                                         "text": args.get("initial_comment", ""),
                                         "files": [{"id": f["id"], "title": f.get("title")}]})
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}

    async def _upload(self, request: web.Request) -> web.Response:
        self.uploads[request.match_info["file_id"]] = await request.read()
        await self._record(Call("upload", {"file_id": request.match_info["file_id"]}, time.monotonic()))
        return web.Response(text=f"OK - {len(self.uploads[request.match_info['file_id']])}")

    async def _respond(self, request: web.Request) -> web.Response:
        body = await request.json()
        problem = check_message(body)
        if problem:
            return web.Response(status=400, text=problem)
        async with self._changed:
            self.responses.append((request.path, body))
            self._changed.notify_all()
        return web.json_response({"ok": True})

    # Helpers -------------------------------------------------------------------------------

    def _channel(self, channel_id: str) -> Channel:
        return self.channels.get(channel_id) or self.add_channel(channel_id)

    def _next_ts(self) -> str:
        # Real time keeps "oldest" look-ups meaningful; the counter keeps ts unique and ordered.
        return f"{int(time.time())}.{next(self._ts):06d}"


# Requests as Slack sends them ------------------------------------------------------------


def command_payload(fake: FakeSlack, name: str, text: str, *, user: str, channel: str) -> dict:
    """A slash command's fields (form-encoded over HTTP, a JSON object in a Socket Mode envelope)."""
    form = {"token": "legacy", "team_id": TEAM, "team_domain": "fake", "channel_id": channel,
            "channel_name": "study", "user_id": user, "user_name": fake.users.get(user, {}).get("name", user),
            "command": f"/{name}", "text": text, "api_app_id": "A0APP", "is_enterprise_install": "false",
            "response_url": fake.response_url(), "trigger_id": "13345224609.738474920.8088930838d88f008e0"}
    return form


def event_body(event: dict, event_id: str) -> dict:
    return {"token": "legacy", "team_id": TEAM, "api_app_id": "A0APP", "event": event, "type": "event_callback",
            "event_id": event_id, "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}]}


def mention(channel: str, user: str, text: str, ts: str, thread_ts: str | None = None) -> dict:
    event = {"type": "app_mention", "user": user, "text": text, "ts": ts, "channel": channel, "event_ts": ts}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def direct_message(channel: str, user: str, text: str, ts: str) -> dict:
    return {"type": "message", "channel_type": "im", "user": user, "text": text, "ts": ts, "channel": channel,
            "event_ts": ts}


def click(fake: FakeSlack, message: dict, channel: str, user: str, action_id: str, *, ephemeral: bool = False) -> dict:
    """A ``block_actions`` payload: ``user`` clicked the button ``action_id`` on ``message``."""
    button = next(e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
                  if e["action_id"] == action_id)
    return {"type": "block_actions", "team": {"id": TEAM}, "user": {"id": user, "username": user.lower(), "team_id": TEAM},
            "api_app_id": "A0APP", "token": "legacy", "trigger_id": "1.2.3",
            "container": {"type": "message", "message_ts": message.get("ts", "0"), "channel_id": channel,
                          "is_ephemeral": ephemeral},
            "channel": {"id": channel, "name": "study"}, "message": message, "response_url": fake.response_url(),
            "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "text": button["text"],
                         "value": button.get("value", ""), "action_ts": str(time.time())}]}


def message_shortcut(fake: FakeSlack, channel: str, user: str, message: dict, callback_id: str) -> dict:
    return {"type": "message_action", "callback_id": callback_id, "team": {"id": TEAM},
            "user": {"id": user, "name": user.lower()}, "channel": {"id": channel, "name": "study"},
            "message": message, "message_ts": message["ts"], "response_url": fake.response_url(),
            "trigger_id": "1.2.3", "token": "legacy", "action_ts": str(time.time())}


# Block Kit, checked as Slack checks it ----------------------------------------------------


def check_message(args: dict) -> str | None:
    """Slack's error for a message whose blocks break a limit, or None."""
    blocks = _json(args.get("blocks"))
    if blocks is None:
        return None if args.get("text") else "no_text"
    if len(blocks) > MAX_BLOCKS:
        return "invalid_blocks"
    total = 0
    action_ids: set[str] = set()
    for block in blocks:
        kind = block.get("type")
        if kind == "section":
            text = block["text"]["text"]
            if not 1 <= len(text) <= SECTION_MAX:
                return "invalid_blocks"
            total += len(text)
        elif kind == "header":
            text = block["text"]["text"]
            if block["text"]["type"] != "plain_text" or not 1 <= len(text) <= HEADER_MAX:
                return "invalid_blocks"
            total += len(text)
        elif kind == "context":
            if not 1 <= len(block["elements"]) <= CONTEXT_MAX:
                return "invalid_blocks"
            for element in block["elements"]:
                if not 1 <= len(element["text"]) <= SECTION_MAX:
                    return "invalid_blocks"
                total += len(element["text"])
        elif kind == "actions":
            if not 1 <= len(block["elements"]) <= ACTIONS_MAX:
                return "invalid_blocks"
            for element in block["elements"]:
                label = element["text"]["text"]
                if element["text"]["type"] != "plain_text" or not 1 <= len(label) <= BUTTON_TEXT_MAX:
                    return "invalid_blocks"
                if not 1 <= len(element["action_id"]) <= ACTION_ID_MAX or element["action_id"] in action_ids:
                    return "invalid_blocks"
                if element.get("style") not in (None, "primary", "danger"):
                    return "invalid_blocks"
                action_ids.add(element["action_id"])
                total += len(label)
        else:
            return "invalid_blocks"
    if total > BLOCKS_TEXT_MAX:
        return "msg_blocks_too_long"
    return None


async def _args(request: web.Request) -> dict:
    args = dict(request.query)
    if request.method == "POST":
        args.update(await request.json() if request.content_type == "application/json" else await request.post())
    return args


def _bearer(request: web.Request) -> str | None:
    auth = request.headers.get("Authorization", "")
    return auth.removeprefix("Bearer ").strip() or None


def _json(value):
    if isinstance(value, str):
        return json.loads(value) if value else None
    return value


def _ok_false(error: str) -> web.Response:
    return web.json_response({"ok": False, "error": error})
