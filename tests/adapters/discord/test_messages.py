"""Questions in messages, end to end: mentions answered in threads, follow-ups, DMs, and no pings ever."""

from __future__ import annotations

import logging

import pytest

from tests.adapters.discord.support import bot_messages, running, text
from tests.fakes.discord_server import MESSAGE_CONTENT_INTENT

pytestmark = pytest.mark.asyncio


def mention(fake) -> str:
    return f"<@{fake.bot['id']}>"


async def test_a_mention_is_answered_in_a_thread_where_follow_ups_need_no_mention(bot, fake):
    """A mention starts a thread on the question and answers there with sources; a follow-up in the
    thread, without a mention, is read in the light of the thread ("its" = RAG's)."""
    await fake.say(fake.bob, "good morning everyone")  # not addressed to the bot: ignored
    question = await fake.say(fake.ada, f"{mention(fake)} what is RAG?", mention_bot=True)
    thread_id = question["id"]
    [answer] = await fake.wait_until(lambda: bot_messages(fake, thread_id))

    [started] = fake.calls("POST", rf"/channels/{fake.channel_id}/messages/{thread_id}/threads")
    assert started.body["name"] == "what is RAG?"
    assert "RAG" in text(answer) and answer["embeds"][0]["fields"]
    assert bot_messages(fake) == []  # the channel itself stays clean

    await fake.say(fake.ada, "and what are its benefits?", channel_id=thread_id)
    answers = await fake.wait_until(lambda: len(bot_messages(fake, thread_id)) == 2 and bot_messages(fake, thread_id))
    follow_up = text(answers[1])
    assert "I read this follow-up as: and what are its benefits? (rag)" in follow_up
    assert any("RAG" in f["name"] for f in answers[1]["embeds"][0]["fields"])
    assert len(fake.calls("POST", r"/channels/\d+/messages/\d+/threads")) == 1


async def test_a_dm_is_a_conversation_without_threads(bot, fake):
    """A DM is a question; the next DM is a follow-up of it; no thread is started."""
    dm = fake.open_dm(fake.bob)
    await fake.say(fake.bob, "what is the vanishing gradient problem?", channel_id=dm)
    [first] = await fake.wait_until(lambda: bot_messages(fake, dm))
    assert first["embeds"][0]["fields"]
    await fake.say(fake.bob, "why does it happen?", channel_id=dm)
    answers = await fake.wait_until(lambda: len(bot_messages(fake, dm)) == 2 and bot_messages(fake, dm))
    assert "I read this follow-up as: why does it happen? (vanishing gradient" in text(answers[1])
    assert not fake.calls("POST", r"/channels/\d+/messages/\d+/threads")


async def test_everyone_and_role_mentions_in_user_text_ping_no_one(bot, fake):
    """@everyone and a role mention typed by a user and echoed back are broken on screen, and every
    message goes out with allowed_mentions {"parse": []}, whether answered by command or in a thread."""
    role = f"<@&{fake.role_id}>"
    [by_command] = await fake.answered(await fake.slash(fake.ada, "ask", {"question": f"@everyone {role} what is RAG?"}))
    assert "RAG" in text(by_command)

    question = await fake.say(fake.ada, f"{mention(fake)} what is RAG? @everyone {role}", mention_bot=True,
                              role_mentions=(fake.role_id,))
    thread_id = question["id"]
    await fake.wait_until(lambda: bot_messages(fake, thread_id))
    name = fake.calls("POST", r"/channels/\d+/messages/\d+/threads")[0].body["name"]
    assert "<@&" not in name and name.startswith("what is RAG?")

    await fake.say(fake.ada, f"and does it help @everyone {role}?", channel_id=thread_id, role_mentions=(fake.role_id,))
    answers = await fake.wait_until(lambda: len(bot_messages(fake, thread_id)) == 2 and bot_messages(fake, thread_id))
    echoed = text(answers[1])
    assert "does it help @\u200beveryone @students?" in echoed and "@everyone" not in echoed

    created = [c for c in fake.requests if c.creates_message()]
    assert len(created) >= 3 and all(c.body["allowed_mentions"] == {"parse": []} for c in created)


async def test_without_the_message_content_intent_it_warns_once_and_keeps_answering(app, fake, caplog):
    """If the intent is not enabled, one warning names where to enable it; the bot reconnects
    without it, and slash commands and mentions still work (thread follow-ups then need a mention)."""
    fake.message_content_enabled = False
    with caplog.at_level(logging.WARNING, logger="adapters.discord"):
        async with running(app, fake):
            [answer] = await fake.answered(await fake.slash(fake.ada, "ask", {"question": "what is RAG?"}))
            assert "RAG" in text(answer)

            question = await fake.say(fake.ada, f"{mention(fake)} what is a transformer?", mention_bot=True)
            thread_id = question["id"]
            await fake.wait_until(lambda: bot_messages(fake, thread_id))
            await fake.say(fake.ada, "and its limitations?", channel_id=thread_id)  # Discord withholds its text
            await fake.say(fake.ada, f"{mention(fake)} and its limitations?", channel_id=thread_id, mention_bot=True)
            answers = await fake.wait_until(lambda: len(bot_messages(fake, thread_id)) >= 2 and bot_messages(fake, thread_id))
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "Message Content Intent" in warnings[0]
    assert "https://discord.com/developers/applications" in warnings[0] and "\n" not in warnings[0]
    assert len(fake.identifies) == 1 and not fake.identifies[0]["intents"] & MESSAGE_CONTENT_INTENT
    assert len(answers) == 2 and "I read this follow-up as: and its limitations?" in text(answers[1])
