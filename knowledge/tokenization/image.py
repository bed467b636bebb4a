"""The token picture: one band per tokenizer, every token a coloured chip, in pages.

Drawn at 1000 px wide with 22 px text, which stays readable when a chat client
shows it at half size. Nothing is left out: a long text is drawn on several
pages, each covering the same stretch of the text in every band, so a page
can be compared band by band; :func:`render_pages` gives them all,
:func:`render_png` one.

- Colours only tell neighbouring tokens apart: they cycle by position through
  a palette, so two tokens side by side never share one (the same id can have
  different colours; the legend says so).
- A character whose UTF-8 bytes are split over several tokens is drawn as grey
  byte chips (``<F0 9F>``) with a bracket under them and the character they
  make up beneath it.
- Control tokens (special tokens on) have a dark outline.
"""

from __future__ import annotations

import io
import logging
import re
import threading
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw

from knowledge.tokenization.fonts import FontChain, font_chain
from knowledge.tokenization.model import TokenizationReport, TokenizerResult
from knowledge.tokenization.registry import hex_bytes
from knowledge.tokenization.visible import display, visible

log = logging.getLogger(__name__)

# Pastel backgrounds that keep black text readable, ordered so that neighbours differ in hue.
PALETTE = (
    (255, 205, 150), (160, 210, 255), (200, 245, 170), (255, 180, 215),
    (255, 245, 150), (200, 185, 255), (150, 235, 225), (255, 170, 160),
)
BYTES_FILLS = ((225, 225, 225), (200, 200, 200))  # alternate, so two byte chips side by side differ
INK = (20, 20, 20)
MUTED = (110, 110, 110)
BACKGROUND = (255, 255, 255)
SPECIAL_OUTLINE = (30, 30, 30)
LEGEND = (
    "Colours only tell neighbouring tokens apart (the same id can have different colours).",
    "· space  ↵ newline  → tab   grey <F0 9F>: bytes of a character, which is drawn under its bracket",
)


@dataclass(frozen=True, slots=True)
class Layout:
    width: int = 1000
    text_size: int = 22
    title_size: int = 24
    margin: int = 16
    pad_x: int = 5
    gap: int = 4
    row_height: int = 34
    group_height: int = 30  # bracket and character under a row that has byte chips
    max_rows: int = 110  # rows per page, all bands together


def colour(position: int) -> tuple[int, int, int]:
    return PALETTE[position % len(PALETTE)]


@dataclass(slots=True)
class _Chip:
    x: int
    w: int
    label: str
    index: int


@dataclass(slots=True)
class _Row:
    chips: list[_Chip]
    groups: list[tuple[int, int, str]]  # x0, x1, label ("" on a group's continuation rows)


_render_lock = threading.Lock()


def render_png(report: TokenizationReport, layout: Layout = Layout(), page: int = 0) -> bytes:
    """PNG bytes of one page of the report's tokens as chips (the first by default).

    One picture at a time per process: the shared FreeType faces are not safe
    to rasterise from two threads at once.
    """
    with _render_lock:
        pages = paginate(report, layout)
        return _render_page(report, layout, pages, min(page, len(pages) - 1))


def render_pages(report: TokenizationReport, layout: Layout = Layout()) -> list[bytes]:
    """Every page, in order: together they show every token of every tokenizer."""
    with _render_lock:
        pages = paginate(report, layout)
        return [_render_page(report, layout, pages, i) for i in range(len(pages))]


def page_count(report: TokenizationReport, layout: Layout = Layout()) -> int:
    with _render_lock:
        return len(paginate(report, layout))


# ---------------------------------------------------------------------------- layout


def _widths(chain: FontChain, layout: Layout):
    cache: dict[str, int] = {}
    limit = layout.width - 2 * layout.margin

    def measure(label: str) -> tuple[str, int]:
        w = cache.get(label)
        if w is None:
            w = cache[label] = _width(chain, label) + 2 * layout.pad_x
        if w <= limit:
            return label, w
        # a chip wider than the page (a long run of spaces, a 100-letter word) keeps both ends
        keep = len(label)
        while keep > 2:
            keep = keep * 3 // 4
            short = f"{label[: keep // 2]}…{label[-(keep // 2):]}"
            w = _width(chain, short) + 2 * layout.pad_x
            if w <= limit:
                return short, w
        return label[:1] + "…", min(w, limit)

    return measure


