"""The AutoMod bridge's core: the rule within AutoMod's limits, found by name, and its
alerts joined to the bot's own flags (one review per message, whichever arrives first)."""

from __future__ import annotations

from bot.moderation import automod
from bot.moderation.model import AutoModAlert
from bot.moderation.service import ModerationService
from tests.moderation.conftest import CHANNEL, GUILD, RecordingChat, message

OFFER = "Our clinic offers MSC packages from $15,000. WhatsApp me +52 998 123 4567"
INVITE = "come chat wa.me/5215551234"  # the detector alone does not flag a bare invite


def alert(text: str, message_id: int = 1, *, ours: bool = True) -> AutoModAlert:
    return AutoModAlert(GUILD, CHANNEL, message_id, 77, text, ours)


def test_the_shipped_rule_is_within_automods_limits_and_only_alerts() -> None:
    assert automod.problems(automod.PATTERNS) == []
    rule = automod.rule_payload(555, [42])
    assert rule["trigger_type"] == automod.KEYWORD
    assert rule["actions"] == [{"type": 2, "metadata": {"channel_id": "555"}}]
    assert rule["exempt_roles"] == ["42"]
    assert [a["type"] for a in automod.rule_payload(555, block=True)["actions"]] == [1, 2]


def test_problems_say_which_pattern_is_too_long_or_too_many() -> None:
    long = "a" * 261
    found = automod.problems(["ok", long])
    assert found == [f"pattern 2 is 261 characters (AutoMod allows 260): {'a' * 60}…"]
    assert automod.problems(["x"] * 11) == ["11 regex patterns (AutoMod allows 10 per rule)"]
    assert "not a valid regex" in automod.problems(["(unclosed"])[0]


def test_the_rule_is_found_by_name_and_updated_only_when_it_differs() -> None:
    wanted = automod.rule_payload(555)
    assert automod.plan([], wanted) == automod.Plan("create")
    stored = wanted | {
        "id": "9",
        "trigger_metadata": {**wanted["trigger_metadata"], "allow_list": []},
    }
    assert automod.plan([stored], wanted) == automod.Plan("unchanged", 9)
    changed = stored | {"trigger_metadata": {"regex_patterns": ["old"]}}
    assert automod.plan([changed], wanted) == automod.Plan("update", 9)
    full = [{"id": str(i), "name": f"rule {i}", "trigger_type": 1} for i in range(6)]
    refusal = automod.plan(full, wanted)
    assert isinstance(refusal, str) and "already has 6 keyword rules" in refusal


async def test_an_alert_before_the_message_joins_its_flag(
    service: ModerationService, chat: RecordingChat
) -> None:
    assert (await service.handle_automod(alert(OFFER))).flag is None  # remembered
    outcome = await service.handle_message(message(OFFER))
    assert outcome.flag is not None and outcome.flag.reasons[-1] == automod.REASON
    assert len(chat.review_posts()) == 1


async def test_an_alert_after_the_message_adds_the_reason_to_the_same_review(
    service: ModerationService, chat: RecordingChat
) -> None:
    flagged = await service.handle_message(message(OFFER))
    assert flagged.flag is not None and automod.REASON not in flagged.flag.reasons
    joined = await service.handle_automod(alert(OFFER))
    assert joined.flag is not None and joined.flag.id == flagged.flag.id
    assert joined.flag.reasons[-1] == automod.REASON
    assert len(chat.review_posts()) == 1 and chat.edits  # the one post, edited
    again = await service.handle_automod(alert(OFFER))
    assert again.change == "none" and len(await service.list_flags()) == 1


async def test_an_alert_on_text_the_detector_let_pass_flags_it(
    service: ModerationService, chat: RecordingChat
) -> None:
    assert (await service.handle_message(message(INVITE))).flag is None
    outcome = await service.handle_automod(alert(INVITE))
    assert outcome.flag is not None and outcome.flag.category == "promotion"
    assert outcome.flag.reasons == (automod.REASON,)
    assert len(chat.review_posts()) == 1


async def test_another_rules_alert_never_makes_a_flag(
    service: ModerationService, chat: RecordingChat
) -> None:
    await service.handle_message(message(INVITE))
    assert (await service.handle_automod(alert(INVITE, ours=False))).flag is None
    assert chat.posts == []
