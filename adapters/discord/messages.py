"""Questions asked in messages: a mention, a DM, or any message in a thread the bot started.

A mention in a channel is answered in a new thread started on the question, so the
channel stays readable and the conversation has a home. In that thread (and in a DM) a
follow-up needs no mention: the thread's recent messages, oldest first, go to the core as
the conversation, so "what about its limitations?" is read in their light. With a language
model configured the answer appears as it is written (one message, edited).

Without the message-content intent Discord still delivers the text of DMs and of messages
that mention the bot, so those keep working; thread follow-ups then need a mention.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from contextlib import aclosing

import discord

from adapters.discord.delivery import EDIT_INTERVAL, ChannelReplies
from adapters.discord.identity import author_of, channel_ref
from adapters.discord.render import trim
from bot.replies import Reply, Turn

log = logging.getLogger(__name__)

HISTORY = 12  # earlier messages read for a follow-up: a few questions and answers deep
THREAD_NAME_MAX = 100
THREAD_ARCHIVE_MINUTES = 1440  # a day without messages, then the thread tidies itself away


def question_in(message: discord.Message, me: discord.abc.User) -> str | None:
    """The question ``message`` puts to the bot, or None when it is not addressed to the bot."""
    channel = message.channel
    direct = message.guild is None
    mentioned = any(user.id == me.id for user in message.mentions)
    own_thread = isinstance(channel, discord.Thread) and channel.owner_id == me.id
    if not (direct or mentioned or own_thread):
        return None
    text = readable_text(message, me)
    if not text and not (direct or mentioned):
        return None  # a picture in the thread, or text Discord withheld (no message-content intent)
    return text


def readable_text(message: discord.Message, me: discord.abc.User) -> str:
    """The message's words without the bot's mention; other mentions as the names people see."""
    text = re.sub(rf"<@!?{me.id}>", " ", message.content)
    for user in message.mentions:
        text = re.sub(rf"<@!?{user.id}>", f"@{user.display_name}", text)
    for role in message.role_mentions:
        text = text.replace(f"<@&{role.id}>", f"@{role.name}")
    return text.strip()


def thread_name(question: str) -> str:
    return trim(" ".join(question.split()), THREAD_NAME_MAX) or "Question"


async def answer(bot, message: discord.Message, question: str, out: ChannelReplies) -> None:
    """Answer ``question`` where it belongs: the DM, the bot's thread, or a new thread on the message."""
    channel = message.channel
    me = bot.user
    turns: tuple[Turn, ...] = ()
    if message.guild is None:
        turns = await _turns(channel.history(limit=HISTORY, before=message), me)
        out.reference = None
    elif isinstance(channel, discord.Thread):
        if channel.owner_id == me.id:
            turns = await _thread_turns(bot, channel, message)
            out.reference = None
    elif question:
        thread = await _start_thread(message, question)
        if thread is not None:
            out.channel, out.reference = thread, None
    where = channel_ref(getattr(out.channel, "id", channel.id))
    replies = bot.buddy.ask_stream(question, actor=author_of(message), channel=where, conversation=turns,
                                   min_interval=EDIT_INTERVAL)
    await out.stream(_typing_until_first(out.channel, replies), embed=True)


async def _typing_until_first(channel: discord.abc.Messageable, replies: AsyncIterator[Reply]) -> AsyncIterator[Reply]:
    """``replies``, with "Study Buddy is typing…" shown until the first one (partial or final) comes."""
    async with aclosing(replies):
        async with channel.typing():
            first = await anext(replies)
        yield first
        async for reply in replies:
            yield reply


async def _start_thread(message: discord.Message, question: str) -> discord.Thread | None:
    if not isinstance(message.channel, discord.TextChannel):
        return None  # voice-channel chats and the like hold no threads: answer in place
    try:
        return await message.create_thread(name=thread_name(question), auto_archive_duration=THREAD_ARCHIVE_MINUTES)
    except discord.HTTPException as exc:
        # No "Create Public Threads" permission, or a thread already exists: answer in place.
        log.info("answering in the channel: no thread for message %s (%s)", message.id, exc)
        return None


async def _thread_turns(bot, thread: discord.Thread, message: discord.Message) -> tuple[Turn, ...]:
    turns = list(await _turns(thread.history(limit=HISTORY, before=message), bot.user))
    if len(turns) < HISTORY:
        starter = await _starter(bot, thread)
        if starter is not None:
            turns.insert(0, _turn(starter, bot.user))
    return tuple(t for t in turns if t.text)


async def _turns(history, me) -> tuple[Turn, ...]:
    newest_first = [m async for m in history]
    return tuple(t for t in (_turn(m, me) for m in reversed(newest_first)) if t.text)


async def _starter(bot, thread: discord.Thread) -> discord.Message | None:
    """The message the thread was started on (the first question): it lives in the parent channel."""
    if thread.starter_message is not None:
        return thread.starter_message
    try:
        return await bot.get_partial_messageable(thread.parent_id).fetch_message(thread.id)
    except discord.HTTPException:
        return None  # deleted, or the thread was not started on a message


def _turn(message: discord.Message, me) -> Turn:
    if message.author.id == me.id:
        text = message.content or "\n\n".join(e.description for e in message.embeds if e.description)
        return Turn(text, by_bot=True)
    return Turn(readable_text(message, me))
