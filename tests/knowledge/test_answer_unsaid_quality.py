"""Out of scope, asked in the notes' own terms: a yes-or-no question whether a thing has more or less of a quality
the cited passages never name, and what one thing does when the notes only list it or leave it to try. The student
is told the notes don't cover it; the same things asked in a way the notes do answer are still answered."""

import pytest


@pytest.mark.parametrize("question", [
    "does claude's 200k context make it slower than gpt-4 turbo?",
    "so does a longer prompt cost more money?",
    "doesnt chain of thought make every request more expensive?",
])
def test_more_or_less_of_a_quality_the_passage_never_names_is_refused(knowledge_base, question):
    """These were answered by the context sizes, what a prompt does or what chain-of-thought is."""
    answer = knowledge_base.answer(question)
    assert not answer.grounded, answer.markdown()
    assert answer.markdown().startswith("My notes don't cover that.")


@pytest.mark.parametrize(("question", "says"), [
    ("does a bigger context window let the model see more tokens?", "how many tokens the model can see"),
    ("do transformers handle long sentences better than rnns?", "solve vanishing gradients"),
    ("so does the mask trick make bert worse at anything?", "[MASK]"),
    ("do transformers train faster than rnns?", "all words at once"),
    # (a comparative before a word that is a stopword elsewhere still names the thing: "a longer answer")
    ("does chain of thought just mean the model gives a longer answer?", "step by step"),
])
def test_a_comparison_the_notes_make_in_their_own_words_is_answered(knowledge_base, question, says):
    """A comparative that names the thing ("a bigger context window"), better/worse than a thing the passage names,
    or faster/slower where the passage says how the work is done ("all words at once"), is answered."""
    answer = knowledge_base.answer(question)
    assert answer.grounded, answer.markdown()
    assert says in answer.markdown()


@pytest.mark.parametrize("question", [
    "what does top_p actually do",
    "remind me what frequency_penalty does exactly",
    "what does frequency_penalty change in the output?",
])
def test_what_a_listed_or_to_do_thing_does_is_refused(knowledge_base, question):
    """"Understanding temperature, max tokens, and top_p ..." and "Still need to experiment more with ... like
    frequency_penalty" were quoted as what they do."""
    answer = knowledge_base.answer(question)
    assert not answer.grounded, answer.markdown()


@pytest.mark.parametrize("question", [
    "what should I still experiment with?",
    "what parameters do the notes mention?",
    "anything about frequency_penalty in the notes?",
    "is frequency_penalty mentioned?",
])
def test_what_is_left_to_try_or_mentioned_is_still_answered_by_the_to_do(knowledge_base, question):
    """The to-do line answers what the writer still has to try, and whether or what the notes mention."""
    answer = knowledge_base.answer(question)
    assert answer.grounded, answer.markdown()
    assert "frequency_penalty" in answer.markdown()


@pytest.mark.parametrize("question", [
    "what's an example of a role-based prompt from the notes?",
    "what example chain-of-thought prompt do the notes give that I can show students?",
])
def test_asked_for_an_example_the_notes_never_give_is_refused(knowledge_base, question):
    """"Clear and role-based prompts improve response quality." and what chain-of-thought involves hold no example."""
    answer = knowledge_base.answer(question)
    assert not answer.grounded, answer.markdown()


@pytest.mark.parametrize(("question", "says"), [
    ("give me an example of two words that would sit near each other in embedding space", "joyful"),
    ("what example output do the notes give for llava?", "A cat is sitting on a wooden table."),
])
def test_an_example_the_notes_give_is_quoted(knowledge_base, question, says):
    """A quotation of a few words or a "for example" is one."""
    answer = knowledge_base.answer(question)
    assert answer.grounded, answer.markdown()
    assert says in answer.markdown()


@pytest.mark.parametrize("question", [
    "does self-consistency only work if temperature is above 0?",
    "is chain-of-thought only worth it on huge models or does it help small ones too?",
])
def test_only_under_a_condition_the_passage_never_names_is_refused(knowledge_base, question):
    """What self-consistency or chain-of-thought is cannot say whether it needs a temperature or a big model."""
    answer = knowledge_base.answer(question)
    assert not answer.grounded, answer.markdown()


def test_only_under_a_condition_the_passage_names_is_answered(knowledge_base):
    """The notes say the distances carry the meaning."""
    answer = knowledge_base.answer("do the actual coordinates of an embedding vector mean something or is it only the "
                                   "distances")
    assert answer.grounded, answer.markdown()
    assert "spatial distance" in answer.markdown()
