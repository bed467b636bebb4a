"""A code line, log line, config or prompt pasted in backticks before or around a question is what the student was
looking at, not what is asked: its identifiers and numbers (`nn.Embedding(50257, 768)`, `client.chat...`) are no
names the notes lack, and the notes' answer comes, quoted and cited. What the paste itself asks about stays asked:
settings it sets (`presence_penalty=0.5`), an argument the prose asks about (`chunk_size`), two pasted names
compared, and a question about them the notes never answer is still refused. The question shown back is as typed.

The shipped notes, indexed with the real model.
"""

import time

import pytest

from knowledge.answer import _NOTES_AGREE
from knowledge.retrieval import (
    _ARGUMENT,
    _CODE_SPAN,
    _FENCE,
    _IDENTIFIER,
    _JOINS_SPANS,
    _NAME_PART,
    _POINTS_AT_PASTE,
    _SETTING,
)


@pytest.mark.parametrize(("question", "says", "cited"), [
    # a line of code before the question
    ("`self.wte = nn.Embedding(50257, 768)` what does an embedding layer actually do to the tokens",
     "translate tokens", "Embeddings"),
    ("`optimizer.step()` what are gradients in simple words, the notes had a nice one liner",
     "small mathematical nudges", ""),
    ("`BertForMaskedLM.from_pretrained(\"bert-base-uncased\")` whats the knock on MLM, why do ppl say its unrealistic",
     "artificially masked", "CLM"),
    # a log line, with the team's chat around it
    ("`epoch 3 | step 1200 | loss: 2.31` what is the loss actually measuring", "how wrong it was", "closer or push"),
    ("log from our bot eval: `hallucination_rate: 0.31 -> 0.09 after adding retrieval` why would RAG bring "
     "hallucinations down that much?", "knowledge base", "RAG"),
    ("`Warning: input truncated to last 4096 tokens` what happens to the stuff at the start when you go over the "
     "context size", "forgets earlier tokens", "context size"),
    # a command, and a prompt the question points at
    ("`pip install sentence-transformers` what are embeddings actually used for besides the model itself",
     "Embedding", "Embedding"),
    ("prompt: `Q: ... Let's think step by step.` what is this trick called and what does it make the model do",
     "Chain-of-Thought", "Chain-of-Thought"),
    # a setting the notes write is the one asked about
    ("`frequency_penalty=0.5` has anyone in the group actually played with this param yet or is it still on the "
     "todo list", "frequency_penalty", "Personal Reflections"),
    # a quote from elsewhere, and whether the notes agree with it: no option of a choice
    ("saw a tweet: \"prompt engineering is dead, just use a bigger model\" -- do our notes agree or does the prompt "
     "actually change how the llm behaves", "Prompt engineering significantly impacts", "Key Takeaways"),
])
def test_a_question_after_pasted_code_gets_the_notes_answer(knowledge_base, question, says, cited):
    answer = knowledge_base.answer(question)
    assert answer.grounded, answer.markdown()
    assert says in answer.markdown()
    assert any(cited in hit.title for hit in answer.sources)
    assert answer.question == question  # shown back as typed, backticks and all


@pytest.mark.parametrize("question", [
    # settings the paste sets, one of them a name the notes never write
    "`frequency_penalty=0.5, presence_penalty=0.5` whats the difference between these two params exactly",
    "`model=\"gemini-1.5-pro\"` how big is geminis context window compared to claude's 200k",
    "`mlm_probability=0.15` is 15% the standard fraction of tokens BERT masks, or does it vary?",
    # an argument the question asks about, and two pasted names compared
    "`RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)` whats a good chunk size for RAG documents",
    "`llava-v1.5-13b` vs `llava-v1.5-7b` which vicuna size did the original LLaVA paper use",
    # what the prose asks, past the notes
    "`tiktoken.get_encoding(\"cl100k_base\")` is GPT-4's tokenizer BPE or WordPiece?",
    "`LoraConfig(r=8, lora_alpha=16)` whats the difference between LoRA and full fine-tuning",
])
def test_a_pasted_question_the_notes_never_answer_is_refused(knowledge_base, question):
    answer = knowledge_base.answer(question)
    assert not answer.grounded, answer.markdown()
    assert answer.question == question


def test_the_question_read_is_the_prose_with_the_notes_terms_of_the_paste(knowledge_base):
    r = knowledge_base.retriever
    read = r.without_pasted("`nn.init.normal_(self.embedding.weight, std=0.02)` so at the start of training the "
                            "embeddings are just random??")
    assert read.startswith("so at the start of training")
    assert "embedding" in read and "std" not in read and "0.02" not in read
    # settings stay named, values of text too
    assert "presence_penalty" in r.without_pasted("`presence_penalty=0.5` what does this param do")
    assert "gemini-1.5-pro" in r.without_pasted("`model=\"gemini-1.5-pro\"` how big is its context window")
    # too little prose of its own: read as typed
    assert r.without_pasted("`temperature` ??") == "`temperature` ??"
    assert r.without_pasted("what is attention") == "what is attention"


@pytest.mark.parametrize("question", [
    # a fenced block, as Discord and Slack show pasted code, before or after the question
    "```python\nself.wte = nn.Embedding(50257, 768)\n```\nwhat does an embedding layer actually do to the tokens?",
    "what does an embedding layer do to the tokens?\n```\nself.wte = nn.Embedding(50257, 768)\nx = self.wte(idx)\n```",
])
def test_code_pasted_in_a_fenced_block_is_context_too(knowledge_base, question):
    answer = knowledge_base.answer(question)
    assert answer.grounded, answer.markdown()
    assert "translate tokens" in answer.markdown()
    assert answer.question == question


def test_settings_pasted_in_a_fenced_block_stay_what_is_asked(knowledge_base):
    question = "```\nfrequency_penalty=0.5, presence_penalty=0.5\n```\nwhats the difference between these two params"
    assert "presence_penalty" in knowledge_base.retriever.without_pasted(question)
    assert not knowledge_base.answer(question).grounded


@pytest.mark.parametrize("pattern", [_CODE_SPAN, _FENCE, _SETTING, _ARGUMENT, _IDENTIFIER, _NAME_PART, _POINTS_AT_PASTE,
                                     _JOINS_SPANS, _NOTES_AGREE])
@pytest.mark.parametrize("hostile", [
    " " * 4000,
    "`" * 4000,
    "= " * 2000,
    "a_" * 2000,
    "this " * 800,
    "x" * 4000,
    "`a=1, " * 666,
    "Aa" * 2000,
    "notes agree " * 333,
    "you agree" + " " * 4000 + "x",
    "```a\n" * 800,
    "```" + "a" * 4000,
])
def test_the_paste_patterns_stay_fast_on_hostile_input(pattern, hostile):
    took = []
    for _ in range(3):  # (the best of three: a busy machine's pause is not the pattern's)
        # CPU time of this process, not wall time: a machine busy with other work (or the other
        # pytest-xdist worker) must not fail a check of the pattern's own cost.
        start = time.process_time()
        pattern.search(hostile)
        pattern.findall(hostile)
        pattern.fullmatch(hostile)
        took.append(time.process_time() - start)
    assert min(took) < 0.02


def test_reading_a_long_hostile_paste_stays_fast(knowledge_base):
    r = knowledge_base.retriever
    for hostile in ("`" + "a=1, " * 800 + "` what is this", "`" + "x " * 2000 + "` what is attention",
                    "`a` vs " * 500 + "`b` what is it"):
        start = time.process_time()
        r.without_pasted(hostile)
        assert time.process_time() - start < 0.5
