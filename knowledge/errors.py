"""The error types every layer raises. ``user_safe`` says whether the message may be shown to a user as is.

They live here, at the bottom of the dependency chain, so ``knowledge`` can raise them
without knowing about chat; ``bot.errors`` re-exports them and owns the one function that
turns any exception into a reply.
"""

from __future__ import annotations


class StudyBuddyError(Exception):
    user_safe: bool = False


class UserInputError(StudyBuddyError):
    """Something the user typed is unusable; the message says what to do instead."""

    user_safe = True


class ConfigError(StudyBuddyError):
    """The operator must fix the setup (a setting, a missing folder, a broken data file).

    At start: one line naming the fix and exit code 2. During a chat: that one message fails.
    """


class DependencyError(StudyBuddyError):
    """A component the bot needs (Chroma, the database, the embedding model) is down or broken.

    The message names the component and the likely fix; it is shown to operators, not users.
    """
