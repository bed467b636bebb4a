"""A long, odd chat message (up to the 2,000 characters the bot reads of one) still gets an answer: the question
analysis has no regular expression that backtracks for minutes on a run of spaces, dashes or repeated words.
(How long each regex takes is measured by ``python -m bench.regex_backtracking``; these tests only ask that the
answers come, and that the questions the rewritten expressions read are read as before.)

The shipped notes, indexed with the real model.
"""

import pytest

MESSAGE = 2000  # bot.config.Settings.max_question_chars


def _run(unit: str, n: int = MESSAGE) -> str:
    return (unit * (n // len(unit) + 1))[:n]


@pytest.mark.parametrize("unit", [" ", "-", ",", "or ", "?", "word-", " \n", "which ", "in one line ", "a"])
@pytest.mark.parametrize("form", ["{run}", "what is rag {run}", "what is rag{run} vs llava?"])
def test_a_long_run_of_one_thing_gets_an_answer(knowledge_base, unit, form):
    text = form.format(run=_run(unit, MESSAGE - 30)).strip() or "?"
    answer = knowledge_base.answer(text)
    assert answer.markdown()


def test_a_mixed_case_run_of_question_words_gets_an_answer(knowledge_base):
    text = "".join(("What is ", "WHAT IS ", "what is ")[i % 3] for i in range(MESSAGE // 8))[:MESSAGE]
    assert knowledge_base.answer(text).markdown()


@pytest.mark.parametrize(("plain", "typed"), [
    ("what is rag?", "what is rag? thanks so much!!"),
    ("what is rag?", "what is rag, thx"),
    ("what is llava?", "what is llava in one line?"),
    ("what is llava?", "what's llava"),
    ("what is rag?", "define rag!"),
])
def test_the_rewritten_forms_still_read_the_same_question(knowledge_base, plain, typed):
    a, b = knowledge_base.answer(plain), knowledge_base.answer(typed)
    assert a.grounded and b.grounded
    assert a.sources[0].chunk_id == b.sources[0].chunk_id


def test_a_comparison_typed_with_vs_still_compares(knowledge_base):
    answer = knowledge_base.answer("rag vs llava")
    alone = {knowledge_base.answer(q).sources[0].chunk_id for q in ("what is rag?", "what is llava?")}
    assert answer.grounded and alone & {s.chunk_id for s in answer.sources}
