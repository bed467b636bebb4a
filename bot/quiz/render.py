"""Reply builders: the only place quiz text is worded."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.actions import quiz_action, review_action
from bot.replies import Button, Reply, Source, Visibility
from bot.storage.models import Item

BUTTON_LABEL_MAX = 75  # Slack's limit; Discord allows 80
_UNSAFE = re.compile(r"[`*_~|<>\[\]@#\\\x00-\x1f\x7f]")


def safe_name(name: str) -> str:
    """A display name stripped of markup and mention characters, so it cannot format or ping."""
    cleaned = _UNSAFE.sub("", name).strip()
    return (cleaned[:32] or "someone").strip()


def _label(n: int, option: str) -> str:
    label = f"{n}. {option}"
    return label if len(label) <= BUTTON_LABEL_MAX else label[: BUTTON_LABEL_MAX - 1] + "…"


def _options_text(item: Item) -> str:
    return "\n".join(f"{n}. {option}" for n, option in enumerate(item.options, 1))


def _source(item: Item) -> Source:
    return Source(n=1, title=item.source_title, path=item.source_path, text=item.explanation, score=1.0)


def question(quiz_id: int, item: Item, kind: str, closes_text: str) -> Reply:
    # The number tells students which quiz a reveal or a late click is about.
    title = f"Daily quiz #{quiz_id}" if kind == "daily" else f"Quiz #{quiz_id}"
    text = (
        # No section title here: a title built from the passage's first sentence can give the answer
        # away. The reveal and the private reply cite the section.
        f"{item.question}\n\n{_options_text(item)}\n\n"
        f"Pick one: your first answer counts. Closes {closes_text}."
    )
    buttons = tuple(Button(quiz_action(quiz_id, i), _label(i + 1, o)) for i, o in enumerate(item.options))
    return Reply(
        text=text, buttons=buttons, title=title, data={"quiz_id": quiz_id, "item_id": item.id, "topic": item.topic}
    )


def _answer_line(item: Item) -> str:
    return f"**{item.answer + 1}. {item.options[item.answer]}**"


def when(due: datetime, now: datetime, tz: str = "UTC") -> str:
    """When something is due, as a person reads it: "in 10 minutes (14:35)", "tomorrow at 09:00"."""
    zone = ZoneInfo(tz)
    local, today = due.astimezone(zone), now.astimezone(zone)
    wait = due - now
    clock = f"{local:%H:%M}"
    if wait <= timedelta(minutes=1):
        return "now"
    if wait < timedelta(hours=1):
        minutes = round(wait.total_seconds() / 60)
        return f"in {minutes} minute{'s' if minutes != 1 else ''} ({clock})"
    days = (local.date() - today.date()).days
    if days == 0:
        hours = round(wait.total_seconds() / 3600)
        return f"today at {clock} (in {hours} hour{'s' if hours != 1 else ''})"
    if days == 1:
        return f"tomorrow at {clock}"
    if days < 7:
        return f"on {local:%A} at {clock} (in {days} days)"
    return f"on {local:%a} {local.day} {local:%b} at {clock} (in {days} days)"


def answered(
    item: Item,
    option: int,
    correct: bool,
    *,
    again: bool = False,
    comes_back: datetime | None = None,
    now: datetime | None = None,
    tz: str = "UTC",
) -> Reply:
    """The private reply to a quiz answer. A miss with ``comes_back`` (its review card's due time,
    and ``now``) says when the item returns in `/review`."""
    if again:
        head = f"You already answered this one (you chose {option + 1}); your first answer counts."
    elif correct:
        head = "✅ **Right!**"
    else:
        head = f"❌ **Not quite** — you chose {option + 1}. {item.options[option]}."
    text = f"{head}\n\nThe answer: {_answer_line(item)}\n\n{item.explanation} [1]"
    data = {"correct": correct, "option": option, "answer": item.answer, "duplicate": again}
    if not correct and not again:
        if comes_back is not None and now is not None:
            text += f"\n\n*Added to your review queue: it comes back {when(comes_back, now, tz)}. Try it again then with `/review`.*"
            data["comes_back"] = comes_back.isoformat()
        else:
            text += "\n\n*This one is now in your `review` queue.*"
    return Reply(text=text, sources=(_source(item),), visibility=Visibility.PRIVATE, data=data)


def review_answered(
    item: Item, option: int, correct: bool, next_due: datetime, now: datetime, tz: str = "UTC"
) -> Reply:
    """The reply to a review answer: right or not, the explanation, and when the card is due again."""
    head = "✅ **Right!**" if correct else f"❌ **Not quite** — you chose {option + 1}. {item.options[option]}."
    text = (
        f"{head}\n\nThe answer: {_answer_line(item)}\n\n{item.explanation} [1]\n\n"
        f"*You will see this card again {when(next_due, now, tz)}.*"
    )
    return Reply(
        text=text,
        sources=(_source(item),),
        visibility=Visibility.PRIVATE,
        data={"correct": correct, "option": option, "answer": item.answer, "next_due": next_due.isoformat()},
    )


def nothing_to_review(scheduled: int, next_due: datetime | None, now: datetime, tz: str = "UTC") -> Reply:
    """No card is due: say when the next one is, or how cards get into the queue."""
    if scheduled and next_due is not None:
        cards = f"{scheduled} card{'s' if scheduled != 1 else ''}"
        text = f"Nothing to review right now. Your next card is due {when(next_due, now, tz)} ({cards} scheduled)."
    else:
        text = "Nothing to review. A quiz question you miss comes back here, so you can try it again later."
    return private(text, due=0, scheduled=scheduled, next_due=next_due.isoformat() if next_due else None)


def closed(item: Item, newer: int | None = None) -> Reply:
    head = "This quiz has closed"
    if newer is not None:
        head += f" (quiz #{newer} replaced it: answer that one)"
    return Reply(
        text=f"{head} — the answer was {_answer_line(item)}.\n\n{item.explanation} [1]",
        sources=(_source(item),),
        visibility=Visibility.PRIVATE,
        data={"closed": True, "answer": item.answer},
    )


def reveal(quiz_id: int, item: Item, counts: dict[int, int], message_id: str | None = None) -> Reply:
    total = sum(counts.values())
    lines = []
    for i, option in enumerate(item.options):
        n = counts.get(i, 0)
        share = f"{round(100 * n / total)}%" if total else "0%"
        mark = " ✅" if i == item.answer else ""
        lines.append(f"- {i + 1}. {option} — {n} ({share}){mark}")
    who = f"{total} answer{'s' if total != 1 else ''}"
    text = (
        f"The answer was {_answer_line(item)}\n\n{item.question}\n\n"
        + "\n".join(lines)
        + f"\n\n{who}. {item.explanation} [1]"
    )
    return Reply(
        text=text,
        sources=(_source(item),),
        title=f"Quiz #{quiz_id} closed",
        data={
            "reveal": True,
            "quiz_id": quiz_id,
            "message_id": message_id,  # the quiz's own message, for surfaces that mark it closed
            "answer": item.answer,
            "counts": [counts.get(i, 0) for i in range(len(item.options))],
        },
    )


def review_card(card_id: int, version: int, item: Item, due_count: int, *, title: str = "Review") -> Reply:
    more = f"{due_count} due\n\n" if due_count > 1 else ""
    text = f"{more}{item.question}\n\n{_options_text(item)}"
    buttons = tuple(Button(review_action(card_id, version, i), _label(i + 1, o)) for i, o in enumerate(item.options))
    return Reply(
        text=text,
        buttons=buttons,
        visibility=Visibility.PRIVATE,
        title=title,
        data={"card_id": card_id, "due": due_count},
    )


@dataclass(frozen=True, slots=True)
class Standing:
    """One leaderboard row as the service computed it."""

    rank: int
    name: str
    points: int  # one per right answer
    answered: int
    streak: int  # days in a row, up to today, with at least one right answer
    best_streak: int = 0
    person_id: int | None = None


def leaderboard(title: str, rows: Sequence[Standing]) -> Reply:
    """The leaderboard, each number named: points (right answers), answered, streak in days."""
    if not rows:
        return Reply(text="No answers yet: start a quiz with `/quiz now`.", title=title, data={"rows": []})
    lines = []
    for r in rows:
        pts = f"{r.points} point{'s' if r.points != 1 else ''}"
        streak = f" · 🔥 {r.streak}-day streak" if r.streak > 1 else ""
        lines.append(f"{r.rank}. {safe_name(r.name)} — **{pts}** · {r.answered} answered{streak}")
    legend = "*1 point per right answer; a streak counts days in a row with a right answer.*"
    data = [
        {"rank": r.rank, "points": r.points, "answered": r.answered, "streak": r.streak,
         "best_streak": r.best_streak, "person_id": r.person_id}
        for r in rows
    ]
    return Reply(text="\n".join(lines) + f"\n\n{legend}", title=title, data={"rows": data})


def private(text: str, **data) -> Reply:
    return Reply(text=text, visibility=Visibility.PRIVATE, data=data or None)
