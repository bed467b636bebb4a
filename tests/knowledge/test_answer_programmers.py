"""A developer's way of asking (clipped words, "autocomplete()", "the backend", "deprecated", "mutated", "regex",
"in pseudocode", a run of one-word guesses, "the actual idea") is not a topic the notes lack: the notes' answer
comes, quoted and cited; a question in the same voice about what the notes never say is still refused.

The shipped notes, indexed with the real model.
"""

import time

import pytest

from knowledge.retrieval import _ACRONYM, _GUESSES, _ONE_WORD_GUESS, without_chatter


@pytest.mark.parametrize(("question", "says", "cited"), [
    # a programmer's word for what the notes say plainly
    ("so under the hood an llm is just autocomplete()? predicting the next token w/ probabilities?",
     "next-token predictors", "What I Learned"),
    ("what model is the backend of llava?", "Vicuna", "LLaVA"),
    ("so are rnns deprecated now?", "now the standard", "Did Transformers replace RNNs?"),
    ("does the model mutate its weights when I chat with it?", "not learning from your input", "Is ChatGPT learning"),
    ("could you just use regex rules instead of learning embeddings?", "rule-based systems", "rule-based systems"),
    ("what's the granularity of tokens", "single characters to entire words", "Tokenization"),
    ("can you debug what a transformer does internally?", "Hard to explain how they work internally",
     "Limitations of Transformers"),
    ("would 'happy' and 'joyful' map to nearby vectors or far apart", "relatively close embeddings", "Embedding"),
    # a form of the answer
    ("explain self-attention in pseudocode", "which other words should I pay attention to", "Transformer"),
    # clipped words, and a run of guesses after the question
    ("what algo updates the embeddings during training?", "backpropagation", "Embedding"),
    ("how do embeddings get initialized, zeros? random init?", "random vector", "embeddings"),
    # a clipped word of the notes' is that word, not a typo of another ("backprop" is no "backdrop")
    ("after a wrong prediction, what does backprop work out?", "uses backpropagation to figure out", "closer or push"),
    # a word of emphasis, and "how many" said inside a claim the notes correct
    ("whats the actual idea behind few-shot prompting", "examples of the answers we want", "Few-Shot"),
    ("context size is how many characters fit in the prompt, right?", "how many tokens", "context size"),
])
def test_a_developers_way_of_asking_gets_the_notes_answer(knowledge_base, question, says, cited):
    answer = knowledge_base.answer(question)
    assert answer.grounded, answer.markdown()
    assert says in answer.markdown()
    assert any(cited in hit.title for hit in answer.sources)


@pytest.mark.parametrize("question", [
    # a guessed acronym in capitals stays a name the notes never mention
    "which tokenizer algo does GPT use, is it BPE?",
    "which optimizer algo trains the embeddings, is it SGD?",
    "what's the default max_tokens value in the openai api?",
    "what does the backend of chatgpt run on, kubernetes?",
    "how do I debug a CUDA out of memory error in pytorch?",
    "what's the granularity of the learning rate schedule?",
    # "how many" in a claim that still asks a count
    "gpt-4 is how many parameters, right?",
])
def test_the_same_voice_about_what_the_notes_never_say_is_refused(knowledge_base, question):
    answer = knowledge_base.answer(question)
    assert not answer.grounded, answer.markdown()


def test_a_guessed_acronym_in_capitals_is_kept_and_an_english_guess_dropped():
    """"is it BPE?" names what is asked about; "was it vicuna?" is a guess the notes' answer settles."""
    assert "BPE" in without_chatter("which tokenizer algo does GPT use, is it BPE?")
    assert without_chatter("which llm is inside llava, was it vicuna?") == "which llm is inside llava?"


@pytest.mark.parametrize("pattern", [_GUESSES, _ONE_WORD_GUESS, _ACRONYM])
@pytest.mark.parametrize("unit", [" ", "x", "or ", "maybe ", "a?", "word-", "A", "zeros? "])
def test_the_guess_patterns_are_linear_on_long_hostile_input(pattern, unit):
    """Each takes well under 20 ms on 4,000 characters of one repeated unit, whatever the call."""
    text = (unit * 4000)[:4000] + "!"
    # CPU time of this process, not wall time: a machine busy with other work (or the other
    # pytest-xdist worker) must not fail a check of the pattern's own cost.
    started = time.process_time()
    for call in (pattern.search, pattern.fullmatch, pattern.findall):
        call(text)
    assert time.process_time() - started < 0.06
