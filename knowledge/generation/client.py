"""A chat model behind the OpenAI chat-completions protocol: OpenAI itself, or Ollama, vLLM,
llama.cpp's server and LM Studio, which all speak it.

The one guarantee: every call ends within ``timeout`` seconds, with text or with one
``ModelUnavailable`` naming what went wrong (timeout, 429, 5xx, a refused key, a malformed
reply or stream). Callers then fall back to the extractive answer; nothing here retries,
because a student waiting for an answer is better served by the fallback now than by a
retry later. The API key is never logged, and is scrubbed from any error text kept.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence

import httpx
import openai
from openai import AsyncOpenAI

from knowledge.generation.types import Completion, Failure, ModelUnavailable

# Local servers ignore the key; the client library insists on one.
NO_KEY = "no-key"


Messages = Sequence[dict[str, str]]

# What a server or the network can make the client raise. Anything else is a bug of ours and propagates.
# (A broken JSON body or event surfaces as ValueError: json.JSONDecodeError is one.)
_FAILURES = (openai.OpenAIError, httpx.HTTPError, TimeoutError, ValueError)


class ChatModel:
    """One configured model. ``complete`` returns the whole reply; ``stream`` yields it in pieces."""

    def __init__(self, base_url: str, model: str, *, api_key: str | None = None, timeout: float = 60.0,
                 temperature: float = 0.2) -> None:
        self.base_url = base_url
        self.model = model
        self.timeout = timeout
        self.temperature = temperature
        self._secret = api_key or ""
        # Explicit key and base URL: the library would otherwise read OPENAI_API_KEY / OPENAI_BASE_URL
        # from the environment and send a key the operator never gave us.
        self._client = AsyncOpenAI(
            base_url=base_url, api_key=api_key or NO_KEY, max_retries=0,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        )

    async def aclose(self) -> None:
        await self._client.close()

    async def complete(self, messages: Messages, *, max_tokens: int) -> Completion:
        try:
            async with asyncio.timeout(self.timeout):
                response = await self._client.chat.completions.create(
                    model=self.model, messages=list(messages), max_tokens=max_tokens,
                    temperature=self.temperature, stream=False,
                )
        except _FAILURES as exc:
            raise self._unavailable(exc) from exc
        choices = getattr(response, "choices", None)
        if not choices or choices[0].message is None or not isinstance(choices[0].message.content, str):
            raise ModelUnavailable(Failure.MALFORMED, "a completion without message text")
        return Completion(choices[0].message.content, choices[0].finish_reason or "stop")

    async def stream(self, messages: Messages, *, max_tokens: int) -> AsyncIterator[str | Completion]:
        """The reply's text in pieces as the server sends them, then the whole ``Completion``.

        The deadline covers the whole reply, but is only ever armed while waiting for the
        server, never across a ``yield``: a consumer that is slow to render a piece is not
        cancelled by our timer. A stream that ends without saying it finished is malformed.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        finished: str | None = None
        text = ""
        try:
            async with asyncio.timeout_at(deadline):
                stream = await self._client.chat.completions.create(
                    model=self.model, messages=list(messages), max_tokens=max_tokens,
                    temperature=self.temperature, stream=True,
                )
        except _FAILURES as exc:
            raise self._unavailable(exc) from exc
        pieces = aiter(stream)
        try:
            while True:
                try:
                    async with asyncio.timeout_at(deadline):
                        chunk = await anext(pieces)
                except StopAsyncIteration:
                    break
                except _FAILURES as exc:
                    raise self._unavailable(exc) from exc
                if not getattr(chunk, "choices", None):
                    continue  # usage-only chunks, keep-alives
                choice = chunk.choices[0]
                if choice.delta is not None and choice.delta.content:
                    text += choice.delta.content
                    yield choice.delta.content
                if choice.finish_reason:
                    finished = choice.finish_reason
        finally:
            await stream.close()
        if not finished:
            raise ModelUnavailable(Failure.MALFORMED, "the stream ended before the reply finished")
        yield Completion(text, finished)

    def _unavailable(self, exc: BaseException) -> ModelUnavailable:
        if isinstance(exc, ModelUnavailable):
            return exc
        failure = _classify(exc)
        detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        if self._secret:
            detail = detail.replace(self._secret, "***")
        return ModelUnavailable(failure, f"{detail} ({self.base_url}, model {self.model})")


def _classify(exc: BaseException) -> Failure:
    if isinstance(exc, (TimeoutError, openai.APITimeoutError)):
        return Failure.TIMEOUT
    if isinstance(exc, openai.RateLimitError):
        return Failure.RATE_LIMITED
    if isinstance(exc, (openai.AuthenticationError, openai.PermissionDeniedError)):
        return Failure.REFUSED_KEY
    if isinstance(exc, (openai.NotFoundError, openai.BadRequestError, openai.UnprocessableEntityError)):
        return Failure.MISCONFIGURED
    if isinstance(exc, openai.APIStatusError):
        return Failure.SERVER_ERROR
    if isinstance(exc, openai.APIConnectionError):
        return Failure.UNREACHABLE
    if isinstance(exc, openai.APIResponseValidationError):
        return Failure.MALFORMED
    if isinstance(exc, openai.APIError):
        # An error object inside a stream (the library raises APIError for it) is the server's.
        return Failure.SERVER_ERROR
    return Failure.MALFORMED  # undecodable JSON, a broken event, a protocol error mid-stream
