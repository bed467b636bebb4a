"""A claim to check ("does it update itself?") is answered by a verdict and what makes it hold: a summary's verdict
("In summary: ...") that is quoted brings the rest of the summary, as a bare "No — ..." brings the sentence after it."""

import time

import pytest

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
    started = time.perf_counter()
    sums_up(text)
    assert time.perf_counter() - started < 0.02
