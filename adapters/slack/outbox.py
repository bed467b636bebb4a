"""Sending to Slack: where a reply goes and how it gets there, with Slack's rate limits honoured.

- Public replies are ``chat.postMessage`` (split into as many messages as the limits need, in
  the same thread), then the picture, if any, through the files upload v2 flow.
- Private replies go where only the person sees them: the ``response_url`` of the command or
  click when there is one (works in any channel, even ones the bot is not in), else
  ``chat.postEphemeral``; in a DM they are ordinary messages. Ephemeral messages cannot
  carry files, so a private picture goes to the person's DM with the bot.
- 429 answers are retried after ``Retry-After`` and 5xx a bounded number of times by slack_sdk's
  retry handlers, on the Web API and on ``response_url`` alike.
- Streamed answers (``stream``): the first partial reply is posted with ``chat.postMessage``
  and that message is replaced with ``chat.update`` for each later reply, the last one
  carrying the sources and buttons. Only public replies stream: an ephemeral message (a
  ``response_url`` reply or ``chat.postEphemeral``) cannot be changed with ``chat.update``,
  so a private answer shows only its final reply. Without a model there is only the final
  reply, sent by ``send`` exactly as before.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.partial import close_markup
from adapters.slack.render import Message, render
from bot.errors import ConfigError, DependencyError, UserInputError
from bot.replies import Reply, Visibility

log = logging.getLogger(__name__)

RATE_LIMIT_RETRIES = 3
SERVER_ERROR_RETRIES = 2
NOT_THERE = ("not_in_channel", "channel_not_found", "is_archived")
# Seconds between two chat.update calls of a streamed answer: chat.update is a Tier 3 method
# (about 50 a minute per workspace), so one every 1.2 s per answer stays inside it.
UPDATE_INTERVAL = 1.2
CANNOT_POST = ("I can't post in this conversation yet: add me with `/invite @Study Buddy` "
               "(private channels need that), then try again.")


class _ServerErrorRetryHandler(AsyncServerErrorRetryHandler):
    """slack_sdk's handler retries 500 and 503 only; a 502 or 504 from Slack's edge is as passing."""

    async def _can_retry_async(self, *, state, request, response=None, error=None) -> bool:
        return response is not None and 500 <= response.status_code < 600


def retry_handlers() -> list[AsyncRetryHandler]:
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=2),
        AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        _ServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
    ]


def slack_error(exc: SlackApiError) -> str:
    """Slack's error code (``not_in_channel``), or the HTTP status when the answer was not JSON."""
    data = exc.response.data
    return data.get("error", "") if isinstance(data, dict) else f"http_{exc.response.status_code}"


def make_client(token: str, base_url: str | None) -> AsyncWebClient:
    kwargs = {"base_url": base_url} if base_url else {}
    return AsyncWebClient(token=token, retry_handlers=retry_handlers(), **kwargs)


@dataclass(frozen=True, slots=True)
class Where:
    """Where a conversation happens: the channel, the person, the thread, how to reach them privately."""

    channel_id: str
    user_id: str | None = None
    thread_ts: str | None = None
    response_url: str | None = None
    is_dm: bool = False
    replace_card: bool = False  # a click on a private card: the answer replaces the card


