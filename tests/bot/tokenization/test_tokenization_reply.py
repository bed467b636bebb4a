"""tokenize_reply(): the chat message within platform limits, citations, JSON payload and the picture."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from bot.replies import Source
from bot.tokenization import tokenize_reply
from bot.tokenization.chat import SEPARATOR, chat_length
from knowledge.tokenization.fonts import font_chain
from tests.knowledge.tokenization.corpus import CORPUS

PASSAGE = Source(
    n=3,
    title="Week 1 › Tokenization",
    path="llm-foundations-week1.md",
    text="**Tokenization is the initial phase of interacting with LLMs. It involves breaking the input text "
    "into smaller pieces known as tokens. Some models adopt subword tokenization.**",
    score=0.71,
)


@pytest.mark.parametrize("size", [1, 200, 2_000, 20_000, 100_000])
def test_message_fits_discord_and_keeps_whole_text_counts(size):
    """Any input up to the limit gives a message under 2,000 characters with counts for the whole text."""
    text = (CORPUS["mixed"] + CORPUS["code"] + CORPUS["emoji"]) * (size // 100 + 1)
    text = text[:size]
    reply = tokenize_reply(text, notes_passage=PASSAGE, show_ids=True)
    assert chat_length(reply.text) <= 1900
    for tok in reply.data["tokenizers"]:
        assert f"**{tok['count']:,}** tokens" in reply.text
    if size >= 2_000:
        assert "more tokens" in reply.text


@pytest.mark.parametrize("kind", sorted(CORPUS))
def test_token_view_is_one_intact_code_block(kind):
    """User text, backticks included, stays inside one code block with │ boundaries."""
    reply = tokenize_reply(CORPUS[kind] + " ``` `x` ")
    assert reply.text.count("```") == 2
    block = reply.text.split("```")[1]
    assert SEPARATOR in block
    assert "\x00" not in reply.text and "\u202e" not in reply.text


def test_whitespace_is_visible_in_the_token_view():
    """Spaces, newlines and tabs are drawn as · ↵ → so chat clients cannot swallow them."""
    reply = tokenize_reply("a  b\n\tc")
    block = reply.text.split("```")[1]
    assert "·" in block and "↵" in block and "→" in block


def test_ids_on_request():
    """Token ids appear only when asked for, in tokenizer order."""
    assert "ids " not in tokenize_reply("hello world").text
    text = tokenize_reply("hello world", show_ids=True).text
    assert "ids 24912 2375" in text  # o200k_base: "hello", " world"


def test_notes_passage_is_cited_as_one():
    """The caller's notes passage becomes source [1] and is quoted without its markdown."""
    reply = tokenize_reply("tokenization", notes_passage=PASSAGE)
    assert [s.n for s in reply.sources] == [1]
    assert reply.sources[0].path == PASSAGE.path
    assert "[1]" in reply.text and "“Tokenization is the initial phase" in reply.text


def test_json_payload_shape():
    """Reply.data per tokenizer: name, count and tokens as {id, text} in order; JSON-serialisable."""
    text = CORPUS["emoji"] + CORPUS["special"]
    data = json.loads(json.dumps(tokenize_reply(text).data, ensure_ascii=False))
    names = [t["name"] for t in data["tokenizers"]]
    assert names == ["o200k_base", "cl100k_base", "bert_wordpiece", "mistral_sentencepiece"]
    for tok in data["tokenizers"]:
        assert tok["count"] == len(tok["tokens"])
        assert all({"id", "text"} <= set(t) for t in tok["tokens"])
        if tok["name"] != "bert_wordpiece":
            assert "".join(t["text"] for t in tok["tokens"]) == text
    cl = data["tokenizers"][1]["tokens"]
    assert any(t.get("partial") and t["piece"].lstrip().startswith("<") for t in cl)


def test_cost_and_context_from_the_price_table():
    """Window shares and input prices are shown with the table's date, each from a real count."""
    reply = tokenize_reply("hello " * 1000)
    assert "prices as of 2025-01-15" in reply.text
    assert "of 4k" in reply.text and "of 128k" in reply.text and "of 200k" in reply.text
    prices = {p["model"]: p for p in reply.data["prices"]}
    o200k = reply.data["tokenizers"][0]["count"]
    assert prices["GPT-4o"]["tokens"] == o200k
    assert prices["GPT-4o"]["usd"] == pytest.approx(o200k * 2.5 / 1e6)


def test_picture_is_a_png_of_sensible_size():
    """with_image gives a real PNG, chat-sized, one band per tokenizer."""
    reply = tokenize_reply(CORPUS["mixed"] * 30, with_image=True)
    data = reply.image.data
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    img = Image.open(io.BytesIO(data))
    img.verify()
    img = Image.open(io.BytesIO(data))
    assert img.format == "PNG" and img.mode == "RGB"
    assert img.width == 1000 and 400 <= img.height <= 2000
    assert len(data) < 2_000_000
    assert reply.image.alt


@pytest.mark.parametrize("ch", ["😀", "🤖", "日", "한", "م", "Ж", "·", "↵", "→"])
def test_picture_fonts_cover_emoji_and_scripts(ch):
    """The packaged fonts have a glyph for emoji, CJK, Hangul, Arabic, Cyrillic and the whitespace marks."""
    assert font_chain(22).font_for(ch) is not None


def test_picture_without_text_gives_no_image():
    """Without with_image the reply carries no picture (it costs ~50 ms)."""
    assert tokenize_reply("hi").image is None


@pytest.mark.parametrize("text", ["Tokenization splits words into pieces 🙂 — even Karpathy's name. 12345", "hi"])
def test_short_text_shows_every_token(text):
    """A sentence-long text gets complete token views, with the explanation beside them."""
    reply = tokenize_reply(text, notes_passage=PASSAGE)
    assert "more tokens" not in reply.text
    assert "**Why it split this way**" in reply.text


def test_concurrent_replies_from_threads_agree():
    """Replies built in parallel threads (as the async service does) equal the sequential ones."""
    from concurrent.futures import ThreadPoolExecutor

    texts = [CORPUS[k] for k in sorted(CORPUS)]
    expected = [tokenize_reply(t).data["tokenizers"] for t in texts]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda t: tokenize_reply(t, with_image=True), texts))
    assert [r.data["tokenizers"] for r in got] == expected
    assert all(r.image.data.startswith(b"\x89PNG") for r in got)
