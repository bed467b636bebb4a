"""The Slack app in HTTP mode, driven end to end: the fake Slack signs requests to the real bolt app,
which answers through the real slack_sdk client back into the fake's Web API."""

from __future__ import annotations

import json

import pytest

from adapters.slack.outbox import SERVER_ERROR_RETRIES
from adapters.slack.render import unescape
from bot.replies import ChannelRef
from tests.adapters.slack.conftest import ADA, ADMIN, BOB, CHANNEL, CY
from tests.fakes.slack_server import BOT_USER, click, direct_message, mention, message_shortcut

pytestmark = pytest.mark.asyncio


def blocks_of(call_or_message) -> list[dict]:
    source = call_or_message.args if hasattr(call_or_message, "args") else call_or_message
    blocks = source.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def shown(call_or_message) -> str:
    """The text a person reads in a message: its sections and context lines, entities decoded."""
    parts = []
    for block in blocks_of(call_or_message):
        if block["type"] in ("section", "header"):
            parts.append(block["text"]["text"])
        elif block["type"] == "context":
            parts.extend(e["text"] for e in block["elements"])
    return unescape("\n".join(parts))


def buttons(call_or_message) -> list[dict]:
    return [e for b in blocks_of(call_or_message) if b["type"] == "actions" for e in b["elements"]]


async def response_to(fake, payload_or_url: dict | str | None = None) -> dict:
    """What the app sent to one response_url: a click's, or the last command's."""
    if payload_or_url is None:
        payload_or_url = fake.last_response_url
    url = payload_or_url if isinstance(payload_or_url, str) else payload_or_url["response_url"]
    return await fake.response_at(url)


async def test_ask_is_acknowledged_before_the_work_then_answered_in_block_kit(slack, fake):
    """/ask returns an empty 200 while the answer is still being worked on; the answer then arrives in the
    channel with who asked, the cited sections and the 👍 / 👎 / Quiz me buttons."""
    release = fake.hold("users.info")  # the work after the ack waits on Slack
    status, body = await fake.command("ask", "what is RAG?", user=ADA, channel=CHANNEL)
    assert (status, body) == (200, "") and not fake.called("chat.postMessage")
    release.set()
    [post] = await fake.wait_for("chat.postMessage")
    text = shown(post)
    assert post.args["channel"] == CHANNEL and "Ada* asked: what is RAG?" in text
    assert "[1]" in text and "llm-foundations-week1.md" in text and "RAG" in text
    assert [b["text"]["text"] for b in buttons(post)] == ["👍 Helpful", "👎 Not helpful", "Quiz me on this", "Simpler",
                                                         "Deeper", "Example"]


async def test_answer_buttons_store_votes_and_quiz_me_replaces_its_own_card(slack, fake, app):
    """👍 is stored and thanked privately; "Quiz me on this" shows a private card; answering that card
    replaces it with the result instead of stacking a second message."""
    await fake.command("ask", "what is RAG?", user=ADA, channel=CHANNEL)
    [post] = await fake.wait_for("chat.postMessage")
    answer = fake.messages(CHANNEL)[-1]
    up, _down, quiz_me, *_levels = (b["action_id"] for b in buttons(answer))

    thanks = await response_to(fake, (await _click(fake, answer, BOB, up)))
    assert thanks["response_type"] == "ephemeral" and thanks["replace_original"] is False
    assert "glad it helped" in shown(thanks)
    answer_id = int(up.split(":")[2])
    assert await app.buddy.votes(answer_id) == (1, 0)

    card = await response_to(fake, await _click(fake, answer, BOB, quiz_me))
    assert card["response_type"] == "ephemeral" and "Quiz me" in shown(card) and buttons(card)
    first_option = buttons(card)[0]["action_id"]
    result = await response_to(fake, await _click(fake, card, BOB, first_option, ephemeral=True))
    assert result["replace_original"] is True and ("Right" in shown(result) or "Not quite" in shown(result))