_HEX_GROUP = re.compile(r"<((?:[0-9A-F]{2} ?)+)>")


def _token_bytes(result: TokenizerResult, i: int) -> int:
    """How many UTF-8 bytes of the text token ``i`` holds (byte pieces counted from their hex)."""
    if i not in result.partial:
        return len(result.token_text(i).encode("utf-8"))
    piece = result.pieces[i]
    hexes = _HEX_GROUP.findall(piece)
    rest = _HEX_GROUP.sub("", piece)
    if result.info.family == "SentencePiece":
        rest = ""  # a byte piece is one byte; its text (the whole character) is not in it
    return sum(len(h.split()) for h in hexes) + len(rest.encode("utf-8"))


def byte_groups(result: TokenizerResult) -> dict[int, tuple[int, str]]:
    """Token index → (group number, label) for tokens that hold bytes of a character split over tokens.

    A group is the tokens that share split characters; its label is those
    characters. Byte positions are tracked from the start of the text so a
    run of byte pieces is cut where one character ends and the next begins.
    """
    out: dict[int, tuple[int, str]] = {}
    if not result.partial or not result.info.lossless:
        return out
    text = result.text
    # byte offset where each token starts
    starts_b = [0] * (result.count + 1)
    for i in range(result.count):
        starts_b[i + 1] = starts_b[i] + _token_bytes(result, i)
    char_pos, byte_pos = 0, 0  # a running anchor: byte offset of character char_pos
    group = 0
    partial = sorted(result.partial)
    k = 0
    while k < len(partial):
        first = last = partial[k]
        while k + 1 < len(partial) and partial[k + 1] == last + 1:
            k += 1
            last = partial[k]
        k += 1
        lo = max(0, min(result.starts[first], result.starts[last]) - 1)
        hi = max(result.ends[first:last + 1])
        byte_pos += len(text[char_pos:lo].encode("utf-8"))
        char_pos = lo
        # characters of the window with their byte spans; a split one is held by more than one token
        b = byte_pos
        t = first
        chars = []
        for c in range(lo, hi):
            end = b + len(text[c].encode("utf-8"))
            while t <= last and starts_b[t + 1] <= b:
                t += 1
            held = []
            u = t
            while u <= last and starts_b[u] < end:
                if starts_b[u + 1] > b:
                    held.append(u)
                u += 1
            if len(held) > 1:
                chars.append((c, held))
            b = end
        # union tokens that share a split character, in order
        current: list[int] = []
        label = ""
        for c, held in chars:
            if current and held[0] > current[-1]:
                _close(out, current, label, group)
                group += 1
                current, label = [], ""
            current = sorted(set(current) | set(held))
            label += text[c]
        if current:
            _close(out, current, label, group)
            group += 1
    return out


def _close(out: dict[int, tuple[int, str]], tokens: list[int], label: str, group: int) -> None:
    shown = visible(label.strip()) if label.strip() else visible(label)
    for t in range(tokens[0], tokens[-1] + 1):
        out[t] = (group, shown)


def layout_rows(result: TokenizerResult, lo: int, hi: int, layout: Layout, measure,
                 groups: dict[int, tuple[int, str]]) -> list[_Row]:
    """Chips of tokens ``lo``..``hi-1`` in rows; a token ending in a newline ends its row (not WordPiece)."""
    rows = [_Row([], [])]
    x = layout.margin
    right = layout.width - layout.margin
    newlines = result.info.family != "WordPiece"
    for i in range(lo, hi):
        label, w = measure(display(result, i))
        if x + w > right and rows[-1].chips:
            rows.append(_Row([], []))
            x = layout.margin
        rows[-1].chips.append(_Chip(x, w, label, i))
        x += w + layout.gap
        if newlines and i < hi - 1 and result.text.endswith("\n", result.starts[i], result.ends[i]):
            rows.append(_Row([], []))
            x = layout.margin
    for row in rows:
        _row_groups(result, row, groups)
    return [r for r in rows if r.chips] or rows[:1]


