"""Turn the notes' concepts and sentences into multiple-choice, true/false and fill-in-the-blank items."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass

from knowledge.quizbank.concepts import Concept, Fact, Term, extract
from knowledge.quizbank.similarity import Embedder, TermSpace, near_duplicate, overlap, share_stem
from knowledge.quizbank.text import (
    MODALS,
    Sentence,
    agree_verb,
    capitalize_first,
    content_stems,
    is_plural,
    mentions,
    norm_words,
    split_sentences,
    stands_alone,
    term_key,
    term_pattern,
    truncate_clause,
)
from knowledge.quizbank.validate import BLANK, MAX_EXPLANATION_CHARS, MAX_OPTION_CHARS, TRUE_FALSE, validate_item
from knowledge.text import section_key
from knowledge.types import Chunk, QuizItem

log = logging.getLogger(__name__)

MCQ_PER_CONCEPT = 2
MAX_STATEMENT_WORDS = 38
MAX_DESCRIPTION_CHARS = 230
# With real embeddings a distractor whose text says nearly the same as the answer's may be true too.
_ALSO_TRUE_OVERLAP = 0.5
_NEGATIONS = re.compile(r"\b(?:not|no|never|cannot|none|nothing|without)\b|n[’']t\b", re.IGNORECASE)


@dataclass
class _Bank:
    concepts: dict[str, Concept]
    terms: list[Term]
    space: TermSpace
    groups: dict[str, set[str]]  # concept key -> keys of the same thing under other names

    def related(self, key: str) -> set[str]:
        return self.groups.get(key, {key})

    def concept_texts(self, key: str) -> list[str]:
        c = self.concepts.get(key)
        return [f.sentence.text for f in c.facts] if c else []

    def concept_chunks(self, key: str) -> list[str]:
        c = self.concepts.get(key)
        return list({f.sentence.chunk.id: f.sentence.chunk.text for f in c.facts}.values()) if c else []


def build_quiz_bank(chunks: list[Chunk], embedder: Embedder | None = None) -> list[QuizItem]:
    """Every valid quiz item the notes support, in reading order; the same notes give the same items."""
    concepts, sentences, terms = extract(chunks)
    bank = _Bank(concepts, terms, TermSpace(terms, embedder), _alias_groups(concepts))
    used_for_mcq: set[tuple[str, str]] = set()  # (sentence, concept key) pairs already asked as MCQ
    items: list[tuple[int, int, QuizItem]] = []

    for concept in concepts.values():
        facts = sorted(concept.facts, key=lambda f: (not f.strong, f.sentence.chunk.order, f.sentence.index))
        made = 0
        for fact in facts:
            if made >= MCQ_PER_CONCEPT or (made and not fact.strong):
                break
            item = _mcq(bank, concept, fact)
            if item is not None and not validate_item(item):
                items.append((fact.sentence.chunk.order, fact.sentence.index, item))
                used_for_mcq.add((fact.sentence.text, concept.key))
                made += 1

    facts_by_sentence = {(f.sentence.chunk.id, f.sentence.index): (c, f) for c in concepts.values() for f in c.facts}
    for s in sentences:
        found = facts_by_sentence.get((s.chunk.id, s.index))
        for build in (_fill_blank, _true_false):
            item = build(bank, s, found, used_for_mcq)
            if item is None:
                continue
            problems = validate_item(item)
            if problems:
                log.debug("dropped %s from %s: %s", item.kind, s.chunk.title, "; ".join(problems))
                continue
            items.append((s.chunk.order, s.index, item))

    out: list[QuizItem] = []
    seen_ids: set[str] = set()
    seen_questions: set[str] = set()
    kind_order = {"mcq": 0, "fill_blank": 1, "true_false": 2}
    for _, _, item in sorted(items, key=lambda t: (t[0], t[1], kind_order[t[2].kind], t[2].id)):
        q = " ".join(norm_words(item.question))
        if item.id in seen_ids or q in seen_questions:
            continue
        seen_ids.add(item.id)
        seen_questions.add(q)
        out.append(item)
    log.info("quiz bank: %d items from %d chunks", len(out), len(chunks))
    return out


def _alias_groups(concepts: dict[str, Concept]) -> dict[str, set[str]]:
    """Concepts that name each other ("BERT (MLM)") are one thing: never each other's distractor."""
    parent = {k: k for k in concepts}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for c in concepts.values():
        for alias in c.aliases:
            other = term_key(alias)
            parent.setdefault(other, other)
            parent[find(other)] = find(c.key)
    groups: dict[str, set[str]] = {}
    for k in parent:
        groups.setdefault(find(k), set()).add(k)
    return {k: groups[find(k)] | {term_key(a) for a in concepts[k].aliases} for k in concepts}


