"""Answer quality on the evaluation sets: the bar a change must not lower."""

import pytest

from knowledge.evaluate import EVAL_SETS, evaluate, load_cases


def test_eval_sets_are_substantial():
    """The dev set has at least 40 answerable questions and 10 the notes do not cover; the later dev sets and
    each blind test set 60 and 15."""
    sizes = {"dev": (40, 10), "dev2": (60, 15), "dev3": (60, 15), "dev4": (60, 20), "dev5": (60, 20), "dev6": (60, 20), "dev7": (60, 20), "test": (60, 15), "test2": (60, 15), "test3": (60, 15), "test4": (60, 15), "dev8": (60, 40), "dev9": (80, 20), "dev10": (50, 50), "test5": (60, 15)}
    for name, (answerable, uncovered) in sizes.items():
        cases = load_cases(EVAL_SETS[name])
        assert sum(c.passage is not None for c in cases) >= answerable, name
        assert sum(c.passage is None for c in cases) >= uncovered, name


def test_dev_set_quality(knowledge_base):
    """On the set it was tuned on (last measured: hit@1 0.981, hit@3 1.000, cited 1.000, abstention 1.000),
    less one question of slack."""
    result = evaluate(knowledge_base, load_cases(EVAL_SETS["dev"]))
    misses = [r["question"] for r in result["rows"] if r["should_answer"] and r["rank"] != 1]
    assert result["hit@1"] >= 0.961, misses
    assert result["hit@3"] >= 0.98, misses
    assert result["right_passage_cited"] >= 0.98
    assert result["abstention_accuracy"] >= 0.984


# Each set held at its last measured figures less one question of slack (hit@1, right passage cited,
# abstention accuracy, key sentence quoted). History of each set in knowledge/eval/README.md.
FLOORS = {
    # The harder tuning batch; last measured hit@1 0.943, cited 0.971, abstention 1.000, key quoted 0.957.
    "dev2": {"hit@1": 0.928, "right_passage_cited": 0.956, "abstention_accuracy": 0.988, "key_quoted": 0.942},
    # The third tuning batch (first score hit@1 0.717, cited 0.867, abstention 0.845, key quoted 0.825);
    # last measured 1.000, 1.000, 0.952, 1.000.
    "dev3": {"hit@1": 0.983, "right_passage_cited": 0.983, "abstention_accuracy": 0.940, "key_quoted": 0.983},
    # The fresh batches of 2026-11-30 (first scores in knowledge/eval/README.md). dev4 last measured 0.933, 0.973,
    # 0.920, 0.960; dev5 0.923, 0.954, 0.956, 0.954; dev6 0.827, 0.880, 0.930, 0.875.
    "dev4": {"hit@1": 0.919, "right_passage_cited": 0.959, "abstention_accuracy": 0.909, "key_quoted": 0.946},
    "dev5": {"hit@1": 0.907, "right_passage_cited": 0.938, "abstention_accuracy": 0.944, "key_quoted": 0.938},
    "dev6": {"hit@1": 0.813, "right_passage_cited": 0.866, "abstention_accuracy": 0.919, "key_quoted": 0.861},
    # dev7 (first score 0.705, 0.654, 0.740, 0.721 on 96c015b); last measured 0.756, 0.808, 0.900, 0.763.
    "dev7": {"hit@1": 0.743, "right_passage_cited": 0.795, "abstention_accuracy": 0.889, "key_quoted": 0.749},
    # Blind; last measured hit@1 0.913, cited 0.946, abstention 0.981, key quoted 0.891.
    "test": {"hit@1": 0.902, "right_passage_cited": 0.935, "abstention_accuracy": 0.971, "key_quoted": 0.880},
    # Blind (first score hit@1 0.844, cited 0.844, abstention 0.850); last measured 0.938, 0.984, 0.950, 0.921.
    "test2": {"hit@1": 0.922, "right_passage_cited": 0.968, "abstention_accuracy": 0.937, "key_quoted": 0.905},
    # Blind (first score, on the code it was written against: hit@1 0.750, cited 0.859, abstention 0.863,
    # key quoted 0.770); last measured 0.938, 0.969, 0.938, 0.906.
    "test3": {"hit@1": 0.922, "right_passage_cited": 0.953, "abstention_accuracy": 0.925, "key_quoted": 0.890},
    # Blind (first score on 96c015b: hit@1 0.844, cited 0.875, abstention 0.887, key quoted 0.883); last
    # measured 0.875, 0.922, 0.912, 0.951.
    "test4": {"hit@1": 0.859, "right_passage_cited": 0.906, "abstention_accuracy": 0.899, "key_quoted": 0.934},
    # 2026-11-30, later session (first scores on 7986453, before any change for them). dev8: out-of-scope questions
    # in the notes' own terms, 0.933, 1.000, 0.790, 0.950; dev9: deep sentences, yes/no, scenarios, 0.863, 0.900,
    # 0.900, 0.895.
    "dev8": {"hit@1": 0.916, "right_passage_cited": 0.983, "abstention_accuracy": 0.78, "key_quoted": 0.933},
    "dev9": {"hit@1": 0.85, "right_passage_cited": 0.887, "abstention_accuracy": 0.89, "key_quoted": 0.881},
    # dev10 (first score on e1df6c4, written after abst8/abst9 landed: 0.920, 1.000, 0.810, 0.960).
    "dev10": {"hit@1": 0.90, "right_passage_cited": 0.98, "abstention_accuracy": 0.80, "key_quoted": 0.94},
    # Blind (first score on 7986453: hit@1 0.953, cited 0.984, abstention 0.950, key quoted 0.938).
    "test5": {"hit@1": 0.937, "right_passage_cited": 0.968, "abstention_accuracy": 0.937, "key_quoted": 0.921},
}


