"""Findings about each tokenizer's own rules: spaces, digits, WordPiece's normalizer and ``[UNK]``,
SentencePiece's ``▁``, special-token strings, BERT's length limit.

A rule is only stated when this text shows it, with this text's tokens as the
evidence; rules about a tokenizer's behaviour are read from the tokenizer
object (its pattern, its normalizer's settings, probes made at load), not
assumed.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right

import regex

from knowledge.tokenization.evidence import Context, code, listing, per_tokenizer, pieces_code, plural
from knowledge.tokenization.model import Finding

_SPACE_WORD = regex.compile(r" [A-Za-z]{2,}")
_DIGITS = regex.compile(r"[0-9]{4,}")
_DIGIT_PAIR = regex.compile(r"[0-9]{2,}")
_SPACE_DIGIT = regex.compile(r"(?<=[^\s]) (?=[0-9]+(?![0-9\p{M}]))")  # a number, not a keycap 1️⃣
_SPACE_RUN = regex.compile(r"\s{2,}|[^\S ]")
_UPPER = regex.compile(r"\p{Lu}")
_HANGUL = regex.compile(r"[\uac00-\ud7a3]")
_JAMO = regex.compile(r"[\u1100-\u11ff]")
_ROLES = {
    "<|endoftext|>": "end-of-text",
    "<|endofprompt|>": "end-of-prompt",
    "<|fim_prefix|>": "fill-in-the-middle prefix",
    "<|fim_middle|>": "fill-in-the-middle middle",
    "<|fim_suffix|>": "fill-in-the-middle suffix",
    "[CLS]": "start-of-input (classification)",
    "[SEP]": "separator",
    "[MASK]": "mask",
    "[PAD]": "padding",
    "[UNK]": "unknown-word",
    "<s>": "begin-of-sequence",
    "</s>": "end-of-sequence",
    "<unk>": "unknown-piece",
}


def leading_space(ctx: Context) -> list[Finding]:
    ref = ctx.ref
    text = ref.text
    enc = getattr(ctx.tokenizer(ref.info.name), "encode", None)
    first = None
    for i in range(ref.count):
        if _SPACE_WORD.fullmatch(text, ref.starts[i], ref.ends[i]):
            e = ref.ends[i]
            if e == len(text) or not text[e].isalpha():  # a whole word (" cat", not " Kar" of " Karpathy")
                first = i
                break
            if first is None:
                first = i
    if first is None:
        return []
    t = ref.token_text(first)
    bare = ""
    if enc is not None:
        ids = enc(t[1:])
        shown = f"id {ids[0]}" if len(ids) == 1 else plural(len(ids), "token")
        bare = f"; {code(t[1:])} without it is {shown}"
    return [Finding("leading_space",
                    f"A leading space is part of the token: {code(t)} is {ref.info.short} id {ref.ids[first]}{bare}.")]


def numbers(ctx: Context) -> list[Finding]:
    """GPT tokenizers: digits in groups of up to three from the left; a space before a number is its own token."""
    gpt = [r for r in ctx.results if r.info.family == "BPE"]
    if not gpt:
        return []
    text = ctx.text
    out = []
    m = _DIGITS.search(text)
    if m:
        run = m.group()
        groups = tuple(run[i : i + 3] for i in range(0, len(run), 3))
        if all(ctx.index[r.info.name].pieces(*m.span()) == groups for r in gpt):
            names = listing([r.info.short for r in gpt])
            out.append(f"The GPT tokenizers ({names}) cut a run of digits into groups of up to three from the "
                       f"left: {code(run)} → {pieces_code(groups)}")
    sp = _SPACE_DIGIT.search(text)
    if sp:
        i = sp.start()
        alone = [r for r in gpt if ctx.index[r.info.name].is_token(i, i + 1)]
        if alone:
            end = regex.match(r" [0-9]+", text[i:]).end() + i
            names = listing([r.info.short for r in alone])
            out.append(f"{'their' if out else 'the GPT tokenizers’'} digit rule takes no leading space, so the space "
                       "before a number "
                       f"stays a token of its own ({names}): {code(text[i:end])} → "
                       f"{pieces_code(ctx.index[alone[0].info.name].pieces(i, end))}")
    if not out:
        return []
    sentence = ". ".join(s[0].upper() + s[1:] for s in out) + "."
    return [Finding("numbers", sentence)]


def sentencepiece_digits(ctx: Context) -> list[Finding]:
    sp = ctx.result("SentencePiece")
    tok = ctx.tokenizer(sp.info.name) if sp else None
    if sp is None or not getattr(tok, "splits_digits", False):
        return []
    m = _DIGIT_PAIR.search(ctx.text)
    if not m:
        return []
    pieces = ctx.index[sp.info.name].pieces(*m.span())
    if pieces != tuple(m.group()):
        return []
    return [Finding("sentencepiece_digits",
                    f"SentencePiece ({sp.info.label}) writes every digit as a token of its own: {code(m.group())} → "
                    f"{pieces_code(pieces)}.")]


def whitespace(ctx: Context) -> list[Finding]:
    ref = ctx.ref
    text = ref.text
    if not _SPACE_RUN.search(text):
        return []
    spaces = [i for i, (s, e) in enumerate(zip(ref.starts, ref.ends, strict=True))
              if e > s and text[s:e].isspace()]
    if not spaces:
        return []
    longest = max(spaces, key=lambda i: ref.ends[i] - ref.starts[i])
    t = ref.token_text(longest)
    if t == " ":  # only single spaces on their own (before numbers): nothing to show about runs
        return []
    return [Finding(
        "whitespace",
        f"Whitespace costs tokens: {plural(len(spaces), ref.info.short + ' token')} here "
        f"{'is' if len(spaces) == 1 else 'are'} only whitespace (spaces, tabs, newlines, other space "
        f"characters); the longest, {code(t)} "
        f"({plural(len(t), 'character')}), is one token, id {ref.ids[longest]}.",
    )]


def wordpiece(ctx: Context) -> list[Finding]:
    """What BERT's WordPiece does before and while it looks for pieces, each shown on this text."""
    wp = ctx.result("WordPiece")
    tok = ctx.tokenizer(wp.info.name) if wp else None
    if wp is None or tok is None:
        return []
    text = ctx.text
    bits = []
    lossy = False
    if regex.search(r"\s", text):
        bits.append("splits the text at spaces and punctuation and drops the spaces")
        lossy = True
    if tok.lowercase and _UPPER.search(text):
        changed, example = _lowercase_example(ctx, tok)
        if changed:
            bits.append("lowercases" + (f" ({example})" if example else ""))
            lossy = True
    if tok.strip_accents and not text.isascii():
        examples = _accent_examples(ctx, tok)
        if examples:
            bits.append(f"takes characters apart (NFD) and drops accents and other non-spacing marks "
                        f"({', '.join(examples)})")
            lossy = True
        hangul = _HANGUL.search(text)
        if hangul:
            i = hangul.start()
            pieces = ctx.index[wp.info.name].pieces(i, i + 1)
            if any(_JAMO.search(p) for p in pieces):
                bits.append(f"takes each Hangul syllable apart into its letters (jamo): {code(text[i])} → "
                            f"{pieces_code(pieces)}")
    runs = _continuation_runs(wp, tok.prefix)
    if runs:
        first, last = min(runs, key=lambda r: (r[1] - r[0] > 3, r[1] - r[0], r[0]))
        bits.append(f"marks a piece that continues a word with `{tok.prefix}` "
                    f"({pieces_code(wp.pieces[first : last + 1])})")
    if not bits:
        return []
    out = f"WordPiece ({wp.info.label}) " + ("; ".join(bits[:-1]) + "; and " + bits[-1] if len(bits) > 1 else bits[0])
    if lossy:
        out += ", so its tokens cannot give the text back exactly; byte-level BPE and SentencePiece can"
    return [Finding("wordpiece", out + ".")]