def _row_groups(result: TokenizerResult, row: _Row, groups: dict[int, tuple[int, str]]) -> None:
    """Brackets under the chips of each group in this row; the label on the group's first chip only."""
    current = None
    for chip in row.chips:
        g = groups.get(chip.index)
        if g is None:
            current = None
            continue
        number, label = g
        if number == current and row.groups:
            x0, _, shown = row.groups[-1]
            row.groups[-1] = (x0, chip.x + chip.w, shown)
        else:
            first = groups.get(chip.index - 1, (None,))[0] != number
            row.groups.append((chip.x, chip.x + chip.w, label if first else ""))
            current = number


@dataclass(frozen=True, slots=True)
class _Page:
    chars: tuple[int, int]
    spans: tuple[tuple[int, int], ...]  # per band: token indexes lo..hi


def _split_index(result: TokenizerResult, char: int) -> int:
    """The first token of ``result`` that belongs to a page starting at character ``char``."""
    i = bisect_left(result.starts, char)
    if result.info.family == "BPE":  # tiktoken's zero-length byte pieces belong to the character before
        while i < result.count and result.starts[i] == result.ends[i] == char and i in result.partial:
            i += 1
    return i


def paginate(report: TokenizationReport, layout: Layout) -> list[_Page]:
    """Page breaks at row starts of the first band, so each page holds about ``max_rows`` rows in all."""
    results = report.results
    n_chars = report.chars
    if not results:
        return [_Page((0, n_chars), ())]
    measure = _widths(font_chain(layout.text_size), layout)
    # each band laid out whole once; its rows' first token indexes estimate a page's rows
    row_starts = []
    for r in results:
        rows = layout_rows(r, 0, r.count, layout, measure, {})
        row_starts.append([row.chips[0].index for row in rows if row.chips])
    row_chars = [[r.starts[i] for i in rs] for r, rs in zip(results, row_starts, strict=True)]
    candidates = row_chars[0][1:]
    pages: list[_Page] = []
    start = 0
    k = 0
    while True:
        end = n_chars
        lo_rows = [bisect_left(rc, start) for rc in row_chars]
        while k < len(candidates):
            c = candidates[k]
            if c <= start:
                k += 1
                continue
            need = sum(bisect_left(rc, c) - lo + 1 for rc, lo in zip(row_chars, lo_rows, strict=True))
            if need > layout.max_rows and c > start:
                end = c
                break
            k += 1
        spans = tuple((_split_index(r, start), _split_index(r, end) if end < n_chars else r.count) for r in results)
        pages.append(_Page((start, end), spans))
        if end >= n_chars:
            return pages
        start = end


# ---------------------------------------------------------------------------- drawing


