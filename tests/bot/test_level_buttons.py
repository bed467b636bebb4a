"""The "Simpler" / "Deeper" / "Example" buttons without a language model, and their action ids."""

from __future__ import annotations

import pytest

from bot.actions import LevelAction, level_action, parse_action
from bot.replies import Actor, Visibility
from knowledge.types import Level

STUDENT = Actor("console", "u1", "Ada")


@pytest.mark.parametrize("level", [Level.SIMPLER, Level.DEEPER, Level.EXAMPLE])
def test_level_action_ids_round_trip(level):
    """A level button's id decodes to the answer and level it was made for, under the sb1: prefix and 100 chars."""
    action_id = level_action(123456789012, level)
    assert action_id.startswith("sb1:") and len(action_id) <= 100
    assert parse_action(action_id) == LevelAction(123456789012, level)


@pytest.mark.parametrize("bad", ["sb1:level:1:normal", "sb1:level:1:harder", "sb1:level:x:simpler",
                                 "sb1:level:1", "sb1:level:1:simpler:2"])
def test_malformed_level_ids_are_refused(bad):
    """Clicks are untrusted: an unknown level or a broken id decodes to nothing."""
    assert parse_action(bad) is None


@pytest.mark.asyncio
async def test_extractive_buttons_re_answer_privately(app):
    """Without a model: Simpler is shorter, Deeper longer, Example the notes' own; each is private and titled."""
    buddy = app.buddy
    first = await buddy.ask("what does an embedding do", actor=STUDENT)
    assert first.data["mode"] == "extractive" and "llm" not in first.data
    by_label = {b.label: b.action_id for b in first.buttons}
    simpler = await buddy.press(STUDENT, None, by_label["Simpler"])
    deeper = await buddy.press(STUDENT, None, by_label["Deeper"])
    example = await buddy.press(STUDENT, None, by_label["Example"])
    assert len(simpler.text) < len(first.text) < len(deeper.text)
    assert "“happy” and “joyful”" in example.text and example.data["found"]
    for reply, level in ((simpler, "simpler"), (deeper, "deeper"), (example, "example")):
        assert reply.visibility is Visibility.PRIVATE and reply.data["level"] == level
        assert reply.data["reanswer_of"] == first.data["answer_id"] and reply.data["mode"] == "extractive"
        assert reply.title.endswith("what does an embedding do") and reply.sources
    gone = await buddy.press(STUDENT, None, level_action(99999, Level.SIMPLER))
    assert gone.text == "I can't find that answer any more."
