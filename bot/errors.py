"""Domain errors (defined in ``knowledge.errors`` so every layer can raise them)."""

from __future__ import annotations

from knowledge.errors import ConfigError, DependencyError, StudyBuddyError, UserInputError

__all__ = ["ConfigError", "DependencyError", "StudyBuddyError", "UserInputError"]
