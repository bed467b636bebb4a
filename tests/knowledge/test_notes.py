"""Loading a notes folder and cutting it into titled chunks."""

import errno
import hashlib
import logging
import os
from pathlib import Path

import pytest

from knowledge.notes import (
    BINARY,
    EMPTY,
    NO_PASSAGE,
    NotesMissingError,
    Skipped,
    load_chunks,
    note_files,
    read_library,
)
from tests.support import SHIPPED_NOTES


@pytest.fixture(scope="module")
def chunks():
    return load_chunks(SHIPPED_NOTES)


def _titled(chunks, needle):
    return [c for c in chunks if needle in c.text]


@pytest.mark.parametrize(
    ("passage", "title_part"),
    [
        ("It’s like playing Chinese whispers", "What is the vanishing gradient problem?"),
        ("Tokenization is the initial phase", "Tokenization"),
        ("RAG simply consists", "RAG"),
        ("“Few-Shot Prompting” is when", "Few-Shot Prompting"),
        ("Chain-of-Thought” prompting involves", "Chain-of-Thought"),
        ("“Self-Consistency” involves", "Self-Consistency"),
        ("CLM is more “natural”", "CLM"),
        ("Adds [MASK] to real sentences", "BERT (MLM) vs GPT (CLM)"),
        ("Fixed context size", "Limitations of Transformers"),
    ],
)
def test_chunks_have_meaningful_titles(chunks, passage, title_part):
    """Every passage, with or without a heading of its own, is cited under a title that names its topic."""
    found = _titled(chunks, passage)
    assert found, passage
    assert title_part in found[0].title


def test_structure_splits_techniques_and_rules(chunks):
    """Lettered techniques, '--' ideas and rules each become their own passage."""
    for a, b in [("Few-Shot Prompting” is when", "Self-Consistency” involves"),
                 ("RAG simply consists", "Tokenization is the initial phase"),
                 ("What is an RNN", "vanishing gradient")]:
        ca = _titled(chunks, a) or [c for c in chunks if a in c.title]
        cb = _titled(chunks, b) or [c for c in chunks if b in c.title]
        assert ca and cb and ca[0].id != cb[0].id


def test_repeated_block_is_indexed_once(chunks):
    """The notebook header pasted three times in the notes is one passage."""
    assert len(_titled(chunks, "This notebook contains answers")) == 1


def test_ids_and_hashes_are_stable_and_unique(chunks):
    """The same notes give the same ids and hashes; no two passages share an id."""
    again = load_chunks(SHIPPED_NOTES)
    assert [(c.id, c.content_hash) for c in chunks] == [(c.id, c.content_hash) for c in again]
    assert len({c.id for c in chunks}) == len(chunks)


def test_editing_one_passage_keeps_the_others_ids(tmp_path):
    """Editing a passage changes its hash, not its id, and leaves other passages untouched."""
    text = (SHIPPED_NOTES / "llm-foundations-week1.md").read_text(encoding="utf-8")
    (tmp_path / "n.md").write_text(text, encoding="utf-8")
    before = {c.id: c.content_hash for c in load_chunks(tmp_path)}
    (tmp_path / "n.md").write_text(text.replace("Chinese whispers", "telephone"), encoding="utf-8")
    after = {c.id: c.content_hash for c in load_chunks(tmp_path)}
    assert before.keys() == after.keys()
    assert sum(before[k] != after[k] for k in before) == 1


