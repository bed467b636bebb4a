"""``studybuddy chat``: the terminal chat (what ``make run`` opens when no platform token is set).

A text surface: lines are parsed by the shared grammar (``bot.commands``) and sent to the
facade; numbers stand in for buttons. The chat keeps its own history, so a follow-up ("and
its limitations?") is read in the light of the previous question. Scheduled quizzes and
reveals are printed as they come (the chat is the terminal's ``Poster``).

Input is async (prompt_toolkit on a terminal, a pipe reader otherwise), so Ctrl-C or Ctrl-D
leaves at once, even while a question is being answered. A paste of several lines arrives
whole (bracketed paste); a line ending in ``` collects what follows up to a line of ```.
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import logging
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from rich.console import Console

from adapters.console.render import ANSWER_WORDS, answer_word, render
from bot import commands
from bot.actions import QuizAction, ReviewAction, parse_action
from bot.errors import error_reply
from bot.facade import StudyBuddy
from bot.replies import Actor, ChannelRef, Reply, Turn, Visibility

log = logging.getLogger(__name__)

CHANNEL = ChannelRef("console", "local")
HISTORY_TURNS = 6  # recent turns passed along with a question (a few follow-ups deep)
FENCE = "```"
TERMINAL_HELP = (
    "\n\nIn this terminal: answer a quiz or review card by typing the option's number; after an answer, "
    "`/helpful`, `/unhelpful`, `/quizme`, `/simpler`, `/deeper` or `/example` act on it. End a line with ``` to paste several lines "
    "(finish with a line of ```). `/quit` (or Ctrl-D) leaves."
)


def console_actor() -> Actor:
    name = getpass.getuser()
    # The terminal's user owns the terminal's channel: they may schedule and close its quizzes.
    return Actor("console", name, name, can_manage=True)


class ConsoleChat:
    """One terminal conversation. ``handle`` is the whole behaviour; ``run`` adds the input loop."""

    def __init__(self, buddy: StudyBuddy, console: Console | None = None, image_dir: Path = Path("data/images"),
                 actor: Actor | None = None) -> None:
        self.buddy = buddy
        self.console = console or Console()
        self.image_dir = image_dir
        self.actor = actor or console_actor()
        self.history: list[Turn] = []
        self.card: Reply | None = None  # the quiz or review card numbers answer
        self.answer: Reply | None = None  # the last answer, for /helpful, /unhelpful, /quizme

    # The behaviour ------------------------------------------------------------------------

    async def handle(self, line: str) -> list[Reply]:
        """Replies for one input (a line, or a pasted block). User errors become a short private reply."""
        text = line.strip()
        if not text:
            return []
        try:
            replies = await self._dispatch(text, line)
        except Exception as exc:  # the one error boundary of this adapter
            return [error_reply(exc, context="console chat")]
        for reply in replies:
            self._remember(reply)
        return replies

    async def _dispatch(self, text: str, raw: str) -> list[Reply]:
        lowered = text.lower()
        if lowered in ANSWER_WORDS:
            return [await self._press_answer_button(lowered)]
        if lowered in ("/help", "/?"):
            help_reply = self.buddy.help()
            return [Reply(help_reply.text + TERMINAL_HELP, title=help_reply.title, visibility=Visibility.PRIVATE)]
        number = commands.number(text)
        if number is not None and self.card is not None:
            return [await self._press_card(number)]
        if not text.startswith("/") and number is None and self.card is not None and self._card_is_quiz():
            n = len(self.card.buttons)
            return [Reply(f"Answer with 1–{n}, or ask a question with `/ask …`.", visibility=Visibility.PRIVATE)]
        # Keep the text as typed for /tokenize (spaces and line breaks are what is tokenized).
        command = commands.parse(raw if text.startswith("/tokenize") else text)
        if isinstance(command, commands.Ask):
            reply = await self.buddy.ask(command.question, actor=self.actor, channel=CHANNEL,
                                         conversation=tuple(self.history[-HISTORY_TURNS:]))
            self.history += [Turn(command.question), Turn(reply.text, by_bot=True)]
            return [reply]
        return [await commands.run(self.buddy, command, actor=self.actor, channel=CHANNEL)]

    async def _press_card(self, number: int) -> Reply:
        buttons = self.card.buttons
        if not 1 <= number <= len(buttons):
            return Reply(f"Answer with 1–{len(buttons)}, or ask a question with `/ask …`.",
                         visibility=Visibility.PRIVATE)
        return await self.buddy.press(self.actor, CHANNEL, buttons[number - 1].action_id)

    async def _press_answer_button(self, word: str) -> Reply:
        """The terminal's stand-in for the buttons under the last answer."""
        for button in self.answer.buttons if self.answer else ():
            if answer_word(parse_action(button.action_id)) == word:
                return await self.buddy.press(self.actor, CHANNEL, button.action_id)
        return Reply("There is no answer to act on yet: ask a question first.", visibility=Visibility.PRIVATE)

    def _card_is_quiz(self) -> bool:
        return any(isinstance(parse_action(b.action_id), QuizAction) for b in self.card.buttons)

    def _remember(self, reply: Reply) -> None:
        actions = [parse_action(b.action_id) for b in reply.buttons]
        if any(isinstance(a, (QuizAction, ReviewAction)) for a in actions):
            self.card = reply
        elif reply.data and ("correct" in reply.data or reply.data.get("reveal")):
            self.card = None  # answered, or the quiz closed
        if any(answer_word(a) for a in actions):
            self.answer = reply

    # The terminal's Poster: scheduled quizzes and reveals -----------------------------------

    async def post(self, channel: ChannelRef, reply: Reply, *, key: str | None = None) -> str | None:
        self._remember(reply)
        render(self.console, reply, self.image_dir)
        return None

    # The loop ------------------------------------------------------------------------------

    async def run(self) -> None:
        self.console.print("[bold cyan]Study Buddy[/] — ask about the notes. [dim]/help for commands, /quit to leave.[/]")
        async for line in _inputs(self.console):
            if line.strip().lower() in ("/quit", "/exit", "quit", "exit"):
                return
            with self.console.status("thinking…", spinner="dots"):
                replies = await self.handle(line)
            for reply in replies:
                render(self.console, reply, self.image_dir)


