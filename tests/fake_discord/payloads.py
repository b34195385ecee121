"""Discord-shaped JSON built from the test world: members, messages, interactions.

Pure functions, kept apart from the server so the shapes discord.py 2.7 parses (and the
fields it insists on, like ``attachment_size_limit``) are in one readable place.
"""

from __future__ import annotations

import copy
import secrets
from datetime import UTC, datetime
from typing import Any

from .guild import World

Json = dict[str, Any]
# The fake's bookkeeping; Discord returns a nonce only when the message is created.
PRIVATE_KEYS = ("allowed_mentions", "edits", "deleted", "pings", "nonce")


def now() -> str:
    return datetime.now(UTC).isoformat()


def public(message: Json) -> Json:
    """A stored message as Discord returns it, without the fake's bookkeeping keys."""
    return {k: copy.deepcopy(v) for k, v in message.items() if k not in PRIVATE_KEYS}


def member_partial(world: World, user_id: int, channel_id: int | None = None) -> Json | None:
    """A member without its user (messages, resolved data); with permissions in a channel."""
    if (member := world.member(user_id)) is None:
        return None
    partial = {k: copy.deepcopy(v) for k, v in member.items() if k != "user"}
    if channel_id is not None:
        partial["permissions"] = str(world.permissions(user_id, channel_id))
    return partial


def message(world: World, mid: int, channel_id: int, author_id: int, payload: Json) -> Json:
    """A message as stored: Discord's fields plus what the bot asked for (allowed_mentions)."""
    return {
        "id": str(mid),
        "channel_id": str(channel_id),
        "guild_id": str(world.guild_id),
        "author": copy.deepcopy(world.user(author_id)),
        "member": member_partial(world, author_id),
        "content": payload.get("content") or "",
        "timestamp": now(),
        "edited_timestamp": None,
        "tts": bool(payload.get("tts")),
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": copy.deepcopy(payload.get("embeds") or []),
        "components": copy.deepcopy(payload.get("components") or []),
        "pinned": False,
        "type": 0,
        "flags": payload.get("flags") or 0,
        "allowed_mentions": copy.deepcopy(payload.get("allowed_mentions")),
        "edits": [],
    }


def interaction(
    world: World, iid: int, itype: int, data: Json, user_id: int, channel_id: int
) -> Json:
    """INTERACTION_CREATE as a guild member triggers it (member carries its permissions)."""
    channel, member = world.channel(channel_id), world.member(user_id)
    if channel is None or member is None:
        raise ValueError(f"channel {channel_id} or user {user_id} is not in the test world")
    gid = str(world.guild_id)
    return {
        "id": str(iid),
        "application_id": str(world.application_id),
        "type": itype,
        "data": data,
        "guild_id": gid,
        "guild": {"id": gid, "locale": "en-US", "features": []},
        "channel": channel | {"permissions": str(world.permissions(user_id, channel_id))},
        "channel_id": str(channel_id),
        "member": copy.deepcopy(member) | (member_partial(world, user_id, channel_id) or {}),
        "token": f"itoken-{iid}-{secrets.token_hex(8)}",
        "version": 1,
        "app_permissions": str(world.permissions(world.bot_id, channel_id)),
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": gid},
        "context": 0,
        "attachment_size_limit": 10 * 1024 * 1024,  # discord.py 2.7 raises KeyError without it
    }


def resolve(world: World, otype: int, value: Any, resolved: Json, channel_id: int) -> str:
    """Add a user/member, role or channel option value to ``resolved``; returns its id."""
    sid = str(int(value))
    if otype in (6, 9) and world.member(int(sid)):
        resolved.setdefault("users", {})[sid] = copy.deepcopy(world.user(int(sid)))
        resolved.setdefault("members", {})[sid] = member_partial(world, int(sid), channel_id)
    elif otype in (8, 9) and (role := world.role(int(sid))):
        resolved.setdefault("roles", {})[sid] = copy.deepcopy(role)
    elif otype == 7 and (channel := world.channel(int(sid))):
        perms = str(world.permissions(world.bot_id, int(sid)))
        resolved.setdefault("channels", {})[sid] = copy.deepcopy(channel) | {"permissions": perms}
    else:
        raise ValueError(f"option value {sid} (type {otype}) is not in the test world")
    return sid


def command_data(
    world: World,
    cmd: Json,
    options: Json,
    path: list[str],
    channel_id: int,
    focused: str | None = None,
) -> Json:
    """``data`` of a chat-input interaction, typed and checked against the synced definition.

    Mistakes only a test can make (unknown option, missing required one, a value outside the
    choices) raise ValueError: the Discord client would never send them.
    """
    data: Json = {"id": cmd["id"], "name": cmd["name"], "type": 1}
    if cmd.get("guild_id"):
        data["guild_id"] = cmd["guild_id"]
    specs, chain = cmd.get("options") or [], []
    for part in path:
        opt = next((o for o in specs if o["name"] == part and o["type"] in (1, 2)), None)
        if opt is None:
            raise ValueError(f"/{cmd['name']} has no subcommand or group {part!r}")
        chain.append(opt)
        specs = opt.get("options") or []
    if subs := [o["name"] for o in specs if o["type"] in (1, 2)]:
        raise ValueError(f"/{cmd['name']} needs subcommand=/group= (one of {subs})")
    resolved: Json = {}
    leaf = []
    for name, value in options.items():
        spec = next((o for o in specs if o["name"] == name), None)
        if spec is None:
            raise ValueError(
                f"/{cmd['name']} has no option {name!r} ({[o['name'] for o in specs]})"
            )
        otype = spec["type"]
        if name == focused:  # Discord sends what the member has typed so far, as a string
            leaf.append({"name": name, "type": otype, "value": str(value), "focused": True})
            continue
        convert = {3: str, 4: int, 5: bool, 10: float}.get(otype)
        value = convert(value) if convert else resolve(world, otype, value, resolved, channel_id)
        if spec.get("choices") and value not in [c["value"] for c in spec["choices"]]:
            raise ValueError(f"{value!r} is not a choice of /{cmd['name']} {name}")
        leaf.append({"name": name, "type": otype, "value": value})
    missing = [o["name"] for o in specs if o.get("required") and o["name"] not in options]
    if missing and focused is None:
        raise ValueError(f"/{cmd['name']} is missing required options {missing}")
    for opt in reversed(chain):
        leaf = [{"name": opt["name"], "type": opt["type"], "options": leaf}]
    data["options"] = leaf
    if resolved:
        data["resolved"] = resolved
    return data


def find_component(msg: Json, custom_id: str) -> Json | None:
    """The component with ``custom_id`` anywhere in a message (rows, sections, containers)."""
    stack = list(msg.get("components") or [])
    while stack:
        comp = stack.pop(0)
        if comp.get("custom_id") == custom_id:
            return comp
        stack += [c for c in [*(comp.get("components") or []), comp.get("accessory")] if c]
    return None
