"""Quizzes and reveals in Slack channels: posted once, and the quiz message closed on reveal.

``SlackPoster`` is the core's ``Poster`` for Slack (the scheduler's daily quizzes and reveals)
and also posts ``/quiz now`` and ``/quiz close``.

Exactly once. The scheduler's database claim makes one process the poster of a slot, but
a process that takes over a stale claim cannot know whether the previous one's send reached
Slack, and ``chat.postMessage`` has no idempotency key. So every keyed post carries the key
in its message metadata, and before posting a keyed message the poster looks through the
channel's recent history (``include_all_metadata``) for a message that already carries it;
if one is there, that message *is* the post and its ts is returned. What remains is a race
between two live posters on one slot within seconds, which the database claim excludes.
"""

from __future__ import annotations

import logging
import time

from slack_sdk.errors import SlackApiError

from adapters.slack.outbox import Outbox, Where, slack_error
from bot.facade import StudyBuddy
from bot.replies import ChannelRef, Reply

log = logging.getLogger(__name__)

EVENT_TYPE = "studybuddy_post"
LOOKBACK_SECONDS = 26 * 60 * 60  # a slot's post is looked for over the day it belongs to, and a little more
LOOKBACK_MESSAGES = 200


class SlackPoster:
    def __init__(self, buddy: StudyBuddy, outbox: Outbox) -> None:
        self.buddy = buddy
        self.outbox = outbox

    # The core's Poster -------------------------------------------------------------------

    async def post(self, channel: ChannelRef, reply: Reply, *, key: str | None = None) -> str | None:
        where = Where(channel.channel_id)
        if (reply.data or {}).get("reveal"):
            await self._close_quiz_message(channel, reply)
        if key is not None:
            already = await self.find_post(channel.channel_id, key)
            if already is not None:
                log.info("post %s is already in channel %s (message %s): not posting again", key,
                         channel.channel_id, already)
                return already
        metadata = {"event_type": EVENT_TYPE, "event_payload": {"key": key}} if key else None
        return await self.outbox.public(where, reply, metadata=metadata)

    async def find_post(self, channel_id: str, key: str) -> str | None:
        """The ts of a recent message in the channel carrying ``key`` in its metadata, if any."""
        cursor = None
        seen = 0
        oldest = f"{time.time() - LOOKBACK_SECONDS:.6f}"
        try:
            while seen < LOOKBACK_MESSAGES:
                page = await self.outbox.client.conversations_history(
                    channel=channel_id, oldest=oldest, limit=100, include_all_metadata=True, cursor=cursor)
                for message in page.get("messages") or []:
                    seen += 1
                    metadata = message.get("metadata") or {}
                    if metadata.get("event_type") == EVENT_TYPE and (metadata.get("event_payload") or {}).get("key") == key:
                        return message["ts"]
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    break
        except SlackApiError as exc:
            # Without history access (a private channel the bot reads nothing of) posting is
            # still right: the database claim already made this process the poster.
            log.warning("could not look for post %s in channel %s (%s): posting", key, channel_id,
                        slack_error(exc))
        return None

    # Commands that post quizzes ----------------------------------------------------------

    async def post_new_quiz(self, channel: ChannelRef, where: Where) -> None:
        """``/quiz now``: make the quiz, post it, tell the core its ts; a quiz that could not be
        posted is dropped so it does not hold the channel's one open quiz."""
        reply = await self.buddy.quiz_now(channel)
        quiz_id = reply.data["quiz_id"]
        try:
            ts = await self.outbox.public(Where(where.channel_id), reply)
        except BaseException:
            await self.buddy.quiz_not_posted(quiz_id)
            raise
        await self.buddy.quiz_posted(quiz_id, ts)

    async def post_reveal(self, channel: ChannelRef, reply: Reply) -> None:
        await self._close_quiz_message(channel, reply)
        await self.outbox.public(Where(channel.channel_id), reply)

    async def _close_quiz_message(self, channel: ChannelRef, reveal: Reply) -> None:
        """The quiz message shows the outcome and loses its buttons, so no one answers a closed quiz."""
        ts = (reveal.data or {}).get("message_id")
        if not ts:
            return
        try:
            await self.outbox.update(channel.channel_id, ts, reveal)
        except SlackApiError as exc:
            # A deleted quiz message must not stop the reveal itself.
            log.warning("could not mark quiz message %s closed (%s)", ts, slack_error(exc))
