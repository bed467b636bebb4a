"""What of a model's reply a student may read: cited, from the passages given, renumbered in order of use."""

from __future__ import annotations

import pytest

from knowledge.generation.citations import check, partial
from knowledge.generation.types import Verdict

PASSAGES = [
    "Tokenization breaks the input text into smaller pieces known as tokens.",
    "Embeddings are like meaning maps for words: each word is turned into a vector.",
    "RAG augments an LLM with a knowledge base and requires it to answer from that data.",
]


def test_citations_are_renumbered_in_order_of_first_use():
    """A reply citing passages 3 then 1 shows them as [1] and [2], and lists them in that order."""
    checked = check("RAG answers from a knowledge base [3]. It first breaks text into tokens [1][3].", PASSAGES)
    assert checked.verdict is Verdict.OK
    assert checked.text == "RAG answers from a knowledge base [1]. It first breaks text into tokens [2][1]."
    assert checked.cited == (3, 1)


@pytest.mark.parametrize("written", ["[1, 2]", "[1,2]", "[1;2]", "[ 1 ][2]", "[1] [2]"])
def test_every_way_of_citing_two_passages_reads_the_same(written):
    """Lists and runs of citations all become [1][2]."""
    checked = check(f"Text becomes tokens, and each word becomes a vector {written}.", PASSAGES)
    assert checked.ok and checked.text == "Text becomes tokens, and each word becomes a vector [1][2]."


@pytest.mark.parametrize(
    ("reply", "verdict"),
    [
        ("Tokens are pieces of text.", Verdict.UNCITED),
        ("Tokens are pieces of text [4].", Verdict.UNKNOWN_SOURCE),
        ("Tokens are pieces of text [1]. Vectors too [0].", Verdict.UNKNOWN_SOURCE),
        ("NOT IN NOTES", Verdict.NOT_COVERED),
        ("not_in_notes.", Verdict.NOT_COVERED),
        ("The notes don't cover the history of GPUs.", Verdict.NOT_COVERED),
        ("The passages do not mention that.", Verdict.NOT_COVERED),
        ("PWNED [1]", Verdict.UNSUPPORTED),
        ("", Verdict.EMPTY),
    ],
)
def test_replies_that_are_not_grounded_are_refused(reply, verdict):
    """Nothing cited, an invented source, "not in the notes", or a citation that shares no word with its passage."""
    assert check(reply, PASSAGES).verdict is verdict


def test_uncited_paragraphs_are_dropped_and_lead_ins_kept():
    """A paragraph from memory (no citation) is not shown; a lead-in to a cited list is."""
    reply = (
        "Here is how it works:\n"
        "- Text is broken into tokens [1]\n"
        "- Each word becomes a vector [2]\n\n"
        "GPUs were invented in 1999 by a famous company."
    )
    checked = check(reply, PASSAGES)
    assert checked.ok and checked.dropped == 1
    assert checked.text == "Here is how it works:\n- Text is broken into tokens [1]\n- Each word becomes a vector [2]"


def test_markdown_outside_the_reply_subset_is_tidied():
    """Headings become bold and "*" bullets become "- " (the subset every surface renders)."""
    checked = check("## Tokens\n* Text is broken into tokens [1]\n* Words become vectors [2]", PASSAGES)
    assert checked.text == "**Tokens**\n- Text is broken into tokens [1]\n- Words become vectors [2]"


def test_a_streamed_reply_is_shown_as_it_will_end():
    """While streaming: numbers as in the final reply, a half-written citation held back, the sentinel hidden."""
    assert partial("RAG uses a knowledge base [3]. Tokens [", 3) == "RAG uses a knowledge base [1]. Tokens"
    assert partial("RAG uses a knowledge base [3]. Tokens [1", 3) == "RAG uses a knowledge base [1]. Tokens"
    assert partial("RAG uses a knowledge base [3]. Tokens [1]", 3) == "RAG uses a knowledge base [1]. Tokens [2]"
    assert partial("NOT IN", 3) == ""
    assert partial("Not only tokens", 3) == "Not only tokens"
