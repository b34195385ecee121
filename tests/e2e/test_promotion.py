"""Clinic promotion end to end: the real bot, the fake Discord, a seller, a moderator.

The issue's acceptance list, as a member and a moderator would see it: an offer of treatment
yields one review post with Delete message and Timeout author, a moderator's Delete removes the
member's message (and is in the audit trail), a member's click is refused, the calm reply comes
once a day and pings nobody, Timeout asks for a length and times the author out, and a bot
without the permissions says so on the buttons and explains when clicked.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.e2e.test_moderation_review import buttons, fields, post_and_wait, settle
from tests.fake_discord import Perm, modal_inputs
from tests.fake_discord.guild import (
    BOT_ROLE_ID,
    DIGEST_CHANNEL_ID,
    GENERAL_CHANNEL_ID,
    GUILD_ID,
    MEMBER_ID,
    MOD_ID,
    OTHER_MEMBER_ID,
    REVIEW_CHANNEL_ID,
    make_text_channel,
)
from tests.harness import Harness

INTRO_CHANNEL_ID = 200000000000000009

OFFER = "Our clinic offers MSC packages from $15,000. WhatsApp me +52 998 123 4567"
SECOND_OFFER = "Stem cell treatment healed my MS, limited spots this month, DM me for the price"


def flag_id_of(review: dict[str, Any]) -> int:
    return int(review["embeds"][0]["title"].rsplit("#", 1)[1])


def labels(review: dict[str, Any]) -> dict[str, str]:
    return {action.rsplit(":", 1)[1]: b["label"] for action, b in buttons(review).items()}


def deletes(harness: Harness, message_id: int) -> list[Any]:
    path = f"/channels/{GENERAL_CHANNEL_ID}/messages/{message_id}"
    return [r for r in harness.fake.requests if r.method == "DELETE" and r.path == path]


def give_bot(harness: Harness, perms: int) -> None:
    """Set the bot role's permissions before the bot starts (the world goes out at READY)."""
    role = harness.fake.world.role(BOT_ROLE_ID)
    assert role is not None
    role["permissions"] = str(perms)


async def test_an_offer_yields_one_review_post_with_delete_and_timeout(running: Harness) -> None:
    fake = running.fake
    sent, review = await post_and_wait(running, OFFER)
    await settle(running, sent)
    assert len(fake.messages[REVIEW_CHANNEL_ID]) == 1
    assert review["embeds"][0]["title"].startswith("Clinic promotion")
    flag_id = flag_id_of(review)
    assert set(buttons(review)) == {
        f"flag:{flag_id}:{a}"
        for a in (
            *("claim", "resolve", "dismiss", "note", "delete", "timeout"),
            *("resolve-crisis", "resolve-advice", "resolve-other"),
        )
    }
    assert len(review["components"]) == 3  # flag, message, and "Resolve as" rows
    # The default bot role has Manage Messages but not Moderate Members: said in advance.
    shown = labels(review)
    assert shown["delete"] == "Delete message"
    assert shown["timeout"] == "Timeout author (bot needs Moderate Members)"
    assert "• phone number" in fields(review)["Why"]
    assert fake.pings() == []


async def test_a_moderators_delete_removes_the_message_and_is_audited(running: Harness) -> None:
    fake = running.fake
    sent, review = await post_and_wait(running, OFFER)
    flag_id = flag_id_of(review)
    click = await fake.click(f"flag:{flag_id}:delete", message_id=int(review["id"]), user_id=MOD_ID)
    await click.response()
    assert click.ephemeral and click.content == f"Deleted the message of flag #{flag_id}."
    assert len(deletes(running, int(sent["id"]))) == 1
    assert fake.message_store[int(sent["id"])].get("deleted") is True
    edited = await fake.wait_for(
        lambda: review if "Removed" in fields(review)["Excerpt"] else None, what="excerpt gone"
    )
    assert "WhatsApp" not in str(edited["embeds"])
    assert buttons(edited)[f"flag:{flag_id}:delete"].get("disabled") is True
    events = [(e.actor_id, e.action) for e in await running.app.moderation.history(flag_id)]
    assert (MOD_ID, "delete_message") in events


async def test_a_members_click_on_delete_or_timeout_is_refused(running: Harness) -> None:
    fake = running.fake
    sent, review = await post_and_wait(running, OFFER)
    flag_id = flag_id_of(review)
    for action in ("delete", "timeout"):
        click = await fake.click(
            f"flag:{flag_id}:{action}", message_id=int(review["id"]), user_id=OTHER_MEMBER_ID
        )
        await click.response()
        assert click.ephemeral and click.content == "Only moderators can act on flags."
        assert click.modal is None
    assert deletes(running, int(sent["id"])) == []
    assert not fake.message_store[int(sent["id"])].get("deleted")
    actions = [e.action for e in await running.app.moderation.history(flag_id)]
    assert "delete_message" not in actions and "timeout_author" not in actions


async def test_the_calm_reply_comes_once_a_day_and_pings_nobody(running: Harness) -> None:
    fake = running.fake
    first, _ = await post_and_wait(running, OFFER)
    reply = await fake.wait_for_message(GENERAL_CHANNEL_ID)
    assert int(reply["message_reference"]["message_id"]) == int(first["id"])
    assert reply["content"].startswith("This looks like an offer of a stem-cell treatment.")
    assert "`/faq topic:unproven-clinics`" in reply["content"]
    mentions = reply["allowed_mentions"]
    assert mentions["parse"] == [] and not mentions.get("replied_user")
    second, second_review = await post_and_wait(running, SECOND_OFFER)
    await settle(running, first, second)
    assert second_review["embeds"][0]["title"].startswith("Clinic promotion")
    assert [m["id"] for m in fake.messages[GENERAL_CHANNEL_ID]] == [reply["id"]]
    assert fake.pings() == []
    # The command as written opens the entry (Discord fills `topic` from what follows it).
    opened = await fake.slash("faq", options={"topic": "unproven-clinics"}, user_id=MEMBER_ID)
    await opened.response()
    assert opened.embeds[0]["title"] == "How can I spot an unproven stem cell clinic?"


