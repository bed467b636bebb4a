"""The vector index in Chroma, kept in step with the notes, one note at a time.

Three collections:

- ``<name>``: one vector per passage (what dense retrieval searches);
- ``<name>_sentences``: one vector per sentence of a passage (what the answer composer ranks);
- ``<name>_manifest``: one record per note (its file's size, mtime and hash, the passages in
  reading order, and whether the note was written whole), and one record for the index itself.

Writes are ordered so that an interruption at any point (Ctrl-C, a crash, a Chroma server that
dies) leaves an index that still answers and heals on the next ingest:

- a note is marked ``writing`` before any of its passages change and ``complete`` after;
- a passage's sentences are written before the passage, and a passage is deleted before its
  sentences, so a passage in the index always has its sentences;
- a note not marked ``complete`` is checked passage by passage on the next ingest (sentence counts
  included), so whatever an interrupted run left half done is redone, and nothing else.

An unchanged note (same size, mtime and hash, same embedding model, same chunking code) costs
one manifest read: no chunk is read or rewritten. Every add, delete and read goes in batches
within the backend's own limit (``client.get_max_batch_size()``).

Readers (``ask``, chat, the bots) only read: :meth:`NotesIndex.status`, ``load_*`` and ``query``
never create, delete or rewrite a collection, so a read-only data folder answers questions.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from knowledge import snapshot
from knowledge.embedding import Embedder
from knowledge.snapshot import Sentences, Snapshot
from knowledge.text import sentences
from knowledge.types import Chunk

log = logging.getLogger(__name__)

#: What one model call embeds during ingest: big enough to keep the CPU busy, small enough that
#: progress moves and an interruption loses little (measured in ``bench_ingest``).
EMBED_BATCH = 256
#: Ids in one ``$in`` filter: SQLite (embedded Chroma) binds each as a variable.
FILTER_BATCH = 2000
#: Rows in one page of a full read.
PAGE = 5000

INDEX_RECORD = "__index__"
WRITING, COMPLETE = "writing", "complete"


def embedding_text(chunk: Chunk) -> str:
    # The title carries the question a Q&A entry answers: embed it with the text.
    return f"{chunk.title}\n{chunk.text}"


def _code_version() -> str:
    """The chunking and sentence-splitting code: when it changes, unchanged files may cut differently."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in ("notes.py", "repair.py", "text.py"):
        path = here / name
        digest.update(path.read_bytes() if path.exists() else name.encode())
    return digest.hexdigest()[:16]


CODE_VERSION = _code_version()


@dataclass(frozen=True, slots=True)
class NoteFile:
    """What the manifest knows of a note's file: enough to tell it unchanged without reading it."""

    path: str
    size: int
    mtime_ns: int
    digest: str  # sha256 of the file's bytes


@dataclass(slots=True)
class IngestReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    embedded: int = 0  # texts sent to the model (passages + sentences)
    notes: int = 0  # notes indexed
    notes_rewritten: list[str] = field(default_factory=list)  # notes whose passages changed or were repaired
    repaired: list[str] = field(default_factory=list)  # what an interrupted run had left, now fixed
    skipped: list[dict] = field(default_factory=list)  # files not read: {"path", "reason"}
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {
            "added": self.added, "updated": self.updated, "removed": self.removed,
            "unchanged": self.unchanged, "embedded": self.embedded, "notes": self.notes,
            "notes_rewritten": self.notes_rewritten, "repaired": self.repaired, "skipped": self.skipped,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True, slots=True)
class IndexStatus:
    ready: bool  # a whole ingest has completed at least once
    passages: int
    notes: int
    incomplete: tuple[str, ...]  # notes an interrupted ingest left half written
    model: str | None  # the embedding model the index was built with
    skipped: tuple[dict, ...] = ()  # files of the notes folder the last ingest did not index, and why
    built_at: float | None = None  # when the last whole ingest completed (time.time())


@dataclass(frozen=True, slots=True)
class Progress:
    """How far an ingest is: ``done`` of ``total`` passages to embed, at ``rate`` passages a second."""

    done: int
    total: int
    rate: float

    @property
    def seconds_left(self) -> float | None:
        return (self.total - self.done) / self.rate if self.rate > 0 else None


