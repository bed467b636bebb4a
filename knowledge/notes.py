"""Load the notes folder and cut it into titled chunks that follow the notes' own structure.

The notes are informal markdown. Besides headings they use ``---`` and ``⸻`` rules,
``--`` at the start of a paragraph to open a new idea, lettered items (``a.``,
``b.``) for a list of techniques, a lone ``**`` to open a bold paragraph, and a
two-column table flattened into alternating lines. Each of those starts a chunk.
Parts without a heading get a title from their own first words, under the
nearest heading that still applies, so every chunk reads well as a citation.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.errors import ConfigError
from knowledge.repair import repair_text
from knowledge.text import BULLET as _BULLET
from knowledge.text import TITLE_SEP
from knowledge.types import Chunk

log = logging.getLogger(__name__)

NOTE_SUFFIXES = {".md", ".markdown", ".txt"}
MAX_CHUNK_WORDS = 160


@dataclass(frozen=True, slots=True)
class Note:
    path: str  # relative to the notes dir, with forward slashes
    text: str  # repaired


class NotesMissingError(ConfigError):
    """The notes folder is missing or holds no readable note."""


def load_notes(notes_dir: Path) -> list[Note]:
    """Read every .md/.txt note under ``notes_dir``, repaired. Unreadable files are skipped."""
    if not notes_dir.is_dir():
        raise NotesMissingError(f"notes folder not found: {notes_dir}")
    notes = []
    for path in sorted(p for p in notes_dir.rglob("*") if p.suffix.lower() in NOTE_SUFFIXES):
        if not path.is_file() or any(part.startswith(".") for part in path.relative_to(notes_dir).parts):
            continue
        rel = path.relative_to(notes_dir).as_posix()
        raw = path.read_bytes()
        if b"\x00" in raw:
            log.warning("skipping %s: it looks like a binary file, not a note", rel)
            continue
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            log.warning("skipping %s: not UTF-8 text (%s); save it as UTF-8 to include it", rel, exc.reason)
            continue
        text = repair_text(text.replace("\r\n", "\n").replace("\r", "\n"))
        if text.strip():
            notes.append(Note(rel, text))
    if not notes:
        raise NotesMissingError(f"no notes (.md or .txt) found in {notes_dir}")
    return notes


# ---------------------------------------------------------------- structure

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|⸻+)\s*$")
_TOPIC = re.compile(r"^--(?!-)\s*(.*)$")
_LETTERED = re.compile(r"^([a-z])[.)]\s*(\S.*)$")
_BOLD_OPEN = re.compile(r"^\s*\*\*\s*$")
_ELLIPSIS_ONLY = re.compile(r"^\s*(?:\.{3}|…)\s*$")
_SUBJECT = re.compile(
    r"^(?:the |an |a )?(.{2,60}?)\s*(?:\(.{1,40}\)\s*)?"
    r"(?::\s| is | are | was | means | refers | consists | involves | helps | gives | learns | uses )",
    re.IGNORECASE,
)


def clean_title(text: str) -> str:
    """Drop markdown, leading emoji/symbols and trailing colons from a heading-ish line."""
    text = text.replace("**", "").replace("__", "").strip()
    while text and unicodedata.category(text[0])[0] in "SZPCM" and text[0] not in "\"'“‘([":
        text = text[1:].lstrip()
    text = text.strip().rstrip(":").strip()
    return text.strip("“”\"")


def _first_sentence_title(text: str, limit: int = 60) -> str:
    first = re.split(r"(?<=[.!?])\s|\n", text.strip(), maxsplit=1)[0].strip()
    first = clean_title(first).rstrip(".")
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0].rstrip(",;:—–-")
    return cut + "…"


def _subject(line: str) -> str | None:
    """The term a definition-style line is about: "RAG : ..." → "RAG"."""
    line = clean_title(line)
    m = _SUBJECT.match(line)
    if not m:
        return None
    subj = m.group(1).strip().strip("“”\"'").strip()
    subj = re.sub(r"[“”\"]", "", subj)
    if "," in subj or len(subj.split()) > 6:
        return None
    return subj[:1].upper() + subj[1:]


def _title_line(line: str) -> str | None:
    """A short line that reads as a sub-heading ("🎯 The Goal:", "Imagine You're Speaking:")."""
    stripped = line.strip()
    if not stripped or len(stripped) > 70 or _BULLET.match(stripped):
        return None
    if stripped[-1] in ".!?\"”" and not stripped.endswith("…"):
        return None
    title = clean_title(stripped)
    return title if len(title.split()) >= 2 else None


def _is_flat_table(lines: list[str]) -> bool:
    """A two-column table pasted as alternating short lines (head A, head B, a1, b1, ...)."""
    lines = [ln.strip() for ln in lines]
    return (
        len(lines) >= 6
        and len(lines) % 2 == 0
        and all(0 < len(ln) <= 60 and ln[-1] not in ".:!?" and not _BULLET.match(ln) for ln in lines)
    )


def _table_text(lines: list[str]) -> tuple[str, str]:
    lines = [ln.strip() for ln in lines]
    a, b = lines[0], lines[1]
    rows_a = "; ".join(lines[2::2])
    rows_b = "; ".join(lines[3::2])
    return f"{a} vs {b}", f"{a}: {rows_a}.\n{b}: {rows_b}."


@dataclass
class _Block:
    context: list[str]
    title: str | None = None
    lines: list[str] = field(default_factory=list)


def _tidy(lines: list[str]) -> str:
    out = []
    for ln in lines:
        if _ELLIPSIS_ONLY.match(ln):
            continue
        ln = ln.replace("**", "").rstrip()
        ln = re.sub(r"^\t*•\t", "- ", ln)
        out.append(ln.strip() if not _BULLET.match(ln) else "- " + _BULLET.sub("", ln).strip())
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _split_long(title: str, text: str) -> list[tuple[str, str]]:
    if len(text.split()) <= MAX_CHUNK_WORDS:
        return [(title, text)]
    parts: list[tuple[str, list[str]]] = []
    for para in text.split("\n\n"):
        if not parts or len(" ".join(parts[-1][1]).split()) + len(para.split()) > MAX_CHUNK_WORDS:
            sub = _title_line(para.split("\n", 1)[0]) if parts else None
            parts.append((f"{title}{TITLE_SEP}{sub}" if sub else (title if not parts else f"{title} (cont.)"), []))
        parts[-1][1].append(para)
    return [(t, "\n\n".join(ps)) for t, ps in parts]


def chunk_note(note: Note) -> list[Chunk]:
    headings: list[str | None] = [None] * 6
    blocks: list[_Block] = []
    topic: str | None = None  # title of the heading-less idea we are in, if any

    def context() -> list[str]:
        ctx = [h for h in headings if h]
        return ctx + ([topic] if topic else [])

    def start(title: str | None = None, ctx: list[str] | None = None) -> _Block:
        blk = _Block(context=ctx if ctx is not None else context(), title=title)
        blocks.append(blk)
        return blk

    cur = start()
    in_letters = False
    lines = note.text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if m := _HEADING.match(line):
            level = len(m.group(1))
            headings[level - 1] = clean_title(m.group(2))
            for j in range(level, 6):
                headings[j] = None
            topic, in_letters = None, False
            cur = start()
            continue
        if _RULE.match(line):
            if line.strip().startswith(("-", "*", "_")):
                # A markdown rule closes the Q&A entry above it: what follows without its own
                # heading belongs to the top-level heading, not to the previous question.
                headings[1:] = [None] * 5
                topic = None
            in_letters = False
            cur = start()
            continue
        if m := _TOPIC.match(line):
            # "--" opens a new idea that sits beside the sub-headings, not under them.
            headings[1:] = [None] * 5
            topic, in_letters = None, False
            body = m.group(1)
            topic = _subject(body) or _first_sentence_title(body)
            cur = start(ctx=context()[:-1], title=topic)
            cur.lines.append(body)
            continue
        if _BOLD_OPEN.match(line):
            headings[1:] = [None] * 5
            topic, in_letters = None, False
            nxt = next((ln for ln in lines[i:] if ln.strip()), "")
            topic = _subject(nxt) or _first_sentence_title(nxt)
            cur = start(ctx=context()[:-1], title=topic)
            continue
        if m := _LETTERED.match(line):
            in_letters = True
            body = m.group(2)
            cur = start(title=_subject(body) or _first_sentence_title(body))
            cur.lines.append(body)
            continue
        if in_letters and line.strip() and not (cur.lines and cur.lines[-1].strip()):
            # A plain paragraph after a lettered list closes the list.
            in_letters = False
            cur = start()
        if not line.strip() and cur.lines and cur.lines[-1].strip():
            # Look ahead: a paragraph that is a flattened table becomes its own chunk.
            para = []
            k = i
            while k < len(lines) and lines[k].strip():
                para.append(lines[k])
                k += 1
            if _is_flat_table(para):
                cur.lines.append("")
                title, text = _table_text(para)
                start(title=title).lines.extend(text.split("\n"))
                cur = start()
                i = k
                continue
        cur.lines.append(line)

    chunks: list[Chunk] = []
    seen: set[str] = set()
    per_title: dict[str, int] = {}
    for blk in blocks:
        text = _tidy(blk.lines)
        if not text:
            continue
        local = blk.title
        if local is None and not blk.context:
            local = _first_sentence_title(text)
        elif local is None and blk.context and blk.context[-1] is not None:
            first, _, rest = text.partition("\n")
            # Only a line standing alone (blank line after it) reads as a sub-heading.
            local = _title_line(first) if rest.startswith("\n") else None
            if local is None and len(blk.context) == 1 and blocks.index(blk) > 0:
                local = _subject(first) or _first_sentence_title(text)
        if local and blk.context and local == blk.context[-1]:
            local = None
        base_title = TITLE_SEP.join([*blk.context, *([local] if local else [])]) or note.path
        for title, part in _split_long(base_title, text):
            digest = hashlib.sha256(f"{title}\n{part}".encode()).hexdigest()
            if digest in seen:  # the same block pasted again (a repeated header) is indexed once
                continue
            seen.add(digest)
            n = per_title.get(title, 0)
            per_title[title] = n + 1
            chunk_id = hashlib.sha1(f"{note.path}\x00{title}\x00{n}".encode()).hexdigest()[:16]
            chunks.append(Chunk(chunk_id, title, part, note.path, digest[:16], len(chunks)))
    return chunks


def load_chunks(notes_dir: Path) -> list[Chunk]:
    """All chunks of all notes under ``notes_dir``, in reading order."""
    return [c for note in load_notes(notes_dir) for c in chunk_note(note)]
