"""Grounded, extractive answers: the notes' own sentences that answer the question, cited.

No language model: every sentence in an answer is a sentence of a retrieved
passage, verbatim. When the evidence is weak the composer abstains and names
the closest topics the notes do cover.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from knowledge.retrieval import HybridRetriever, Query, SearchResult
from knowledge.text import list_items, section_title
from knowledge.types import Hit

# Fitted on knowledge/eval/dev.jsonl (logistic regression, L2 0.01, leave-one-out accuracy 0.985).
CONFIDENCE_WEIGHTS = {"dense": 1.01, "sentence": 0.82, "heading": 1.06, "coverage": 1.57,
                      "agreement": 0.75, "novelty": -1.67}
CONFIDENCE_BIAS = -0.93
# Below this probability the notes do not answer. The model's own decision point, not the middle
# of the dev set's (wide, 0.53-0.74) gap: dev questions are easier than unseen ones.
DEFAULT_THRESHOLD = 0.5
MAX_SENTENCES = 4
MAX_BULLETS = 6


@dataclass(frozen=True, slots=True)
class Statement:
    text: str
    n: int  # citation number, 1-based, into Answer.sources
    bullet: bool


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    grounded: bool
    statements: tuple[Statement, ...]
    sources: tuple[Hit, ...]  # cited passages, [1] first
    hits: tuple[Hit, ...]  # everything retrieved, best first
    suggestions: tuple[str, ...]  # closest topics, when not grounded
    confidence: float
    evidence: dict[str, float] = field(default_factory=dict)  # what the confidence was computed from

    def markdown(self) -> str:
        if not self.grounded:
            lines = ["My notes don't cover that."]  # paragraphs: markdown joins single newlines
            if self.suggestions:
                lines.append("Closest topics they do cover: " + "; ".join(f"**{s}**" for s in self.suggestions) + ".")
            return "\n\n".join(lines)
        if any(s.bullet for s in self.statements) or len(self.statements) >= 3:
            return "\n".join(f"- {s.text} [{s.n}]" for s in self.statements)
        return " ".join(f"{s.text} [{s.n}]" for s in self.statements)


def evidence(result: SearchResult) -> dict[str, float]:
    """What the top passage offers as an answer, and how much the rankings agree on it."""
    if not result.hits:
        return {}
    top = result.hits[0]
    return {
        "dense": round(top.dense, 4), "sentence": round(top.sentence, 4), "heading": round(top.heading, 4),
        "coverage": round(top.coverage, 4),         "novelty": round(result.query.novelty, 4),
        "agreement": result.agreement,
    }


def confidence(ev: dict[str, float]) -> float:
    """How likely the notes answer this (0..1), from all the evidence about the top passage.

    A logistic model: passage, sentence and heading similarity, the share of the question's
    rare vocabulary the passage holds, and whether the dense and keyword rankings agree count
    for; vocabulary the notes never use counts against, the more so the rarer the word is in
    English ("LoRA" says more than "happen").
    """
    if not ev:
        return 0.0
    z = CONFIDENCE_BIAS + sum(w * ev[name] for name, w in CONFIDENCE_WEIGHTS.items())
    return 1.0 / (1.0 + math.exp(-z))


def compose(question: str, result: SearchResult, retriever: HybridRetriever,
            threshold: float = DEFAULT_THRESHOLD) -> Answer:
    query, vector, hits = result.query, result.vector, result.hits
    scored: list[tuple[int, int, str, float, bool]] = []  # (hit rank, position, text, sim, bullet)
    for rank, hit in enumerate(hits[:3]):
        bullets = list_items(hit.text)
        for pos, text, vec in retriever.sentences_of(hit.chunk_id):
            scored.append((rank, pos, text, float(vec @ vector), text in bullets))
    ev = evidence(result)
    conf = confidence(ev)
    if not hits or conf < threshold:
        seen, sugg = set(), []
        for h in hits:
            t = section_title(h.title)
            if t not in seen:
                seen.add(t)
                sugg.append(t)
        return Answer(question, False, (), (), hits, tuple(sugg[:3]), conf, ev)

    # The notes' own open questions, and lead-ins ending in a colon ("Here's how it works:"),
    # state nothing on their own.
    scored = [s for s in scored if not s[2].rstrip().endswith(("?", ":"))]
    top = [s for s in scored if s[0] == 0]
    top_best = max((s[3] for s in top), default=0.0)
    bullets = [s for s in top if s[4]]
    best_bullet = max((s[3] for s in bullets), default=0.0)
    if bullets and hits[0].dense >= best_bullet and len(bullets) <= MAX_BULLETS + 2:
        # The question is about the list as a whole ("limitations of transformers"): the
        # passage matches it better than any one item does, so answer with the whole list.
        chosen = [s for s in top if s[4] or s[3] >= 0.8 * top_best][: MAX_BULLETS + 1]
    else:
        keep = sorted(top, key=lambda s: -s[3])[: MAX_SENTENCES - 1]
        keep = [s for s in keep if s[3] >= 0.6 * top_best]
        first = min(top, key=lambda s: s[1], default=None)
        # The opening sentence of a passage usually states what it is about.
        if first and first not in keep and first[3] >= 0.45 * top_best and not first[4]:
            keep.append(first)
        chosen = keep
    # One other passage may join, with a sentence about as relevant as the best of the first.
    extras = [max((s for s in scored if s[0] == r), key=lambda s: s[3], default=None) for r in (1, 2)]
    extras = [e for e in extras if e and e[3] >= 0.92 * top_best and e[3] >= threshold]
    if extras and len(chosen) < MAX_SENTENCES + 1:
        extra = max(extras, key=lambda s: s[3])
        if all(extra[2] != c[2] for c in chosen):
            chosen.append(extra)
    chosen.sort(key=lambda s: (s[0], s[1]))

    numbers: dict[int, int] = {}
    statements = []
    for rank, _pos, text, _sim, bullet in chosen:
        n = numbers.setdefault(rank, len(numbers) + 1)
        statements.append(Statement(text, n, bullet))
    sources = tuple(hits[r] for r in sorted(numbers, key=numbers.get))
    return Answer(question, True, tuple(statements), sources, hits, (), conf, ev)
