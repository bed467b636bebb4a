"""A streamed answer's text so far, made fit to show: the markup it left open is closed.

A partial reply (``data["partial"]``) is cut wherever the model happened to be, so it may end
inside a code block, an inline code span, ``**bold**`` or ``*italic*``. Shown as it is, an
open code fence swallows nothing after it yet turns the rest of the message into code on
the next edit, and stray asterisks flicker into bold. ``close_markup`` ends each open span
(in the core's markdown subset, before any platform converts it), and drops an opener with
nothing after it yet, so every edit of the message is well-formed markdown.
"""

from __future__ import annotations

FENCE = "```"


def close_markup(text: str) -> str:
    """``text`` with its open code block, inline code, bold or italic closed at the end."""
    if text.count(FENCE) % 2:
        return text + ("```" if text.endswith("\n") else "\n```")
    tail_start = text.rfind(FENCE)
    tail_start = 0 if tail_start == -1 else tail_start + len(FENCE)
    opened: list[tuple[str, int]] = []  # (marker, where it starts)
    tail = text[tail_start:]
    i = 0
    while i < len(tail):
        if tail[i] == "`":
            if opened and opened[-1][0] == "`":
                opened.pop()
            else:
                opened.append(("`", i))
            i += 1
        elif opened and opened[-1][0] == "`":
            i += 1  # inside inline code nothing else is markup
        elif tail.startswith("**", i):
            _toggle(opened, "**", i)
            i += 2
        elif tail[i] == "*":
            after = tail[i + 1:i + 2]
            before = tail[i - 1:i] if i else ""
            if opened and opened[-1][0] == "*" and before.strip():
                opened.pop()
            elif after.strip():  # "2 * 3" is arithmetic, "*word" opens italic
                opened.append(("*", i))
            i += 1
        else:
            i += 1
    closers = ""
    for marker, at in reversed(opened):  # innermost first
        if not closers and not tail[at + len(marker):].strip():
            tail = tail[:at]  # an opener with nothing after it yet: not shown until its text comes
            continue
        closers += marker
    head = text[:tail_start] + tail
    return head.rstrip() + closers if closers else head

def _toggle(opened: list[tuple[str, int]], marker: str, at: int) -> None:
    if opened and opened[-1][0] == marker:
        opened.pop()
    else:
        opened.append((marker, at))
