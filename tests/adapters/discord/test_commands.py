"""Slash commands and context menus, end to end: the real discord.py client, the whole app, a fake Discord."""

from __future__ import annotations

import pytest

from bot.actions import VoteAction, parse_action
from tests.adapters.discord.support import bot_messages, button, buttons, ephemeral, text
from tests.fakes.discord_server import MESSAGE_CONTENT_INTENT

pytestmark = pytest.mark.asyncio

PNG = b"\x89PNG\r\n\x1a\n"


async def test_login_registers_every_command_with_its_options(bot, fake):
    """At start the bot logs in, finds the gateway the API announces, and registers all commands:
    descriptions, the /quiz subcommands, choices, time-zone autocomplete, the attachment option and
    the two message context menus."""
    assert fake.calls("GET", r"/users/@me")[0].status == 200
    assert fake.calls("GET", r"/gateway/bot")  # no gateway set: the proxy's own
    assert fake.identifies[0]["intents"] & MESSAGE_CONTENT_INTENT
    assert fake.command_names() == ["Ask about this message", "Tokenize this message", "ask", "help",
                                    "leaderboard", "quiz", "review", "stats", "tokenize"]
    slash = [c for scope in fake.commands.values() for c in scope if c["type"] == 1]
    assert all(c["description"] for c in slash)
    quiz = fake.command("quiz")
    subs = {o["name"]: o for o in quiz["options"]}
    assert set(subs) == {"now", "schedule", "unschedule", "status", "close"}
    schedule = {o["name"]: o for o in subs["schedule"]["options"]}
    assert schedule["time"]["required"] and schedule["timezone"].get("autocomplete")
    board = {o["name"]: o for o in fake.command("leaderboard")["options"]}
    assert [c["value"] for c in board["period"]["choices"]] == ["week", "all"]
    tokenize = {o["name"]: o for o in fake.command("tokenize")["options"]}
    assert tokenize["file"]["type"] == 11 and not tokenize["text"].get("required")

    shown = await fake.answered(await fake.slash(fake.ada, "help"))
    assert ephemeral(shown[0]) and "/ask" in text(shown[0]) and "thread" in text(shown[0])


async def test_ask_is_deferred_then_answered_with_sources_and_working_buttons(app, bot, fake):
    """/ask says "thinking…" at once, then answers in an embed citing its sections with 👍 / 👎 and
    "Quiz me on this"; a 👍 is stored and thanked privately, "Quiz me" gives a private quiz card."""
    interaction = await fake.slash(fake.ada, "ask", {"question": "what is RAG?"})
    [answer] = await fake.answered(interaction)

    calls = [c for c in fake.requests if interaction.token in c.path]
    assert calls[0].path.endswith("/callback") and calls[0].body["type"] == 5  # deferred before any work
    assert calls[1].method == "POST" and calls[1].path.startswith("/webhooks/")
    assert not ephemeral(answer) and answer in fake.history()
    embed = answer["embeds"][0]
    assert "RAG" in embed["description"] and "[1]" in embed["description"]
    assert embed["fields"][0]["name"].startswith("[1] ") and embed["fields"][0]["value"] == "llm-foundations-week1.md"
    assert [b["label"] for b in buttons(answer)] == ["👍 Helpful", "👎 Not helpful", "Quiz me on this", "Simpler",
                                                    "Deeper", "Example"]
    assert all(b["custom_id"].startswith("sb1:") for b in buttons(answer))

    up = button(answer, "👍")
    [thanks] = await fake.answered(await fake.click(fake.bob, answer, up))
    assert ephemeral(thanks) and "glad it helped" in text(thanks) and thanks not in fake.history()
    vote = parse_action(up)
    assert isinstance(vote, VoteAction) and await app.buddy.votes(vote.answer_id) == (1, 0)

    [card] = await fake.answered(await fake.click(fake.bob, answer, button(answer, "Quiz me")))
    assert ephemeral(card) and card["embeds"][0]["title"] == "Quiz me"
    options = buttons(card)
    assert len(options) >= 2 and all(o["custom_id"].startswith("sb1:review:") for o in options)
    [result] = await fake.answered(await fake.click(fake.bob, card, options[0]["custom_id"]))
    assert ephemeral(result) and ("Right!" in text(result) or "Not quite" in text(result))


async def test_a_question_the_notes_do_not_cover_says_so_without_buttons(bot, fake):
    """An honest "not covered" answer, still as an embed, with nothing to vote on."""
    [answer] = await fake.answered(await fake.slash(fake.cy, "ask", {"question": "how do I bake sourdough bread?"}))
    assert "don't cover" in text(answer) and answer["embeds"] and not buttons(answer)