@pytest.mark.parametrize("name", list(FLOORS))
def test_set_quality_holds(knowledge_base, name):
    """On the later tuning batches and on the blind sets nobody tuned for, quality stays at least where it
    was last measured, less one question of slack."""
    result = evaluate(knowledge_base, load_cases(EVAL_SETS[name]))
    below = {k: (result[k], floor) for k, floor in FLOORS[name].items() if result[k] < floor}
    assert not below, below


def test_right_passage_cited_counts_only_answers_that_cite_it(knowledge_base):
    """'Right passage cited' is what a student sees: an abstention or an answer citing other passages scores 0."""
    from knowledge.evaluate import EvalCase

    covered = EvalCase("what is the vanishing gradient problem?", "playing Chinese whispers")
    wrong_passage = EvalCase("what is the vanishing gradient problem?", "GPT-4 Turbo has 128k")
    result = evaluate(knowledge_base, [covered, wrong_passage])
    assert [r["cited"] for r in result["rows"]] == [True, False]
    assert result["right_passage_cited"] == 0.5


def test_key_quoted_needs_the_phrase_or_its_sentence():
    """'Key quoted': the answer states the set's phrase, or the sentence it sits in (case and spacing aside);
    a phrase running across sentences counts by the sentence it starts in. Citing the passage is not enough."""
    from knowledge.answer import Answer, Statement
    from knowledge.evaluate import key_quoted
    from knowledge.types import Hit

    hit = Hit("c1", "Notes › RNNs", "RNNs read word by word.  It's like playing Chinese whispers. They forget.", "n.md", 1.0)

    def said(*texts):
        return Answer("q", True, tuple(Statement(t, 1, False) for t in texts), (hit,), (hit,), (), 0.9)

    assert key_quoted(said("It's like playing   CHINESE whispers."), "playing Chinese whispers")
    assert key_quoted(said("It's like playing Chinese whispers."), "Chinese whispers. They forget")
    assert not key_quoted(said("RNNs read word by word.", "They forget."), "playing Chinese whispers")
