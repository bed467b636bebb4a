"""The token picture: every token drawn on some page, neighbours in different colours, byte pieces grouped
under the character they make up."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from knowledge.tokenization.analysis import analyze
from knowledge.tokenization.fonts import font_chain
from knowledge.tokenization.image import Layout, byte_groups, colour, layout_rows, paginate, render_pages
from tests.knowledge.tokenization.corpus import CORPUS

LONG = (CORPUS["mixed"] + CORPUS["emoji"] + CORPUS["cjk"] + CORPUS["code"]) * 40
PARAGRAPH = ((CORPUS["english"] + " ") * 20)[:900]


@pytest.mark.parametrize("text", [CORPUS["emoji"], CORPUS["cjk"], PARAGRAPH, LONG])
def test_pages_cover_every_token_of_every_band_once(text):
    """Page spans partition each tokenizer's tokens: nothing is cut off, nothing is drawn twice."""
    report = analyze(text)
    pages = paginate(report, Layout())
    for b, r in enumerate(report.results):
        spans = [p.spans[b] for p in pages]
        assert spans[0][0] == 0 and spans[-1][1] == r.count
        assert all(a[1] == c[0] for a, c in zip(spans, spans[1:], strict=False))


def test_long_text_takes_several_pages_short_text_one():
    """A 900-character paragraph fits one picture; a text of thousands of tokens is drawn on more pages."""
    assert len(paginate(analyze(PARAGRAPH), Layout())) == 1
    assert len(paginate(analyze(LONG), Layout())) > 1


def test_every_token_of_a_page_is_a_chip():
    """Laying out a page's tokens gives one chip per token, none dropped at the right edge."""
    report = analyze(CORPUS["emoji"] * 3)
    layout = Layout()
    chain = font_chain(layout.text_size)
    from knowledge.tokenization.image import _widths

    for r in report.results:
        rows = layout_rows(r, 0, r.count, layout, _widths(chain, layout), byte_groups(r))
        chips = [c.index for row in rows for c in row.chips]
        assert chips == list(range(r.count))
        assert all(c.x + c.w <= layout.width - layout.margin for row in rows for c in row.chips)


def test_neighbouring_tokens_have_different_colours_in_the_png():
    """The same token repeated (same id) still gets a different colour from its neighbour."""
    report = analyze("the the the the the the")
    png = render_pages(report)[0]
    img = Image.open(io.BytesIO(png)).convert("RGB")
    layout = Layout()
    chain = font_chain(layout.text_size)
    from knowledge.tokenization.image import _widths

    r = report.results[0]
    assert len(set(r.ids[1:])) == 1  # " the" five times: one id
    row = layout_rows(r, 0, r.count, layout, _widths(chain, layout), {})[0]
    legend = 2 * (layout.text_size + 8) + 6
    y = layout.margin + legend + layout.title_size + 14 + 3
    fills = [img.getpixel((c.x + 2, y)) for c in row.chips]
    assert all(a != b for a, b in zip(fills, fills[1:], strict=False))
    assert fills[1] == colour(1)


def test_byte_pieces_group_under_their_own_character():
    """cl100k's three pieces of 🍕 form one group labelled 🍕; a flag's two letters are two groups, not one."""
    r = analyze("pizza🍕").result("cl100k_base")
    groups = byte_groups(r)
    assert sorted(groups) == [1, 2, 3] and {g for g in groups.values()} == {(0, "🍕")}
    flag = analyze("🇫🇷").result("cl100k_base")
    labels = [label for _, label in dict(byte_groups(flag).values()).items()]
    assert labels == ["🇫", "🇷"]


def test_pictures_are_pngs_of_bounded_height():
    """Each page is a PNG 1000 px wide whose height stays readable in a chat client."""
    pngs = render_pages(analyze(LONG[:5000]))
    assert len(pngs) > 1
    for png in pngs:
        img = Image.open(io.BytesIO(png))
        assert img.format == "PNG" and img.width == 1000 and img.height < 6000
