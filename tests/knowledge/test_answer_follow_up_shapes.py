"""Follow-ups in the shapes of questions that go one step past the notes, which the notes do answer: a series the
student writes out and asks why it matters, "X? what are those here", "what does X stand for", "how was X trained",
a hedge around "what X is", "why would they do X on purpose". The passage that answers leads, quoted where it says
it; the same shapes about what the notes never say stay refused.

The shipped notes, indexed with the real model.
"""

import time

import pytest

from knowledge.answer import _ASKS_MECHANISM, _ASKS_PURPOSE, _ASKS_WEIGHT
from knowledge.retrieval import _EXAMPLE_OF_KIND, _NAMED_THEN_ASKED, _SAY_OF_WHAT_IT_IS, example_words


@pytest.mark.parametrize(("question", "says", "cited"), [
    # the series written out, asked why it matters
    ("temperature, max tokens and top_p — do the notes say why they matter?", "crucial for output control",
     "Key Takeaways"),
    # a bare follow-up term, then "what are those"
    ("and gradients? what are those here", "small mathematical nudges", "closer or push them apart"),
    # what an acronym stands for: the passage that writes it out leads
    ("what does MLM stand for", "Masked Language Modeling (MLM)", "Compare How GPT (CLM) Handles It"),
    # how a thing was trained: by what means
    ("how was ChatGPT trained?", "learned language patterns by reading billions", "Is ChatGPT learning"),
    ("how was BERT trained? like what does it do to the sentence", "randomly replaces some words",
     "How BERT Training Works"),
    # a hedge around an indirect "what X is"
    ("the notes don't say much about what an LLM fundamentally is, but what do they say?",
     "probabilistic next-token predictors", "What I Learned"),
    # "at the core", and what it is "doing", press for what it is
    ("so at the core what is an LLM actually doing?", "probabilistic next-token predictors", "What I Learned"),
    # a named example of the kind asked about only illustrates it
    ("what are the limits of transformer models like GPT-4? memory wise", "Fixed context size",
     "Limitations of Transformers"),
    # why a thing is done on purpose: what it is done for
    ("why would they put [MASK] in on purpose during training?", "This is done intentionally to",
     "How BERT Training Works"),
])
def test_a_follow_up_the_notes_answer_is_answered_from_the_right_passage(knowledge_base, question, says, cited):
    answer = knowledge_base.answer(question)
    assert answer.grounded, answer.markdown()
    assert says in answer.markdown()
    assert cited in answer.sources[0].title


@pytest.mark.parametrize("question", [
    # what each of the series does, or how they differ: the notes only call them crucial
    "temperature, max tokens and top_p — how do they work?",
    "what does top_p do, and why does it matter?",
    # the same shapes about what the notes never name
    "and LoRA? what is that here",
    "what does BPE stand for",
])
def test_the_same_shapes_past_the_notes_are_refused(knowledge_base, question):
    answer = knowledge_base.answer(question)
    assert not answer.grounded, answer.markdown()


def test_the_shapes_are_read_as_asked():
    assert _NAMED_THEN_ASKED.match("and gradients? what are those here")["named"] == "gradients"
    assert _NAMED_THEN_ASKED.match("what about embeddings, what are they again?")["named"] == "embeddings"
    assert not _NAMED_THEN_ASKED.match("what are gradients and why do they vanish?")
    assert _SAY_OF_WHAT_IT_IS.match("the notes don't say much about what an LLM is, but what do they say?")["x"] == "an LLM"
    assert not _SAY_OF_WHAT_IT_IS.match("i know what attention is but how does it scale?")
    assert _ASKS_MECHANISM.search("how was ChatGPT trained?")
    assert not _ASKS_MECHANISM.search("how is BERT different from GPT?")
    assert _ASKS_PURPOSE.search("why would they put [MASK] in on purpose?")
    assert not _ASKS_PURPOSE.search("is it on purpose?")
    assert _ASKS_WEIGHT.search("do they matter?")
    assert example_words("the limits of transformer models like GPT-4? memory wise") == {"gpt", "4"}
    assert example_words("is it like a map?") == set()


@pytest.mark.parametrize(("pattern", "unit"), [
    (_NAMED_THEN_ASKED, "and "), (_NAMED_THEN_ASKED, "a "), (_NAMED_THEN_ASKED, "a? "), (_NAMED_THEN_ASKED, "what are "),
    (_SAY_OF_WHAT_IT_IS, "about what "), (_SAY_OF_WHAT_IT_IS, "a "), (_SAY_OF_WHAT_IT_IS, "what a is "),
    (_SAY_OF_WHAT_IT_IS, "on "), (_ASKS_MECHANISM, "how was "), (_ASKS_MECHANISM, "so "),
    (_EXAMPLE_OF_KIND, "models like "), (_EXAMPLE_OF_KIND, "s like G"), (_EXAMPLE_OF_KIND, "Gs"),
    (_ASKS_PURPOSE, "why "), (_ASKS_PURPOSE, "why\n"), (_ASKS_PURPOSE, "on "), (_ASKS_WEIGHT, "matter "),
])
def test_the_new_patterns_are_linear_on_long_hostile_input(pattern, unit):
    """Each takes well under 20 ms on 4,000 characters of one repeated unit."""
    text = (unit * 4000)[:4000] + "!"
    # CPU time of this process, not wall time: a machine busy with other work (or the other
    # pytest-xdist worker) must not fail a check of the pattern's own cost.
    started = time.process_time()
    for call in (pattern.search, pattern.match, pattern.findall):
        call(text)
    assert time.process_time() - started < 0.04
