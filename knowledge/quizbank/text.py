"""Sentence-level text helpers for the quiz bank: splitting, cleaning, term matching, grammar.

Everything here is a general rule about English prose and markdown notes; nothing knows
about any particular note.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from knowledge.text import STOPWORDS, lines, split_line
from knowledge.types import Chunk

# Words that make a sentence lean on its neighbours ("It ...", "This is ...") or on the writer
# ("I", "you"), so it cannot stand alone as a quiz statement.
_LEANING_STARTS = frozenset(
    """it it's its this that these those they they're them he she here here's there there's so but and
    or now yes no exactly instead then also still which what how why when where who right example
    imagine let let's hey hmm both such again just because as if once while though although e.g
    i.e for like another each""".split()
)
_PERSONAL = frozenset(
    "i i'm i've i'd me my mine we we're we've our us you you're you've your yours let's".split()
)
ARTICLES = ("the ", "an ", "a ")

# Generic nouns that head a sentence without naming a concept ("The goal is ...").
GENERIC_NOUNS = frozenset(
    """goal idea key idea model advantage disadvantage drawback example summary output input result
    problem answer question thing things way point reason step steps task part parts other others one
    ones notebook note notes section process method methods approach thing trick case cases word words
    sentence sentences text data image people person time answer breakdown difference goal training
    overview introduction conclusion takeaway takeaways reflection reflections""".split()
)

WORD = re.compile(r"[\w\[\]][\w\[\]'’.-]*[\w\]]|[\w\[\]]")
_QUOTES = "“”\"‘’'«»"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd]")


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str  # cleaned, ends with . ! or ?
    chunk: Chunk
    index: int  # position within the chunk
    bullet: bool  # came from a list item
    ends_colon: bool  # the raw line ended with ":" (it introduces what follows)

    @property
    def words(self) -> list[str]:
        return self.text.split()


def strip_symbols(text: str) -> str:
    """Drop leading emoji/arrows/bullets and markdown emphasis, keep opening quotes and brackets."""
    text = text.replace("**", "").replace("__", "").strip()
    while text and unicodedata.category(text[0])[0] in "SZPCM" and text[0] not in "\"“‘([":
        text = text[1:].lstrip()
    return text.strip()


def _balance_quotes(text: str) -> str:
    """Drop a stray curly quote left by the author (``Chain-of-Thought” prompting``)."""
    if text.count("“") != text.count("”"):
        if text.count("”") > text.count("“") and "”" in text[: text.find(" ") if " " in text else len(text)]:
            text = text.replace("”", "", 1)
        elif text.count("“") > text.count("”") and text.rstrip().endswith("“"):
            text = text.rstrip()[:-1].rstrip()
    return text


def _finish(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if text and text[-1] not in ".!?…”\"":
        text += "."
    return text


def split_sentences(chunk: Chunk) -> list[Sentence]:
    """The chunk's sentences in order, cleaned for quiz use; every list item counts as a sentence of its own."""
    out: list[Sentence] = []
    for line in lines(chunk.text):
        if line.text.startswith(">"):
            continue
        text = _dedupe_label(strip_symbols(line.text))
        if not text:
            continue
        ends_colon = text.rstrip().endswith(":")
        parts = split_line(text)
        for n, part in enumerate(parts):
            part = _balance_quotes(part)
            if not part:
                continue
            colon = ends_colon and n == len(parts) - 1
            out.append(Sentence(_finish(part.rstrip(":").rstrip()) if not colon else part.strip(), chunk,
                                len(out), line.bullet, colon))
    return out


def _dedupe_label(line: str) -> str:
    """"RAG : RAG simply consists of ..." → "RAG simply consists of ...": the label repeats the subject."""
    m = re.match(r"^(.{1,40}?)\s*:\s+(.*)$", line)
    if m and m.group(2).lower().startswith(m.group(1).lower() + " "):
        return m.group(2)
    return line


def norm_words(text: str) -> list[str]:
    return [w.lower().replace("’", "'").strip(".'") for w in WORD.findall(text)]


def stem(word: str) -> str:
    """A crude stem, enough to tell "Transformer" from "transformers" as the same word."""
    w = word.lower().strip("[]")
    for suffix in ("izations", "ization", "ations", "ation", "ings", "ing", "ers", "er", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)]
    return w


def content_stems(text: str) -> set[str]:
    return {stem(w) for w in norm_words(text) if w not in STOPWORDS and len(w) > 1}


def term_key(term: str) -> str:
    """Normalised identity of a term: no article, quotes or case, and singular."""
    t = re.sub(f"[{_QUOTES}]", "", term).strip().lower()
    for art in ARTICLES:
        if t.startswith(art):
            t = t[len(art):]
    words = t.split()
    if words and words[-1].endswith("s") and not words[-1].endswith(("ss", "us", "is")) and len(words[-1]) > 3:
        words[-1] = words[-1][:-1]
    return " ".join(words)


