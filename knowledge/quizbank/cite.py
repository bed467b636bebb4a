"""What a quiz item cites: a heading path of the notes, never a cut-off sentence.

The loader titles a passage that has no heading of its own from its first words; when that
first sentence is long the title is a fragment ("Initially, every token is assigned a
random vector as its…"). A student cannot find that in the notes' outline, so a quiz
citation replaces such a part with the subject of the passage before it at the same level
("Embedding (continued)"), or drops it when there is none and cites the heading above.

A passage can also hold a sub-heading the loader did not split at: a short Title Case line
standing alone between blank lines ("But You're Right to Wonder:"). What follows it is taught
under that title, so it is a citable section too, beside the passage's own title when that
title came from the passage's first line, else under it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from knowledge.notes import clean_title
from knowledge.text import TITLE_SEP, lines, title_parts
from knowledge.types import Chunk

_ELLIPSIS = ("…", "...")
CONTINUED = " (continued)"
_TITLE_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _is_fragment(part: str, first_line: str) -> bool:
    """A title part the loader cut from the passage's own first line (it goes on past the cut)."""
    if not part.endswith(_ELLIPSIS):
        return False
    stem = part.rstrip(".…").rstrip()
    return len(first_line) > len(part) and first_line.startswith(stem)


def citation_titles(chunks: Sequence[Chunk]) -> dict[str, str]:
    """Chunk id → the heading path a quiz item cites for it, with fragment titles replaced."""
    first_line = {}
    for c in chunks:
        first = next(lines(c.text), None)
        first_line[c.id] = first.text if first else ""
    # For each path prefix, the first chunk that carries it: its first line tells whether the part
    # was made from a sentence (deeper chunks under the same part start with their own heading).
    opener: dict[tuple[str, tuple[str, ...]], str] = {}
    for c in chunks:
        parts = tuple(title_parts(c.title))
        for depth in range(1, len(parts) + 1):
            opener.setdefault((c.source, parts[:depth]), first_line[c.id])

    out: dict[str, str] = {}
    last_child: dict[tuple[str, tuple[str, ...]], str] = {}  # (source, parent path) → last good part seen
    renamed: dict[tuple[str, tuple[str, ...]], str | None] = {}
    for c in sorted(chunks, key=lambda c: (c.source, c.order)):
        parts = tuple(title_parts(c.title))
        fixed: list[str] = []
        for depth in range(1, len(parts) + 1):
            key = (c.source, parts[:depth])
            part = parts[depth - 1]
            parent = (c.source, parts[: depth - 1])
            if key not in renamed:
                if _is_fragment(part, opener[key]):
                    before = last_child.get(parent)
                    renamed[key] = f"{before.removesuffix(CONTINUED)}{CONTINUED}" if before else None
                else:
                    renamed[key] = part
            new = renamed[key]
            if new is not None:
                fixed.append(new)
                if not new.endswith(CONTINUED):
                    last_child[parent] = new
        out[c.id] = TITLE_SEP.join(fixed) if fixed else parts[0]
    return out


def inner_headings(text: str) -> list[str]:
    """Sub-headings left inside a passage: Title Case lines standing alone, after its first paragraph."""
    out = []
    for para in text.split("\n\n")[1:]:
        para = para.strip()
        # A line ending like a sentence or a quote is prose or an example, not a heading.
        if not para or "\n" in para or len(para) > 70 or para[-1] in ".!?\"”’":
            continue
        title = clean_title(para)
        words = _TITLE_WORD.findall(title)
        # Title Case: the first word and every word longer than three letters capitalised.
        if len(words) >= 2 and all(w[0].isupper() for n, w in enumerate(words) if n == 0 or len(w) > 3):
            out.append(title)
    return out


def note_sections(chunks: Sequence[Chunk]) -> dict[str, list[str]]:
    """Note path → its citable sections (heading paths) in reading order, each once."""
    titles = citation_titles(chunks)
    out: dict[str, list[str]] = {}
    for c in sorted(chunks, key=lambda c: (c.source, c.order)):
        seen = out.setdefault(c.source, [])
        paths = [titles[c.id]]
        parts = title_parts(titles[c.id])
        first = next(lines(c.text), None)
        titled_by_first_line = first is not None and clean_title(first.text) == parts[-1]
        base = parts[:-1] if titled_by_first_line and len(parts) > 1 else parts
        paths += [TITLE_SEP.join([*base, sub]) for sub in inner_headings(c.text)]
        seen.extend(p for p in paths if p not in seen)
    return out
