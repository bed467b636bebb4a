"""What a student adds around a question in chat (what they say of themselves after it, a one-word guess, a gloss after
"like", a "=" for "what is", an example's two senses in brackets, everyday words for going past a limit, "the X style
of Y") is not what is asked: the notes' answer still comes, and a question of the same shape the notes do not answer is still refused."""

import pytest

from knowledge.retrieval import situation_after, without_chatter


@pytest.mark.parametrize(("question", "says"), [
    # what the asker says of themselves after the question, and the form asked for
    ("rnn in plain english pls. i have a midterm and the textbook is unreadable", "word-by-word"),
    ("gradients described in one sentence? i need a simple def for my flashcards", "nudges"),
    ("whos visual explainer of transformers did the notes recommend, i wanna watch it tonight", "Jay Alammar"),
    # a one-word everyday guess after a what-question
    ("before training starts what are the embeddings set to, zeros?", "random vector"),
    # ... or a guess of a few words, a thing the answer names otherwise ("a random vector" for "zero vector")
    ("at start of training embedding is what, zero vector?", "random vector"),
    ("embeddings start as what, a one-hot vector?", "random vector"),
    # the asker's situation and an ELI5 before the question
    ("night before my exam, explain like i'm 5: what is an llm", "next-token predictors"),
    # a part of the notes pointed at by position only, before a question that names its topic
    ("last part: whats llava?", "multimodal model"),
    # "=" for "is", and the student's gloss or doubt after it
    ("context size = ?? like how many words u can type?", "how many tokens"),
    ("cot prompting = just asking it to show work?? or is it smth fancier", "step by step"),
    # an example's two senses in brackets
    ("can embeddings handle a word that has 2 meanings, like bank (river vs money)?", "Multiple meanings"),
    # growing past a limit in everyday words
    ("what happens if my chat gets longer than the model's limit", "forgets earlier tokens"),
    ("what happens when my chat gets longer than what the model can hold", "forgets earlier tokens"),
    # "the X style of Y" is X Y
    ("why is the mask style of training considered less realistic", "less realistic"),
])
def test_a_chat_aside_around_an_answered_question_does_not_refuse_it(knowledge_base, question, says):
    answer = knowledge_base.answer(question)
    assert answer.grounded, answer.markdown()
    assert says in answer.markdown()


@pytest.mark.parametrize("question", [
    "whats lora in plain english pls. i have a midterm tomorrow",
    "quantization described in one sentence? i need it for my flashcards",
    "who invented lstms? i need it for my essay",
    # a guess English hardly has, or a name, still counts
    "what tokenizer does gpt use, tiktoken?",
    # a guess that names again the thing asked about, not what the answer names
    "the tokenizer in gpt is what, a wordpiece tokenizer?",
    "how do you measure how far apart two embeddings are, cosine?",
    "rlhf = ?? like how they train chatgpt to be nice?",
    "beam search = ?? like picking the best few at each step?",
    "is distillation = just training a small model on a big one?? or is it smth fancier",
    "can embeddings handle typos, like (cat vs kat)?",
    "what happens if my prompt gets longer than the api rate limit",
    "what happens when my dataset is longer than what my gpu can hold",
    "why is the distillation style of training cheaper",
    "why is the mask style of training slower on gpus",
])
def test_the_same_shapes_the_notes_do_not_answer_are_refused(knowledge_base, question):
    answer = knowledge_base.answer(question)
    assert not answer.grounded, answer.markdown()


def test_what_the_asker_says_of_themselves_after_a_question_is_set_apart():
    assert situation_after("rnn in plain english pls. i have a midterm") == ("rnn in plain english pls.", "i have a midterm")
    assert situation_after("what is attention, i wanna know tonight") == ("what is attention", "i wanna know tonight")
    # a second question, a recollection of the answer, or nothing after: read whole
    assert situation_after("what is X? i mean, how does it work?") is None
    assert situation_after("what was left open? I think one was about running out of room") is None
    assert situation_after("what is attention?") is None


def test_a_gloss_after_the_question_is_dropped_but_a_question_after_like_stays():
    assert without_chatter("context size = ?? like how many words u can type?") == "context size = ??"
    kept = "any tips for better answers? like should i give it a persona"
    assert without_chatter(kept) == kept
    kept = "llms are guessers?? like what exactly are they predicting"
    assert without_chatter(kept) == kept
    # after a question that asks something other than what a thing is, the example may be what is asked about
    kept = "tips for better replies? like act as a teacher or smth"
    assert without_chatter(kept) == kept


GLOSS_NOTES = """# Databases

## Sharding

Sharding is when we split one large table across several machines by a key, so each machine holds only its own rows.
It's like dealing a deck of cards to the players around a table.

## Replication

Replication keeps a full copy of the data on a second machine, so reads can go to either one.
"""


def test_the_sentence_holding_the_students_own_gloss_joins_the_answer(real_embedder, tmp_path):
    """The gloss after "..., right?" ("like pattern?" after "few shot = we give examples") is set aside from what is
    asked, but it is the student's guess: the sentence of the answering passage that holds it confirms it."""
    from tests.support import notes_knowledge_base

    kb = notes_knowledge_base(tmp_path, {"db.md": GLOSS_NOTES}, real_embedder)
    answer = kb.answer("sharding = we split the table over machines, rigth? like cards?")
    assert answer.grounded, answer.markdown()
    said = [s.text for s in answer.statements]
    assert any(s.startswith("Sharding is when") for s in said), said
    assert any("deck of cards" in s for s in said), said


@pytest.mark.parametrize(("question", "asked"), [
    ("ok night before exam, explain like im 5: what even IS an llm", "what is an llm"),
    ("exam tmrw: what is rag", "what is rag"),
    ("cramming rn - whats a token", "whats a token"),
    ("the night before the midterm, how does attention work?", "how does attention work?"),
])
def test_the_askers_situation_and_an_eli5_said_before_the_question_are_not_what_is_asked(question, asked):
    """"night before exam," and "explain like im 5:" ahead of the question: "night", "exam" and "5" had been read as
    its topic words, and the notes' sentence on what an LLM is was not retrieved at all."""
    from knowledge.retrieval import _FORMAT_HEAD

    assert " ".join(_FORMAT_HEAD.sub("", without_chatter(question)).lower().replace(" even ", " ").split()) == asked.lower()


def test_a_question_about_an_exam_or_a_test_keeps_its_words():
    for kept in ("the exam covers what?", "finals are hard, what is rag", "how do i test my prompts?"):
        assert without_chatter(kept) == kept


def test_a_part_of_the_notes_pointed_at_by_position_is_not_what_is_asked_but_one_named_stays():
    """"the last section —" had pulled the answer to "what is llava" off the passage that says what it is."""
    assert without_chatter("the last section — what is llava") == "what is llava"
    assert without_chatter("in the final part, how does clip fit in?") == "how does clip fit in?"
    kept = "the open questions section — what was the first thing listed there?"
    assert without_chatter(kept) == kept
