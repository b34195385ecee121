"""The AutoMod bridge end to end: `automod sync` against the fake Discord, and AutoMod alerts
joined to the bot's own review posts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.discord.automod import sync
from bot.errors import UserError
from bot.moderation import automod
from bot.settings import load_settings
from tests.e2e.test_moderation_review import fields, post_and_wait, settle
from tests.e2e.test_promotion import OFFER, give_bot
from tests.fake_discord import Perm
from tests.fake_discord.guild import (
    DIGEST_CHANNEL_ID,
    GENERAL_CHANNEL_ID,
    MEMBER_ID,
    MOD_ROLE_ID,
    REVIEW_CHANNEL_ID,
)
from tests.harness import Harness
from tests.tomlfile import to_toml

INVITE = "come chat with us wa.me/5215551234"
MANAGER = Perm.BASIC | Perm.MANAGE_MESSAGES | Perm.MANAGE_GUILD


def settings_of(harness: Harness):  # type: ignore[no-untyped-def]
    harness.settings_path.write_text(to_toml(harness.settings), encoding="utf-8")
    return load_settings(harness.settings_path)


def calls(harness: Harness, method: str) -> list[str]:
    return [
        r.path for r in harness.fake.requests if r.method == method and "auto-moderation" in r.path
    ]


async def test_sync_creates_one_alert_rule_then_finds_and_updates_it(harness: Harness) -> None:
    give_bot(harness, MANAGER)
    fake, settings = harness.fake, settings_of(harness)
    [created] = await sync(settings)
    assert "created AutoMod rule 'msbot: clinic promotion'" in created and "never blocks" in created
    [rule] = fake.automod_rules
    assert rule["trigger_type"] == 1 and rule["enabled"] is True
    assert rule["trigger_metadata"]["regex_patterns"] == list(automod.PATTERNS)
    assert rule["actions"] == [{"type": 2, "metadata": {"channel_id": str(REVIEW_CHANNEL_ID)}}]
    assert rule["exempt_roles"] == [str(MOD_ROLE_ID)]

    [again] = await sync(settings)
    assert again.endswith("is up to date") and len(calls(harness, "POST")) == 1
    assert calls(harness, "PATCH") == []

    rule["trigger_metadata"]["regex_patterns"] = ["an admin's old pattern"]
    [updated] = await sync(settings)
    assert updated.startswith(f"server {settings.discord.guild_ids[0]}: updated AutoMod rule")
    assert len(fake.automod_rules) == 1 and len(calls(harness, "PATCH")) == 1
    assert fake.automod_rules[0]["trigger_metadata"]["regex_patterns"] == list(automod.PATTERNS)
    assert fake.violations == []


async def test_sync_without_manage_server_says_what_to_fix(harness: Harness) -> None:
    with pytest.raises(UserError, match="needs the Manage Server permission"):
        await sync(settings_of(harness))
    assert harness.fake.automod_rules == []


async def test_an_automod_alert_joins_the_bots_own_review_post(harness: Harness) -> None:
    give_bot(harness, MANAGER)
    await sync(settings_of(harness))
    await harness.start()
    fake = harness.fake
    sent, review = await post_and_wait(harness, OFFER)
    [execution] = await fake.trigger_automod(sent)
    assert execution["action"]["type"] == 2
    edited = await fake.wait_for(
        lambda: review if automod.REASON in fields(review)["Why"] else None, what="AutoMod reason"
    )
    assert fields(edited)["Why"].endswith("• Discord AutoMod rule matched")
    await settle(harness, sent)
    assert len(fake.messages[REVIEW_CHANNEL_ID]) == 1 and fake.pings() == []
    assert len(await harness.app.moderation.list_flags()) == 1


async def test_automod_catches_an_invite_the_detector_lets_pass(harness: Harness) -> None:
    give_bot(harness, MANAGER)
    await sync(settings_of(harness))
    await harness.start()
    fake = harness.fake
    sent = await fake.send_message(GENERAL_CHANNEL_ID, MEMBER_ID, INVITE)
    await harness.handled(sent)
    assert fake.messages[REVIEW_CHANNEL_ID] == []
    await fake.trigger_automod(sent)
    review = await fake.wait_for_message(REVIEW_CHANNEL_ID)
    assert review["embeds"][0]["title"].startswith("Clinic promotion")
    assert fields(review)["Why"] == "• Discord AutoMod rule matched"


EDITED_OFFER = "Our clinic offers MSC packages from $12,000 now. WhatsApp me +52 998 123 4567"


async def test_an_edited_offer_keeps_its_copies_new_member_and_automod_reasons(
    harness: Harness,
) -> None:
    give_bot(harness, MANAGER)
    await sync(settings_of(harness))
    fake = harness.fake
    member = fake.world.member(MEMBER_ID)
    assert member is not None
    member["joined_at"] = (datetime.now(UTC) - timedelta(minutes=3, seconds=10)).isoformat()
    await harness.start()
    sent, review = await post_and_wait(harness, OFFER)
    copy = await fake.send_message(DIGEST_CHANNEL_ID, MEMBER_ID, OFFER)
    await settle(harness, copy)
    await fake.trigger_automod(sent)
    signals = (
        "• new member (joined 3 minutes ago)",
        "• posted in 2 channels within 1 minute",
        f"• {automod.REASON}",
    )
    await fake.wait_for(
        lambda: review if all(s in fields(review)["Why"] for s in signals) else None,
        what="every signal on the review post",
    )

    await fake.edit_message(GENERAL_CHANNEL_ID, int(sent["id"]), EDITED_OFFER)
    await fake.wait_for(
        lambda: review if "12,000" in fields(review)["Excerpt"] else None, what="the edit shown"
    )
    await settle(harness, sent)
    why = fields(review)["Why"].splitlines()
    assert why[-3:] == list(signals)  # the words' own reasons first, then what happened
    assert "• phone number" in why
    assert len(fake.messages[REVIEW_CHANNEL_ID]) == 1 and fake.pings() == []
    [flag] = await harness.app.moderation.list_flags()
    assert flag.category == "promotion" and len(flag.copies) == 1
