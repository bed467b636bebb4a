"""Findings about characters: scripts, emoji sequences, combining accents, invisible and bidi characters.

Everything is counted on grapheme clusters (what a reader calls a character)
and their code points and UTF-8 bytes (what the tokenizers read).
"""

from __future__ import annotations

import unicodedata
from collections import Counter

import regex

from knowledge.tokenization.chars import (
    BIDI_CONTROLS,
    SKIN_TONES,
    VS16,
    ZWJ,
    Cluster,
    char_name,
    emoji_name,
    is_invisible,
    parts,
    script_of,
    utf8_len,
)
from knowledge.tokenization.evidence import Context, code, listing, plural
from knowledge.tokenization.model import Finding

EMOJI_KINDS = ("emoji_zwj", "flag", "tag_flag", "skin_tone", "keycap", "emoji_vs16", "emoji")
_REPLACEMENT = "\ufffd"
# Candidates for is_invisible(), found by one regex pass instead of a Python loop over every character.
_INVISIBLE = regex.compile(r"(?V1)[[\p{Cf}\p{Cc}\p{Zl}\p{Zp}\p{Zs}\u034F\u115F\u1160\u3164\uFFA0]--[ \t\n\r]]")
_BIDI = regex.compile("[" + "".join(chr(cp) for cp in sorted(BIDI_CONTROLS)) + "]")
_OVERRIDES = frozenset([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def _holding(ctx: Context, spans: list[tuple[int, int]]) -> str:
    return ", ".join(f"{name} {n:,}" for name, n in ctx.holding(spans).items())


def _bytes_per_code_point(chars: str) -> str:
    sizes = sorted({utf8_len(ch) for ch in chars})
    if len(sizes) == 1:
        return f"{plural(sizes[0], 'byte')} per code point"
    return f"{sizes[0]}–{sizes[-1]} bytes per code point"


def scripts(ctx: Context) -> list[Finding]:
    """Per non-ASCII script: characters, code points, bytes, and how many tokens hold them."""
    by_script: dict[str, list[Cluster]] = {}
    for c in ctx.clusters:
        if c.kind != "other":
            continue
        label = script_of(c.text[0])
        if label:
            by_script.setdefault(label, []).append(c)
    out = []
    for label, cs in by_script.items():
        chars = "".join(c.text for c in cs)
        n, cps, nbytes = len(cs), len(chars), utf8_len(chars)
        counted = plural(n, "character") + (f" ({plural(cps, 'code point')})" if cps != n else "")
        out.append(Finding(
            "scripts",
            f"{label}: {counted}, {plural(nbytes, 'UTF-8 byte')} ({_bytes_per_code_point(chars)}; an ASCII "
            f"letter is 1). Tokens holding them: {_holding(ctx, _merge([(c.start, c.end) for c in cs]))}.",
        ))
    return out


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and out[-1][1] == s:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _vocab_clause(ctx: Context, c: Cluster) -> str:
    """Whether the reference BPE has one token for the cluster's bytes (checked in its vocabulary)."""
    tok = ctx.tokenizer(ctx.ref.info.name)
    single = getattr(tok, "single_token", None)
    if single is None:
        return ""
    n = len(ctx.index[ctx.ref.info.name].covering(c.start, c.end))
    short = ctx.ref.info.short
    if single(c.text.encode("utf-8")) is not None:
        if n == 1:
            return f" {short} has one token for all of it."
        # BPE merged the bytes with what comes before (a space) in another order
        return (f" {short} has a token for it on its own, yet here, next to what precedes it, its bytes are "
                f"spread over {plural(n, 'token')}.")
    return f" {short} has no single token for these {plural(c.nbytes, 'byte')}; they are spread over {plural(n, 'token')}."


def _describe_sequence(c: Cluster) -> str:
    """``4 emoji joined by 3 zero-width joiners (U+200D)`` and what else the sequence holds."""
    kinds = Counter()
    for ch in c.text:
        cp = ord(ch)
        if ch == ZWJ:
            kinds["joiner"] += 1
        elif cp in SKIN_TONES:
            kinds["tone"] += 1
        elif ch == VS16:
            kinds["vs16"] += 1
        else:
            kinds["emoji"] += 1
    bits = [f"{plural(kinds['emoji'], 'emoji', 'emoji')} joined by {plural(kinds['joiner'], 'zero-width joiner')} "
            "(ZWJ, U+200D)"]
    if kinds["tone"]:
        bits.append(plural(kinds["tone"], "skin-tone modifier"))
    if kinds["vs16"]:
        bits.append(f"{plural(kinds['vs16'], 'variation selector')} U+FE0F")
    return listing(bits)


def emoji(ctx: Context) -> list[Finding]:
    """One finding per kind of emoji cluster present, its parts named, its bytes counted, its tokens shown."""
    firsts: dict[str, Cluster] = {}
    emoji_clusters = [c for c in ctx.clusters if c.kind in EMOJI_KINDS]
    for c in emoji_clusters:
        firsts.setdefault(c.kind, c)
    # a single-code-point emoji that some tokenizer cuts shows byte pieces best
    singles = [c for c in emoji_clusters if c.kind == "emoji"]
    if singles:
        firsts["emoji"] = max(singles[:50], key=lambda c: len(ctx.index[ctx.ref.info.name].covering(c.start, c.end)))
    out = []
    for kind in EMOJI_KINDS:
        c = firsts.get(kind)
        if c is None:
            continue
        shown, name = code(c.text), emoji_name(c.text)
        size = f"{plural(c.code_points, 'code point')}, {plural(c.nbytes, 'UTF-8 byte')}"
        if kind == "emoji_zwj":
            what = (f"{shown} ({name}) is one character on screen but {size}: {_describe_sequence(c)} — "
                    f"{parts(c.text)}.")
        elif kind == "flag":
            letters = parts(c.text)
            what = (f"{shown} ({name}) is a flag made of two regional-indicator letters, {letters}, "
                    f"4 bytes each: {size}.")
        elif kind == "tag_flag":
            region = "".join(chr(ord(ch) - 0xE0000) for ch in c.text[1:] if 0xE0021 <= ord(ch) <= 0xE007E)
            what = (f"{shown} ({name}) is a black flag 🏴 followed by "
                    f"{plural(c.code_points - 1, 'invisible tag character')}: the region code `{region}` spelled "
                    f"in tag letters, then a cancel tag (U+E007F): {size}.")
        elif kind == "skin_tone":
            tone = next(ord(ch) for ch in c.text if ord(ch) in SKIN_TONES)
            what = (f"{shown} is {code(c.text.replace(chr(tone), ''))} followed by a skin-tone modifier, "
                    f"U+{tone:04X} ({SKIN_TONES[tone]}): {size}.")
        elif kind == "keycap":
            what = (f"{shown} ({name}) is {code(c.text[0])} + U+FE0F + U+20E3 COMBINING ENCLOSING KEYCAP: {size}.")
        elif kind == "emoji_vs16":
            base = c.text.replace(VS16, "")
            what = (f"{shown} is {code(base)} (U+{ord(base[0]):04X}) followed by U+FE0F VARIATION SELECTOR-16, "
                    f"which asks for the emoji style: {size}.")
        else:
            what = f"{shown} ({name}) is one code point, {plural(c.nbytes, 'UTF-8 byte')}."
        out.append(Finding(kind, f"{what}{_vocab_clause(ctx, c)} {ctx.evidence(c.start, c.end)}."))
    if len(emoji_clusters) > 1:
        chars = "".join(c.text for c in emoji_clusters)
        out.append(Finding(
            "emoji_summary",
            f"All {plural(len(emoji_clusters), 'emoji', 'emoji')} here: {plural(len(chars), 'code point')}, "
            f"{plural(utf8_len(chars), 'byte')}. Tokens holding them: "
            f"{_holding(ctx, _merge([(c.start, c.end) for c in emoji_clusters]))}.",
        ))
    return out


def combining(ctx: Context) -> list[Finding]:
    """A letter typed with a separate combining accent (``e`` + U+0301) costs what its parts cost."""
    c = next((c for c in ctx.clusters if c.kind == "combining"), None)
    if c is None:
        return []
    marks = [ch for ch in c.text[1:] if unicodedata.category(ch)[0] == "M"]
    names = listing([char_name(m) for m in marks])
    word = next(((w.chunk_start, w.end) for w in ctx.words if w.start <= c.start < w.end), (c.start, c.end))
    unit = ctx.text[word[0] : word[1]]
    out = (f"{code(c.text)} here is typed as {plural(c.code_points, 'code point')}, {code(c.text[0])} + {names} "
           f"({plural(c.nbytes, 'byte')}); the accent is a character of its own to the tokenizers: "
           f"{ctx.evidence(*word)}.")
    composed = unicodedata.normalize("NFC", unit)
    enc = getattr(ctx.tokenizer(ctx.ref.info.name), "encode", None)
    if composed != unit and enc is not None:
        single = [f"U+{ord(ch):04X}" for ch in unicodedata.normalize("NFC", c.text)]
        if len(single) == 1:
            n = len(enc(composed))
            out += (f" Typed as the single code point {single[0]} (NFC), {code(composed)} would be "
                    f"{plural(n, ctx.ref.info.short + ' token')}.")
    return [Finding("combining", out)]


def invisible(ctx: Context) -> list[Finding]:
    """Characters a reader cannot see but the tokenizers read, by name, with what WordPiece does to them."""
    candidates = [m.start() for m in _INVISIBLE.finditer(ctx.text)]
    if not candidates:
        return []
    inside_emoji = set()
    for c in ctx.clusters:
        if c.kind in EMOJI_KINDS:
            inside_emoji.update(range(c.start, c.end))
    positions = [i for i in candidates if i not in inside_emoji and is_invisible(ctx.text[i])]
    if not positions:
        return []
    counts = Counter(ctx.text[i] for i in positions)
    names = [f"{char_name(ch)}" + (f" ×{n}" if n > 1 else "") for ch, n in counts.items()]
    shown = ", ".join(dict.fromkeys(code(ch) for ch in counts))
    sizes = sorted({utf8_len(ch) for ch in counts})
    size = plural(sizes[0], "UTF-8 byte") if len(sizes) == 1 else f"{sizes[0]}–{sizes[-1]} UTF-8 bytes"
    held = ctx.holding([(i, i + 1) for i in positions])
    wp = ctx.tokenizer("bert_wordpiece")
    wp_result = ctx.result("WordPiece")
    fate = ""
    if wp is not None and wp_result is not None:
        deleted = [ch for ch in counts if wp.normalize(ch) == ""]
        spaced = [ch for ch in counts if wp.normalize(ch).isspace()]
        bits = []
        if deleted:
            bits.append(f"deletes {listing([f'U+{ord(ch):04X}' for ch in deleted])}")
        if spaced:
            bits.append(f"treats {listing([f'U+{ord(ch):04X}' for ch in spaced])} as a space")
        if bits:
            fate = f" WordPiece's normalizer {' and '.join(bits)}."
        if len(deleted) + len(spaced) == len(counts):  # none of them reaches a WordPiece token
            held.pop(wp_result.info.short, None)
    text = (f"Invisible characters: {plural(len(positions), 'character')} here draw nothing (or look like a plain "
            f"space) but are {size} each that the tokenizers read: {listing(names)}; shown here as "
            f"{shown}. Tokens holding them: {', '.join(f'{k} {v:,}' for k, v in held.items())}.{fate}")
    return [Finding("invisible", text)]


def bidi(ctx: Context) -> list[Finding]:
    """Bidirectional controls change the order text is displayed in, never the order it is tokenized in."""
    if ctx.text.isascii():
        return []
    found = list(dict.fromkeys(_BIDI.findall(ctx.text)))
    if not found:
        return []
    overrides = [ch for ch in found if ord(ch) in _OVERRIDES]
    marks = [ch for ch in found if ord(ch) not in _OVERRIDES]
    out = []
    if overrides:
        one = len(overrides) == 1
        out.append(f"{listing([char_name(ch) for ch in overrides])} {'is a' if one else 'are'} bidirectional "
                   f"formatting control{'' if one else 's'}: {'it changes' if one else 'they change'} the order "
                   "in which text is displayed on screen, not the order in which it is stored and tokenized")
    if marks:
        one = len(marks) == 1
        out.append(f"{listing([char_name(ch) for ch in marks])} {'is an' if one else 'are'} invisible direction "
                   f"mark{'' if one else 's'} that only {'affects' if one else 'affect'} how the characters around "
                   f"{'it' if one else 'them'} are ordered on screen")
    shown = ", ".join(code(ch) for ch in found)
    return [Finding("bidi", "; ".join(out) + f". This reply shows {'it' if len(found) == 1 else 'them'} as "
                    f"{shown}, so its own text is not reordered.")]


def replacement(ctx: Context) -> list[Finding]:
    """U+FFFD usually marks bytes that could not be decoded before the text got here."""
    n = ctx.text.count(_REPLACEMENT)
    if not n:
        return []
    i = ctx.text.index(_REPLACEMENT)
    return [Finding(
        "replacement",
        f"{code(_REPLACEMENT)} (U+FFFD REPLACEMENT CHARACTER) ×{n:,}: it usually stands where bytes could not be "
        f"decoded as UTF-8 before the text reached the tokenizers, and the original bytes are gone. Each is 3 "
        f"bytes (EF BF BD) to the tokenizers: {ctx.evidence(i, i + 1)}.",
    )]
