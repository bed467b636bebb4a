"""Questions that point into the notes' own walkthroughs and summaries (the step after a named one, a sentence of
an analogy's later part, the comparison or conclusion the notes give) and a sceptic's or a catching-up student's
wording of a weakness or a purpose are answered from the part that says it, with its key sentence."""

import pytest

from knowledge.answer import _ASKS_DRAWBACK, _ASKS_PURPOSE


def test_the_step_after_a_named_one_leads_the_answer(knowledge_base):
    """Asked what follows the linear projection, the answer is Step 3 (Vicuna), not Step 2 itself or the summary
    that names the projection; asked about the projection, Step 2 still leads."""
    answer = knowledge_base.answer("what step follows right after the linear projection layer in the LLaVA diagram?")
    assert answer.grounded
    assert "Step 3" in answer.sources[0].title
    assert "can read and reason over them" in answer.markdown().split("\n")[0]
    answer = knowledge_base.answer("what does the linear projection layer do in llava?")
    assert "Step 2" in answer.sources[0].title


def test_a_part_pointed_at_by_a_word_only_its_first_passage_writes(knowledge_base):
    """"map" is written only where the dots walkthrough starts; its part with the training sentences answers."""
    answer = knowledge_base.answer("in the map explanation, which example sentence mentions a dog?")
    assert answer.grounded
    assert "A dog barked at the cat" in answer.sources[0].text
    assert "A dog barked at the cat" in answer.markdown()


@pytest.mark.parametrize(("question", "said"), [
    # the notes' own comparison, asked for by that word
    ("what comparison did my notes make for few-shot prompting?", "like showing the model a pattern"),
    # a conclusion asked for: the line that sums the part up
    ("bottom line on prompting?", "good prompting is about guiding the model"),
    # a sceptic's "what's the catch": the weakness
    ("so what's the catch with an RNN?", "struggles with long sequences"),
    # a purpose asked of a thing named in a few words
    ("what does the mask token teach BERT?", "understand meaning from context on both sides"),
])
def test_what_is_asked_for_is_quoted(knowledge_base, question, said):
    answer = knowledge_base.answer(question)
    assert answer.grounded, question
    assert said in answer.markdown(), answer.markdown()


@pytest.mark.parametrize(("pattern", "text", "asks"), [
    (_ASKS_DRAWBACK, "whats wrong with rnns", True),
    (_ASKS_DRAWBACK, "is there any catch?", True),
    (_ASKS_DRAWBACK, "can the model catch its own errors?", False),
    (_ASKS_PURPOSE, "what is the [MASK] token meant to do", True),
    (_ASKS_PURPOSE, "what does the model do with the mask", False),
])
def test_the_wordings_of_a_weakness_and_a_purpose(pattern, text, asks):
    assert bool(pattern.search(text)) is asks
