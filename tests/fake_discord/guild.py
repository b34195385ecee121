"""The test world: one guild with channels, roles and members, as plain Discord-shaped data.

Tests refer to people and places by these constants, so a test reads like the scenario it
checks ("a member asks in #general, a moderator clicks in #review"). The data is already in
Discord's JSON shape so the fake hands it to discord.py without translation.
"""

from __future__ import annotations

import copy as _copy
from dataclasses import dataclass as _dataclass
from functools import reduce as _reduce
from operator import or_ as _or
from typing import Any

APP_ID = BOT_USER_ID = 900000000000000001
GUILD_ID = EVERYONE_ROLE_ID = 100000000000000001
GENERAL_CHANNEL_ID = 200000000000000001
REVIEW_CHANNEL_ID = 200000000000000002
DIGEST_CHANNEL_ID = 200000000000000003
EXEMPT_CHANNEL_ID = 200000000000000004
MOD_ROLE_ID = 300000000000000001
ADMIN_ROLE_ID = 300000000000000002
BOT_ROLE_ID = 300000000000000003
MEMBER_ID = 400000000000000001
OTHER_MEMBER_ID = 400000000000000002
MOD_ID = 400000000000000003
ADMIN_ID = 400000000000000004
OTHER_BOT_ID = 400000000000000005


class Perm:
    """The permission bits the world and the fake use (values from Discord's docs)."""

    ADMINISTRATOR = 1 << 3
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_APPLICATION_COMMANDS = 1 << 31
    MODERATE_MEMBERS = 1 << 40
    ALL = (1 << 53) - 1
    BASIC = (VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY) | (
        ADD_REACTIONS | USE_APPLICATION_COMMANDS
    )