async def test_tokenize_attaches_the_token_picture_and_reads_txt_files(bot, fake):
    """/tokenize explains the text and attaches the picture; a .txt attachment (UTF-16 too) is read;
    a file over the limits gets a private reply that states them; a wrong file type is refused."""
    [shown] = await fake.answered(await fake.slash(fake.ada, "tokenize", {"text": "unbelievable 🤯"}))
    call = next(c for c in fake.requests if c.files and c.path.startswith("/webhooks/"))
    assert call.files[0][0] == "tokens.png" and call.files[0][1].startswith(PNG)
    assert shown["attachments"][0]["filename"] == "tokens.png" and shown["attachments"][0]["description"]
    embed = shown["embeds"][0]
    assert embed["image"]["url"] == "attachment://tokens.png" and "o200k" in embed["description"]
    assert embed["title"] == "Tokenization of 14 characters"

    words = "Tokenization splits words into pieces 🙂\n"
    upload = fake.upload("notes.txt", words.encode("utf-16"))
    [from_file] = await fake.answered(await fake.slash(fake.bob, "tokenize", attachments={"file": upload}))
    assert from_file["embeds"][0]["title"] == f"Tokenization of {len(words)} characters"

    long = fake.upload("book.txt", b"word " * 30_000)  # 150,000 characters
    [refused] = await fake.answered(await fake.slash(fake.bob, "tokenize", attachments={"file": long}))
    assert ephemeral(refused) and "150,000 characters" in text(refused) and "100,000" in text(refused)
    huge = fake.upload("dump.txt", b"x" * 500_000)
    [refused] = await fake.answered(await fake.slash(fake.bob, "tokenize", attachments={"file": huge}))
    assert "488 KB" in text(refused) and "400 KB" in text(refused)
    picture = fake.upload("cat.png", PNG, "image/png")
    [refused] = await fake.answered(await fake.slash(fake.bob, "tokenize", attachments={"file": picture}))
    assert ".txt" in text(refused)
    # A refusal after the public "thinking…" never stays public: only the two answers are in the channel.
    assert len(bot_messages(fake)) == 2


async def test_message_context_menus_tokenize_and_ask_about_a_message(bot, fake):
    """Right-click → "Tokenize this message" (private) and "Ask about this message" (public) use that message's text."""
    said = await fake.say(fake.cy, "what is the vanishing gradient problem?")
    [tokens] = await fake.answered(await fake.context_menu(fake.ada, "Tokenize this message", said))
    assert ephemeral(tokens) and tokens["embeds"][0]["title"] == f"Tokenization of {len(said['content'])} characters"
    assert tokens["attachments"][0]["filename"] == "tokens.png"

    [answer] = await fake.answered(await fake.context_menu(fake.ada, "Ask about this message", said))
    assert not ephemeral(answer) and "[1]" in text(answer)
    assert "vanishing gradient" in answer["embeds"][0]["fields"][0]["name"].lower()


async def test_quiz_schedule_autocompletes_zones_and_needs_manage_channels(bot, fake):
    """Typing a zone offers matching IANA names; scheduling is refused privately without Manage Channels
    and announced to the channel with it; a bad time is explained privately."""
    choices = await fake.autocomplete(fake.ada, "quiz", {"time": "09:00", "timezone": "europe/par"}, "timezone",
                                      sub="schedule")
    assert {"name": "Europe/Paris", "value": "Europe/Paris"} in choices and len(choices) <= 25

    [refused] = await fake.answered(
        await fake.slash(fake.ada, "quiz", {"time": "09:00", "timezone": "Europe/Paris"}, sub="schedule"))
    assert ephemeral(refused) and "manage this channel" in text(refused)

    [done] = await fake.answered(
        await fake.slash(fake.owner, "quiz", {"time": "09:00", "timezone": "Europe/Paris"}, sub="schedule"))
    assert not ephemeral(done) and "**09:00** (Europe/Paris)" in text(done)

    [bad] = await fake.answered(await fake.slash(fake.owner, "quiz", {"time": "9am"}, sub="schedule"))
    assert ephemeral(bad) and "HH:MM" in text(bad)
    [status] = await fake.answered(await fake.slash(fake.bob, "quiz", sub="status"))
    assert ephemeral(status) and "09:00" in text(status)
    assert [text(m) for m in bot_messages(fake)] == [text(done)]  # the refusals were never public


async def test_without_a_model_an_answer_is_sent_once_and_never_edited(bot, fake):
    """No language model configured: /ask is one deferral and one follow-up, a mention one message in its
    thread, as before answers could stream; nothing is edited."""
    interaction = await fake.slash(fake.ada, "ask", {"question": "what is RAG?"})
    [answer] = await fake.answered(interaction)
    calls = [(c.method, c.body["type"] if c.path.endswith("/callback") else None)
             for c in fake.requests if interaction.token in c.path]
    assert calls == [("POST", 5), ("POST", None)] and buttons(answer)

    question = await fake.say(fake.ada, f"<@{fake.bot['id']}> what is RAG?", mention_bot=True)
    [reply] = await fake.wait_until(lambda: bot_messages(fake, question["id"]))
    assert buttons(reply) and len(fake.calls("POST", rf"/channels/{question['id']}/messages")) == 1
    assert not fake.calls("PATCH")
