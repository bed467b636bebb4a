"""Slack events as core calls: slash commands, mentions, DMs, buttons and the message shortcut.

Every listener acknowledges first (Slack wants an answer within 3 seconds; answers from the
notes, pictures and charts can take longer) and then does its work inside ``_handle``, the
one error boundary of this adapter: whatever goes wrong becomes ``bot.errors.error_reply``
shown privately to the person who asked.

Answers to ``/ask``, mentions and DMs are streamed (``Outbox.stream``): with a language model
configured they appear as the model writes them, in one message updated at most every
``UPDATE_INTERVAL`` seconds; without one, the final answer is posted as before.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Awaitable, Callable

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError

from adapters.slack.dedup import EventDedupStore
from adapters.slack.outbox import UPDATE_INTERVAL, Outbox, Where, slack_error
from adapters.slack.people import People
from adapters.slack.poster import SlackPoster
from adapters.slack.render import escape, unescape
from bot import commands
from bot.actions import PREFIX
from bot.errors import error_reply
from bot.facade import StudyBuddy
from bot.replies import ChannelRef, Turn, Visibility

log = logging.getLogger(__name__)

COMMANDS = ("ask", "tokenize", "quiz", "leaderboard", "review", "stats", "studybuddy")
TOKENIZE_SHORTCUT = "tokenize_message"
HISTORY_TURNS = 6  # earlier messages of a thread or DM passed with a question (a few follow-ups deep)
HISTORY_FETCH = 50
TOKENIZE_MAX_CHARS = 6000  # an explanation that reads well in Slack (two sections); longer is trimmed by the core
LEAD_QUESTION_MAX = 300
SLACK_HELP = ("\n\n*In Slack*: mention me in a channel (I answer in the thread, and follow-ups there keep the "
              "thread in mind) or write to me directly. Quiz answers are buttons. Any message's ⋯ menu has "
              "*Tokenize this message*.")
_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")


class Handlers:
    def __init__(self, buddy: StudyBuddy, outbox: Outbox, people: People, poster: SlackPoster,
                 dedup: EventDedupStore, bot_user_id: str) -> None:
        self.buddy = buddy
        self.outbox = outbox
        self.people = people
        self.poster = poster
        self.dedup = dedup
        self.bot_user_id = bot_user_id

    def register(self, app: AsyncApp) -> None:
        app.middleware(self._once_per_event)
        for name in COMMANDS:
            app.command(f"/{name}")(self.on_command)
        app.event("app_mention")(self.on_mention)
        app.event({"type": "message", "channel_type": "im"})(self.on_direct_message)
        app.event("message")(self.on_other_message)
        app.action(re.compile("^" + re.escape(PREFIX)))(self.on_button)
        app.shortcut(TOKENIZE_SHORTCUT)(self.on_tokenize_message)

    # The one error boundary --------------------------------------------------------------

    async def _handle(self, where: Where, what: str, work: Callable[[], Awaitable[None]]) -> None:
        """Run ``work``; any exception becomes a private reply. Order: the core's ``error_reply``
        decides the words (user mistakes as they are, setup trouble and bugs as an apology with a
        reference id, logged once); if even that reply cannot be delivered, it is logged."""
        try:
            await work()
        except Exception as exc:
            reply = error_reply(exc, context=f"slack {what}")
            try:
                await self.outbox.private(where, reply)
            except Exception:
                log.warning("could not deliver an error reply for slack %s", what, exc_info=True)

    # Retried events ----------------------------------------------------------------------

    async def _once_per_event(self, body: dict, next) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not await self.dedup.claim(event_id):
            log.info("event %s delivered again (retry); handled once already", event_id)
            return BoltResponse(status=200, body="")
        return await next()

    # Slash commands ----------------------------------------------------------------------

    async def on_command(self, ack, body: dict) -> None:
        await ack()  # within 3 s, before any work
        # Private replies go through response_url even in a DM: the DM may be between two people.
        where = Where(body["channel_id"], body["user_id"], response_url=body.get("response_url"))
        name = body["command"].lstrip("/")
        await self._handle(where, f"/{name}", lambda: self._command(where, name, unescape(body.get("text") or ""),
                                                                   body.get("user_name")))

    async def _command(self, where: Where, name: str, text: str, user_name: str | None) -> None:
        command = commands.parse_command(name, text)
        actor = await self.people.actor(where.user_id, user_name)
        channel = ChannelRef("slack", where.channel_id)
        if isinstance(command, commands.QuizNow):
            await self.poster.post_new_quiz(channel, where)
            return
        if isinstance(command, commands.Ask):
            # A public answer goes to the channel with chat.postMessage (as it always did), so it can be
            # streamed with chat.update. respond() could edit too (response_url with replace_original),
            # but a response_url allows 5 uses in 30 minutes: too few for a growing answer.
            lead = f"*{escape(actor.display_name)}* asked: {escape(_clip(command.question, LEAD_QUESTION_MAX))}"
            await self.outbox.stream(where, self.buddy.ask_stream(command.question, actor=actor, channel=channel,
                                                                  min_interval=UPDATE_INTERVAL), lead=lead)
            return
        reply = await commands.run(self.buddy, command, actor=actor, channel=channel, max_chars=TOKENIZE_MAX_CHARS)
        if isinstance(command, commands.Help):
            reply = dataclasses.replace(reply, text=reply.text + SLACK_HELP)
        if (reply.data or {}).get("reveal"):
            await self.poster.post_reveal(channel, reply)
            return
        await self.outbox.send(where, reply)

    # Mentions and direct messages --------------------------------------------------------

    async def on_mention(self, event: dict) -> None:
        # Events are acknowledged by bolt before this runs.
        if event.get("bot_id") or not event.get("user"):
            return  # another bot mentioning us: answering could start a loop between bots
        thread_ts = event.get("thread_ts") or event["ts"]
        where = Where(event["channel"], event.get("user"), thread_ts=thread_ts)
        await self._handle(where, "mention", lambda: self._answer(where, event, in_thread=event.get("thread_ts")))

    async def on_direct_message(self, event: dict) -> None:
        if event.get("subtype") or event.get("bot_id") or not event.get("user"):
            return  # edits, joins and bots' messages (our own included) are not questions
        where = Where(event["channel"], event["user"], thread_ts=event.get("thread_ts"), is_dm=True)
        await self._handle(where, "direct message", lambda: self._answer(where, event, in_thread=event.get("thread_ts")))

    async def on_other_message(self) -> None:
        """Channel messages arrive with mentions too (``app_mention`` answers those): nothing to do."""

    async def _answer(self, where: Where, event: dict, *, in_thread: str | None) -> None:
        question = self._readable(event.get("text") or "")
        actor = await self.people.actor(where.user_id)
        turns = await self._history(where.channel_id, in_thread, before=event["ts"], dm=where.is_dm)
        await self.outbox.stream(where, self.buddy.ask_stream(question, actor=actor,
                                                              channel=ChannelRef("slack", where.channel_id),
                                                              conversation=turns, min_interval=UPDATE_INTERVAL))

    async def _history(self, channel_id: str, thread_ts: str | None, *, before: str, dm: bool) -> tuple[Turn, ...]:
        """The earlier turns of the thread (or of the DM), oldest first, without the message being answered.

        Without them a follow-up is still answered, read on its own: history is a help, not a condition."""
        client = self.outbox.client
        try:
            if thread_ts:
                response = await client.conversations_replies(channel=channel_id, ts=thread_ts, limit=HISTORY_FETCH)
                messages = response.get("messages") or []
            elif dm:
                response = await client.conversations_history(channel=channel_id, latest=before, limit=HISTORY_TURNS)
                messages = list(reversed(response.get("messages") or []))
            else:
                return ()
        except SlackApiError as exc:
            log.warning("could not read the conversation's history (%s): answering without it", slack_error(exc))
            return ()
        turns = []
        for m in messages:
            if float(m.get("ts", "0")) >= float(before):
                continue
            by_bot = bool(m.get("bot_id")) or m.get("user") == self.bot_user_id
            text = self._readable(m.get("text") or "")
            if text:
                turns.append(Turn(text, by_bot=by_bot))
        return tuple(turns[-HISTORY_TURNS:])

    def _readable(self, text: str) -> str:
        """A message as the person meant it: the bot's own mention removed, entities decoded."""
        text = _MENTION.sub(lambda m: "" if m.group(1) == self.bot_user_id else m.group(0), text)
        return unescape(text).strip()

    # Buttons and the message shortcut ----------------------------------------------------

    async def on_button(self, ack, body: dict, action: dict) -> None:
        await ack()
        container = body.get("container") or {}
        channel_id = (body.get("channel") or {}).get("id") or container.get("channel_id")
        user = body.get("user") or {}
        where = Where(channel_id, user.get("id"), response_url=body.get("response_url"),
                      replace_card=bool(container.get("is_ephemeral")))

        async def work() -> None:
            actor = await self.people.actor(user["id"], user.get("username") or user.get("name"))
            # Not streamed: a click's answer (a "Simpler" re-answer too) is private, sent through the
            # response_url, and an ephemeral message cannot be updated with chat.update.
            reply = await self.buddy.press(actor, ChannelRef("slack", channel_id), action["action_id"])
            await self.outbox.private(where, reply)

        await self._handle(where, "button", work)

    async def on_tokenize_message(self, ack, shortcut: dict) -> None:
        await ack()
        channel_id = (shortcut.get("channel") or {}).get("id")
        where = Where(channel_id, (shortcut.get("user") or {}).get("id"), response_url=shortcut.get("response_url"))

        async def work() -> None:
            text = unescape((shortcut.get("message") or {}).get("text") or "")
            reply = await self.buddy.tokenize(text, max_chars=TOKENIZE_MAX_CHARS)
            # Someone else's message: the explanation is for the person who asked, not the channel.
            await self.outbox.private(where, dataclasses.replace(reply, visibility=Visibility.PRIVATE))

        await self._handle(where, "tokenize shortcut", work)


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