def make_user(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    """A user object; discord.py requires username, discriminator and avatar."""
    user = {"id": str(user_id), "username": name, "global_name": name, "discriminator": "0"}
    return user | {"avatar": None, "bot": bot}


def make_role(role_id: int, name: str, perms: int, position: int, **extra: Any) -> dict[str, Any]:
    """A role object; permissions travel as a string."""
    base = {"id": str(role_id), "name": name, "permissions": str(perms), "position": position}
    return base | {"managed": False, "mentionable": False, "hoist": False} | extra


def make_text_channel(channel_id: int, name: str, position: int, **extra: Any) -> dict[str, Any]:
    """A guild text channel (type 0); pass ``permission_overwrites=[...]`` to restrict it."""
    base = {"id": str(channel_id), "type": 0, "guild_id": str(GUILD_ID), "name": name}
    return base | {"position": position, "permission_overwrites": []} | extra


def make_member(user: dict[str, Any], role_ids: list[int]) -> dict[str, Any]:
    """A member object including its user, as GUILD_CREATE carries it."""
    roles = [str(r) for r in role_ids]
    return {"user": user, "roles": roles, "joined_at": "2024-01-01T00:00:00+00:00", "flags": 0}


@_dataclass
class World:
    """Everything the fake knows about the guild; pass a modified one to FakeDiscord."""

    guild_id: int
    name: str
    owner_id: int
    application_id: int
    bot_user: dict[str, Any]
    channels: list[dict[str, Any]]
    roles: list[dict[str, Any]]
    members: list[dict[str, Any]]

    @property
    def bot_id(self) -> int:
        return int(self.bot_user["id"])

    def channel(self, channel_id: int) -> dict[str, Any] | None:
        return next((c for c in self.channels if int(c["id"]) == channel_id), None)

    def role(self, role_id: int) -> dict[str, Any] | None:
        return next((r for r in self.roles if int(r["id"]) == role_id), None)

    def member(self, user_id: int) -> dict[str, Any] | None:
        return next((m for m in self.members if int(m["user"]["id"]) == user_id), None)

    def user(self, user_id: int) -> dict[str, Any]:
        if (member := self.member(user_id)) is None:
            raise KeyError(f"user {user_id} is not a member of the test guild")
        return member["user"]

    def permissions(self, user_id: int, channel_id: int | None = None) -> int:
        """Effective permissions as Discord computes them: owner, roles, admin, overwrites."""
        member = self.member(user_id)
        if member is None:
            return 0
        if user_id == self.owner_id:
            return Perm.ALL
        role_ids = {int(r) for r in member["roles"]} | {self.guild_id}
        perms = 0
        for role in self.roles:
            if int(role["id"]) in role_ids:
                perms |= int(role["permissions"])
        if perms & Perm.ADMINISTRATOR:
            return Perm.ALL
        channel = self.channel(channel_id) if channel_id else None
        overwrites = {int(o["id"]): o for o in (channel or {}).get("permission_overwrites", [])}
        # Order matters: @everyone, then all roles together, then the member.
        layers = [[self.guild_id], sorted(role_ids - {self.guild_id}), [user_id]]
        for layer in layers:
            found = [overwrites[i] for i in layer if i in overwrites]
            allow = _reduce(_or, (int(o["allow"]) for o in found), 0)
            deny = _reduce(_or, (int(o["deny"]) for o in found), 0)
            perms = (perms & ~deny) | allow
        return perms

    def guild_payload(self) -> dict[str, Any]:
        """GUILD_CREATE; member_count equals the list so discord.py sees the guild as chunked."""
        return {
            "id": str(self.guild_id),
            "name": self.name,
            "owner_id": str(self.owner_id),
            "unavailable": False,
            "large": False,
            "member_count": len(self.members),
            "joined_at": "2024-01-01T00:00:00+00:00",
            "roles": _copy.deepcopy(self.roles),
            "channels": _copy.deepcopy(self.channels),
            "members": _copy.deepcopy(self.members),
            "features": [],
        }


def default_world() -> World:
    """The standard test guild (see module constants); a fresh copy on every call."""
    bot = make_user(BOT_USER_ID, "msbot", bot=True)
    bot_tags = {"tags": {"bot_id": str(APP_ID)}, "managed": True}
    return World(
        guild_id=GUILD_ID,
        name="MS Stem Cell Community",
        owner_id=ADMIN_ID,
        application_id=APP_ID,
        bot_user=bot,
        channels=[
            make_text_channel(GENERAL_CHANNEL_ID, "general", 0),
            make_text_channel(REVIEW_CHANNEL_ID, "mod-review", 1),
            make_text_channel(DIGEST_CHANNEL_ID, "research-digest", 2),
            make_text_channel(EXEMPT_CHANNEL_ID, "clinicians", 3),
        ],
        roles=[
            make_role(EVERYONE_ROLE_ID, "@everyone", Perm.BASIC, 0),
            make_role(BOT_ROLE_ID, "msbot", Perm.BASIC | Perm.MANAGE_MESSAGES, 1, **bot_tags),
            make_role(MOD_ROLE_ID, "Moderators", Perm.MANAGE_MESSAGES, 2),
            make_role(ADMIN_ROLE_ID, "Admins", Perm.ADMINISTRATOR, 3),
        ],
        members=[
            make_member(bot, [BOT_ROLE_ID]),
            make_member(make_user(MEMBER_ID, "hopeful_member"), []),
            make_member(make_user(OTHER_MEMBER_ID, "other_member"), []),
            make_member(make_user(MOD_ID, "kind_moderator"), [MOD_ROLE_ID]),
            make_member(make_user(ADMIN_ID, "guild_admin"), [ADMIN_ROLE_ID]),
            make_member(make_user(OTHER_BOT_ID, "other_bot", bot=True), []),
        ],
    )


__all__ = [name for name in list(globals()) if name.isupper()]  # the ids, for star imports
__all__ += ["Perm", "World", "default_world", "make_member", "make_role", "make_text_channel"]
__all__ += ["make_user"]
