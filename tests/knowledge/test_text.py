"""The shared text rules: cleaning a question of the markup around it."""

import pytest

from knowledge.text import clean_question, is_question


@pytest.mark.parametrize(
    ("typed", "cleaned"),
    [
        # HTML: tags go, their text stays; entities are unescaped
        ("<b>what is attention</b>", "what is attention"),
        ("<p>what&nbsp;is <i>RAG</i>?</p>", "what is RAG?"),
        ('<a href="https://x.org/rag">what is RAG</a>', "what is RAG"),
        ("<span style='color:red'>top_p</span> vs <code>top_k</code>", "top_p vs top_k"),
        ("what<br>is<br/>attention", "what is attention"),
        ("&lt;b&gt;what is attention&lt;/b&gt; &amp; why", "what is attention & why"),
        # markdown: emphasis, inline code, links, headings, quotes and code fences
        ("**what is attention**", "what is attention"),
        ("*what* is __RAG__ and _why_ ***now***?", "what is RAG and why now?"),
        # struck through (Discord ~~x~~, Slack ~x~) is taken back
        ("what is ~~RAG~~ attention", "what is attention"),
        ("~nvm~ what is attention", "what is attention"),
        ("~~what is attention~~", "what is attention"),
        # Discord's small print
        ("what is attention?\n-# sorry", "what is attention? sorry"),
        ("what do `top_p` and ``top_k`` do", "what do top_p and top_k do"),
        ("what does [the paper](https://x.org/p) say", "what does the paper say"),
        ("## what is attention", "what is attention"),
        ("> what is attention\n> in transformers", "what is attention in transformers"),
        # a message quoted above a question that stands alone is what it replies to; one it leans on stays
        ("> did anyone get this\n> at all\nwhat is attention?", "what is attention?"),
        ("> transformers use self-attention\nwhy does that help?", "transformers use self-attention why does that help?"),
        ("> what is attention\nsame question tbh", "what is attention same question tbh"),
        ("```\nwhat is attention\n```", "what is attention"),
        ("```text\nwhat is attention\n```", "what is attention"),
        ("```what is attention```", "what is attention"),
        ("||what is attention||", "what is attention"),
        # a spoiler closing a message that asked already is an aside
        ("what is attention? ||asking for a friend||", "what is attention?"),
        ("spoiler for the quiz: ||what is attention||", "spoiler for the quiz: what is attention"),
        # terminal colours and titles
        ("\x1b[1;31mwhat is attention\x1b[0m", "what is attention"),
        ("\x1b]0;term\x07what is RAG\x1b[K", "what is RAG"),
        # Discord mentions and custom emoji
        ("<@123456789> what is attention", "what is attention"),
        ("<@!123> what is RAG <#456> <@&789>", "what is RAG"),
        ("<:thinking:1234> <a:spin:5678> what is RAG", "what is RAG"),
        # Slack mentions, channels and links
        ("<@U0123ABC> what is RAG", "what is RAG"),
        ("<@W0123|sam> <!channel> <!here> <!subteam^S01|@tas> what is RAG", "what is RAG"),
        ("what does <#C0123|ml-study> think of RAG", "what does ml-study think of RAG"),
        ("what does <https://x.org/p|the RAG paper> say", "what does the RAG paper say"),
        # a link beside the question is where the student saw it; one the question points at stays
        ("what is RAG? prof linked <https://x.org/p>", "what is RAG? prof linked"),
        ("what is RAG? prof linked https://x.org/p?id=1", "what is RAG? prof linked"),
        ("what does this paper say about RAG <https://x.org/p>", "what does this paper say about RAG https://x.org/p"),
        # whitespace
        ("  what   is\n\n\tattention  ", "what is attention"),
    ],
)
def test_markup_around_a_question_is_removed(typed, cleaned):
    """HTML, markdown, ANSI escapes, mentions and fences around a question leave only its words."""
    assert clean_question(typed) == cleaned


@pytest.mark.parametrize(
    "typed",
    [
        "is a < b always", "what is x*y", "why 2*3*4", "what is 2^10", "what is the <unk> token",
        "what do <s> and </s> mark", "<pad> vs <eos> vs <|endoftext|>", "what does [CLS] do", "is C++ faster",
        "is a<b>c ordered", "if a<b and c>d", "top_p and top_k", "x_i * y_i", "x <= y >= z", "is 5 > 3",
        "e = mc^2", "AT&T and R&D", "this&not that", "a || b || c", "*args and **kwargs", "f(x) = x_1 + x_2",
        "cat ~ dog", "~50 tokens or ~100",
    ],
)
def test_ordinary_text_is_left_alone(typed):
    """Comparisons, maths, special tokens, identifiers and language names are words of the question."""
    assert clean_question(typed) == typed


@pytest.mark.parametrize("typed", ["", "   ", "<b></b>", "\x1b[0m", "<@123> <!here>", "```\n```"])
def test_markup_alone_cleans_to_nothing(typed):
    """A message that is only markup leaves no words to retrieve with."""
    assert clean_question(typed) == ""


@pytest.mark.parametrize(("sentence", "question"), [
    ("Is it sequential?", True),
    ("Aren’t we training on real sentences?”", True),  # the tail of a quoted question (its opening quote lost)
    ("“But real-world sentences don’t have [MASK], right?”", True),  # a quoted question, whole
    ("For each word, they ask, “which other words should I pay attention to?”", False),  # a statement quoting one
    ('They ask "why?" and move on.', False),
    ("It learns from data.", False),
])
def test_what_reads_as_a_question(sentence, question):
    """The notes' own questions are never quoted as an answer; a sentence quoting a question is a statement."""
    assert is_question(sentence) is question
