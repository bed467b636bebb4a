"""The one home of the text rules every part of ``knowledge`` shares.

Sentence splitting, list markers, stopwords and heading paths used to exist twice with
different rules (the index and the quiz bank cut the same passage into different
sentences). Everything that splits, filters or names passages takes them from here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

# Joins the parts of a heading path: "Notebook › What is RAG?".
TITLE_SEP = " › "

# A list item's marker: "- ", "* ", "+ ", "• ", "1. ", "2) ".
BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")

# The end of a sentence inside a line: . ! ? or … (maybe closed by a quote or bracket),
# whitespace, then what can open a sentence.
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]?\s+(?=[\"“‘(\[]?[A-Z0-9])")

# English function words: they carry no topic, so keyword matching and term extraction skip them.
STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from into about as is are was were be been being
    do does did done doing have has had i me my we our you your he she his her it its they them their this
    that these those there here what which who whom whose when where why how can cannot could would should
    will shall may might must not no yes so than then too very just also only any some such more most less
    other own same over under between after before during via per each every all like simply""".split()
)

# The chatty words students wrap questions in ("pls explain ...", "tell me about ..."): no topic either.
QUESTION_FILLER = frozenset(
    """pls plz please explain explanation tell describe define definition meaning mean means know want
    understand question answer help hey hi hello thanks thank quick simple terms e g eg i e s t don doesn
    isn aren wasn weren let lets let's ok okay kind sort thing things something whats what's again really
    actually basically give show""".split()
)

# Chat spellings written out before a question is embedded ("what r embeddings"): the model
# reads "r" as a letter, not as "are".
CHAT_SPELLINGS = {"r": "are", "u": "you", "ur": "your", "wat": "what", "wht": "what", "abt": "about"}


@dataclass(frozen=True, slots=True)
class Line:
    """One non-empty line of a passage, its list marker removed."""

    text: str
    bullet: bool  # it was a list item


def lines(text: str) -> Iterator[Line]:
    for raw in text.split("\n"):
        if raw.strip():
            bullet = bool(BULLET.match(raw))
            yield Line(BULLET.sub("", raw).strip() if bullet else raw.strip(), bullet)


def split_line(line: str) -> list[str]:
    """The sentences of one line, verbatim."""
    return [part.strip() for part in SENTENCE_END.split(line) if part.strip()]


def sentences(text: str) -> list[str]:
    """Sentences and list items of a passage, verbatim, each a unit an answer can quote and cite."""
    out = []
    for line in lines(text):
        for part in split_line(line.text):
            if len(part) >= 3 and any(ch.isalpha() for ch in part):
                out.append(part)
    return out


def list_items(text: str) -> set[str]:
    """The passage's list items (marker removed), to tell a list from running prose."""
    return {line.text for line in lines(text) if line.bullet}


def title_parts(title: str) -> list[str]:
    return title.split(TITLE_SEP)


def section_title(title: str) -> str:
    """What a reader calls the passage's section: the heading one level below the note's own title."""
    parts = title_parts(title)
    return parts[1] if len(parts) > 1 else parts[0]


def section_key(title: str) -> str:
    """The top-level section as a heading path (note title › section), for grouping passages."""
    return TITLE_SEP.join(title_parts(title)[:2])


def percentile(values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (0-100) by linear interpolation between the closest ranks."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


# Words that ask about an aspect of whatever is being discussed rather than name a topic:
# "and its limitations?", "give an example", "why does that matter?".
ASPECT_WORDS = frozenset(
    """limitation limitations advantage advantages disadvantage disadvantages downside downsides drawback
    drawbacks benefit benefits pro pros con cons weakness weaknesses strength strengths problem problems
    issue issues example examples instance instances use uses used using work works working purpose
    difference differences different compare compared comparison versus vs step steps part parts type types
    reason reasons detail details deeper simpler simple more else mean meaning matter matters important
    happen happens happened similar better worse good bad main key idea concept point about work
    why how""".split()
)

# Words that point back at something said before.
BACK_REFERENCES = frozenset("it its it's they them their theirs this these those".split())

_WORDS = re.compile(r"[^\W_][\w'’-]*")


def words(text: str) -> list[str]:
    """Lower-cased words of any script, apostrophes normalised."""
    return [w.lower().replace("’", "'") for w in _WORDS.findall(text)]


def topic_words(text: str) -> list[str]:
    """The words of a question that name what it is about (no function, filler or aspect words)."""
    skip = STOPWORDS | QUESTION_FILLER | ASPECT_WORDS | BACK_REFERENCES
    return [w for w in words(text) if w not in skip and len(w) > 1]


def content_words(text: str) -> list[str]:
    """Topic and aspect words: what a question asks, without function, filler or back-reference words."""
    skip = STOPWORDS | QUESTION_FILLER | BACK_REFERENCES
    return [w for w in words(text) if w not in skip and len(w) > 1]


# A sentence that gives an example: "For example, ...", "(e.g., ...)", "Imagine ...", "Example:".
# "examples of the answers we want" names examples without giving one, so the bare word does not count.
EXAMPLE_MARKER = re.compile(
    r"\b(?:for example|for instance|e\.\s?g\.|such as|imagine|suppose|say you)\b|\bexample\s*:", re.IGNORECASE
)
