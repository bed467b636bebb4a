"""Re-answering at another level — "Simpler", "Deeper", "Example" — from the same passages.

With a language model the passages go back to it with another task (``knowledge.generation``);
``passages`` chooses which. Without one, the extractive answer does its best with the notes'
own sentences, verbatim and cited as always:

- simpler: the shortest of the answer's statements (a list: its first items);
- deeper: the whole leading passage, and the closest sentences of the other relevant passages;
- example: a sentence of the notes that gives an example ("for example", "e.g.", "imagine"…),
  from the cited passages, then their section, then the other passages retrieved; when the
  notes give none, the reply says so rather than pass something else off as an example.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from knowledge.answer import Answer
from knowledge.base import KnowledgeBase
from knowledge.text import EXAMPLE_MARKER, is_question, list_items, section_key
from knowledge.types import Hit, Level

PASSAGES = 5  # sent to the model for a first answer
DEEPER_PASSAGES = 8
# A passage goes to the model when its similarity to the question is at least this share of the
# best passage's: a clearly unrelated passage only invites a wrong citation.
RELATED = {Level.NORMAL: 0.5, Level.SIMPLER: 0.5, Level.EXAMPLE: 0.5, Level.DEEPER: 0.35}
SIMPLER_ITEMS = 3
SIMPLER_SHORT = 12  # words: a statement this short is joined by the next shortest
DEEPER_SENTENCES = 8
# Extractively, another passage joins a deeper answer only when it is about as close to the
# question as the leading one (its sentence is quoted as it stands, with no model to connect it).
DEEPER_RELATED = 0.7
DEEPER_EXTRA = 3


@dataclass(frozen=True, slots=True)
class Said:
    """One verbatim sentence (or list item) of a passage, and the passage it cites."""

    text: str
    hit: Hit
    bullet: bool = False


@dataclass(frozen=True, slots=True)
class Reanswer:
    """An extractive answer at a level. ``found`` is False when the notes have nothing at that level
    (no example), and ``text`` then says so above the plain answer."""

    text: str
    sources: tuple[Hit, ...]
    found: bool = True


def passages(hits: Sequence[Hit], level: Level = Level.NORMAL) -> tuple[Hit, ...]:
    """The retrieved passages worth sending to the model, best first."""
    if not hits:
        return ()
    limit = DEEPER_PASSAGES if level is Level.DEEPER else PASSAGES
    top = max(hits[0].dense, 1e-9)
    return tuple(h for i, h in enumerate(hits[:limit]) if i == 0 or h.dense >= RELATED[level] * top)


def render(said: Sequence[Said]) -> tuple[str, tuple[Hit, ...]]:
    """Markdown with ``[n]`` per sentence (numbered by first use), and the sources in that order."""
    order: dict[str, int] = {}
    sources: list[Hit] = []
    for s in said:
        if s.hit.chunk_id not in order:
            order[s.hit.chunk_id] = len(order) + 1
            sources.append(s.hit)
    lines = [f"{s.text} [{order[s.hit.chunk_id]}]" for s in said]
    if len(said) >= 3 or any(s.bullet for s in said):
        text = "\n".join(f"- {line}" for line in lines)
    else:
        text = " ".join(lines)
    return text, tuple(sources)


def _statements(answer: Answer) -> list[Said]:
    return [Said(s.text, answer.sources[s.n - 1], s.bullet) for s in answer.statements]


def simpler(answer: Answer) -> Reanswer:
    said = _statements(answer)
    items = [s for s in said if s.bullet]
    if items:
        keep = items[:SIMPLER_ITEMS]
    else:
        by_length = sorted(said, key=lambda s: len(s.text.split()))
        keep = by_length[:1]
        if len(by_length) > 1 and len(keep[0].text.split()) < SIMPLER_SHORT:
            keep.append(by_length[1])
        keep.sort(key=said.index)
    if len(keep) == len(said):
        return _as_is("That is already the simplest my notes put it:", answer)
    text, sources = render(keep)
    return Reanswer(text, sources)


def deeper(answer: Answer, kb: KnowledgeBase, question: str) -> Reanswer:
    lead = answer.sources[0]
    said = [Said(text, lead, bullet) for text, bullet in _sentences(kb, lead)][:DEEPER_SENTENCES]
    vector = kb.embedder.embed([question])[0]
    top = max(lead.dense, 1e-9)
    extra = 0
    for hit in kb.search(question, DEEPER_PASSAGES):
        if hit.chunk_id == lead.chunk_id or hit.dense < DEEPER_RELATED * top or extra >= DEEPER_EXTRA:
            continue
        best = _closest(kb, hit, vector)
        if best is not None and all(best != s.text for s in said):
            said.append(Said(best, hit))
            extra += 1
    if {s.text for s in said} <= {s.text for s in answer.statements}:
        return _as_is("That is all my notes say about it:", answer)
    text, sources = render(said)
    return Reanswer(text, sources)


def _as_is(lead_in: str, answer: Answer) -> Reanswer:
    plain, sources = render(_statements(answer))
    return Reanswer(f"{lead_in}\n\n{plain}", sources, found=False)


def example(answer: Answer, kb: KnowledgeBase) -> Reanswer:
    cited = list(answer.sources)
    sections = {section_key(h.title) for h in cited[:1]}
    same_section = [
        Hit(c.id, c.title, c.text, c.source, 0.0)
        for c in kb.retriever.chunks
        if section_key(c.title) in sections and c.id not in {h.chunk_id for h in cited}
    ]
    others = [h for h in passages(answer.hits) if h.chunk_id not in {x.chunk_id for x in cited + same_section}]
    for hit in cited + same_section + others:
        found = _example_in(kb, hit)
        if found:
            text, sources = render(found)
            return Reanswer(text, sources)
    return _as_is("My notes don't give an example of this. What they do say:", answer)


def reanswer(kb: KnowledgeBase, question: str, level: Level) -> tuple[Answer, Reanswer]:
    """The plain answer to ``question`` and its re-answer at ``level`` (the plain one again when it abstains)."""
    answer = kb.answer(question)
    # A question the notes leave open has nothing simpler, deeper or more concrete to say.
    if not answer.grounded or answer.open_question or level is Level.NORMAL:
        return answer, Reanswer(answer.markdown(), answer.sources)
    if level is Level.SIMPLER:
        return answer, simpler(answer)
    if level is Level.DEEPER:
        return answer, deeper(answer, kb, question)
    return answer, example(answer, kb)


# Sentences ---------------------------------------------------------------------------------


def _sentences(kb: KnowledgeBase, hit: Hit) -> list[tuple[str, bool]]:
    """The passage's sentences in reading order, with whether each is a list item; open questions and
    lead-ins that end in a colon state nothing on their own and are left out."""
    items = list_items(hit.text)
    return [(text, text in items) for _pos, text, _vec in kb.retriever.sentences_of(hit.chunk_id)
            if not (is_question(text) or text.rstrip().endswith(":"))]


def _closest(kb: KnowledgeBase, hit: Hit, vector: np.ndarray) -> str | None:
    scored = [(float(vec @ vector), text) for _pos, text, vec in kb.retriever.sentences_of(hit.chunk_id)
              if not (is_question(text) or text.rstrip().endswith(":"))]
    return max(scored)[1] if scored else None


def _example_in(kb: KnowledgeBase, hit: Hit) -> list[Said]:
    """The first example the passage gives: the sentence that announces it; when that sentence is a
    bare "Example:", the sentence before it (what it is an example of) and the lines after it."""
    rows = [_unquote(text) for _pos, text, _vec in kb.retriever.sentences_of(hit.chunk_id)]
    for i, text in enumerate(rows):
        if not EXAMPLE_MARKER.search(text):
            continue
        if not text.rstrip().endswith(":"):
            return [Said(text, hit)]
        before = rows[i - 1 : i] if len(text.split()) <= 3 else []
        after = rows[i + 1 : i + 3]
        if not after:
            continue
        return [Said(" ".join([*before, text, after[0]]), hit)] + [Said(t, hit) for t in after[1:]]
    return []


def _unquote(text: str) -> str:
    # A quoted line ("> A cat is sitting ...") keeps its marker in the passage text.
    return text[1:].strip() if text.startswith(">") else text
