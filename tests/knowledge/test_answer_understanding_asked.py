"""Understanding asked of a thing ("does the model really understand ...") is what is asked, not chat filler as in
"help me understand"; "honest question:" said first is chat."""

import time

import pytest

from knowledge.retrieval import _OPENING_CHATTER, _SAID_OF_A_THING


def test_does_the_model_understand_leads_with_the_passage_on_understanding(knowledge_base):
    answer = knowledge_base.answer("serious question - can the model truly understand the meaning of words?")
    assert answer.grounded, answer.markdown()
    assert "human sense" in answer.markdown() or "never understands" in answer.markdown(), answer.markdown()


def test_how_a_thing_understands_is_asked_of_its_mechanism(knowledge_base):
    answer = knowledge_base.answer("how does llava understand images")
    assert answer.grounded, answer.markdown()
    assert answer.statements[0].text.startswith("LLaVA = CLIP (for vision) + Vicuna"), answer.markdown()


@pytest.mark.parametrize(("text", "found"), [
    ("does the model actually understand words", ["understand"]),
    ("can an LLM know what it says?", ["know"]),
    ("do I understand this right", []),  # the asker's own understanding
    ("does anyone know what BERT is", []),
    ("help me understand embeddings", []),
    ("how does llava understand images", []),  # how it does so: the mechanism, not understanding itself
])
def test_understanding_said_of_a_thing(text, found):
    assert _SAID_OF_A_THING.findall(text) == found


def test_an_honest_question_opener_is_chat():
    assert _OPENING_CHATTER.sub("", "honest question: what is RAG?").strip() == "what is RAG?"


@pytest.mark.parametrize("unit", [" ", "does ", "does the ", "does the model ", "does the model actually ", "a-"])
def test_the_understanding_pattern_is_quick_on_long_hostile_input(unit):
    text = (unit * 4000)[:4000] + "!"
    # CPU time of this process, not wall time: a machine busy with other work (or the other
    # pytest-xdist worker) must not fail a check of the pattern's own cost.
    started = time.process_time()
    _SAID_OF_A_THING.findall(text)
    assert time.process_time() - started < 0.04
