"""How close two key terms are in meaning: embeddings when an embedder is given, TF-IDF otherwise."""

from __future__ import annotations

import math
from collections import Counter
from difflib import SequenceMatcher

import numpy as np

from knowledge.embedding import Embedder
from knowledge.quizbank.concepts import Term
from knowledge.quizbank.text import content_stems, norm_words, stem, term_key


class TermSpace:
    """Cosine similarity between the vocabulary's terms, each read with the sentences that use it."""

    def __init__(self, terms: list[Term], embedder: Embedder | None = None) -> None:
        self.index = {t.key: i for i, t in enumerate(terms)}
        docs = [f"{t.text}: {t.context[:600]}" for t in terms]
        if embedder is not None and docs:
            vecs = np.asarray(embedder.embed(docs), dtype=np.float32)
        else:
            vecs = _tfidf(docs)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True) if len(docs) else np.zeros((0, 1))
        self.vecs = vecs / np.where(norms == 0, 1, norms) if len(docs) else vecs

    def sim(self, a: str, b: str) -> float:
        i, j = self.index.get(a), self.index.get(b)
        if i is None or j is None:
            return 0.0
        return float(self.vecs[i] @ self.vecs[j])


def _tfidf(docs: list[str]) -> np.ndarray:
    bags = [Counter(content_stems(d)) for d in docs]
    vocab = sorted({w for bag in bags for w in bag})
    col = {w: i for i, w in enumerate(vocab)}
    df = Counter(w for bag in bags for w in bag)
    out = np.zeros((len(docs), max(1, len(vocab))), dtype=np.float32)
    for r, bag in enumerate(bags):
        for w, n in bag.items():
            out[r, col[w]] = (1 + math.log(n)) * math.log((1 + len(docs)) / (1 + df[w]))
    return out


def near_duplicate(a: str, b: str) -> bool:
    """Same term in another form: equal keys, one's words inside the other's, or nearly the same spelling."""
    ka, kb = term_key(a), term_key(b)
    if not ka or not kb:
        return ka == kb
    if ka == kb:
        return True
    wa = {term_key(w) for w in norm_words(ka)}
    wb = {term_key(w) for w in norm_words(kb)}
    if wa and wb and (wa <= wb or wb <= wa):
        return True
    return SequenceMatcher(None, ka, kb).ratio() >= 0.8


def share_stem(a: str, b: str) -> bool:
    """Stricter than near_duplicate: any content word in common ("Tokens", "Tokenization")."""
    sa = {stem(w) for w in norm_words(a)}
    sb = {stem(w) for w in norm_words(b)}
    return bool(sa & sb)


def overlap(a: str, b: str) -> float:
    """Jaccard overlap of the content words of two texts."""
    sa, sb = content_stems(a), content_stems(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0
