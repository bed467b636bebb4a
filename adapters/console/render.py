"""Render a core ``Reply`` in the terminal with Rich."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markdown import Markdown
from rich.panel import Panel
from rich.text import Text

from bot.actions import LevelAction, QuizAction, QuizMeAction, ReviewAction, VoteAction, parse_action
from bot.replies import Reply, Visibility

ANSWER_WORDS = ("/helpful", "/unhelpful", "/quizme", "/simpler", "/deeper", "/example")


def answer_word(action) -> str | None:
    """The command a terminal user types for an answer's button."""
    if isinstance(action, VoteAction):
        return "/helpful" if action.helpful else "/unhelpful"
    if isinstance(action, QuizMeAction):
        return "/quizme"
    if isinstance(action, LevelAction):
        return f"/{action.level.value}"
    return None


def render(console: Console, reply: Reply, image_dir: Path) -> None:
    body = Markdown(reply.text) if reply.text else Text("")
    title = reply.title or ("only you see this" if reply.visibility is Visibility.PRIVATE else None)
    console.print(Panel(body, title=title, title_align="left", border_style="cyan", expand=False))
    answers = [b for b in reply.buttons if isinstance(parse_action(b.action_id), (QuizAction, ReviewAction))]
    if answers and not all(b.label in reply.text for b in answers):
        console.print(Text("  ".join(f"[{i}] {b.label}" for i, b in enumerate(answers, 1)), style="bold"))
    if len(answers) < len(reply.buttons):
        words = [w for w in (answer_word(parse_action(b.action_id)) for b in reply.buttons) if w]
        console.print(Text("  " + " · ".join(dict.fromkeys(words)), style="dim"))
    for src in reply.sources:
        line = Text(f"[{src.n}] ", style="bold")
        line.append(src.title)
        line.append(f" — {src.path}", style="dim")
        console.print(line)
    if reply.image is not None:
        path = image_dir / reply.image.filename
        try:
            image_dir.mkdir(parents=True, exist_ok=True)
            path.write_bytes(reply.image.data)
        except OSError as exc:
            console.print(Text(f"(could not save the picture to {path}: {exc.strerror or exc})", style="yellow"))
        else:
            console.print(Text(f"(picture saved to {path})", style="dim"))
