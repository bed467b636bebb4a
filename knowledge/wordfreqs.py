"""How often English words are written (wordfreq's lists), looked up without loading the lists.

Importing wordfreq and reading its lists takes about half a second, a fifth of a cold
``studybuddy ask`` that looks up a few dozen words. So the lists are copied once into a SQLite
file in the cache folder, keyed by the list files they came from (an upgrade of wordfreq copies
anew), and a process looks its words up there one by one. Without a cache folder, or when it
cannot be written, the lists load into memory as before; without wordfreq, every lookup is None.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import sqlite3
import tempfile
import threading
from pathlib import Path

log = logging.getLogger(__name__)

WORDLISTS = ("small", "large")


def _data_dir() -> Path | None:
    """wordfreq's data folder, found without importing it (its import alone takes about 0.3 s)."""
    try:
        spec = importlib.util.find_spec("wordfreq")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _key(data: Path) -> str | None:
    try:
        stats = [(data / f"{w}_en.msgpack.gz").stat() for w in WORDLISTS]
    except OSError:
        return None
    return "-".join(f"{s.st_size:x}.{s.st_mtime_ns:x}" for s in stats)


def _in_memory(wordlist: str) -> dict[str, float] | None:
    try:
        from wordfreq import get_frequency_dict
    except ImportError:
        return None
    return get_frequency_dict("en", wordlist=wordlist)


class WordFrequencies:
    """``get(word, wordlist)``: the frequency of ``word`` (a share of all words written) on one of
    wordfreq's English lists, or None when the list lacks it; ``available`` is False without wordfreq."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._dicts: dict[str, dict[str, float] | None] = {}
        self._opened = False
        self.available = True

    @property
    def opened(self) -> bool:
        """Whether the lists were opened (or found missing): lookups no longer depend on the cache folder."""
        return self._opened

    def _open(self) -> None:
        with self._lock:
            if self._opened:
                return
            data = _data_dir()
            if data is None:  # wordfreq is not installed
                self.available = False
                self._opened = True
                return
            key = _key(data)
            if self.cache_dir is not None and key is not None:
                path = self.cache_dir / f"wordfreq-en-{key}.sqlite3"
                try:
                    if not path.exists():
                        self._build(path)
                    # immutable: the file never changes once in place, so no locking on every lookup.
                    self._db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
                except (OSError, sqlite3.Error) as exc:  # a read-only or full disk still answers, only slower to start
                    log.info("cannot keep wordfreq's lists in %s: %s", self.cache_dir, exc)
                    self._db = None
            self._opened = True

    def _build(self, path: Path) -> None:
        small, large = _in_memory("small"), _in_memory("large")
        if small is None or large is None:
            raise OSError("wordfreq is not installed")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        os.close(fd)
        try:
            db = sqlite3.connect(tmp)
            db.execute("PRAGMA journal_mode = OFF")  # a new file, renamed into place only once whole
            db.execute("PRAGMA synchronous = OFF")
            with db:
                db.execute("CREATE TABLE words (word TEXT PRIMARY KEY, large REAL, small REAL) WITHOUT ROWID")
                db.executemany("INSERT INTO words VALUES (?, ?, ?)",
                               ((w, large[w], small.get(w)) for w in sorted(large)))  # in key order: faster
                # A word of the small list the large one lacks would be lost: none is, but keep it if one were.
                db.executemany("INSERT OR IGNORE INTO words VALUES (?, NULL, ?)", small.items())
            db.close()
            os.chmod(tmp, 0o644)  # as the other cache files: readable by a reader running as another user
            os.replace(tmp, path)  # whole or not at all: a process stopped half-way leaves only its .tmp
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    def get(self, word: str, wordlist: str) -> float | None:
        if not self._opened:
            self._open()
        if not self.available:
            return None
        if self._db is None:
            if wordlist not in self._dicts:
                with self._lock:
                    self._dicts.setdefault(wordlist, _in_memory(wordlist))
            table = self._dicts[wordlist]
            return table.get(word) if table is not None else None
        column = "small" if wordlist == "small" else "large"
        try:
            with self._lock:
                row = self._db.execute(f"SELECT {column} FROM words WHERE word = ?", (word,)).fetchone()  # noqa: S608
        except sqlite3.Error as exc:  # a damaged copy: answer from the lists themselves, and make it anew next start
            log.warning("the copy of wordfreq's lists in %s is damaged (%s): removing it", self.cache_dir, exc)
            self._db.close()
            self._db = None
            for stale in (self.cache_dir or Path()).glob("wordfreq-en-*.sqlite3"):
                stale.unlink(missing_ok=True)
            return self.get(word, wordlist)
        return row[0] if row else None

    def load(self) -> None:
        """Open the lists now (and copy them into the cache the first time) rather than on a first question."""
        self._open()
        if self.available and self._db is None:
            for wordlist in WORDLISTS:
                self.get("the", wordlist)