async def test_timeout_asks_for_a_length_and_times_the_author_out(harness: Harness) -> None:
    give_bot(harness, Perm.BASIC | Perm.MANAGE_MESSAGES | Perm.MODERATE_MEMBERS)
    await harness.start()
    fake = harness.fake
    _, review = await post_and_wait(harness, OFFER)
    flag_id = flag_id_of(review)
    assert labels(review)["timeout"] == "Timeout author"
    click = await fake.click(
        f"flag:{flag_id}:timeout", message_id=int(review["id"]), user_id=MOD_ID
    )
    modal = (await click.response())["data"]
    assert "Time out the author" in modal["title"]
    [minutes] = modal_inputs(modal)
    before = datetime.now(UTC)
    submit = await fake.submit_modal(
        modal["custom_id"],
        {minutes: "90"},
        user_id=MOD_ID,
        channel_id=REVIEW_CHANNEL_ID,
        message_id=int(review["id"]),
    )
    await submit.response()
    assert submit.ephemeral and "for 90 minutes" in (submit.content or "")
    [patch] = [
        r
        for r in fake.requests
        if r.method == "PATCH" and r.path == f"/guilds/{GUILD_ID}/members/{MEMBER_ID}"
    ]
    until = datetime.fromisoformat(patch.json["communication_disabled_until"])
    assert timedelta(minutes=89) < until - before < timedelta(minutes=91)
    events = [(e.actor_id, e.action, e.note) for e in await harness.app.moderation.history(flag_id)]
    assert (MOD_ID, "timeout_author", "90 min") in events


async def test_a_bot_without_the_permissions_says_so_and_explains_kindly(
    harness: Harness,
) -> None:
    give_bot(harness, Perm.BASIC)  # neither Manage Messages nor Moderate Members
    await harness.start()
    fake = harness.fake
    sent, review = await post_and_wait(harness, OFFER)
    flag_id = flag_id_of(review)
    shown = labels(review)
    assert shown["delete"] == "Delete message (bot needs Manage Messages)"
    assert shown["timeout"] == "Timeout author (bot needs Moderate Members)"
    delete = await fake.click(
        f"flag:{flag_id}:delete", message_id=int(review["id"]), user_id=MOD_ID
    )
    await delete.response()
    assert delete.ephemeral and "needs the **Manage Messages** permission" in delete.content
    assert "Server Settings > Roles" in delete.content
    timeout = await fake.click(
        f"flag:{flag_id}:timeout", message_id=int(review["id"]), user_id=MOD_ID
    )
    await timeout.response()
    assert timeout.modal is None and timeout.ephemeral
    assert "needs the **Moderate Members** permission" in (timeout.content or "")
    assert deletes(harness, int(sent["id"])) == []
    assert not [r for r in fake.requests if r.method == "PATCH" and "/members/" in r.path]
    flag = await harness.app.moderation.get_flag(flag_id)
    assert flag is not None and flag.state == "open"


async def test_the_same_offer_in_other_channels_joins_the_same_review(harness: Harness) -> None:
    fake = harness.fake
    fake.world.channels.append(make_text_channel(INTRO_CHANNEL_ID, "introductions", 4))
    member = fake.world.member(MEMBER_ID)
    assert member is not None
    member["joined_at"] = (datetime.now(UTC) - timedelta(minutes=3, seconds=10)).isoformat()
    await harness.start()
    first, review = await post_and_wait(harness, OFFER)
    assert "• new member (joined 3 minutes ago)" in fields(review)["Why"]
    copies = [
        await fake.send_message(channel, MEMBER_ID, OFFER)
        for channel in (DIGEST_CHANNEL_ID, INTRO_CHANNEL_ID)
    ]
    await settle(harness, first, *copies)
    edited = await fake.wait_for(
        lambda: review if "Also posted (2)" in fields(review) else None, what="copies listed"
    )
    listed = fields(edited)["Also posted (2)"]
    assert f"<#{DIGEST_CHANNEL_ID}>" in listed and f"<#{INTRO_CHANNEL_ID}>" in listed
    assert copies[1]["id"] in listed
    assert "• posted in 3 channels within 1 minute" in fields(edited)["Why"]
    assert len(fake.messages[REVIEW_CHANNEL_ID]) == 1  # one review, no second post
    assert fake.pings() == []
    assert len(fake.messages[GENERAL_CHANNEL_ID]) == 1  # the calm reply, once
    assert fake.messages[DIGEST_CHANNEL_ID] == fake.messages[INTRO_CHANNEL_ID] == []
    [flag] = await harness.app.moderation.list_flags()
    assert flag.copies == tuple(
        (c, int(m["id"]))
        for c, m in zip((DIGEST_CHANNEL_ID, INTRO_CHANNEL_ID), copies, strict=True)
    )
    click = await fake.click(f"flag:{flag.id}:delete", message_id=int(review["id"]), user_id=MOD_ID)
    await click.response()
    assert "and 2 of its 2 copies" in (click.content or "")
    assert all(fake.message_store[int(m["id"])].get("deleted") for m in [first, *copies])
