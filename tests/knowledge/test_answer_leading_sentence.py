"""A negative question that boils a thing down ("isn't X just Y?") is a claim to check, answered by the sentence
that says what X is."""

import time

import pytest

from knowledge.retrieval import _REDUCING_GUESS


def _lead(answer) -> str:
    return answer.markdown().lstrip().lstrip("-• ").splitlines()[0]


def test_isnt_x_just_y_leads_with_what_the_notes_say_x_is(knowledge_base):
    answer = knowledge_base.answer("isn't an llm basically just autocomplete? what is it really, by the notes")
    assert answer.grounded, answer.markdown()
    assert "next-token predictors" in _lead(answer), answer.markdown()


@pytest.mark.parametrize(("text", "found"), [
    ("isn't an LLM just fancy autocomplete?", True),
    ("aren't embeddings just the token ids?", True),
    ("isn't it just a lookup table", True),
    ("why is attention just a weighted sum?", False),  # no negative question
    ("it isn't clear to me what tokens are, just tell me", False),  # "just" too far off
])
def test_a_reducing_guess_is_read_as_a_claim(text, found):
    assert bool(_REDUCING_GUESS.search(text)) is found


@pytest.mark.parametrize("unit", [" ", "x ", "isn't ", "isn't x ", "just ", "aren't a b c "])
def test_the_reducing_guess_pattern_is_linear_on_long_hostile_input(unit):
    """Well under 20 ms on 4,000 characters of one repeated unit."""
    text = (unit * 4000)[:4000] + "!"
    # CPU time of this process, not wall time: a machine busy with other work (or the other
    # pytest-xdist worker) must not fail a check of the pattern's own cost.
    started = time.process_time()
    _REDUCING_GUESS.search(text)
    _REDUCING_GUESS.findall(text)
    assert time.process_time() - started < 0.04
