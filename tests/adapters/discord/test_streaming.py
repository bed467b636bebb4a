"""Answers that appear as the model writes them, end to end: the real discord.py client, the whole app with
a language model (the fake OpenAI-compatible server, writing slowly), and a fake Discord recording each edit."""

from __future__ import annotations

import copy
import dataclasses

import pytest

from adapters.discord.delivery import EDIT_INTERVAL
from adapters.discord.render import render
from bot.replies import Actor, ChannelRef
from tests.adapters.discord.support import bot_messages, button, buttons, ephemeral, text
from tests.adapters.slow_model import SETTINGS, slowly_citing
from tests.fakes.openai_server import FakeOpenAI

pytestmark = pytest.mark.asyncio

QUESTION = "what is an embedding"
SLACK = 0.05  # an edit reaches the server a few ms after the core released its reply


@pytest.fixture(scope="module")
def model():
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def settings(settings, model):
    """The Discord settings, with a language model configured."""
    model.reset()
    model.respond = slowly_citing
    return settings.model_copy(update={"llm_base_url": model.base_url, **SETTINGS})


def shown(message: dict | None) -> dict | None:
    """A copy of what the user sees now (the fake keeps editing the live one)."""
    if message is None or message.get("_loading") or message.get("_deleted"):
        return None
    return copy.deepcopy(message)


def description(message: dict) -> str:
    return message["embeds"][0].get("description") or ""


def edits(fake, calls) -> list:
    return [c for c in calls if c.method == "PATCH"]


def assert_spaced(calls) -> None:
    """Partial versions (every call but the final edit) are at least the edit interval apart."""
    times = [c.at for c in calls[:-1]]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert gaps and min(gaps) >= EDIT_INTERVAL - SLACK, gaps


async def expected(app, fake, question: str):
    """What ``ask`` returns for the question, as the Discord message it renders to."""
    reply = await app.buddy.ask(question, actor=Actor("discord", fake.bob["id"], "bob"),
                                channel=ChannelRef("discord", fake.channel_id))
    return render(reply, embed=True)[0]


async def test_ask_shows_the_answer_growing_in_one_message_then_the_checked_answer(app, bot, fake, model):
    """/ask: "thinking…", then the first words as soon as the model writes them, then edits of that same
    message at least a second apart, the last one exactly what `ask` returns (sources, buttons)."""
    interaction = await fake.slash(fake.ada, "ask", {"question": QUESTION})
    first = await fake.wait_until(lambda: shown(interaction.original))
    assert not first["embeds"][0].get("fields") and not buttons(first)  # a partial: text only, no sources yet
    final = await fake.wait_until(lambda: buttons(interaction.original) and shown(interaction.original))

    calls = [c for c in fake.requests if interaction.token in c.path]
    assert calls[0].body["type"] == 5 and calls[1].method == "POST"  # deferred, then the first words
    patches = edits(fake, calls)
    assert len(patches) >= 2 and all(c.path.endswith(f"/messages/{final['id']}") for c in patches)
    assert_spaced(calls[1:])
    assert [m["id"] for m in interaction.messages()] == [final["id"]] and not ephemeral(final)
    assert len(description(first)) < len(description(final)) and description(final).startswith(description(first)[:30])

    want = await expected(app, fake, QUESTION)
    got = final["embeds"][0]
    assert got["description"] == want.embeds[0].description
    assert [(f["name"], f["value"]) for f in got["fields"]] == [(f.name, f.value) for f in want.embeds[0].fields]
    assert [b["label"] for b in buttons(final)] == [b.label for b in want.buttons]
    assert final["content"] in ("", None)


async def test_a_mention_streams_into_one_message_in_its_thread(bot, fake):
    """A mention: the thread's one answer message is sent with the first words, then edited in place
    (PATCH /channels/{thread}/messages/{id}) until it holds the answer with its sources and buttons."""
    question = await fake.say(fake.ada, f"<@{fake.bot['id']}> {QUESTION}?", mention_bot=True)
    thread = question["id"]
    [first] = await fake.wait_until(lambda: [shown(m) for m in bot_messages(fake, thread)])
    assert not buttons(first) and not first["embeds"][0].get("fields")
    [final] = await fake.wait_until(lambda: (msgs := bot_messages(fake, thread)) and buttons(msgs[0]) and msgs)
    assert final["id"] == first["id"] and final["embeds"][0]["fields"]
    patches = fake.calls("PATCH", rf"/channels/{thread}/messages/{final['id']}")
    assert len(patches) >= 2
    assert fake.calls("POST", rf"/channels/{thread}/typing")


async def test_deeper_streams_into_the_clickers_private_message(bot, fake):
    """"Deeper" under a streamed answer: a private follow-up that grows by edits, ending in the re-answer."""
    [answer] = await fake.answered(await fake.slash(fake.ada, "ask", {"question": QUESTION}))
    answer = await fake.wait_until(lambda: buttons(fake.history()[-1]) and fake.history()[-1])
    click = await fake.click(fake.bob, answer, button(answer, "Deeper"))
    first = await fake.wait_until(lambda: shown(click.original))
    assert ephemeral(first) and not buttons(first) and first["embeds"][0]["title"].startswith("In more depth")
    final = await fake.wait_until(lambda: buttons(click.original) and shown(click.original))
    assert ephemeral(final) and final["id"] == first["id"] and final["embeds"][0]["fields"]
    assert "Deeper" not in [b["label"] for b in buttons(final)]
    assert edits(fake, [c for c in fake.requests if click.token in c.path])
    assert final not in fake.history()


async def test_a_model_failing_mid_stream_ends_in_the_extractive_answer_in_the_same_message(bot, fake, model):
    """The stream breaks off half way: the message that showed the first words ends as the notes' own
    answer with the short note why, in place; no second message, no error."""
    model.respond = lambda request: dataclasses.replace(slowly_citing(request), malformed="cut")
    interaction = await fake.slash(fake.ada, "ask", {"question": QUESTION})
    first = await fake.wait_until(lambda: shown(interaction.original))
    final = await fake.wait_until(lambda: buttons(interaction.original) and shown(interaction.original))
    assert final["id"] == first["id"] and [m["id"] for m in interaction.messages()] == [final["id"]]
    assert "The language model sent a broken reply" in text(final) and final["embeds"][0]["fields"]
    assert not fake.rejected


async def test_an_answer_deleted_while_it_grows_arrives_as_a_new_message(bot, fake):
    """Someone deletes the growing message: the refused edit (404) stops the edits and the final answer is
    sent as a new follow-up, without an error reply."""
    interaction = await fake.slash(fake.ada, "ask", {"question": QUESTION})
    first = await fake.wait_until(lambda: shown(interaction.original))
    fake.delete(interaction.original)
    [final] = await fake.wait_until(lambda: (msgs := interaction.messages()) and buttons(msgs[0]) and msgs)
    assert final["id"] != first["id"] and final["embeds"][0]["fields"] and not ephemeral(final)
    refused = [r for r, _why in fake.rejected if r.method == "PATCH"]
    assert len(refused) == 1  # one refused edit, then no more
    assert "reference" not in text(final)
