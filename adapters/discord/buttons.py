"""The core's buttons on Discord: one persistent handler for every ``sb1:`` action id.

A button's ``custom_id`` is the core's action id, unchanged. ``ActionButton`` is a
``DynamicItem`` registered once at start (``Client.add_dynamic_items``): discord.py routes
any click whose ``custom_id`` matches ``sb1:...`` to it, whether the message was sent by
this process, an earlier one, or another replica. Nothing is kept per message, so a quiz
posted yesterday still answers after a restart, and the core decides what a click means
(``StudyBuddy.press``), including that a quiz has closed.
"""

from __future__ import annotations

import re

import discord

from bot.actions import MAX_LEN, PREFIX
from bot.replies import Button

BUTTONS_MAX = 25  # 5 rows of 5
BUTTONS_PER_ROW = 5
LABEL_MAX = 80
LONG_LABEL = 24  # longer labels get a row each, so options stay readable on a phone

_STYLES = {
    "primary": discord.ButtonStyle.primary,
    "secondary": discord.ButtonStyle.secondary,
    "success": discord.ButtonStyle.success,
    "danger": discord.ButtonStyle.danger,
}


def _label(text: str) -> str:
    text = " ".join(text.split())
    return (text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1].rstrip() + "…") or "…"


class ActionButton(discord.ui.DynamicItem[discord.ui.Button], template=re.escape(PREFIX) + r".{1,%d}" % (MAX_LEN - len(PREFIX))):
    """A button carrying a core action id; a click goes to the client's ``on_action``."""

    def __init__(self, button: Button, *, row: int | None = None, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(label=_label(button.label), style=_STYLES.get(button.style, discord.ButtonStyle.secondary),
                              custom_id=button.action_id, row=row, disabled=disabled)
        )
        self.action_id = button.action_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /):
        return cls(Button(item.custom_id, item.label or ""), row=item.row)

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.client.on_action(interaction, self.action_id)


def action_view(buttons: tuple[Button, ...], *, disabled: bool = False) -> discord.ui.View:
    """A view that never times out, holding the reply's buttons (at most 25)."""
    view = discord.ui.View(timeout=None)
    buttons = buttons[:BUTTONS_MAX]
    one_per_row = len(buttons) <= BUTTONS_PER_ROW and any(len(b.label) > LONG_LABEL for b in buttons)
    for i, b in enumerate(buttons):
        view.add_item(ActionButton(b, row=i if one_per_row else i // BUTTONS_PER_ROW, disabled=disabled))
    return view


def closed_view(message: discord.Message) -> discord.ui.View:
    """The message's own buttons, disabled (a closed quiz keeps showing its options)."""
    buttons = tuple(
        Button(child.custom_id, child.label or "")
        for row in message.components if isinstance(row, discord.ActionRow)
        for child in row.children if isinstance(child, discord.Button) and child.custom_id
    )
    return action_view(buttons, disabled=True)
