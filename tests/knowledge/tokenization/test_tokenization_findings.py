"""Every sentence kind the explainer can say: said on a text where it is true, never on one where it is not."""

from __future__ import annotations

import re

import pytest

from knowledge.tokenization.analysis import analyze
from knowledge.tokenization.explain import explain
from knowledge.tokenization.registry import default_registry

# kind, a text where it is true (with a fragment the sentence must quote), a text where it must not be said
KINDS = [
    ("common_words", "the cat sat on the mat", "All 6 words here are one o200k token each", "日本語のテキスト"),
    ("split_words", "Karpathy wrote it", "`Kar`+`pathy`", "the cat sat"),
    ("leading_space", "the cat sat", "`·cat`", "hello"),
    ("contractions", "It isn't here", "`'t`", "It is not here"),
    ("numbers", "Call 1234567 now", "`123`+`456`+`7`", "Call me now"),
    ("sentencepiece_digits", "in 2024", "`2`+`0`+`2`+`4`", "in two"),
    ("whitespace", "a\n\n\n    b", "one token", "a b c"),
    ("unspaced", "日本語のテキスト", "`日本語のテキスト`", "Привет мир"),
    ("pretokenizer_marks", "मशीन लर्निंग", "combining marks", "machine learning"),
    ("scripts", "Привет мир", "Cyrillic", "hello world"),
    ("emoji_zwj", "👨‍👩‍👧‍👦", "25 UTF-8 bytes", "👨 👩"),
    ("flag", "🇫🇷", "F + R", "🇫 x"),
    ("tag_flag", "🏴󠁧󠁢󠁥󠁮󠁧󠁿", "tag character", "🏴"),
    ("skin_tone", "👍🏽", "U+1F3FD", "👍"),
    ("keycap", "1️⃣", "U+20E3", "1"),
    ("emoji_vs16", "❤️", "U+FE0F", "❤"),
    ("emoji", "I feel 😀 today", "4 UTF-8 bytes", "I feel :) today"),
    ("emoji_summary", "😀 and 😀", "All 2 emoji", "😀"),
    ("combining", "cafe\u0301", "U+0301 COMBINING ACUTE ACCENT", "café"),
    ("invisible", "a\u200bb", "U+200B ZERO WIDTH SPACE", "a b"),
    ("bidi", "a\u202eb", "U+202E RIGHT-TO-LEFT OVERRIDE", "a\u200bb"),
    ("replacement", "a\ufffdb", "U+FFFD", "ab"),
    ("special_text", "a <|endoftext|> b", "encode_ordinary", "a end of text b"),
    ("wordpiece", "Hello World", "lowercases", "hello"),
    ("wordpiece_unknown", "pizza🍕", "`🍕`", "pizza"),
    ("sentencepiece", "hello world", "`▁world`", " 123"),
]


def _said(text: str, **kw) -> dict[str, list[str]]:
    report = analyze(text, **kw)
    out: dict[str, list[str]] = {}
    for f in report.findings + report.limits:
        out.setdefault(f.kind, []).append(f.text)
    return out


@pytest.mark.parametrize(("kind", "text", "needle"), [(k, t, n) for k, t, n, _ in KINDS], ids=[k for k, *_ in KINDS])
def test_said_where_true(kind, text, needle):
    """The sentence appears on a text that shows it, quoting that text's own evidence."""
    said = _said(text)
    assert kind in said, sorted(said)
    assert any(needle in s for s in said[kind]), said[kind]


@pytest.mark.parametrize(("kind", "text"), [(k, t) for k, _, _, t in KINDS], ids=[k for k, *_ in KINDS])
def test_not_said_where_false(kind, text):
    """The sentence is absent on a text that does not show it."""
    assert kind not in _said(text)


def test_context_limit_only_past_the_model_limits():
    """BERT's 512-token limit is stated when the WordPiece count exceeds it, and not for a short text."""
    said = _said("word " * 600)
    assert "512" in said["context_limit"][0] and "600 WordPiece tokens" in said["context_limit"][0]
    assert "context_limit" not in _said("a short text")


def test_hindi_words_are_whole_words_with_their_marks():
    """Devanagari words keep their vowel signs and viramas: 6 words, and no mark-less fragment is called one."""
    text = "मैं मशीन लर्निंग सीख रहा हूँ"
    report = analyze(text)
    assert report.words.words == 6
    assert {w.word for w in report.split_words} <= set(text.split())
    assert "`लर`" not in " ".join(f.text for f in report.findings)


def test_cjk_sentence_is_not_counted_as_one_word():
    """A Chinese/Japanese run is explained as unspaced text, never as 'N of 1 words'."""
    said = _said("日本語のテキストと中文文本")
    assert "common_words" not in said and "unspaced" in said
    assert not analyze("日本語のテキストと中文文本").split_words


def test_decomposed_accent_is_shown_with_its_own_token():
    """`cafe` + U+0301: the accent is visible as a token piece (◌́), and the composed form is compared."""
    said = _said("cafe\u0301")
    assert "`◌\u0301`" in said["combining"][0]
    assert "U+00E9" in said["combining"][0]


