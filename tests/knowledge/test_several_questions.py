"""A message that asks several things gets each answered, under its own question, with one list of
sources; one question asked in two ways, or a second part leaning on the first, is answered whole.

The shipped notes, indexed with the real model.
"""

import pytest

from knowledge.several import asked_separately, leaning_follow_up


@pytest.mark.parametrize(("typed", "parts"), [
    ("what is rag? and what is llava?", ["what is rag?", "what is llava?"]),
    ("hey, what is RAG and how does LLaVA work", ["what is RAG", "how does LLaVA work"]),
    ("what is a token? why do rnns forget? what is bert?", ["what is a token?", "why do rnns forget?",
                                                             "what is bert?"]),
    # One question: a part leaning on another, a part that is not a question, or too many parts.
    ("what is tokenization and why does it matter for cost", None),
    ("so does the model understand words? my friend says it does, so which is it", None),
    ("what is rag? a?", None),
    ("what is a? what is b? what is c? what is d?", None),
    ("what is the difference between bert and gpt", None),
    # A part that names no subject of its own asks about the other part's.
    ("Are transformers easy to interpret? What did the notes say?", None),
    ("what is rag? what does the writer say?", None),
    ("Did transformers replace RNNs? Is there a clear answer in the notes?", None),
    ("what is rag? do the notes cover it?", None),
    ("Why are transformers so expensive to run on long inputs? What do the notes list as the reason?", None),
    # "which ones" names the things the other part counts: one question.
    ("how many prompting techniques do the notes list? and which ones", None),
])
def test_which_messages_ask_several_questions(typed, parts):
    assert asked_separately(typed) == (parts or [typed])


def test_each_question_is_answered_under_its_own_heading_with_one_list_of_sources(knowledge_base):
    answer = knowledge_base.answer("what is rag? and what is llava?")
    rag, llava = knowledge_base.answer("what is rag?"), knowledge_base.answer("what is llava?")
    assert answer.grounded and [q for q, _ in answer.parts] == ["what is rag?", "what is llava?"]
    text = answer.markdown()
    assert text.index("**what is rag?**") < text.index("RAG simply consists") < text.index("**what is llava?**")
    assert text.index("**what is llava?**") < text.index(llava.statements[0].text)
    # Citations count on through the parts: LLaVA's passage is [2], after RAG's [1].
    ids = [s.chunk_id for s in answer.sources]
    assert ids[0] == rag.sources[0].chunk_id and ids[1] == llava.sources[0].chunk_id
    assert f"{llava.statements[0].text} [2]" in text
    assert len(ids) == len(set(ids))
    # Retrieval sees both: the first passage of each part leads the hits (what a language model is sent).
    assert {h.chunk_id for h in answer.hits[:2]} == {rag.hits[0].chunk_id, llava.hits[0].chunk_id}


def test_a_part_the_notes_do_not_cover_says_so_and_the_rest_is_answered(knowledge_base):
    answer = knowledge_base.answer("what is the capital of france? what is rag?")
    assert answer.grounded
    (france, no), (rag, yes) = answer.parts
    assert not no.grounded and yes.grounded
    assert answer.markdown().index("My notes don't cover that.") < answer.markdown().index("RAG simply consists")


@pytest.mark.parametrize("typed", [
    "what is rag? what is retrieval augmented generation?",  # the same passage: one question, asked twice
    "what is the capital of france and who won the world cup",  # nothing found: an abstention, not two
])
def test_one_question_in_two_ways_or_nothing_found_is_answered_whole(knowledge_base, typed):
    answer = knowledge_base.answer(typed)
    assert answer.parts == ()
    assert answer.markdown().count("**what is") == 0


@pytest.mark.parametrize(("typed", "pair"), [
    ("llava is made of which parts? and how many params does it have?",
     ("llava is made of which parts?", "how many params does it have?")),
    ("transformers replaced rnn? in which year did that happen?",
     ("transformers replaced rnn?", "in which year did that happen?")),
    # One question, or a guess at the first's answer, or a second part that asks nothing of its own.
    ("who made llava and when did it come out", None),
    ("how is clip trained? is it contrastive learning?", None),
    ("what is rag? and what is llava?", None),
    ("what is rag? why does it matter?", ("what is rag?", "why does it matter?")),
    ("what is rag? and it?", None),
    # ... or the first asked of another thing ("also same for X?").
    ("how long is gpt-4 turbo's context? also same for claude??", ("how long is gpt-4 turbo's context?", "same for claude??")),
    ("what is rag? what about graph-rag?", ("what is rag?", "what about graph-rag?")),
])
def test_which_messages_ask_a_second_question_about_the_first(typed, pair):
    assert leaning_follow_up(typed) == pair


def test_a_follow_up_the_notes_cannot_answer_leaves_the_first_question_answered(knowledge_base):
    """"llava is made of which parts? and how many params does it have?" was refused whole; the notes name the
    parts, and the count they never give is said to be past them."""
    answer = knowledge_base.answer("llava is made of which parts? and how many params does it have?")
    assert answer.grounded, answer.markdown()
    (_, parts), (_, count) = answer.parts
    assert parts.grounded and not count.grounded and not count.suggestions
    text = answer.markdown()
    assert text.index("Vicuna") < text.index("**how many params does it have?**") < text.index("My notes don't cover that.")


def test_a_follow_up_about_a_name_the_notes_never_mention_says_so_under_its_own_heading(knowledge_base):
    """"what is rag? and does it work with pinecone?" was answered whole, with nothing on pinecone: the second
    question now says the notes never mention it, under the first question's answer."""
    answer = knowledge_base.answer("what is rag? and does it work with pinecone?")
    assert answer.grounded and [q for q, _ in answer.parts] == ["what is rag?", "does it work with pinecone?"]
    assert answer.parts[0][1].grounded and not answer.parts[1][1].grounded
    text = answer.markdown()
    assert text.index("RAG simply consists") < text.index("My notes don't cover that. They never mention “pinecone”.")
    # A name the first question typed is not the second's to refuse.
    elliptic = knowledge_base.answer("how much context does gpt-3.5 have? also same for gpt-4o??")
    assert elliptic.grounded and "They never mention “gpt-4o”." in elliptic.markdown()
    assert "“gpt-3" not in elliptic.markdown()


@pytest.mark.parametrize("typed", ["How is CLIP itself trained? Is it contrastive learning?",
                                   "who made llava and when did it come out"])
def test_a_follow_up_does_not_open_a_refused_message_the_first_question_shares(knowledge_base, typed):
    """A guess at the first question's answer, or one question of where a thing came from, stays refused whole."""
    assert not knowledge_base.answer(typed).grounded
