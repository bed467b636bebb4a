"""Out of scope: what a question asks for — a link, a fix of a problem, how something follows from the student's own
premise, a count of what one thing turns into, a later model — when the sentences chosen only name the thing, state the problem,
restate the premise or count something else. Also an example named after "like a/an ...", how a thing named in more
words was trained, "X as well as Y" with X never written, and an answer that only adds a light verb to the question's own words. The student is told the
notes don't cover it; the same shapes asked of what the notes do say are still answered."""

import time

import pytest

from knowledge.answer import (
    _ASKS_FIX,
    _ASKS_LATER,
    _ASKS_LINK,
    _ENDS_ON_OPTIONS,
    _GIVES_LINK,
    _HOW_MADE,
    _HOW_MANY_OF,
    _LIKE_NAME,
    _PREMISE,
    _REMEDY_SAID,
    _SAYS_LATER,
)


@pytest.mark.parametrize("question", [
    # a link, of a sentence that only names the post
    "does anyone have the link to the jay alammar transformer post",
    "can you send me the link to the Jay Alammar article?",
    "is there a url for the transformer visual explanation by jay alammar",
    # a fix, of an answer that only states the problem
    "how did bert try to fix the pretrain fine-tune mismatch",
    "how does BERT solve the pretrain-finetune mismatch?",
    "how do models get around the context size limit?",  # "Fixed context size" is no fix
    # how something follows from a premise, of an answer that restates the premise
    "if transformers look at all words at once how do they know the word order",
    "if transformers see every word at the same time, how do they know which word came first?",
    # a count of what one thing turns into, of figures that count something else
    "how many tokens does one image turn into in llava",
    "how many tokens does a picture become in LLaVA?",
    # an example named after "like an ..."
    "why does llava use just a linear layer instead of something bigger like an MLP",
    "is LLaVA's projection just a linear layer, or something like a Q-Former",
    # how a thing named in five words was trained
    "How is the CLIP encoder in LLaVA trained in the first place?",
    "how is the vision encoder of LLaVA trained in the first place?",
    # an answer that adds only a light verb to the question's words
    "why are transformers so hard to explain internally, what makes them a black box",
    # a later model, of an answer on the model as it is
    "ok chatgpt doesn't learn from my input but does openai use my chats to train the next model?",
    "will future versions of chatgpt learn from my chats?",
    # "as well as" offers two things, one the notes never write
    "Can LLaVA understand video as well as still images?",
])
def test_what_is_asked_for_and_not_said_is_refused(knowledge_base, question):
    """Each was answered by the passage on the thing it names, which does not hold what is asked for."""
    answer = knowledge_base.answer(question)
    assert not answer.grounded, answer.markdown()
    assert answer.markdown().startswith("My notes don't cover that.")


@pytest.mark.parametrize(("question", "says"), [
    ("whose visual explanation of transformers was recommended in the notes?", "Jay Alammar"),
    ("How are embeddings and attention related in helping the model see links between words?", "attention"),
    ("what's the drawback of BERT with the mask token thing", "mismatch"),
    ("what's the pretrain fine-tune mismatch with models such as BERT?", "mismatch"),
    ("how does rag cut down on hallucinations", "knowledge base"),
    ("if transformers dont go token by token like RNNs, how do they even handle a sequence?", "parallel"),
    ("how many tokens can claude see at once vs gpt-3.5", "200k"),
    ("how much text did the model read during training", "billions"),
    ("What about Claude, how many tokens can it see?", "200k"),
    ("Roughly how much text does it take before the embeddings become really rich?", "millions"),
    ("why are transformers so expensive to train and run", "quadratic"),
    ("how was BERT trained? like what does it do to the sentence", "[MASK]"),
    ("does CLIP see shapes as well as colors?", "shape"),
])
def test_the_same_shapes_asked_of_what_the_notes_say_are_answered(knowledge_base, question, says):
    """A name asked for, links between words, a problem asked about, a fix the answer says in its own words, a premise
    the answer goes past, a count of the thing asked, a reason the answer gives."""
    answer = knowledge_base.answer(question)
    assert answer.grounded, answer.markdown()
    assert says in answer.markdown()


def test_the_shapes_read_as_meant():
    assert not _ASKS_LINK.search("how do embeddings help the model see links between words?")
    assert _GIVES_LINK.search("see https://example.org/post") and not _GIVES_LINK.search("by Jay Alammar.")
    assert not _REMEDY_SAID.search("Fixed context size (limited memory per input)")
    assert not _PREMISE.match("if i keep chatting with chatgpt is it learning from what i type")
    assert not _HOW_MANY_OF.search("is there a cap on how much we can feed a transformer in one go?")
    assert _LIKE_NAME.search("something bigger like an MLP?").group("x") == "MLP"
    assert _ASKS_FIX.search("how did bert try to fix the mismatch")
    assert not _ASKS_LATER.search("how does it predict the next token?")


HOSTILE = (" " * 4000, "?!," * 1333, "\n" * 4000, "A" * 4000, "the link " * 444, "link " * 800, "www." * 1000,
           "](" * 2000, "a.com " * 666, "how does x " * 363, "how did bert try to " * 200, "fix " * 1000,
           "get around " * 363, "if " * 1333, "if x " * 800, "if x, " * 666, "so if x how " * 333, "ok " * 1333,
           "how many " * 444, "how many x does " * 250, "like " * 800, "like an " * 500, "how is x " * 444,
           "how is the x in y " * 222, "next " * 800, "next model " * 363, "as well " * 500, "x as well as " * 307, "ppppppppp " * 400, "- " * 2000, "so, " * 1000)


@pytest.mark.parametrize("pattern", [_ASKS_LINK, _GIVES_LINK, _ASKS_FIX, _REMEDY_SAID, _PREMISE, _HOW_MANY_OF,
                                     _LIKE_NAME, _HOW_MADE, _ASKS_LATER, _SAYS_LATER, _ENDS_ON_OPTIONS])
def test_the_new_patterns_are_quick_on_hostile_input(pattern):
    for hostile in HOSTILE:
        start = time.perf_counter()
        pattern.search(hostile[:4000])
        assert time.perf_counter() - start < 0.02, hostile[:20]