def _item_id(kind: str, chunk: Chunk, question: str, answer: str) -> str:
    """Stable from the item's own content: its source, question and answer (not the distractors)."""
    raw = "\x00".join((kind, chunk.source, chunk.title, question, answer))
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _shuffle(answer: str, distractors: list[str], seed: str) -> tuple[tuple[str, ...], int]:
    """Options in an order fixed by the item's content, so rebuilding never moves the answer."""
    options = sorted([answer, *distractors], key=lambda o: hashlib.sha256(f"{seed}\x00{o}".encode()).hexdigest())
    return tuple(options), options.index(answer)


def _explanation(sentence: Sentence, extra: tuple[Sentence, ...] = ()) -> str:
    """The source sentence and what the notes say next about it, so the reveal adds a reason
    or a contrast instead of repeating the statement (the gate rejects an echo)."""
    text = sentence.text
    following = [s for s in split_sentences(sentence.chunk) if s.index > sentence.index]
    for s in (*extra, *following[:2]):
        if s.text in text:
            continue
        if s.ends_colon or s.text.endswith("?") or s.text[:1] in "“\"‘" or len(s.words) < 4:
            break  # an introduction to a list, a question or a quoted example: not an explanation
        if len(text) + 1 + len(s.text) > MAX_EXPLANATION_CHARS:
            break
        text += " " + s.text
    return text


def _pick_distractors(
    bank: _Bank,
    answer_key: str,
    answer_names: list[str],
    question: str,
    *,
    plural: bool | None = None,
    concepts_only: bool = False,
    strict: bool = False,
    n: int = 3,
) -> list[str]:
    """The ``n`` terms closest in meaning to the answer that are still clearly wrong for this question."""
    related = bank.related(answer_key)
    answer_text = " ".join(bank.concept_chunks(answer_key)) or question
    scored: list[tuple[float, str, Term]] = []
    for t in bank.terms:
        if t.key in related or (concepts_only and not t.is_concept) or len(t.text) > MAX_OPTION_CHARS:
            continue
        if any(near_duplicate(t.text, name) for name in answer_names) or mentions(question, t.text):
            continue
        if len(content_stems(t.text) & content_stems(question)) >= 2:
            continue  # "vanishing gradient problem" for a question about solving vanishing gradients
        if any(overlap(question, text) >= _ALSO_TRUE_OVERLAP for text in bank.concept_texts(t.key)):
            continue  # its own description says much the same: it might be right too
        if strict and (
            any(share_stem(t.text, name) for name in answer_names)
            or mentions(answer_text, t.text)
            or any(mentions(text, name) for text in bank.concept_chunks(t.key) for name in answer_names)
        ):
            continue  # related things: swapping one for the other could still be true
        score = bank.space.sim(answer_key, t.key) + (0.05 if t.is_concept else 0.0)
        if plural is not None and is_plural(t.text) == plural:
            score += 0.1
        scored.append((score, t.key, t))
    chosen: list[str] = []
    for _, _, t in sorted(scored, key=lambda s: (-s[0], s[1])):
        if any(near_duplicate(t.text, c) for c in chosen):
            continue
        chosen.append(t.text)
        if len(chosen) == n:
            break
    return chosen


# ------------------------------------------------------------------------- multiple choice