async def test_a_quiz_clicked_by_several_people_then_revealed(slack, fake, app):
    """Each click gets private feedback (a second click is refused); only an admin may close the quiz;
    the reveal lands in the channel with the vote counts and the quiz message loses its buttons."""
    await fake.command("quiz", "now", user=ADA, channel=CHANNEL)
    [post] = await fake.wait_for("chat.postMessage")
    quiz = fake.messages(CHANNEL)[-1]
    item = next(i for i in app.buddy.bank().items if i.question in shown(quiz))
    options = [b["action_id"] for b in buttons(quiz)]
    assert len(options) == len(item.options) and "Quiz #" in shown(quiz)
    right, wrong = options[item.answer], options[(item.answer + 1) % len(options)]

    ada = await response_to(fake, await _click(fake, quiz, ADA, right))
    bob = await response_to(fake, await _click(fake, quiz, BOB, wrong))
    cy = await response_to(fake, await _click(fake, quiz, CY, right))
    again = await response_to(fake, await _click(fake, quiz, ADA, wrong))
    assert all(r["response_type"] == "ephemeral" and r["replace_original"] is False for r in (ada, bob, cy, again))
    assert "Right" in shown(ada) and "Right" in shown(cy) and "Not quite" in shown(bob)
    assert "already answered" in shown(again)

    await fake.command("quiz", "close", user=BOB, channel=CHANNEL)
    refused = await response_to(fake)
    assert "manage" in shown(refused) and not fake.called("chat.update")

    await fake.command("quiz", "close", user=ADMIN, channel=CHANNEL)
    [update] = await fake.wait_for("chat.update")
    reveal = (await fake.wait_for("chat.postMessage", 2))[1]
    assert update.args["ts"] == quiz["ts"]
    closed = next(m for m in fake.messages(CHANNEL) if m["ts"] == quiz["ts"])
    assert not buttons(closed) and "closed" in shown(closed)
    assert f"{item.answer + 1}. {item.options[item.answer]} — 2 (67%) ✅" in shown(reveal)

    await fake.command("leaderboard", "all", user=BOB, channel=CHANNEL)
    board = (await fake.wait_for("chat.postMessage", 3))[2]
    ranks = [line for line in shown(board).splitlines() if line[:1].isdigit()]
    assert [r.split(" — ")[0] for r in ranks] == ["1. Ada", "2. Cy", "3. Bob"]  # names from users.info
    assert [r.split(" — ")[1][:2] for r in ranks] == ["*1", "*1", "*0"]


async def test_stats_chart_goes_to_the_persons_dm(slack, fake, app):
    """/stats is private: the text as an ephemeral reply, the chart uploaded (files v2) into the person's DM."""
    quiz = await app.buddy.quiz_now(ChannelRef("slack", CHANNEL))
    actor = await slack.handlers.people.actor(ADA)
    await app.buddy.press(actor, ChannelRef("slack", CHANNEL), quiz.buttons[0].action_id)
    await fake.command("stats", "", user=ADA, channel=CHANNEL)
    [complete] = await fake.wait_for("files.completeUploadExternal")
    reply = await response_to(fake)
    assert reply["response_type"] == "ephemeral" and "Ada" in shown(reply) and "direct messages" in shown(reply)
    assert complete.args["channel_id"] == f"D{ADA}"
    [file_id] = fake.uploads
    assert fake.uploads[file_id].startswith(b"\x89PNG")


async def test_tokenize_posts_the_explanation_and_uploads_the_picture(slack, fake):
    """/tokenize --image posts the explanation in the channel and the token picture through files upload v2."""
    await fake.command("tokenize", "--image unbelievable 🤯", user=ADA, channel=CHANNEL)
    [post] = await fake.wait_for("chat.postMessage")
    [complete] = await fake.wait_for("files.completeUploadExternal")
    assert "o200k" in shown(post) and "unbelievable" in shown(post)
    assert complete.args["channel_id"] == CHANNEL
    [uploaded] = json.loads(complete.args["files"]) if isinstance(complete.args["files"], str) else complete.args["files"]
    assert fake.uploads[uploaded["id"]].startswith(b"\x89PNG")
    assert fake.called("files.getUploadURLExternal") and fake.called("upload")


async def test_private_commands_answer_only_the_person(slack, fake):
    """/studybuddy, /review, /quiz help and mistakes reply ephemerally through the command's response_url."""
    for name, text, expect in [("studybuddy", "", "/tokenize"), ("review", "", "Nothing to review"),
                               ("quiz", "schedule 9am", "HH:MM"), ("tokenize", "", "Give me some text")]:
        await fake.command(name, text, user=ADA, channel=CHANNEL)
        reply = await response_to(fake, fake.last_response_url)
        assert reply["response_type"] == "ephemeral" and expect in shown(reply), (name, shown(reply))
    assert not fake.called("chat.postMessage")


async def test_only_admins_and_listed_users_schedule_quizzes(slack, fake, app):
    """A member is refused /quiz schedule; a user listed in STUDYBUDDY_SLACK_ADMIN_USERS schedules;
    a workspace admin unschedules; /quiz status tells anyone."""
    await fake.command("quiz", "schedule 09:00 Europe/Paris", user=BOB, channel=CHANNEL)
    refused = await response_to(fake)
    assert "manage" in shown(refused)
    await fake.command("quiz", "schedule 09:00 Europe/Paris", user=CY, channel=CHANNEL)
    [done] = await fake.wait_for("chat.postMessage")
    assert "Daily quiz scheduled at *09:00* (Europe/Paris)" in shown(done)
    await fake.command("quiz", "status", user=BOB, channel=CHANNEL)
    [_, status] = await fake.wait_for("chat.postMessage", 2)
    assert "Daily quiz at *09:00* (Europe/Paris)" in shown(status)
    await fake.command("quiz", "unschedule", user=BOB, channel=CHANNEL)
    assert "manage" in shown(await response_to(fake))
    await fake.command("quiz", "unschedule", user=ADMIN, channel=CHANNEL)
    unscheduled = (await fake.wait_for("chat.postMessage", 3))[2]
    assert "unscheduled" in shown(unscheduled)


