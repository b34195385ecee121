"""Admins are told what is missing from the moderation setup, each with the key that fixes it."""

from __future__ import annotations

from bot.moderation.checkup import setup_warnings
from bot.settings import ModerationSettings


def test_a_full_setup_has_no_warnings() -> None:
    assert setup_warnings(ModerationSettings(review_channel_id=5, moderator_role_ids=[6])) == []


def test_a_missing_review_channel_and_roles_are_each_named() -> None:
    found = setup_warnings(ModerationSettings())
    assert [w.split(" ", 2)[:2] for w in found] == [
        ["[moderation]", "review_channel_id"],
        ["[moderation]", "moderator_role_ids"],
    ]
    assert "reach no one" in found[0] and "no one is pinged" in found[1]


def test_moderation_switched_off_needs_nothing() -> None:
    assert setup_warnings(ModerationSettings(enabled=False)) == []


def test_a_crisis_message_that_promises_moderators_is_flagged() -> None:
    old = "Call 988. Our moderators have been told and someone will check in with you."
    settings = ModerationSettings(review_channel_id=5, moderator_role_ids=[6], crisis_message=old)
    [warning] = setup_warnings(settings)
    assert warning.startswith("[moderation] crisis_message promises that moderators know")
    kind = "Call 988. You can also message a moderator any time."
    settings = settings.model_copy(update={"crisis_message": kind})
    assert setup_warnings(settings) == []
