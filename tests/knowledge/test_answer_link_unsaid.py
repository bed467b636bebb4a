"""Out of scope: what a question asks of how two of the notes' things relate, or of how one was trained or is measured,
when the sentences chosen speak of one thing only. Training asked step by step (frozen, stages, first ... then) of a
passage that never speaks of training; whether one thing needs another the answer never names; a thing built like one
of the notes' for another field; how something is measured; how closely one copies another; one doing as much as
another; how A is different from B when only one is named. The student is
told the notes don't cover it; the same shapes asked of what the notes do say are still answered."""

import time

import pytest

from knowledge.answer import (
    _AS_MUCH_AS,
    _HOW_CLOSELY,
    _HOW_MEASURED,
    _HOW_TO_TRAIN,
    _MEASURE_SAID,
    _NEEDS,
    _STYLED_FOR,
    _TRAINING_ASKED,
    _TRAINING_SAID,
    _TRAINING_STEPS,
)


@pytest.mark.parametrize("question", [
    # training asked step by step, of a passage that never speaks of training
    "is CLIP kept frozen while LLaVA's projection layer is trained?",
    "is the vicuna model in llava frozen during training?",
    "does LLaVA first train the projection and then the whole model? what are the training stages?",
    # how the student would train it, of a passage that never speaks of training
    "how would I fine-tune CLIP on my own photos?",
    # whether one thing needs another, the other never named in the answer
    "does few-shot prompting need a low temperature to work?",
    "does chain-of-thought prompting require a low temperature?",
    # a thing like one of the notes' for another field
    "is there a LLaVA-style model for video?",
    "is there a CLIP-style encoder for audio?",
    # how something is measured
    "how do people measure how often RAG hallucinates?",
    "how is hallucination measured in LLMs?",
    # how closely one copies another
    "how closely do transformers copy real neurons?",
    # one doing as much as another
    "does few-shot prompting help as much as chain-of-thought?",
    # how A is different from B, only one named
    "how is multi-head attention different from one attention head?",
    "how is self-consistency different from a single model answer?",
])
def test_a_link_the_notes_never_state_is_refused(knowledge_base, question):
    """Each was answered by the passage on one thing it names, which does not say what is asked of the two."""
    answer = knowledge_base.answer(question)
    assert not answer.grounded, answer.markdown()
    assert answer.markdown().startswith("My notes don't cover that.")


@pytest.mark.parametrize(("question", "says"), [
    ("is BERT trained on real sentences first and then fine-tuned?", "[MASK]"),
    ("are embeddings trained first and then frozen?", "random vector"),
    ("how would I train embeddings so similar words end up close?", "closer"),
    ("isn't RAG basically the same thing as fine-tuning?", "knowledge base"),
    ("does RAG need a knowledge base?", "knowledge base"),
    ("does self-consistency need multiple versions of the model?", "multiple versions"),
    ("do I need to write the logic that adjusts embeddings or is it automatic", "random vector"),
    ("is there a ChatGPT-style model for images?", "Vicuna"),
    ("how do you measure how wrong the model's guess was?", "loss"),
    ("how is BERT different from GPT?", "[MASK]"),
    ("how is RAG different from the model just using whatever it memorized during training", "knowledge base"),
    ("can chain-of-thought cut hallucinations as much as RAG does?", "RAG helps"),
    ("what are the stages of LLaVA?", "CLIP"),
    ("is the tokenization phase the first thing that happens?", "initial phase"),
])
def test_the_same_shapes_asked_of_what_the_notes_say_are_answered(knowledge_base, question, says):
    """Training asked of a passage on training, a thing needed that the answer names, a field the answer names, a
    measure the answer gives, both sides of a comparison named, the steps of a thing rather than of its training."""
    answer = knowledge_base.answer(question)
    assert answer.grounded, answer.markdown()
    assert says in answer.markdown()


def test_measuring_is_read_as_words():
    """"parametric" is no metric: the RAG passage says nothing of measuring."""
    assert not _MEASURE_SAID.search("also known as the parametric memory")
    assert _MEASURE_SAID.search("it calculates a loss, a score showing how wrong it was")


def test_a_step_of_training_needs_training_asked():
    assert _TRAINING_STEPS.search("what are the stages of LLaVA?")
    assert not _TRAINING_ASKED.search("what are the stages of LLaVA?")
    assert not _TRAINING_STEPS.search("does training also pull similar words together?")


HOSTILE = (" " * 4000, "?!," * 1333, "\n" * 4000, "A" * 4000, "first " * 666, "first then " * 363,
           "train " * 666, "fine-tune " * 400, "does x " * 571, "does x need " * 333, "is there a x-style " * 210,
           "is there " * 444, "how do people " * 285, "how does x " * 363, "how closely does " * 235,
           "how closely does x copy " * 166, "as much as " * 363, "as much " * 500, "x-like for " * 363,
           "ppppppppp " * 400, "- " * 2000, "so " * 1333, "so, " * 1000, "how much " * 444, "how would i " * 333,
           "how would i fine-" * 235)


@pytest.mark.parametrize("pattern", [_TRAINING_ASKED, _TRAINING_STEPS, _TRAINING_SAID, _NEEDS, _STYLED_FOR,
                                     _HOW_MEASURED, _MEASURE_SAID, _HOW_CLOSELY, _AS_MUCH_AS,
                                     _HOW_TO_TRAIN])
def test_the_new_patterns_are_quick_on_hostile_input(pattern):
    for hostile in HOSTILE:
        start = time.perf_counter()
        pattern.search(hostile[:4000])
        assert time.perf_counter() - start < 0.02, hostile[:20]
