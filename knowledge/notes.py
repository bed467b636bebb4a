"""Load the notes folder and cut it into titled chunks that follow the notes' own structure.

Every readable note is read, whatever editor saved it: a byte-order mark decides first
(UTF-8, UTF-16, UTF-32), then UTF-16 without one (its NUL bytes fall on every other byte),
then strict UTF-8, then cp1252 when that reads as Western text, then charset-normalizer.
cp1252 comes before the detector because on a short, mostly English note the detector
guesses wildly (it read "café" as cp1006 Farsi and a German cp1252 note as Johab); it
still decides for Cyrillic, Greek and CJK code pages, where cp1252 reads no English. A
latin-1 note reads the same in cp1252 (they agree on every byte a text uses), and is
reported as cp1252. A file that is not used is named in ``Library.skipped`` with a reason
a student understands and a warning in the log; one bad file never stops the rest.

The notes are informal markdown. Besides headings they use ``---`` and ``⸻`` rules,
``--`` at the start of a paragraph to open a new idea, lettered items (``a.``,
``b.``) for a list of techniques, a lone ``**`` to open a bold paragraph, and a
two-column table flattened into alternating lines. Each of those starts a chunk.
Parts without a heading get a title from their own first words, under the
nearest heading that still applies, so every chunk reads well as a citation.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.errors import ConfigError
from knowledge.text import BULLET as _BULLET
from knowledge.text import CONTINUED, TITLE_SEP, lines, title_parts
from knowledge.types import Chunk

log = logging.getLogger(__name__)

NOTE_SUFFIXES = {".md", ".markdown", ".txt"}
MAX_CHUNK_WORDS = 160

# Why a file was not used, in words a student understands.
EMPTY = "the file is empty"
NO_PASSAGE = "no passage to index: it holds only headings, rules or blank lines"
BINARY = "not a text file (it looks like an image or another binary file)"
UNDECODABLE = "its text encoding could not be recognised; save it as UTF-8"


@dataclass(frozen=True, slots=True)
class Note:
    path: str  # relative to the notes dir, with forward slashes
    text: str  # repaired
    encoding: str = "utf-8"  # the codec the file was decoded with ("utf-8-sig", "utf-16-le", "cp1252", ...)
    digest: str = ""  # sha256 (hex) of the file's bytes
    size: int = 0  # bytes


@dataclass(frozen=True, slots=True)
class Skipped:
    path: str  # relative to the notes dir, with forward slashes
    reason: str  # why it was not used, for a student: "the file is empty", "cannot be read: permission denied"


@dataclass(frozen=True, slots=True)
class Library:
    """What a notes folder yields: the notes read, their chunks in reading order, and the files not used."""

    notes: list[Note]
    chunks: list[Chunk]
    skipped: list[Skipped]


class NotesMissingError(ConfigError):
    """The notes folder is missing or holds no readable note."""


class _NotText(Exception):
    """The bytes are not a note; the message is the reason for a student."""


def note_files(notes_dir: Path) -> list[Path]:
    """The candidate note files under ``notes_dir``, sorted: regular .md/.markdown/.txt files
    outside hidden folders, not themselves hidden. Cheap: nothing is opened."""
    if not notes_dir.is_dir():
        return []
    return sorted(
        p for p in notes_dir.rglob("*")
        if p.suffix.lower() in NOTE_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(notes_dir).parts)
        and p.is_file()
    )


def read_library(notes_dir: Path) -> Library:
    """Read and chunk every note under ``notes_dir``; name each file not used, and why.

    Raises NotesMissingError when the folder is missing or no note yields a passage.
    """
    if not notes_dir.is_dir():
        raise NotesMissingError(f"notes folder not found: {notes_dir}")
    notes: list[Note] = []
    chunks: list[Chunk] = []
    skipped: list[Skipped] = []

    def skip(rel: str, reason: str) -> None:
        log.warning("skipping %s: %s", notes_dir / rel, reason)
        skipped.append(Skipped(rel, reason))

    for path in note_files(notes_dir):
        rel = path.relative_to(notes_dir).as_posix()
        try:
            raw = path.read_bytes()
        except OSError as exc:
            skip(rel, f"cannot be read: {(exc.strerror or str(exc)).lower()}")
            continue
        try:
            text, encoding = _decode(raw)
        except _NotText as exc:
            skip(rel, str(exc))
            continue
        text = _repair(text.replace("\r\n", "\n").replace("\r", "\n"))
        if not text.strip():
            skip(rel, EMPTY)
            continue
        note = Note(rel, text, encoding, hashlib.sha256(raw).hexdigest(), len(raw))
        found = chunk_note(note)
        if not found:
            skip(rel, NO_PASSAGE)
            continue
        if encoding not in ("utf-8", "utf-8-sig"):
            log.info("read %s as %s", notes_dir / rel, encoding)
        notes.append(note)
        chunks.extend(found)
    if not chunks:
        message = f"no notes (.md or .txt) found in {notes_dir}"
        if skipped:
            named = "; ".join(f"{s.path}: {s.reason}" for s in skipped[:3])
            more = f"; and {len(skipped) - 3} more" if len(skipped) > 3 else ""
            message = (f"no usable notes in {notes_dir}: {len(skipped)} file(s) skipped "
                       f"({named}{more})")
        raise NotesMissingError(message)
    return Library(notes, chunks, skipped)


def load_notes(notes_dir: Path) -> list[Note]:
    """The notes under ``notes_dir`` that yield a passage, repaired (see ``read_library``)."""
    return read_library(notes_dir).notes


# ---------------------------------------------------------------- decoding

# UTF-32 before UTF-16: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Letters a Western note is mostly made of: cp1252 turns a Cyrillic, Greek or CJK file into
# accented Latin letters and symbols with hardly an ASCII letter among them.
_MIN_ASCII_LETTERS = 0.7
_TEXT_CONTROLS = frozenset("\t\n\r\f\v")


def _repair(text: str) -> str:
    # Imported when notes are read, not when this module is: ftfy, emoji and charset-normalizer cost a cold
    # `studybuddy ask`, which only reads the index, about 0.25 s.
    from knowledge.repair import repair_text

    return repair_text(text)


def _decode(raw: bytes) -> tuple[str, str]:
    """The text of a note file and the codec that read it; raises _NotText with the reason."""
    if not raw:
        raise _NotText(EMPTY)
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(codec) if codec == "utf-8-sig" else raw[len(bom):].decode(codec)
            except UnicodeDecodeError:
                raise _NotText(UNDECODABLE) from None
            return _checked(text), codec
    if b"\x00" in raw:
        codec = _utf16_without_bom(raw)
        if codec is None:
            raise _NotText(BINARY)
        try:
            return _checked(raw.decode(codec)), codec
        except UnicodeDecodeError:
            raise _NotText(BINARY) from None
    try:
        return _checked(raw.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:  # a byte cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D)
        text = None
    if text is not None and _reads_as_western(text):
        return _checked(text), "cp1252"
    import charset_normalizer  # here: only for a file that is neither UTF-8 nor cp1252 (see _repair)

    best = charset_normalizer.from_bytes(raw).best()
    if best is None:
        raise _NotText(BINARY if _control_count(raw.decode("latin-1")) > _control_limit(len(raw)) else UNDECODABLE)
    return _checked(str(best)), codecs.lookup(best.encoding).name


def _utf16_without_bom(raw: bytes) -> str | None:
    """utf-16-le/-be when the NUL bytes fall on every other byte, as in mostly-ASCII UTF-16 text."""
    if len(raw) < 4 or len(raw) % 2:
        return None
    even, odd = raw[0::2].count(0), raw[1::2].count(0)
    half = len(raw) // 2
    if odd >= 0.3 * half and even <= 0.02 * half:
        return "utf-16-le"
    if even >= 0.3 * half and odd <= 0.02 * half:
        return "utf-16-be"
    return None


def _reads_as_western(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isascii() for ch in letters) >= _MIN_ASCII_LETTERS * len(letters)


def _control_count(text: str) -> int:
    return sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in _TEXT_CONTROLS)


def _control_limit(length: int) -> int:
    # A stray form feed or DOS end-of-file mark is allowed; an image's header bytes are not.
    return max(2, length // 100)


def _checked(text: str) -> str:
    if _control_count(text) > _control_limit(len(text)):
        raise _NotText(BINARY)
    return text


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
    """All chunks of all notes under ``notes_dir``, in reading order (see ``read_library``)."""
    return read_library(notes_dir).chunks


# How a passage is cited ------------------------------------------------------------------------
#
# The loader titles a passage that has no heading of its own from its first words; when that
# first sentence is long the title is a fragment ("Initially, every token is assigned a random
# vector as its…"). That fragment is good evidence for ranking, but a student cannot find it in
# the notes' outline, so answers and quiz items cite such a part as the subject of the passage
# before it at the same level ("Embedding (continued)"), or drop it when there is none and cite
# the heading above.

_ELLIPSIS = ("…", "...")


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
