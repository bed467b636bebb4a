"""Find the concepts a set of notes teaches, and the key terms they use.

A concept is a term plus the sentences that say what it is or does, found by general rules:

- definition sentences: "X is/are …", "X (Y) is …", "X = …", "X: …", "X involves/means/refers to …";
- heading questions: "What is X?" answered by the section's first sentences;
- noun-phrase headings whose section opens with "This is …" / "It is …";
- sentences opening with a term already known to be a concept ("Transformers use …").

Key terms are the concepts plus terms that look technical wherever they appear: acronyms,
bracketed tokens ("[MASK]"), and hyphenated or -ization words the notes use more than once.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from knowledge.quizbank.text import (
    GENERIC_NOUNS,
    MODALS,
    WORD,
    Sentence,
    first_word,
    mentions,
    norm_words,
    split_sentences,
    stands_alone,
    stem,
    term_key,
)
from knowledge.text import STOPWORDS, TITLE_SEP
from knowledge.types import Chunk

_STRONG_VERBS = r"(?<=\s)(?:is|are|means|refers to|(?:simply\s+)?consists of|involves|acts like|acts as)\b|=|:"
_DEFINITION = re.compile(
    r"^(?:(?:The|An|A)\s+)?[“\"]?(?P<term>[^\s,;:“”\"()][^,;:“”\"()=]{0,48}?)[”\"]?\s*"
    r"(?:\((?P<alias>[^)]{1,50})\)\s*)?(?P<verb>" + _STRONG_VERBS + r")\s+(?P<pred>\S.*)$"
)
_HEADING_QUESTION = re.compile(r"^(?:what|who)\s+(?:is|are)\s+(?P<x>.+?)\s*\??$", re.IGNORECASE)
_STEP_PREFIX = re.compile(r"^(?:step|part|stage|phase)\s*\d+\s*[:.)–—-]\s*|^\d+[.)]\s*", re.IGNORECASE)
_EXPLAIN_OPENER = re.compile(r"^(?:this|it|these|they)\s+(?:is|are)\b", re.IGNORECASE)
_NOT_VERBS = STOPWORDS | {"vs", "versus", "token", "tokens"}
_LEAN_TERM_START = frozenset(
    """it it's this that these those they there here so but and or now yes no each every another some many
    most all one any such other both either neither why how what when where who which if once while after
    before during in on at for with by from to as our my your their his her its""".split()
)


@dataclass
class Fact:
    """A sentence that says what a concept is or does."""

    sentence: Sentence
    term: str  # the concept's term as the sentence writes it
    verb: str  # the verb right after the term ("is", "involves", "=", ...), "" for an explanation
    predicate: str  # what follows the verb
    strong: bool  # a definition (is/means/involves ...) rather than any statement about the term
    extra: tuple[Sentence, ...] = ()  # following sentences that continue it ("It involves ...")


@dataclass
class Concept:
    key: str
    term: str
    aliases: set[str] = field(default_factory=set)
    facts: list[Fact] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [self.term, *sorted(self.aliases)]

    @property
    def text(self) -> str:
        return " ".join(f.sentence.text for f in self.facts)

    @property
    def chunk_ids(self) -> set[str]:
        return {f.sentence.chunk.id for f in self.facts}


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    key: str
    is_concept: bool
    context: str  # sentences that use it, for similarity


def _good_term(term: str, known: set[str] | None = None) -> bool:
    words = term.split()
    if not words or len(words) > 5 or not re.search(r"[A-Za-z]", term):
        return False
    low = [w.lower().strip("“”\"‘’").replace("’", "'") for w in words]
    if any(q in term for q in "“”\"‘’"):
        return False
    if low[0] in _LEAN_TERM_START or low[0] in GENERIC_NOUNS or " ".join(low) in GENERIC_NOUNS:
        return False
    if any(w in {"is", "are", "was", "were", "be", "not", "in", "of", "for"} for w in low[:1]) or any(
        w in {"is", "are", "was", "were", "be", "not"} for w in low
    ):
        return False
    if any(ch.isdigit() for ch in term):
        return False
    return True


def _clean_term(term: str) -> str:
    term = term.strip().strip("“”\"'’‘").strip()
    return re.sub(r"\s+", " ", term)


def _continuations(sentences: list[Sentence], i: int, limit_words: int = 40) -> tuple[Sentence, ...]:
    """Sentences right after ``i`` that go on about the same subject ("It involves ...")."""
    out: list[Sentence] = []
    words = len(sentences[i].words)
    for s in sentences[i + 1 :]:
        if s.bullet or first_word(s.text) not in {"it", "they"} or s.text.endswith("?"):
            break
        words += len(s.words)
        if words > limit_words:
            break
        out.append(s)
    return tuple(out)


def _first_noun(text: str) -> str:
    words = norm_words(text)
    return words[1] if len(words) > 1 and words[0] in {"the", "an", "a"} else (words[0] if words else "")


def _heading_term(part: str) -> tuple[str, str | None] | None:
    """A concept name from a heading: "What is an RNN in simple terms?" → "RNN"."""
    if m := _HEADING_QUESTION.match(part.strip()):
        x = m.group("x")
        x = re.split(r"\s+(?:and|in|of|for|compared)\s+|\s*\(", x, maxsplit=1)[0]
        for art in ("the ", "an ", "a "):
            if x.lower().startswith(art):
                x = x[len(art):]
        return (_clean_term(x), "question") if _good_term(x) else None
    part = _STEP_PREFIX.sub("", part.strip())
    part = re.sub(r"\s*\([^)]*\)\s*$", "", part).strip()
    if part.endswith(("?", "…", "...")) or not _good_term(part) or len(part.split()) > 4:
        return None
    return _clean_term(part), "noun"


def _salient_counts(chunks: list[Chunk]) -> Counter[str]:
    """How many chunks mention each technical-looking word (acronym, [TOKEN], hyphenated, -ization)."""
    counts: Counter[str] = Counter()
    for chunk in chunks:
        seen: set[str] = set()
        for text in (chunk.text, chunk.title.split(TITLE_SEP)[-1]):
            for w in WORD.findall(text):
                w = w.rstrip(".’'")
                if _technical(w):
                    seen.add(w)
        counts.update(seen)
    return counts


def _technical(w: str) -> bool:
    if any(ch.isdigit() for ch in w) or len(w) < 3:
        return False
    if re.fullmatch(r"\[[A-Z]+\]", w):
        return True
    if sum(ch.isupper() for ch in w) >= 2 and re.fullmatch(r"[A-Za-z]+", w):
        return True
    if re.fullmatch(r"[a-z]+-[a-z]+", w) and not w.startswith(("non-", "re-")):
        return True
    return bool(re.fullmatch(r"[a-z]+(?:ization|isation|propagation)", w.lower()))


def extract(chunks: list[Chunk]) -> tuple[dict[str, Concept], list[Sentence], list[Term]]:
    """Concepts by key, every sentence of the notes in order, and the key-term vocabulary."""
    sentences_by_chunk = {c.id: split_sentences(c) for c in chunks}
    all_sentences = [s for c in chunks for s in sentences_by_chunk[c.id]]
    concepts: dict[str, Concept] = {}

    def add(term: str, alias: str | None, fact: Fact | None) -> Concept:
        # "The [MASK] token in BERT is ..." is about the [MASK] token; BERT is where it lives.
        term = re.split(r"\s+(?:in|of|for)\s+", term, maxsplit=1)[0]
        key = term_key(term)
        concept = concepts.get(key)
        if concept is None:
            concept = concepts[key] = Concept(key, term)
        if alias and _good_term(alias) and term_key(alias) != key and not alias.lower().startswith(
            ("like ", "a ", "an ", "the ", "for ", "e.g", "which ")
        ):
            concept.aliases.add(_clean_term(alias))
        if fact is not None and all(f.sentence.text != fact.sentence.text for f in concept.facts):
            concept.facts.append(fact)
        return concept

    heading_heads: set[str] = set()

    # Pass 1: definition sentences and headings.
    for chunk in chunks:
        sents = sentences_by_chunk[chunk.id]
        for i, s in enumerate(sents):
            m = _DEFINITION.match(s.text)
            if not m or s.text.endswith("?") or not _quote_ok(s.text):
                continue
            term = _clean_term(m.group("term"))
            if not _good_term(term) or (m.group("verb") in {":", "="} and not _term_like(term, chunks)):
                continue
            verb = re.sub(r"^simply\s+", "", m.group("verb"))
            add(term, m.group("alias"), Fact(s, term, verb, m.group("pred"), True, _continuations(sents, i)))
        heading = _heading_term(chunk.title.split(TITLE_SEP)[-1])
        if heading and sents:
            term, how = heading
            lead = sents[0]
            if stem(_first_noun(lead.text)) == stem(first_word(term)):
                # The section opens by naming it: passes 1 and 2 read that sentence as a definition.
                heading_heads.add(term_key(term.split()[0]))
                continue
            if how == "question" or _EXPLAIN_OPENER.match(lead.text):
                more = _continuations(sents, 0)
                if not lead.text.endswith(("?", ":")) and len(lead.words) + sum(len(x.words) for x in more) >= 8:
                    add(term, None, Fact(lead, term, "", lead.text, True, more))

    # Pass 2: any statement that opens with a known concept (or a named term) and a verb.
    salient = _salient_counts(chunks)
    known = (
        {k for k, c in concepts.items() if c.facts}
        | {term_key(w) for w, n in salient.items() if n >= 2 and any(ch.isupper() for ch in w)}
        | {term_key(w) for w, n in _capitalised_mid_sentence(chunks).items() if n >= 2}
        | heading_heads
    )
    for chunk in chunks:
        sents = sentences_by_chunk[chunk.id]
        for i, s in enumerate(sents):
            if not stands_alone(s.text, s.bullet) or not (m := _opening(s.text, known)):
                continue
            term, alias, verb, pred = m
            if _good_term(term):
                add(term, alias, Fact(s, term, verb, pred, False, _continuations(sents, i)))

    concepts = {k: c for k, c in concepts.items() if c.facts}
    return concepts, all_sentences, _vocabulary(concepts, chunks, salient, all_sentences)


def _opening(text: str, known: set[str]) -> tuple[str, str | None, str, str] | None:
    """(term, alias, verb, rest) when the sentence opens with a known term followed by a verb."""
    words = text.split()
    start = 1 if words and words[0].lower() in {"the", "an", "a"} else 0
    for n in range(min(5, len(words) - 2), 0, -1):  # longest known term first
        term = _clean_term(" ".join(words[start : start + n]))
        if term_key(term) not in known:
            continue
        rest = words[start + n :]
        alias = None
        if rest and rest[0].startswith("("):
            close = next((k for k, w in enumerate(rest) if w.endswith(")")), None)
            if close is None:
                return None
            alias = " ".join(rest[: close + 1])[1:-1]
            rest = rest[close + 1 :]
        if len(rest) < 3 or not re.fullmatch(r"[a-z][a-z']+", rest[0]) or rest[0] in _NOT_VERBS - MODALS:
            return None
        return term, alias, rest[0], " ".join(rest[1:])
    return None


def _term_like(term: str, chunks: list[Chunk]) -> bool:
    """A term that names something: capitalised inside, hyphenated, or a heading's subject."""
    if any(ch.isupper() for ch in term[1:]) or "-" in term:
        return True
    return any(mentions(c.title, term) for c in chunks)


