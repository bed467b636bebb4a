"""The retriever's shortcuts for a warm ask give what the slow way gave: a word compared only with the notes' words
that could be alike to it, evidence with a focus built on the evidence without one, stems kept per text.

Small synthetic notes, indexed with the real model; the slow way is written out here as the reference.
"""

import difflib
import random

import pytest

from knowledge import retrieval
from tests.support import notes_knowledge_base

NOTES = """# Model Notes

## Parametric memory

Parametric memory is the knowledge a model stores inside its weights during training. It cannot be updated \
without retraining the model (GPT-4's weights, top_p aside).

## Vanishing gradients

The vanishing gradient problem: gradients shrink as they flow back through many layers, so early layers \
barely learn.

## LLaVA

LLaVA is a multimodal model that joins a vision encoder to a language model, so it can answer questions \
about images.

## Subword tokenization

Subword tokenization splits a rare word into smaller known pieces, so one word can become several tokens.
"""


@pytest.fixture(scope="module")
def kb(real_embedder, tmp_path_factory):
    return notes_knowledge_base(tmp_path_factory.mktemp("shortcuts"), {"models.md": NOTES}, real_embedder)


def _typed(vocab: list[str]) -> list[str]:
    """The notes' words as typed: each with a letter changed, dropped or added, and some untouched."""
    rng = random.Random(7)
    out = set(vocab) | {"paramedic", "banishing", "lava", "tokenisation", "hellucination", "grad1ent", "naïve"}
    for v in vocab:
        i = rng.randrange(len(v))
        out |= {v[:i] + rng.choice("aeiourst'_0") + v[i + 1 :], v[:i] + v[i + 1 :], v + "e", v[:i] + "é" + v[i + 1 :]}
    return sorted(out)


def test_spelling_lookups_find_what_difflib_finds_over_the_whole_vocabulary(kb):
    """Comparing a word only with the notes' words whose characters could reach the cutoff finds the same matches."""
    r = kb.retriever
    for word in _typed(r.vocab):
        for n, cutoff in ((1, 0.8), (1, 0.85), (3, 0.85)):
            assert r._close_matches(word, n, cutoff) == difflib.get_close_matches(word, r.vocab, n=n, cutoff=cutoff)


def test_misheard_words_are_read_as_comparing_every_word_of_the_notes_would(kb):
    """The misheard-word reading finds the same one word of the notes as comparing the typed word with each."""
    r = kb.retriever

    def every_word(word: str, parts) -> str | None:
        stem, skeleton = r._stemmer.stemWord(word), retrieval._consonants(word)
        vocab = r._misheard_vocab().get(len(word))
        near = [v for v in (vocab.words if vocab else ())
                if r._stemmer.stemWord(v) != stem and not retrieval._clips(word, v)
                and (retrieval._alike(word, v) >= retrieval.MISHEARD_ALIKE
                     or (parts is None and len(skeleton) >= 3 and retrieval._consonants(v) == skeleton))]
        return near[0] if len(near) == 1 else None

    found = 0
    for word in _typed(r.vocab):
        for parts in (None, (word[:3], word[3:])):
            assert r._lookalike(word, parts) == every_word(word, parts)
            found += r._lookalike(word, parts) is not None
    assert found > 10
    assert r.misheard("what is paramedic memory")[1] == (("paramedic", "Parametric"),)


def test_evidence_with_a_focus_differs_from_the_evidence_without_only_in_its_focus(kb):
    """A focus changes a passage's focus cosines and nothing else, in the same order of evidence."""
    r = kb.retriever
    query = r.analyze("how do gradients vanish in deep networks")
    vector, focus = r.embedder.embed([query.corrected, "vanish"])
    dense = r.chunk_vecs @ vector
    keyword, _ = r._pool(query, dense)
    for i in range(len(r.chunks)):
        plain, focused = r.evidence(query, vector, i, keyword, dense), r.evidence(query, vector, i, keyword, dense, focus)
        assert list(plain) == list(focused)
        assert {k: v for k, v in focused.items() if not k.startswith("focus_")} == \
            {k: v for k, v in plain.items() if not k.startswith("focus_")}
        assert focused["focus_dense"] == float(r.chunk_vecs[i] @ focus)
        rows = r._stating.get(r.chunks[i].id) or r._rows.get(r.chunks[i].id, [])
        assert focused["focus_sentence"] == (float((r.sent_vecs[rows] @ focus).max()) if rows else 0.0)


def test_a_texts_stems_are_kept_and_cannot_be_changed_by_a_caller(kb):
    """Stems kept for a text are the same set each time, and frozen: no caller can change another's."""
    r = kb.retriever
    first = r.stems_of("Vanishing gradients shrink")
    assert first == set(r._stems(r._words("Vanishing gradients shrink")))
    assert r.stems_of("Vanishing gradients shrink") is first
    assert isinstance(first, frozenset)
