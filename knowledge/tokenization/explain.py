"""Why the text split as it did: split words and findings, each with evidence from this text.

Every sentence is built from the tokenizers' real output for the text at hand
and from the tokenizers' own rules (their pre-tokenizer patterns, normalizer
settings, vocabularies), never from a rule of thumb: a finding is only made
when this text shows it. The kinds, in the order a student meets them:

==========================  =========================================================
``common_words``            how many words (o200k's chunks) are one token each
``split_words``             a word cut into pieces, checked against the vocabulary
``leading_space``           `` the`` and ``the`` are different tokens
``contractions``            o200k keeps ``isn't`` in one chunk, cl100k cuts ``'t``
``numbers``                 GPT digit groups of three; a space before a number
``sentencepiece_digits``    SentencePiece writes one digit per token
``whitespace``              runs of spaces and newlines are tokens
``unspaced``                Chinese, Japanese, Thai: one chunk per run
``pretokenizer_marks``      cl100k's pattern cuts words at combining marks
``scripts``                 characters, code points and bytes per script
``emoji_zwj`` ``flag`` ``tag_flag`` ``skin_tone`` ``keycap`` ``emoji_vs16`` ``emoji``
                            each kind of emoji cluster, its parts and bytes
``emoji_summary``           all emoji together
``combining``               a letter typed with a separate combining accent
``invisible``               zero-width, soft hyphen, BOM, controls, odd spaces
``bidi``                    bidirectional controls and marks
``replacement``             U+FFFD where bytes could not be decoded
``special_text``            what each tokenizer does with ``<|endoftext|>``, ``[CLS]``, ``<s>``
``wordpiece``               WordPiece's normalizer (case, accents) and ``##``
``wordpiece_unknown``       why a word became ``[UNK]``
``sentencepiece``           SentencePiece's ``▁``
``context_limit``           BERT's 512 tokens (reported with the costs)
==========================  =========================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.tokenization import why_chars, why_tokenizers, why_words
from knowledge.tokenization.evidence import Context, code, per_tokenizer, plural
from knowledge.tokenization.model import Finding, SplitWord, TokenizerResult, WordStats

__all__ = ["Explanation", "code", "explain", "per_tokenizer", "plural"]


@dataclass(frozen=True, slots=True)
class Explanation:
    split_words: tuple[SplitWord, ...]
    split_words_total: int
    findings: tuple[Finding, ...]
    limits: tuple[Finding, ...]
    words: WordStats | None
    graphemes: int | None = None


def explain(text: str, results: Sequence[TokenizerResult], tokenizers: dict[str, object],
            *, special: bool = False) -> Explanation:
    """The findings for ``text``; ``tokenizers`` maps names to the tokenizer objects (for their rules)."""
    if not results:
        return Explanation((), 0, (), (), None)
    ctx = Context(text, results, tokenizers, special)
    words, whole = why_words.word_stats(ctx)
    split, total = why_words.split_words(ctx)
    out: list[Finding] = []
    out += why_words.common_words(ctx, words, whole)
    out += why_words.split_example(ctx, split, all_whole=whole == words)
    out += why_tokenizers.leading_space(ctx)
    out += why_words.contractions(ctx)
    out += why_tokenizers.numbers(ctx)
    out += why_tokenizers.sentencepiece_digits(ctx)
    out += why_tokenizers.whitespace(ctx)
    out += why_words.unspaced(ctx)
    out += why_words.marks_cut_by_cl100k(ctx)
    out += why_chars.scripts(ctx)
    out += why_chars.emoji(ctx)
    out += why_chars.combining(ctx)
    out += why_chars.invisible(ctx)
    out += why_chars.bidi(ctx)
    out += why_chars.replacement(ctx)
    out += why_tokenizers.special_strings(ctx)
    out += why_tokenizers.wordpiece(ctx)
    out += why_tokenizers.wordpiece_unknown(ctx)
    out += why_tokenizers.sentencepiece_space(ctx)
    stats = WordStats(words, whole, ctx.ref.info.short) if words else None
    return Explanation(split, total, tuple(out), tuple(why_tokenizers.context_limits(ctx)), stats, ctx.graphemes)
