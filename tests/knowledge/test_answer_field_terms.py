"""Answerable questions that had been refused for a word of the field the notes say in plain words, or for the shape of
the ask: a choice between two acronyms ("the BERT style or the GPT style"), the field's label tacked on after a claim
("? like bidirectional?", ", like cosine similarity?"), a term glossed by an example whose two senses are set side by
side ("polysemy? like bank the river vs bank the money"), a role written out in a pasted prompt, and a doubt of worth
as the other way a yes/no question may go ("or is it placebo"). Their twins that the notes do not cover stay refused.

The shipped notes, indexed with the real model.
"""

import time

import pytest

from knowledge.answer import _EXAMPLE_LEAD, _compared
from knowledge.retrieval import _ASKS_WHICH_ONE, _DISMISSED, _LABEL_AFTER, _label_after_claim, without_chatter


@pytest.mark.parametrize(("message", "phrase"), [
    # a choice between two acronyms, each with a word both share or what is said of both
    ("which suits a writing assistant better, the BERT approach or the GPT approach?", "Good for generation"),
    ("which works better for a help-desk bot, the BERT setup or the GPT setup?", "Good for generation"),
    # the field's label after a claim in plain words
    ("so BERT learns from the context on both sides of a masked word? like bidirectional?", "context on both sides"),
    ("so words with close embeddings have similar meanings, like cosine similarity?", "meaning"),
    # a field's term glossed by an example of two senses
    ("do embeddings cope with polysemous words? e.g. bat the animal vs bat in cricket", "Multiple meanings of the same word"),
    # a role written out in the pasted prompt, and a doubt of its worth
    ('`messages=[{"role": "system", "content": "You are a helpful travel agent."}]` does a role like that actually help '
     "or is it just placebo?", "role-based prompts improve response quality"),
])
def test_a_field_term_or_a_choice_of_names_is_answered(knowledge_base, message, phrase):
    """The student sees the notes' answer, with the sentence that says it, not "My notes don't cover that"."""
    answer = knowledge_base.answer(message)
    assert answer.grounded, answer.markdown()
    assert phrase in answer.markdown(), answer.markdown()


@pytest.mark.parametrize("message", [
    # "like T5" after asking whether there is one: an example of what is asked for
    "is there a model that does both MLM and CLM, like T5?",
    # a doubt of worth beside a name the notes never write
    "does RoPE fix the long context problem or is that a myth?",
    # a choice with one option the notes never name
    "which is better for speech recognition, Whisper or GPT?",
    # a choice of what is done to a thing, not between two names
    "is CLIP frozen or trained in llava?",
])
def test_the_twins_past_the_notes_stay_refused(knowledge_base, message):
    """Questions of the same shapes that the notes do not answer are still refused."""
    assert not knowledge_base.answer(message).grounded


@pytest.mark.parametrize(("message", "kept"), [
    ("BERT reads context on both sides? like bidirectional?", "BERT reads context on both sides?"),
    ("so the signal is the distance between vectors, like cosine dist?", "the signal is the distance between vectors"),
    # not after a question asking what or whether there is one, nor a label unlike anything the claim says
    ("what makes attention cheaper? like flash attention?", None),
    ("is there a model that does both, like T5?", None),
    ("embeddings capture meaning, like word2vec?", None),
])
def test_a_label_after_a_claim_is_set_aside(message, kept):
    """The label is read as the student's gloss only after a claim or yes/no question it names a kind of."""
    if kept is None:
        assert without_chatter(message) == message
    else:
        assert without_chatter(message).rstrip(" ,") == kept


def test_a_vs_inside_an_example_is_no_comparison(knowledge_base):
    """"bank the river vs bank the money" after "like" is the example's two senses, not two things to compare."""
    r = knowledge_base.retriever
    assert _compared("can embeddings handle polysemy? like bank the river vs bank the money", r) == ()
    assert _compared("rnn vs transformer, which is faster?", r) != ()


@pytest.mark.parametrize(("pattern", "hostile"), [
    (_LABEL_AFTER, "? like a" * 500),
    (_LABEL_AFTER, ", like ab cd" * 350),
    (_ASKS_WHICH_ONE, "so ok " * 700),
    (_DISMISSED, "or is it just a " * 260),
    (_EXAMPLE_LEAD, "? like, " * 500),
])
def test_new_patterns_stay_fast_on_hostile_input(pattern, hostile):
    """Each new expression takes under 20 ms on 4,000 characters built to make it backtrack."""
    text = hostile[:4000]
    start = time.process_time()
    pattern.search(text)
    _label_after_claim(text)
    assert time.process_time() - start < 0.02
