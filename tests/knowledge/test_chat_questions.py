"""A question typed in chat comes wrapped: an address, a greeting, "quick question:", thanks, emoji,
a typo. None of it is what is asked; the answer is the one the bare question gets.

The shipped notes, indexed with the real model.
"""

import pytest

from knowledge.retrieval import without_chatter


@pytest.mark.parametrize(("typed", "asked"), [
    ("@StudyBuddy what is the vanishing gradient problem?", "what is the vanishing gradient problem?"),
    ("hey @StudyBuddy, quick question: what is RAG? thanks!!", "what is RAG?"),
    ("hi there bot, what is a token? thx", "what is a token?"),
    ("where do embeddings get used in practice 🤔🤔", "where do embeddings get used in practice"),
    ("pls explain: how does rag work 👍🏽", "how does rag work"),
    ("Question: what is LLaVA", "what is LLaVA"),
    # What is asked stays, and so does a question that is nothing but chat.
    ("explain tokenization", "explain tokenization"),
    ("tell me about rag", "tell me about rag"),
    ("what are q values", "what are q values"),
    ("thanks", "thanks"),
])
def test_the_chat_around_a_question_is_not_part_of_it(typed, asked):
    assert without_chatter(typed) == asked


@pytest.mark.parametrize("question", [
    "is chatgpt learning from what i type",  # a yes-or-no question behind a greeting is still one
    "what dataset was llava instruction tuned on",  # the notes never name it: still not answered
    "where do embeddings get used in practice",
    "can embeddings deal with a word like bank that has several meanings",
])
def test_a_question_wrapped_in_chat_gets_the_bare_question_s_answer(knowledge_base, question):
    bare = knowledge_base.answer(question)
    for typed in (f"hey @StudyBuddy, quick question: {question} 🤔", f"{question} thanks!!"):
        wrapped = knowledge_base.answer(typed)
        assert wrapped.grounded == bare.grounded, typed
        assert wrapped.markdown() == bare.markdown(), typed


@pytest.mark.parametrize(("typo", "word"), [("pracitce", "practice"), ("wnidow", "window"), ("thnig", "thing"),
                                            ("wehre", "where"), ("haevnt", "havent")])
def test_two_letters_swapped_are_read_as_the_word_meant(knowledge_base, typo, word):
    r = knowledge_base.retriever
    assert r.analyze(f"what about the {typo} here").corrected == f"what about the {word} here"


def test_a_swapped_typo_finds_what_the_word_finds(knowledge_base):
    right = knowledge_base.answer("whats a context window")
    typed = knowledge_base.answer("whats a context wnidow")
    assert typed.grounded and [h.chunk_id for h in typed.hits[:1]] == [h.chunk_id for h in right.hits[:1]]


@pytest.mark.parametrize(("typed", "written"), [
    ("how are embeddings optimised", "how are embeddings optimized"),  # British spelling
    ("how does bert learn w/o labels", "how does bert learn without labels"),  # chat shorthand
    ("why do rnns forget stuff b/c of gradients?", "why do rnns forget stuff because of gradients?"),
    ("so like what even is a token", "what is a token"),
])
def test_spellings_and_shorthands_of_chat_find_what_the_written_question_finds(knowledge_base, typed, written):
    a, b = knowledge_base.answer(typed), knowledge_base.answer(written)
    assert a.grounded and b.grounded, (a.confidence, b.confidence)
    assert a.hits[0].chunk_id == b.hits[0].chunk_id
    assert a.markdown() == b.markdown()


def test_either_spelling_in_the_notes_matches_either_in_the_question(knowledge_base):
    r = knowledge_base.retriever
    assert r.stems_of("the colour of its behaviour") == r.stems_of("the color of its behavior")
    # A word that only looks British is left as typed: "flour" is not "flor", "promise" not "promize".
    assert r.analyze("is flour a promise").corrected == "is flour a promise"


@pytest.mark.parametrize("question", ["what is cot prompting", "explain cot", "cot"])
def test_a_hyphenated_term_s_acronym_typed_in_lower_case_is_the_term(knowledge_base, question):
    answer = knowledge_base.answer(question)
    assert answer.grounded and "Chain-of-Thought" in answer.sources[0].text, answer.markdown()


def test_a_lower_case_word_that_happens_to_be_an_acronym_is_the_word(knowledge_base):
    """"cot" is a bed unless the question is about what the term's passages are about; "lot" is never the
    acronym of a heading in title case ("Limitations of Transformers")."""
    r = knowledge_base.retriever
    assert "Chain-of-Thought" not in r.analyze("does a cot fold flat").corrected
    assert not knowledge_base.answer("does a cot fold flat").grounded
    assert "Limitations" not in r.analyze("transformers use a lot of memory").corrected