def test_unknown_cause_long_word_versus_missing_piece():
    """`[UNK]` for 120 letters is the 100-character rule; for `pizza🍕` it is the emoji, and `pizza` is lost too."""
    long_said = _said("a" * 120)["wordpiece_unknown"][0]
    assert "longer than 100 characters" in long_said and "no piece" not in long_said
    pizza = _said("pizza🍕")["wordpiece_unknown"][0]
    assert "no piece for `🍕`" in pizza and "rest of the word is lost" in pizza
    assert "longer than" not in pizza


def test_cls_typed_in_text_says_what_hugging_face_would_do():
    """`[CLS]` is text here by choice; the sentence says Hugging Face as shipped makes it id 101."""
    s = _said("a [CLS] b")["special_text"][0]
    assert "would turn it into id 101" in s and "encode_special_tokens=True" in s


def test_special_tokens_switch_gives_the_control_ids():
    """With special tokens on, tiktoken and WordPiece produce the control ids; sentencepiece never does."""
    report = analyze("a <|endoftext|> [CLS] <s> b", special_tokens=True)
    assert 199999 in report.result("o200k_base").ids and 100257 in report.result("cl100k_base").ids
    assert 101 in report.result("bert_wordpiece").ids
    assert 1 not in report.result("mistral_sentencepiece").ids
    special = [t for t in report.result("o200k_base").tokens if t.special]
    assert [t.text for t in special] == ["<|endoftext|>"]
    texts = " ".join(f.text for f in report.findings if f.kind == "special_text")
    assert "With special tokens on" in texts and "never makes a control token" in texts


def test_family_emoji_is_not_called_four_bytes():
    """👨‍👩‍👧‍👦 is 7 code points and 25 bytes; no sentence says an emoji is 4 bytes for it."""
    said = _said("family: 👨‍👩‍👧‍👦")
    assert "7 code points, 25 UTF-8 bytes" in said["emoji_zwj"][0]
    assert "emoji" not in said


def test_half_a_flag_is_never_picked():
    """A flag is described whole (two regional indicators), never one indicator as an emoji."""
    said = _said("vive la 🇫🇷 !")
    assert "flag" in said and "emoji" not in said


def test_skin_tone_names_the_modifier_without_guessing_about_training():
    """A skin-tone emoji is described by its modifier and bytes; no claim about training text."""
    s = _said("👍🏽")["skin_tone"][0]
    assert "medium skin tone" in s and "8 UTF-8 bytes" in s and "training" not in s


@pytest.mark.parametrize("text", ["printf(\"%d\", x);", "We call printf and malloc.", "Karpathy's printf"])
def test_split_example_never_shows_a_whole_word_as_pieces(text):
    """'Built from pieces' is only said of a word the reference cuts into two or more pieces."""
    for s in _said(text).get("split_words", []):
        if "built from pieces" in s:
            ref = s.split("o200k", 2)[2] if s.count("o200k") > 1 else s
            assert "+" in ref.split("·")[0], s


def test_invisible_characters_are_named_with_what_wordpiece_does():
    """Zero-width space, soft hyphen, BOM and RTL override are each named; WordPiece deleting them is said."""
    s = _said("in\u200bvisible soft\u00adhyphen \ufeffbom \u202eevil")["invisible"][0]
    for name in ("ZERO WIDTH SPACE", "SOFT HYPHEN", "byte order mark", "RIGHT-TO-LEFT OVERRIDE"):
        assert name in s
    assert "WordPiece's normalizer deletes" in s


def test_digits_never_take_the_leading_space():
    """The space before a number is its own GPT token: `·2024` → `·`+`202`+`4`."""
    s = _said("in 2024")["numbers"][0]
    assert "`·2024` → `·`+`202`+`4`" in s


def test_curly_apostrophe_contraction():
    """With U+2019 both GPT pre-tokenizers cut the contraction; the sentence says why."""
    s = _said("they’re here")["contractions"][0]
    assert "U+2019" in s and "straight" in s


def test_every_finding_quotes_only_this_texts_pieces():
    """Each code span in a finding is a fragment of the text, a token piece, or a named character."""
    text = "Tokenization isn't free: 1234567 tokens, 🤖 and café."
    report = analyze(text)
    reg = default_registry()
    names = [t.info.name for t in reg.available()]
    pieces = {p for r in report.results for p in r.pieces} | {r.token_text(i) for r in report.results
                                                             for i in range(r.count)}
    for f in report.findings:
        for frag in re.findall(r"`([^`]+)`", f.text):
            plain = frag.replace("·", " ").replace("↵", "\n").rstrip("…")
            ok = (plain in text or plain in text.lower() or plain in pieces or frag.startswith(("\\p", "##", "encode", "▁"))
                  or any(plain in p for p in pieces) or frag in names or frag.startswith("<"))
            assert ok, (f.kind, frag)


def test_explain_without_results_is_empty():
    """No tokenizer, no explanation (and no crash)."""
    assert explain("text", (), {}).findings == ()
