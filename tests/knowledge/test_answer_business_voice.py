"""Managers, designers and teachers ask in their own way: a line about their work first, business words for the
notes' ("pricey", "execs", "vendors"), a term in quotes, a teacher's "Is it correct to say that ...?". The notes'
answer comes, quoted and cited; a question in the same voice about what the notes never say is still refused.

The shipped notes, indexed with the real model.
"""

import time

import pytest

from knowledge.answer import _CLAIMED_FIGURE, _COMPARE, _QUOTED_TERM
from knowledge.retrieval import _AUDIENCE, _CHECKS_CLAIM, _DEMONSTRATIVE, _FORMAT_HEAD, _ROLE_GIVEN


@pytest.mark.parametrize(("question", "says", "cited"), [
    # a teacher's claim to check
    ("Is it correct to say that one token always equals exactly one word?", "Tokens are not words", "What I Learned"),
    ("Would it be fair to say that every word becomes exactly one token?", "Tokens are not words", "What I Learned"),
    # a quoted term, then "how does it work?" about it
    ("Someone mentioned 'self-consistency' as a way to get more reliable answers. how does it work?",
     "asking the same question to multiple versions", "Another way to increase LLM performance"),
    # what the asker is doing, before a colon, is no side of the comparison
    ("comparing vendors: how much text can GPT-4 Turbo hold at once vs Claude?", "Claude has 200k",
     "context size"),
    # a role written out in quotes is a role prompt; "the bot" is the model
    ("Does telling the bot 'you are a friendly support agent' actually help or is that a gimmick?",
     "role-based prompts", "Key Takeaways"),
    # a story, then a question that only asks for its reason
    ("Finance keeps asking why these models are so pricey to run. is there a technical reason?",
     "Expensive to train and run", "Limitations of Transformers"),
    # a line about the asker's job, then a question naming its own thing ("that transformer explainer"), and how
    # they heard of it ("people keep recommending")
    ("Designer here, I learn visually. Who did that transformer explainer with pictures people keep recommending?",
     "Jay Alammar", "Personal Reflections"),
    # who the answer is for
    ("If I had to sum up 'good prompting' for execs in one sentence what would it be?",
     "good prompting is about guiding the model", "Another way to increase LLM performance"),
])
def test_a_business_or_teaching_voice_gets_the_notes_answer(knowledge_base, question, says, cited):
    answer = knowledge_base.answer(question)
    assert answer.grounded, answer.markdown()
    assert says in answer.markdown()
    assert any(cited in hit.title for hit in answer.sources)


@pytest.mark.parametrize("question", [
    "Is it correct to say that GPT-4 has about a trillion parameters?",
    "Someone mentioned 'tree of thoughts' as a way to get better answers. how does it work?",
    "comparing vendors: how much text can Gemini hold at once vs Claude?",
    "Does telling the bot 'you are a friendly support agent' make it cheaper to run?",
    "Finance keeps asking why our cloud bill doubled last month. is there a technical reason?",
    "If I had to sum up our Q3 roadmap for execs in one sentence what would it be?",
    "How do we test whether a chatbot's answers are accurate before we launch it to customers?",
    "Designer here, I learn visually. Which Figma plugin for AI mockups do people keep recommending?",
])
def test_the_same_voice_about_what_the_notes_never_say_is_refused(knowledge_base, question):
    answer = knowledge_base.answer(question)
    assert not answer.grounded, answer.markdown()


def test_a_teachers_openings_put_a_claim_up_for_checking():
    for opening in ("Is it correct to say that", "is it accurate to say", "Would it be fair to say that",
                    "Is it true that"):
        assert _CHECKS_CLAIM.match(f"{opening} tokens are words?"), opening
        assert _FORMAT_HEAD.match(f"{opening} tokens are words?").end() > len(opening), opening
    assert not _CHECKS_CLAIM.match("Is it correct how tokens are counted?")


def test_a_claimed_figure_is_of_what_it_counts():
    assert _CLAIMED_FIGURE.search("GPT-4 has about a trillion parameters")[1] == "parameters"
    assert _CLAIMED_FIGURE.search("GPT-4 Turbo holds 128k tokens")[1] == "tokens"
    assert _CLAIMED_FIGURE.search("one token always equals exactly one word") is None


def test_who_the_answer_is_for_is_no_word_of_the_question():
    for phrase in ("for execs", "to my boss", "for the non-technical folks", "for our stakeholders"):
        assert _AUDIENCE.search(f"sum up RAG {phrase} in one line"), phrase
    assert not _AUDIENCE.search("is RAG good for customers")


@pytest.mark.parametrize(("pattern", "unit"), [
    (_CHECKS_CLAIM, "is it correct to say "), (_FORMAT_HEAD, "would it be "), (_QUOTED_TERM, "'a "),
    (_QUOTED_TERM, "“"), (_COMPARE, "compare "), (_COMPARE, "vendors: "), (_QUOTED_TERM, " "),
    (_CLAIMED_FIGURE, "1 "), (_CLAIMED_FIGURE, "a trillion "), (_CLAIMED_FIGURE, "millions of "),
    (_AUDIENCE, "for the non-technical "), (_AUDIENCE, "to "), (_ROLE_GIVEN, "'you are "), (_ROLE_GIVEN, "' "),
    (_DEMONSTRATIVE, "that "),
])
def test_the_new_patterns_are_linear_on_long_hostile_input(pattern, unit):
    """Each takes well under 20 ms on 4,000 characters of one repeated unit."""
    text = (unit * 4000)[:4000] + "!"
    # CPU time of this process, not wall time: a machine busy with other work (or the other
    # pytest-xdist worker) must not fail a check of the pattern's own cost.
    started = time.process_time()
    for call in (pattern.search, pattern.findall):
        call(text)
    assert time.process_time() - started < 0.04
