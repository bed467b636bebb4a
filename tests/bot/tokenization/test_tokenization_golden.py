"""Golden files: the whole explanation of 30 varied texts, as a terminal shows it, checked in under golden/.

Every file was read line by line when it was checked in; a change to any
explanation shows up as a diff in review. To accept a deliberate change, run
``STUDYBUDDY_UPDATE_GOLDEN=1 .venv/bin/pytest tests/bot/tokenization/test_tokenization_golden.py``
and read the diff before committing it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from pathlib import Path

import pytest

from bot.tokenization import tokenize_reply
from tests.bot.tokenization.golden_texts import GOLDEN

HERE = Path(__file__).parent / "golden"
TODAY = dt.date(2026, 11, 29)  # the price table's age is part of the text: pinned
_VIEWS = re.compile(r"```\n.*?\n```\n\n", re.DOTALL)


def explanation(text: str) -> str:
    """The terminal reply without its token views (their ids are checked against the libraries elsewhere)."""
    reply = tokenize_reply(text, max_message_chars=None, today=TODAY)
    return _VIEWS.sub("", reply.text, count=1) + "\n"


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_explanation_matches_the_reviewed_file(name):
    """The explanation of each golden text is exactly the reviewed, checked-in one."""
    path = HERE / f"{name}.md"
    got = explanation(GOLDEN[name])
    if os.environ.get("STUDYBUDDY_UPDATE_GOLDEN"):
        HERE.mkdir(exist_ok=True)
        path.write_text(got, encoding="utf-8")
    want = path.read_text(encoding="utf-8")
    if got != want:
        diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True), "checked in", "now"))
        pytest.fail(f"{name}: the explanation changed; review the diff:\n{diff}")


def test_there_are_thirty_golden_texts():
    """The set covers 30 texts, every one with its file."""
    assert len(GOLDEN) == 30
    assert {p.stem for p in HERE.glob("*.md")} == set(GOLDEN)
