"""Domain errors. ``user_safe`` says whether the message may be shown to a user as is."""

from __future__ import annotations


class StudyBuddyError(Exception):
    user_safe: bool = False


class UserInputError(StudyBuddyError):
    """Something the user typed is unusable; the message says what to do instead."""

    user_safe = True


class ConfigError(StudyBuddyError):
    """The operator must fix the setup; shown as one line at start, then exit code 2."""

    user_safe = False
