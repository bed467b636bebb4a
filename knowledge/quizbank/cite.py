"""What a quiz item cites: a heading path of the notes, never a cut-off sentence.

The loader titles a passage that has no heading of its own from its first words; when that
first sentence is long the title is a fragment ("Initially, every token is assigned a
random vector as its…"). A student cannot find that in the notes' outline, so a quiz
citation replaces such a part with the subject of the passage before it at the same level
("Embedding (continued)"), or drops it when there is none and cites the heading above.
"""

from __future__ import annotations

from collections.abc import Sequence

from knowledge.text import TITLE_SEP, lines, title_parts
from knowledge.types import Chunk

_ELLIPSIS = ("…", "...")
CONTINUED = " (continued)"


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


def note_sections(chunks: Sequence[Chunk]) -> dict[str, list[str]]:
    """Note path → its citable sections (heading paths) in reading order, each once."""
    titles = citation_titles(chunks)
    out: dict[str, list[str]] = {}
    for c in sorted(chunks, key=lambda c: (c.source, c.order)):
        seen = out.setdefault(c.source, [])
        if titles[c.id] not in seen:
            seen.append(titles[c.id])
    return out
