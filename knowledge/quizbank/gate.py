"""The strict quality gate every generated item passes before a student sees it.

``validate_item`` checks that an item is well formed; this gate checks that it is worth
answering, by rules a teacher would apply (RUBRIC.md lists them):

- the explanation adds a sentence beyond the statement (no echo);
- every option fits the blank's grammar like the key (number, capitalisation);
- the options are of one kind (names with names, processes with processes);
- no word of the question points at the key ("tokens" → "Tokenization");
- no platitude ("... is crucial"), hedge ("may", "often") or absolute claim ("always", "solves");
- no vague referent ("The model ...", "this adjustment");
- no table row or list flattened into a sentence;
- no distractor that the notes describe in the question's own words (it may be right too);
- no typo copied from the notes;

and, over the whole bank: one item per fact (near-duplicates dropped), True and False
balanced within 45–55 %, and no distractor used more than ``DISTRACTOR_CAP`` times.
Fewer good items beat many weak ones: when in doubt, an item is dropped, with its reasons
kept for ``studybuddy quiz bank --rejected``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from spellchecker import SpellChecker

from knowledge.quizbank.similarity import overlap, share_stem
from knowledge.quizbank.text import content_stems, is_plural, mentions, norm_words, split_sentences, stem
from knowledge.quizbank.validate import BLANK
from knowledge.text import sentences as split_text
from knowledge.types import Chunk, QuizItem

DISTRACTOR_CAP = 3
TRUE_SHARE = (0.45, 0.55)
# Two questions sharing this much of their content words ask the same fact.
DUPLICATE_OVERLAP = 0.55
_STATEMENT_PREFIXES = ("True or false:", "Fill in the blank:")

_HEDGES = re.compile(
    r"\b(?:may|might|could|often|sometimes|usually|generally|typically|mostly|some|certain|relatively|"
    r"somewhat|fairly|arguably|roughly|in certain ways|in some ways|tends? to|kind of|sort of)\b",
    re.IGNORECASE,
)
_PLATITUDES = re.compile(
    r"\b(?:in short|in summary|to sum up|overall|crucial|important|essential|key|significant(?:ly)?|"
    r"improves?|better|good|great|useful|powerful|helps?|matters?|is about)\b",
    re.IGNORECASE,
)
_ABSOLUTES = re.compile(
    r"\b(?:all|always|never|every|everything|any|only|none|nothing|solves?|eliminates?|guarantees?|"
    r"completely|entirely|perfectly)\b",
    re.IGNORECASE,
)
_VAGUE_SUBJECT = re.compile(
    r"^(?:(?:the|a|an)\s+)?(?:model|network|system|algorithm|method|approach|process|technique|tool|"
    r"it|this|that|these|those|they|he|she)\b",
    re.IGNORECASE,
)
_VAGUE_DETERMINER = re.compile(r"\b(?:this|that|these|those)\s+[a-z]", re.IGNORECASE)
_MCQ_TEMPLATE = re.compile(r"^Which (?:of these|concept)\b[^?]*?", re.IGNORECASE)
_PROCESS_HEAD = re.compile(r"(?:ion|ment|sis)s?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Rejected:
    """A candidate item the quality gate dropped, and why (for ``quiz bank --rejected``)."""

    question: str
    reasons: tuple[str, ...]
    source: str = ""


@lru_cache(maxsize=1)
def _speller() -> SpellChecker:
    # Edit distance 1 only: "hellucinations" → "hallucinations", not "subword" → "sword".
    return SpellChecker(distance=1)


class Gate:
    """The rules above, read against one set of notes (its sentences and its word counts)."""

    def __init__(self, chunks: Sequence[Chunk]) -> None:
        self.sentences = [s.text for c in chunks for s in split_sentences(c)]
        text = " ".join(f"{c.title} {c.text}" for c in chunks)
        self.word_counts = Counter(w.lower() for w in re.findall(r"[A-Za-z]+", text))

    # ----------------------------------------------------------------- one item

    def reasons(self, item: QuizItem) -> list[str]:
        """Why ``item`` is not good enough to post; an empty list means it passes."""
        out: list[str] = []
        statement = _statement(item)
        out += self._echo(item, statement)
        out += _claim_style(item, statement)
        out += _vague(item, statement)
        if _flattened_list(statement) or _flattened_list(item.explanation.split(". ")[0]):
            out.append("a table row or list flattened into a sentence")
        if item.kind in ("mcq", "fill_blank"):
            key = item.options[item.answer]
            wrong = [o for i, o in enumerate(item.options) if i != item.answer]
            out += _pointer(statement, key)
            out += _mixed_kinds(key, wrong)
            if item.kind == "fill_blank":
                out += _grammar(item.question, key, wrong)
            out += self._also_right(statement, key, wrong)
        elif item.answer == 1:
            out += self._swapped_in(statement, item.explanation)
        out += self._typos(item)
        return out

    def _echo(self, item: QuizItem, statement: str) -> list[str]:
        """The explanation must hold a sentence that says more than the question and its key."""
        shown = f"{statement} {item.options[item.answer]}"
        for sentence in split_text(item.explanation):
            new = content_stems(sentence) - content_stems(shown)
            if len(new) >= 3 and overlap(sentence, shown) < 0.5:
                return []
        return ["the explanation only repeats the statement; it must add the reason or a contrast"]

    def _also_right(self, statement: str, key: str, wrong: list[str]) -> list[str]:
        """A distractor the notes describe with the question's own words may be right as well."""
        asked = content_stems(statement) - content_stems(key)
        out = []
        for opt in wrong:
            own = content_stems(opt)
            for sentence in self.sentences:
                if mentions(sentence, opt) and not mentions(sentence, key):
                    shared = (content_stems(sentence) & asked) - own
                    if len(shared) >= 2:
                        out.append(
                            f"option {opt!r} is described in the notes with the question's words "
                            f"({', '.join(sorted(shared)[:3])}): it may be right too"
                        )
                        break
        return out

    def _swapped_in(self, statement: str, explanation: str) -> list[str]:
        """A False statement made by swapping in another term must not be true of that term too."""
        source = split_text(explanation)[:1]
        if not source:
            return []
        swapped = [w for w in re.findall(r"[\w\[\]-]+", statement) if not mentions(source[0], w)]
        asked = content_stems(statement) - content_stems(" ".join(swapped))
        for term in swapped:
            if term.lower() in {"the", "a", "an", "not"} or len(term) < 3:
                continue
            for sentence in self.sentences:
                if sentence != source[0] and mentions(sentence, term):
                    shared = content_stems(sentence) & asked
                    if len(shared) >= 2:
                        return [
                            f"made false by swapping in {term!r}, but the notes say much the same of it "
                            f"({', '.join(sorted(shared)[:3])}): it may be true"
                        ]
        return []

    def _typos(self, item: QuizItem) -> list[str]:
        """A word the notes use once, unknown to an English word list, one letter from a known word."""
        speller = _speller()
        found = []
        for text in (item.question, item.explanation, *item.options):
            for w in re.findall(r"(?<![\w’'–—-])[a-z]{4,}(?![\w’'–—-])", text):
                if self.word_counts[w] <= 1 and w not in speller:
                    fix = speller.correction(w)
                    if fix and fix != w:
                        found.append(f"{w!r} (→ {fix!r})")
        return [f"copies a typo from the notes: {', '.join(sorted(set(found)))}"] if found else []

    # ----------------------------------------------------------------- the bank

    def select(
        self, candidates: Sequence[QuizItem], curated: Sequence[QuizItem] = ()
    ) -> tuple[list[QuizItem], list[Rejected]]:
        """The candidates that pass every rule, one per fact, with distractors capped; and the rest."""
        kept: list[QuizItem] = []
        rejected: list[Rejected] = []
        uses = Counter(o.casefold() for it in curated if it.kind != "true_false"
                       for i, o in enumerate(it.options) if i != it.answer)
        for item in candidates:
            reasons = self.reasons(item)
            same = next((o for o in (*curated, *kept) if _same_fact(o, item)), None)
            if same is not None:
                reasons.append(f"asks the same fact as: {same.question[:80]}")
            if not reasons and item.kind != "true_false":
                over = [o for i, o in enumerate(item.options)
                        if i != item.answer and uses[o.casefold()] >= DISTRACTOR_CAP]
                if over:
                    reasons.append(f"distractor {over[0]!r} already used {DISTRACTOR_CAP} times")
            if reasons:
                rejected.append(Rejected(item.question, tuple(reasons), item.source_title))
                continue
            kept.append(item)
            if item.kind != "true_false":
                uses.update(o.casefold() for i, o in enumerate(item.options) if i != item.answer)
        return kept, rejected


