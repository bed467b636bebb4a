"""Replies as Block Kit: Slack's mrkdwn, escaping, and every limit kept however long the reply."""

from __future__ import annotations

import json
import re

import pytest

from adapters.slack.outbox import Where
from adapters.slack.render import mrkdwn, plain, render, split_text
from bot.replies import Button, Reply, Source
from tests.adapters.slack.conftest import CHANNEL
from tests.adapters.slack.test_slack_http import buttons, shown
from tests.fakes.slack_server import check_message

PARAGRAPH = ("Paragraph {n}: attention lets every token look at every other token & weigh it; "
             "a <b>tag</b> stays text. ") * 6


def oversized_reply() -> Reply:
    """Longer than every Block Kit limit: text, code, title, sources, buttons."""
    code = "\n".join(f"line {i:04d} │un│bel│ievable│ <!channel>" for i in range(400))
    text = "\n\n".join(PARAGRAPH.format(n=n) for n in range(60)) + f"\n\n```\n{code}\n```\n\n**The end.**"
    sources = tuple(Source(n, f"Section {n} " + "very long heading " * 30, f"notes/week{n}.md", "x", 1.0)
                    for n in range(1, 31))
    buttons_ = tuple(Button(f"sb1:test:{n}:" + "x" * 200, f"{n}. " + "an option label that goes on " * 5)
                     for n in range(30))
    return Reply(text=text, title="A title " * 40, sources=sources, buttons=buttons_)


def test_an_oversized_reply_becomes_messages_slack_accepts():
    """Every message of an oversized reply passes Slack's checks; nothing of the text is lost or reordered;
    the header is cut to 150, button labels to 75, and all 30 buttons and 30 sources are kept."""
    reply = oversized_reply()
    messages = render(reply)
    assert len(messages) > 4
    for message in messages:
        assert check_message(message.as_kwargs()) is None
        assert len(message.blocks) <= 50
    text = "\n".join(b["text"]["text"] for m in messages for b in m.blocks if b["type"] == "section")
    numbers = [int(n) for n in re.findall(r"Paragraph (\d+):", text)]
    assert numbers == sorted(numbers) and set(numbers) == set(range(60))
    lines = re.findall(r"line (\d{4})", text)
    assert lines == [f"{i:04d}" for i in range(400)]
    assert text.count("```") % 2 == 0 and "*The end.*" in text
    every = [b for m in messages for b in m.blocks]
    assert every[0]["type"] == "header" and len(every[0]["text"]["text"]) <= 150
    labels = [e["text"]["text"] for b in every if b["type"] == "actions" for e in b["elements"]]
    assert len(labels) == 30 and all(len(label) <= 75 for label in labels)
    assert every[-1]["type"] == "actions"  # the buttons close the last message, under the end of the text
    cited = " ".join(e["text"] for b in every if b["type"] == "context" for e in b["elements"])
    assert all(f"[{n}]" in cited for n in range(1, 31))


def test_core_markdown_becomes_slack_mrkdwn_and_user_text_cannot_ping():
    """**bold**, *italic*, bullets and code map to Slack's mrkdwn; &, <, > are entities, even inside code."""
    assert mrkdwn("**Right!** it is *this* one") == "*Right!* it is _this_ one"
    assert mrkdwn("- one\n- two") == "• one\n• two"
    assert mrkdwn("`a*b*c` and ```\n<!here> **x**\n```") == "`a*b*c` and ```\n&lt;!here&gt; **x**\n```"
    assert mrkdwn("2 * 3 > 5 & <!channel>") == "2 * 3 &gt; 5 &amp; &lt;!channel&gt;"


@pytest.mark.parametrize("limit", [75, 150])
def test_plain_text_is_cut_without_breaking_an_entity(limit):
    """A label full of & is cut to the limit with an ellipsis, never leaving half an &amp;."""
    cut = plain("R&D & co " * 40, limit)
    assert len(cut) <= limit and cut.endswith("…")
    assert re.search(r"&(?!amp;|lt;|gt;)", cut) is None


def test_a_code_block_cut_in_two_stays_code_in_both_pieces():
    """A code block longer than a section is closed at the cut and reopened in the next piece."""
    text = "Intro.\n\n```\n" + "\n".join("x" * 70 for _ in range(100)) + "\n```\nAfter."
    pieces = split_text(text, 3000)
    assert len(pieces) >= 3 and all(len(p) <= 3000 for p in pieces)
    assert all(p.count("```") % 2 == 0 for p in pieces)


@pytest.mark.asyncio
async def test_an_oversized_answer_reaches_the_channel_whole(slack, fake):
    """Posted for real, the oversized reply is accepted message by message and lands in order in one thread."""
    ts = fake.add_message(CHANNEL, "question", user="U0ADA")
    first = await slack.handlers.outbox.public(Where(CHANNEL, thread_ts=ts), oversized_reply())
    posts = fake.called("chat.postMessage")
    assert len(posts) == len(render(oversized_reply())) and posts[0].args and first
    assert all(p.args["thread_ts"] == ts for p in posts)
    numbers = [int(n) for p in posts for n in re.findall(r"Paragraph (\d+):", shown(p))]
    assert list(dict.fromkeys(numbers)) == list(range(60)) and numbers == sorted(numbers)
    assert len([b for p in posts for b in buttons(p)]) == 30
    assert "<!channel>" not in json.dumps([p.args for p in posts])
