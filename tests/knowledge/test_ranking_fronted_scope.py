"""A question that opens on the thing it is asked within ("in llava what does clip do") asks what the usual
order asks ("what does clip do in llava"): the thing named after the question word leads, not the passage that
names the scope and everything in it. "In short", "in general", "in the ... example" are not scopes."""

import time

import pytest

from knowledge.retrieval import without_chatter


@pytest.mark.parametrize("question", ["in llava what does clip give back", "in llava, what is clip for?"])
def test_the_part_asked_of_leads_when_the_scope_is_named_first(knowledge_base, question):
    answer = knowledge_base.answer(question)
    assert answer.grounded, answer.markdown()
    assert answer.markdown().startswith("CLIP acts like the model's eyes.")


@pytest.mark.parametrize(("question", "read"), [
    ("in llava what does clip do", "what does clip do in llava?"),
    ("In LLaVA, which piece plays the role of the eyes?", "which piece plays the role of the eyes in LLaVA?"),
    ("In short, what is good prompting about?", "In short, what is good prompting about?"),
    ("in general how do transformers work", "in general how do transformers work"),
    ("in the dots example what does the model notice", "in the dots example what does the model notice"),
])
def test_a_one_word_scope_named_first_is_read_last(question, read):
    assert without_chatter(question) == read


def test_the_scope_pattern_is_quick_on_hostile_input():
    for hostile in (" " * 4000, "in " * 1333, "in llava " * 444, "in," * 1333, "in " + "x" * 3990):
        # CPU time of this process, not wall time: a machine busy with other work (or the other
        # pytest-xdist worker) must not fail a check of the pattern's own cost.
        start = time.process_time()
        without_chatter.__wrapped__(hostile)
        assert time.process_time() - start < 0.02
