"""Findings about words: how many stay whole, which are cut, and how pre-tokenizers cut them first.

Words are o200k's own pre-tokenizer chunks (its regex, the first step of
GPT-4o's tokenizer), so a word of any script with spaces is found, combining
marks and all (``लर्निंग``); chunks of scripts written without spaces
(Chinese, Japanese, Thai) are not called words.
"""

from __future__ import annotations

import itertools

import regex

from knowledge.tokenization.chars import script_of
from knowledge.tokenization.evidence import Context, Word, code, listing, per_tokenizer, plural
from knowledge.tokenization.model import Finding, SplitWord

_CONTRACTION = regex.compile(r"(?i)(?<![\p{L}\p{M}])[\p{L}\p{M}]+(['’])(?:s|t|re|ve|m|ll|d)(?![\p{L}\p{M}])")
_MARK = regex.compile(r"\p{M}")
_HAN = regex.compile(r"\p{Han}")
MAX_SPLIT_WORDS = 30


def word_stats(ctx: Context) -> tuple[int, int]:
    """(words, words the reference tokenizer keeps in one token)."""
    r = ctx.ref
    starts, ends, partial = r.starts, r.ends, r.partial
    n = len(ends)
    i = whole = 0
    # words and tokens are both in text order: one walk instead of a search per word
    for w in ctx.words:
        s, e = w.start, w.end
        while i < n and ends[i] <= s:
            i += 1
        if i < n and starts[i] <= s and ends[i] >= e and i not in partial:
            whole += 1
    return len(ctx.words), whole


def split_words(ctx: Context, limit: int = MAX_SPLIT_WORDS) -> tuple[tuple[SplitWord, ...], int]:
    """Distinct words some tokenizer cut into several tokens, most-cut by the reference first; and how many."""
    indexes = [ctx.index[r.info.name] for r in ctx.results]
    seen: set[str] = set()
    found: list[tuple[int, int, int, Word]] = []
    text = ctx.text
    for w in ctx.words:
        word = text[w.start : w.end]
        if word in seen:
            continue
        seen.add(word)
        counts = [ix.count(w.start, w.end) for ix in indexes]
        if max(counts) > 1:
            found.append((-counts[0], -max(counts), w.start, w))
    found.sort(key=lambda f: f[:3])
    out = tuple(
        SplitWord(text[w.start : w.end], w.start,
                  tuple((ix.result.info.short, ix.pieces(w.start, w.end)) for ix in indexes))
        for *_, w in found[:limit]
    )
    return out, len(found)


def common_words(ctx: Context, words: int, whole: int) -> list[Finding]:
    if not words:
        return []
    ref = ctx.ref.info.short
    if words == 1:
        head = f"The one word here is {'one' if whole else 'not one'} {ref} token"
    elif whole == words:
        head = f"All {plural(words, 'word')} here are one {ref} token each"
    elif whole == 0:
        head = f"None of the {plural(words, 'word')} here is one {ref} token"
    else:
        head = f"**{whole:,} of {words:,}** words here are one {ref} token each"
    return [Finding("common_words", head + " (words as o200k's pre-tokenizer cuts the text). Training gave "
                    "frequent words a vocabulary entry of their own; the others are built from pieces.")]


def split_example(ctx: Context, split: tuple[SplitWord, ...], all_whole: bool) -> list[Finding]:
    """One cut word, with every tokenizer's pieces; the claim about the vocabulary is checked, not assumed."""
    if not split:
        return []
    ref = ctx.ref
    short = ref.info.short
    cut = [w for w in split if len(dict(w.pieces)[short]) > 1]
    if cut:
        # a short Latin-script word with a few pieces reads best
        w = min(cut, key=lambda w: (not w.word.isascii(), not 2 <= len(dict(w.pieces)[short]) <= 5,
                                    len(w.word) > 20, w.start))
        chunk = next((c for c in ctx.chunks if c[0] <= w.start < c[1]), (w.start, w.start + len(w.word)))
        unit = ctx.text[chunk[0] : chunk[1]]
        single = getattr(ctx.tokenizer(ref.info.name), "single_token", None)
        if single is not None and single(unit.encode("utf-8")) is None:
            lead = f"{short} has no single token for {code(unit)}, so it is built from pieces the vocabulary has"
        else:
            lead = f"{short} cuts {code(unit)} into pieces"
        pairs = [(r.info.short, ctx.index[r.info.name].pieces(*chunk)) for r in ctx.results]
        return [Finding("split_words", f"{lead}: {per_tokenizer(pairs)}.")]
    w = split[0]
    cutters = [name for name, p in w.pieces if len(p) > 1]
    if not cutters:
        return []
    sizes = {r.info.short: r.info.vocab_size for r in ctx.results}
    who = listing(cutters)
    if all(sizes[n] < ref.info.vocab_size for n in cutters):
        who = f"the smaller vocabular{'y' if len(cutters) == 1 else 'ies'} of {who}"
    head = f"Every word here is one {short} token, but " if all_whole else ""
    verb = "cuts" if len(cutters) == 1 else "cut"
    sentence = f"{head}{who} {verb} some: {code(w.word)} → {ctx.evidence(w.start, w.start + len(w.word))}."
    return [Finding("split_words", sentence[0].upper() + sentence[1:])]


