"""tokenize_reply(): whole in a terminal, trimmed within chat limits with a way to the rest, ids under tokens,
special tokens, costs, citations, JSON payload and the picture."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from PIL import Image

from bot.replies import Source
from bot.tokenization import tokenize_reply
from bot.tokenization.chat import SEPARATOR, chat_length, width
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
MIXED = CORPUS["mixed"] + CORPUS["code"] + CORPUS["emoji"]
DISCORD = 1900


def chat(text: str, **kw):
    """The reply as a chat surface asks for it: with its message limit."""
    return tokenize_reply(text, max_message_chars=DISCORD, **kw)


def _views(text: str) -> str:
    return text.split("```")[1]


@pytest.mark.parametrize("size", [1, 200, 2_000, 20_000, 100_000])
def test_chat_message_fits_discord_and_keeps_whole_text_counts(size):
    """Any input up to the limit gives a message within 1,900 characters with counts for the whole text."""
    text = (MIXED * (size // 100 + 1))[:size]
    reply = chat(text, notes_passage=PASSAGE, show_ids=True)
    assert chat_length(reply.text) <= 1900
    for tok in reply.data["tokenizers"]:
        assert f"**{tok['count']:,}** tokens" in reply.text


def test_trimmed_chat_reply_says_how_to_get_the_rest():
    """When the views do not fit a chat message, the reply says so and points to --image and the terminal."""
    reply = chat(MIXED * 40)
    assert "more tokens" in reply.text
    assert "Trimmed to fit a chat message" in reply.text and "--image" in reply.text


def test_slack_limit_is_honoured():
    """A surface with a larger limit (a Slack section, 3,000) gets up to that, and more tokens than Discord."""
    text = MIXED * 20
    slack = tokenize_reply(text, max_message_chars=3000)
    discord = chat(text)
    assert 1900 < chat_length(slack.text) <= 3000
    assert _views(slack.text).count(SEPARATOR) > _views(discord.text).count(SEPARATOR)


@pytest.mark.parametrize("kind", sorted(CORPUS))
def test_terminal_reply_shows_every_token_and_every_finding(kind):
    """With no message limit (the default), every token of every tokenizer is shown and every finding printed."""
    text = CORPUS[kind] * 30
    reply = tokenize_reply(text)
    views = _views(reply.text).split("\n\n")
    for tok, view in zip(reply.data["tokenizers"], views, strict=True):
        # each token closes with one separator; a newline token adds one to open the next line
        newlines = sum(1 for t in tok["tokens"][:-1] if t["text"].endswith("\n")) if tok["family"] != "WordPiece" else 0
        assert view.count(SEPARATOR) == tok["count"] + 1 + newlines, tok["name"]
    assert "more tokens" not in reply.text and "Trimmed" not in reply.text
    for finding in reply.data["findings"]:
        assert finding["text"] in reply.text


@pytest.mark.parametrize("kind", sorted(CORPUS))
def test_token_view_is_one_intact_code_block(kind):
    """User text, backticks included, stays inside one code block with │ boundaries."""
    reply = chat(CORPUS[kind] + " ``` `x` ")
    assert reply.text.count("```") == 2
    assert SEPARATOR in _views(reply.text)
    assert "\x00" not in reply.text and "\u202e" not in reply.text


def test_whitespace_is_visible_in_the_token_view():
    """Spaces, newlines and tabs are drawn as · ↵ → so chat clients cannot swallow them."""
    block = _views(chat("a  b\n\tc").text)
    assert "·" in block and "↵" in block and "→" in block


def test_ids_are_aligned_under_their_tokens():
    """With ids, each id starts in the same column as its token, CJK and emoji counted two columns wide."""
    reply = tokenize_reply("hello world 日本語 🙂 tokenization", show_ids=True, max_message_chars=None)
    block = _views(reply.text)
    o200k = block.strip("\n").split("\n\n")[0].splitlines()
    tokens_row, ids_row = o200k[1], o200k[2]
    assert ids_row.startswith("│24912")  # o200k "hello"
    token_cells = tokens_row.strip("│").split("│")
    id_cells = ids_row.strip("│").split("│")
    assert len(token_cells) == len(id_cells) == reply.data["tokenizers"][0]["count"]
    for t, i in zip(token_cells, id_cells, strict=True):
        assert width(t) == width(i)
        assert i.strip() and i.strip().isdigit()


def test_ids_wrap_at_the_given_columns():
    """Rows of ids wrap at the terminal's width, each id row under its token row."""
    reply = tokenize_reply("word " * 200, show_ids=True, max_message_chars=None, columns=60)
    rows = _views(reply.text).strip("\n").split("\n\n")[0].splitlines()[1:]
    assert len(rows) > 4 and len(rows) % 2 == 0
    assert all(width(r) <= 60 for r in rows)


