"""What a quiz item cites: a heading path of the notes, never a cut-off sentence
(``knowledge.notes.citation_titles``, which answers cite by too).

A passage can hold a sub-heading the loader did not split at: a short Title Case line
standing alone between blank lines ("But You're Right to Wonder:"). What follows it is taught
under that title, so it is a citable section too, beside the passage's own title when that
title came from the passage's first line, else under it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from knowledge.notes import citation_titles, clean_title
from knowledge.text import TITLE_SEP, lines, title_parts
from knowledge.types import Chunk

_TITLE_WORD = re.compile(r"[^\W\d_][\w'’-]*")


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
