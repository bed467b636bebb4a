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


@pytest.mark.parametrize("question", [
    "is the vicuna in llava the 7b one or the 13b one?",
    "does the projection in llava get trained or is it frozen",
    "in llava is the clip encoder frozen or does it get updated too?",
    "does rag store its knowledge base in a vector database or in plain text files",
    "does chain of thought prompting cost more tokens or take longer?",
    "does few-shot prompting work on small models or only on big ones?",
])
def test_a_choice_the_answer_never_names_an_option_of_is_refused(knowledge_base, question):
    """The notes name Vicuna, the projection, CLIP, RAG's knowledge base and chain of thought, and say what each
    is; no sentence they would quote says which size, whether frozen, where it is stored, or what it costs."""
    answer = knowledge_base.answer(question)
    assert not answer.grounded, answer.markdown()


@pytest.mark.parametrize("question", [
    "is bert trained on real sentences or on masked ones?",
    "is the embedding stuff hand coded by engineers or learned?",
    "should i go with bert or gpt for a chatbot?",
    "do transformers read a sentence one word at a time or all at once?",
])
def test_a_choice_the_answer_names_an_option_of_is_still_answered(knowledge_base, question):
    answer = knowledge_base.answer(question)
    assert answer.grounded, answer.markdown()


def test_a_guess_after_in_what_the_answer_never_names_is_refused(knowledge_base):
    """The notes call transformers' scaling quadratic, never in what: the student's guess is not theirs to confirm."""
    answer = knowledge_base.answer("quadratic scaling in what, the number of layers?")
    assert not answer.grounded, answer.markdown()


def test_a_guess_after_in_what_the_answer_names_is_answered(knowledge_base):
    answer = knowledge_base.answer("context size is counted in what, tokens?")
    assert answer.grounded, answer.markdown()
    assert "tokens" in answer.markdown()


def test_an_answer_that_only_repeats_the_question_is_refused(knowledge_base):
    """"Prone to hallucination" gives back what the student said; it does not say what counts as one."""
    answer = knowledge_base.answer("transformers are prone to hallucination, but what counts as one?")
    assert not answer.grounded, answer.markdown()


def test_the_same_sentence_still_answers_a_yes_or_no_question(knowledge_base):
    answer = knowledge_base.answer("are transformers prone to hallucination?")
    assert answer.grounded, answer.markdown()
