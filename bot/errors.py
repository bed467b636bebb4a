"""Domain errors and the one function that turns any exception into what a user reads.

The error types are defined in ``knowledge.errors`` (so every layer can raise them) and
re-exported here. Each adapter calls ``error_reply`` in exactly one place, around every
event it handles.
"""

from __future__ import annotations

import logging
import uuid

from bot.metrics import ERRORS
from bot.replies import Reply, Visibility
from knowledge.errors import ConfigError, DependencyError, StudyBuddyError, UserInputError

__all__ = ["ConfigError", "DependencyError", "StudyBuddyError", "UserInputError", "error_reply", "operator_message"]

log = logging.getLogger(__name__)


def error_reply(exc: BaseException, *, context: str = "") -> Reply:
    """The private reply for ``exc``; anything not meant for users is logged once under a reference id.

    Order:
    1. ``UserInputError``: its message as is (it says what to do); nothing is logged.
    2. ``ConfigError`` / ``DependencyError``: the operator must act. The user learns that part
       of the bot is unavailable; the log gets the message that names the fix.
    3. Anything else is a bug: a short apology; the traceback is logged.
    Both 2 and 3 carry a reference id so a user's report can be matched to the log line.
    """
    if isinstance(exc, UserInputError):
        ERRORS.labels("input").inc()
        return Reply(str(exc), visibility=Visibility.PRIVATE, data={"error": "input"})
    ref = uuid.uuid4().hex[:8]
    where = f" ({context})" if context else ""
    if isinstance(exc, (ConfigError, DependencyError)):
        ERRORS.labels("unavailable").inc()
        log.error("[ref %s]%s %s", ref, where, exc)
        return Reply(
            f"I can't do that right now: part of my setup is unavailable. The operator can find the details "
            f"in the log under reference `{ref}`.",
            visibility=Visibility.PRIVATE,
            data={"error": "unavailable", "ref": ref},
        )
    ERRORS.labels("bug").inc()
    log.error("[ref %s]%s unexpected error", ref, where, exc_info=(type(exc), exc, exc.__traceback__))
    return Reply(
        f"Sorry, something went wrong on my side. If it keeps happening, tell the operator: reference `{ref}`.",
        visibility=Visibility.PRIVATE,
        data={"error": "bug", "ref": ref},
    )


def operator_message(exc: BaseException) -> str | None:
    """One line for the operator at start-up, or None if ``exc`` is a bug (then show the traceback)."""
    if isinstance(exc, (ConfigError, DependencyError, UserInputError)):
        return str(exc)
    return None