async def test_a_mention_is_answered_in_its_thread_and_a_follow_up_uses_the_thread(slack, fake):
    """@Study Buddy in a channel is answered in that message's thread; a follow-up mention in the thread
    is read in the light of the thread's earlier question."""
    text = f"<@{BOT_USER}> what is a transformer?"
    ts = fake.add_message(CHANNEL, text, user=ADA)
    assert (await fake.event(mention(CHANNEL, ADA, text, ts)))[0] == 200
    [first] = await fake.wait_for("chat.postMessage")
    assert first.args["thread_ts"] == ts and "ransformer" in shown(first)

    follow = f"<@{BOT_USER}> and what are its limitations?"
    ts2 = fake.add_message(CHANNEL, follow, user=BOB, thread_ts=ts)
    await fake.event(mention(CHANNEL, BOB, follow, ts2, thread_ts=ts))
    second = (await fake.wait_for("chat.postMessage", 2))[1]
    assert second.args["thread_ts"] == ts
    assert "I read this follow-up as" in shown(second) and "transformer" in shown(second).lower()
    assert "Limitations" in shown(second)


async def test_a_direct_message_is_answered_in_the_dm(slack, fake):
    """A DM to the bot is a question answered in the DM, not in a thread; the bot's own messages are ignored."""
    dm = f"D{ADA}"
    fake.add_channel(dm, private=True, members=(ADA,))
    ts = fake.add_message(dm, "what is RAG?", user=ADA)
    await fake.event(direct_message(dm, ADA, "what is RAG?", ts))
    [post] = await fake.wait_for("chat.postMessage")
    assert post.args["channel"] == dm and "thread_ts" not in post.args and "[1]" in shown(post)
    own = fake.messages(dm)[-1]
    await fake.event({**direct_message(dm, BOT_USER, own["text"], own["ts"]), "bot_id": "B0BOT"})
    ts2 = fake.add_message(dm, "what is self consistency?", user=ADA)
    await fake.event(direct_message(dm, ADA, "what is self consistency?", ts2))
    posts = await fake.wait_for("chat.postMessage", 2)
    assert "Self-Consistency" in shown(posts[1]) and len(fake.called("chat.postMessage")) == 2


async def test_a_retried_event_is_handled_once(slack, fake):
    """Slack's retry of an event (X-Slack-Retry-Num, the same event_id) is acknowledged and not answered again."""
    text = f"<@{BOT_USER}> what is RAG?"
    ts = fake.add_message(CHANNEL, text, user=ADA)
    event = mention(CHANNEL, ADA, text, ts)
    assert (await fake.event(event, event_id="Ev0RETRY"))[0] == 200
    assert (await fake.event(event, event_id="Ev0RETRY", retry=1))[0] == 200
    assert (await fake.event(event, event_id="Ev0RETRY", retry=2))[0] == 200
    await fake.wait_for("chat.postMessage")
    # Another question, asked after the retries: once it is answered, a repeat answer would have been too.
    text2 = f"<@{BOT_USER}> what is self consistency?"
    ts2 = fake.add_message(CHANNEL, text2, user=BOB)
    await fake.event(mention(CHANNEL, BOB, text2, ts2))
    posts = await fake.wait_for("chat.postMessage", 2)
    assert [p.args["thread_ts"] for p in posts] == [ts, ts2]
    assert len(fake.called("chat.postMessage")) == 2


async def test_bad_signature_and_stale_timestamp_are_rejected(slack, fake):
    """A request signed with another secret, or signed more than 5 minutes ago, gets 401 and no work is done;
    Slack's url_verification challenge is answered."""
    import time
    import urllib.parse

    from tests.fakes.slack_server import command_payload

    form = urllib.parse.urlencode(command_payload(fake, "ask", "what is RAG?", user=ADA, channel=CHANNEL))
    assert (await fake.deliver(form, "application/x-www-form-urlencoded", secret="not-the-secret"))[0] == 401
    stale = int(time.time()) - 6 * 60
    assert (await fake.deliver(form, "application/x-www-form-urlencoded", timestamp=stale))[0] == 401
    challenge = json.dumps({"type": "url_verification", "token": "legacy", "challenge": "3eZbrw1aBm2rZgRNFdxV2595"})
    status, body = await fake.deliver(challenge, "application/json")
    assert status == 200 and "3eZbrw1aBm2rZgRNFdxV2595" in body
    assert not fake.called("users.info") and not fake.called("chat.postMessage")


