"""Replies rendered for Discord stay within every limit Discord enforces, lose nothing, and ping no one."""

from __future__ import annotations

import re

import pytest

from adapters.discord.render import MAX_MESSAGES, neutralise, render
from bot.replies import Button, Image, Reply, Source, Visibility
from tests.fakes.discord_server import check_message_limits

pytestmark = pytest.mark.asyncio

WORDS = "attention lets every token look at every other token and weigh what matters".split()


def prose(n_words: int, start: int = 0) -> str:
    """Numbered words (so order and loss are checkable) in paragraphs and lines of varying length."""
    out = []
    for i in range(start, start + n_words):
        out.append(f"{WORDS[i % len(WORDS)]}{i}")
        if i % 97 == 96:
            out.append("\n\n")
        elif i % 13 == 12:
            out.append("\n")
    return " ".join(out).replace(" \n", "\n").replace("\n ", "\n")


def wire(out) -> dict:
    """What discord.py puts on the wire for one rendered message."""
    view = out.view()
    return {
        "content": out.content,
        "embeds": [e.to_dict() for e in out.embeds],
        "components": view.to_components() if view else [],
    }


def described(messages) -> str:
    return "\n".join(e.description or "" for m in messages for e in m.embeds)


async def test_a_reply_over_every_limit_is_split_within_them_and_keeps_its_words():
    """Text over 4,096 and 6,000, 40 sources, 30 long buttons: every message passes Discord's checks,
    every word arrives in order, the sources and the picture land on the last message."""
    code = "```python\n" + "\n".join(f"x{i} = attention(q{i}, k{i}, v{i})" for i in range(150)) + "\n```"
    text = prose(1200) + "\n\n" + code + "\n\n" + prose(300, start=1200)
    sources = tuple(Source(n, "Section " + "long title " * 30 + str(n), f"notes/week{n}.md", "text", 0.5)
                    for n in range(1, 41))
    buttons = tuple(Button(f"sb1:quiz:1:{i % 10}", f"{i}. " + "an option with a long label " * 4) for i in range(30))
    reply = Reply(text, sources=sources, buttons=buttons, title="T" * 300,
                  image=Image("tokens.png", b"\x89PNG fake", "alt " * 400))

    messages = render(reply)

    assert 1 < len(messages) <= MAX_MESSAGES
    for out in messages:
        check_message_limits(wire(out))  # raises as Discord's 400 would
    assert len(messages[0].embeds[0].title) <= 256 and messages[0].embeds[0].title.endswith("…")
    words = re.findall(r"[a-z]+\d+", described(messages))
    assert words == re.findall(r"[a-z]+\d+", text)
    last = messages[-1]
    fields = [f for e in last.embeds for f in e.fields]
    assert fields[0].name.startswith("[1] Section") and fields[-1].name == "…" and "more section" in fields[-1].value
    assert all(not m.buttons for m in messages[:-1]) and len(last.buttons) == 25
    assert last.image is not None and last.files()[0].description and len(last.files()[0].description) <= 1024
    assert any(e.image.url == "attachment://tokens.png" for e in last.embeds)


async def test_a_cut_code_block_is_closed_and_reopened_in_its_language():
    """A code block longer than an embed is split into pieces that are each a whole code block."""
    code = "```python\n" + "\n".join(f"layer_{i} = norm(x + attention(x))" for i in range(400)) + "\n```"
    messages = render(Reply(code, title="Code"))
    pieces = [e.description for m in messages for e in m.embeds if e.description]
    assert len(pieces) > 1
    for piece in pieces:
        assert piece.startswith("```python\n") and piece.endswith("```") and piece.count("```") == 2
    lines = [line for p in pieces for line in p.splitlines() if line.startswith("layer_")]
    assert lines == [line for line in code.splitlines() if line.startswith("layer_")]


async def test_a_reply_too_long_for_five_messages_is_trimmed_and_says_so():
    """Beyond five messages the reply ends with a note giving how much was left out."""
    messages = render(Reply(prose(8000), title="Long"))
    assert len(messages) == MAX_MESSAGES
    for out in messages:
        check_message_limits(wire(out))
    tail = messages[-1].embeds[-1].description
    assert re.search(r"trimmed: [\d,]+ more characters", tail)


async def test_mentions_are_broken_outside_code_and_left_alone_inside():
    """@everyone, @here, user and role mentions cannot ping or render; in code they are shown as typed."""
    text = "hi @everyone and @here, <@123456789012345678> <@&123456789012345678> `@everyone` ```\n<@&123456789012345678>\n```"
    out = neutralise(text)
    assert "@everyone and" not in out and "@\u200beveryone and" in out and "@\u200bhere" in out
    assert "<@\u200b123456789012345678>" in out and "<@\u200b&123456789012345678>" in out
    assert "`@everyone`" in out and "```\n<@&123456789012345678>\n```" in out


async def test_short_plain_replies_are_plain_messages_and_answers_are_embeds():
    """A short acknowledgement reads as a normal message; an answer is an embed even when short."""
    thanks = render(Reply("Thanks — glad it helped.", visibility=Visibility.PRIVATE))
    assert thanks[0].content == "Thanks — glad it helped." and not thanks[0].embeds
    answer = render(Reply("RAG augments a model with a knowledge base. [1]"), embed=True)
    assert answer[0].content is None and answer[0].embeds[0].description.startswith("RAG augments")


async def test_quiz_options_get_a_row_each_and_keep_their_action_ids():
    """Long option labels are one button per row; each button's custom_id is the core's action id."""
    buttons = tuple(Button(f"sb1:quiz:7:{i}", f"{i + 1}. an option long enough to need its own row") for i in range(4))
    components = wire(render(Reply("Which one?", title="Quiz #7", buttons=buttons))[0])["components"]
    assert len(components) == 4 and all(len(row["components"]) == 1 for row in components)
    assert [row["components"][0]["custom_id"] for row in components] == [b.action_id for b in buttons]