def _lowercase_example(ctx: Context, tok, tries: int = 200) -> tuple[bool, str]:
    """Whether lowercasing changes a word here, and a word whose only change is its case (no accent dropped)."""
    text = ctx.text
    changed = False
    for w in ctx.words:
        word = text[w.start : w.end]
        if word.islower() or word.lower() == word:
            continue
        changed = True
        if tok.normalize(word).strip() == word.lower():
            return True, f"{code(word)} → {code(word.lower())}"
        tries -= 1
        if tries == 0:
            break
    return changed, ""


def _dropped_marks(word: str, seen: str) -> bool:
    """WordPiece's form is the lowercased word decomposed (NFD) with its non-spacing marks dropped, and some were."""
    nfd = unicodedata.normalize("NFD", word.lower())
    bare = "".join(ch for ch in nfd if unicodedata.category(ch) != "Mn")
    return bare != nfd and unicodedata.normalize("NFC", bare) == unicodedata.normalize("NFC", seen.replace(" ", ""))


def _accent_examples(ctx: Context, tok, limit: int = 2) -> list[str]:
    """Short words (or, in unspaced text, single characters) whose accents WordPiece drops."""
    text = ctx.text
    out: list[str] = []
    shown: set[str] = set()
    for w in ctx.words:
        if w.end - w.start > 16:
            continue
        word = text[w.start : w.end]
        if word.isascii():
            continue
        nfc = unicodedata.normalize("NFC", word)
        if nfc in shown:
            continue
        shown.add(nfc)
        seen = tok.normalize(word).strip()
        if _dropped_marks(word, seen):
            out.append(f"{code(word)} → {code(seen)}")
            if len(out) == limit:
                return out
    # in text without spaces: characters as a reader sees them (ต + ั is one), each once
    spans = ctx.unspaced
    span_starts = [s for s, _ in spans]
    for c in ctx.clusters:
        k = bisect_right(span_starts, c.start) - 1
        if c.text in shown or k < 0 or c.start >= spans[k][1]:
            continue
        shown.add(c.text)
        seen = tok.normalize(c.text).strip()
        if seen and _dropped_marks(c.text, seen):
            out.append(f"{code(c.text)} → {code(seen)}")
            if len(out) == limit:
                return out
    return out


