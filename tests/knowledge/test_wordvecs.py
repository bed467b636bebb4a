"""The notes' vocabulary vectors kept between processes: a cold process placing a rare word by meaning reads
them instead of embedding ~700 words (1.5 s), and gets the same answer."""

from __future__ import annotations

import numpy as np

from knowledge.base import KnowledgeBase
from knowledge.index import NotesIndex
from knowledge.wordvecs import KEEP, vocabulary_vectors
from tests.conftest import SHIPPED_NOTES

WORDS = ["attention", "embedding", "token", "transformer"]


class Counting:
    """An embedder that counts the texts it embeds (wrapping the real one, or a tiny deterministic one)."""

    def __init__(self, inner=None, identity="test-model") -> None:
        self.inner, self.identity, self.name, self.texts = inner, identity, "counting", 0

    def embed(self, texts):
        self.texts += len(texts)
        if self.inner is not None:
            return self.inner.embed(texts)
        vecs = np.array([[len(t), sum(map(ord, t)) % 97, 1.0] for t in texts], dtype=np.float32)
        return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)


def test_the_second_process_reads_what_the_first_embedded(tmp_path):
    first, second = Counting(), Counting()
    made = vocabulary_vectors(WORDS, first.embed, tmp_path, first.identity)
    again = vocabulary_vectors(WORDS, second.embed, tmp_path, second.identity)
    assert first.texts == len(WORDS) and second.texts == 0
    np.testing.assert_array_equal(made, again)
    assert [p.suffix for p in tmp_path.iterdir()] == [".npy"]  # no temporary file left behind


def test_another_model_or_word_list_is_embedded_anew(tmp_path):
    vocabulary_vectors(WORDS, Counting().embed, tmp_path, "test-model")
    other_model, other_words = Counting(), Counting()
    vocabulary_vectors(WORDS, other_model.embed, tmp_path, "another-model")
    vocabulary_vectors([*WORDS, "vector"], other_words.embed, tmp_path, "test-model")
    assert other_model.texts == len(WORDS) and other_words.texts == len(WORDS) + 1


def test_old_vocabularies_are_pruned(tmp_path):
    """Every edit of the notes makes a new file; only the newest few stay."""
    for n in range(KEEP + 3):
        vocabulary_vectors([*WORDS, f"word{n}"], Counting().embed, tmp_path, "test-model")
    assert len(list(tmp_path.glob("vocab-*.npy"))) == KEEP
    latest = Counting()
    vocabulary_vectors([*WORDS, f"word{KEEP + 2}"], latest.embed, tmp_path, "test-model")
    assert latest.texts == 0


def test_a_damaged_file_is_embedded_again_and_replaced(tmp_path, caplog):
    vocabulary_vectors(WORDS, Counting().embed, tmp_path, "test-model")
    (saved,) = tmp_path.glob("vocab-*.npy")
    saved.write_bytes(b"\x93NUMPY garbage")
    fresh = Counting()
    vecs = vocabulary_vectors(WORDS, fresh.embed, tmp_path, "test-model")
    assert fresh.texts == len(WORDS) and vecs.shape[0] == len(WORDS)
    assert "embedding them again" in caplog.text
    after = Counting()
    vocabulary_vectors(WORDS, after.embed, tmp_path, "test-model")
    assert after.texts == 0


def test_an_unwritable_folder_still_gives_the_vectors(tmp_path):
    blocker = tmp_path / "words"
    blocker.write_text("a file where the folder would be")
    embedder = Counting()
    vecs = vocabulary_vectors(WORDS, embedder.embed, blocker, embedder.identity)
    assert vecs.shape[0] == len(WORDS) and blocker.read_text().startswith("a file")


def test_a_cold_knowledge_base_answers_a_rare_word_alike_without_embedding_the_vocabulary(
        real_embedder, chroma_client, tmp_path):
    """"joyful"-like words the notes never use are placed against the notes' words; the second knowledge base
    (as a new process would) reads the vectors the first one saved and gives the same answer."""
    question = "can a transformer pick up sarcasm in a sentence?"
    answers, embedded = [], []
    for _ in range(2):
        counting = Counting(real_embedder, real_embedder.identity)
        kb = KnowledgeBase(SHIPPED_NOTES, NotesIndex(chroma_client, counting), counting, word_cache=tmp_path)
        kb.ingest()
        counting.texts = 0
        answers.append(kb.answer(question))
        embedded.append(counting.texts)
    vocabulary = len(kb.retriever.vocab)
    assert vocabulary > 300
    # (the second embeds the question, its rare words and a few headings, never the vocabulary again)
    assert embedded[0] > vocabulary and embedded[1] < vocabulary / 20
    assert answers[0].markdown() == answers[1].markdown()
    assert answers[0].confidence == answers[1].confidence
