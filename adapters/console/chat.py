"""``studybuddy chat``: the interactive terminal chat (what ``make run`` starts with no tokens set)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from rich.console import Console

from adapters.console.render import render
from bot.errors import StudyBuddyError
from bot.replies import Reply, Visibility
from bot.service import StudyBuddy

log = logging.getLogger(__name__)

HELP = """**Study Buddy** — ask anything about the notes, just type it.

- `/ask QUESTION` — the same, explicitly
- `/tokenize TEXT` — how real tokenizers cut TEXT (`/tokenize --ids TEXT` for token ids, `--image` for a picture)
- `/quiz now`, then answer with a number; `/quiz schedule 09:00 Europe/Paris`, `/leaderboard`, `/review`, `/stats`
- `/help`, `/quit`"""


class ConsoleChat:
    def __init__(self, service: StudyBuddy, console: Console | None = None, image_dir: Path = Path("data/images"),
                 actor=None, channel=None) -> None:
        self.service = service
        self.console = console or Console()
        self.image_dir = image_dir
        self.actor = actor
        self.channel = channel

    async def handle(self, line: str) -> list[Reply]:
        """Replies for one line the user typed. User errors become a short private reply."""
        line = line.strip()
        if not line:
            return []
        head, _, rest = line.partition(" ")
        head = head.lower()
        try:
            if head in ("/help", "/?"):
                return [Reply(HELP, visibility=Visibility.PRIVATE)]
            if head == "/ask":
                return [await self.service.ask(rest)]
            if head == "/tokenize":
                return [await self.service.tokenize_command(rest)]
            if self.service.quiz is not None and self.actor is not None:
                from bot.quiz.console import handle_console_command

                replies = await handle_console_command(self.service.quiz, self.actor, self.channel, line)
                if replies:
                    return replies
            if head.startswith("/"):
                return [Reply(f"I don't know `{head}`. Type `/help` for what I can do.",
                              visibility=Visibility.PRIVATE)]
            return [await self.service.ask(line)]
        except StudyBuddyError as err:
            if err.user_safe:
                return [Reply(str(err), visibility=Visibility.PRIVATE)]
            log.exception("command failed: %s", head)
            return [Reply("Something went wrong on my side; the details are in the log.",
                          visibility=Visibility.PRIVATE)]

    async def run(self) -> None:
        self.console.print("[bold cyan]Study Buddy[/] — ask about the notes. [dim]/help for commands, /quit to leave.[/]")
        while True:
            try:
                line = await asyncio.to_thread(self.console.input, "[bold green]you ›[/] ")
            except (EOFError, KeyboardInterrupt):
                self.console.print()
                return
            if line.strip().lower() in ("/quit", "/exit", "quit", "exit"):
                return
            with self.console.status("thinking…", spinner="dots"):
                replies = await self.handle(line)
            for reply in replies:
                render(self.console, reply, self.image_dir)
