"""Render a core ``Reply`` in the terminal with Rich."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markdown import Markdown
from rich.panel import Panel
from rich.text import Text

from bot.actions import QuizAction, QuizMeAction, ReviewAction, VoteAction, parse_action
from bot.replies import Reply, Visibility


def render(console: Console, reply: Reply, image_dir: Path) -> None:
    body = Markdown(reply.text) if reply.text else Text("")
    title = reply.title or ("only you see this" if reply.visibility is Visibility.PRIVATE else None)
    console.print(Panel(body, title=title, title_align="left", border_style="cyan", expand=False))
    answers = [b for b in reply.buttons if isinstance(parse_action(b.action_id), (QuizAction, ReviewAction))]
    if answers and not all(b.label in reply.text for b in answers):
        console.print(Text("  ".join(f"[{i}] {b.label}" for i, b in enumerate(answers, 1)), style="bold"))
    if len(answers) < len(reply.buttons):
        actions = [parse_action(b.action_id) for b in reply.buttons]
        hints = [hint for kind, hint in ((VoteAction, "/helpful · /unhelpful"), (QuizMeAction, "/quizme"))
                 if any(isinstance(a, kind) for a in actions)]
        console.print(Text("  " + " · ".join(hints), style="dim"))
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
