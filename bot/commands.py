"""The text-command grammar shared by every text surface (the terminal chat, Slack's slash commands).

``parse(line)`` turns ``/quiz schedule 09:00 Europe/Paris`` into ``Schedule(time(9, 0),
"Europe/Paris")``; ``run(buddy, command, ...)`` calls the facade with typed values. The
grammar and its error messages exist only here; surfaces with typed options (Discord's
slash commands) call the facade directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from bot.errors import UserInputError
from bot.replies import Actor, ChannelRef, Period, Reply, Turn

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
SCHEDULE_EXAMPLE = "`/quiz schedule 09:00 Europe/Paris`"
QUIZ_USAGE = (
    "**Quiz commands**\n"
    "- `/quiz now` — post a quiz here; answer with its buttons (in the terminal: type the option's number)\n"
    "- `/quiz close` — close the open quiz and reveal the answer\n"
    f"- {SCHEDULE_EXAMPLE} — a quiz here every day at that local time; `/quiz unschedule`, `/quiz status`\n"
    "- `/leaderboard [week|all]`, `/review`, `/stats [me|channel]`"
)
TOKENIZE_USAGE = "Use `/tokenize [--ids] [--image] [--special] TEXT` (put `--` before a text that starts with `-`)."


# The commands, as typed values ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ask:
    question: str


@dataclass(frozen=True, slots=True)
class Tokenize:
    text: str
    show_ids: bool = False
    image: bool = False
    special_tokens: bool = False


@dataclass(frozen=True, slots=True)
class QuizNow:
    pass


@dataclass(frozen=True, slots=True)
class QuizClose:
    pass


@dataclass(frozen=True, slots=True)
class QuizStatus:
    pass


@dataclass(frozen=True, slots=True)
class QuizHelp:
    pass


@dataclass(frozen=True, slots=True)
class Schedule:
    at: time
    timezone: str | None  # None: the channel's zone


@dataclass(frozen=True, slots=True)
class Unschedule:
    pass


@dataclass(frozen=True, slots=True)
class AnswerNumber:
    """A bare number: the answer to the open quiz (text surfaces have no buttons)."""

    number: int


@dataclass(frozen=True, slots=True)
class Leaderboard:
    period: Period = Period.WEEK


@dataclass(frozen=True, slots=True)
class Review:
    number: int | None = None  # answer the shown card by number


@dataclass(frozen=True, slots=True)
class Stats:
    channel: bool = False


@dataclass(frozen=True, slots=True)
class Help:
    pass


Command = (
    Ask | Tokenize | QuizNow | QuizClose | QuizStatus | QuizHelp | Schedule | Unschedule | AnswerNumber
    | Leaderboard | Review | Stats | Help
)


# Parsing -------------------------------------------------------------------------------


def number(text: str) -> int | None:
    """An ASCII decimal number, or None ("²" and "①" are digits to Python, not numbers to int())."""
    text = text.strip()
    return int(text) if text and text.isascii() and text.isdecimal() and len(text) <= 9 else None


def parse(line: str) -> Command | None:
    """The command a line of text stands for; None for an empty line. A line without a
    leading ``/`` is a question (or a bare number, an answer)."""
    stripped = line.strip()
    if not stripped:
        return None
    if not stripped.startswith("/"):
        n = number(stripped)
        return AnswerNumber(n) if n is not None else Ask(stripped)
    name, _, rest = line.lstrip()[1:].partition(" ")
    return parse_command(name, rest)


def parse_command(name: str, args: str) -> Command:
    """A slash command by name (without the slash) and its argument text, as Slack delivers them."""
    name = name.strip().lower()
    if name == "ask":
        return Ask(args.strip())
    if name == "tokenize":
        return _tokenize(args)
    if name == "quiz":
        return _quiz(args)
    if name == "leaderboard":
        return _leaderboard(args)
    if name == "review":
        return _review(args)
    if name == "stats":
        return _stats(args)
    if name in ("help", "studybuddy", "?"):
        return Help()
    raise UserInputError(f"I don't know `/{name[:40]}`. Type `/help` for what I can do.")


def _tokenize(args: str) -> Tokenize:
    flags = {"--ids": "show_ids", "--image": "image", "--special": "special_tokens"}
    chosen: dict[str, bool] = {}
    rest = args
    while True:
        # Only the one space after each option is grammar: the text keeps its own indentation and line breaks.
        word, sep, after = rest.lstrip(" ").partition(" ")
        if not word.startswith("-") or "\n" in word:
            rest = rest.lstrip(" ")
            break
        if word == "--":
            rest = after
            break
        if word not in flags:
            raise UserInputError(f"Unknown option `{word[:40]}`. {TOKENIZE_USAGE}")
        chosen[flags[word]] = True
        rest = after
    if not rest.strip():
        raise UserInputError(f"Give me some text to tokenize. {TOKENIZE_USAGE}")
    return Tokenize(rest, **chosen)


def _quiz(args: str) -> Command:
    words = args.split()
    sub = words[0].lower() if words else "help"
    if sub == "now":
        return QuizNow()
    if sub == "close":
        return QuizClose()
    if sub == "status":
        return QuizStatus()
    if sub == "unschedule":
        return Unschedule()
    if sub == "schedule":
        return parse_schedule(" ".join(words[1:]))
    return QuizHelp()


def parse_schedule(text: str) -> Schedule:
    """``"09:00 Europe/Paris"`` → Schedule(time(9, 0), "Europe/Paris"); the zone is checked by the core."""
    parts = text.split()
    if not parts or len(parts) > 2:
        raise UserInputError(f"Give a time and optionally a timezone, e.g. {SCHEDULE_EXAMPLE}.")
    return Schedule(parse_time(parts[0]), parts[1] if len(parts) == 2 else None)


def parse_time(text: str) -> time:
    match = _TIME.match(text.strip())
    if not match:
        raise UserInputError(f"Times are 24-hour `HH:MM` (00:00 to 23:59), e.g. {SCHEDULE_EXAMPLE}.")
    return time(int(match[1]), int(match[2]))


def _leaderboard(args: str) -> Leaderboard:
    word = args.strip().lower() or "week"
    try:
        return Leaderboard(Period(word))
    except ValueError:
        raise UserInputError("Use `/leaderboard week` or `/leaderboard all`.") from None


def _review(args: str) -> Review:
    if not args.strip():
        return Review()
    n = number(args)
    if n is None:
        raise UserInputError("Answer a review card with its number, e.g. `/review 2`.")
    return Review(n)


def _stats(args: str) -> Stats:
    word = args.strip().lower()
    if word in ("", "me"):
        return Stats(channel=False)
    if word == "channel":
        return Stats(channel=True)
    raise UserInputError("Use `/stats` for yours or `/stats channel` for this channel's.")


# Running -------------------------------------------------------------------------------


async def run(buddy, command: Command, *, actor: Actor, channel: ChannelRef, conversation: tuple[Turn, ...] = (),
              max_chars: int | None = None) -> Reply:
    """Call the facade (``bot.facade.StudyBuddy``) for a parsed command."""
    match command:
        case Ask(question):
            return await buddy.ask(question, actor=actor, channel=channel, conversation=conversation)
        case Tokenize(text, show_ids, image, special):
            return await buddy.tokenize(text, show_ids=show_ids, image=image, special_tokens=special,
                                        max_chars=max_chars)
        case QuizNow():
            return await buddy.quiz_now(channel)
        case QuizClose():
            return await buddy.quiz_close(channel, actor=actor)
        case QuizStatus():
            return await buddy.status(channel)
        case QuizHelp():
            return Reply(QUIZ_USAGE, title="Quiz commands")
        case Schedule(at, tz):
            return await buddy.schedule(channel, at, tz, actor=actor)
        case Unschedule():
            return await buddy.unschedule(channel, actor=actor)
        case AnswerNumber(n):
            return await buddy.answer_number(actor, channel, n)
        case Leaderboard(period):
            return await buddy.leaderboard(channel, period)
        case Review(None):
            return await buddy.review(actor)
        case Review(n):
            return await buddy.review_number(actor, n)
        case Stats(True):
            return await buddy.stats(channel=channel)
        case Stats(False):
            return await buddy.stats(actor=actor)
        case Help():
            return buddy.help()
    raise AssertionError(f"unhandled command {command!r}")