def _render_page(report: TokenizationReport, layout: Layout, pages: list[_Page], index: int) -> bytes:
    page = pages[index]
    text_font = font_chain(layout.text_size)
    title_font = font_chain(layout.title_size)
    measure = _widths(text_font, layout)
    bands = []
    for r, (lo, hi) in zip(report.results, page.spans, strict=True):
        bands.append(layout_rows(r, lo, hi, layout, measure, byte_groups(r)))
    title_h = layout.title_size + 14
    legend_h = len(LEGEND) * (layout.text_size + 8) + (layout.text_size + 8 if len(pages) > 1 else 0) + 6

    def row_h(row: _Row) -> int:
        return layout.row_height + (layout.group_height if row.groups else 0)

    band_heights = [title_h + sum(row_h(row) for row in rows) + 10 for rows in bands]
    height = layout.margin * 2 + legend_h + sum(band_heights)
    img = Image.new("RGB", (layout.width, height), BACKGROUND)
    draw = ImageDraw.Draw(img)
    y = layout.margin
    for line in LEGEND:
        _text(draw, text_font, layout.margin, y + layout.text_size, line, MUTED)
        y += layout.text_size + 8
    if len(pages) > 1:
        a, b = page.chars
        _text(draw, text_font, layout.margin, y + layout.text_size,
              f"Page {index + 1} of {len(pages)}: characters {a + 1:,}–{b:,} of {report.chars:,}", INK)
        y += layout.text_size + 8
    y += 6
    for r, rows, band_h in zip(report.results, bands, band_heights, strict=True):
        _text(draw, title_font, layout.margin, y + layout.title_size + 2,
              f"{r.info.name} ({r.info.label}): {r.count:,} tokens for {report.chars:,} characters", INK)
        yy = y + title_h
        for row in rows:
            byte_chip = 0
            for chip in row.chips:
                partial = chip.index in r.partial
                if partial:
                    fill = BYTES_FILLS[byte_chip % 2]
                    byte_chip += 1
                else:
                    fill = colour(chip.index)
                outline = SPECIAL_OUTLINE if chip.index in r.special else ((150, 150, 150) if partial else None)
                # square chips: rounded corners cost a third of the drawing time of a page
                draw.rectangle((chip.x, yy, chip.x + chip.w, yy + layout.row_height - 6),
                               fill=fill, outline=outline, width=2 if chip.index in r.special else 1)
                _stamp(img, text_font, chip.x + layout.pad_x, yy + layout.text_size, chip.label)
            if row.groups:
                by = yy + layout.row_height - 2
                for x0, x1, label in row.groups:
                    draw.line((x0 + 2, by, x0 + 2, by + 5, x1 - 2, by + 5, x1 - 2, by), fill=MUTED, width=2)
                    if label:
                        lw = _width(text_font, label)
                        lx = max(layout.margin, min((x0 + x1 - lw) // 2, layout.width - layout.margin - lw))
                        _text(draw, text_font, lx, by + 5 + layout.text_size, label, INK)
            yy += row_h(row)
        y += band_h
    buf = io.BytesIO()
    # Flat colours and text edges: mapped to a fixed palette (a few ms), the PNG encodes 4× faster.
    img.quantize(palette=_palette(), dither=Image.Dither.NONE).save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


@lru_cache(maxsize=1)
def _palette() -> Image.Image:
    """Every colour a page uses, each blended towards the ink in 8 steps (the anti-aliased text edges)."""
    bases = [BACKGROUND, *PALETTE, *BYTES_FILLS, INK, MUTED, SPECIAL_OUTLINE, (150, 150, 150)]
    colours = [tuple(int(b[i] * (1 - k / 7) + INK[i] * k / 7) for i in range(3)) for b in bases for k in range(8)]
    flat = [c for colour in colours for c in colour]
    pal = Image.new("P", (1, 1))
    pal.putpalette(flat + [0] * (768 - len(flat)))
    return pal


_C0_NAMES = (
    "NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US"
).split()


def _fallback(run: str) -> str:
    """Text for characters no font has: a control picture becomes its name (NUL), the rest their bytes."""
    out = []
    for ch in run:
        cp = ord(ch)
        if 0x2400 <= cp < 0x2420:
            out.append(_C0_NAMES[cp - 0x2400])
        elif cp == 0x2421:
            out.append("DEL")
        else:
            out.append(hex_bytes(ch.encode("utf-8")))
    return "".join(out)


def _width(chain: FontChain, text: str) -> int:
    total = 0.0
    for idx, run in chain.runs(text):
        if idx is None:
            total += chain.primary.getlength(_fallback(run))
        else:
            total += chain.fonts[idx].getlength(run)
    return int(total + 0.999)


_stamps: dict[tuple[int, str], tuple[Image.Image, int, int]] = {}


def _stamp(img: Image.Image, chain: FontChain, x: int, y: int, text: str) -> None:
    """Draw a chip's label in ink with its baseline at ``y``, from a cache of rendered labels.

    A page repeats the same labels (``·the``, ``,``) hundreds of times;
    rasterising each once and pasting it as a mask is several times faster.
    """
    key = (chain.size, text)
    stamp = _stamps.get(key)
    if stamp is None:
        if len(_stamps) > 20_000:
            _stamps.clear()
        w = _width(chain, text) + 4
        h = chain.size * 2
        mask = Image.new("L", (w, h), 0)
        _text(ImageDraw.Draw(mask), chain, 0, int(chain.size * 1.4), text, 255)
        stamp = _stamps[key] = (mask, 0, int(chain.size * 1.4))
    mask, dx, dy = stamp
    img.paste(INK, (x - dx, y - dy), mask)


def _text(draw: ImageDraw.ImageDraw, chain: FontChain, x: int, y: int, text: str, fill) -> None:
    """Draw ``text`` with its baseline at ``y``, font by font."""
    for idx, run in chain.runs(text):
        if idx is None:  # no font has it
            run = _fallback(run)
            font = chain.primary
        else:
            font = chain.fonts[idx]
        draw.text((x, y), run, font=font, fill=fill, anchor="ls")  # common baseline across fonts
        x += font.getlength(run)
