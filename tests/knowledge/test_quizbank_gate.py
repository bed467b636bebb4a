"""The strict gate for generated items: each rule drops the flaw it names, and a good item passes."""

from __future__ import annotations

import dataclasses

import pytest

from knowledge.notes import load_chunks
from knowledge.quizbank.gate import DISTRACTOR_CAP, Gate, balance_true_false
from knowledge.types import QuizItem

NOTES = """# Notes

## Transformers

Transformers look at the entire sentence at once using self-attention. This lets them relate every word to every other word.

## Tokens

Tokenization is the initial phase of interacting with LLMs. It involves breaking the input text into smaller pieces known as tokens.
Subword tokenization breaks the input text into smaller pieces that keep their meaning.
RAG helps with reducing hellucinations by limiting the LLM to answer based on chosen data.

## Sequences

RNN reads a sentence word-by-word, remembering past words to understand the next one.
"""


@pytest.fixture(scope="module")
def gate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("notes")
    (folder / "n.md").write_text(NOTES, encoding="utf-8")
    return Gate(load_chunks(folder))


GOOD = QuizItem(
    id="g1", kind="mcq",
    question="Which of these looks at the entire sentence at once?",
    options=("Transformers", "Tokenizers", "Encoders", "Decoders"), answer=0,
    explanation="Transformers look at the entire sentence at once using self-attention. "
    "That lets them relate every word to every other word instead of reading step by step.",
    source_title="Notes › Transformers", source_path="n.md", topic="Notes › Transformers",
)


def _tf(statement: str, answer: int, explanation: str) -> QuizItem:
    return dataclasses.replace(GOOD, kind="true_false", question=f"True or false: {statement}",
                               options=("True", "False"), answer=answer, explanation=explanation)


def _blank(question: str, options: tuple[str, ...]) -> QuizItem:
    return dataclasses.replace(GOOD, kind="fill_blank", question=f"Fill in the blank: {question}", options=options)


def test_a_good_item_passes(gate):
    """An item with a reason in its explanation and same-kind, clearly wrong options passes."""
    assert gate.reasons(GOOD) == []


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (
            _tf("Tokenization is the initial phase of interacting with LLMs.", 0,
                "Tokenization is the initial phase of interacting with LLMs."),
            "only repeats the statement",
        ),
        (
            _blank("Every token is assigned a random vector as its ____ at first.",
                   ("embedding", "Context size", "RAG", "Tokenization")),
            "capitalised differently",
        ),
        (_blank("Models learn ____ from data over time.", ("embeddings", "Context size", "RAG", "Tokenization")),
         "number"),
        (
            dataclasses.replace(GOOD, question="Which of these breaks text into tokens first?",
                                options=("Tokenization", "RAG", "Self-attention", "Context size")),
            "points at the answer",
        ),
        (dataclasses.replace(GOOD, options=("Transformers", "RAG", "Tokenization", "Context size")), "mixed kinds"),
        (_tf("Clear prompts improve response quality a lot in practice.", 0, GOOD.explanation), "platitude"),
        (_tf("Embeddings may capture the meaning of words in context.", 0, GOOD.explanation), "hedged"),
        (_tf("Transformers solve vanishing gradients, memory, and scalability problems.", 0, GOOD.explanation),
         "absolute claim"),
        (_tf("The model adjusts its weights to reduce the loss after each step.", 0, GOOD.explanation),
         "vague subject"),
        (_tf("BERT adds [MASK] to real sentences; GPT uses real sentences as-is.", 0, GOOD.explanation),
         "flattened"),
        (
            dataclasses.replace(GOOD, question="Which of these reads the words of a sentence to understand the next one?",
                                options=("Transformers", "RNN", "Tokenizers", "Decoders")),
            "may be right too",
        ),
        (
            _tf("RAG helps with reducing hellucinations by limiting the answer.", 0,
                "RAG helps with reducing hellucinations. It limits the LLM to answer from chosen data, not memory."),
            "typo",
        ),
        (
            _tf("RNN looks at the entire sentence at once using self-attention.", 1,
                "Transformers look at the entire sentence at once using self-attention. "
                "An RNN reads a sentence word-by-word instead, remembering past words."),
            None,  # swapped in a term the notes describe otherwise: fine
        ),
    ],
)
def test_each_rule_drops_the_flaw_it_names(gate, item, expected):
    """Every flaw the issue lists is caught, with a reason that names it."""
    reasons = gate.reasons(item)
    if expected is None:
        assert reasons == []
    else:
        assert any(expected in r for r in reasons), reasons


def test_a_false_statement_true_of_the_swapped_in_term_is_dropped(gate):
    """Swapping in a term the notes describe with the same words would make a False key arguable."""
    item = _tf("Subword tokenization involves breaking the input text into smaller pieces known as tokens.", 1,
               "Tokenization involves breaking the input text into smaller pieces known as tokens. "
               "It is the initial phase of interacting with LLMs.")
    assert any("swapping in 'Subword'" in r for r in gate.reasons(item)), gate.reasons(item)


def test_one_item_per_fact_and_a_cap_on_each_distractor(gate):
    """A second item on the same fact is dropped, and no distractor is used more than the cap."""
    twin = dataclasses.replace(GOOD, id="g2", question="Which of these looks at the entire sentence at once, then?")
    kept, rejected = gate.select([GOOD, twin])
    assert [i.id for i in kept] == ["g1"]
    assert "same fact" in rejected[0].reasons[0]

    # Hand-written items already use "Tokenizers" as a wrong option up to the cap.
    curated = [
        dataclasses.replace(GOOD, id=f"c{n}", question=f"Curated question {n} on another topic entirely?",
                            options=("Alpha", "Tokenizers", f"Beta{n}", f"Gamma{n}"),
                            explanation=f"Alpha is the answer to question {n}.", source_title="Notes › Tokens")
        for n in range(DISTRACTOR_CAP)
    ]
    kept, rejected = gate.select([GOOD], curated=curated)
    assert kept == []
    assert any("'Tokenizers' already used" in r for r in rejected[0].reasons), rejected


def test_true_and_false_are_balanced_by_dropping_generated_ones():
    """Always answering True must not pay: extra generated True items go, hand-written ones stay."""
    trues = [_tf(f"Statement {n} is right.", 0, "x") for n in range(6)]
    trues = [dataclasses.replace(t, id=f"t{n}") for n, t in enumerate(trues)]
    falses = [dataclasses.replace(_tf(f"Statement {n} is wrong.", 1, "x"), id=f"f{n}") for n in range(3)]
    items, dropped = balance_true_false([*trues, *falses], {"t3", "t4", "t5"})
    share = sum(1 for i in items if i.answer == 0) / len(items)
    assert 0.45 <= share <= 0.55
    assert {i.id for i in items} >= {"t0", "t1", "t2"}
    assert all("too many True" in d.reasons[0] for d in dropped)
