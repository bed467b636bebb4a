"""Partial answers shown while a model writes: open markup closed, mentions and limits as for any reply."""

from __future__ import annotations

import pytest

from adapters.discord.delivery import partial_message as discord_partial
from adapters.partial import close_markup
from adapters.slack.outbox import partial_message as slack_partial
from bot.replies import Reply


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain words", "plain words"),
        ("an **open bold", "an **open bold**"),
        ("**bold** and *italic so far", "**bold** and *italic so far*"),
        ("call `print(", "call `print(`"),
        ("code:\n```python\nx = 1", "code:\n```python\nx = 1\n```"),
        ("```a``` then **b", "```a``` then **b**"),
        ("2 * 3 is six", "2 * 3 is six"),
        ("about to be bold **", "about to be bold "),
        ("see `a*b", "see `a*b`"),
        ("cited [1", "cited [1"),
    ],
)
def test_open_markup_is_closed(text, shown):
    """Whatever span the model is in the middle of ends where the text ends; an opener with nothing after
    it waits for its text."""
    assert close_markup(text) == shown


def partial(text: str) -> Reply:
    return Reply(text, data={"partial": True})


def test_a_partial_on_discord_pings_no_one_and_fits_one_message():
    """@everyone in a partial is broken like in any reply; a long partial fits in the one message edited."""
    out = discord_partial(partial("@everyone look " + "word " * 3000), embed=True)
    assert "@\u200beveryone" in out.embeds[0].description
    assert sum(len(e.description or "") for e in out.embeds) <= 6000 and len(out.embeds) <= 10
    assert discord_partial(partial("**"), embed=True) is None  # nothing to show yet


def test_a_partial_on_slack_is_escaped_and_fits_one_message():
    """<!channel> in a partial reaches Slack escaped; an open code block is closed; one message only."""
    message = slack_partial(partial("<!channel> see ```py\n" + "x = 1\n" * 3000), lead="*Ada* asked: q")
    wire = str(message.blocks)
    assert "<!channel>" not in wire and "&lt;!channel&gt;" in wire
    sections = [b["text"]["text"] for b in message.blocks if b["type"] == "section"]
    assert sections[-1].endswith("```") and sum(map(len, sections)) <= 12_000
