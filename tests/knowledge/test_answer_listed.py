"""A sentence that only names a thing among others ("Understanding temperature, max tokens, and top_p is crucial for
output control.") says nothing of that thing: asked what it does, how it works or how it differs from another, the
student is told the notes don't cover it, not shown the list; asked which things matter, the list answers."""

import pytest


@pytest.mark.parametrize("question", [
    "does top_p change how long the answer is?",
    "how is max tokens measured?",
    "does max tokens include the prompt or only the reply?",
    "is temperature applied before top_p?",
    "what does top_p do",
    "what does temperature actually do to the output?",
    "isnt top_p just the same thing as temperature with a different name?",
])
def test_a_thing_the_notes_only_list_is_not_explained_by_the_list(knowledge_base, question):
    """The list used to be quoted as the answer to what one of its items does."""
    answer = knowledge_base.answer(question)
    assert not answer.grounded, answer.markdown()
    assert answer.markdown().startswith("My notes don't cover that.")


@pytest.mark.parametrize(("question", "says"), [
    ("which settings matter for output control?", "top_p"),
    ("what does temperature control", "output control"),
    ("name the settings that matter for output control", "top_p"),
    ("why does understanding temperature matter?", "crucial"),
    ("is it true transformers replaced rnns? what problems did they fix", "vanishing gradients"),
])
def test_what_the_list_says_of_its_items_is_still_answered(knowledge_base, question, says):
    """Which settings or which problems (the list itself), or what the sentence says of them all (they are crucial
    for output control), is answered."""
    answer = knowledge_base.answer(question)
    assert answer.grounded, answer.markdown()
    assert says in answer.markdown()
