"""A core ``Reply`` as Slack messages: mrkdwn, Block Kit, every limit kept by construction.

The core writes a small markdown subset (``**bold**``, ``*italic*``, `` `code` ``, code
blocks, ``- `` bullets, ``[n]`` citations). Slack's mrkdwn differs (``*bold*``, ``_italic_``)
and treats ``&``, ``<`` and ``>`` as control characters: ``<!channel>`` pings a whole channel.
So every text is escaped first, then converted, then cut to the limits below, so that a
reply of any length becomes one or more messages Slack accepts (never an ``invalid_blocks``).

Limits (docs.slack.dev, Block Kit reference; the total per message is measured, not documented:
Slack answers ``msg_blocks_too_long`` a little above 13,000 characters of block text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.replies import Button, Reply, Source

MAX_BLOCKS = 50
SECTION_MAX = 3000
HEADER_MAX = 150
BUTTON_TEXT_MAX = 75
ACTION_ID_MAX = 255
BUTTON_VALUE_MAX = 2000
ACTIONS_MAX_ELEMENTS = 25
CONTEXT_MAX_ELEMENTS = 10
CONTEXT_TEXT_MAX = 3000
MESSAGE_TEXT_BUDGET = 12_000  # block text per message, under Slack's undocumented ~13,000
SOURCE_TITLE_MAX = 300  # a heading path longer than this is cut: the citation stays readable
FALLBACK_MAX = 300  # the notification text shown when a message has blocks
STYLES = {"primary": "primary", "success": "primary", "danger": "danger"}  # Slack has no "secondary" style
FENCE = "```"


def escape(text: str) -> str:
    """Slack's three control characters as entities: echoed text can neither ping nor link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Text as the user typed it: Slack delivers ``&``, ``<`` and ``>`` escaped (only those)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


_CODE = re.compile(r"```.*?(?:```|$)|`[^`\n]+`", re.DOTALL)
_ITALIC = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_BULLET = re.compile(r"^(\s*)- ", re.MULTILINE)


def mrkdwn(text: str) -> str:
    """The core's markdown subset as escaped Slack mrkdwn; code keeps its characters literally."""
    out, last = [], 0
    for match in _CODE.finditer(text):
        out.append(_prose(text[last:match.start()]))
        out.append(escape(match.group(0)))
        last = match.end()
    out.append(_prose(text[last:]))
    return "".join(out)


def _prose(text: str) -> str:
    text = escape(text)
    text = _ITALIC.sub(r"_\1_", text)
    text = _BOLD.sub(r"*\1*", text)
    return _BULLET.sub(r"\1• ", text)


def plain(text: str, limit: int) -> str:
    """A ``plain_text`` value: escaped, one line, at most ``limit`` characters, never cut inside an entity."""
    return _cut(escape(" ".join(text.split())), limit)


def _cut(escaped: str, limit: int) -> str:
    if len(escaped) <= limit:
        return escaped
    cut = escaped[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]  # an entity cut in half would show as "&am"
    return cut.rstrip() + "…"


def split_text(text: str, limit: int = SECTION_MAX) -> list[str]:
    """Mrkdwn cut into pieces of at most ``limit`` characters, at the gentlest boundary available:
    a blank line, a line break, a sentence end, a space, else anywhere but inside an entity.
    A code block cut in two is closed and reopened so both halves still show as code."""
    pieces: list[str] = []
    rest = text.strip("\n")
    reopen = ""
    while rest:
        rest = reopen + rest
        if len(rest) <= limit:
            pieces.append(rest)
            break
        budget = limit - len(FENCE) - 1  # room to close a code block this piece leaves open
        cut = _boundary(rest, budget)
        head, rest = rest[:cut].rstrip(), rest[cut:].lstrip("\n ")
        if head.count(FENCE) % 2 == 1:
            head += "\n" + FENCE if not head.endswith("\n") else FENCE
            reopen = FENCE + "\n"
        else:
            reopen = ""
        if head.strip():
            pieces.append(head)
    return pieces


def _boundary(text: str, budget: int) -> int:
    window = text[:budget]
    for sep in ("\n\n", "\n", ". ", " "):
        at = window.rfind(sep)
        if at > budget // 3:
            return at + len(sep)
    amp = window.rfind("&")
    if amp != -1 and ";" not in window[amp:]:
        return amp or budget
    return budget