def _chunks_in(ctx: Context, name: str, start: int, end: int) -> list[tuple[int, int]] | None:
    """The named tokenizer's pre-tokenizer chunks overlapping text[start:end], run over the line around it."""
    tok = ctx.tokenizer(name)
    if tok is None or getattr(tok, "pattern", None) is None:
        return None
    text = ctx.text
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end + 1
    return [(line_start + s, line_start + e) for s, e in tok.pretokens(text[line_start:line_end])
            if line_start + s < end and line_start + e > start]


def _chunk_codes(ctx: Context, spans: list[tuple[int, int]]) -> str:
    return ", ".join(code(ctx.text[s:e]) for s, e in spans)


def contractions(ctx: Context) -> list[Finding]:
    """o200k keeps ``isn't`` in one chunk; cl100k cuts off ``'t``; a curly apostrophe defeats both."""
    if "o200k_base" not in ctx.index or "cl100k_base" not in ctx.index:
        return []
    text = ctx.text
    if "'" not in text and "’" not in text:
        return []
    matches = list(itertools.islice(_CONTRACTION.finditer(text), 50))
    # a contraction o200k keeps as one token shows the difference best
    o200k_ix = ctx.index["o200k_base"]
    matches.sort(key=lambda m: not o200k_ix.one_token(*m.span()))
    for m in matches:
        s, e = m.span()
        o200k = _chunks_in(ctx, "o200k_base", s, e)
        cl100k = _chunks_in(ctx, "cl100k_base", s, e)
        if not o200k or not cl100k:
            continue
        apostrophe = m.start(1)
        tokens = (f"Tokens: o200k: {_pieces(ctx, 'o200k_base', o200k)} · "
                  f"cl100k: {_pieces(ctx, 'cl100k_base', cl100k)}.")
        if m.group(1) == "'" and len(o200k) == 1 and any(c[0] == apostrophe for c in cl100k):
            return [Finding("contractions",
                            f"Contractions: o200k's pre-tokenizer keeps {code(text[o200k[0][0]:o200k[0][1]])} in "
                            f"one chunk, cl100k's cuts off the ending before BPE runs "
                            f"({_chunk_codes(ctx, cl100k)}). {tokens}")]
        if m.group(1) == "’" and any(c[0] == apostrophe for c in o200k) and any(c[0] == apostrophe for c in cl100k):
            return [Finding("contractions",
                            f"{code(m.group())} is written with the curly apostrophe U+2019 (`’`); the GPT "
                            "pre-tokenizers' contraction rule only knows the straight `'`, so both cut the word "
                            f"there (o200k: {_chunk_codes(ctx, o200k)}). {tokens}")]
    return []


def _pieces(ctx: Context, name: str, spans: list[tuple[int, int]]) -> str:
    from knowledge.tokenization.evidence import pieces_code

    return pieces_code(ctx.index[name].pieces(spans[0][0], spans[-1][1]))


def marks_cut_by_cl100k(ctx: Context) -> list[Finding]:
    """cl100k's pattern counts only ``\\p{L}`` as letters, so it cuts words at combining marks; o200k's does not."""
    if ctx.text.isascii() or "cl100k_base" not in ctx.index:
        return []
    text = ctx.text
    for w in ctx.words:
        if not _MARK.search(text, w.start, w.end):
            continue
        chunks = _chunks_in(ctx, "cl100k_base", w.start, w.end)
        if not chunks or len(chunks) < 2:
            continue
        cuts = [s for s, _ in chunks[1:] if w.start < s < w.end]
        if cuts and all(_MARK.match(text[c]) or _MARK.match(text[c - 1]) for c in cuts):
            unit = text[w.chunk_start : w.end]
            return [Finding("pretokenizer_marks",
                            f"cl100k's pre-tokenizer counts only letters (`\\p{{L}}`) as word characters, not "
                            f"combining marks, so it cuts {code(unit)} at its marks before BPE runs: "
                            f"{_chunk_codes(ctx, chunks)}. o200k's pattern takes marks into words (`\\p{{M}}`) "
                            "and keeps it as one chunk.")]
    return []


def unspaced(ctx: Context) -> list[Finding]:
    """Chinese, Japanese, Thai: no spaces, so a pre-tokenizer chunk is a whole run of them."""
    if not ctx.unspaced:
        return []
    text = ctx.text
    s, e = max(ctx.unspaced, key=lambda c: c[1] - c[0]) if len(ctx.unspaced) > 1 else ctx.unspaced[0]
    labels: list[str] = []
    for ch in text[s:e]:
        label = script_of(ch)
        if label and label not in labels and label not in ("Latin letters outside ASCII", "letters of other scripts"):
            labels.append(label)
    chunk = text[s:e]
    # the letters of the chunk, without a leading space or punctuation mark
    lead = next((i for i, ch in enumerate(chunk) if ch.isalpha()), 0)
    out = (f"Text in {listing(labels) or 'this script'} is written without spaces between words, so o200k's pre-tokenizer keeps {code(chunk[lead:])} "
           f"({plural(e - s - lead, 'character')}) as one chunk and BPE finds the pieces inside it: "
           f"{ctx.evidence(s + lead, e)}.")
    wp = ctx.tokenizer("bert_wordpiece")
    if wp is not None and getattr(wp, "splits_cjk", False) and _HAN.search(chunk):
        out += " WordPiece first puts a space around every Chinese character (Han), so each is a word of its own."
    return [Finding("unspaced", out)]
