"""``studybuddy quiz bank``: the quiz bank as a rich table."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table

from knowledge.types import QuizItem

KIND_LABELS = {"mcq": "multiple choice", "true_false": "true/false", "fill_blank": "fill in the blank"}


def format_bank_table(items: Sequence[QuizItem]) -> Table:
    """One row per item: id, kind, topic, question with its options, and the answer."""
    table = Table(title=f"Quiz bank: {len(items)} items", show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("id", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("topic", ratio=1)
    table.add_column("question and options", ratio=3)
    table.add_column("answer", ratio=1)
    for n, item in enumerate(items, 1):
        options = "\n".join(
            f"{'✓' if i == item.answer else ' '} {i + 1}. {opt}" for i, opt in enumerate(item.options)
        )
        table.add_row(
            str(n), item.id[:8], KIND_LABELS.get(item.kind, item.kind), item.topic,
            f"{item.question}\n{options}", item.answer_text,
        )
    return table
