"""`/tokenize` flags parsed once for every text surface; the text itself is never stripped."""

from __future__ import annotations

import pytest

from bot.errors import UserInputError
from bot.tokenization.command import TokenizeRequest, parse_command


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("hello", TokenizeRequest("hello")),
        ("--ids hello", TokenizeRequest("hello", show_ids=True)),
        ("--image --special  two spaces", TokenizeRequest(" two spaces", with_image=True, special_tokens=True)),
        ("--ids\ndef f():\n    pass\n", TokenizeRequest("def f():\n    pass\n", show_ids=True)),
        ("-- --ids is text", TokenizeRequest("--ids is text")),
        ("  indented\n", TokenizeRequest("  indented\n")),
        ("-x is text", TokenizeRequest("-x is text")),
    ],
)
def test_flags_come_off_and_the_text_stays_exact(args, expected):
    """Each flag and its one separator are removed; spaces and newlines of the text are kept."""
    assert parse_command(args) == expected


def test_unknown_flag_says_how_to_pass_such_a_text():
    """An unknown --flag is a user error naming the flags and the `--` escape."""
    with pytest.raises(UserInputError, match="--special.*`--`"):
        parse_command("--verbose text")
