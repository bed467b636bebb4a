"""What a student reads in an answer: whole thoughts, table rows as sentences, the key sentence.

Small synthetic notes, indexed with the real model, so each rule is seen on text written for it.
"""

import pytest

from tests.support import notes_knowledge_base

NOTES = """# Backend Systems Notes

## Why use a cache?

A cache in front of the database helps a web service in three ways, namely:
- Fewer database round trips
- Lower latency for repeated reads
- Less load during traffic spikes

## Storage engines compared

| Engine | Durability | Speed |
|---|---|---|
| Redis | optional snapshots to disk | very fast |
| Postgres | a write-ahead log | moderate |

## Message queues

Kafka is a distributed event platform first built at LinkedIn. Producers write to named topics, and each topic is \
split into partitions spread over the brokers. Every partition is an append-only log of events. They are kept for a \
configurable retention period, so consumers can replay old events.

## Office life

The office coffee machine keeps coffee warm for hours. Nobody knows who refills the beans.
"""


@pytest.fixture(scope="module")
def kb(real_embedder, tmp_path_factory):
    return notes_knowledge_base(tmp_path_factory.mktemp("reading"), {"systems.md": NOTES}, real_embedder)


def test_a_list_item_comes_with_the_line_that_introduces_it(kb):
    """A bullet quoted alone ("Less load during traffic spikes") is a non-sequitur: its lead-in comes first,
    and the markdown shows it as the line above the list."""
    ans = kb.answer("what does a cache do during traffic spikes")
    assert ans.grounded
    texts = [s.text for s in ans.statements]
    assert "Less load during traffic spikes" in texts
    lead = "A cache in front of the database helps a web service in three ways, namely:"
    assert texts.index(lead) < texts.index("Less load during traffic spikes")
    md = ans.markdown()
    assert f"{lead} [1]\n- " in md
    assert "- Less load during traffic spikes [1]" in md


def test_a_table_row_reads_as_a_sentence(kb):
    """A table row is stated as header: value pairs, never as a raw '| ... |' row."""
    ans = kb.answer("how does postgres make data durable")
    assert ans.grounded
    md = ans.markdown()
    assert "Engine: Postgres; Durability: a write-ahead log; Speed: moderate." in md
    assert "|" not in md


def test_a_sentence_that_leans_on_the_one_before_brings_it(kb):
    """'They are kept for a configurable retention period' names nothing: the sentence saying what
    'they' are is quoted before it."""
    ans = kb.answer("is the retention period configurable")
    texts = [s.text for s in ans.statements]
    kept = "They are kept for a configurable retention period, so consumers can replay old events."
    assert kept in texts
    assert texts.index("Every partition is an append-only log of events.") == texts.index(kept) - 1


def test_tables_are_recognised_in_both_shapes():
    """A markdown table and the notes reader's flattened two columns give the same rows; prose does not."""
    from knowledge.answer import _table

    piped = _table("| A | B |\n|---|---|\n| a1 | b1 |\n| a2 | b2 |")
    flat = _table("A: a1; a2.\nB: b1; b2.")
    assert piped is not None and flat is not None
    assert piped.rows == flat.rows == [["a1", "b1"], ["a2", "b2"]]
    assert flat.row_text(flat.rows[1]) == "A: a2; B: b2."
    assert _table("RAG: retrieval then generation.\nIt cites sources.") is None


OPS_NOTES = """# Database Operations Notes

## Replication

Postgres streams its write-ahead log to two replicas in other data centres. A replica can serve reads while it \
follows the primary.

## Handled for you

All of this happens without an operator.
- Failover promotes a replica within seconds when the primary dies.
- Backups of every database are taken each night at two o'clock.
- Disk space is added as the stored data grows.

## Office life

The office coffee machine keeps coffee warm for hours. Nobody knows who refills the beans.
"""


