"""Out of scope, asked as a teacher preparing a quiz would: a comparison with a thing the cited passages never name,
the notes' open question asked yes or no as a comparison, a figure of a named thing the notes give no number for,
and a term the notes never write asked "explain how X works". The student is told the notes don't cover it; the
same kinds of question the notes do answer are still answered."""

import time

import pytest

from knowledge import answer as A


@pytest.mark.parametrize("question", [
    "Does RAG reduce hallucinations more than fine-tuning does?",
    "is RAG better than fine-tuning for teaching a model new company knowledge?",
])
def test_compared_with_a_thing_the_passage_never_names_is_refused(knowledge_base, question):
    """The RAG passage says RAG helps; it never names fine-tuning, so it cannot say which does more."""
    answer = knowledge_base.answer(question)
    assert not answer.grounded, answer.markdown()
    assert answer.markdown().startswith("My notes don't cover that.")


@pytest.mark.parametrize(("question", "says"), [
    ("do transformers handle long sentences better than rnns?", "solve vanishing gradients"),
    ("do transformers train faster than rnns?", "all words at once"),
    ("can one word be more than one token?", "token"),
])
def test_compared_with_a_thing_the_passage_names_or_a_number_is_answered(knowledge_base, question, says):
    answer = knowledge_base.answer(question)
    assert answer.grounded, answer.markdown()
    assert says in answer.markdown()


def test_the_open_question_asked_as_a_yes_or_no_comparison_is_said_to_be_open(knowledge_base):
    """"Is fine-tuning cheaper than few-shot prompting" asks for the answer the notes leave open."""
    answer = knowledge_base.answer("Is fine-tuning cheaper than few-shot prompting in the long run?")
    assert not answer.grounded, answer.markdown()
    assert "open question" in answer.markdown()


def test_the_open_question_asked_as_such_is_still_given(knowledge_base):
    answer = knowledge_base.answer("what's the open question about few-shot prompting and fine-tuning?")
    assert "few-shot prompting and fine-tuning" in answer.markdown()


@pytest.mark.parametrize("question", [
    "What's BERT's maximum context size in tokens?",
    "What image resolution does the CLIP encoder in LLaVA accept?",
])
def test_a_figure_the_notes_give_no_number_for_is_refused(knowledge_base, question):
    """Answered by what context size is, and by what CLIP does: no number of BERT's, no resolution."""
    answer = knowledge_base.answer(question)
    assert not answer.grounded, answer.markdown()


@pytest.mark.parametrize(("question", "says"), [
    ("What's Claude's context window compared to GPT-4 Turbo?", "200k"),
    ("what's GPT-4 Turbo's context size?", "128k"),
    ("what happens if my chat gets longer than the model's limit", "forgets"),
])
def test_a_figure_the_notes_give_is_answered(knowledge_base, question, says):
    answer = knowledge_base.answer(question)
    assert answer.grounded, answer.markdown()
    assert says in answer.markdown()


def test_explain_how_an_unwritten_term_works_is_refused(knowledge_base):
    answer = knowledge_base.answer("Explain how positional encoding works in transformers.")
    assert not answer.grounded, answer.markdown()
    assert "positional encoding" in answer.markdown()


@pytest.mark.parametrize("question", ["explain how self-attention works", "can you explain how subword tokenization works?"])
def test_explain_how_a_term_of_the_notes_works_is_answered(knowledge_base, question):
    assert knowledge_base.answer(question).grounded


@pytest.mark.parametrize("question", [
    "Is Claude better than GPT-4 at not hallucinating?",
    'Grade this answer: "Multi-head attention splits attention into several heads." Is that right per the notes?',
])
def test_better_at_a_doing_or_a_claim_about_a_thing_the_passages_never_name_is_refused(knowledge_base, question):
    """Answered by the context sizes, and by what self-attention does: neither says a word of hallucinating or of
    multi-head attention."""
    answer = knowledge_base.answer(question)
    assert not answer.grounded, answer.markdown()


@pytest.mark.parametrize(("question", "says"), [
    ("are transformers better than rnns at long sentences?", "solve vanishing gradients"),
    ("is GPT better than BERT at generating text?", "generating text"),
    ('Grade this answer: "RAG means retraining the LLM on new documents." What do the notes actually define RAG as?',
     "knowledge base"),
    ('Grade this answer: "Transformers have unlimited context, so memory is never an issue."', "Fixed context size"),
    ('is it correct to say "a token is always one word"?', "multiple tokens"),
])
def test_better_at_or_a_claim_the_notes_speak_to_is_answered(knowledge_base, question, says):
    answer = knowledge_base.answer(question)
    assert answer.grounded, answer.markdown()
    assert says in answer.markdown()


def test_a_yes_no_question_about_an_acronym_the_notes_never_write_is_refused(knowledge_base):
    """Answered by the context sizes (GPT named); the notes never write BPE."""
    answer = knowledge_base.answer("is BPE the tokenizer gpt uses?")
    assert not answer.grounded, answer.markdown()
    assert "BPE" in answer.markdown()


@pytest.mark.parametrize(("question", "says"), [
    ("is GPT trained on real sentences?", "real sentences"),
    ("does RAG help with hallucinations?", "RAG"),
])
def test_a_yes_no_question_about_an_acronym_of_the_notes_is_answered(knowledge_base, question, says):
    answer = knowledge_base.answer(question)
    assert answer.grounded, answer.markdown()
    assert says in answer.markdown()


@pytest.mark.parametrize("text", [" " * 4000, "than " * 800, "'s " * 1300, "explain how " + "word " * 800 + "works",
                                  "what's " + "bert's " * 570 + "size", "at not " * 600 + "ing",
                                  '"' * 4000, "grade this " * 400, "so " * 1300 + "is BPE",
                                  "is " + "A" * 3990])
def test_the_new_patterns_take_little_time_on_hostile_input(text):
    # CPU time of this process, not wall time: a machine busy with other work (or the other
    # pytest-xdist worker) must not fail a check of the pattern's own cost.
    start = time.process_time()
    for pattern in (A._THAN_THING, A._OWNED_FIGURE, A._ASKS_QUANTITY, A._AT_DOING, A._GRADES_CLAIM, A._QUOTED_CLAIM,
                    A._YES_NO_ACRONYM,
                    *A._NAMED):
        list(pattern.finditer(text[:4000]))
    assert time.process_time() - start < 0.2
