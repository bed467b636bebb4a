"""A question that links two ideas is answered on the one it asks about: what the asker is out to do, said after the
question ("...? trying to work out what that means for my token counts"), is why they ask, and a statement tagged as
agreed before it ("X are prone to Y right, so what does Z ...") is what they take as given."""

import time

import pytest

from knowledge.answer import _ASKS_HELP
from knowledge.retrieval import _NEGATED, _PREMISE_TAGGED, _SITUATION_START, premise_words, situation_after


@pytest.mark.parametrize("question", [
    "are tokens and words the same thing? trying to work out what that means for my token counts",
    "is a token just a word? need to know how that changes counting tokens",
])
def test_a_purpose_said_after_the_question_is_why_they_ask(knowledge_base, question):
    answer = knowledge_base.answer(question)
    assert answer.grounded, answer.markdown()
    assert answer.statements[0].text.startswith("Tokens are not words"), answer.markdown()


def test_a_purpose_without_its_i_is_set_apart():
    assert situation_after("what is attention? trying to fill in my study sheet") == (
        "what is attention?", "trying to fill in my study sheet")
    assert situation_after("which paper is it? need to cite it") == ("which paper is it?", "need to cite it")
    # not after a question, or a second question: read whole
    assert situation_after("what are you trying to say") is None
    assert situation_after("what is X? trying to see, how does it work?") is None


def test_what_a_question_takes_as_given_is_not_what_it_asks():
    assert premise_words("transformers are prone to hallucinate right, so what data does RAG make them stick to") == {
        "transformers", "are", "prone", "hallucinate"}
    # a question that only leans back on what it was given asks about that
    assert premise_words("llava is just another chatbot right? what is it actually") == set()
    # ... and so does one that asks what happens then
    assert premise_words("the context fills up right? so what happens to the earliest tokens then") == set()
    assert premise_words("what is RAG, right?") == set()


@pytest.mark.parametrize("pattern, unit", [
    (_SITUATION_START, "? "), (_SITUATION_START, "?just "), (_SITUATION_START, "? trying "),
    (_PREMISE_TAGGED, "a "), (_PREMISE_TAGGED, "right "), (_PREMISE_TAGGED, "a right, "), (_PREMISE_TAGGED, ", "),
])
def test_the_premise_and_purpose_patterns_are_quick_on_long_hostile_input(pattern, unit):
    text = (unit * 4000)[:4000] + "!"
    started = time.perf_counter()
    list(pattern.finditer(text))
    pattern.match(text)
    assert time.perf_counter() - started < 0.02


@pytest.mark.parametrize("question", [
    "how does self-attention help transformers keep track of context?",
    "how does attention help a transformer understand a sentence",
])
def test_how_a_thing_helps_is_answered_with_what_it_lets_them_do(knowledge_base, question):
    """Asked how X helps, the sentence saying what X lets them do is quoted, not only how X works."""
    answer = knowledge_base.answer(question)
    assert answer.grounded, answer.markdown()
    assert any(s.text.startswith("This lets them understand context") for s in answer.statements), answer.markdown()


def test_words_said_to_be_not_related_are_the_notes_unrelated_ones(knowledge_base):
    answer = knowledge_base.answer("in the dot map analogy, what happens to the words that aren't related to each other")
    assert answer.grounded, answer.markdown()
    assert "push unrelated ones further apart" in answer.statements[0].text, answer.markdown()


@pytest.mark.parametrize("pattern, unit", [
    (_ASKS_HELP, "how does "), (_ASKS_HELP, "how does a "), (_ASKS_HELP, "a "),
    (_NEGATED, "not "), (_NEGATED, "aren't "), (_NEGATED, "nota"),
])
def test_the_help_and_negation_patterns_are_quick_on_long_hostile_input(pattern, unit):
    text = (unit * 4000)[:4000] + "!"
    started = time.perf_counter()
    list(pattern.finditer(text))
    assert time.perf_counter() - started < 0.02
