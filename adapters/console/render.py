"""Render a core ``Reply`` in the terminal with Rich."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markdown import Markdown
from rich.panel import Panel
from rich.text import Text

from bot.replies import Reply, Visibility


def render(console: Console, reply: Reply, image_dir: Path) -> None:
    body = Markdown(reply.text) if reply.text else Text("")
    title = reply.title or ("only you see this" if reply.visibility is Visibility.PRIVATE else None)
    console.print(Panel(body, title=title, title_align="left", border_style="cyan", expand=False))
    if reply.buttons and not all(b.label in reply.text for b in reply.buttons):
        console.print(Text("  ".join(f"[{i}] {b.label}" for i, b in enumerate(reply.buttons, 1)), style="bold"))
    for src in reply.sources:
        line = Text(f"[{src.n}] ", style="bold")
        line.append(src.title)
        line.append(f" — {src.path}", style="dim")
        console.print(line)
    if reply.image is not None:
        image_dir.mkdir(parents=True, exist_ok=True)
        path = image_dir / reply.image.filename
        path.write_bytes(reply.image.data)
        console.print(Text(f"(picture saved to {path})", style="dim"))
