"""Answers that say what was asked and no more, in whole sentences: one list item when one item
answers, the whole list when the list is asked for, a sentence wrapped over two lines quoted whole,
a heading written as text never quoted, a sentence that points at a list brought with its items.

Small synthetic notes, indexed with the real model.
"""

import pytest

from tests.support import notes_knowledge_base

NOTES = """# Databases

## Drawbacks of Relational Databases

- Rigid schemas that need migrations for every change
- Horizontal scaling across many machines is hard
- Expensive licences for the commercial engines
- Joins get slow on very large tables

## Indexes

A B-tree index keeps keys sorted so lookups take logarithmic time, and it keeps
range scans cheap because neighbouring keys sit on the same pages.

## Backups

Nightly Snapshots Are Taken By The Operator
All of this happens without downtime.
- Snapshots are copied to another region.
- Each snapshot is checked by restoring it once a week.
"""


@pytest.fixture(scope="module")
def kb(real_embedder, tmp_path_factory):
    return notes_knowledge_base(tmp_path_factory.mktemp("focus"), {"db.md": NOTES}, real_embedder)


def _said(answer) -> list[str]:
    assert answer.grounded, answer.markdown()
    return [s.text for s in answer.statements]


def test_one_item_that_answers_is_the_answer_not_the_whole_list(knowledge_base):
    """The shipped notes' list of five limitations of transformers: a question about what makes them
    costly is answered by the one item on cost (it used to get all five)."""
    for question in ("why is it so costly to run a transformer?", "why does running transformers cost so much"):
        said = _said(knowledge_base.answer(question))
        assert "Expensive to train and run (quadratic scaling)" in said, question
        assert not {"Prone to hallucination", "No true long-term memory"} & set(said), question
    whole = _said(knowledge_base.answer("what are the limitations of transformers?"))
    assert {"Prone to hallucination", "No true long-term memory", "Expensive to train and run (quadratic scaling)"} \
        <= set(whole), "asked for the list, the whole list"


def test_a_sentence_wrapped_over_two_lines_is_quoted_whole(kb):
    said = _said(kb.answer("why are range scans cheap with a b-tree index?"))
    assert any(s.startswith("A B-tree index keeps keys sorted") and s.endswith("on the same pages.") for s in said)
    assert not any(s[:1].islower() for s in said), said


def test_a_heading_written_as_text_is_never_quoted_and_a_pointing_sentence_brings_its_list(kb):
    for question in ("where do snapshots go?", "how are backups done without downtime?"):
        answer = kb.answer(question)
        said = _said(answer)
        assert "Nightly Snapshots Are Taken By The Operator" not in said, question
        if "All of this happens without downtime." in said:
            assert {"Snapshots are copied to another region.",
                    "Each snapshot is checked by restoring it once a week."} <= set(said), answer.markdown()
