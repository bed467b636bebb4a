"""``/tokenize [--ids] [--image] [--special] [--] TEXT`` from a text surface, parsed once.

``args`` is what follows the command and its one separating space. The text
is the student's exactly: only each flag and the one space after it are
removed, so leading spaces, trailing newlines and a pasted block keep every
character the tokenizers must see. ``--`` ends the flags, for a text that
itself starts with ``--``.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import UserInputError

FLAGS = {"--ids": "show_ids", "--image": "with_image", "--special": "special_tokens"}
USAGE = "`/tokenize [--ids] [--image] [--special] TEXT` (put `--` before a text that starts with `--`)"


@dataclass(frozen=True, slots=True)
class TokenizeRequest:
    text: str
    show_ids: bool = False
    with_image: bool = False
    special_tokens: bool = False


def parse_command(args: str) -> TokenizeRequest:
    """Split the flags off ``args``; raise UserInputError for an unknown ``--flag``."""
    found: dict[str, bool] = {}
    rest = args
    while rest.startswith("--"):
        end = min((i for i in (rest.find(" "), rest.find("\n")) if i >= 0), default=len(rest))
        flag, rest = rest[:end], rest[end + 1 :]
        if flag == "--":
            break
        if flag not in FLAGS:
            raise UserInputError(f"Unknown option `{flag}`. Use {USAGE}.")
        found[FLAGS[flag]] = True
    return TokenizeRequest(text=rest, **found)
