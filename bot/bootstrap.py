"""The one place that builds the StudyBuddy from settings. Tests call it with their own parts."""

from __future__ import annotations

import logging

from bot.config import Settings
from bot.service import StudyBuddy
from knowledge.base import KnowledgeBase
from knowledge.embedding import Embedder, SentenceTransformerEmbedder
from knowledge.index import NotesIndex, make_client

log = logging.getLogger(__name__)


def build_knowledge(settings: Settings, embedder: Embedder | None = None, client=None) -> KnowledgeBase:
    embedder = embedder or SentenceTransformerEmbedder(settings.embedding_model)
    client = client or make_client(settings.chroma_path, settings.chroma_url)
    index = NotesIndex(client, embedder, settings.collection)
    return KnowledgeBase(settings.notes_dir, index, embedder, settings.abstain_threshold)


def build(settings: Settings, *, embedder: Embedder | None = None, client=None, quiz=None) -> StudyBuddy:
    return StudyBuddy(
        build_knowledge(settings, embedder, client),
        max_question_chars=settings.max_question_chars,
        quiz=quiz,
        pricing_file=settings.pricing_file,
    )
