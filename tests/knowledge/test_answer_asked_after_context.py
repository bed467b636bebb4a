"""A sentence of context before the question ("Our team wants ... . what is X exactly?") and the notes named as
where the answer is ("According to the notes, how are X characterized?") do not hide that the question asks what
X is."""

import time

import pytest

from knowledge.retrieval import _FORMAT_HEAD, _QUOTED, _STANDS_FOR_QUOTED, _WHAT_IS


def _lead(answer) -> str:
    return answer.markdown().lstrip().lstrip("-• ").splitlines()[0]


def test_what_is_x_exactly_after_a_line_of_context_leads_with_the_definition(knowledge_base):
    answer = knowledge_base.answer("Marketing wants captions for product photos. what is LLaVA exactly?")
    assert answer.grounded, answer.markdown()
    assert "multimodal model" in _lead(answer), answer.markdown()


def test_how_are_x_characterized_per_the_notes_leads_with_what_they_are(knowledge_base):
    answer = knowledge_base.answer("Per the notes, how are LLMs characterized?")
    assert answer.grounded, answer.markdown()
    assert "next-token predictors" in _lead(answer), answer.markdown()


def test_how_do_the_notes_describe_x_leads_with_what_x_is(knowledge_base):
    answer = knowledge_base.answer("how do my notes explain gradients, in simple words?")
    assert answer.grounded, answer.markdown()
    assert "small mathematical nudges" in answer.markdown(), answer.markdown()


@pytest.mark.parametrize(("text", "subject"), [
    ("According to the notes, how are LLMs characterized?", "LLMs"),
    ("how is attention described", "attention"),
    ("per my notes, what is RAG", "RAG"),
    ("how does the notes define attention?", "attention"),
    ("how do my notes characterise tokens", "tokens"),
])
def test_the_definition_subject_is_found(text, subject):
    m = _WHAT_IS.match(text)
    assert m is not None
    assert subject in next(g for g in m.groups() if g)


@pytest.mark.parametrize("unit", [" ", "how are ", "according to the notes ", "x ", "per the notes, ", "described ",
                                  "how do the notes ", "how do the notes describe "])
def test_the_what_is_pattern_is_quick_on_long_hostile_input(unit):
    """Well under 20 ms on 4,000 characters of one repeated unit."""
    text = (unit * 4000)[:4000] + "!"
    # CPU time of this process, not wall time: a machine busy with other work (or the other
    # pytest-xdist worker) must not fail a check of the pattern's own cost.
    started = time.process_time()
    _WHAT_IS.match(text)
    assert time.process_time() - started < 0.04


def test_a_question_leaning_on_the_term_a_story_quotes_asks_about_that_term(knowledge_base):
    answer = knowledge_base.answer("My boss says 'LLM' twice a day. in simple terms, what is it really?")
    assert answer.grounded, answer.markdown()
    assert "next-token predictors" in _lead(answer), answer.markdown()


@pytest.mark.parametrize(("text", "found"), [
    ("I keep hearing 'RAG' at work.", ["RAG"]),
    ("the slide said “parametric memory” and moved on", ["parametric memory"]),
    ("I don't get what they're saying", []),  # apostrophes inside words quote nothing
])
def test_a_quoted_term_is_found(text, found):
    assert _QUOTED.findall(text) == found


@pytest.mark.parametrize(("text", "put"), [
    ("what is it actually doing?", "what is X actually doing?"),
    ("isn't that just the context window?", "isn't X just the context window?"),
    ("what does that term mean?", "what does that term mean?"),  # "that" points at a word here
])
def test_the_pronoun_that_stands_for_the_quoted_term(text, put):
    assert _STANDS_FOR_QUOTED.sub("X", text, count=1) == put


@pytest.mark.parametrize("unit", [" ", "'", "' '", "\"x", "it ", "that just ", "in plain english "])
def test_the_quoted_term_patterns_are_quick_on_long_hostile_input(unit):
    """Each well under 20 ms on 4,000 characters of one repeated unit."""
    text = (unit * 4000)[:4000] + "!"
    for run in (lambda: _QUOTED.findall(text), lambda: _STANDS_FOR_QUOTED.sub("x", text, count=1),
                lambda: _FORMAT_HEAD.sub("", text)):
        started = time.process_time()
        run()
        assert time.process_time() - started < 0.04


def test_a_word_of_both_story_and_question_counts_once(knowledge_base):
    r = knowledge_base.retriever
    q = r.analyze("Our invoices are counted per token. Is a token the same as a word?")
    assert q.terms.count("token") == 1, q.terms
