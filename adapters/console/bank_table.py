"""``studybuddy quiz bank``: the quiz bank, and what its gate rejected, as rich tables."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table

from knowledge.quizbank import Rejected
from knowledge.types import QuizItem

KIND_LABELS = {"mcq": "multiple choice", "true_false": "true/false", "fill_blank": "fill in the blank"}


def format_bank_table(items: Sequence[QuizItem], curated: int = 0) -> Table:
    """One row per item: id, kind, where it comes from, the section it cites, question and options, answer.

    The first ``curated`` items come from hand-written decks, the rest were generated.
    """
    title = f"Quiz bank: {len(items)} items ({curated} from decks, {len(items) - curated} generated)"
    table = Table(title=title, show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("id", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("section", ratio=1)
    table.add_column("question and options", ratio=3)
    table.add_column("answer", ratio=1)
    for n, item in enumerate(items, 1):
        options = "\n".join(
            f"{'✓' if i == item.answer else ' '} {i + 1}. {opt}" for i, opt in enumerate(item.options)
        )
        origin = "deck" if n <= curated else "generated"
        table.add_row(
            str(n), f"{item.id[:16]}\n({origin})", KIND_LABELS.get(item.kind, item.kind), item.source_title,
            f"{item.question}\n{options}", item.answer_text,
        )
    return table


def format_rejected_table(rejected: Sequence[Rejected]) -> Table:
    """One row per dropped candidate: the question, its section, and every reason the gate gave."""
    table = Table(title=f"Dropped by the quality gate: {len(rejected)} candidates", show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("section", ratio=1)
    table.add_column("question", ratio=2)
    table.add_column("why", ratio=2)
    for n, r in enumerate(rejected, 1):
        table.add_row(str(n), r.source, r.question, "\n".join(f"- {reason}" for reason in r.reasons))
    return table
