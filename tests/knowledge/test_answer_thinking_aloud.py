"""A long message that thinks out loud around its question (a wrong belief, a story, an aside after it) is answered
for its question: the belief's or the aside's words ("normalization", "wordnet", "annotation") are no names the notes
lack, and do not refuse it; a question the notes cannot answer is still refused.

The shipped notes, indexed with the real model.
"""

import time

import pytest

from knowledge.retrieval import (
    _ASKS_AFTER_COMMA,
    _ASKS_INDIRECTLY,
    _BELIEF_CLAUSE,
    _BELIEF_OPENING,
    _POINTS_AT_STORY,
)


@pytest.mark.parametrize(("message", "phrase"), [
    # a belief between two questions
    ("When the model guesses 'hat' where the right word was 'mat', how does it know how wrong it was? I assumed some "
     "human reviewer was flagging the mistakes. What does it actually compute?", "a score showing how wrong it was"),
    # ... and what the asker would have expected
    ("Are 'happy' and 'joyful' far apart in embedding space, given they have different token IDs? That's what I'd "
     "naively expect. What did the notes say about that pair?", "relatively close embeddings"),
    # a belief joined to the question by a comma
    ("where do embeddings start out before any training, i always figured someone pre-loads them from wordnet or a "
     "thesaurus. how do the notes say they get initialized", "random vector"),
    # a belief, then another question, then the asker's reason
    ("Who adjusts the embeddings while the model learns, is it people labelling which words are similar? I honestly "
     "pictured an annotation team doing that for months. How is it done according to the notes? Asking because my "
     "friend swears it's manual.", "adjusts these numbers"),
    # a guess at what a "which" question asks, told before it
    ("In the reflections someone wrote they still had to experiment with one OpenAI parameter, and I think it was "
     "logit_bias or maybe presence_penalty? I can't recall it now. Which parameter did they still need to experiment "
     "with?", "frequency_penalty"),
    # an aside after the question
    ("I'm making a cheat sheet for the exam and need the one-line takeaway of what good prompting comes down to. "
     "What do the notes say good prompting is about? Bonus if anyone knows whether ALL CAPS matters but that's not "
     "important.", "good prompting is about guiding the model"),
])
def test_a_question_thought_out_loud_is_answered(knowledge_base, message, phrase):
    """The belief or aside around the question does not refuse it: the passage that answers is cited."""
    answer = knowledge_base.answer(message)
    assert answer.grounded, answer.markdown()
    assert any(phrase in s.text for s in answer.sources), [s.title for s in answer.sources]


def test_a_belief_the_question_checks_is_what_it_asks_about(knowledge_base):
    """"Is that actually wrong" checks the belief just before it; the story before that is set aside."""
    answer = knowledge_base.answer(
        "I was estimating my API bill by counting the words in my prompts and the numbers never matched the "
        "dashboard. I just assumed one word is one token, it seemed obvious. Is that actually wrong, can a single "
        "word become more than one token?")
    assert answer.grounded, answer.markdown()
    assert "a single word can be multiple tokens" in answer.sources[0].text


def test_a_name_in_what_the_asker_does_not_get_still_refuses(knowledge_base):
    """"Someone mentioned RLHF ... and I don't get how that works" asks about RLHF: the notes never mention it."""
    message = ("I know the model doesn't learn from my chats while I use it. But how was it tuned to follow "
               "instructions in the first place? Someone mentioned RLHF with human rankers and I don't get how that "
               "works.")
    assert "RLHF" in knowledge_base.retriever.without_thinking_aloud(message)
    answer = knowledge_base.answer(message)
    assert not answer.grounded
    assert any("RLHF" in m for m in answer.missing), answer.missing


@pytest.mark.parametrize("message", [
    # short: what the asker recalls after the question is a hint at what is asked
    "what stuff was still unanswered at the end of week 1? I think one was about what happens when you run out of room",
    # the question points back at the story told before it
    "Suppose I pose an identical question to several versions of the model and then go with whichever reply shows "
    "up the most. Which prompting technique is that, and how is it described?",
    # a belief checked by a question that names nothing of its own
    "I always assumed that BERT reads every sentence strictly from left to right, one word after another, like GPT "
    "does when it writes. Is that right? Am I correct?",
])
def test_messages_read_as_typed(knowledge_base, message):
    """Short messages, a question that leans on the story before it, and a bare check of a belief are read whole."""
    assert knowledge_base.retriever.without_thinking_aloud(message) == message


@pytest.mark.parametrize("regex", [_BELIEF_OPENING, _BELIEF_CLAUSE, _ASKS_AFTER_COMMA, _ASKS_INDIRECTLY,
                                   _POINTS_AT_STORY])
@pytest.mark.parametrize("unit", [" ", ", ", ", i ", "i just ", ", what ", "don't ", "really ", "that ", "ly ",
                                  "kind of ", "a"])
def test_the_readings_are_quick_on_long_hostile_input(regex, unit):
    text = (unit * (4000 // len(unit) + 1))[:4000]
    # CPU time of this process, not wall time: a machine busy with other work (or the other
    # pytest-xdist worker) must not fail a check of the pattern's own cost.
    start = time.process_time()
    regex.search(text)
    regex.match(text)
    assert time.process_time() - start < 0.02


@pytest.mark.parametrize("message", [
    "what tricks do newer models use to make long contexts cheap? I've heard of FlashAttention but don't really get "
    "how it cuts the cost.",
    "how do models handle long inputs without the quadratic cost? i've read about FlashAttention and i dont get how "
    "it works",
])
def test_a_name_the_asker_says_they_do_not_get_is_asked_about(knowledge_base, message):
    """What the asker says of themselves after the question is set aside, but not "I don't get how" a name works:
    that is what is asked, and the notes never mention it."""
    answer = knowledge_base.answer(message)
    assert not answer.grounded
    assert any("FlashAttention" in m for m in answer.missing), answer.missing


@pytest.mark.parametrize(("question", "name"), [
    ("how does logit_bias change the output?", "logit_bias"),
    ("what value should I give presence_penalty?", "presence_penalty"),
])
def test_a_setting_the_notes_never_write_refuses_by_name(knowledge_base, question, name):
    """An identifier typed as one ("logit_bias") that the notes never write, nor all of its words, is a name they
    lack: the refusal says so."""
    answer = knowledge_base.answer(question)
    assert not answer.grounded
    assert any(name in m for m in answer.missing), answer.missing


def test_a_story_naming_the_notes_open_question_is_what_is_asked(knowledge_base):
    """The story says which question the student is stuck on: the notes' open one. Reading the question alone
    answered it with an unrelated line about good prompting."""
    ans = knowledge_base.answer(
        "In week one there's an open question about few-shot prompting versus fine-tuning, and I'm stuck on the same "
        "thing for my project. When is it worth paying for fine-tuning instead of just adding a handful of examples "
        "to the prompt? I have around 500 labeled samples.")
    assert "open question" in ans.markdown().splitlines()[0], ans.markdown()
