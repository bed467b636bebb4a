"""The token picture: one band per tokenizer, the text as coloured chips, same id same colour.

Drawn at 1000 px wide with 22 px text, which stays readable when a chat client
shows it at half size. Each band holds at most ``max_rows`` rows of chips and
then says how many tokens are left out; the counts in the band title are for
the whole text.
"""

from __future__ import annotations

import io
import logging
import threading
from dataclasses import dataclass

from PIL import Image, ImageDraw

from knowledge.tokenization.fonts import FontChain, font_chain
from knowledge.tokenization.model import TokenizationReport, TokenizerResult
from knowledge.tokenization.registry import hex_bytes
from knowledge.tokenization.visible import display

log = logging.getLogger(__name__)

# Pastel backgrounds that keep black text readable; picked by a hash of the token id.
PALETTE = (
    (255, 214, 165), (202, 255, 191), (155, 246, 255), (189, 178, 255), (255, 198, 255),
    (253, 255, 182), (255, 173, 173), (160, 196, 255), (212, 232, 190), (255, 222, 222),
    (222, 210, 255), (190, 235, 225), (250, 225, 170), (215, 220, 230), (240, 200, 220),
    (200, 225, 255),
)
BYTES_FILL = (235, 235, 235)
INK = (20, 20, 20)
MUTED = (110, 110, 110)
BACKGROUND = (255, 255, 255)


@dataclass(frozen=True, slots=True)
class Layout:
    width: int = 1000
    text_size: int = 22
    title_size: int = 24
    margin: int = 16
    pad_x: int = 5
    gap: int = 4
    row_height: int = 34
    max_rows: int = 6


def colour(token_id: int) -> tuple[int, int, int]:
    return PALETTE[(token_id * 2654435761 & 0xFFFFFFFF) % len(PALETTE)]


_render_lock = threading.Lock()


def render_png(report: TokenizationReport, layout: Layout = Layout()) -> bytes:
    """PNG bytes of the report's tokens as chips.

    One picture at a time per process: the shared FreeType faces are not safe
    to rasterise from two threads at once.
    """
    with _render_lock:
        return _render_png(report, layout)


def _render_png(report: TokenizationReport, layout: Layout) -> bytes:
    text_font = font_chain(layout.text_size)
    title_font = font_chain(layout.title_size)
    bands = [_layout_band(r, text_font, layout) for r in report.results]
    title_h = layout.title_size + 14
    legend_h = layout.text_size + 10
    band_heights = [title_h + len(rows) * layout.row_height + (layout.text_size + 8 if more else 0) + 10
                    for rows, more in bands]
    height = layout.margin * 2 + legend_h + sum(band_heights)
    img = Image.new("RGB", (layout.width, height), BACKGROUND)
    draw = ImageDraw.Draw(img)
    y = layout.margin
    _text(draw, text_font, layout.margin, y + layout.text_size,
          "same colour = same token id   · space  ↵ newline  → tab   <F0 9F> bytes of one character", MUTED)
    y += legend_h
    for r, (rows, more), band_h in zip(report.results, bands, band_heights, strict=True):
        _text(draw, title_font, layout.margin, y + layout.title_size + 2,
              f"{r.info.name} ({r.info.label}): {r.count:,} tokens for {report.chars:,} characters", INK)
        yy = y + title_h
        for row in rows:
            for x, w, label, fill in row:
                draw.rounded_rectangle((x, yy, x + w, yy + layout.row_height - 6), radius=5, fill=fill,
                                       outline=(150, 150, 150) if fill == BYTES_FILL else None)
                _text(draw, text_font, x + layout.pad_x, yy + layout.text_size, label, INK)
            yy += layout.row_height
        if more:
            _text(draw, text_font, layout.margin, yy + layout.text_size, f"… {more:,} more tokens", MUTED)
        y += band_h
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=1)  # flat colours: level 1 is ~as small, much faster
    return buf.getvalue()


Chip = tuple[int, int, str, tuple[int, int, int]]


def _layout_band(result: TokenizerResult, chain: FontChain, layout: Layout) -> tuple[list[list[Chip]], int]:
    rows: list[list[Chip]] = [[]]
    x = layout.margin
    right = layout.width - layout.margin
    widths: dict[str, int] = {}
    n = result.count
    for i in range(n):
        label = display(result, i)
        w = widths.get(label)
        if w is None:
            w = widths[label] = _width(chain, label) + 2 * layout.pad_x
        if x + w > right and rows[-1]:
            if len(rows) == layout.max_rows:
                return rows, n - i
            rows.append([])
            x = layout.margin
        fill = BYTES_FILL if i in result.partial else colour(result.ids[i])
        rows[-1].append((x, min(w, right - x), label, fill))
        x += w + layout.gap
        if result.info.family != "WordPiece" and result.token_text(i).endswith("\n") and i < n - 1:
            if len(rows) == layout.max_rows:
                return rows, n - i - 1
            rows.append([])
            x = layout.margin
    return rows, 0


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