def _quote_ok(text: str) -> bool:
    """Not a quoted example line; a quote around the opening term ("“X” is ...") is fine."""
    if text[:1] not in "“\"‘'":
        return True
    return bool(re.match(r"^[“\"][^”\"‘’]{1,40}[”\"]\s+\w", text))


def _capitalised_mid_sentence(chunks: list[Chunk]) -> Counter[str]:
    """Capitalised words after a lowercase word ("... of Transformers"): names, counted per chunk."""
    counts: Counter[str] = Counter()
    for chunk in chunks:
        found: set[str] = set()
        for text in (chunk.text, chunk.title):
            words = re.findall(r"[\w’'-]+", text)
            for prev, w in zip(words, words[1:], strict=False):
                if w[:1].isupper() and prev[:1].islower() and prev.lower() not in {"i"}:
                    found.add(w)
        counts.update(found)
    return counts


def _vocabulary(
    concepts: dict[str, Concept], chunks: list[Chunk], salient: Counter[str], sentences: list[Sentence]
) -> list[Term]:
    n_chunks = max(1, len(chunks))
    terms: dict[str, Term] = {}

    def context_of(text: str) -> str:
        return " ".join(s.text for s in sentences if mentions(s.text, text))[:2000]

    for c in concepts.values():
        terms[c.key] = Term(c.term, c.key, True, c.text)
    for w, n in sorted(salient.items()):
        key = term_key(w)
        if key in terms or n < 2:
            continue
        terms[key] = Term(w, key, False, context_of(w))
    # Words in nearly every chunk ("LLM" in notes about LLMs) are the subject, not a key term.
    common = {
        k for k, t in terms.items()
        if sum(1 for c in chunks if mentions(c.text, t.text)) > max(3, 0.25 * n_chunks)
    }
    return [t for k, t in sorted(terms.items()) if k not in common and norm_words(t.text)]