async def test_channel_pings_in_user_text_are_escaped_on_the_wire(slack, fake):
    """<!channel>, <!here> and & in what a user typed reach Slack as &lt;!channel&gt;…: shown, pinging nobody."""
    await fake.command("ask", "what is RAG <!channel> & <!here>?", user=ADA, channel=CHANNEL)
    [answer] = await fake.wait_for("chat.postMessage")
    await fake.command("tokenize", "hi <!channel>", user=ADA, channel=CHANNEL)
    [_, tokens] = await fake.wait_for("chat.postMessage", 2)
    for post in (answer, tokens):
        wire = json.dumps(post.args, ensure_ascii=False)
        assert "<!channel>" not in wire and "<!here>" not in wire and "&lt;!" in wire
    assert "asked: what is RAG <!channel> & <!here>?" in shown(answer)  # shown as typed, as text
    assert "│·&lt;!│channel│&gt;" in json.dumps(tokens.args, ensure_ascii=False)


async def test_rate_limit_is_waited_out_and_server_errors_are_retried_a_bounded_number_of_times(slack, fake):
    """A 429 is retried after its Retry-After; a Web API that keeps answering 503 is tried 1 + N times,
    then the person gets a short private apology instead of silence."""
    fake.fail_next("chat.postMessage", 429, retry_after=1)
    await fake.command("ask", "what is RAG?", user=ADA, channel=CHANNEL)
    [answer] = await fake.wait_for("chat.postMessage")
    limited = [c for c in fake.calls if c.method == "chat.postMessage" and c.status == 429]
    assert len(limited) == 1 and answer.at - limited[0].at >= 1.0

    fake.fail_next("chat.postMessage", 503, times=10)
    await fake.command("ask", "what is self consistency?", user=ADA, channel=CHANNEL)
    apology = await response_to(fake, fake.last_response_url)
    failed = [c for c in fake.calls if c.method == "chat.postMessage" and c.status == 503]
    assert len(failed) == 1 + SERVER_ERROR_RETRIES
    assert apology["response_type"] == "ephemeral" and "reference" in shown(apology)


async def test_tokenize_this_message_shortcut_answers_privately(slack, fake):
    """The "Tokenize this message" shortcut explains the message's tokens to the person who used it only."""
    ts = fake.add_message(CHANNEL, "Tokenizers split unbelievable words &amp; emoji 🤯", user=BOB)
    payload = message_shortcut(fake, CHANNEL, ADA, fake.messages(CHANNEL)[-1], "tokenize_message")
    assert (await fake.interact(payload))[0] == 200
    reply = await response_to(fake, payload)
    assert reply["response_type"] == "ephemeral" and "o200k" in shown(reply) and "&" in shown(reply)
    assert ts and not fake.called("chat.postMessage")


# Helpers -----------------------------------------------------------------------------------


async def _click(fake, message: dict, user: str, action_id: str, *, ephemeral: bool = False) -> dict:
    payload = click(fake, message, CHANNEL, user, action_id, ephemeral=ephemeral)
    status, _ = await fake.interact(payload)
    assert status == 200
    return payload



async def test_a_quiz_slack_refused_does_not_hold_the_channel(slack, fake):
    """/quiz now in a private channel the bot is not in says how to invite it; once invited, /quiz now
    works at once (the refused quiz was dropped, not left open for a day)."""
    secret = fake.add_channel("G0PRIVATE", private=True, members=(ADA,))
    secret.members.discard("U0BOT")
    await fake.command("quiz", "now", user=ADA, channel="G0PRIVATE")
    refused = await response_to(fake)
    assert refused["response_type"] == "ephemeral" and "/invite @Study Buddy" in shown(refused)
    secret.members.add("U0BOT")
    await fake.command("quiz", "now", user=ADA, channel="G0PRIVATE")
    [posted] = await fake.wait_for("chat.postMessage")
    assert posted.args["channel"] == "G0PRIVATE" and buttons(posted)


async def test_without_a_model_an_answer_is_posted_once_and_never_updated(slack, fake):
    """No language model configured: /ask and a mention are one chat.postMessage each, as before answers
    could stream; nothing is updated."""
    await fake.command("ask", "what is RAG?", user=ADA, channel=CHANNEL)
    await fake.wait_for("chat.postMessage")
    text = f"<@{BOT_USER}> what is RAG?"
    ts = fake.add_message(CHANNEL, text, user=BOB)
    await fake.event(mention(CHANNEL, BOB, text, ts))
    posts = await fake.wait_for("chat.postMessage", 2)
    assert all(buttons(p) for p in posts) and posts[1].args["thread_ts"] == ts
    assert [c.method for c in fake.calls if c.method.startswith("chat.")] == ["chat.postMessage"] * 2