def _mcq(bank: _Bank, concept: Concept, fact: Fact) -> QuizItem | None:
    """Which concept does this definition describe? Options are four terms from the notes."""
    pred = fact.predicate.rstrip(" .").strip()
    more = " ".join(s.text for s in fact.extra)
    if not fact.verb:
        said = truncate_clause(f"{fact.sentence.text} {more}".strip(), MAX_DESCRIPTION_CHARS)
        question = f"Which concept do the notes explain this way: “{said}”"
    elif fact.verb in {":", "="}:
        question = f"Which of these do the notes describe as “{truncate_clause(pred, MAX_DESCRIPTION_CHARS)}”?"
    else:
        desc = truncate_clause(pred, MAX_DESCRIPTION_CHARS)
        if more and len(desc) + len(more) < MAX_DESCRIPTION_CHARS:
            desc += f" ({more[:1].lower() + more[1:].rstrip('.')})"
        question = f"Which of these {fact.verb} {desc.rstrip('.…')}?"
    names = [concept.term, *concept.aliases, fact.term]
    if any(mentions(question, name) for name in names):
        return None
    distractors = _pick_distractors(bank, concept.key, names, question, concepts_only=True)
    if len(distractors) < 3:
        distractors += _pick_distractors(bank, concept.key, names + distractors, question, n=3 - len(distractors))
    if len(distractors) < 3:
        return None
    answer = fact.term if len(fact.term) <= MAX_OPTION_CHARS else concept.term
    chunk = fact.sentence.chunk
    item_id = _item_id("mcq", chunk, question, answer)
    options, index = _shuffle(answer, distractors, item_id)
    return QuizItem(
        item_id, "mcq", question, options, index, _explanation(fact.sentence, fact.extra),
        chunk.title, chunk.source, section_key(chunk.title),
    )


# ------------------------------------------------------------------------- fill in the blank


def _quizzable(s: Sentence, fact: Fact | None) -> bool:
    words = norm_words(s.text)
    if sum(any(ch.isdigit() for ch in w) for w in words) >= 2 or len(words) > MAX_STATEMENT_WORDS:
        return False  # lists of figures are trivia, not concepts
    if stands_alone(s.text, s.bullet and fact is None):
        return True
    # A definition may say "we" ("X is when we show the model ...") and still stand alone.
    return fact is not None and fact.strong and bool(fact.verb) and s.text[-1] in ".!" and len(words) >= 6 and not {
        "i", "my", "you", "your", "me"
    } & set(words)


def _fill_blank(bank: _Bank, s: Sentence, found, used_for_mcq) -> QuizItem | None:
    """Blank one key term of a statement; the options are four candidate terms."""
    concept, fact = found if found else (None, None)
    if not _quizzable(s, fact):
        return None
    spans = {t.key: list(term_pattern(t.text).finditer(s.text)) for t in bank.terms}
    all_hits = [m for hits in spans.values() for m in hits]
    candidates = []
    for t in bank.terms:
        hits = spans[t.key]
        if len(hits) != 1:
            continue
        m = hits[0]
        if any(o.start() <= m.start() and m.end() <= o.end() and o.group(0) != m.group(0) for o in all_hits):
            continue  # part of a longer key term ("token" inside "[MASK] token")
        if s.text[: m.start()].count("(") > s.text[: m.start()].count(")"):
            continue  # an aside in parentheses is a detail, not the point of the sentence
        at_start = not s.text[: m.start()].strip(" “\"").lower().removeprefix("the").removeprefix("an").strip(" a")
        if at_start and concept is not None and (s.text, concept.key) in used_for_mcq:
            continue  # the MCQ already asks for this term from this sentence
        candidates.append((at_start, not t.is_concept, -len(m.group(0)), t.key, t, m))
    if not candidates:
        return None
    *_, term, m = min(candidates, key=lambda c: c[:4])
    surface = m.group(0)
    # Two key terms that overlap ("[MASK]" inside "[MASK] token in BERT"): blank the longer one.
    before = s.text[: m.start()]
    # "An ____" would give a vowel-initial answer away.
    before = re.sub(r"(?<![\w-])(a|an)\s+$", lambda a: ("A(n) " if a.group(1)[0].isupper() else "a(n) "), before,
                    flags=re.IGNORECASE)
    blanked = before + BLANK + s.text[m.end() :]
    names = [term.text, surface, *(bank.concepts[term.key].aliases if term.key in bank.concepts else ())]
    if any(mentions(blanked.replace(BLANK, " "), n) for n in names):
        return None
    question = f"Fill in the blank: {blanked}"
    distractors = _pick_distractors(bank, term.key, names, blanked, plural=is_plural(surface))
    if len(distractors) < 3:
        return None
    if surface[:1].isupper() and m.start() == 0:
        distractors = [capitalize_first(d) for d in distractors]
    chunk = s.chunk
    item_id = _item_id("fill_blank", chunk, question, surface)
    options, index = _shuffle(surface, distractors, item_id)
    extra = fact.extra if fact else ()
    return QuizItem(
        item_id, "fill_blank", question, options, index, _explanation(s, extra),
        chunk.title, chunk.source, section_key(chunk.title),
    )


