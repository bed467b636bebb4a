"""analyze(): real tokenizers side by side, lossless token texts, byte pieces, input limits, explanations."""

from __future__ import annotations

import pytest

from bot.errors import UserInputError
from knowledge.tokenization.analysis import MAX_CHARS, analyze, decode_text_file
from knowledge.tokenization.registry import default_registry
from tests.knowledge.tokenization.corpus import CORPUS

ALL = ("o200k_base", "cl100k_base", "bert_wordpiece", "mistral_sentencepiece")


def test_four_real_tokenizers_load():
    """BPE (o200k, cl100k), WordPiece and SentencePiece all load offline from installed packages."""
    names = [t.info.name for t in default_registry().available()]
    assert names == list(ALL)


@pytest.mark.parametrize("kind", sorted(CORPUS))
def test_lossless_token_texts_concatenate_to_input(kind):
    """For BPE and SentencePiece, the token texts joined in order are exactly the input."""
    text = CORPUS[kind]
    report = analyze(text)
    for r in report.results:
        if r.info.lossless:
            assert "".join(t.text for t in r.tokens) == text, r.info.name
        assert r.count == len(r.ids) > 0


@pytest.mark.parametrize("kind", sorted(CORPUS))
def test_sentencepiece_ids_equal_sentencepiece(kind):
    """The SentencePiece column has the ids of the sentencepiece library itself."""
    sp = default_registry().get("mistral_sentencepiece")
    assert list(sp.tokenize(CORPUS[kind]).ids) == sp._sp.encode(CORPUS[kind])


def test_wordpiece_ids_equal_hugging_face_and_are_not_truncated():
    """WordPiece ids are the tokenizers library's own, for text far past the model's 128-token truncation."""
    text = CORPUS["english"] * 20
    wp = default_registry().get("bert_wordpiece")
    result = wp.tokenize(text)
    assert result.count > 300
    assert list(result.ids) == wp._tok.encode(text, add_special_tokens=False).ids


@pytest.mark.parametrize(
    ("name", "word", "pieces"),
    [
        ("o200k_base", "tokenization", ("token", "ization")),
        ("bert_wordpiece", "tokenization", ("token", "##ization")),
        ("cl100k_base", "Karpathy", ("Kar", "path", "y")),
    ],
)
def test_split_words_show_pieces(name, word, pieces):
    """A word cut into several tokens is listed with that tokenizer's pieces (WordPiece keeps ##)."""
    report = analyze(f"Learn about {word} today, {word}.")
    short = report.result(name).info.short
    split = {w.word: dict(w.pieces) for w in report.split_words}
    assert split[word][short] == pieces


def test_partial_utf8_pieces_keep_text_exact_and_show_bytes():
    """An emoji split over byte tokens: its text sits on the first-byte token, the rest show hex bytes."""
    text = "🏳️‍🌈"
    r = analyze(text).result("cl100k_base")
    partial = [t for t in r.tokens if t.partial]
    assert partial, "cl100k splits this flag into byte pieces"
    assert all(t.piece.strip().startswith("<") or "<" in t.piece for t in partial)
    assert "".join(t.text for t in r.tokens) == text
    assert any(t.text == "" for t in partial)


@pytest.mark.parametrize("special", ["<|endoftext|>", "<|endofprompt|>", "[CLS]", "<s>"])
def test_special_token_strings_are_plain_text(special):
    """Special-token names typed by a student are plain text by default (and never raise)."""
    report = analyze(f"before {special} after")
    control_ids = {
        "o200k_base": {199999, 200018},
        "cl100k_base": {100257, 100258, 100259, 100260, 100276},
        "bert_wordpiece": {0, 100, 101, 102, 103},
        "mistral_sentencepiece": {0, 1, 2},
    }
    for r in report.results:
        assert r.count > 3, r.info.name
        assert not control_ids[r.info.name] & set(r.ids), r.info.name


@pytest.mark.parametrize("text", ["\x00", "a\x00b\x01c\x7f", "\u202e\u200b\ufeff", "\r\n\t"])
def test_control_characters_do_not_crash(text):
    """NUL and other control or format characters are tokenized like any text."""
    report = analyze(text)
    assert all(r.count >= 0 for r in report.results)
    assert report.result("o200k_base").count >= 1


def test_lone_surrogates_are_replaced_and_noted():
    """Undecodable input (lone surrogates) becomes U+FFFD and the report says so."""
    report = analyze("ok \udcff done")
    assert "\ufffd" in report.text
    assert report.notes


@pytest.mark.parametrize("text", ["", None])
def test_empty_text_gives_usage_hint(text):
    """Empty input is a UserInputError whose message shows how to use /tokenize."""
    with pytest.raises(UserInputError, match="/tokenize"):
        analyze(text)


def test_too_long_text_names_the_limit():
    """Over 100,000 characters is a UserInputError that states the limit."""
    with pytest.raises(UserInputError, match="100,000"):
        analyze("a" * (MAX_CHARS + 1))


def test_text_at_the_limit_is_accepted():
    """Exactly 100,000 characters is analysed, with counts for all of it."""
    text = "word " * (MAX_CHARS // 5)
    report = analyze(text)
    assert report.chars == MAX_CHARS
    assert report.result("o200k_base").count == default_registry().get("o200k_base").count(text) > 19_000


def test_huge_text_is_refused_with_its_true_length_before_any_tokenizer_loads():
    """A 1 MB paste is a UserInputError stating its real length; no tokenizer is even loaded for it."""
    from knowledge.tokenization.registry import TokenizerRegistry

    def must_not_load():
        raise AssertionError("a tokenizer was loaded for a text that is too long")

    registry = TokenizerRegistry({"o200k_base": must_not_load})
    with pytest.raises(UserInputError, match="1,000,000 characters"):
        analyze("x" * 1_000_000, registry=registry)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("👨‍👩‍👧‍👦", ["emoji_zwj"]),
        ("🇫🇷🇯🇵", ["flag", "flag"]),
        ("👍🏽", ["skin_tone"]),
        ("❤️❤", ["emoji_vs16", "other"]),  # a bare ❤ is text-style (Emoji_Presentation=No), like ©
        ("⌚", ["emoji"]),
        ("1️⃣", ["keycap"]),
        ("🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f", ["tag_flag"]),
        ("cafe\u0301", ["combining"]),
        ("a\u200bb\u00ad", ["invisible", "invisible"]),
        ("©", ["other"]),
        ("लर्निंग", ["other", "other", "other"]),
    ],
)
def test_grapheme_clusters_are_classified(text, kinds):
    """Characters on screen (grapheme clusters) are classified whole: a flag is one cluster, not two emoji."""
    from knowledge.tokenization.chars import clusters

    assert [c.kind for c in clusters(text)] == kinds


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xef\xbb\xbfhello", "hello"),
        ("héllo".encode("utf-16"), "héllo"),
        (b"bad \xff byte", "bad \ufffd byte"),
    ],
)
def test_decode_text_file(data, expected):
    """An attached .txt is read as UTF-8 (BOM dropped) or BOM-marked UTF-16; bad bytes become U+FFFD."""
    assert decode_text_file(data) == expected
