"""Several questions in one message ("what is RAG? and what is LLaVA?"): each is answered on its own
and the answers are given together, each under the question it answers, with one list of sources.

Only questions that stand alone are split: each part starts like a question ("what", "how", "is",
...), is more than a word long and does not lean on another part ("... and why does it matter" is one
question about the first part's subject, answered whole), nor names no subject of its own ("... ? what did
the notes say?" asks about the first part's). When every part's best passage is the same,
the message is one question after all, and is answered whole.

A second question that leans on the first ("transformers replaced rnn? and in which year did it happen?") is
answered whole; when the notes cannot answer the whole message but do answer its first question alone, that
is answered, and the second is said to be past the notes: what the second added is what they lack.
"""

from __future__ import annotations

import re
from dataclasses import replace

from knowledge.answer import Answer
from knowledge.retrieval import without_chatter
from knowledge.text import QUESTION_FILLER, STOPWORDS, clean_question
from knowledge.types import Hit

MAX_PARTS = 3
_ASKS = r"(?:what|what's|whats|how|why|which|who|whose|where|when|is|are|was|were|do|does|did|can|could|should|would|will)"
_STARTS_LIKE_A_QUESTION = re.compile(rf"^{_ASKS}\b", re.IGNORECASE)
# "... and what is LLaVA": a second question after "and", "also", "plus" (with or without a comma).
_AND_ASKS = re.compile(rf"(?:[,;]|(?<![\s,;]))\s++(?:and|also|plus|then)\s+(?={_ASKS}\s)", re.IGNORECASE)
_JOINER = re.compile(r"^(?:and|also|plus|then|or)\b[\s,]*", re.IGNORECASE)
# A part that names what another part is about by a pronoun does not stand alone (nor "... and which ones": the
# things the other part counts or names).
_LEANS = re.compile(r"\b(?:it|its|it's|they|them|their|this|that|these|those|ones)\b", re.IGNORECASE)
_WORD = re.compile(r"\w+")
# A guess at the first question's answer ("how is CLIP trained? is it contrastive learning?"): not a question of its
# own; a guess the notes never mention is the sign the first asks past them too.
_GUESS = re.compile(r"(?:or\s+)?(?:is|was|are|were|does|do)\s+(?:it|that|they|this)\s+(?:(?:an?|the|by|through|via|using)\s+)?"
                    r"[\w.-]+(?:\s+[\w.-]+)?[\s?]*", re.IGNORECASE)
# A second question asked of another thing, the rest said by the first ("same for gpt-4o?", "what about bert?").
_ELLIPTIC = re.compile(r"(?:(?:and|also|plus)\s+)*(?:(?:the\s+)?same\s+(?:for|with)|what\s+about|how\s+about|and\s+for)\b",
                       re.IGNORECASE)
_TYPED_NAME = re.compile(r"[\w.-]+")
# Words that point at the notes or at what was said in them: "what did the notes say?", "what does the
# writer mention?", "is there a clear answer in the notes?" names no subject; it asks about the other part's ("are
# transformers easy to interpret?").
_ABOUT_THE_NOTES = frozenset(
    """notes note say says said saying writer author mention mentions mentioned write wrote written think thinks
    thought talk talks talked there anything answer answers answered clear cover covers covered list lists listed
    reason reasons""".split()
)


def _names_something(part: str) -> bool:
    """Whether a part has a word of its own subject: not only function words, chat and words for the notes."""
    return any(w not in STOPWORDS and w not in QUESTION_FILLER and w not in _ABOUT_THE_NOTES
               for w in (x.lower() for x in _WORD.findall(part)))


def asked_separately(question: str) -> list[str]:
    """The questions of a message, when it asks several that stand alone; else ``[question]``."""
    parts = _pieces(question)
    if not 2 <= len(parts) <= MAX_PARTS:
        return [question]
    for p in parts:
        words = _WORD.findall(p)
        if (len(words) < 2 or not _STARTS_LIKE_A_QUESTION.match(p) or _LEANS.search(p)
                or not _names_something(p)):
            return [question]
    return parts