# ------------------------------------------------------------------------- true / false


def _swapped(bank: _Bank, concept: Concept, fact: Fact) -> str | None:
    """The definition with a different, unrelated concept as its subject: definitely false."""
    m = re.match(
        rf"^(?:(?:The|An|A)\s+)?[“\"]?{re.escape(fact.term)}[”\"]?(?:\s*\([^)]*\))?\s*{re.escape(fact.verb)}(?=\s)",
        fact.sentence.text,
    )
    if not m or fact.verb in {":", "="}:
        return None
    rest = fact.sentence.text[m.end() :]
    names = [concept.term, fact.term, *concept.aliases]
    for other in _pick_distractors(
        bank, concept.key, names, fact.sentence.text, concepts_only=True, strict=True, n=6
    ):
        verb_parts = fact.verb.split(" ", 1)
        if is_plural(other) != is_plural(fact.term) and verb_parts[0] not in MODALS:
            continue  # "X are predictors", "X process ... and solve ...": the rest agrees with the subject too
        if share_stem(other, fact.sentence.text) or any(
            overlap(fact.sentence.text, text) >= 0.15 for text in bank.concept_chunks(term_key(other))
        ):
            continue  # the statement is partly about it already: swapped in, it might be true
        new_verb = agree_verb(verb_parts[0], is_plural(other))
        if new_verb is None:
            continue
        verb = " ".join([new_verb, *verb_parts[1:]])
        subject = other if other[:1].isupper() or other[:1] == "[" else f"The {other}"
        return f"{subject} {verb}{rest}"
    return None


_IS = r"(?<![\w-])(is|are|was|were)(?![\w-])"
_CAN = r"(?<![\w-])can(?![\w-])"


def _flipped(text: str, copula_subject: bool) -> str | None:
    """The statement with its one clear modal or copula negated (or un-negated).

    Only single-clause statements: with a second clause ("..., and ...", "but") a negation
    may leave the whole sentence half true.
    """
    if re.search(r"[;:—–]|\b(?:but|although|though|however|while|whereas|unless|and|or)\b", text):
        return None
    negs = _NEGATIONS.findall(text)
    if len(negs) == 1:
        for pattern, repl in ((r"\bcannot\b", "can"), (_IS + r" not\b", r"\1")):
            if len(re.findall(pattern, text)) == 1:
                return re.sub(pattern, repl, text, count=1)
        return None
    if negs:
        return None
    cans, copulas = re.findall(_CAN, text), re.findall(_IS, text)
    if len(cans) == 1 and not copulas:
        return re.sub(_CAN, "cannot", text, count=1)
    if copula_subject and len(copulas) == 1 and not cans and not re.search(_IS + r" (?:like|when|about|that)\b", text):
        return re.sub(_IS, r"\1 not", text, count=1)
    return None


def _true_false(bank: _Bank, s: Sentence, found, used_for_mcq) -> QuizItem | None:
    """A real statement from the notes, or one carefully made false; the explanation is the real one."""
    concept, fact = found if found else (None, None)
    if not _quizzable(s, fact) or s.text.endswith("?"):
        return None
    false = None
    if concept is not None and fact is not None:
        false = _swapped(bank, concept, fact)
    if false is None:
        false = _flipped(s.text, fact is not None and fact.verb in {"is", "are"})
    digest = int(hashlib.sha256(s.text.encode()).hexdigest(), 16)
    # Roughly half the statements are shown false, decided by their content so rebuilds agree.
    statement, answer = (false, 1) if false is not None and digest % 5 < 3 else (s.text, 0)
    question = f"True or false: {statement}"
    chunk = s.chunk
    item_id = _item_id("true_false", chunk, question, TRUE_FALSE[answer])
    extra = fact.extra if fact else ()
    return QuizItem(
        item_id, "true_false", question, TRUE_FALSE, answer, _explanation(s, extra),
        chunk.title, chunk.source, section_key(chunk.title),
    )