# One folder as a study group fills it over a term: notes saved by several editors, and the odd file
# that is no note. Each readable note holds its own non-ASCII words, so a wrong decoding shows.
PASSAGE = "# {title}\n\nThe {word} note explains how attention lets tokens look at each other.\n"
READABLE = [
    # file, bytes, encoding reported, words its passage must contain
    ("utf8.md", PASSAGE.format(title="Café", word="naïve “quoted”").encode("utf-8"), "utf-8", "Café naïve “quoted”"),
    ("utf8-bom.md", ("\ufeff" + PASSAGE.format(title="Größe", word="über")).encode("utf-8"), "utf-8-sig", "Größe über"),
    ("utf16-le.md", ("\ufeff" + PASSAGE.format(title="Résumé", word="€5 “cheap”")).encode("utf-16-le"),
     "utf-16-le", "Résumé €5 “cheap”"),
    ("utf16-be.txt", ("\ufeff" + PASSAGE.format(title="Déjà vu", word="señor")).encode("utf-16-be"),
     "utf-16-be", "Déjà vu señor"),
    ("utf16-no-bom.md", PASSAGE.format(title="Jalapeño", word="piñata").encode("utf-16-le"), "utf-16-le",
     "Jalapeño piñata"),
    # Windows Notepad's "ANSI": curly quotes 0x93 0x94 and the euro sign 0x80.
    ("cp1252.md", b"# Quotes\n\nThe \x93attention\x94 layer costs \x805 per token, cheap.\n", "cp1252",
     "“attention” layer costs €5"),
    # latin-1 and cp1252 agree on every letter; cp1252 is what the bytes are reported as.
    ("latin1.txt", PASSAGE.format(title="Café", word="über").encode("latin-1"), "cp1252", "Café über"),
    ("cyrillic.md", "# Внимание\n\nМеханизм внимания позволяет модели смотреть на все токены сразу.\n"
     .encode("cp1251"), "cp1251", "Механизм внимания"),
]
NOT_USED = [
    # file, bytes (None: the file cannot be read), reason
    ("binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", BINARY),
    ("empty.md", b"", EMPTY),
    ("blank.txt", b"  \n\n\t\n", EMPTY),
    ("headings-only.md", b"# Week 3\n\n## Attention\n\n---\n", NO_PASSAGE),
    ("locked.md", None, "cannot be read: permission denied"),
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("notes")
    for name, raw, *_ in READABLE + NOT_USED:
        (path / name).write_bytes(b"# Locked\n\nA note no one may read.\n" if raw is None else raw)
    (path / "image.png").write_bytes(b"\x89PNG")  # not a note suffix: never looked at
    (path / ".draft.md").write_text("# Draft\n\nHidden, so not a note yet.", encoding="utf-8")
    (path / ".trash").mkdir()
    (path / ".trash" / "old.md").write_text("# Old\n\nIn a hidden folder, so gone.", encoding="utf-8")
    return path


def _locked(monkeypatch):
    """Reading locked.md fails as the kernel fails it for a user without read permission.

    Tests run as root here, and root reads through ``chmod 000``, so the refusal is stood in for.
    """
    read_bytes = Path.read_bytes

    def guarded(self):
        if self.name == "locked.md":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", guarded)


@pytest.fixture(scope="module")
def library(folder):
    with pytest.MonkeyPatch.context() as mp:
        _locked(mp)
        return read_library(folder)


@pytest.mark.parametrize(("name", "raw", "encoding", "words"), READABLE, ids=[r[0] for r in READABLE])
def test_every_readable_note_is_read(library, name, raw, encoding, words):
    """A note in any common encoding is read, its accents and quotes intact, and says how it was read."""
    note = next(n for n in library.notes if n.path == name)
    assert note.encoding == encoding
    assert note.size == len(raw) and note.digest == hashlib.sha256(raw).hexdigest()
    passages = " ".join(f"{c.title} {c.text}" for c in library.chunks if c.source == name)
    assert all(w in passages for w in words.split()), passages


@pytest.mark.parametrize(("name", "raw", "reason"), NOT_USED, ids=[r[0] for r in NOT_USED])
def test_every_file_not_used_is_named_with_its_reason(library, name, raw, reason):
    """An unusable file is reported with a reason a student understands, and the rest still loads."""
    assert Skipped(name, reason) in library.skipped
    assert name not in {c.source for c in library.chunks} | {n.path for n in library.notes}


def test_the_report_names_exactly_the_files_not_used(library):
    """Every candidate file is either read or skipped; hidden files and other suffixes are neither."""
    assert sorted(s.path for s in library.skipped) == sorted(n for n, *_ in NOT_USED)
    assert sorted(n.path for n in library.notes) == sorted(n for n, *_ in READABLE)


def test_skipped_files_and_other_encodings_are_logged(folder, monkeypatch, caplog):
    """One warning per skipped file, naming it and why; the encoding of each non-UTF-8 note at INFO."""
    _locked(monkeypatch)
    with caplog.at_level(logging.INFO, logger="knowledge.notes"):
        read_library(folder)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == len(NOT_USED)
    for name, _, reason in NOT_USED:
        assert any(name in w and reason in w for w in warnings), name
    infos = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    for name, _, encoding, _ in READABLE:
        if not encoding.startswith("utf-8"):
            assert any(name in m and m.endswith(f"as {encoding}") for m in infos), name


def test_candidate_files_are_listed_without_reading_them(folder, monkeypatch):
    """note_files lists the note files (sorted, hidden folders and other suffixes left out) and opens none."""
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"read {self}"))
    names = [p.name for p in note_files(folder)]
    assert names == sorted(n for n, *_ in READABLE + NOT_USED)


def test_shipped_notes_are_all_used():
    """The notes that ship with the bot are UTF-8 and every one yields passages."""
    lib = read_library(SHIPPED_NOTES)
    assert lib.skipped == [] and {n.encoding for n in lib.notes} == {"utf-8"}


def test_no_usable_note_says_how_many_files_were_skipped(tmp_path):
    """When nothing is usable, the error counts the files skipped and names them."""
    (tmp_path / "a.md").write_bytes(b"")
    (tmp_path / "b.md").write_bytes(b"# Only a heading\n")
    with pytest.raises(NotesMissingError, match=r"2 file\(s\) skipped") as exc:
        read_library(tmp_path)
    assert "a.md" in str(exc.value) and "b.md" in str(exc.value)


@pytest.mark.parametrize("setup", ["missing", "empty", "only-binary"])
def test_no_notes_is_a_clear_error(tmp_path, setup):
    """A missing or empty notes folder is reported, not silently indexed as nothing."""
    folder = tmp_path / "notes"
    if setup != "missing":
        folder.mkdir()
    if setup == "only-binary":
        (folder / "x.md").write_bytes(b"\x00\x01")
    with pytest.raises(NotesMissingError):
        load_chunks(folder)
