"""Grounded, cited answers from the real model over the shipped notes."""

import re

import pytest

from knowledge.notes import load_chunks
from knowledge.text import sentences as split_sentences
from tests.support import SHIPPED_NOTES


def _all_sentences():
    return {s for c in load_chunks(SHIPPED_NOTES) for s in split_sentences(c.text)}


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what is the vanishing gradient problem?", "Chinese whispers"),
        ("pls explain vanishing gradiant", "Chinese whispers"),
        ("WHAT IS RAG", "knowledge base"),
        ("retrieval augmented generation explained", "knowledge base"),
        ("hey so like how do embedings get trained", "random vector"),
        ("limitations of transformers", "quadratic scaling"),
        ("difference between bert and gpt", "[MASK]"),
    ],
)
def test_answers_come_from_the_right_passage(knowledge_base, question, expected):
    """Typos, capitals, missing question marks and chatty phrasing still get the right, cited answer."""
    ans = knowledge_base.answer(question)
    assert ans.grounded
    assert expected in ans.markdown()
    assert ans.sources and all(f"[{s.n}]" in ans.markdown() for s in ans.statements)


def test_every_stated_sentence_is_in_the_notes(knowledge_base):
    """An answer never states a sentence the notes do not contain."""
    known = _all_sentences()
    for q in ["what is tokenization", "how does llava work", "is chatgpt learning from me",
              "why are embeddings powerful", "what is few shot prompting"]:
        ans = knowledge_base.answer(q)
        for st in ans.statements:
            assert st.text in known, st.text
        # every citation number points at a listed source
        cited = {int(n) for n in re.findall(r"\[(\d+)\]", ans.markdown())}
        assert cited == set(range(1, len(ans.sources) + 1))


@pytest.mark.parametrize("question", ["how do I bake sourdough bread", "who won the 2022 world cup",
                                      "what is LoRA fine-tuning", "how does kubernetes schedule pods"])
def test_abstains_when_the_notes_are_silent(knowledge_base, question):
    """Off-topic questions get an honest 'not covered' with the closest covered topics, and no citations."""
    ans = knowledge_base.answer(question)
    assert not ans.grounded
    assert ans.statements == () and ans.sources == ()
    assert "don't cover" in ans.markdown()
    assert 2 <= len(ans.suggestions) <= 3
