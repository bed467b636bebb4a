"""Fonts for the token picture, from Python packages only, with per-character fallback.

Pillow draws with one font at a time and shows a missing glyph as an empty
box, so each chip's text is cut into runs by the first font in the chain that
has every character (read from the fonts' cmap tables with fontTools):

1. ``manimgx-fonts``: Noto Sans, Noto Sans Symbols, Noto Emoji (monochrome,
   so it draws at any size) and Noto Sans for Arabic, Hebrew, Devanagari, Thai
   and 15 more scripts (SIL OFL 1.1);
2. matplotlib's DejaVu Sans and STIX (arrows, control pictures, box drawing);
3. ``manimgx-fonts-cjk``: Noto Sans CJK (Chinese, Japanese, Korean).

Whatever no font covers is drawn as its UTF-8 bytes (``<F0 9F 98 80>``), so a
chip is never a row of empty boxes, even where the font packages are missing.
Scripts that need shaping (Arabic, Indic, Thai, ...) use Pillow's Raqm layout;
the rest the faster basic layout.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

log = logging.getLogger(__name__)

_NEEDS_SHAPING = ("Arabic", "Hebrew", "Devanagari", "Bengali", "Gujarati", "Gurmukhi", "Kannada", "Khmer",
                  "Lao", "Malayalam", "Myanmar", "Oriya", "Sinhala", "Tamil", "Telugu", "Thai")


@dataclass(frozen=True, slots=True)
class FontFile:
    path: Path
    index: int = 0
    shaping: bool = False


def _pkg(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def font_files() -> list[FontFile]:
    """The fallback chain, in order; only files that exist here."""
    out: list[FontFile] = []
    noto = _pkg("manimgx_fonts")
    mpl = _pkg("matplotlib")
    mpl_ttf = mpl / "mpl-data" / "fonts" / "ttf" if mpl else None
    if noto:
        out.append(FontFile(noto / "NotoSans[wght].ttf"))
    if mpl_ttf:
        out.append(FontFile(mpl_ttf / "DejaVuSans.ttf"))
    if noto:
        out.append(FontFile(noto / "NotoSansSymbols[wght].ttf"))
        out.append(FontFile(noto / "NotoEmoji[wght].ttf"))
    if mpl_ttf:
        out.append(FontFile(mpl_ttf / "STIXGeneral.ttf"))
    if noto:
        for script in _NEEDS_SHAPING + ("Armenian", "Ethiopic", "Georgian"):
            out.append(FontFile(noto / f"NotoSans{script}[wght].ttf", shaping=script in _NEEDS_SHAPING))
    cjk = _pkg("manimgx_fonts_cjk")
    if cjk:
        out.append(FontFile(cjk / "NotoSansCJK-VF.otf.ttc", index=0))
    return [f for f in out if f.path.is_file()]


class FontChain:
    """Fonts at one size and, per character, which of them draws it (None: none does)."""

    def __init__(self, size: int, files: list[FontFile] | None = None) -> None:
        from fontTools.ttLib import TTFont

        self.size = size
        self.files = files if files is not None else font_files()
        self.fonts: list[ImageFont.FreeTypeFont] = []
        self.cmaps: list[frozenset[int]] = []
        for f in self.files:
            layout = ImageFont.Layout.RAQM if f.shaping and _has_raqm() else ImageFont.Layout.BASIC
            self.fonts.append(ImageFont.truetype(str(f.path), size, index=f.index, layout_engine=layout))
            self.cmaps.append(frozenset(TTFont(str(f.path), fontNumber=f.index, lazy=True).getBestCmap()))
        if not self.fonts:
            log.warning("no font package found; the token picture uses Pillow's built-in font")
            self.fonts.append(ImageFont.load_default(size))
            self.cmaps.append(frozenset(range(0x20, 0x7F)))
        self._which: dict[str, int | None] = {}

    @property
    def primary(self) -> ImageFont.FreeTypeFont:
        return self.fonts[0]

    def font_for(self, ch: str) -> int | None:
        try:
            return self._which[ch]
        except KeyError:
            cp = ord(ch)
            found = next((i for i, cmap in enumerate(self.cmaps) if cp in cmap), None)
            self._which[ch] = found
            return found

    def runs(self, text: str) -> list[tuple[int | None, str]]:
        """``text`` cut into (font index, run); a combining mark or joiner stays with its base's font."""
        out: list[tuple[int | None, str]] = []
        for ch in text:
            idx = self.font_for(ch)
            if out and (idx == out[-1][0] or (ch in _STICKY and out[-1][0] is not None)):
                out[-1] = (out[-1][0], out[-1][1] + ch)
            else:
                out.append((idx, ch))
        return out


_STICKY = frozenset("\u200d\ufe0e\ufe0f") | frozenset(chr(c) for c in range(0x0300, 0x0370))
_chains: dict[int, FontChain] = {}
_lock = threading.Lock()


def font_chain(size: int) -> FontChain:
    """The shared chain for ``size`` (loaded once per process)."""
    with _lock:
        chain = _chains.get(size)
        if chain is None:
            chain = _chains[size] = FontChain(size)
        return chain


def _has_raqm() -> bool:
    from PIL import features

    return bool(features.check("raqm"))
