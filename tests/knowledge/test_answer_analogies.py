"""A newcomer from another field asks by analogy: they liken a thing of the notes to one of their own ("is attention a
bit like how a choir singer listens ...", "adjusting them by hand like a piano tuner", "CLIP is basically the
retina?"), say first who they are ("I'm a biologist -", "teacher here."), or tell how they do it themselves ("I process
sentences incrementally as a reader too. Is an RNN basically that, reading word by word ...?"). The picture's words are
no names the notes lack, nor what is asked; a picture the message asks about again, or the one thing a single question
asks to have checked, stays.

The shipped notes, indexed with the real model.
"""

import time

import pytest

from knowledge.retrieval import (
    _BASICALLY,
    _LIKENED,
    _POINTS_AT_STORY,
    _SPELLED_OUT_THAT,
    _WHO_I_AM,
    _likening,
    without_chatter,
)


@pytest.mark.parametrize(("message", "phrase"), [
    # the picture, then another question that asks of the thing
    ("is attention a bit like how a choir singer listens out for the other voices they need to blend with? what's "
     "each word 'asking' exactly?", "which other words should I pay attention to"),
    # the picture and its gloss ("how many things"), then a check that points back at it
    ("context size sounds like a child's working memory, how many things they can hold at once. is that the right "
     "analogy?", "short-term memory"),
    # the asker's own way of doing it, then "that" spelled out
    ("I process sentences incrementally as a reader too. Is an RNN basically that, reading word by word and carrying "
     "a memory of what came before?", "reading a sentence word-by-word"),
    # how it is in the asker's field, then "is it the same with X?": the field's story is what is compared
    ("In phylogenetics only the relative distances on the tree mean anything, not where a species is drawn on the "
     "page. Is it the same with embedding vectors?", "absolute positions of those vectors"),
    # who the asker is, then "basically" a picture: what CLIP is
    ("I'm a biologist - so in LLaVA, CLIP is basically the retina?", "CLIP acts like the model's eyes"),
])
def test_a_question_asked_by_analogy_is_answered_from_its_passage(knowledge_base, message, phrase):
    answer = knowledge_base.answer(message)
    assert answer.grounded, answer.markdown()
    assert phrase in answer.sources[0].text, [s.title for s in answer.sources]
    assert any(phrase in s.text for s in answer.statements), answer.markdown()


def test_a_picture_after_the_question_draws_no_other_passage(knowledge_base):
    """"like a piano tuner" had drawn the passage on what embeddings are over the one on who adjusts them."""
    answer = knowledge_base.answer("who actually tunes the embedding numbers? is somebody adjusting them by hand like a "
                                   "piano tuner")
    assert answer.grounded, answer.markdown()
    assert "adjusts these numbers" in answer.sources[0].text, [s.title for s in answer.sources]


@pytest.mark.parametrize("message", [
    # one question likening: the picture is what it asks to have checked
    "so few shot is like playing a riff for a student and having them copy the pattern?",
    # the picture asked about again is what is asked
    "is attention a bit like how neurons in the brain fire together? how closely do these networks actually copy real "
    "neurons?",
    # "like" that glosses, asks again, or means "such as"
    "how big can a token be? like a single letter or a whole word?",
    "can embeddings handle a word like 'bank' that means different things? what do the notes say",
    "how does a state space model like mamba work? is it in the notes",
    # a choice, a figure, a name, a programmer's notation
    "are transformers like a niche thing or what everyone uses now? i keep hearing both",
    "how many numbers are in an embedding vector? is it like 768 dimensions or more?",
    "so embeddings are like a hashmap token_id -> float[]? the model does math on them?",
    # the picture is the notes' own ("like the model's short-term memory")
    "is context size like the model's short-term memory? how big is it?",
])
def test_what_is_not_a_picture_to_set_aside_is_read_as_typed(knowledge_base, message):
    assert knowledge_base.retriever.without_analogy(message) == message


def test_a_name_asked_about_in_its_possessive_is_a_name_the_notes_lack(knowledge_base):
    """"AlphaZero's self-play training" names AlphaZero, which the notes never mention."""
    answer = knowledge_base.answer("how does AlphaZero's self-play training compare to how LLMs are trained?")
    assert not answer.grounded, answer.markdown()
    assert "AlphaZero" in " ".join(answer.missing), answer.missing


@pytest.mark.parametrize(("typed", "read"), [
    ("I'm a biologist - so in LLaVA, what does CLIP do?", "what does CLIP do in LLaVA?"),
    ("teacher here. is RLHF covered?", "is RLHF covered?"),
    ("chess player here - what is a token?", "what is a token?"),
    ("As a musician, what are the knobs?", "what are the knobs?"),
    # how the asker is, not who
    ("I'm a bit lost - what is a token?", "I'm a bit lost - what is a token?"),
    ("someone in here recommended a visual walkthrough, whose was it?",
     "someone in here recommended a visual walkthrough, whose was it?"),
])
def test_who_the_asker_is_said_first_is_not_what_they_ask(typed, read):
    assert without_chatter(typed) == read


def test_a_same_question_that_asks_more_of_its_own_sets_the_story_aside(knowledge_base):
    """"is it the same with these models, does wording the prompt really matter?" asks of its own: the kindergarten
    story is set aside, and the takeaway on prompts answers."""
    answer = knowledge_base.answer("I teach kindergarten and how I phrase an instruction changes everything with the "
                                   "kids. is it the same with these models, does wording the prompt really matter?")
    assert answer.grounded, answer.markdown()
    assert "Prompt engineering significantly impacts LLM behavior" in answer.sources[0].text


@pytest.mark.parametrize("regex", [_LIKENED, _BASICALLY, _SPELLED_OUT_THAT, _WHO_I_AM, _POINTS_AT_STORY])
@pytest.mark.parametrize("unit", [" ", "a ", "like ", "is like ", "a bit like ", "is basically ", "i'm a ", "here ",
                                  "that, ", "reading ", "ing ", ", ", "-", "kind of ", "is it the same with ",
                                  "same with ", "word ", "are ", "of sort "])
def test_the_readings_are_quick_on_long_hostile_input(regex, unit):
    text = (unit * (4000 // len(unit) + 1))[:4000]
    start = time.perf_counter()
    regex.search(text)
    regex.match(text)
    list(regex.finditer(text))
    assert time.perf_counter() - start < 0.02


@pytest.mark.parametrize("unit", [" ", "is ", "a bit ", "kind of ", "sort ", "x"])
def test_what_says_likeness_is_read_back_quickly(unit):
    text = (unit * (4000 // len(unit) + 1))[:4000]
    start = time.perf_counter()
    for _ in range(20):  # (once for each "like" of a long message)
        _likening(text)
    assert time.perf_counter() - start < 0.02
