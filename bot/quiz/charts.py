"""PNG charts with matplotlib's object API (no pyplot state, Agg canvas): safe off the main thread.

Both charts are drawn on a calendar-day axis from the first to the last day with answers,
so one day reads as one labelled bar (not an axis of hours) and sixty days stay legible.
A day without a quiz is left empty, never drawn as 0 %; counts are whole numbers.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from datetime import date, timedelta

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import DateFormatter, DayLocator, date2num
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from bot.storage.reports import DayRow

_MAX_DATE_TICKS = 10
_RIGHT = "#31a354"
_WRONG = "#de2d26"
_LINE = "#08519c"


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return buf.getvalue()


def _day_axis(ax, days: Sequence[date]) -> None:
    """Whole days from first to last, at most ~10 labels, with half a day of margin each side."""
    first, last = min(days), max(days)
    span = (last - first).days + 1
    step = max(1, math.ceil(span / _MAX_DATE_TICKS))
    ax.xaxis.set_major_locator(DayLocator(interval=step))
    ax.xaxis.set_major_formatter(DateFormatter("%d %b" if first.year == last.year else "%d %b %y"))
    pad = 0.6 if span > 1 else 1.5  # a single day still gets room on both sides of its bar
    ax.set_xlim(date2num(first) - pad, date2num(last) + pad)
    if span == 1:
        ax.set_xticks([date2num(first)])
    for label in ax.get_xticklabels():
        label.set_rotation(0 if span <= 7 else 30)
        label.set_horizontalalignment("center" if span <= 7 else "right")


def _count_axis(ax, top: int) -> None:
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    ax.set_ylim(0, max(1, top) * 1.25)


def _sorted(days: Sequence[DayRow]) -> list[DayRow]:
    return sorted((d for d in days if d.answered > 0), key=lambda d: d.day)


def accuracy_png(days: Sequence[DayRow], who: str) -> bytes:
    return _png(accuracy_figure(days, who))


def participation_png(days: Sequence[DayRow]) -> bytes:
    return _png(participation_figure(days))


def accuracy_figure(days: Sequence[DayRow], who: str) -> Figure:
    """Accuracy per quiz day (bars), accuracy so far (line), and answers per day (bars below)."""
    rows = _sorted(days)
    fig = Figure(figsize=(8, 4.5), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 1.3))
    if not rows:
        top.text(0.5, 0.5, "No answers yet", ha="center", va="center", transform=top.transAxes)
        return fig
    xs = [d.day for d in rows]
    daily = [100 * d.correct / d.answered for d in rows]
    running, right, answered = [], 0, 0
    for d in rows:
        right, answered = right + d.correct, answered + d.answered
        running.append(100 * right / answered)
    # An edge keeps a 0 % day visible as a line on the axis, unlike a day without a quiz.
    top.bar(xs, daily, width=0.8, color="#9ecae1", edgecolor="#3182bd", linewidth=0.8, label="that day")
    # Markers only on quiz days; the line between them is the running total, which does not move
    # on a day without answers.
    top.plot(xs, running, color=_LINE, marker="o", markersize=4, label="overall so far", drawstyle="steps-post")
    top.set_ylim(0, 110)
    top.yaxis.set_major_formatter(PercentFormatter())
    top.set_ylabel("correct")
    top.set_title(f"Quiz accuracy — {who}: {right}/{answered} correct ({round(100 * right / answered)}%)")
    top.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    top.grid(axis="y", alpha=0.3)

    wrong = [d.answered - d.correct for d in rows]
    bottom.bar(xs, [d.correct for d in rows], width=0.8, color=_RIGHT, label="right")
    bottom.bar(xs, wrong, width=0.8, bottom=[d.correct for d in rows], color=_WRONG, label="wrong")
    _count_axis(bottom, max(d.answered for d in rows))
    bottom.set_ylabel("answers")
    bottom.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    _day_axis(bottom, xs)
    return fig


def participation_figure(days: Sequence[DayRow]) -> Figure:
    """Answers per quiz day (right and wrong stacked) and how many people answered."""
    rows = _sorted(days)
    fig = Figure(figsize=(8, 4), layout="constrained")
    ax = fig.add_subplot()
    if not rows:
        ax.text(0.5, 0.5, "No quizzes yet", ha="center", va="center", transform=ax.transAxes)
        return fig
    xs = [d.day for d in rows]
    correct = [d.correct for d in rows]
    ax.bar(xs, correct, width=0.8, color=_RIGHT, label="right answers")
    ax.bar(xs, [d.answered - d.correct for d in rows], width=0.8, bottom=correct, color=_WRONG, label="wrong answers")
    # People as dots, not a line: a line would draw values across days without a quiz.
    ax.plot(xs, [d.people for d in rows], linestyle="none", marker="D", markersize=6, color="black", label="people")
    _count_axis(ax, max(max(d.answered for d in rows), max(d.people for d in rows)))
    ax.set_ylabel("count")
    total = sum(d.answered for d in rows)
    quiz_days = len(rows)
    span = (xs[-1] - xs[0] + timedelta(days=1)).days
    days_text = f"{quiz_days} of {span} days" if span != quiz_days else f"{quiz_days} day{'s' if quiz_days != 1 else ''}"
    ax.set_title(f"Quiz participation: {total} answers, quizzes on {days_text}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    _day_axis(ax, xs)
    return fig
