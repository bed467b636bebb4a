"""A claim to check ("does it update itself?") is answered by a verdict and what makes it hold: a summary's verdict
("In summary: ...") that is quoted brings the rest of the summary, as a bare "No — ..." brings the sentence after it.
Asked by what means ("how does BERT build ..."), a list answered whole still gets the sentence that says how."""

import time

import pytest

from knowledge.answer import _GIVES_MECHANISM
from knowledge.retrieval import sums_up


@pytest.mark.parametrize("question", [
    "chatgpt is learning from what i type into it, right? like it updates itself",
    "Is it correct to say ChatGPT updates its weights while I'm chatting with it?",
    "typed \"The cat sat on the\" into chatgpt -- is it learning from me when i do this? does it update itself",
])
def test_a_claim_about_updating_gets_the_summary_that_says_no_weights_change(knowledge_base, question):
    ans = knowledge_base.answer(question)
    assert ans.grounded, ans.markdown()
    said = [s.text for s in ans.statements]
    at = next(i for i, t in enumerate(said) if t.lstrip("✅ ").startswith("In summary"))
    assert "no weights are changed" in said[at + 1], said


@pytest.mark.parametrize(("text", "found"), [
    ("✅ In summary: ChatGPT is not training on your input.", True),
    ("In short, good prompting is about guiding the model.", True),
    ("To sum up: tokens are not words.", True),
    ("TL;DR: it guesses.", True),
    ("The summary of the paper is short.", False),  # names a summary, does not open one
    ("In short supply, GPUs cost more.", False),  # "in short" not set off as a verdict
])
def test_a_sentence_opening_a_summary_is_read_as_one(text, found):
    assert sums_up(text) is found


@pytest.mark.parametrize("unit", [" ", "?", "in ", "in  ", "to sum ", "✅ ", "tl; ", "summary " * 2])
def test_the_summary_check_is_linear_on_long_hostile_input(unit):
    """Well under 20 ms on 4,000 characters of one repeated unit."""
    text = (unit * 4000)[:4000] + "!"
    # CPU time of this process, not wall time: a machine busy with other work (or the other
    # pytest-xdist worker) must not fail a check of the pattern's own cost.
    started = time.process_time()
    sums_up(text)
    assert time.process_time() - started < 0.02


def test_a_means_asked_beside_a_list_gets_the_sentence_that_gives_it(knowledge_base):
    """ "how does BERT build its training task from a plain sentence?": the passage answers with its list of what
    the masking is for; the sentence that says by what means ("Instead, it creates a self-supervised task by
    modifying the sentence:", then "It randomly replaces some words with [MASK]:") joins it."""
    ans = knowledge_base.answer("how does BERT build its training task from a plain sentence?")
    assert ans.grounded, ans.markdown()
    said = " ".join(s.text for s in ans.statements)
    assert "by modifying the sentence" in said, said
    assert "randomly replaces some words with [MASK]" in said, said


@pytest.mark.parametrize(("text", "found"), [
    ("It's sequential, meaning it learns one step at a time.", True),
    ("The model updates the embeddings through backpropagation.", True),
    ("Teach the model to understand meaning from context on both sides", False),  # the noun gives no means
    ("these vectors become rich representations of meaning.", False),
])
def test_meaning_gives_a_means_only_as_a_gloss_after_a_comma(text, found):
    assert bool(_GIVES_MECHANISM.search(text)) is found


@pytest.mark.parametrize("unit", [" ", ", ", ",meaning ", ", meaning", "by ", "—"])
def test_the_means_pattern_is_linear_on_long_hostile_input(unit):
    """Well under 20 ms on 4,000 characters of one repeated unit."""
    text = (unit * 4000)[:4000] + "!"
    started = time.process_time()
    _GIVES_MECHANISM.search(text)
    _GIVES_MECHANISM.findall(text)
    assert time.process_time() - started < 0.02
