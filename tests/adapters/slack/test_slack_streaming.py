"""Answers that appear as the model writes them, end to end: the real slack-bolt app (HTTP mode), the whole
app with a language model (the fake OpenAI-compatible server, writing slowly), a fake Slack recording each
chat.postMessage and chat.update."""

from __future__ import annotations

import dataclasses

import pytest

from adapters.slack.outbox import UPDATE_INTERVAL
from adapters.slack.render import render
from bot.replies import Actor, ChannelRef
from tests.adapters.slack.conftest import ADA, BOB, CHANNEL
from tests.adapters.slack.test_slack_http import _click, blocks_of, buttons, response_to, shown
from tests.adapters.slow_model import SETTINGS, slowly_citing
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.slack_server import BOT_USER, mention

pytestmark = pytest.mark.asyncio

QUESTION = "what is an embedding"
SLACK = 0.05  # an update reaches the server a few ms after the core released its reply


@pytest.fixture(scope="module")
def model():
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def settings(settings, model):
    """The Slack settings, with a language model configured."""
    model.reset()
    model.respond = slowly_citing
    return settings.model_copy(update={"llm_base_url": model.base_url, **SETTINGS})


def message_at(fake, channel: str, ts: str) -> dict | None:
    return next((dict(m) for m in fake.messages(channel) if m["ts"] == ts), None)


def assert_spaced(calls) -> None:
    """Partial versions (every call but the final update) are at least the update interval apart."""
    times = [c.at for c in calls[:-1]]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert gaps and min(gaps) >= UPDATE_INTERVAL - SLACK, gaps


async def final_update(fake, ts: str):
    """The chat.update of ``ts`` that carried buttons: the final reply."""
    [call] = await fake.wait_for("chat.update", where=lambda c: c.args["ts"] == ts and buttons(c))
    return call


async def test_ask_posts_the_first_words_then_updates_them_into_the_checked_answer(slack, fake, app):
    """/ask: the first words are posted to the channel (with who asked) as soon as the model writes them,
    then chat.update replaces them at least 1.2 s apart, the last update exactly what `ask` returns."""
    await fake.command("ask", QUESTION, user=ADA, channel=CHANNEL)
    [post] = await fake.wait_for("chat.postMessage")
    ts = fake.messages(CHANNEL)[-1]["ts"]
    assert "Ada* asked: what is an embedding" in shown(post) and not buttons(post)
    assert [b["type"] for b in blocks_of(post)].count("context") == 1  # who asked; no sources yet
    final = await final_update(fake, ts)

    updates = [c for c in fake.called("chat.update") if c.args["ts"] == ts]
    assert len(updates) >= 2 and updates[-1] is final and len(fake.called("chat.postMessage")) == 1
    assert_spaced([post, *updates])
    want = render(await app.buddy.ask(QUESTION, actor=Actor("slack", BOB, "Bob"), channel=ChannelRef("slack", CHANNEL)),
                  lead="*Ada* asked: what is an embedding")[0]
    assert shown(final) == shown({"blocks": want.blocks})
    assert [b["text"]["text"] for b in buttons(final)] == [b["text"]["text"] for b in buttons({"blocks": want.blocks})]
    assert message_at(fake, CHANNEL, ts)["blocks"] == blocks_of(final)


async def test_a_mention_streams_in_its_thread(slack, fake):
    """A mention: the answer is posted in the thread with the first words and updated in place."""
    text = f"<@{BOT_USER}> {QUESTION}?"
    ts = fake.add_message(CHANNEL, text, user=ADA)
    await fake.event(mention(CHANNEL, ADA, text, ts))
    [post] = await fake.wait_for("chat.postMessage")
    assert post.args["thread_ts"] == ts and not buttons(post)
    answer = fake.messages(CHANNEL)[-1]
    final = await final_update(fake, answer["ts"])
    assert "[1]" in shown(final) and len(fake.called("chat.postMessage")) == 1


async def test_a_simpler_click_is_answered_privately_without_updates(slack, fake):
    """"Simpler" answers only the clicker, through the response_url: an ephemeral message cannot be
    updated, so only the final re-answer is sent, once."""
    await fake.command("ask", QUESTION, user=ADA, channel=CHANNEL)
    await fake.wait_for("chat.postMessage")
    answer = fake.messages(CHANNEL)[-1]
    await final_update(fake, answer["ts"])
    answer = fake.messages(CHANNEL)[-1]
    updates = len(fake.called("chat.update"))
    simpler = next(b["action_id"] for b in buttons(answer) if b["text"]["text"] == "Simpler")
    reply = await response_to(fake, await _click(fake, answer, BOB, simpler))
    assert reply["response_type"] == "ephemeral" and "Simpler" in shown(reply) and buttons(reply)
    assert len(fake.called("chat.update")) == updates and len(fake.responses) == 1


async def test_a_model_failing_mid_stream_ends_in_the_extractive_answer_in_the_same_message(slack, fake, model):
    """The stream breaks off half way: the posted first words are updated into the notes' own answer with
    the note why; nothing else is posted."""
    model.respond = lambda request: dataclasses.replace(slowly_citing(request), malformed="cut")
    await fake.command("ask", QUESTION, user=ADA, channel=CHANNEL)
    [post] = await fake.wait_for("chat.postMessage")
    ts = fake.messages(CHANNEL)[-1]["ts"]
    final = await final_update(fake, ts)
    assert "The language model sent a broken reply" in shown(final)
    assert len(fake.called("chat.postMessage")) == 1 and not fake.responses


async def test_an_answer_deleted_while_it_grows_is_posted_again(slack, fake):
    """Someone deletes the growing message: the refused update stops the updates and the final answer is
    posted as a new message, without an error reply."""
    await fake.command("ask", QUESTION, user=ADA, channel=CHANNEL)
    await fake.wait_for("chat.postMessage")
    fake.channels[CHANNEL].messages.pop()
    [_, again] = await fake.wait_for("chat.postMessage", 2)
    assert buttons(again) and "[1]" in shown(again)
    refused = [c for c in fake.calls if c.method == "chat.update"]
    assert len(refused) == 1 and not fake.responses  # the one refused update, then none; no apology
