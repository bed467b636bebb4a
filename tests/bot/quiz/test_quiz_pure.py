"""Pure helpers: action ids, zones, DST arithmetic, streaks, the daily pick."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from bot.actions import (
    QuizAction,
    QuizMeAction,
    ReviewAction,
    VoteAction,
    parse_action,
    quiz_action,
    quiz_me_action,
    review_action,
    vote_action,
)
from bot.errors import UserInputError
from bot.quiz.picker import pick_item
from bot.quiz.streaks import best_streak, current_streak
from bot.quiz.timing import latest_fire, local_fire, next_fire, zone


@pytest.mark.parametrize(
    "action_id, expected",
    [
        (quiz_action(12, 3), QuizAction(12, 3)),
        (review_action(5, 2, 1), ReviewAction(5, 2, 1)),
        (vote_action(7, True), VoteAction(7, True)),
        (vote_action(7, False), VoteAction(7, False)),
        (quiz_me_action(8), QuizMeAction(8)),
        ("sb1:quiz:12", None),
        ("sb1:quiz:x:1", None),
        ("sb1:quiz:1:-1", None),
        ("sb1:quiz:²:1", None),
        ("sb1:vote:3:maybe", None),
        ("sb1:other:1:1", None),
        ("quiz:1:1", None),
        ("sb1:quiz:" + "9" * 200 + ":1", None),
    ],
)
def test_parse_action(action_id, expected):
    """Action ids round-trip; anything malformed is rejected, not crashed on."""
    assert parse_action(action_id) == expected


@pytest.mark.parametrize("name", ["Mars/Olympus", "../../etc/passwd", "", "/etc/localtime"])
def test_unknown_zones_are_refused_with_an_example(name):
    """A zone that is not an IANA name (or tries to read a file) is a clear error with an example."""
    with pytest.raises(UserInputError) as err:
        zone(name)
    assert "Unknown timezone" in str(err.value) and "/quiz schedule 09:00 Europe/Paris" in str(err.value)


def test_dst_keeps_local_time():
    """09:00 in Paris is 08:00 UTC before the spring change and 07:00 UTC after it."""
    assert local_fire(date(2025, 3, 29), 9, 0, "Europe/Paris").hour == 8
    assert local_fire(date(2025, 3, 30), 9, 0, "Europe/Paris").hour == 7
    now = datetime(2025, 3, 29, 12, tzinfo=timezone.utc)
    assert next_fire(9, 0, "Europe/Paris", now) == datetime(2025, 3, 30, 7, tzinfo=timezone.utc)
    assert latest_fire(9, 0, "Europe/Paris", now) == (date(2025, 3, 29), datetime(2025, 3, 29, 8, tzinfo=timezone.utc))


def test_nonexistent_local_time_moves_past_gap():
    """02:30 does not exist in Paris on 30 March 2025; the slot moves to 03:30 local."""
    assert local_fire(date(2025, 3, 30), 2, 30, "Europe/Paris") == datetime(2025, 3, 30, 1, 30, tzinfo=timezone.utc)


def test_streaks():
    """A streak survives until today's quiz is answered and breaks on a missing day."""
    d = date(2025, 3, 28)
    days = {date(2025, 3, 25), date(2025, 3, 26), date(2025, 3, 27)}
    assert current_streak(days, d) == 3
    assert current_streak(days | {d}, d) == 4
    assert current_streak(days, date(2025, 3, 29)) == 0
    assert best_streak(days | {date(2025, 3, 1)}) == 3


def test_pick_rotates_topics_and_avoids_recent(bank):
    """Consecutive picks cycle through topics and do not repeat an item while others remain."""
    recent: list[tuple[str, str]] = []
    picked = []
    for day in range(9):
        item = pick_item(bank, recent, seed=f"c:{day}")
        picked.append(item)
        recent.insert(0, (item.id, item.topic))
    assert len({i.id for i in picked}) == 9
    for a, b in zip(picked, picked[1:], strict=False):
        assert a.topic != b.topic
    assert pick_item([], [], "s") is None