def test_a_list_is_quoted_without_a_lead_in_that_leans_on_an_earlier_passage(real_embedder, tmp_path):
    """"All of this happens without an operator." opens its passage and sums up what earlier ones said:
    over the item that answers it opens the answer on a "this" the student never sees. The item goes alone."""
    kb = notes_knowledge_base(tmp_path, {"ops.md": OPS_NOTES}, real_embedder)
    ans = kb.answer("how often are database backups taken")
    assert ans.grounded
    texts = [s.text for s in ans.statements if s.n == 1]
    assert "Backups of every database are taken each night at two o'clock." in texts
    assert "All of this happens without an operator." not in texts


BAKING_NOTES = """# Baking Notes

## How Sourdough Works

Let's say the dough is:

"Flour, water and salt"

A sourdough baker doesn't just bake this plain dough.

It adds a starter full of wild yeast and bacteria:

"Flour, water, salt and starter"

The wild yeast eats the sugars in the flour and releases gas, which makes sourdough bread rise.

## Office life

The office coffee machine keeps coffee warm for hours. Nobody knows who refills the beans.
"""


def test_a_sentence_naming_this_thing_not_quoted_is_left_out_beside_the_answer(real_embedder, tmp_path):
    """"A sourdough baker doesn't just bake this plain dough." names the dough the passage showed before it:
    beside the sentence that says how the bread rises, it is a non-sequitur (the shipped notes' "BERT doesn't
    just train on this raw sentence." opened five answers on BERT)."""
    kb = notes_knowledge_base(tmp_path, {"bake.md": BAKING_NOTES}, real_embedder)
    texts = [s.text for s in kb.answer("how does sourdough bread rise").statements]
    assert "The wild yeast eats the sugars in the flour and releases gas, which makes sourdough bread rise." in texts
    assert "A sourdough baker doesn't just bake this plain dough." not in texts


MAP_NOTES = """# Embedding Notes

## Random Start

At the very beginning of training, the model doesn't know what "apple", "river" or "music" means.
So it just gives each word a random set of numbers, like placing dots randomly on a map.
“apple” → top-left of the map
“river” → bottom-right of the map
“music” → middle of the map
Right now, these positions don't mean anything.

## Office life

The office coffee machine keeps coffee warm for hours. Nobody knows who refills the beans.
"""


def test_one_line_of_an_unbulleted_run_is_not_quoted_as_a_statement(real_embedder, tmp_path):
    """"“music” → middle of the map" is one of three lines of the same shape (a list written without
    bullets): beside the sentences that answer, it alone is a fragment."""
    kb = notes_knowledge_base(tmp_path, {"map.md": MAP_NOTES}, real_embedder)
    texts = [s.text for s in kb.answer("in the map analogy where is each word at the very start of training").statements]
    assert any(t.startswith("So it just gives each word a random set of numbers") for t in texts), texts
    assert not any("→" in t for t in texts), texts


LISTED_BAKING_NOTES = """# Baking Notes

## How Sourdough Works

Let's say the dough is:

"Flour, water and salt"

A sourdough baker doesn't just bake this plain dough.

A starter is added on purpose to:
- Make the bread rise without bought yeast
- Give the loaf its sour taste

The catch of sourdough:
- It takes a whole day to rise.
- The starter must be fed every day.

## Office life

The office coffee machine keeps coffee warm for hours. Nobody knows who refills the beans.
"""


def test_a_sentence_naming_this_thing_not_quoted_is_left_out_beside_the_passages_lists(real_embedder, tmp_path):
    """Answered with the passage's lists, "A sourdough baker doesn't just bake this plain dough." (the dough
    shown before it, not quoted) is left out too."""
    kb = notes_knowledge_base(tmp_path, {"bake.md": LISTED_BAKING_NOTES}, real_embedder)
    texts = [s.text for s in kb.answer("why do sourdough bakers use a starter instead of plain dough").statements]
    assert "Make the bread rise without bought yeast" in texts
    assert "A sourdough baker doesn't just bake this plain dough." not in texts
