"""A question that asks for a kind of answer (who made it, how many, which version, what it stands for, what it
was fine-tuned from or trained on, which one to pick, how to do something) is refused when the sentences that
would answer it only say what the thing is; the same kind of question the notes do answer is still answered."""

import pytest

from tests.support import notes_knowledge_base


def _first_line(answer) -> str:
    return answer.markdown().split("\n")[0]


@pytest.mark.parametrize("question", [
    "Who came up with chain-of-thought prompting?",
    "Which paper first introduced the transformer architecture?",
    "How many examples should a few-shot prompt contain for best results?",
    "Which version of Claude is the one with the 200k context window?",
    "What does the acronym BERT stand for?",
    "Vicuna is fine-tuned from which base model?",
    "What data was LLaVA trained on?",
    "What temperature should I set if I want really creative outputs?",
    "who made that visual explainer on transformers and when?",
    "what is llama's context size?",
    "what range does frequency_penalty take?",
    # the passage names LLaVA's parts (CLIP, Vicuna), not who made it
    "who built llava? which lab",
    # a measure the answer's figures never name: its figures are context sizes
    "the embedding dimension of gpt-4 turbo is how large?",
    "how big is the embedding dimension in claude",
    # the notes write "fine-tune" only inside a longer term ("pretrain–fine-tune mismatch") they define
    "what is fine-tuning, exactly?",
    # how a thing the notes never write is worked out
    "how is the query vector calculated in attention?",
    # whether one thing affects another, answered by a line on the effect alone
    "does raising the temperature cause hallucinations?",
    # written "finetuned", which the spelling fix turns into "fine-tune"
    "which llm was vicuna finetuned from?",
    # a price, answered by token counts
    "what's the price per 1k tokens on claude?",
    "how much would 2000 tokens cost with the open ai api?",
    # compared by a count the answer's figures never name (they are context sizes)
    "how do gpt-3.5 and claude differ in terms of the number of layers?",
])
def test_a_kind_of_answer_the_notes_never_give_is_refused(knowledge_base, question):
    """The notes say what chain-of-thought prompting is, not who proposed it; that Claude has 200k tokens,
    not which Claude; what Vicuna does in LLaVA, not what it was fine-tuned from. Each used to be answered
    with what the thing is."""
    answer = knowledge_base.answer(question)
    assert not answer.grounded, answer.markdown()
    assert _first_line(answer).startswith("My notes don't cover that.")


@pytest.mark.parametrize(("question", "says"), [
    ("who made that visual explainer on transformers I loved?", "Jay Alammar"),
    ("How many tokens can GPT-3.5 see at once?", "4k"),
    ("how big is claude's context window", "200k"),
    ("what is the fine-tune mismatch", "[MASK]"),
    ("with self-consistency, how is the final answer chosen?", "comes up most often"),
    ("does rag actually reduce hallucinations?", "reducing hellucinations"),
    ("which version of GPT has a 128k context window?", "GPT-4 Turbo has 128k"),
    ("what is gpt-3.5's context size", "4k"),
    ("how do gpt-3.5 and claude compare in terms of token count?", "200k"),
    ("which range do context sizes fall in?", "200k"),
    ("What does LLaVA stand for?", "Large Language and Vision Assistant"),
    ("what data do llms actually learn from", "massive corpora"),
    ("What data is BERT trained on?", "real sentences"),
    ("what versions of the model does self-consistency use?", "multiple versions of the model"),
    ("which prompting technique should I use to make the model reason step by step?", "step by step"),
])
def test_the_same_kind_of_question_the_notes_answer_is_answered(knowledge_base, question, says):
    """A maker named, a figure, a model's full name, an acronym written out, the data named: the answer gives
    what is asked; "versions of the model" names no model to tell apart, and a pick the notes name in their own
    words ("technique") is theirs to answer."""
    answer = knowledge_base.answer(question)
    assert answer.grounded, answer.markdown()
    assert says in answer.markdown()