class Outbox:
    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def send(self, where: Where, reply: Reply, *, lead: str | None = None) -> str | None:
        if reply.visibility is Visibility.PRIVATE and not where.is_dm:
            await self.private(where, reply)
            return None
        return await self.public(where, reply, lead=lead)

    async def public(self, where: Where, reply: Reply, *, lead: str | None = None,
                     metadata: dict | None = None) -> str | None:
        """Post ``reply`` for everyone in the conversation; the first message's ts."""
        first_ts = None
        for n, message in enumerate(render(reply, lead=lead)):
            ts = await self._post(where, message, metadata=metadata if n == 0 else None)
            first_ts = first_ts or ts
        if reply.image is not None:
            await self.upload(where.channel_id, reply, thread_ts=where.thread_ts)
        return first_ts

    async def _post(self, where: Where, message: Message, *, metadata: dict | None = None) -> str:
        response = await self._call(self.client.chat_postMessage, channel=where.channel_id,
                                    thread_ts=where.thread_ts, unfurl_links=False, unfurl_media=False,
                                    metadata=metadata, **message.as_kwargs())
        return response["ts"]

    async def stream(self, where: Where, replies: AsyncIterator[Reply], *, lead: str | None = None) -> str | None:
        """Show partial replies in one posted message, updated as they come, then the final reply
        (as ``send`` would show it) in its place; the message's ts.

        An update Slack refuses (the message was deleted, the edit window closed, rate limits
        that outlasted the retries) stops the updates, and the final reply is then posted anew.
        If the work fails after a partial was shown, that half answer is deleted before the error
        reaches the one error boundary.
        """
        ts: str | None = None
        broken = False
        final: Reply | None = None
        async with aclosing(replies):
            try:
                async for reply in replies:
                    if not (reply.data or {}).get("partial"):
                        final = reply  # the last one: the stream then ends by itself
                        continue
                    if broken or (reply.visibility is Visibility.PRIVATE and not where.is_dm):
                        continue  # an ephemeral message cannot be updated: a private answer shows only its end
                    message = partial_message(reply, lead=lead)
                    if message is None:
                        continue
                    if ts is None:
                        ts = await self._post(where, message)
                    else:
                        broken = not await self._replace(where.channel_id, ts, message)
            except Exception:
                if ts is not None and not broken:
                    with contextlib.suppress(SlackApiError):
                        await self.client.chat_delete(channel=where.channel_id, ts=ts)
                raise
        if final is None:
            raise RuntimeError("the reply stream ended without a final reply")
        return await self._finish(where, final, ts, broken, lead=lead)

    async def _finish(self, where: Where, reply: Reply, ts: str | None, broken: bool, *,
                      lead: str | None) -> str | None:
        if ts is not None and not broken and reply.visibility is Visibility.PRIVATE and not where.is_dm:
            # Streamed in public but private in the end: the public message goes, the answer is sent privately.
            with contextlib.suppress(SlackApiError):
                await self.client.chat_delete(channel=where.channel_id, ts=ts)
            ts = None
        if ts is None or broken:
            return await self.send(where, reply, lead=lead)
        first, *rest = render(reply, lead=lead)
        if not await self._replace(where.channel_id, ts, first):
            return await self.send(where, reply, lead=lead)
        for message in rest:
            await self._post(where, message)
        if reply.image is not None:
            await self.upload(where.channel_id, reply, thread_ts=where.thread_ts)
        return ts

    async def _replace(self, channel_id: str, ts: str, message: Message) -> bool:
        """``chat.update`` the message at ``ts``; False when Slack refused it."""
        try:
            await self._call(self.client.chat_update, channel=channel_id, ts=ts, **message.as_kwargs())
            return True
        except (SlackApiError, DependencyError) as exc:
            log.info("could not update streamed answer %s: %s", ts, exc)
            return False

    async def private(self, where: Where, reply: Reply) -> None:
        """Show ``reply`` to ``where.user_id`` only."""
        reply = dataclasses.replace(reply, visibility=Visibility.PRIVATE)
        messages = render(reply)
        if where.is_dm or not where.user_id:
            await self.public(where, reply)
            return
        if reply.image is not None:
            messages[-1].blocks.append(_note("📈 I sent you the picture in our direct messages."))
        if where.response_url:
            for n, message in enumerate(messages):
                await self.respond(where.response_url, message, replace=where.replace_card and n == 0)
        else:
            for message in messages:
                await self._call(self.client.chat_postEphemeral, channel=where.channel_id, user=where.user_id,
                                 thread_ts=where.thread_ts, **message.as_kwargs())
        if reply.image is not None:
            dm = await self._call(self.client.conversations_open, users=where.user_id)
            await self.upload(dm["channel"]["id"], reply)

    async def respond(self, response_url: str, message: Message, *, replace: bool = False) -> None:
        webhook = AsyncWebhookClient(response_url, retry_handlers=retry_handlers())
        body = {"response_type": "ephemeral", "replace_original": replace, **message.as_kwargs()}
        response = await webhook.send_dict(body)
        if response.status_code != 200:
            # An expired response_url (30 minutes, 5 uses) lands here: the user gets nothing more from it.
            raise DependencyError(f"Slack refused a response_url reply: {response.status_code} {response.body[:100]}")

    async def update(self, channel_id: str, ts: str, reply: Reply) -> None:
        """Replace a posted message (a quiz, closed) with the first message of ``reply``, without buttons."""
        message = render(reply, with_buttons=False)[0]
        await self._call(self.client.chat_update, channel=channel_id, ts=ts, **message.as_kwargs())

    async def upload(self, channel_id: str, reply: Reply, *, thread_ts: str | None = None) -> None:
        image = reply.image
        await self._call(self.client.files_upload_v2, channel=channel_id, thread_ts=thread_ts, file=image.data,
                         filename=image.filename, title=image.alt or image.filename, alt_txt=image.alt[:1000] or None)

    async def _call(self, method, **kwargs):
        try:
            return await method(**{k: v for k, v in kwargs.items() if v is not None})
        except SlackApiError as exc:
            error = slack_error(exc)
            if error in NOT_THERE:
                raise UserInputError(CANNOT_POST) from exc
            if error == "missing_scope":
                needed = exc.response.data.get("needed", "?")
                raise ConfigError(f"the Slack app lacks the {needed} scope: add it (adapters/slack/manifest.yaml) "
                                  "and reinstall the app") from exc
            if error == "ratelimited" or exc.response.status_code >= 500:
                # The retry handlers already waited and retried: Slack is down or overloaded for now.
                raise DependencyError(f"Slack's Web API kept failing ({error}, HTTP {exc.response.status_code}) "
                                      "after retries") from exc
            raise


def partial_message(reply: Reply, *, lead: str | None = None) -> Message | None:
    """The one message showing a partial reply: its open markup closed, within one message's
    limits (a long answer shows its first part until the final reply), or None while it is blank."""
    text = close_markup(reply.text or "")
    if not text.strip():
        return None
    return render(dataclasses.replace(reply, text=text, sources=(), buttons=(), image=None), lead=lead)[0]


def _note(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}