def _continuation_runs(wp, prefix: str) -> list[tuple[int, int]]:
    """(first, last) token indexes of words that have ``##`` pieces: the word's first piece and its last."""
    runs = []
    pieces = wp.pieces
    i, n = 0, wp.count
    while i < n:
        if pieces[i].startswith(prefix) and i > 0:
            first = i - 1
            last = i
            while last + 1 < n and pieces[last + 1].startswith(prefix):
                last += 1
            runs.append((first, last))
            if len(runs) >= 50:
                break
            i = last + 1
        else:
            i += 1
    return runs


def wordpiece_unknown(ctx: Context) -> list[Finding]:
    """Each cause of ``[UNK]`` here: a word over the length limit, or a character with no piece."""
    wp = ctx.result("WordPiece")
    tok = ctx.tokenizer(wp.info.name) if wp else None
    if wp is None or tok is None:
        return []
    unk = [i for i, p in enumerate(wp.pieces) if p == tok.unk and i not in wp.special]
    if not unk:
        return []
    text = ctx.text
    long_word = unknown = None
    for i in unk:
        word = text[wp.starts[i] : wp.ends[i]]
        seen = tok.normalize(word).strip()
        if len(seen) > tok.max_word_chars:
            long_word = long_word or (word, len(seen))
        elif unknown is None:
            bad = failing_char(tok, seen)
            if bad is not None:
                unknown = (word, bad, seen)
        if long_word and unknown:
            break
    out = []
    if long_word:
        word, n = long_word
        out.append(f"{code(word)} ({plural(n, 'character')}) became one `{tok.unk}`: WordPiece gives up on any word "
                   f"longer than {tok.max_word_chars:,} characters")
    if unknown:
        word, bad, seen = unknown
        origin = "" if bad in word.lower() else " (a letter its normalizer took out of a character)"
        if len(seen) > len(bad):
            out.append(f"{code(word)} became one `{tok.unk}`: WordPiece has no piece for {code(bad)}{origin}, and a "
                       f"word it cannot finish becomes a single `{tok.unk}`, so the rest of the word is lost with it")
        else:
            out.append(f"{code(word)} became `{tok.unk}`: WordPiece has no piece for it")
    if not out:
        return []
    sentence = "; ".join(out)
    sentence += f" ({plural(len(unk), '`' + tok.unk + '`')} in all)."
    bpe = [r.info.short for r in ctx.results if r.info.family == "BPE"]
    sp = ctx.result("SentencePiece")
    fallback = []
    if bpe:
        fallback.append(f"Byte-level BPE ({listing(bpe)}) never needs one: it has a token for every byte")
    if sp is not None and getattr(ctx.tokenizer(sp.info.name), "byte_fallback", False):
        fallback.append(f"{'s' if fallback else 'S'}entencePiece falls back to byte pieces (`<F0>`)")
    if fallback:
        sentence += " " + "; ".join(fallback) + "."
    return [Finding("wordpiece_unknown", sentence)]


def failing_char(tok, word: str) -> str | None:
    """Where WordPiece's greedy longest-match fails on ``word`` (its character), or None when it succeeds."""
    start, n = 0, len(word)
    while start < n:
        end = n
        while end > start and not tok.has_piece(word[start:end], first=start == 0):
            end -= 1
        if end == start:
            return word[start]
        start = end
    return None


