"""Who may do what, decided in code.

Default permissions only hide commands in the client; a server admin can change them, and
buttons have no such setting at all. So every privileged action checks here, every time.
"""

from __future__ import annotations

import discord
from discord import app_commands

from bot.settings import Settings


class NotAllowed(app_commands.CheckFailure):
    """Refusal whose text is shown to the member, ephemerally."""


def _settings(interaction: discord.Interaction) -> Settings:
    return interaction.client.app.settings  # type: ignore[attr-defined]


def is_admin(member: discord.abc.User, settings: Settings) -> bool:
    if not isinstance(member, discord.Member):
        return False
    perms = member.guild_permissions
    if perms.administrator or perms.manage_guild:
        return True
    return any(role.id in settings.discord.admin_role_ids for role in member.roles)


def is_moderator(member: discord.abc.User, settings: Settings) -> bool:
    if not isinstance(member, discord.Member):
        return False
    if is_admin(member, settings) or member.guild_permissions.manage_messages:
        return True
    return any(role.id in settings.moderation.moderator_role_ids for role in member.roles)


def admin_only() -> object:
    """An app-command check that refuses non-admins with a clear, kind message."""

    async def predicate(interaction: discord.Interaction) -> bool:
        if is_admin(interaction.user, _settings(interaction)):
            return True
        raise NotAllowed("Only server admins can use this command.")

    return app_commands.check(predicate)


def moderator_only() -> object:
    async def predicate(interaction: discord.Interaction) -> bool:
        if is_moderator(interaction.user, _settings(interaction)):
            return True
        raise NotAllowed("Only moderators can use this command.")

    return app_commands.check(predicate)
