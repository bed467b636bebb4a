"""Questions typed on a phone or dictated: autocorrect put an everyday word for a term of the notes.

Small synthetic notes, indexed with the real model, so each rule is seen on text written for it.
"""

import pytest

from tests.support import notes_knowledge_base

NOTES = """# Model Notes

## Parametric memory

Parametric memory is the knowledge a model stores inside its weights during training. It cannot be updated \
without retraining the model.

## Vanishing gradients

The vanishing gradient problem: gradients shrink as they flow back through many layers, so early layers \
barely learn.

## LLaVA

LLaVA is a multimodal model that joins a vision encoder to a language model, so it can answer questions \
about images.

## Subword tokenization

Subword tokenization splits a rare word into smaller known pieces, so one word can become several tokens.

## Office life

The office coffee machine keeps coffee warm for hours. Nobody knows who refills the beans.
"""


@pytest.fixture(scope="module")
def kb(real_embedder, tmp_path_factory):
    return notes_knowledge_base(tmp_path_factory.mktemp("misheard"), {"models.md": NOTES}, real_embedder)


def test_a_word_autocorrect_put_for_a_term_of_the_notes_is_read_as_the_term(kb):
    answer = kb.answer("what is paramedic memory in llms")
    assert answer.grounded
    assert "Parametric memory" in answer.sources[0].title
    assert answer.markdown().lower().startswith("(reading “paramedic” as parametric.)")


def test_a_misheard_word_the_rest_of_the_question_outweighs_is_answered_as_asked(kb):
    # (The rest, "gradient problem", finds the passage: the question is answered without a reading.)
    answer = kb.answer("banishing gradient problem explain like im five")
    assert answer.grounded
    assert "Vanishing gradients" in answer.sources[0].title


def test_an_everyday_word_one_letter_off_a_name_of_the_notes_is_read_as_it(kb):
    answer = kb.answer("what is lava the model not the volcano thing")
    assert answer.grounded
    assert "LLaVA" in answer.sources[0].title
    assert answer.markdown().startswith("(Reading “lava” as LLaVA.)")


def test_two_words_dictation_made_of_one_are_read_as_it(kb):
    answer = kb.answer("sub word token ization what is that exactly")
    assert answer.grounded
    assert "Subword tokenization" in answer.sources[0].title


def test_a_name_of_the_subject_the_notes_lack_is_not_read_as_a_near_one(kb):
    # "llama" is one letter off "LLaVA", but a model's name of its own: the notes never mention it.
    answer = kb.answer("what's the context window of llama 2?")
    assert not answer.grounded
    assert not answer.read_as


def test_an_everyday_question_is_not_read_as_one_about_the_notes(kb):
    answer = kb.answer("how do I bake sourdough bread?")
    assert not answer.grounded
    assert not answer.read_as


def test_a_question_typed_right_says_nothing_of_reading(kb):
    answer = kb.answer("what is parametric memory?")
    assert answer.grounded
    assert not answer.read_as
    assert not answer.markdown().startswith("(Reading")

