"""The report as one chat message in the reply's markdown subset.

Token boundaries. The token view is a fenced code block in which every token
is closed by ``│`` (U+2502, box drawing), e.g. ``│Token│ization│·splits│``:

- inside a code block neither Discord markdown, Slack mrkdwn nor Rich's
  Markdown interprets ``*``, ``_``, ``~``, ``|``, ``>`` or ``#``, so the
  student's text is shown as typed; outside one, ``**`` in a pasted text would
  turn into bold and the boundaries would be lost;
- ``│`` is not an ASCII pipe: text full of ``|`` (``<|endoftext|>``, shell
  pipes, markdown tables) stays unambiguous, and Discord's ``||spoiler||``
  syntax cannot form;
- a backtick in the text is shown as ``ˋ`` (see :mod:`.visible`) so it can never
  close the fence; a ``│`` typed in the text is shown as ``¦``;
- whitespace is visible (``·`` ``↵`` ``→``) because every client trims or
  collapses it, and a token ending in a newline also ends the line, so code
  keeps its shape.

Ids, when asked for, go on their own line under each tokenizer's view rather
than inline, so the tokens stay readable.

The whole message stays under ``max_chars`` (Discord allows 2,000 characters,
a Slack section 3,000); the token views share what the summary, explanation
and cost lines leave, and a view that does not fit ends in ``… N more tokens``.
Counts always cover the whole text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from bot.replies import Source
from knowledge.tokenization.explain import code, per_tokenizer
from knowledge.tokenization.model import TokenizationReport, TokenizerResult
from knowledge.tokenization.visible import SEPARATOR, display

DEFAULT_MAX_CHARS = 1900  # under Discord's 2,000, with room for an adapter's escaping
MIN_VIEW_CHARS = 120
VIEW_SHARE = 0.45
WHOLE_VIEWS_SHARE = 0.6
MAX_PRICES = 4
_MORE_LINE = 30
MAX_SPLIT_WORDS = 3
QUOTE_CHARS = 200


def chat_length(text: str) -> int:
    """Length as Discord counts it (UTF-16 code units; an emoji counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def token_view(result: TokenizerResult, budget: int, *, show_ids: bool = False) -> str:
    """``name`` line, then ``│tok│tok│…`` within ``budget`` characters, then ids if asked."""
    return _token_view(result, budget, show_ids, _Cells(result))[0]


class _Cells:
    """The rendered cells of one result (``tok│`` with its cost), computed once, as far as needed."""

    def __init__(self, result: TokenizerResult) -> None:
        self.result = result
        self.cells: list[tuple[str, int]] = []
        self.newlines = result.info.family != "WordPiece"

    def get(self, i: int) -> tuple[str, int]:
        cells = self.cells
        r = self.result
        while len(cells) <= i:
            j = len(cells)
            piece = display(r, j) + SEPARATOR
            if self.newlines and j < r.count - 1 and r.text.endswith("\n", r.starts[j], r.ends[j]):
                piece += "\n" + SEPARATOR  # keep the text's lines
            cost = len(piece) if piece.isascii() else chat_length(piece)
            cells.append((piece, cost))
        return cells[i]


def _token_view(result: TokenizerResult, budget: int, show_ids: bool, cells: _Cells) -> tuple[str, bool]:
    head = f"{result.info.name}\n"
    parts = [SEPARATOR]
    ids = result.ids
    used = chat_length(head) + 1
    n = result.count
    shown = 0
    for i in range(n):
        piece, cost = cells.get(i)
        if show_ids:
            cost += len(str(ids[i])) + 1
        reserve = _MORE_LINE if i < n - 1 else 0  # room for the "… N more tokens" line
        if used + cost + reserve > budget and shown:
            break
        parts.append(piece)
        used += cost
        shown += 1
    if shown < n and parts[-1].endswith("\n" + SEPARATOR):
        parts[-1] = parts[-1][:-2]
    view = head + "".join(parts)
    if show_ids:
        view += "\nids " + " ".join(map(str, ids[:shown]))
    if shown < n:
        view += f"\n… {n - shown:,} more tokens"
    return view, shown == n


def summary_lines(report: TokenizationReport) -> list[str]:
    lines = [f"**{report.chars:,} characters**, {len(report.text.encode('utf-8')):,} bytes in UTF-8"]
    for r in report.results:
        lines.append(
            f"- **{r.info.name}** ({r.info.label}): **{r.count:,}** tokens, {r.chars_per_token:.1f} chars/token"
        )
    return lines


def split_lines(report: TokenizationReport, limit: int = MAX_SPLIT_WORDS) -> list[str]:
    if not report.split_words:
        return []
    lines = ["**Words cut into pieces**"]
    # Latin-script words first: they show subwords best; a CJK run follows.
    ranked = sorted(report.split_words, key=lambda w: not w.word.isascii())
    for w in ranked[:limit]:
        lines.append(f"- {code(w.word)} → {per_tokenizer(w.pieces)}")
    return lines


def cost_lines(report: TokenizationReport) -> list[str]:
    lines: list[str] = []
    if report.windows:
        name = report.windows[0].tokenizer
        shares = ", ".join(_share(w.share) + " of " + w.label for w in report.windows)
        lines.append(f"- Context window filled ({name} count): {shares}")
    if report.prices:
        prices = " · ".join(f"{p.model} {_usd(p.usd)}" for p in report.prices[:MAX_PRICES])
        lines.append(f"- Input price: {prices}")
    if lines:
        lines.insert(0, f"**Cost and context** (prices as of {report.pricing_as_of})")
    return lines


def notes_lines(passage: Source | None) -> list[str]:
    if passage is None:
        return []
    return [f"**From your notes** [1]: “{quote(passage.text)}”"]


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """The passage's first sentences, as plain text that cannot break the reply's markdown."""
    clean = re.sub(r"[*_`>#|~]+", "", text)
    clean = re.sub(r"\s+", " ", clean).strip(" -")
    sentences = re.split(r"(?<=[.!?])\s+", clean)
    out = ""
    for s in sentences:
        if out and len(out) + len(s) + 1 > limit:
            break
        out = f"{out} {s}".strip()
    if len(out) > limit:
        out = out[: limit - 1].rstrip() + "…"
    return out


def render_chat(
    report: TokenizationReport,
    *,
    show_ids: bool = False,
    passage: Source | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> str:
    """The message text; never longer than ``max_chars`` (as Discord counts).

    Summary, cost and the notes' quote always appear; then the token views get
    a minimum each; then split words and findings are added in order of
    importance while they fit; the token views take whatever is left.
    """
    head = "\n".join(summary_lines(report) + [f"*{n}*" for n in report.notes])
    tail = [part for part in ("\n".join(cost_lines(report)), "\n".join(notes_lines(passage))) if part]
    n_views = len(report.results)
    fences = 8 + 2 * n_views
    room = max_chars - chat_length(head) - sum(chat_length(t) + 2 for t in tail) - fences
    # The views are promised what they need, up to VIEW_SHARE of the room (never less than
    # MIN_VIEW_CHARS each); the explanation comes next, and the views get whatever it leaves.
    cells = [_Cells(r) for r in report.results]
    # Complete views are kept whole when they take at most WHOLE_VIEWS_SHARE of the room.
    cap = max(int(WHOLE_VIEWS_SHARE * room), 0)
    # (+ the room a view keeps for its "… N more tokens" line until its last token is in)
    need = [chat_length(_token_view(r, cap, show_ids, c)[0]) + 2 + _MORE_LINE
            for r, c in zip(report.results, cells, strict=True)]
    floor = sum(min(MIN_VIEW_CHARS, n) for n in need)
    if sum(need) <= cap:
        reserved = sum(need)
    else:
        reserved = max(floor, int(VIEW_SHARE * room))
    room -= reserved

    split = split_lines(report)
    why = [f"- {f.text}" for f in report.findings if f.kind != "split_words"]
    # Interleaved by importance: a split word, three reasons, another word, two more, ...
    words = split[1:]
    order: list[tuple[str, str]] = []
    w = r = 0
    for kind, take in (("split", 1), ("why", 3), ("split", 1), ("why", 2), ("split", 1)):
        if kind == "split":
            order += [(kind, line) for line in words[w : w + take]]
            w += take
        else:
            order += [(kind, line) for line in why[r : r + take]]
            r += take
    order += [("split", line) for line in words[w:]] + [("why", line) for line in why[r:]]
    heads = {"split": (split[0] if split else ""), "why": "**Why it split this way**"}
    kept: dict[str, list[str]] = {"split": [], "why": []}
    for kind, line in order:
        cost = chat_length(line) + 1 + (0 if kept[kind] else chat_length(heads[kind]) + 2)
        if cost <= room:
            kept[kind].append(line)
            room -= cost
    kept_split, kept_why = kept["split"], kept["why"]
    why_head = heads["why"]

    views = _fit_views(report.results, room + reserved, show_ids, cells)
    sections = [head]
    if views:
        sections.append("```\n" + "\n\n".join(views) + "\n```")
    if kept_split:
        sections.append("\n".join([split[0], *kept_split]))
    if kept_why:
        sections.append("\n".join([why_head, *kept_why]))
    sections.extend(tail)
    text = "\n\n".join(sections)
    if chat_length(text) > max_chars:  # only when even the fixed lines overflow a tiny max_chars
        text = _cut(text, max_chars)
    return text


def _fit_views(results: Sequence[TokenizerResult], room: int, show_ids: bool, cells: list[_Cells]) -> list[str]:
    """Share ``room`` between the views; a view that needs less gives the rest to the others."""
    views: list[str] = [""] * len(results)
    left = list(range(len(results)))
    remaining = room
    while left:
        share = remaining // len(left)
        trial = {i: _token_view(results[i], share - 2, show_ids, cells[i]) for i in left}
        done = [i for i in left if trial[i][1]]
        if not done or len(done) == len(left):
            for i in left:
                views[i] = trial[i][0]
            break
        for i in done:
            views[i] = trial[i][0]
            remaining -= chat_length(views[i]) + 2
            left.remove(i)
    return views


def _cut(text: str, max_chars: int) -> str:
    out = text
    while chat_length(out) > max_chars - 1:
        out = out[: max(0, len(out) - max(1, chat_length(out) - max_chars + 1))]
    if out.count("```") % 2:
        out = out[: out.rfind("```")].rstrip()
    return out + "…"


def _share(share: float) -> str:
    if share > 1:
        return f"**{share:.1f}×** (does not fit)"
    pct = share * 100
    if pct < 0.01:
        return "<0.01%"
    return f"{pct:.2g}%" if pct < 10 else f"{pct:.0f}%"


def _usd(usd: float) -> str:
    if usd == 0:
        return "$0"
    if usd >= 0.01:
        return f"${usd:,.2f}"
    digits = -math.floor(math.log10(usd)) + 1
    return f"${usd:.{digits}f}"
