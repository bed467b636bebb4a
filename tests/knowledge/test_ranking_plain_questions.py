"""Plain questions in an evening class's words: where a question falls in the talk ("very basic q to start us
off:") is chat, not what is asked."""

import time

import pytest

from knowledge.retrieval import _OPENING_CHATTER, without_chatter


def test_a_first_basic_question_is_answered_from_the_definition(knowledge_base):
    # The opener's "basic" and "start" had led to the notebook's introduction ("foundational ... so far").
    answer = knowledge_base.answer("simple question to kick things off: what is an LLM really?")
    assert answer.grounded, answer.markdown()
    assert "next-token predictors" in answer.statements[0].text, answer.markdown()


@pytest.mark.parametrize(("text", "asked"), [
    ("ok very basic q to start us off: what is RAG?", "what is RAG?"),
    ("first question before we begin - what is a token?", "what is a token?"),
    ("one more q: what is BERT?", "what is BERT?"),
    # what the question is about stays: "about embeddings" is the topic
    ("basic question about embeddings: how are they trained", "basic question about embeddings: how are they trained"),
])
def test_where_a_question_falls_in_the_talk_is_chat(text, asked):
    assert without_chatter(text) == asked


@pytest.mark.parametrize("unit", ["very ", "very basic ", "q to start ", "q to start us ", "basic q before we ", "a "])
def test_the_opening_pattern_is_quick_on_long_hostile_input(unit):
    text = (unit * (4000 // len(unit) + 1))[:4000]
    started = time.process_time()
    for _ in range(2):
        _OPENING_CHATTER.search(text)
        _OPENING_CHATTER.sub(" ", text)
    assert time.process_time() - started < 0.04


def test_what_allows_a_thing_leads_with_the_passage_naming_what_makes_it_possible(knowledge_base):
    # "What allows X to help ..." asks what makes it possible: the passage whose "This is made possible by ..."
    # follows the sentence on that help, not one that only says what X enables.
    question = "what allows embeddings to help the model grasp how the words of a sentence are linked to each other?"
    hits = knowledge_base.search(question)
    assert "made possible by" in hits[0].text, hits[0].title
    answer = knowledge_base.answer(question)
    assert "made possible by" in answer.statements[0].text or any(
        "made possible by" in s.text for s in answer.statements if s.n == 1), answer.markdown()


def test_what_lets_a_thing_do_what_no_enabling_sentence_names_is_unchanged(knowledge_base):
    # An enabling sentence of other words ("This lets them understand context ...") is no answer to it.
    hits = knowledge_base.search("what lets transformers process a whole sequence in parallel?")
    assert "in parallel" in hits[0].text, hits[0].title


@pytest.mark.parametrize(("text", "asks"), [
    ("what lets embeddings capture meaning?", True),
    ("which mechanism lets the model see how words relate?", True),
    ("what is it that actually allows the model to do that?", True),
    ("what makes it possible for transformers to work in parallel", True),
    ("what is a token?", False),
    ("which model lets you upload images", False),  # a kind of thing other than a means: which one, not what enables
])
def test_what_lets_a_thing_is_asked_in_several_shapes(text, asks):
    from knowledge.retrieval import _ASKS_ENABLER
    assert bool(_ASKS_ENABLER.search(text)) == asks


def test_a_kind_of_means_asked_for_leads_with_what_makes_it_possible(knowledge_base):
    hits = knowledge_base.search("which feature allows the model to tell how words in a sentence relate to each other?")
    assert "made possible by" in hits[0].text, hits[0].title


@pytest.mark.parametrize("unit", ["what ", "which mechanism ", "what is it that ", "what actually ", "which "])
def test_the_enabler_pattern_is_quick_on_long_hostile_input(unit):
    from knowledge.retrieval import _ASKS_ENABLER
    text = (unit * (4000 // len(unit) + 1))[:4000]
    started = time.process_time()
    for _ in range(2):
        _ASKS_ENABLER.search(text)
    assert time.process_time() - started < 0.04


def test_better_answers_are_answers_of_better_quality(knowledge_base):
    # The takeaway on prompts that improve response quality, not the few-shot passage.
    answer = knowledge_base.answer("what prompts give better answers in general?")
    assert answer.grounded, answer.markdown()
    assert "response quality" in answer.markdown().split("Also in your notes")[0], answer.markdown()


def test_performing_better_is_still_performance():
    from knowledge.text import PARAPHRASES
    assert "better" not in PARAPHRASES and "perform better" not in PARAPHRASES
    assert "quality" in PARAPHRASES["better answers"]