def balance_true_false(
    items: Sequence[QuizItem], removable: set[str]
) -> tuple[list[QuizItem], list[Rejected]]:
    """Drop removable true/false items of the larger side until True is 45–55 % of them.

    Always answering "True" must not pay. Items are dropped from the end (the bank's gap
    fillers come last); items not in ``removable`` (hand-written ones) are never dropped.
    """
    items = list(items)
    dropped: list[Rejected] = []
    while True:
        tf = [i for i in items if i.kind == "true_false"]
        trues = sum(1 for i in tf if i.answer == 0)
        if not tf or TRUE_SHARE[0] <= trues / len(tf) <= TRUE_SHARE[1]:
            break
        majority = 0 if trues / len(tf) > TRUE_SHARE[1] else 1
        victim = next((i for i in reversed(items) if i.kind == "true_false" and i.answer == majority
                       and i.id in removable), None)
        if victim is None:
            break
        items.remove(victim)
        side = "True" if majority == 0 else "False"
        dropped.append(Rejected(victim.question, (f"too many {side} statements: True must be 45–55 %",),
                                victim.source_title))
    return items, dropped


def true_share(items: Sequence[QuizItem]) -> float | None:
    tf = [i for i in items if i.kind == "true_false"]
    return sum(1 for i in tf if i.answer == 0) / len(tf) if tf else None


