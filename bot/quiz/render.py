"""Reply builders: the only place quiz text is worded."""

from __future__ import annotations

import re

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


def answered(item: Item, option: int, correct: bool, *, again: bool = False) -> Reply:
    if again:
        head = f"You already answered this one (you chose {option + 1}); your first answer counts."
    elif correct:
        head = "✅ **Right!**"
    else:
        head = f"❌ **Not quite** — you chose {option + 1}. {item.options[option]}."
    text = f"{head}\n\nThe answer: {_answer_line(item)}\n\n{item.explanation} [1]"
    if not correct and not again:
        text += "\n\n*This one is now in your `review` queue.*"
    return Reply(
        text=text,
        sources=(_source(item),),
        visibility=Visibility.PRIVATE,
        data={"correct": correct, "option": option, "answer": item.answer, "duplicate": again},
    )


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


def private(text: str, **data) -> Reply:
    return Reply(text=text, visibility=Visibility.PRIVATE, data=data or None)
