"""Checking a model's reply against the passages it was given, before a student reads it.

A reply is shown only when it is grounded in those passages:

- it cites at least one of them as ``[n]`` (also ``[1, 2]`` and ``[1][2]``);
- it cites no number that was not given (an invented source voids the whole reply);
- it does not say the notes do not cover the question (``NOT IN NOTES``, or in its own words
  with no citation);
- each cited paragraph or bullet shares at least one content word with a passage it cites
  (a cited sentence about something else entirely is not from that passage).

Paragraphs and bullets that cite nothing are dropped (a lead-in ending in ":", or a bold
heading, stays when a cited block follows it): what a student reads is what the notes back. Citations are
renumbered in order of first use, so the sources shown are exactly the passages cited, [1]
first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import Stemmer

from knowledge.generation.prompt import NOT_IN_NOTES
from knowledge.generation.types import Verdict
from knowledge.text import content_words

# [3], [1, 2], [1;2], [ 4 ]; not [x] or markdown links [text](url).
CITATION = re.compile(r"\[\s*(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\s*\](?!\()")
_SENTINEL = re.compile(r"\bNOT[\s_-]+IN[\s_-]+(?:THE[\s_-]+)?NOTES\b", re.IGNORECASE)
# A model saying, in its own words, that the passages do not answer.
NOT_COVERED = re.compile(
    r"\b(?:notes|passages|context|sources?)\b[^.\n]{0,40}\b(?:do(?:es)?\s*n[o’']t|do(?:es)? not|never)\s+"
    r"(?:cover|mention|say|contain|answer|address|include|discuss|provide|explain)"
    r"|\bnot\s+(?:covered|mentioned|answered|found|addressed|discussed)\s+in\s+the\s+(?:notes|passages|context)"
    r"|\b(?:no|nothing in the)\s+(?:notes|passages)\b[^.\n]{0,20}\b(?:cover|mention|answer)",
    re.IGNORECASE,
)
_HEADING = re.compile(r"^\s*#{1,6}\s+")
_STAR_BULLET = re.compile(r"^(\s*)[*•+]\s+")
_BOLD_LINE = re.compile(r"^\*\*[^*\n]+\*\*:?$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+")
_stemmer = Stemmer.Stemmer("english")


@dataclass(frozen=True, slots=True)
class Checked:
    verdict: Verdict
    text: str  # the reply as shown: uncited blocks dropped, citations renumbered
    cited: tuple[int, ...]  # given passage numbers (1-based), in the order of the new numbers
    dropped: int = 0  # paragraphs or bullets dropped for citing nothing

    @property
    def ok(self) -> bool:
        return self.verdict is Verdict.OK


def numbers(match: re.Match) -> list[int]:
    return [int(x) for x in re.split(r"\s*[,;]\s*", match.group(1).strip())]


def _stems(text: str) -> set[str]:
    return {_stemmer.stemWord(w) for w in content_words(text) if len(w) > 2 and not w.isdigit()}


def tidy(text: str) -> str:
    """The model's markdown brought into the reply subset: "- " bullets, no headings (a heading becomes bold)."""
    out = []
    for line in text.strip().splitlines():
        if _HEADING.match(line):
            line = f"**{_HEADING.sub('', line).strip().strip('*')}**"
        line = _STAR_BULLET.sub(r"\1- ", line)
        out.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def _blocks(text: str) -> list[str]:
    """Paragraphs, with every list item its own block."""
    blocks, para = [], []
    for line in text.splitlines():
        item = line.lstrip().startswith("- ") or bool(_NUMBERED.match(line))
        if not line.strip() or item:
            if para:
                blocks.append("\n".join(para))
            para = []
            if item:
                blocks.append(line)
            continue
        para.append(line)
    if para:
        blocks.append("\n".join(para))
    return blocks


def _join(blocks: list[str]) -> str:
    out = ""
    for i, block in enumerate(blocks):
        if i:
            item = block.lstrip().startswith("- ") or bool(_NUMBERED.match(block))
            out += "\n" if item else "\n\n"
        out += block
    return out


def renumber(text: str, order: dict[int, int], given: int) -> str:
    """Citations rewritten to their new numbers (``order``: given → shown), as ``[1][2]``; unknown ones removed."""

    def swap(m: re.Match) -> str:
        shown = []
        for n in numbers(m):
            if 1 <= n <= given:
                new = order.setdefault(n, len(order) + 1)
                if new not in shown:
                    shown.append(new)
        return "".join(f"[{n}]" for n in shown)

    text = CITATION.sub(swap, text)
    text = re.sub(r"\]\s+(?=\[\d)", "]", text)  # [1] [2] -> [1][2]
    return re.sub(r"\[(\d+)\](?:\[\1\])+", r"[\1]", text)


def check(text: str, passages: Sequence[str]) -> Checked:
    """Whether ``text`` (a model's reply) may be shown, given the texts of the passages it was sent, [1] first."""
    given = len(passages)
    text = tidy(text)
    if not text:
        return Checked(Verdict.EMPTY, "", ())
    if _SENTINEL.search(text):
        return Checked(Verdict.NOT_COVERED, text, ())
    cited_anything = False
    for m in CITATION.finditer(text):
        cited_anything = True
        if any(not 1 <= n <= given for n in numbers(m)):
            return Checked(Verdict.UNKNOWN_SOURCE, text, ())
    if not cited_anything:
        return Checked(Verdict.NOT_COVERED if NOT_COVERED.search(text) else Verdict.UNCITED, text, ())

    stems = [_stems(p) for p in passages]
    blocks = _blocks(text)
    kept: list[str] = []
    dropped = 0
    for i, block in enumerate(blocks):
        cites = {n for m in CITATION.finditer(block) for n in numbers(m)}
        if not cites:
            lead_in = (block.rstrip().endswith(":") or _BOLD_LINE.match(block)) and i + 1 < len(blocks) \
                and CITATION.search(blocks[i + 1])
            if lead_in:
                kept.append(block)
            else:
                dropped += 1
            continue
        said = _stems(CITATION.sub(" ", block))
        if said and not any(said & stems[n - 1] for n in cites):
            return Checked(Verdict.UNSUPPORTED, text, ())
        kept.append(block)
    while kept and not CITATION.search(kept[-1]):  # a lead-in whose list was dropped
        kept.pop()
        dropped += 1
    if not kept:
        return Checked(Verdict.UNCITED, text, (), dropped)
    order: dict[int, int] = {}
    shown = renumber(_join(kept), order, given)
    cited = tuple(sorted(order, key=order.get))
    return Checked(Verdict.OK, shown, cited, dropped)


def partial(text: str, given: int) -> str:
    """What to show of a reply still being streamed: citations renumbered as they come, a half-written
    ``[`` at the end held back, and nothing while it may be spelling out ``NOT IN NOTES``."""
    text = tidy(text)
    if NOT_IN_NOTES.startswith(text.upper()[: len(NOT_IN_NOTES)]) or _SENTINEL.search(text):
        return ""
    cut = text.rfind("[")
    if cut != -1 and "]" not in text[cut:]:
        text = text[:cut].rstrip()
    return renumber(text, {}, given)
