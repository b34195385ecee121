"""`python bot.py automod sync`: create or update the bot's one AutoMod rule on each server.

The rule itself (patterns, alert action, limits) is the moderation core's
(`bot.moderation.automod`); this module only talks to Discord, over REST with discord.py's
HTTP client (no gateway): list the server's rules, find ours by name, then POST or PATCH.
Running it twice changes nothing the second time. Discord's refusals become one line naming
what to fix (the bot needs Manage Server to manage AutoMod rules).
"""

from __future__ import annotations

from typing import Any

import aiohttp
import discord

from bot.discord.runner import configure_endpoints
from bot.errors import StartupError, UserError
from bot.moderation import automod
from bot.settings import Settings


def _refusal(exc: discord.HTTPException, guild_id: int) -> UserError:
    if isinstance(exc, discord.Forbidden):
        return UserError(
            f"server {guild_id}: Discord refused ({exc.status}): the bot needs the Manage Server "
            "permission to manage AutoMod rules (Server Settings > Roles)"
        )
    return UserError(f"server {guild_id}: Discord answered {exc.status}: {exc.text[:300]}")


async def sync(settings: Settings, *, block: bool = False) -> list[str]:
    """Create or update the rule on every server in `[discord] guild_ids`; one line each."""
    token = settings.token
    if not token:
        raise StartupError("no Discord token: set DISCORD_TOKEN or [discord] token")
    channel = settings.moderation.review_channel_id
    if channel is None:
        raise UserError("[moderation] review_channel_id is not set: AutoMod sends its alerts there")
    if not settings.discord.guild_ids:
        raise UserError("[discord] guild_ids is empty: name the servers to sync")
    wanted = automod.rule_payload(channel, settings.moderation.moderator_role_ids, block=block)
    if found := automod.problems(wanted["trigger_metadata"]["regex_patterns"]):
        raise UserError("the AutoMod rule breaks AutoMod's limits:\n  " + "\n  ".join(found))
    configure_endpoints(settings)
    client = discord.Client(intents=discord.Intents.none())
    try:
        try:
            await client.login(token)
        except discord.LoginFailure:
            raise StartupError("Discord rejected the token") from None
        except (discord.HTTPException, aiohttp.ClientError, OSError) as exc:
            where = settings.discord.api_base
            raise StartupError(f"could not reach Discord at {where}: {exc}") from None
        return [
            await _sync_one(client.http, guild_id, wanted)
            for guild_id in settings.discord.guild_ids
        ]
    finally:
        await client.close()


async def _sync_one(http: Any, guild_id: int, wanted: dict[str, Any]) -> str:
    reason = "msbot automod sync"
    patterns = len(wanted["trigger_metadata"]["regex_patterns"])
    blocks = any(a["type"] == automod.BLOCK_MESSAGE for a in wanted["actions"])
    what = f"{patterns} patterns, alerts in the review channel, " + (
        "also blocks" if blocks else "never blocks"
    )
    name = automod.RULE_NAME
    try:
        existing = await http.get_auto_moderation_rules(guild_id)
        step = automod.plan(existing, wanted)
        if isinstance(step, str):
            raise UserError(f"server {guild_id}: {step}")
        if step.action == "create":
            rule = await http.create_auto_moderation_rule(guild_id, reason=reason, **wanted)
            return f"server {guild_id}: created AutoMod rule {name!r} (id {rule['id']}): {what}"
        if step.action == "update":
            # trigger_type cannot change on an existing rule; discord.py leaves it out.
            await http.edit_auto_moderation_rule(guild_id, step.rule_id, reason=reason, **wanted)
            return f"server {guild_id}: updated AutoMod rule {name!r} (id {step.rule_id}): {what}"
        return f"server {guild_id}: AutoMod rule {name!r} (id {step.rule_id}) is up to date"
    except discord.HTTPException as exc:
        raise _refusal(exc, guild_id) from None