def sentencepiece_space(ctx: Context) -> list[Finding]:
    sp = ctx.result("SentencePiece")
    if sp is None:
        return []
    text = ctx.text
    bits = []
    spaced = []
    for i, piece in enumerate(sp.pieces):
        if piece.startswith("▁") and piece.lstrip("▁") and sp.ends[i] > sp.starts[i] and text[sp.starts[i]] == " ":
            spaced.append(i)
            if len(spaced) == 20:
                break
    if spaced:
        i = max(spaced, key=lambda i: len(sp.pieces[i]))  # a whole word shows it best
        s, e = sp.starts[i], sp.ends[i]
        bits.append(f"it writes a space as part of the piece that follows, with `▁` (U+2581): {code(text[s:e])} "
                    f"is the piece `{sp.pieces[i]}`")
    tok = ctx.tokenizer(sp.info.name)
    if (getattr(tok, "dummy_prefix", False) and sp.count and sp.pieces[0].startswith("▁")
            and not text[:1].isspace()):
        first = sp.pieces[0]
        bits.append(f"it{' also' if bits else ''} puts `▁` at the start of the text, where there is no space "
                    f"(`{first}`" + (", a token of its own" if first == "▁" else "") + ")")
    if not bits:
        return []
    out = f"SentencePiece ({sp.info.label}): {'; '.join(bits)}. Its pieces give the text back, spaces included."
    return [Finding("sentencepiece", out)]


def special_strings(ctx: Context) -> list[Finding]:
    """What each tokenizer does with a special-token string typed in the text (checked per tokenizer)."""
    owners: dict[str, list[tuple[str, int]]] = {}
    for r in ctx.results:
        tok = ctx.tokenizer(r.info.name)
        for s, tid in (getattr(tok, "specials", None) or {}).items():
            owners.setdefault(s, []).append((r.info.name, tid))
    text = ctx.text
    found = sorted((i, s) for s in owners if (i := text.find(s)) >= 0)
    # "<s>" inside "</s>" is not a separate string
    found = [(i, s) for i, s in found if not any(j <= i and i + len(s) <= j + len(t) and t != s for j, t in found)]
    out = []
    for i, s in found:
        out.append(Finding("special_text", _special_sentence(ctx, s, i, owners[s])))
    return out


def _special_sentence(ctx: Context, s: str, i: int, owned: list[tuple[str, int]]) -> str:
    results = {r.info.name: r for r in ctx.results}
    role = _ROLES.get(s, "control")
    ids = listing([f"{results[n].info.short} (id {tid})" for n, tid in owned])
    parts = [f"{code(s)} is the {role} control token of {ids}."]
    by_family: dict[str, list[tuple[str, int]]] = {}
    for name, tid in owned:
        by_family.setdefault(results[name].info.family, []).append((name, tid))

    def pieces(names: list[tuple[str, int]]) -> str:
        return per_tokenizer([(results[n].info.short, ctx.index[n].pieces(i, i + len(s))) for n, _ in names])

    bpe = by_family.get("BPE")
    if bpe and ctx.special:
        parts.append("With special tokens on, it is encoded as tiktoken's `encode(allowed_special=...)` encodes it, "
                     f"as one token: {pieces(bpe)}.")
    elif bpe:
        parts.append("By default tiktoken's `encode()` raises an error on text holding it; this reply uses "
                     f"`encode_ordinary()`, which reads it as plain text: {pieces(bpe)}.")
    for name, tid in by_family.get("WordPiece", []):
        if ctx.special:
            parts.append(f"Hugging Face `tokenizers`, as the model ships, turns it into id {tid} wherever it is "
                         f"typed; shown so here (special tokens on): {pieces([(name, tid)])}.")
        else:
            parts.append(f"Hugging Face `tokenizers`, as the model ships, would turn it into id {tid} wherever it is "
                         f"typed; this reply reads it as text (`encode_special_tokens=True`): {pieces([(name, tid)])}.")
    for name, tid in by_family.get("SentencePiece", []):
        parts.append("The sentencepiece library never makes a control token from text, special tokens on or off: "
                     f"{pieces([(name, tid)])}; an application adds id {tid} itself.")
    others = [r.info.short for r in ctx.results if r.info.name not in dict(owned)]
    if others:
        parts.append(f"To {listing(others)} it is ordinary text.")
    return " ".join(parts)


def context_limits(ctx: Context) -> list[Finding]:
    """BERT reads at most 512 tokens (its position embeddings); all-MiniLM-L6-v2 is set to 256."""
    wp = ctx.result("WordPiece")
    tok = ctx.tokenizer(wp.info.name) if wp else None
    if wp is None or tok is None:
        return []
    need = wp.count + 2  # [CLS] and [SEP] around the text
    limit, model = getattr(tok, "context_tokens", None), getattr(tok, "model_tokens", None)
    out = []
    if limit and need > limit:
        out.append(f"BERT models read at most {limit:,} tokens, `[CLS]` and `[SEP]` included; this text is "
                   f"{wp.count:,} WordPiece tokens + 2, so a BERT model would cut it")
    if model and need > model:
        out.append(f"all-MiniLM-L6-v2, the model this vocabulary comes from (it embeds the notes), is set to read "
                   f"{model:,} tokens and would embed only the first {model - 2:,} of this text")
    if not out:
        return []
    return [Finding("context_limit", "; ".join(out)[0].upper() + "; ".join(out)[1:] + ".")]

