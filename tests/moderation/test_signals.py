"""Signals beyond words: duplicates across channels and new members strengthen promotion,
join copies into one review, and never flag a normal message by themselves."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.chat import MessageRef
from bot.moderation import replies
from bot.moderation.automod import REASON as AUTOMOD_REASON
from bot.moderation.detector import Detection
from bot.moderation.model import AutoModAlert
from bot.moderation.service import ModerationService
from bot.moderation.signals import (
    Context,
    RecentPosts,
    Sighting,
    fingerprint,
    reasons,
    recorded,
    strengthen,
)
from tests.moderation.conftest import CHANNEL, REVIEW, Clock, RecordingChat, message

OFFER = "Our clinic offers MSC packages from $15,000. WhatsApp me +52 998 123 4567"
WEAK = "I wrote about exosomes here www.mylife-notes.org"  # a link and a stem word: below the line
HELLO = "Good morning everyone, hope you all have a gentle day"
WARNING = "Has anyone heard of this clinic? www.regen-example.com stem cells"
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
HOUR, YEAR = timedelta(hours=1), timedelta(days=365)
NONE = Detection("none", 1.0, ())


def test_the_same_text_with_other_spacing_or_case_has_one_fingerprint() -> None:
    assert fingerprint("Our  clinic OFFERS packages!!") == fingerprint("our clinic offers packages")
    assert fingerprint("our clinic offers packages") != fingerprint("our clinic offers nothing")


def test_the_tracker_finds_copies_within_the_window_by_the_same_author_only() -> None:
    recent = RecentPosts(timedelta(minutes=10))
    assert recent.see(1, OFFER, 10, 100, T0) == ()
    assert recent.see(2, OFFER, 11, 101, T0) == ()  # another author: not a copy
    [copy] = recent.see(1, OFFER.upper(), 11, 102, T0 + timedelta(minutes=3))
    assert copy == Sighting(10, 100, T0)
    assert len(recent.see(1, OFFER, 12, 103, T0 + timedelta(minutes=4))) == 2
    # Eleven minutes after the first two: only the later copies are still in the window.
    later = recent.see(1, OFFER, 13, 104, T0 + timedelta(minutes=13, seconds=30))
    assert [s.message_id for s in later] == [103]


def test_reasons_are_worded_for_moderators() -> None:
    earlier = (Sighting(10, 1, T0), Sighting(11, 2, T0 + timedelta(minutes=2)))
    context = Context(
        earlier=earlier,
        channel_id=12,
        at=T0 + timedelta(minutes=3, seconds=30),
        joined_at=T0 + timedelta(seconds=30),
        account_created_at=T0 - timedelta(days=2),
    )
    found = reasons(context, HOUR, timedelta(days=7))
    assert list(found) == [
        "posted in 3 channels within 4 minutes",
        "new member (joined 3 minutes ago)",
        "new account (created 2 days ago)",
    ]
    old = Context(channel_id=12, at=T0, joined_at=T0 - YEAR, account_created_at=T0 - 5 * YEAR)
    assert reasons(old, HOUR, timedelta(days=7)) == {}
    assert reasons(context, None, None) == {"posted in 3 channels within 4 minutes": 0.4}


def test_signals_never_flag_a_normal_message_or_a_warning_by_themselves() -> None:
    loud = {"posted in 5 channels within 1 minute": 0.6, "new member (joined 1 minute ago)": 0.2}
    assert strengthen(NONE, HELLO, loud) == NONE
    assert strengthen(NONE, WARNING, loud) == NONE
    crisis = Detection("crisis", 0.9, ("plan",))
    assert strengthen(crisis, OFFER, loud) == crisis


def test_signals_lift_an_offer_just_below_the_line_and_strengthen_a_clear_one() -> None:
    new_member = {"new member (joined 3 minutes ago)": 0.2}
    assert strengthen(NONE, WEAK, new_member) == NONE  # one weak context signal is not enough
    copies = {"posted in 3 channels within 4 minutes": 0.4}
    lifted = strengthen(NONE, WEAK, copies)
    assert lifted.category == "promotion" and lifted.flagged
    assert lifted.reasons[-1] == "posted in 3 channels within 4 minutes"
    clear = Detection("promotion", 0.8, ("phone number",))
    stronger = strengthen(clear, OFFER, copies)
    assert stronger.score > 0.8 and stronger.reasons == ("phone number", *copies)


async def test_the_same_offer_in_three_channels_is_one_review_listing_the_copies(
    service: ModerationService, chat: RecordingChat, clock: Clock
) -> None:
    first = await service.handle_message(message(OFFER, message_id=1, channel_id=CHANNEL))
    clock.advance(minutes=2)
    second = await service.handle_message(message(OFFER, message_id=2, channel_id=CHANNEL + 1))
    clock.advance(minutes=1, seconds=30)
    third = await service.handle_message(message(OFFER, message_id=3, channel_id=CHANNEL + 2))
    assert first.flag is not None and first.created
    assert second.change == third.change == "updated"
    assert second.flag is not None and third.flag is not None
    assert first.flag.id == second.flag.id == third.flag.id
    assert len(chat.review_posts()) == 1  # one review post, edited; nobody pinged
    assert [m.content for _, m in chat.replies] == [replies.PROMOTION_REPLY]
    assert third.flag.copies == ((CHANNEL + 1, 2), (CHANNEL + 2, 3))
    assert third.flag.reasons[-1] == "posted in 3 channels within 4 minutes"
    assert "posted in 2 channels within 2 minutes" not in third.flag.reasons
    ref, shown = chat.edits[-1]
    assert ref.channel_id == REVIEW and not shown.ping_role_ids
    card = {f.name: f.value for f in shown.cards[0].fields}
    assert card["Also posted (2)"].startswith(f"<#{CHANNEL + 1}> [jump](")
    assert "posted in 3 channels within 4 minutes" in card["Why"]

    deleted = await service.act_on_message(first.flag.id, "delete", actor_id=9)
    assert deleted.ok and "and 2 of its 2 copies" in deleted.message
    assert chat.deleted == [
        MessageRef(CHANNEL, 1),
        MessageRef(CHANNEL + 1, 2),
        MessageRef(CHANNEL + 2, 3),
    ]


async def test_copies_of_a_weak_offer_become_one_flag_with_the_earlier_posts(
    service: ModerationService, chat: RecordingChat, clock: Clock
) -> None:
    assert (await service.handle_message(message(WEAK, message_id=1))).flag is None
    clock.advance(minutes=1)
    assert (await service.handle_message(message(WEAK, message_id=2, channel_id=CHANNEL + 1))).flag
    outcome = await service.handle_message(message(WEAK, message_id=3, channel_id=CHANNEL + 2))
    [flag] = await service.list_flags()
    assert flag.category == "promotion" and flag.message_id == 2
    assert flag.copies == ((CHANNEL, 1), (CHANNEL + 2, 3))
    assert outcome.flag is not None and outcome.flag.id == flag.id
    assert len(chat.review_posts()) == 1


async def test_a_greeting_from_a_brand_new_member_in_every_channel_is_not_flagged(
    service: ModerationService, chat: RecordingChat, clock: Clock
) -> None:
    joined = clock.now - timedelta(minutes=2)
    for i in range(5):
        outcome = await service.handle_message(
            message(
                HELLO,
                message_id=i + 1,
                channel_id=CHANNEL + i,
                author_joined_at=joined,
                author_created_at=clock.now - timedelta(hours=1),
            )
        )
        assert outcome.flag is None
        clock.advance(seconds=20)
    assert chat.posts == [] and chat.replies == []


async def test_a_new_member_adds_a_reason_to_an_offer(
    service: ModerationService, clock: Clock
) -> None:
    outcome = await service.handle_message(
        message(OFFER, author_joined_at=clock.now - timedelta(minutes=3))
    )
    assert outcome.flag is not None
    assert outcome.flag.reasons[-1] == "new member (joined 3 minutes ago)"


async def test_copies_arriving_at_the_same_moment_still_make_one_review(
    service: ModerationService, chat: RecordingChat
) -> None:
    outcomes = await asyncio.gather(
        *(
            service.handle_message(message(OFFER, message_id=i, channel_id=CHANNEL + i))
            for i in (1, 2, 3)
        )
    )
    assert len({o.flag.id for o in outcomes if o.flag is not None}) == 1
    [flag] = await service.list_flags()
    assert len(flag.copies) == 2 and len(chat.review_posts()) == 1
    assert len(chat.replies) == 1


EDITED_OFFER = "Our clinic offers MSC packages from $12,000 now. WhatsApp me +52 998 123 4567"
SIGNALS = ("new member (joined 3 minutes ago)", "posted in 2 channels within 1 minute")


async def flagged_offer_with_signals(service: ModerationService, clock: Clock) -> None:
    """An offer by a member who joined 3 minutes ago, copied into a second channel, which
    our AutoMod rule matched too."""
    joined = clock.now - timedelta(minutes=3)
    await service.handle_message(message(OFFER, message_id=1, author_joined_at=joined))
    clock.advance(seconds=40)
    await service.handle_message(
        message(OFFER, message_id=2, channel_id=CHANNEL + 1, author_joined_at=joined)
    )
    await service.handle_automod(AutoModAlert(1000, CHANNEL, 1, 77, OFFER, ours=True))
    [flag] = await service.list_flags()
    assert set(SIGNALS) | {AUTOMOD_REASON} <= set(flag.reasons)


async def test_an_edited_offer_keeps_the_signals_that_happened(
    service: ModerationService, chat: RecordingChat, clock: Clock
) -> None:
    await flagged_offer_with_signals(service, clock)
    words = service.classify(EDITED_OFFER)
    outcome = await service.handle_edit(message(EDITED_OFFER, message_id=1))
    assert outcome.change == "updated" and outcome.flag is not None
    flag = outcome.flag
    assert flag.category == "promotion" and flag.excerpt == EDITED_OFFER
    assert flag.reasons == (*words.reasons, *SIGNALS, AUTOMOD_REASON)
    assert flag.score > words.score  # the copies and the new member still weigh
    card = {f.name: f.value for f in chat.edits[-1][1].cards[0].fields}
    assert "• posted in 2 channels within 1 minute" in card["Why"]
    assert card["Why"].endswith("• Discord AutoMod rule matched")


async def test_signals_kept_after_an_edit_never_flag_a_normal_message(
    service: ModerationService, clock: Clock
) -> None:
    await flagged_offer_with_signals(service, clock)
    [before] = await service.list_flags()
    outcome = await service.handle_edit(message(HELLO, message_id=1))
    assert outcome.detection is not None and not outcome.detection.flagged
    [flag] = await service.list_flags()
    assert flag.reasons == before.reasons and flag.score == before.score  # nothing re-judged
    assert flag.excerpt == HELLO
    [*_, edited] = await service.history(flag.id)
    assert edited.note == "edited; the new text no longer matches the detector"


def test_recorded_signals_weigh_as_they_did_and_ignore_the_words_reasons() -> None:
    stored = ("phone number", "posted in 3 channels within 4 minutes", SIGNALS[0], "other")
    assert recorded(stored, posts=3) == {
        "posted in 3 channels within 4 minutes": 0.4,
        "new member (joined 3 minutes ago)": 0.2,
    }
    assert recorded(("new account (created 2 days ago)",), posts=1) == {
        "new account (created 2 days ago)": 0.15
    }
    assert strengthen(NONE, HELLO, recorded(stored, posts=3)) == NONE
