"""A small OpenAI-compatible chat-completions server on 127.0.0.1 for tests, driven by the real client.

It speaks the protocol, not our code: ``POST /v1/chat/completions`` answers with a JSON
completion, or with server-sent events (``data: {chunk}`` lines, then ``data: [DONE]``) when
the request says ``"stream": true``. What it answers is scripted per test:

    with FakeOpenAI() as server:                 # its own thread and event loop, port 0
        server.reply("Attention weighs tokens [1].")      # the next request gets this
        server.fail(status=429)                           # then a refusal
        server.respond = lambda request: Script("…")      # or decide from the request
        settings = ... server.base_url ...
        server.requests[-1].messages                      # what the client sent

A ``Script`` can wait before answering (``delay``), between streamed pieces (``piece_delay``),
fail with an HTTP status, cut the stream off or send a broken event (``malformed``). The
server checks the bearer key when ``api_key`` is set, as a hosted service does.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web


@dataclass
class Script:
    """One scripted answer."""

    text: str = ""
    status: int = 200  # anything else: an OpenAI-style error body with this status
    delay: float = 0.0  # seconds before the response starts
    piece_delay: float = 0.0  # seconds between streamed pieces
    pieces: list[str] | None = None  # how the text is cut when streamed; default: word by word
    finish_reason: str | None = "stop"
    malformed: str | None = None  # "json": a broken event mid-stream; "cut": the stream stops without finishing
    error_event: bool = False  # the stream carries an error object mid-way (as vLLM and OpenAI do)


@dataclass
class Request:
    body: dict
    headers: dict[str, str]

    @property
    def messages(self) -> list[dict]:
        return self.body.get("messages", [])

    @property
    def system(self) -> str:
        return "\n".join(m["content"] for m in self.messages if m["role"] == "system")

    @property
    def user(self) -> str:
        return "\n".join(m["content"] for m in self.messages if m["role"] == "user")


@dataclass
class FakeOpenAI:
    api_key: str | None = None
    model: str = "fake-model"
    respond: Callable[[Request], Script] | None = None  # used when nothing is queued
    requests: list[Request] = field(default_factory=list)
    _queue: deque = field(default_factory=deque)

    # Scripting ---------------------------------------------------------------------------

    def reply(self, text: str, **kw) -> None:
        self._queue.append(Script(text, **kw))

    def fail(self, status: int, **kw) -> None:
        self._queue.append(Script("", status=status, **kw))

    def script(self, script: Script) -> None:
        self._queue.append(script)

    def reset(self) -> None:
        """Forget scripts, the responder and recorded requests (a server shared by several tests)."""
        self._queue.clear()
        self.requests.clear()
        self.respond = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # Lifecycle ---------------------------------------------------------------------------

    def __enter__(self) -> FakeOpenAI:
        started = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, args=(started,), daemon=True, name="fake-openai")
        self._thread.start()
        if not started.wait(10):
            raise RuntimeError("the fake OpenAI server did not start")
        return self

    def __exit__(self, *exc) -> None:
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def _serve(self, started: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._completions)
        app.router.add_get("/v1/models", self._models)
        # A client that gave up (timeout) cancels its handler, so a scripted delay never outlives the test.
        self._runner = web.AppRunner(app, handle_signals=False, handler_cancellation=True, shutdown_timeout=1)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]
        started.set()
        self._loop.run_forever()

    # Protocol ----------------------------------------------------------------------------

    def _next(self, request: Request) -> Script:
        if self._queue:
            return self._queue.popleft()
        if self.respond is not None:
            return self.respond(request)
        return Script("(no scripted reply)")

    async def _models(self, request: web.Request) -> web.Response:
        return web.json_response({"object": "list", "data": [{"id": self.model, "object": "model"}]})

    async def _completions(self, request: web.Request) -> web.StreamResponse:
        if self.api_key is not None and request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return _error(401, "Incorrect API key provided.", "invalid_api_key")
        body = await request.json()
        req = Request(body, dict(request.headers))
        self.requests.append(req)
        script = self._next(req)
        if script.delay:
            await asyncio.sleep(script.delay)
        if script.status != 200:
            return _error(script.status, f"scripted failure {script.status}", "scripted")
        created = int(time.time())
        if not body.get("stream"):
            if script.malformed:
                return web.Response(text='{"id": "x", "choices": [', content_type="application/json")
            return web.json_response({
                "id": "chatcmpl-fake", "object": "chat.completion", "created": created, "model": self.model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": script.text},
                             "finish_reason": script.finish_reason}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            })
        resp = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
        await resp.prepare(request)

        async def send(payload: str) -> None:
            await resp.write(f"data: {payload}\n\n".encode())

        def chunk(delta: dict, finish: str | None = None) -> str:
            return json.dumps({"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": created,
                               "model": self.model,
                               "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})

        pieces = script.pieces if script.pieces is not None else _words(script.text)
        await send(chunk({"role": "assistant", "content": ""}))
        for i, piece in enumerate(pieces):
            if i and script.piece_delay:
                await asyncio.sleep(script.piece_delay)
            if script.malformed and i == len(pieces) // 2:
                if script.malformed == "json":
                    await send('{"id": "chatcmpl-fake", "choices": [{"delta": ')
                    return resp
                if script.malformed == "cut":
                    return resp
            if script.error_event and i == len(pieces) // 2:
                await send(json.dumps({"error": {"message": "scripted stream error", "type": "server_error"}}))
                return resp
            await send(chunk({"content": piece}))
        await send(chunk({}, script.finish_reason))
        await send("[DONE]")
        return resp


def _words(text: str) -> list[str]:
    """The text cut as a model streams it: a word with its following space per piece."""
    out, word = [], ""
    for ch in text:
        word += ch
        if ch == " ":
            out.append(word)
            word = ""
    return out + ([word] if word else [])


def _error(status: int, message: str, code: str) -> web.Response:
    return web.json_response({"error": {"message": message, "type": "invalid_request_error" if status < 500
                                        else "server_error", "param": None, "code": code}}, status=status)
