"""The small types of generation: how a model call ends, and what a checked reply is.

Kept apart from the client so code that only handles them never loads the HTTP client library.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from knowledge.errors import DependencyError
from knowledge.types import Hit


class Failure(str, Enum):
    TIMEOUT = "timeout"
    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"
    REFUSED_KEY = "refused_key"
    UNREACHABLE = "unreachable"
    MALFORMED = "malformed"
    MISCONFIGURED = "misconfigured"  # 400/404: a wrong model name or base URL, a prompt it will not take

    @property
    def said(self) -> str:
        """How a student is told, after "the language model ..."."""
        return {
            Failure.TIMEOUT: "took too long",
            Failure.RATE_LIMITED: "is busy (rate limited)",
            Failure.SERVER_ERROR: "had an error",
            Failure.REFUSED_KEY: "refused our key",
            Failure.UNREACHABLE: "could not be reached",
            Failure.MALFORMED: "sent a broken reply",
            Failure.MISCONFIGURED: "is not set up correctly",
        }[self]


class ModelUnavailable(DependencyError):
    """The model gave no usable answer this time. ``failure`` says why; the text is for operators."""

    def __init__(self, failure: Failure, detail: str) -> None:
        super().__init__(f"language model unavailable ({failure.value}): {detail}")
        self.failure = failure


class Verdict(str, Enum):
    OK = "ok"
    NOT_COVERED = "not_covered"  # the model said the notes do not answer it
    UNCITED = "uncited"  # nothing cited (or nothing cited survived)
    UNKNOWN_SOURCE = "unknown_source"  # cited a passage it was not given
    UNSUPPORTED = "unsupported"  # cited a passage that shares no word with what it says
    EMPTY = "empty"


@dataclass(frozen=True, slots=True)
class Completion:
    text: str
    finish_reason: str  # "stop", or "length" when max_tokens cut it


@dataclass(frozen=True, slots=True)
class Generated:
    """A checked reply. ``text`` and ``sources`` are what to show when ``ok``."""

    verdict: Verdict
    text: str
    sources: tuple[Hit, ...]  # the passages cited, [1] first
    given: int  # how many passages the model was sent
    dropped: int = 0  # paragraphs dropped for citing nothing

    @property
    def ok(self) -> bool:
        return self.verdict is Verdict.OK


@dataclass(frozen=True, slots=True)
class Partial:
    """The reply so far, as it may be shown while it is still being written (not yet checked)."""

    text: str