def term_pattern(term: str) -> re.Pattern[str]:
    """Matches the term as whole words, also in its plural/singular form."""
    body = re.escape(term.strip())
    if term.endswith("s") and not term.endswith("ss"):
        body = re.escape(term[:-1]) + "s?"
    else:
        body += "s?"
    return re.compile(rf"(?<![\w\[-]){body}(?![\w\]-])", re.IGNORECASE)


def mentions(text: str, term: str) -> bool:
    return bool(term_pattern(term).search(text))


def is_plural(term: str) -> bool:
    last = term.split()[-1] if term.split() else term
    last = last.strip(_QUOTES + ")")
    if last.isupper():
        return False
    return last.endswith("s") and not last.endswith(("ss", "us", "is"))


def first_word(text: str) -> str:
    words = norm_words(text)
    return words[0] if words else ""


_AUX = frozenset(
    "is are was were has have had does do did can cannot could will would should may might must".split()
)
_BACK_REFERENCE = frozenset("this these those them they he she".split())


def stands_alone(sentence: str, bullet: bool = False) -> bool:
    """A declarative sentence that reads on its own: no pronoun opener, no I/you, not a question."""
    words = norm_words(sentence)
    if len(words) < 6 or len(words) > 45 or sentence.rstrip().endswith(("?", ":")):
        return False
    if words[0].split("'")[0] in _LEANING_STARTS or any(w.split("'")[0] in _PERSONAL for w in words):
        return False
    if any(w.split("'")[0] in _BACK_REFERENCE for w in words) or "it" in [w.split("'")[0] for w in words[:6]]:
        return False  # leans on the sentence before it
    if any(ch in sentence for ch in "→=+;") or sum(sentence.count(q) for q in _QUOTES) >= 4:
        return False
    if sentence.rstrip(" .").endswith(tuple(_QUOTES)):
        return False  # a quoted line
    if sentence.lstrip()[:1] in _QUOTES and not re.match(r"^[“\"][A-Z][^”\"‘’]{0,40}[”\"]\s+\w", sentence):
        return False  # a quoted example, not a statement
    if re.match(r"^\w+ed\s+(?:in|by|for|to|with|as|on|from)\b", sentence):
        return False  # "Used in search, ..." has no subject
    if bullet and not _has_finite_verb(sentence, words):
        return False  # a list fragment ("Fixed context size") is not a statement
    return sentence[:1].isupper() or sentence[:1] in "[“\""


def _has_finite_verb(sentence: str, words: list[str]) -> bool:
    if any(w.split("'")[0] in _AUX or w.endswith("n't") for w in words):
        return True
    if re.search(r"\b\w+ly\s+\w+s\b", sentence):
        return True  # "... significantly impacts ..."
    return bool(re.match(r"^(?:The|A|An)?\s*[\w-]+(?:\s+[\w-]+)?\s+\w+(?:s|ed)\s+(?:the|a|an)\b", sentence))


def has_bad_chars(text: str) -> bool:
    return bool(_CONTROL.search(text))


def capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text and not text[:1].isupper() else text


def truncate_clause(text: str, limit: int) -> str:
    """Shorten at a clause boundary (comma, dash, semicolon) so the text reads well."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    for sep in (", which", "; ", " — ", " – ", ", "):
        pos = cut.rfind(sep)
        if pos > limit // 2:
            return cut[:pos].rstrip(" ,;—–") + "…"
    return cut.rsplit(" ", 1)[0].rstrip(" ,;—–") + "…"


# Verb agreement for swapping a singular subject for a plural one and back.
_AGREE = {"is": "are", "was": "were", "has": "have", "does": "do"}
_AGREE_BACK = {v: k for k, v in _AGREE.items()}
MODALS = frozenset("can cannot could will would should may might must".split())


def agree_verb(verb: str, plural: bool) -> str | None:
    """The verb form for a subject of the given number, or None if we cannot be sure of it."""
    low = verb.lower()
    if low in MODALS:
        return verb
    if plural:
        if low in _AGREE:
            return _AGREE[low]
        if low in _AGREE_BACK:
            return verb
        if low.endswith("ies") and len(low) > 4:
            return low[:-3] + "y"
        if low.endswith(("sses", "shes", "ches", "xes", "zes")):
            return low[:-2]
        if low.endswith("s") and not low.endswith("ss"):
            return low[:-1]
        return None
    if low in _AGREE_BACK:
        return _AGREE_BACK[low]
    if low in _AGREE:
        return verb
    if low.endswith("s") and not low.endswith("ss"):
        return verb
    if low.endswith(("ss", "sh", "ch", "x", "z")):
        return low + "es"
    if low.endswith("y") and len(low) > 2 and low[-2] not in "aeiou":
        return low[:-1] + "ies"
    return low + "s"
