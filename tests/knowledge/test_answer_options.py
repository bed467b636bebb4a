"""A question that asks for a value by its kind ("what learning rate ...") is refused when the answer states no
figure, and a choice between options one of which the notes never write ("trained or frozen") is refused; the
same forms of question the notes do answer are still answered."""

import pytest


@pytest.mark.parametrize("question", [
    "what learning rate is used when training embeddings?",
    "what learning rate is used when backprop nudges the embeddings",
    "is the linear projection W in llava trained or frozen",
    "can llava understand video or only single images?",
    "quadratic scaling in what exactly? sequence length or number of layers",
])
def test_a_value_or_an_option_the_notes_never_give_is_refused(knowledge_base, question):
    """The notes say embeddings are nudged by backprop, never at what rate; that W reshapes CLIP's features,
    never whether it is frozen. Each used to be answered with what the thing does."""
    answer = knowledge_base.answer(question)
    assert not answer.grounded, answer.markdown()


@pytest.mark.parametrize("question", [
    "What value does a token's embedding start with before training?",
    "does the model 'know' when to move embeddings closer or farther apart?",
    "do transformers go thru a sequence one word at a time or all at once?",
    "does an rnn handle the whole sentence at once or piece by piece",
])
def test_the_same_forms_the_notes_answer_are_still_answered(knowledge_base, question):
    answer = knowledge_base.answer(question)
    assert answer.grounded, answer.markdown()
