"""The text grammar every text surface shares: what each line means, and what a mistake says."""

from __future__ import annotations

from datetime import time

import pytest

from bot import commands as c
from bot.errors import UserInputError
from bot.replies import Period


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("what is RAG?", c.Ask("what is RAG?")),
        ("/ask what is RAG?", c.Ask("what is RAG?")),
        ("2", c.AnswerNumber(2)),
        ("  3 ", c.AnswerNumber(3)),
        ("²", c.Ask("²")),  # a digit to Python, not a number: a question, never a crash
        ("①", c.Ask("①")),
        ("/tokenize hello  world", c.Tokenize("hello  world")),
        ("/tokenize --ids --image hi", c.Tokenize("hi", show_ids=True, image=True)),
        ("/tokenize --special <|endoftext|>", c.Tokenize("<|endoftext|>", special_tokens=True)),
        ("/tokenize -- -1 is negative", c.Tokenize("-1 is negative")),
        ("/quiz now", c.QuizNow()),
        ("/QUIZ Close", c.QuizClose()),
        ("/quiz status", c.QuizStatus()),
        ("/quiz", c.QuizHelp()),
        ("/quiz schedule 09:00 Europe/Paris", c.Schedule(time(9, 0), "Europe/Paris")),
        ("/quiz schedule 7:05", c.Schedule(time(7, 5), None)),
        ("/quiz unschedule", c.Unschedule()),
        ("/leaderboard", c.Leaderboard(Period.WEEK)),
        ("/leaderboard all", c.Leaderboard(Period.ALL)),
        ("/review", c.Review()),
        ("/review 2", c.Review(2)),
        ("/stats", c.Stats(channel=False)),
        ("/stats channel", c.Stats(channel=True)),
        ("/help", c.Help()),
        ("/studybuddy", c.Help()),
        ("", None),
    ],
)
def test_lines_mean_typed_commands(line, expected):
    """Each line parses to the typed command a surface passes to the facade."""
    assert c.parse(line) == expected


def test_slack_delivers_name_and_text_apart():
    """Slack's `/quiz` with text `schedule 18:30 America/New_York` means the same as the terminal's line."""
    assert c.parse_command("quiz", "schedule 18:30 America/New_York") == c.parse("/quiz schedule 18:30 America/New_York")


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("/quiz schedule 25:00", "HH:MM"),
        ("/quiz schedule 9am Europe/Paris", "HH:MM"),
        ("/quiz schedule", "e.g. `/quiz schedule 09:00 Europe/Paris`"),
        ("/quiz schedule 09:00 Europe Paris now", "e.g."),
        ("/leaderboard forever", "/leaderboard all"),
        ("/review ²", "/review 2"),
        ("/stats everyone", "/stats channel"),
        ("/tokenize", "Give me some text"),
        ("/tokenize --colour red", "Unknown option `--colour`"),
        ("/frobnicate", "/help"),
    ],
)
def test_mistakes_say_what_to_type(line, fragment):
    """A malformed command is a user error whose message shows the right form."""
    with pytest.raises(UserInputError) as err:
        c.parse(line)
    assert fragment in str(err.value)
