"""Checks every quiz item passes before anyone sees it."""

from __future__ import annotations

import re

from knowledge.quizbank.similarity import near_duplicate
from knowledge.quizbank.text import has_bad_chars, mentions
from knowledge.repair import has_mojibake
from knowledge.types import QuizItem

KINDS = ("mcq", "true_false", "fill_blank")
TRUE_FALSE = ("True", "False")
BLANK = "____"
# A button label is "n. option" and Slack cuts labels at 75 characters.
MAX_OPTION_CHARS = 70
MAX_QUESTION_CHARS = 360
MAX_EXPLANATION_CHARS = 700
MIN_QUESTION_CHARS = 15


def validate_item(item: QuizItem) -> list[str]:
    """Everything wrong with ``item``; an empty list means it can be used.

    The form checks plus heuristics for generated items (a distractor the explanation shows
    to be right too). Hand-written deck items get ``form_problems`` only: their author wrote
    the explanation to contrast the distractors, which those heuristics would misread.
    """
    problems = form_problems(item)
    if item.kind in ("mcq", "fill_blank") and len(item.options) == 4 and 0 <= item.answer < 4:
        problems += _second_correct(item, item.options[item.answer])
    return problems


def form_problems(item: QuizItem) -> list[str]:
    """What makes ``item`` unusable whoever wrote it: options, answer, lengths, give-away, mojibake."""
    problems: list[str] = []
    if item.kind not in KINDS:
        problems.append(f"unknown kind {item.kind!r}")
    for name in ("id", "question", "explanation", "source_title", "source_path", "topic"):
        if not str(getattr(item, name)).strip():
            problems.append(f"empty {name}")
    options = tuple(item.options)
    if not 0 <= item.answer < len(options):
        problems.append(f"answer index {item.answer} is not one of the {len(options)} options")
        return problems
    answer = options[item.answer]

    if item.kind == "true_false":
        if options != TRUE_FALSE:
            problems.append("true/false options must be exactly ('True', 'False')")
    elif item.kind in ("mcq", "fill_blank"):
        if len(options) != 4:
            problems.append(f"{item.kind} needs 4 options, has {len(options)}")
        folded = [o.strip().casefold() for o in options]
        if len(set(folded)) != len(folded):
            problems.append("options are not distinct")
        for i, opt in enumerate(options):
            if i != item.answer and near_duplicate(opt, answer):
                problems.append(f"option {opt!r} is a near-duplicate of the answer {answer!r}: two correct options")
        wrong = [o for i, o in enumerate(options) if i != item.answer]
        for i, a in enumerate(wrong):
            for b in wrong[i + 1 :]:
                if a.casefold() != b.casefold() and near_duplicate(a, b):
                    problems.append(f"options {a!r} and {b!r} are near-duplicates")
        if mentions(item.question.replace(BLANK, " "), answer):
            problems.append(f"the question gives the answer {answer!r} away")
    if item.kind == "fill_blank" and item.question.count(BLANK) != 1:
        problems.append(f"a fill-in-the-blank question needs exactly one {BLANK}")

    for name, text in (("question", item.question), ("explanation", item.explanation), *(
        (f"option {n + 1}", o) for n, o in enumerate(options)
    )):
        if has_mojibake(text) or has_bad_chars(text):
            problems.append(f"mojibake or control characters in the {name}")
        if not text.strip():
            problems.append(f"empty {name}")
    if not MIN_QUESTION_CHARS <= len(item.question) <= MAX_QUESTION_CHARS:
        problems.append(
            f"question is {len(item.question)} characters (readable: {MIN_QUESTION_CHARS}–{MAX_QUESTION_CHARS})"
        )
    if len(item.explanation) > MAX_EXPLANATION_CHARS:
        problems.append(f"explanation is {len(item.explanation)} characters (max {MAX_EXPLANATION_CHARS})")
    for opt in options:
        if len(opt) > MAX_OPTION_CHARS:
            problems.append(f"option {opt[:30]!r}… is {len(opt)} characters (max {MAX_OPTION_CHARS})")
    return problems


def _second_correct(item: QuizItem, answer: str) -> list[str]:
    """A distractor the explanation itself shows to be right as well."""
    out = []
    for i, opt in enumerate(item.options):
        if i == item.answer:
            continue
        if item.kind == "fill_blank":
            filled = item.question.split(BLANK)
            if len(filled) == 2:
                tail = filled[1].strip(" .”\"")[:40]
                head = filled[0].split(":", 1)[-1].strip(" “\"")[-40:]
                probe = re.escape(f"{head} {opt} {tail}".strip()).replace(r"\ ", r"\s*")
                if probe and re.search(probe, item.explanation, re.IGNORECASE):
                    out.append(f"option {opt!r} also completes the sentence in the explanation")
        elif item.kind == "mcq":
            lead = re.sub(r"^[\s“\"]*(?:the|an|a)\s+", "", item.explanation, flags=re.IGNORECASE)
            if re.match(rf"[“\"]?{re.escape(opt)}s?\b[”\"]?\s", lead, re.IGNORECASE):
                out.append(f"the explanation says option {opt!r} is described too")
    return out
