"""The notes' vocabulary embedded once per notes version and model, not once per process.

A question with a rare word the notes never use ("joyful", "downsides") has it placed by meaning
against every word of the notes (``HybridRetriever.place_words``). Embedding those ~700 words takes
about 1.5 s, which a long-running bot pays once but a cold ``studybuddy ask`` paid on every such
question. So the vectors are kept in the cache folder, in a file keyed by the model and the exact
word list: the first process that needs them writes it (whole, through a temporary file renamed
into place), later ones read it in a millisecond. A file that cannot be read or written is
replaced or skipped; the answer is the same either way.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

KEEP = 4  # vocabulary files kept per cache folder (one per notes version and model; ~1 MB each)


def _path(folder: Path, identity: str, words: list[str]) -> Path:
    digest = hashlib.sha256("\n".join([identity, *words]).encode()).hexdigest()[:20]
    return folder / f"vocab-{digest}.npy"


def vocabulary_vectors(words: list[str], embed: Callable[[list[str]], np.ndarray],
                       folder: Path | None = None, identity: str | None = None) -> np.ndarray:
    """One unit vector per word, in order: from the cache file for this model (``identity``) and
    word list when there is one, else embedded and (with a folder) saved for the next process."""
    if not words:
        return np.zeros((0, 0), np.float32)
    if folder is None or identity is None:
        return embed(words)
    path = _path(folder, identity, words)
    try:
        vecs = np.load(path, allow_pickle=False)
        if vecs.shape[0] == len(words) and vecs.dtype == np.float32:
            return vecs
        log.warning("the saved vocabulary vectors %s do not fit the notes; embedding them again", path)
    except FileNotFoundError:
        pass
    except (OSError, ValueError, EOFError) as exc:
        log.warning("cannot read the saved vocabulary vectors %s (%s); embedding them again", path, exc)
    vecs = np.ascontiguousarray(embed(words), dtype=np.float32)
    _save(path, vecs)
    return vecs


def _save(path: Path, vecs: np.ndarray) -> None:
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".vocab-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            np.save(f, vecs, allow_pickle=False)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        log.info("cannot keep the vocabulary vectors in %s (%s); they are embedded again next time",
                 path.parent, exc.strerror or exc)
        return
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    _prune(path)


def _prune(kept: Path) -> None:
    """Remove all but the newest KEEP vocabulary files: each edit of the notes makes a new one."""
    try:
        files = sorted(kept.parent.glob("vocab-*.npy"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in [p for p in files if p != kept][KEEP - 1:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # another process pruned at the same time, or the folder went read-only: harmless
