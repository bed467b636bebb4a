"""The real OpenAI client against a fake OpenAI-compatible server: replies, streams, and every failure typed."""

from __future__ import annotations

import logging

import pytest

from knowledge.generation.client import ChatModel
from knowledge.generation.types import Completion, Failure, ModelUnavailable
from tests.fakes.openai_server import FakeOpenAI, Script

HELLO = [{"role": "user", "content": "hello"}]


@pytest.fixture(scope="module")
def running_server():
    with FakeOpenAI(api_key="sk-test-secret-123") as fake:
        yield fake


@pytest.fixture
def server(running_server):
    running_server.reset()
    return running_server


def model(server, *, key="sk-test-secret-123", timeout=5.0) -> ChatModel:
    return ChatModel(server.base_url, "fake-model", api_key=key, timeout=timeout)


@pytest.mark.asyncio
async def test_complete_and_stream_return_the_text_the_server_sent(server):
    """The whole reply as JSON, and the same reply streamed piece by piece over SSE."""
    chat = model(server)
    server.reply("Tokens are pieces of text [1].")
    assert await chat.complete(HELLO, max_tokens=50) == Completion("Tokens are pieces of text [1].", "stop")
    server.reply("Tokens are pieces of text [1].")
    pieces = [p async for p in chat.stream(HELLO, max_tokens=50)]
    assert pieces[-1] == Completion("Tokens are pieces of text [1].", "stop")
    assert "".join(pieces[:-1]) == "Tokens are pieces of text [1]." and len(pieces) > 3
    assert server.requests[-1].body["stream"] is True and server.requests[-1].body["model"] == "fake-model"
    await chat.aclose()


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("script", "failure"),
    [
        (Script(status=429), Failure.RATE_LIMITED),
        (Script(status=500), Failure.SERVER_ERROR),
        (Script(status=503), Failure.SERVER_ERROR),
        (Script(status=404), Failure.MISCONFIGURED),
        (Script("late", delay=3), Failure.TIMEOUT),
        (Script("one two three four", malformed="json"), Failure.MALFORMED),
    ],
)
@pytest.mark.parametrize("streamed", [False, True])
async def test_each_failure_is_one_typed_error(server, script, failure, streamed):
    """Rate limits, server errors, a wrong model, a timeout and broken JSON each raise ModelUnavailable."""
    chat = model(server, timeout=0.5)
    server.script(script)
    with pytest.raises(ModelUnavailable) as caught:
        if streamed:
            [p async for p in chat.stream(HELLO, max_tokens=50)]
        else:
            await chat.complete(HELLO, max_tokens=50)
    assert caught.value.failure is failure
    await chat.aclose()


@pytest.mark.asyncio
@pytest.mark.parametrize("script", [Script("one two three four", malformed="cut"),
                                    Script("one two three four", error_event=True),
                                    Script("one two three four five six", piece_delay=0.3)])
async def test_a_stream_that_breaks_or_stalls_midway_fails(server, script):
    """A stream cut off, carrying an error event, or too slow overall fails after some text, not silently."""
    chat = model(server, timeout=0.8)
    server.script(script)
    seen = []
    with pytest.raises(ModelUnavailable):
        async for piece in chat.stream(HELLO, max_tokens=50):
            seen.append(piece)
    assert seen and not any(isinstance(p, Completion) for p in seen)
    await chat.aclose()


@pytest.mark.asyncio
async def test_a_refused_key_fails_without_showing_the_key(server, caplog):
    """A wrong key is a REFUSED_KEY failure; the key appears nowhere in the error or the log."""
    chat = model(server, key="sk-wrong-key-456")
    with caplog.at_level(logging.DEBUG), pytest.raises(ModelUnavailable) as caught:
        await chat.complete(HELLO, max_tokens=50)
    assert caught.value.failure is Failure.REFUSED_KEY
    assert "sk-wrong-key-456" not in str(caught.value) and "sk-wrong-key-456" not in caplog.text
    await chat.aclose()


@pytest.mark.asyncio
async def test_an_unreachable_server_fails_fast(server):
    """Nothing listening at the base URL is UNREACHABLE."""
    from tests.support import free_port

    chat = ChatModel(f"http://127.0.0.1:{free_port()}/v1", "fake-model", timeout=5)
    with pytest.raises(ModelUnavailable) as caught:
        await chat.complete(HELLO, max_tokens=50)
    assert caught.value.failure is Failure.UNREACHABLE
    await chat.aclose()
