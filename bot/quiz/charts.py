"""PNG charts with matplotlib's object API (no pyplot state, Agg canvas): safe off the main thread."""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.storage.reports import DayRow


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return buf.getvalue()


def accuracy_png(days: Sequence[DayRow], who: str) -> bytes:
    """Daily accuracy as bars, running accuracy as a line."""
    fig = Figure(figsize=(7, 3.5), layout="constrained")
    ax = fig.add_subplot()
    xs = [d.day for d in days]
    daily = [100 * d.correct / d.answered if d.answered else 0 for d in days]
    running, c, n = [], 0, 0
    for d in days:
        c, n = c + d.correct, n + d.answered
        running.append(100 * c / n if n else 0)
    ax.bar(xs, daily, color="#9ecae1", label="that day")
    ax.plot(xs, running, color="#08519c", marker="o", label="overall")
    ax.set_ylim(0, 105)
    ax.set_ylabel("accuracy %")
    ax.set_title(f"Quiz accuracy — {who}")
    ax.legend(loc="lower right")
    fig.autofmt_xdate()
    return _png(fig)


def participation_png(days: Sequence[DayRow]) -> bytes:
    fig = Figure(figsize=(7, 3.5), layout="constrained")
    ax = fig.add_subplot()
    xs = [d.day for d in days]
    ax.bar(xs, [d.people for d in days], color="#a1d99b", label="people")
    ax.plot(xs, [d.correct for d in days], color="#006d2c", marker="o", label="correct answers")
    ax.set_ylabel("count")
    ax.set_title("Quiz participation")
    ax.legend(loc="upper left")
    fig.autofmt_xdate()
    return _png(fig)