# Blocks ---------------------------------------------------------------------------------


@dataclass
class Message:
    """One Slack message: the notification ``text`` and its ``blocks``."""

    text: str
    blocks: list[dict] = field(default_factory=list)

    def as_kwargs(self) -> dict:
        return {"text": self.text, "blocks": self.blocks}


def header(title: str) -> dict:
    return {"type": "header", "text": {"type": "plain_text", "text": plain(title, HEADER_MAX), "emoji": True}}


def section(mrkdwn_text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn_text[:SECTION_MAX]}}


def context(texts: list[str]) -> dict:
    """A context block of at most 10 mrkdwn texts (the first 10)."""
    texts = [t for t in texts if t][:CONTEXT_MAX_ELEMENTS] or [" "]
    return {"type": "context",
            "elements": [{"type": "mrkdwn", "text": _cut(t, CONTEXT_TEXT_MAX)} for t in texts]}


def contexts(texts: list[str]) -> list[dict]:
    """As many context blocks as ``texts`` need, 10 to a block."""
    return [context(texts[i:i + CONTEXT_MAX_ELEMENTS]) for i in range(0, len(texts), CONTEXT_MAX_ELEMENTS)]


def button(b: Button) -> dict:
    element = {
        "type": "button",
        "action_id": b.action_id[:ACTION_ID_MAX],
        "text": {"type": "plain_text", "text": plain(b.label, BUTTON_TEXT_MAX), "emoji": True},
        "value": b.action_id[:BUTTON_VALUE_MAX],
    }
    if b.style in STYLES:
        element["style"] = STYLES[b.style]
    return element


def actions(buttons: tuple[Button, ...]) -> list[dict]:
    """Action blocks of at most 25 buttons each."""
    return [{"type": "actions", "elements": [button(b) for b in buttons[i:i + ACTIONS_MAX_ELEMENTS]]}
            for i in range(0, len(buttons), ACTIONS_MAX_ELEMENTS)]


def source_line(s: Source) -> str:
    return f"[{s.n}] *{_cut(escape(s.title), SOURCE_TITLE_MAX)}* — `{_cut(escape(s.path), SOURCE_TITLE_MAX)}`"


def render(reply: Reply, *, lead: str | None = None, with_buttons: bool = True, title: str | None = None) -> list[Message]:
    """The reply as one or more messages, each within every Block Kit limit.

    ``lead`` (already mrkdwn) is a context line above the text, e.g. who asked what. The
    header goes on the first message; the cited sections and the buttons on the last, so
    they sit under the end of the answer.
    """
    title = title if title is not None else reply.title
    head: list[dict] = [header(title)] if title else []
    if lead:
        head.append(context([lead]))
    body = [section(piece) for piece in split_text(mrkdwn(reply.text))] if reply.text.strip() else []
    tail: list[dict] = []
    if reply.sources:
        tail.extend(contexts([source_line(s) for s in reply.sources]))
    if with_buttons and reply.buttons:
        tail.extend(actions(reply.buttons))
    fallback = _fallback(title, reply.text)
    messages: list[Message] = []
    current: list[dict] = []
    used = 0
    for block in head + body + tail:
        size = _block_chars(block)
        if current and (len(current) >= MAX_BLOCKS or used + size > MESSAGE_TEXT_BUDGET):
            messages.append(Message(fallback, current))
            current, used = [], 0
        current.append(block)
        used += size
    if current or not messages:
        messages.append(Message(fallback, current or [section(" ")]))
    if len(messages) > 1:
        for i, message in enumerate(messages[1:], 2):
            message.text = f"{fallback} ({i}/{len(messages)})"
    return messages


def _fallback(title: str | None, text: str) -> str:
    first = title or next((line for line in text.splitlines() if line.strip()), "")
    return _cut(escape(first.replace("**", "").strip()), FALLBACK_MAX) or "Study Buddy"


def _block_chars(block: dict) -> int:
    if block["type"] in ("section", "header"):
        return len(block["text"]["text"])
    if block["type"] == "context":
        return sum(len(e["text"]) for e in block["elements"])
    if block["type"] == "actions":
        return sum(len(e["text"]["text"]) + len(e["value"]) for e in block["elements"])
    return 0
