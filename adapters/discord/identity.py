"""Who acted and where, in the core's words: Discord users and channels as ``Actor`` and ``ChannelRef``."""

from __future__ import annotations

import discord

from bot.replies import Actor, ChannelRef

PLATFORM = "discord"


def actor_of(interaction: discord.Interaction) -> Actor:
    """The person behind an interaction. Manage Channels (or their own DM with the bot) lets them
    change the channel's daily quiz; Discord resolves the permission for the channel at hand."""
    user = interaction.user
    can_manage = interaction.guild_id is None or interaction.permissions.manage_channels
    return Actor(PLATFORM, str(user.id), user.display_name, can_manage=bool(can_manage))


def author_of(message: discord.Message) -> Actor:
    return Actor(PLATFORM, str(message.author.id), message.author.display_name)


def channel_of(interaction: discord.Interaction) -> ChannelRef:
    return ChannelRef(PLATFORM, str(interaction.channel_id))


def channel_ref(channel_id: int | str) -> ChannelRef:
    return ChannelRef(PLATFORM, str(channel_id))
