"""Questions typed as chat ("whats", what the student says before or after, "roughly", "again") that the notes do
not answer are refused as the same question asked plainly is; the notes' answers in the same form still come."""

import pytest


@pytest.mark.parametrize("question", [
    # a term's variant the notes never write, after what the student says first or before a guess of theirs
    "we did few shot in class but whats zero shot prompting",
    "whats exploding gradient, is it the opposite of the vanishing gradient problem",
    # ... though the passage found writes one of its words ("positions"), never the other ("encoding"); also
    # said first and asked after by a pronoun
    "whats positional encoding, why do transformers need it",
    "transformers learn word order from positional encodings - how do they work?",
    # a guess after a "how" question that the notes never mention
    "how is CLIP trained, is it contrastive?",
    # which paper (a name alone is no paper), or the title of a post
    "which paper introduced transformers? i have to cite it",
    "what's the title of the jay alammar article",
    # what an acronym typed in lower case stands for, when the notes never spell it out
    "remind me what clm stands for",
    # how many of a thing named with a word before it; how many of one thing make another; how many to use
    "how many attention heads does bert have",
    "roughly how many tokens is 500 words",
    "for my project how many samples should i use for self consistency",
    # a figure of something the notes never name
    "how big is llama's context window?",
    # the notes' own open question, asked as a tradeoff
    "whats the trade-off between few shot prompting and fine tuning? deciding for my app",
])
def test_a_chat_form_question_the_notes_do_not_answer_is_refused(knowledge_base, question):
    answer = knowledge_base.answer(question)
    assert not answer.grounded, answer.markdown()
    assert answer.markdown().startswith("My notes don't cover that.")


@pytest.mark.parametrize(("question", "says"), [
    ("whats few shot prompting", "Few-Shot Prompting"),
    ("how many tokens can gpt-3.5 see at once", "4k"),
    ("how big is claude's context window?", "200k"),
    ("what does llava stand for again", "Large Language and Vision Assistant"),
    ("what does mlm stand for", "Masked Language Modeling"),
    ("whats the vanishing gradient problem, is it an rnn thing", "shrink"),
    # a guess after a "how" question that the notes write, clipped ("backprop" for "backpropagation")
    ("how are embeddings learned, is it backprop?", "backpropagation"),
])
def test_the_same_forms_the_notes_answer_are_still_answered(knowledge_base, question, says):
    answer = knowledge_base.answer(question)
    assert answer.grounded, answer.markdown()
    assert says in answer.markdown()
