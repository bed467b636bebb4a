"""Charts a student can read (dates, gaps, whole counts) and wording that names its numbers and times."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from matplotlib.dates import num2date

from bot.quiz import charts, render
from bot.storage.models import Item
from bot.storage.reports import DayRow

START = date(2025, 1, 20)


def _sixty_days_with_gaps() -> list[DayRow]:
    """Sixty calendar days, a quiz on days not divisible by 4, 1–9 answers a day."""
    return [
        DayRow(START + timedelta(k), answered=1 + k % 9, correct=(1 + k % 9) // 2, people=1 + k % 3)
        for k in range(60)
        if k % 4
    ]


def _bars(ax) -> list:
    return [p for p in ax.patches if p.get_width() > 0]


def _tick_days(fig, ax) -> list[date]:
    fig.canvas.draw()  # tick positions are settled at draw time
    return [num2date(t).date() for t in ax.get_xticks()]


def _item() -> Item:
    return Item(
        id="x1", kind="mcq", question="Which of these reads one word at a time?",
        options=["RNN", "CLIP", "Vicuna", "LLaVA"], answer=0,
        explanation="An RNN is sequential.", source_title="Notes › RNN", source_path="n.md", topic="Notes › RNN",
    )


@pytest.mark.parametrize("build", [charts.accuracy_figure, lambda d, _who: charts.participation_figure(d)])
def test_one_day_of_data_reads_as_one_dated_bar(build):
    """One quiz day gives one labelled date on the axis, not a span of hours."""
    fig = build([DayRow(date(2025, 3, 14), answered=3, correct=2, people=2)], "ana")
    axes = fig.axes
    ticks = _tick_days(fig, axes[-1])
    assert ticks == [date(2025, 3, 14)]
    assert [t.get_text() for t in axes[-1].get_xticklabels()] == ["14 Mar"]


def test_sixty_days_keep_gaps_and_few_date_labels():
    """Sixty days: one bar per quiz day (none for days without a quiz), at most ten date labels."""
    days = _sixty_days_with_gaps()
    fig = charts.participation_figure(days)
    ax = fig.axes[0]
    quiz_days = {d.day for d in days}
    right_bars = [p for p in ax.patches if p.get_facecolor()[:3] == pytest.approx((0.192, 0.639, 0.329), abs=0.01)]
    assert {num2date(p.get_x() + p.get_width() / 2).date() for p in right_bars} == quiz_days
    ticks = _tick_days(fig, ax)
    assert 3 <= len(ticks) <= 11
    assert all(t.get_text()[:2].strip().isdigit() for t in ax.get_xticklabels() if t.get_text())


def test_counts_are_whole_numbers_and_answers_per_day_are_shown():
    """The count axes tick only integers (no half a person), and a day's answer bars add up to its answers."""
    days = [DayRow(date(2025, 3, 14), answered=3, correct=1, people=1), DayRow(date(2025, 3, 16), 2, 2, 2)]
    for fig, ax in ((f := charts.participation_figure(days), f.axes[0]), (g := charts.accuracy_figure(days, "a"), g.axes[1])):
        fig.canvas.draw()
        assert all(float(t).is_integer() for t in ax.get_yticks())
        per_day: dict[date, float] = {}
        for p in _bars(ax):
            day = num2date(p.get_x() + p.get_width() / 2).date()
            per_day[day] = per_day.get(day, 0) + p.get_height()
        assert per_day == {date(2025, 3, 14): 3, date(2025, 3, 16): 2}


def test_accuracy_chart_has_no_bar_for_a_day_without_a_quiz():
    """A day with no quiz is a gap on the accuracy chart, not a 0 % bar; a 0 % day still has its bar."""
    days = [DayRow(date(2025, 3, 14), 2, 0, 1), DayRow(date(2025, 3, 16), 2, 1, 1)]
    top = charts.accuracy_figure(days, "a").axes[0]
    bar_days = sorted(num2date(p.get_x() + p.get_width() / 2).date() for p in top.patches)
    assert bar_days == [date(2025, 3, 14), date(2025, 3, 16)]
    assert charts.accuracy_png(days, "a").startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (timedelta(minutes=10), "in 10 minutes (09:10)"),
        (timedelta(hours=5), "today at 14:00 (in 5 hours)"),
        (timedelta(days=1), "tomorrow at 09:00"),
        (timedelta(days=3), "on Sunday at 09:00 (in 3 days)"),
        (timedelta(days=12), "on Tue 14 Jan at 09:00 (in 12 days)"),
    ],
)
def test_due_times_read_as_a_person_says_them(due, expected):
    """A due time is worded relative to now in the given timezone."""
    now = datetime(2025, 1, 2, 8, 0, tzinfo=timezone.utc)  # 09:00 in Paris, a Thursday
    assert render.when(now + due, now, "Europe/Paris") == expected


def test_a_missed_quiz_says_when_it_comes_back():
    """A wrong answer that enters the review queue says when it returns and how to answer it."""
    now = datetime(2025, 1, 2, 8, 0, tzinfo=timezone.utc)
    reply = render.answered(_item(), 2, False, comes_back=now + timedelta(minutes=10), now=now, tz="UTC")
    assert "comes back in 10 minutes (08:10)" in reply.text
    assert "`/review`" in reply.text
    right = render.answered(_item(), 0, True, comes_back=now + timedelta(minutes=10), now=now)
    assert "comes back" not in right.text


def test_review_says_when_the_next_card_is_due():
    """With nothing due, review names the next due time; after a review answer, when the card returns."""
    now = datetime(2025, 1, 2, 8, 0, tzinfo=timezone.utc)
    empty = render.nothing_to_review(2, now + timedelta(days=1), now, "UTC")
    assert "next card is due tomorrow at 08:00" in empty.text and "2 cards scheduled" in empty.text
    assert "miss" in render.nothing_to_review(0, None, now).text
    again = render.review_answered(_item(), 0, True, now + timedelta(days=3), now)
    assert "again on Sunday at 08:00 (in 3 days)" in again.text


def test_leaderboard_names_its_numbers():
    """Each row says points, answered and streak in words, and the legend says what a point is."""
    reply = render.leaderboard("Leaderboard — this week", [
        render.Standing(1, "ana", 5, 7, 3), render.Standing(2, "bo", 1, 1, 0),
    ])
    lines = reply.text.splitlines()
    assert "1. ana — **5 points** · 7 answered · 🔥 3-day streak" in lines
    assert "2. bo — **1 point** · 1 answered" in lines
    assert "1 point per right answer" in reply.text
    assert reply.data["rows"][0]["streak"] == 3
    assert "`/quiz now`" in render.leaderboard("Leaderboard", []).text
