"""The AutoMod bridge: one Discord AutoMod keyword rule holding the sharpest promotion signals.

Discord's AutoMod runs even when the bot is down, so the cheapest, surest signals of clinic
marketing (messaging-app invite links, crowdfunding links beside stem-cell words, stem-cell
prices, "booster" sales) are given to it as one keyword rule whose only action is an alert in
the review channel: it never blocks a message unless an admin asks for that explicitly. The
bot, when it is up, joins those alerts to its own flags (see `ModerationService.handle_automod`).

Everything here is data: the rule as Discord's JSON wants it, its validation against AutoMod's
limits, and the decision to create or update it; `bot/discord/automod.py` talks to Discord.
Patterns are Rust-flavoured regex (what AutoMod accepts): no look-around, no back-references.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

RULE_NAME = "msbot: clinic promotion"
REASON = "Discord AutoMod rule matched"
KEYWORD = 1  # trigger_type
MESSAGE_SEND = 1  # event_type
BLOCK_MESSAGE, SEND_ALERT_MESSAGE = 1, 2  # action types
MAX_PATTERNS = 10  # AutoMod: regex_patterns per rule
MAX_PATTERN_LENGTH = 260  # AutoMod: characters per pattern
MAX_KEYWORD_RULES = 6  # AutoMod: keyword rules per server
MAX_EXEMPT_ROLES = 20

_STEM = r"(stem.?cells?|mscs?|exosomes?|umbilical|cord blood)"
_FUNDING = r"(gofundme|gogetfunding|givesendgo|fundly|fundrazr)\.com"
PATTERNS: tuple[str, ...] = (
    # Invitations into a private chat: how sellers move members off the server.
    r"(?i)(wa\.me|chat\.whatsapp\.com|api\.whatsapp\.com|t\.me|telegram\.me)/\S+",
    # A crowdfunding link beside stem-cell words, in either order.
    rf"(?i){_FUNDING}.{{0,120}}{_STEM}",
    rf"(?i){_STEM}.{{0,120}}{_FUNDING}",
    # A stem-cell price: "$15,000 MSC package", "stem cells for €8000".
    rf"(?i){_STEM}.{{0,60}}[$€£]\s?\d{{1,3}}(,?\d{{3}})+",
    rf"(?i)[$€£]\s?\d{{1,3}}(,?\d{{3}})+.{{0,60}}{_STEM}",
    # Products sold to patients.
    r"(?i)(stem.?cell|exosome)s?\s+(booster|supplement|kit|injection pack)s?",
    # "WhatsApp me for the clinic that healed me".
    r"(?i)(dm|whatsapp|telegram|message|text) me.{0,60}(clinic|stem.?cells?).{0,40}"
    r"(cured|healed|reversed)",
)


@dataclass(frozen=True)
class Plan:
    """What `automod sync` will do: create the rule, update it (by id), or nothing."""

    action: Literal["create", "update", "unchanged"]
    rule_id: int | None = None


def problems(patterns: Sequence[str]) -> list[str]:
    """AutoMod's limits, checked before Discord is asked, each as a line a human can act on."""
    found = []
    if not patterns:
        found.append("no regex patterns: AutoMod needs at least one")
    if len(patterns) > MAX_PATTERNS:
        found.append(f"{len(patterns)} regex patterns (AutoMod allows {MAX_PATTERNS} per rule)")
    for number, pattern in enumerate(patterns, 1):
        if len(pattern) > MAX_PATTERN_LENGTH:
            found.append(
                f"pattern {number} is {len(pattern)} characters (AutoMod allows "
                f"{MAX_PATTERN_LENGTH}): {pattern[:60]}…"
            )
        try:
            re.compile(pattern)
        except re.error as exc:
            found.append(f"pattern {number} is not a valid regex ({exc}): {pattern[:60]}")
    return found


def rule_payload(
    alert_channel_id: int,
    exempt_role_ids: Sequence[int] = (),
    *,
    block: bool = False,
    patterns: Sequence[str] = PATTERNS,
) -> dict[str, Any]:
    """The rule as Discord's API takes it: alert the review channel; block only if asked."""
    actions: list[dict[str, Any]] = [
        {"type": SEND_ALERT_MESSAGE, "metadata": {"channel_id": str(alert_channel_id)}}
    ]
    if block:
        message = "This looks like an offer of treatment; the moderators will have a look."
        actions.insert(0, {"type": BLOCK_MESSAGE, "metadata": {"custom_message": message}})
    return {
        "name": RULE_NAME,
        "event_type": MESSAGE_SEND,
        "trigger_type": KEYWORD,
        "trigger_metadata": {"regex_patterns": list(patterns)},
        "actions": actions,
        "enabled": True,
        "exempt_roles": [str(r) for r in list(exempt_role_ids)[:MAX_EXEMPT_ROLES]],
    }


def plan(existing: Sequence[Mapping[str, Any]], wanted: Mapping[str, Any]) -> Plan | str:
    """Find our rule among the server's rules (by name) and say what to do; a string says
    why nothing can be done (the server already has AutoMod's maximum of keyword rules)."""
    ours = next((r for r in existing if r.get("name") == RULE_NAME), None)
    if ours is None:
        keyword_rules = sum(1 for r in existing if r.get("trigger_type") == KEYWORD)
        if keyword_rules >= MAX_KEYWORD_RULES:
            return (
                f"the server already has {keyword_rules} keyword rules (AutoMod allows "
                f"{MAX_KEYWORD_RULES}); remove one in Server Settings > AutoMod, then sync again"
            )
        return Plan("create")
    same = all(_same(ours.get(key), value) for key, value in wanted.items())
    return Plan("unchanged" if same else "update", int(ours["id"]))


def _same(current: Any, wanted: Any) -> bool:
    """Compare as Discord returns them (ids as strings, extra metadata keys it adds)."""
    if isinstance(wanted, Mapping):
        return isinstance(current, Mapping) and all(
            _same(current.get(k), v) for k, v in wanted.items()
        )
    if isinstance(wanted, list):
        return (
            isinstance(current, list)
            and len(current) == len(wanted)
            and all(_same(c, w) for c, w in zip(current, wanted, strict=True))
        )
    return str(current) == str(wanted)