def _pieces(question: str, and_asks: bool = True) -> list[str]:
    text = without_chatter(clean_question(question))
    pieces = [p for chunk in re.split(r"(?<=\?)\s+", text) for p in (_AND_ASKS.split(chunk) if and_asks else [chunk])]
    return [p for p in (_JOINER.sub("", p).strip(" ,;") for p in pieces) if p]


def leaning_follow_up(question: str) -> tuple[str, str] | None:
    """(first, second) when a message asks a question and then a second one about it by a pronoun ("llava use which
    llm? and how big is it?"); None otherwise. The first must stand alone: a question of its own subject."""
    # (Only a first question closed by its "?": "who made llava and when did it come out" asks one thing, where
    # it came from, and is answered whole or refused whole.)
    parts = _pieces(question, and_asks=False)
    if len(parts) != 2 or _GUESS.fullmatch(parts[1]):
        return None
    first, second = parts
    if (len(_WORD.findall(first)) < 2 or _LEANS.search(first) or not _names_something(first)
            or not (first.endswith("?") or _STARTS_LIKE_A_QUESTION.match(first))):
        return None
    # (The second asks something of its own: "in which year did it happen", "is it the same as X"; a bare
    # "and why does it matter" asks nothing the first's answer may lack.)
    # ... or asks it of something else, leaving the rest unsaid ("also same for gpt-4o?", "what about bert?").
    asks = _LEANS.search(second) and (second.endswith("?") or _STARTS_LIKE_A_QUESTION.match(second))
    if not ((asks or _ELLIPTIC.match(second)) and _names_something(second)):
        return None
    return first, second


def named_in(part: str, names: tuple[str, ...], other: str) -> tuple[str, ...]:
    """The names (as analysed: "4o") that ``part`` types and ``other`` does not, as typed whole ("gpt-4o")."""
    out = []
    for name in names:
        typed = [m.group(0) for m in _TYPED_NAME.finditer(part) if name in m.group(0).lower()]
        if typed and not any(name in m.group(0).lower() for m in _TYPED_NAME.finditer(other)):
            out.append(f"“{typed[0].strip('.-')}”")
    return tuple(out)


def past_the_notes(asked: str, whole: Answer) -> Answer:
    """The refusal of a message, as the answer to its part ``asked``: only the names that part typed."""
    said = {w.lower() for w in _WORD.findall(asked)}
    missing = tuple(m for m in whole.missing if {w.lower() for w in _WORD.findall(m)} <= said)
    return replace(whole, question=asked, suggestions=(), missing=missing, open_question=False, statements=())


def distinct(answers: list[Answer]) -> bool:
    """Whether the parts found different best passages (else they ask one thing)."""
    tops = {a.hits[0].chunk_id for a in answers if a.hits}
    return len(tops) == len(answers)


def combined(question: str, parts: list[tuple[str, Answer]]) -> Answer:
    """One answer of the parts' answers: each part's statements renumbered into one list of sources."""
    sources: list[Hit] = []
    number: dict[str, int] = {}
    renumbered = []
    for asked, answer in parts:
        moved = {}
        for i, hit in enumerate(answer.sources, 1):
            if hit.chunk_id not in number:
                sources.append(hit)
                number[hit.chunk_id] = len(sources)
            moved[i] = number[hit.chunk_id]
        statements = tuple(replace(s, n=moved[s.n]) for s in answer.statements)
        renumbered.append((asked, replace(answer, statements=statements)))
    every = tuple(replace(a, sources=tuple(sources)) for _, a in renumbered)
    grounded = [a for a in every if a.grounded]
    lead = grounded[0] if grounded else every[0]
    hits: list[Hit] = []
    seen = set()
    for rank in range(max(len(a.hits) for a in every)):
        for a in every:
            if rank < len(a.hits) and a.hits[rank].chunk_id not in seen:
                seen.add(a.hits[rank].chunk_id)
                hits.append(a.hits[rank])
    return Answer(question, bool(grounded), tuple(s for a in every for s in a.statements), tuple(sources),
                  tuple(hits), lead.suggestions if not grounded else (), max(a.confidence for a in every),
                  lead.evidence, parts=tuple((asked, a) for (asked, _), a in zip(renumbered, every, strict=True)))