# --------------------------------------------------------------------- rules on text alone


def _statement(item: QuizItem) -> str:
    text = item.question
    for prefix in _STATEMENT_PREFIXES:
        text = text.removeprefix(prefix)
    return text.strip()


def _claim_style(item: QuizItem, statement: str) -> list[str]:
    out = []
    probe = _MCQ_TEMPLATE.sub("", statement) if item.kind == "mcq" else statement
    if m := _HEDGES.search(probe):
        out.append(f"hedged ({m.group(0)!r}): neither True nor False is clearly right")
    if m := _PLATITUDES.search(probe):
        out.append(f"a platitude ({m.group(0)!r}): anyone would mark it True")
    if item.kind == "true_false" and (m := _ABSOLUTES.search(probe)):
        out.append(f"an absolute claim ({m.group(0)!r}): the notes may qualify it elsewhere")
    return out


def _vague(item: QuizItem, statement: str) -> list[str]:
    probe = _MCQ_TEMPLATE.sub("", statement).strip(" “\"") if item.kind == "mcq" else statement.strip(" “\"")
    if item.kind == "mcq":
        probe = re.sub(r"^(?:describe|involves?|is|are|means?|do the notes \w+ (?:this way|as))\b", "", probe).strip()
    if m := _VAGUE_SUBJECT.match(probe) if item.kind != "mcq" else None:
        return [f"vague subject ({m.group(0)!r}): name what it is"]
    if m := _VAGUE_DETERMINER.search(_MCQ_TEMPLATE.sub("", statement)):
        return [f"vague referent ({m.group(0)[:-2]!r}): it leans on a sentence the student does not see"]
    return []


def _flattened_list(text: str) -> bool:
    """A table row or a list run together: semicolons, or three or more short comma-separated items."""
    if ";" in text:
        return True
    parts = [p.strip() for p in re.split(r",|\band\b|\bor\b", text) if p.strip()]
    short = [p for p in parts if len(p.split()) <= 3]
    return len(parts) >= 4 and len(short) >= 3


def _pointer(statement: str, key: str) -> list[str]:
    """A question word that shares its stem with the key gives it away."""
    asked = statement.replace(BLANK, " ")
    for w in norm_words(key):
        if len(w) < 4:
            continue
        for q in norm_words(asked):
            if len(q) >= 4 and (stem(q) == stem(w) or (len(stem(q)) >= 5 and stem(w).startswith(stem(q)))
                                or (len(stem(w)) >= 5 and stem(q).startswith(stem(w)))):
                return [f"the question's word {q!r} points at the answer {key!r}"]
    return []


def term_kind(term: str) -> str:
    """A rough kind for an option: a name ("RAG", "Self-Consistency"), a process ("tokenization"), a thing."""
    words = term.replace("-", " ").split()
    if not words:
        return "thing"
    if any(w.isupper() and len(w) > 1 for w in words) or any(w[1:] != w[1:].lower() for w in words) or "[" in term:
        return "name"
    if len(words) > 1 and all(w[:1].isupper() for w in words):
        return "name"
    return "process" if _PROCESS_HEAD.search(words[-1]) else "thing"


def _mixed_kinds(key: str, wrong: list[str]) -> list[str]:
    kind = term_kind(key)
    odd = [o for o in wrong if term_kind(o) != kind]
    if odd:
        return [f"options of mixed kinds: {key!r} is a {kind}, {odd[0]!r} a {term_kind(odd[0])}"]
    return []


def _case(term: str) -> str:
    first = term.split()[0] if term.split() else term
    if first.isupper() or first.startswith("["):
        return "acronym"
    return "capital" if first[:1].isupper() else "lower"


def _grammar(question: str, key: str, wrong: list[str]) -> list[str]:
    """Every option must read as well in the blank as the key: same number and capitalisation."""
    at_start = question.split(BLANK)[0].rstrip().endswith(":")
    out = []
    for opt in wrong:
        if is_plural(opt) != is_plural(key):
            out.append(f"option {opt!r} does not fit the blank's number like {key!r}")
        elif not at_start and _case(opt) != _case(key) and "acronym" not in (_case(opt), _case(key)):
            out.append(f"option {opt!r} is capitalised differently from {key!r}: the blank gives the key away")
    return out


def _same_fact(a: QuizItem, b: QuizItem) -> bool:
    """Two items about one fact: same source sentence, or questions that share most of their words."""
    first_a = split_text(a.explanation)[:1]
    first_b = split_text(b.explanation)[:1]
    if first_a and first_a == first_b and a.source_title == b.source_title:
        return True
    qa = f"{_statement(a)} {a.options[a.answer] if a.kind != 'true_false' else ''}"
    qb = f"{_statement(b)} {b.options[b.answer] if b.kind != 'true_false' else ''}"
    return overlap(qa, qb) >= DUPLICATE_OVERLAP or (
        a.kind != "true_false" and b.kind != "true_false" and a.options[a.answer] == b.options[b.answer]
        and share_stem(_statement(a), _statement(b)) and overlap(qa, qb) >= 0.4
    )