async def _inputs(console: Console) -> AsyncIterator[str]:
    """Lines the user enters (a fenced block as one), until Ctrl-D or end of input."""
    read = _prompt_reader() if sys.stdin.isatty() else await _pipe_reader()
    while True:
        try:
            line = await read("you › ")
        except EOFError:
            console.print()
            return
        if line.rstrip().endswith(FENCE) and line.count(FENCE) % 2 == 1:
            block = [line.rstrip()[: -len(FENCE)].rstrip()]
            while True:
                try:
                    more = await read("    … ")
                except EOFError:
                    break
                if more.strip() == FENCE:
                    break
                block.append(more)
            head, body = block[0], "\n".join(block[1:])
            line = f"{head} {body}" if head else body
        yield line


def _prompt_reader() -> Callable:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.formatted_text import HTML

    session = PromptSession()

    async def read(prompt: str) -> str:
        # patch_stdout: a scheduled quiz printed while the prompt waits appears above it.
        from prompt_toolkit.patch_stdout import patch_stdout

        with patch_stdout(raw=True):
            return await session.prompt_async(HTML(f"<b><ansigreen>{prompt}</ansigreen></b>"))

    return read


async def _pipe_reader() -> Callable:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    with contextlib.suppress(ValueError, OSError):
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)

    async def read(_prompt: str) -> str:
        data = await reader.readline()
        if not data:
            raise EOFError
        return data.decode("utf-8", "replace").rstrip("\n")

    return read