def test_special_tokens_switch_shows_control_ids():
    """special_tokens=True makes <|endoftext|> o200k's one control token 199999, marked in the JSON."""
    off = chat("a <|endoftext|> b")
    on = chat("a <|endoftext|> b", special_tokens=True)
    o200k_on = on.data["tokenizers"][0]["tokens"]
    assert [t["id"] for t in o200k_on if t.get("special")] == [199999]
    assert not any(t.get("special") for t in off.data["tokenizers"][0]["tokens"])
    assert "--special" in off.text and "Special tokens on" in on.text


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
    assert data["characters_on_screen"] < data["characters"]


def test_every_priced_model_is_shown_with_its_own_count():
    """Every model of the table appears, Mistral included, each with its tokenizer's count; Claude as an estimate."""
    reply = tokenize_reply("hello " * 1000, today=dt.date(2025, 2, 1), max_message_chars=None)
    counts = {t["name"]: t["count"] for t in reply.data["tokenizers"]}
    for cost in reply.data["costs"]:
        assert f"- {cost['model']}:" in reply.text
        assert cost["tokens"] == counts[cost["tokenizer"]]
    assert "Mistral 7B:" in reply.text and f"{counts['mistral_sentencepiece']:,} tokens (SentencePiece)" in reply.text
    assert "≈" in next(line for line in reply.text.splitlines() if line.startswith("- Claude"))
    assert "prices as of 2025-01-15" in reply.text and "⚠" not in reply.text


def test_old_price_table_is_flagged():
    """A table older than six months gets a warning next to the prices, in chat and in the terminal."""
    assert "⚠ 22 months old" in chat("hello", today=dt.date(2026, 11, 29)).text
    terminal = tokenize_reply("hello", today=dt.date(2026, 11, 29), max_message_chars=None)
    assert "⚠ These prices are 22 months old" in terminal.text


def test_chat_costs_name_every_model_compactly():
    """The chat form still names every priced model, Mistral and the estimated Claude included."""
    reply = chat("hello " * 1000)
    for cost in reply.data["costs"]:
        assert cost["model"] in reply.text
    assert "(estimate)" in reply.text


def test_bert_limit_is_shown_when_exceeded():
    """Past 512 WordPiece tokens the reply says a BERT model would cut the text."""
    assert "at most 512 tokens" in tokenize_reply("word " * 600).text
    assert "at most 512 tokens" not in tokenize_reply("word " * 10).text


def test_picture_is_a_png_of_sensible_size():
    """with_image gives a real PNG, 1000 px wide, one band per tokenizer."""
    reply = tokenize_reply(CORPUS["mixed"] * 10, with_image=True)
    data = reply.image.data
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    img = Image.open(io.BytesIO(data))
    img.verify()
    img = Image.open(io.BytesIO(data))
    assert img.format == "PNG" and img.mode in ("RGB", "P") and img.width == 1000
    assert reply.image.alt


def test_long_text_picture_says_it_is_page_one():
    """A text too long for one picture says the image is page 1 of N and how to get every page."""
    reply = tokenize_reply(CORPUS["mixed"] * 200, with_image=True)
    assert "page 1 of" in reply.text and "--image FILE" in reply.text


@pytest.mark.parametrize("ch", ["😀", "🤖", "日", "한", "م", "Ж", "·", "↵", "→", "◌"])
def test_picture_fonts_cover_emoji_and_scripts(ch):
    """The packaged fonts have a glyph for emoji, CJK, Hangul, Arabic, Cyrillic and the marks the views use."""
    assert font_chain(22).font_for(ch) is not None


def test_picture_without_text_gives_no_image():
    """Without with_image the reply carries no picture (it costs ~50 ms)."""
    assert tokenize_reply("hi").image is None


@pytest.mark.parametrize("text", ["Tokenization splits words into pieces 🙂 — even Karpathy's name. 12345", "hi"])
def test_short_text_shows_every_token_in_chat(text):
    """A sentence-long text gets complete token views in chat, with the explanation beside them."""
    reply = chat(text, notes_passage=PASSAGE)
    assert "more tokens" not in reply.text
    assert "**Why it split this way**" in reply.text


def test_input_is_not_stripped():
    """Leading and trailing whitespace is part of the text: it is counted and shown."""
    reply = tokenize_reply("  hi\n")
    assert reply.data["characters"] == 5
    assert _views(reply.text).startswith("\no200k_base\n│·│·hi│↵│")


def test_concurrent_replies_from_threads_agree():
    """Replies built in parallel threads (as the async service does) equal the sequential ones."""
    from concurrent.futures import ThreadPoolExecutor

    texts = [CORPUS[k] for k in sorted(CORPUS)]
    expected = [tokenize_reply(t).data["tokenizers"] for t in texts]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda t: tokenize_reply(t, with_image=True, special_tokens=True), texts))
    assert [r.data["tokenizers"] != [] for r in got] == [True] * len(texts)
    plain = list(ThreadPoolExecutor(4).map(lambda t: tokenize_reply(t).data["tokenizers"], texts))
    assert plain == expected
    assert all(r.image.data.startswith(b"\x89PNG") for r in got)
