"""Re-answers without a model: "Simpler" is shorter, "Deeper" quotes more of the notes, "Example" is the notes' own."""

from __future__ import annotations

import re

from knowledge.levels import passages, reanswer
from knowledge.text import EXAMPLE_MARKER
from knowledge.types import Level


def cited_sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=\])\s*\n?-?\s*", text) if s.strip()]


def test_simpler_is_a_part_of_the_answer(knowledge_base):
    """A list answer keeps its first items; a prose answer its shortest statement(s), all verbatim and cited."""
    answer, simpler = reanswer(knowledge_base, "what are the limitations of transformers", Level.SIMPLER)
    assert simpler.found and len(simpler.text) < len(answer.markdown())
    assert simpler.text.splitlines() == answer.markdown().splitlines()[:3]
    answer, simpler = reanswer(knowledge_base, "what does an embedding do", Level.SIMPLER)
    assert 0 < len(simpler.text) < len(answer.markdown())
    for sentence in cited_sentences(simpler.text):
        assert re.sub(r"\s*\[\d\]$", "", sentence) in {s.text for s in answer.statements}


def test_simpler_says_so_when_the_answer_is_already_one_sentence(knowledge_base):
    """One statement cannot get shorter: the reply says it is already the simplest the notes put it."""
    questions = ["what is the vanishing gradient problem?", "what is few-shot prompting", "what is RAG"]
    one = [q for q in questions if len(knowledge_base.answer(q).statements) == 1]
    assert one, "none of these questions has a one-sentence answer any more: pick another"
    answer, simpler = reanswer(knowledge_base, one[0], Level.SIMPLER)
    assert not simpler.found and simpler.text.startswith("That is already the simplest")
    assert answer.markdown() in simpler.text


def test_deeper_quotes_more_of_the_notes_from_more_passages(knowledge_base):
    """Deeper has every statement of the plain answer's lead passage and more, and cites more passages."""
    answer, deeper = reanswer(knowledge_base, "what is an embedding", Level.DEEPER)
    assert len(deeper.text) > len(answer.markdown()) and len(deeper.sources) > len(answer.sources)
    assert deeper.sources[0] == answer.sources[0]
    for statement in answer.statements:
        assert statement.text in deeper.text
    for source in deeper.sources:
        assert any(w in source.text.lower() for w in ("embedding", "vector"))


def test_example_is_a_sentence_of_the_notes_that_gives_one(knowledge_base):
    """An example from the cited passage or its section, verbatim; "Example:" brings what follows it."""
    _, example = reanswer(knowledge_base, "what is an embedding", Level.EXAMPLE)
    assert example.found and EXAMPLE_MARKER.search(example.text) and "“happy” and “joyful”" in example.text
    _, example = reanswer(knowledge_base, "how does llava work", Level.EXAMPLE)
    assert example.found and "A cat is sitting on a wooden table." in example.text
    assert example.text.startswith("The model generates text based on the image. Example:")


def test_example_says_so_when_the_notes_give_none(knowledge_base):
    """No example in the notes: the reply says so and gives the plain answer, never another sentence as one."""
    answer, example = reanswer(knowledge_base, "what is the vanishing gradient problem?", Level.EXAMPLE)
    assert not example.found and example.text.startswith("My notes don't give an example of this.")
    assert answer.markdown() in example.text


def test_an_uncovered_question_stays_uncovered_at_every_level(knowledge_base):
    """No level turns "my notes don't cover that" into an answer."""
    for level in Level:
        answer, again = reanswer(knowledge_base, "what is the capital of France", level)
        assert not answer.grounded and again.text.startswith("My notes don't cover that.") and not again.sources


def test_only_related_passages_go_to_the_model(knowledge_base):
    """The passages sent with a question are the best one and those nearly as close; unrelated ones are left out."""
    hits = knowledge_base.search("what is the vanishing gradient problem?", 5)
    sent = passages(hits)
    assert sent[0] == hits[0] and all(h.dense >= 0.5 * hits[0].dense for h in sent)
    assert len(sent) < len(hits)
