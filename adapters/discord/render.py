"""A core ``Reply`` as Discord messages: embeds, an attached picture, buttons — within every limit.

discord.py checks none of Discord's size limits, and Discord answers an oversized message with
a 400 that the user never sees. So the limits hold *by construction* here, not by hope:
- text goes into embed descriptions of at most ``DESCRIPTION_MAX`` characters, split at a
  paragraph, then a line, then a word; a code block cut in two is closed and reopened;
- the cited sections become at most ``FIELDS_MAX`` fields whose names and values are trimmed,
  and whose sum stays under ``FIELDS_BUDGET`` so one embed can never pass 6,000 characters;
- embeds are packed into messages of at most 10 embeds and ``MESSAGE_TOTAL`` characters;
- a reply longer than ``MAX_MESSAGES`` messages is trimmed, and says so;
- buttons: at most 25 (5 rows of 5), labels trimmed to 80 characters;
- plain ``content`` (for short replies without title, sources or picture) stays under 2,000.

Mentions in the text (``@everyone``, ``<@&role>``) are neutralised outside code (where
Discord does not render them), so echoed user text can neither ping nor look like a ping;
every send and every edit also carries ``AllowedMentions.none()``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import discord

from adapters.discord.buttons import BUTTONS_MAX, action_view
from bot.replies import Button, Image, Reply, Source

CONTENT_MAX = 2000
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FIELDS_MAX = 25
FIELDS_BUDGET = 1500  # all fields of one reply together: title + description + fields < 6,000
MESSAGE_TOTAL = 6000
EMBEDS_PER_MESSAGE = 10
MAX_MESSAGES = 5  # beyond this a reply is trimmed, not spread over the whole channel
ALT_MAX = 1024

NO_MENTIONS = discord.AllowedMentions.none()
COLOUR = discord.Colour.blurple()
REVEAL_COLOUR = discord.Colour.green()
ERROR_COLOUR = discord.Colour.red()

_CODE = re.compile(r"```.*?(?:```|\Z)|`[^`\n]*`", re.DOTALL)
_FENCE = re.compile(r"```([\w+-]*)")


@dataclass
class Outgoing:
    """One Discord message: call ``kwargs()`` for each send (a file can be read only once)."""

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    image: Image | None = None
    buttons: tuple[Button, ...] = ()

    def files(self) -> list[discord.File]:
        if self.image is None:
            return []
        alt = self.image.alt[:ALT_MAX] or None
        return [discord.File(io.BytesIO(self.image.data), filename=self.image.filename, description=alt)]

    def view(self) -> discord.ui.View | None:
        return action_view(self.buttons) if self.buttons else None

    def kwargs(self) -> dict:
        out: dict = {"allowed_mentions": NO_MENTIONS}
        if self.content:
            out["content"] = self.content
        if self.embeds:
            out["embeds"] = self.embeds
        files = self.files()
        if files:
            out["files"] = files
        view = self.view()
        if view is not None:
            out["view"] = view
        return out

    def edit_kwargs(self) -> dict:
        """The same message as an edit: every part given, so nothing of the previous version stays
        (``content=None`` clears text, ``view=None`` the buttons, ``attachments=[]`` old files)."""
        return {"content": self.content, "embeds": self.embeds, "attachments": self.files(), "view": self.view(),
                "allowed_mentions": NO_MENTIONS}


# Text --------------------------------------------------------------------------------------


def neutralise(text: str) -> str:
    """``text`` with @everyone, @here and user/role mentions broken outside code, so nothing pings."""
    out, last = [], 0
    for match in _CODE.finditer(text):
        out.append(discord.utils.escape_mentions(text[last:match.start()]))
        out.append(match.group())
        last = match.end()
    out.append(discord.utils.escape_mentions(text[last:]))
    return "".join(out)


def quote_user_text(text: str) -> str:
    """A user's words echoed by the adapter itself: no markdown, no mentions."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def trim(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters at a word, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at a paragraph, line or word; a cut code block
    is closed at the end of one piece and reopened (same language) at the start of the next."""
    pieces: list[str] = []
    rest = text.strip("\n")
    reopen = ""
    while rest:
        rest = reopen + rest
        if len(rest) <= limit:
            pieces.append(rest)
            break
        # Room for a closing fence, in case the cut falls inside a code block.
        room = limit - 4
        cut = _cut_point(rest, room)
        piece, rest = rest[:cut].rstrip(), rest[cut:].lstrip("\n")
        fence = _open_fence(piece)
        if fence is not None:
            piece += "\n```"
            reopen = f"```{fence}\n"
        else:
            reopen = ""
            rest = rest.lstrip()
        pieces.append(piece)
    return [p for p in pieces if p.strip()]


def _cut_point(text: str, room: int) -> int:
    window = text[:room]
    for sep in ("\n\n", "\n", " "):
        at = window.rfind(sep)
        if at > room // 3:
            return at
    return room


def _open_fence(text: str) -> str | None:
    """The language tag of a code block left open at the end of ``text`` ('' for none), else None."""
    fences = list(_FENCE.finditer(text))
    return fences[-1].group(1) if len(fences) % 2 else None


# Embeds ------------------------------------------------------------------------------------


def source_fields(sources: tuple[Source, ...]) -> list[tuple[str, str]]:
    """(name, value) per cited section, all of them together within ``FIELDS_BUDGET``."""
    fields: list[tuple[str, str]] = []
    used = 0
    for i, s in enumerate(sources):
        name = trim(neutralise(f"[{s.n}] {s.title}"), min(FIELD_NAME_MAX, 200))
        value = trim(neutralise(s.path) or "notes", min(FIELD_VALUE_MAX, 200))
        left = len(sources) - i - 1
        if len(fields) == FIELDS_MAX - 1 and left > 0 or used + len(name) + len(value) > FIELDS_BUDGET - 40:
            fields.append(("…", f"and {len(sources) - i} more section(s)"))
            break
        fields.append((name, value))
        used += len(name) + len(value)
    return fields


def _embed_size(embed: discord.Embed) -> int:
    size = len(embed.title or "") + len(embed.description or "") + len(embed.footer.text or "")
    return size + sum(len(f.name or "") + len(f.value or "") for f in embed.fields)


def render(reply: Reply, *, embed: bool = False) -> list[Outgoing]:
    """The messages that show ``reply`` on Discord; ``embed`` forces an embed for short text too."""
    text = neutralise(reply.text or "")
    if not embed and not reply.title and not reply.sources and reply.image is None and len(text) <= CONTENT_MAX:
        return [Outgoing(content=text or "…", buttons=_buttons(reply.buttons))]
    colour = _colour(reply)
    title = trim(neutralise(reply.title), TITLE_MAX) if reply.title else None
    fields = source_fields(reply.sources)
    field_size = sum(len(n) + len(v) for n, v in fields)
    pieces = split_text(text, DESCRIPTION_MAX) or [""]
    pieces = _fit_pieces(pieces)
    embeds = []
    for i, piece in enumerate(pieces):
        e = discord.Embed(description=piece or None, colour=colour)
        if i == 0 and title:
            e.title = title
        embeds.append(e)
    last = embeds[-1]
    if _embed_size(last) + field_size > MESSAGE_TOTAL:
        last = discord.Embed(colour=colour)
        embeds.append(last)
    for name, value in fields:
        last.add_field(name=name, value=value, inline=False)
    if reply.image is not None:
        last.set_image(url=f"attachment://{reply.image.filename}")
    messages = _pack(embeds)
    messages[-1].image = reply.image
    messages[-1].buttons = _buttons(reply.buttons)
    return messages


def _fit_pieces(pieces: list[str]) -> list[str]:
    """At most ``MAX_MESSAGES`` pieces; a longer reply ends with a note saying it was cut."""
    if len(pieces) <= MAX_MESSAGES:
        return pieces
    dropped = sum(len(p) for p in pieces[MAX_MESSAGES:])
    note = f"\n\n*… trimmed: {dropped:,} more characters did not fit in Discord messages.*"
    kept = pieces[:MAX_MESSAGES]
    last = trim(kept[-1], DESCRIPTION_MAX - len(note) - 4)
    if _open_fence(last) is not None:
        last += "\n```"
    kept[-1] = last + note
    return kept


def _pack(embeds: list[discord.Embed]) -> list[Outgoing]:
    messages: list[Outgoing] = [Outgoing()]
    size = 0
    for e in embeds:
        n = _embed_size(e)
        current = messages[-1]
        if current.embeds and (len(current.embeds) == EMBEDS_PER_MESSAGE or size + n > MESSAGE_TOTAL):
            messages.append(Outgoing())
            size = 0
        messages[-1].embeds.append(e)
        size += n
    return messages


def _colour(reply: Reply) -> discord.Colour:
    data = reply.data or {}
    if data.get("error"):
        return ERROR_COLOUR
    if data.get("reveal"):
        return REVEAL_COLOUR
    return COLOUR


def _buttons(buttons: tuple[Button, ...]) -> tuple[Button, ...]:
    return tuple(buttons[:BUTTONS_MAX])