def make_client(chroma_path: Path | None = None, chroma_url: str | None = None):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if chroma_url:
        from urllib.parse import urlparse

        u = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
        return chromadb.HttpClient(
            host=u.hostname or "127.0.0.1", port=u.port or (443 if u.scheme == "https" else 8000),
            ssl=u.scheme == "https", settings=settings,
        )
    assert chroma_path is not None
    chroma_path.mkdir(parents=True, exist_ok=True)
    path = _writable_path(chroma_path)
    # Opening writes to Chroma's SQLite file (it creates and migrates it): processes opening one
    # folder at once take turns, and one opening while an ingest writes waits for "database is
    # locked" to pass, like SQLite would.
    from filelock import FileLock

    with FileLock(str(path / "open.lock"), timeout=120):
        deadline = time.monotonic() + 120
        while True:
            try:
                return chromadb.PersistentClient(path=str(path), settings=settings)
            except Exception as exc:
                if "locked" not in str(exc).lower() or time.monotonic() > deadline:
                    raise
                from chromadb.api.client import SharedSystemClient

                SharedSystemClient.clear_system_cache()  # a half-started client is not reused
                log.info("the index is busy (another process writes to it); waiting to open it")
                time.sleep(0.5)


def _writable_path(chroma_path: Path) -> Path:
    """Chroma writes its SQLite file when it opens, even only to read: an index in a read-only
    folder (a shared mount, a container's read-only volume) is read from a private copy."""
    import os

    database = chroma_path / "chroma.sqlite3"
    if os.access(chroma_path, os.W_OK) and (not database.exists() or os.access(database, os.W_OK)):
        return chroma_path
    import atexit
    import shutil
    import tempfile

    copy = Path(tempfile.mkdtemp(prefix="studybuddy-index-")) / "chroma"
    shutil.copytree(chroma_path, copy, copy_function=shutil.copyfile)
    for path in (copy, *copy.rglob("*")):  # copytree keeps the folders' read-only modes
        path.chmod(0o700 if path.is_dir() else 0o600)
    atexit.register(shutil.rmtree, copy.parent, True)
    log.info("the index folder %s is read-only: answering from a copy in %s", chroma_path, copy)
    return copy