@pytest.mark.parametrize(("question", "named"), [
    ("which vector database is best to use for a rag pipeline?", "vector database"),
    ("What chunk size should I use when splitting documents for RAG?", "chunk size"),
    ("How should I chunk my documents before putting them into a RAG knowledge base?", "chunk"),
    ("how do i fine tune bert for sentiment classification", "sentiment"),
])
def test_a_thing_to_pick_or_work_on_that_the_notes_never_write_is_named(knowledge_base, question, named):
    """Asked which thing to pick or how to do something to it, where the notes never write the thing: the reply
    says which (it used to quote what RAG or BERT is)."""
    answer = knowledge_base.answer(question)
    assert not answer.grounded, answer.markdown()
    assert _first_line(answer) == f"My notes don't cover that. They never mention “{named}”."


def test_a_description_or_a_choice_among_what_the_notes_say_is_not_a_procedure(knowledge_base):
    """"How would you describe ..." asks for a description, "how should I phrase ..." uses an everyday verb, and
    "which one do you go with" picks among what the notes say: none is refused as a procedure the notes lack."""
    assert knowledge_base.answer("how would you describe gradients without maths?").grounded
    # (An everyday verb the notes say otherwise is no procedure they lack: "phrase" - "clear and role-based".)
    assert "never mention" not in knowledge_base.answer("how should I phrase prompts for better results?").markdown()
    answer = knowledge_base.answer("with self-consistency if the runs give different answers which one do u go with")
    assert answer.grounded and "most often" in answer.markdown()


CHOICE_NOTES = """# Storage

## Caching in memory

An in-memory cache keeps hot entries in RAM, so reads are fast but everything is lost on a restart.

## Caching on disk

A disk cache keeps entries in files, so it survives restarts but every read touches the disk.

## Open Questions

- What's the tradeoff between caching in memory and caching on disk?
- How big can a log file get before it slows the server down?
"""


def test_asked_which_to_pick_where_the_notes_leave_it_open_the_reply_refuses_and_says_so(real_embedder, tmp_path):
    """The notes ask the tradeoff themselves: "when should I pick which" has no answer in them. The reply
    refuses and quotes their open question; asked what they left open, it is still answered as open."""
    kb = notes_knowledge_base(tmp_path, {"storage.md": CHOICE_NOTES}, real_embedder)
    answer = kb.answer("so for my app, when should I pick memory caching and when disk caching?")
    assert not answer.grounded, answer.markdown()
    assert _first_line(answer) == ("My notes don't cover that. They leave it as an open question: “What's the "
                                   "tradeoff between caching in memory and caching on disk?”")
    left = kb.answer("what did we leave unresolved about memory vs disk caching")
    assert left.grounded, left.markdown()
    assert left.markdown().startswith("My notes leave this as an open question:")
    # Naming the open question, the student asks it answered: which one is cheaper is still not in the notes.
    named = kb.answer("open question on the tradeoff of memory vs disk caching: did we ever settle it, which one is cheaper?")
    assert not named.grounded, named.markdown()
    assert "They leave it as an open question" in _first_line(named)
    # ... and so without naming a tradeoff: "X vs Y, which one is cheaper?"
    vs = kb.answer("whats the answer to the open question on memory vs disk caching, which one is faster?")
    assert not vs.grounded, vs.markdown()
    assert "They leave it as an open question" in _first_line(vs)


def test_how_much_a_count_affects_cost_is_still_the_notes_open_question(knowledge_base):
    """Not a price asked: "how much does token count impact cost" restates the notes' open question."""
    answer = knowledge_base.answer("how much does the token count impact the cost?")
    assert answer.grounded, answer.markdown()
    assert "open question" in answer.markdown()


@pytest.mark.parametrize("question", [
    "what's the context window of plain GPT-4, not the Turbo version?",
    "How many tokens can GPT-4 (not Turbo) see at once?",
])
def test_a_variant_the_question_sets_aside_does_not_answer_it(knowledge_base, question):
    """The notes give GPT-4 Turbo's context size, not GPT-4's: asked for GPT-4, not Turbo, the reply used to quote
    Turbo's 128k."""
    answer = knowledge_base.answer(question)
    assert not answer.grounded, answer.markdown()


def test_the_variant_itself_is_still_answered(knowledge_base):
    """Asked for the variant the notes name, the figure is given; "why not just ..." sets nothing aside."""
    assert "128k" in knowledge_base.answer("what's the context window of GPT-4 Turbo?").markdown()
    assert knowledge_base.answer("why not just hand-write rules to capture what words mean").grounded
