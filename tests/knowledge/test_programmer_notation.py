"""A programmer's way of asking: big-O for how a cost grows, "X = Y?" for "is X Y?", and a guess at what a thing
is, tacked on after the question ("..., is it the language part?"). Read against the shipped notes."""

import time

import pytest

from knowledge.retrieval import _SHORTHANDS, _WAY_GUESS


def test_big_o_is_read_as_the_words_the_notes_write_for_the_cost(knowledge_base):
    answer = knowledge_base.answer("is attention O(n^2)?")
    assert answer.grounded, answer.markdown()
    assert "quadratic scaling" in answer.markdown()
    assert "Limitations of Transformers" in answer.sources[0].title


@pytest.mark.parametrize("typed", ["context size = max input length in tokens?",
                                   "context size == max input length in tokens?"])
def test_an_equality_asked_of_a_term_is_asked_whether_the_term_is_that(knowledge_base, typed):
    answer = knowledge_base.answer(typed)
    assert answer.grounded, answer.markdown()
    assert "context size" in answer.sources[0].title.lower()
    assert "Context size = how many tokens the model can see at once." in answer.markdown()


def test_a_not_equal_sign_is_not_read_as_an_equality(knowledge_base):
    r = knowledge_base.retriever
    assert "is" not in r.analyze("wait so tokens != words?").corrected.split()


def test_a_guess_naming_another_part_does_not_draw_the_passage_naming_that_part(knowledge_base):
    """The question is what CLIP does; "the language part" is the guess the answer corrects, not the topic."""
    guessed = knowledge_base.answer("what does CLIP do in llava, is it the language part?")
    plain = knowledge_base.answer("what does CLIP do in llava")
    assert guessed.grounded and guessed.sources[0].chunk_id == plain.sources[0].chunk_id
    assert "CLIP acts like the model's eyes." in guessed.markdown()


def test_a_way_guessed_in_more_words_stays_in_the_question(knowledge_base):
    r = knowledge_base.retriever
    assert "coded" in r.analyze("how do the dots get updated, is it hand coded?").corrected


@pytest.mark.parametrize("pattern", [_WAY_GUESS, *(p for p, _ in _SHORTHANDS)])
def test_the_new_patterns_stay_linear_on_hostile_input(pattern):
    for unit in ("what ", "is it the ", "O(n ", "= ", "a = ", "x ", "? ", ", "):
        text = (unit * (4000 // len(unit) + 1))[:4000]
        # CPU time of this process, not wall time: a machine busy with other work (or the other
        # pytest-xdist worker) must not fail a check of the pattern's own cost.
        start = time.process_time()
        pattern.findall(text)
        pattern.match(text)
        assert time.process_time() - start < 0.02, (pattern.pattern, unit)


def test_an_equality_after_a_question_is_asked_on_its_own(knowledge_base):
    """ "is tokenize(text) basically text.split(' ')? 1 token == 1 word?": the second question is answered too."""
    answer = knowledge_base.answer("is tokenize(text) basically text.split(' ')? 1 token == 1 word?")
    assert answer.grounded, answer.markdown()
    assert "Tokens are not words — a single word can be multiple tokens." in answer.markdown()
    assert len(answer.parts) == 2