def _batches(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class IndexModelMismatch(RuntimeError):
    """The index was built with another embedding model than the one configured."""


class NotesIndex:
    """Passages, sentence vectors and the per-note manifest in Chroma."""

    def __init__(self, client, embedder: Embedder, collection: str = "notes", *,
                 snapshot_root: Path | None = None) -> None:
        """``client`` is a Chroma client, or a function that opens one when first needed (a reader
        answered from the copy never opens Chroma). ``snapshot_root``: where the writer leaves the
        copy of an embedded index readers load instead (``knowledge.snapshot``); None for none."""
        self._client = client
        self.embedder = embedder
        self.name = collection
        self.snapshot_root = snapshot_root
        self._cols: dict[str, object] = {}
        self._max_batch: int | None = None
        self._copy: Snapshot | None = None
        self._written: dict[str, tuple[np.ndarray, list[tuple[int, str, np.ndarray]]]] = {}

    @property
    def client(self):
        if callable(self._client) and not hasattr(self._client, "get_or_create_collection"):
            self._client = self._client()
        return self._client

    # ---------------------------------------------------------------- the readers' copy
    def copy(self) -> Snapshot | None:
        """The published copy of this index, when there is one (read from its pointer each time:
        the writer may have replaced it); files already loaded are reused for the same copy."""
        if self.snapshot_root is None:
            return None
        found = Snapshot.open(self.snapshot_root, self.embedder.name)
        if found is None:
            return None
        if self._copy is not None and self._copy.name == found.name:
            self._copy.pointer, self._copy.record, self._copy.files = found.pointer, found.record, found.files
            return self._copy
        self._copy = found
        return found

    def reader(self):
        """What the retriever loads from: the published copy (whole, consistent, no Chroma), else
        the index itself."""
        found = self.copy()
        if found is not None:
            try:
                return found.load()
            except (OSError, ValueError) as exc:  # replaced since its pointer was read
                log.info("the index copy changed while loading (%s): reading the index", exc)
        return self

    # ---------------------------------------------------------------- collections
    @property
    def max_batch(self) -> int:
        """The most records the backend takes in one call (Chroma's own limit, asked once)."""
        if self._max_batch is None:
            try:
                self._max_batch = int(self.client.get_max_batch_size())
            except Exception:  # an old server without the endpoint
                self._max_batch = 1000
        return self._max_batch

    def _meta(self, suffix: str = "") -> dict:
        meta = {"hnsw:space": "cosine", "embedding_model": self.embedder.name}
        if suffix:
            # Sentences and the manifest are read whole, never searched through Chroma's graph:
            # a sparse graph halves the cost of inserting them (most of a big ingest's time).
            meta |= {"hnsw:construction_ef": 20, "hnsw:M": 8}
        return meta

    def _writable(self, suffix: str):
        """Open (or create) a collection for writing; one built with another model starts over."""
        key = "w" + suffix
        if key not in self._cols:
            col = self.client.get_or_create_collection(self.name + suffix, metadata=self._meta(suffix),
                                                       embedding_function=None)
            if (col.metadata or {}).get("embedding_model") != self.embedder.name:
                # Vectors of another model are not comparable: start this collection over.
                log.warning("embedding model changed to %s: rebuilding %s", self.embedder.name, col.name)
                self.client.delete_collection(col.name)
                col = self.client.create_collection(col.name, metadata=self._meta(suffix), embedding_function=None)
            self._cols[key] = col
        return self._cols[key]

    def _readable(self, suffix: str):
        """An existing collection, or None: reading never creates or rewrites anything."""
        key = "r" + suffix
        col = self._cols.get(key)
        if col is None:
            try:
                col = self.client.get_collection(self.name + suffix, embedding_function=None)
            except Exception:  # chromadb raises NotFoundError / ValueError by version
                return None
            model = (col.metadata or {}).get("embedding_model")
            if suffix != "_manifest" and model != self.embedder.name:
                raise IndexModelMismatch(
                    f"the index was built with the embedding model {model!r}, not {self.embedder.name!r}: "
                    "run `studybuddy ingest` to rebuild it")
            self._cols[key] = col
        return col

    def _forget_readers(self) -> None:
        for key in [k for k in self._cols if k.startswith("r")]:
            del self._cols[key]

    @property
    def chunks(self):
        """The passages collection, for reading (created empty if there is none yet, for old callers)."""
        return self._readable("") or self._writable("")

    @property
    def sentences(self):
        return self._readable("_sentences") or self._writable("_sentences")

    # ---------------------------------------------------------------- paged reads
    def _get_all(self, col, include: list[str], where: dict | None = None) -> dict:
        out: dict[str, list] = {"ids": [], **{k: [] for k in include}}
        if col is None:
            return out
        offset = 0
        page = min(PAGE, self.max_batch)
        while True:
            got = col.get(where=where, include=include, limit=page, offset=offset)
            out["ids"].extend(got["ids"])
            for k in include:
                value = got.get(k)
                out[k].extend(list(value) if value is not None else [None] * len(got["ids"]))
            if len(got["ids"]) < page:
                return out
            offset += page

    def _get_ids(self, col, ids: Sequence[str], include: list[str]) -> dict:
        out: dict[str, list] = {"ids": [], **{k: [] for k in include}}
        if col is None:
            return out
        for part in _batches(list(ids), min(FILTER_BATCH, self.max_batch)):
            got = col.get(ids=list(part), include=include)
            out["ids"].extend(got["ids"])
            for k in include:
                out[k].extend(list(got[k]))
        return out

    def _manifest(self, col=None, *, orders: bool = True) -> dict[str, dict]:
        """Every note's record (with its passage order as ``doc`` when ``orders``) and the index's."""
        col = col if col is not None else self._readable("_manifest")
        got = self._get_all(col, ["metadatas", "documents"] if orders else ["metadatas"])
        docs = got["documents"] if orders else [None] * len(got["ids"])
        return {i: {**(m or {}), "doc": d} for i, m, d in zip(got["ids"], got["metadatas"], docs, strict=True)}

    def record(self) -> dict:
        """The index's own record alone (empty before a first whole ingest): what readiness and
        reload checks need, one row read, not the manifest (health probes call it often)."""
        found = self.copy()
        if found is not None:
            return dict(found.record)
        col = self._readable("_manifest")
        if col is None:
            return {}
        got = col.get(ids=[INDEX_RECORD], include=["metadatas"])
        return dict(got["metadatas"][0] or {}) if got["ids"] else {}

    # ---------------------------------------------------------------- status
    def status(self) -> IndexStatus:
        found = self.copy()
        if found is not None:  # a published copy is of a whole ingest
            record = found.record
            return IndexStatus(
                ready=True, passages=found.passages, notes=int(record.get("notes", 0)), incomplete=(),
                model=record.get("model"), built_at=record.get("built_at"),
                skipped=tuple({"path": p, "reason": v[2] if len(v) > 2 else ""}
                              for p, v in _json(record.get("skipped"), {}).items()),
            )
        manifest = self._manifest(orders=False)
        record = manifest.pop(INDEX_RECORD, None)
        passages = self._readable("")
        return IndexStatus(
            ready=bool(record) and record.get("state") == COMPLETE,
            passages=passages.count() if passages is not None else 0,
            notes=len(manifest),
            incomplete=tuple(sorted(p for p, m in manifest.items() if m.get("state") != COMPLETE)),
            model=(record or {}).get("model"),
            built_at=(record or {}).get("built_at"),
            skipped=tuple({"path": p, "reason": v[2] if len(v) > 2 else ""}
                          for p, v in _json((record or {}).get("skipped"), {}).items()),
        )

    def stale(self, files: Iterable[NoteFile]) -> bool:
        """Whether the notes on disk may differ from what was indexed, from paths, sizes and mtimes
        alone (no file is read): a new, changed or deleted note, or a skipped file that changed."""
        found = self.copy()
        if found is not None:
            record = found.record
            if record.get("code") != CODE_VERSION or record.get("model") != self.embedder.name:
                return True
            return {f.path: [f.size, f.mtime_ns] for f in files} != found.files
        record, known = self._stats_known()
        if (not record or record.get("state") != COMPLETE or record.get("code") != CODE_VERSION
                or record.get("model") != self.embedder.name):
            return True
        return {f.path: [f.size, f.mtime_ns] for f in files} != known

    def _stats_known(self, col=None) -> tuple[dict | None, dict[str, list]]:
        """The index's record, and the size and mtime of every file it knows (indexed or skipped)."""
        manifest = self._manifest(col, orders=False)
        record = manifest.pop(INDEX_RECORD, None)
        known = {p: [m.get("size"), m.get("mtime_ns")] for p, m in manifest.items()}
        known.update({p: v[:2] for p, v in _json((record or {}).get("skipped"), {}).items()})
        return record, known

    # ---------------------------------------------------------------- ingest
    def ingest(self, chunks: list[Chunk], files: Sequence[NoteFile] | None = None,
               progress: Callable[[Progress], None] | None = None, skipped: Sequence[dict] = ()) -> IngestReport:
        """Bring the index in step with ``chunks`` (every passage of every note), note by note.

        ``files`` describes each note's file (size, mtime, hash) so the next ingest can skip it
        unchanged without reading it; without it, every note is compared passage by passage.
        """
        began = time.perf_counter()
        report = IngestReport(skipped=list(skipped))
        passages, sents, manifest_col = self._writable(""), self._writable("_sentences"), self._writable("_manifest")
        self._forget_readers()
        previous = self.copy()  # taken before any write retires it
        manifest = self._manifest(manifest_col)
        record = manifest.pop(INDEX_RECORD, None)
        by_note: dict[str, list[Chunk]] = {}
        for c in chunks:
            by_note.setdefault(c.source, []).append(c)
        file_of = {f.path: f for f in files or ()}

        # Which notes need work: cheap, from the manifest alone.
        todo: list[str] = []
        for path, note_chunks in by_note.items():
            entry, f = manifest.get(path), file_of.get(path)
            if (entry and entry.get("state") == COMPLETE and f is not None and entry.get("digest") == f.digest
                    and entry.get("code") == CODE_VERSION and record and record.get("model") == self.embedder.name):
                report.unchanged += len(note_chunks)
                if (entry.get("size"), entry.get("mtime_ns")) != (f.size, f.mtime_ns):
                    self._mark(manifest_col, path, entry["doc"], f, COMPLETE, entry)  # touched, same bytes
            else:
                todo.append(path)

        # Plan the notes that changed: what to embed, what to delete (reads only).
        plans = [self._plan(passages, sents, path, by_note[path], manifest.get(path), report) for path in todo]
        changing = bool(plans) or any(path not in by_note for path in manifest)
        if changing and self.snapshot_root is not None:
            snapshot.retire(self.snapshot_root)  # readers use the index itself until the new copy
        self._written = {}
        total = sum(len(p.embed) for p in plans)
        done, started = 0, time.perf_counter()

        def advance(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                elapsed = time.perf_counter() - started
                progress(Progress(done, total, done / elapsed if elapsed > 0 else 0.0))

        if progress:
            progress(Progress(0, total, 0.0))
        for plan in plans:
            self._mark(manifest_col, plan.path, manifest.get(plan.path, {}).get("doc"), file_of.get(plan.path),
                       WRITING, manifest.get(plan.path))
            self._delete(passages, sents, plan.delete)
            for part in _batches(plan.embed, EMBED_BATCH):
                report.embedded += self._write(passages, sents, part)
                advance(len(part))
            self._mark(manifest_col, plan.path, json.dumps([c.id for c in by_note[plan.path]]),
                       file_of.get(plan.path), COMPLETE, None, passages=len(by_note[plan.path]))
            report.notes_rewritten.append(plan.path)

        # Notes that are gone (deleted, renamed, or now unreadable).
        for path, entry in manifest.items():
            if path in by_note:
                continue
            ids = _doc_ids(entry.get("doc"))
            got = self._get_all(passages, [], where={"source": path})
            gone = sorted(set(ids) | set(got["ids"]))
            self._delete(passages, sents, gone)
            report.removed += len(gone)
            manifest_col.delete(ids=[path])

        report.notes = len(by_note)
        reasons = {s["path"]: s["reason"] for s in skipped}
        report.seconds = time.perf_counter() - began
        manifest_col.upsert(
            ids=[INDEX_RECORD], embeddings=[[1.0]], documents=[""],
            metadatas=[{"state": COMPLETE, "model": self.embedder.name, "code": CODE_VERSION,
                        "notes": len(by_note), "passages": len(chunks), "built_at": time.time(),
                        # Files on disk that are not in the index (skipped): a change to one is a change.
                        "skipped": json.dumps({f.path: [f.size, f.mtime_ns, reasons.get(f.path, "")]
                                               for f in files or () if f.path not in by_note})}],
        )
        self._publish(by_note, previous if not changing else None, previous, manifest_col)
        log.info("ingest: %d added, %d updated, %d removed, %d unchanged, %d texts embedded in %.1f s",
                 report.added, report.updated, report.removed, report.unchanged, report.embedded, report.seconds)
        return report

    def ensure_copy(self) -> bool:
        """Publish the readers' copy of a complete index that has none (an index built before
        copies existed, or a crash between an ingest's end and its copy). True if one was written."""
        if self.snapshot_root is None or self.copy() is not None or self.record().get("state") != COMPLETE:
            return False
        self._forget_readers()
        self._publish(None, None, None, self._readable("_manifest"))
        return self.copy() is not None

    def _publish(self, by_note: dict[str, list[Chunk]] | None, unchanged: Snapshot | None,
                 previous: Snapshot | None, manifest_col) -> None:
        """Leave the readers' copy of the index as it now is (the writer only, after a whole ingest).

        ``unchanged``: the copy is still right and only the notes' stats move. Otherwise the new copy
        takes vectors from this run's writes and the previous copy; what neither has is read back.
        """
        written, self._written = self._written, {}
        if self.snapshot_root is None:
            return
        try:
            record, files = self._stats_known(manifest_col)
            record = {k: v for k, v in (record or {}).items() if k != "doc"}
            if unchanged is not None:
                snapshot.repoint(self.snapshot_root, unchanged, record, files)
                return
            built = self._assemble(by_note, written, previous) if by_note is not None else None
            if built is None:  # read everything back from the index
                chunks = self.load_chunks()
                vecs = self._vectors_from_index([c.id for c in chunks])
                sents = Sentences(*self._sentences_from_index())
            else:
                chunks, vecs, sents = built
            snapshot.publish(self.snapshot_root, record, files, chunks, vecs, sents)
        except OSError as exc:  # answers still come from the index itself, only slower to load
            log.warning("could not write the readers' copy of the index in %s: %s", self.snapshot_root, exc)
            with contextlib.suppress(OSError):  # a folder that refused the copy may refuse this too
                snapshot.retire(self.snapshot_root)

    def _assemble(self, by_note: dict[str, list[Chunk]], written: dict, previous: Snapshot | None):
        """Every passage and sentence with its vector from this run's writes and the previous copy,
        or None when some vector is in neither (then the index is read back)."""
        old_rows: dict[str, int] = {}
        old_sents: dict[str, list[int]] = {}
        if previous is not None:
            try:
                previous.load()
            except (OSError, ValueError):
                previous = None
        if previous is not None:
            old_rows = {c.id: k for k, c in enumerate(previous._chunks)}
            for k, cid in enumerate(previous._sentences.chunk_ids):
                old_sents.setdefault(cid, []).append(k)
        chunks: list[Chunk] = []
        vecs: list[np.ndarray] = []
        s_ids: list[str] = []
        s_texts: list[str] = []
        s_pos: list[int] = []
        s_vecs: list[np.ndarray] = []
        for path in sorted(by_note):
            for k, c in enumerate(by_note[path]):
                if c.id in written:
                    vec, sents = written[c.id]
                elif c.id in old_rows:
                    vec = previous._chunk_vecs[old_rows[c.id]]
                    sv = previous._sentences
                    sents = [(sv.positions[r], sv.texts[r], sv.vectors[r]) for r in old_sents.get(c.id, [])]
                else:
                    return None
                chunks.append(Chunk(c.id, c.title, c.text, c.source, c.content_hash, k))
                vecs.append(np.asarray(vec, dtype=np.float32))
                for pos, text, v in sents:
                    s_ids.append(c.id)
                    s_texts.append(text)
                    s_pos.append(int(pos))
                    s_vecs.append(np.asarray(v, dtype=np.float32))
        # Rows, not stacked arrays: the copy is written row by row, never held twice in memory.
        return chunks, vecs, Sentences(s_ids, s_texts, s_pos, s_vecs)

    def _plan(self, passages, sents, path: str, chunks: list[Chunk], entry: dict | None, report: IngestReport):
        """What a changed (or half-written) note needs: passages to embed and ids to delete.

        A passage kept as it is must have all its sentences: an older index, or an interrupted one,
        may hold a passage whose sentences never got written.
        """
        old = self._get_all(passages, ["metadatas"], where={"source": path})
        known = {i: (m or {}).get("content_hash") for i, m in zip(old["ids"], old["metadatas"], strict=True)}
        for i in _doc_ids((entry or {}).get("doc")):
            known.setdefault(i, None)  # listed by the manifest, passage already deleted: clear its sentences
        current = {c.id for c in chunks}
        present = set(old["ids"])
        keep = [c for c in chunks if c.id in present and known[c.id] == c.content_hash]
        # Compared by text, not by count: a change to sentence splitting can cut a passage into as
        # many sentences as before, but other ones ('... to?”' keeps its closing quote).
        stored = self._sentence_texts(sents, [c.id for c in keep])
        broken = [c for c in keep if stored.get(c.id, []) != sentences(c.text)]
        if broken:
            report.repaired.append(f"{path}: {len(broken)} passage(s) without all their sentences as now cut")
        if entry is not None and entry.get("state") != COMPLETE:
            report.repaired.append(f"{path}: finished what an interrupted ingest left")
        keep_ids = {c.id for c in keep} - {c.id for c in broken}
        embed = [c for c in chunks if c.id not in keep_ids]
        report.added += sum(1 for c in embed if c.id not in known)
        report.updated += sum(1 for c in embed if c.id in known)
        report.unchanged += len(keep_ids)
        removed = [i for i in known if i not in current]
        report.removed += sum(1 for i in removed if i in present)
        # Passages to embed are deleted first too: an interrupted run may have left their sentences.
        return _Plan(path, embed, removed + [c.id for c in embed])

    def _sentence_texts(self, sents, chunk_ids: Sequence[str]) -> dict[str, list[str]]:
        """The sentences the index holds for each passage, in order (a position missing leaves a gap)."""
        found: dict[str, dict[int, str]] = {}
        for part in _batches(list(chunk_ids), min(FILTER_BATCH, self.max_batch)):
            got = self._get_all(sents, ["metadatas", "documents"], where={"chunk_id": {"$in": list(part)}})
            for m, doc in zip(got["metadatas"], got["documents"], strict=True):
                found.setdefault(m["chunk_id"], {})[int(m["position"])] = doc
        return {cid: [by_pos.get(k, "") for k in range(max(by_pos) + 1)] for cid, by_pos in found.items()}

    def _delete(self, passages, sents, ids: Sequence[str]) -> None:
        """Passages first, then their sentences: a passage in the index always has its sentences."""
        step = min(FILTER_BATCH, self.max_batch)
        for part in _batches(list(ids), step):
            passages.delete(ids=list(part))
            sents.delete(where={"chunk_id": {"$in": list(part)}})

    def _write(self, passages, sents, part: Sequence[Chunk]) -> int:
        """Embed passages and their sentences in one model call; write sentences, then passages."""
        split = [sentences(c.text) for c in part]
        texts = [embedding_text(c) for c in part] + [s for ss in split for s in ss]
        vecs = self.embedder.embed(texts)
        n = len(part)
        sent_ids, sent_meta = [], []
        for c, ss in zip(part, split, strict=True):
            for k in range(len(ss)):
                sent_ids.append(f"{c.id}:{k}")
                sent_meta.append({"chunk_id": c.id, "position": k})
        sent_texts = texts[n:]
        if self.snapshot_root is not None:  # kept for the readers' copy written at the end
            row = n
            for i, (c, ss) in enumerate(zip(part, split, strict=True)):
                self._written[c.id] = (vecs[i], [(k, ss[k], vecs[row + k]) for k in range(len(ss))])
                row += len(ss)
        for rows in _batches(range(len(sent_ids)), self.max_batch):
            sents.upsert(ids=[sent_ids[i] for i in rows], embeddings=vecs[n + rows.start : n + rows.stop],
                         documents=[sent_texts[i] for i in rows], metadatas=[sent_meta[i] for i in rows])
        for rows in _batches(range(n), self.max_batch):
            passages.upsert(
                ids=[part[i].id for i in rows], embeddings=vecs[rows.start : rows.stop],
                documents=[part[i].text for i in rows], metadatas=[_chunk_meta(part[i]) for i in rows],
            )
        return len(texts)

    def _mark(self, manifest_col, path: str, doc: str | None, f: NoteFile | None, state: str,
              entry: dict | None, passages: int | None = None) -> None:
        meta = {"state": state, "code": CODE_VERSION, "size": -1, "mtime_ns": -1, "digest": ""}
        if entry:
            meta.update({k: v for k, v in entry.items() if k in ("size", "mtime_ns", "digest", "passages")})
        if state == COMPLETE:
            meta.update({"size": f.size, "mtime_ns": f.mtime_ns, "digest": f.digest} if f else
                        {"size": -1, "mtime_ns": -1, "digest": ""})
        else:
            meta["digest"] = ""  # never "unchanged" until written whole
        if passages is not None:
            meta["passages"] = passages
        manifest_col.upsert(ids=[path], embeddings=[[1.0]], documents=[doc or "[]"], metadatas=[meta])

    # ---------------------------------------------------------------- check
    def check(self, chunks: list[Chunk], repair: bool = True) -> list[str]:
        """Problems between the passages, their sentences and the manifest; with ``repair``, fixed.

        Orphan sentences (their passage gone), passages missing sentences or of no note, notes a
        run left half written. The fix of anything a passage needs is to forget the note's
        manifest record, so the following ingest redoes it.
        """
        problems: list[str] = []
        passages, sents = self._readable(""), self._readable("_sentences")
        manifest_col = self._readable("_manifest")
        manifest = self._manifest(manifest_col)
        manifest.pop(INDEX_RECORD, None)
        p = self._get_all(passages, ["metadatas"])
        passage_ids = set(p["ids"])
        source = {i: (m or {}).get("source") for i, m in zip(p["ids"], p["metadatas"], strict=True)}
        s = self._get_all(sents, ["metadatas"])
        per: dict[str, int] = {}
        orphans = []
        for i, m in zip(s["ids"], s["metadatas"], strict=True):
            cid = (m or {}).get("chunk_id")
            if cid in passage_ids:
                per[cid] = per.get(cid, 0) + 1
            else:
                orphans.append(i)
        if orphans:
            problems.append(f"{len(orphans)} sentence(s) of no passage")
            if repair:
                for part in _batches(orphans, min(FILTER_BATCH, self.max_batch)):
                    sents.delete(ids=list(part))
        expected = {c.id: len(sentences(c.text)) for c in chunks}
        redo: set[str] = set()
        short = [i for i in passage_ids if i in expected and per.get(i, 0) != expected[i]]
        if short:
            problems.append(f"{len(short)} passage(s) without all their sentences")
            redo |= {source[i] for i in short}
        strays = [i for i in passage_ids if source[i] not in manifest]
        if strays:
            problems.append(f"{len(strays)} passage(s) of no indexed note")
            redo |= {source[i] for i in strays}
        half = [path for path, m in manifest.items() if m.get("state") != COMPLETE]
        if half:
            problems.append(f"{len(half)} note(s) left half written: {', '.join(sorted(half))}")
            redo |= set(half)
        if repair and problems and self.snapshot_root is not None:
            snapshot.retire(self.snapshot_root)  # the copy may hold what is being repaired
        if repair and redo and manifest_col is not None:
            for path in redo:
                if path in manifest:
                    manifest_col.delete(ids=[path])  # the next ingest compares this note passage by passage
        return problems

    # ---------------------------------------------------------------- reading
    def load_chunks(self) -> list[Chunk]:
        """Every passage, in each note's reading order."""
        got = self._get_all(self._readable(""), ["documents", "metadatas"])
        order: dict[str, int] = {}
        for entry in self._manifest().values():
            for k, cid in enumerate(_doc_ids(entry.get("doc"))):
                order[cid] = k
        out = [
            Chunk(i, m["title"], d, m["source"], m["content_hash"], order.get(i, int(m.get("order", 0))))
            for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        ]
        return sorted(out, key=lambda c: (c.source, c.order))

    def load_chunk_vectors(self, ids: Sequence[str]) -> np.ndarray:
        """The passage vectors of ``ids``, in that order."""
        return self._vectors_from_index(ids)

    def _vectors_from_index(self, ids: Sequence[str]) -> np.ndarray:
        if not ids:
            return np.zeros((0, 0), dtype=np.float32)
        got = self._get_ids(self._readable(""), ids, ["embeddings"])
        by_id = dict(zip(got["ids"], got["embeddings"], strict=True))
        return np.asarray([by_id[i] for i in ids], dtype=np.float32)

    def load_sentences(self) -> tuple[list[str], list[str], list[int], np.ndarray]:
        """(chunk ids, sentences, positions, unit vectors) of every indexed sentence."""
        return self._sentences_from_index()

    def _sentences_from_index(self) -> tuple[list[str], list[str], list[int], np.ndarray]:
        got = self._get_all(self._readable("_sentences"), ["documents", "metadatas", "embeddings"])
        if not got["ids"]:
            return [], [], [], np.zeros((0, 0), dtype=np.float32)
        return (
            [m["chunk_id"] for m in got["metadatas"]],
            list(got["documents"]),
            [int(m["position"]) for m in got["metadatas"]],
            np.asarray(got["embeddings"], dtype=np.float32),
        )

    def passage_count(self) -> int:
        found = self.copy()
        if found is not None:
            return found.passages
        col = self._readable("")
        return col.count() if col is not None else 0

    def query(self, vector: np.ndarray, n: int) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the ``n`` nearest chunks."""
        col = self._readable("")
        count = col.count() if col is not None else 0
        if not count:
            return []
        res = col.query(query_embeddings=[vector.tolist()], n_results=min(n, count), include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0], strict=True)]


@dataclass(frozen=True, slots=True)
class _Plan:
    path: str
    embed: list[Chunk]
    delete: list[str]


def _doc_ids(doc: str | None) -> list[str]:
    return [i for i in _json(doc, []) if isinstance(i, str)]


def _json(text: str | None, default):
    try:
        value = json.loads(text) if text else default
    except ValueError:
        return default
    return value if isinstance(value, type(default)) else default


def _chunk_meta(c: Chunk) -> dict:
    return {"title": c.title, "source": c.source, "content_hash": c.content_hash, "order": c.order}
