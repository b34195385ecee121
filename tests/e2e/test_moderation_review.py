"""Moderation end to end: the real bot, the fake Discord, a member, a moderator.

Each test reads as the scenario in the issue's acceptance list: an advice request yields one
review post whose buttons work (and keep working after a restart), a crisis gets the resources
and one role ping, edits never create a second flag, deletes take the excerpt with them, and
nobody is ever pinged by quoted text.
"""

from __future__ import annotations

import asyncio
from typing import Any

from tests.fake_discord.guild import (
    ADMIN_ID,
    EXEMPT_CHANNEL_ID,
    GENERAL_CHANNEL_ID,
    MEMBER_ID,
    MOD_ID,
    MOD_ROLE_ID,
    OTHER_MEMBER_ID,
    REVIEW_CHANNEL_ID,
)
from tests.harness import Harness

ADVICE = "My neuro offered Kesimpta but should I stop my Tecfidera first? Scared to change"
CRISIS = "I can't do this anymore. I've been saving up my pills and I think tonight's the night"


def fields(message: dict[str, Any]) -> dict[str, str]:
    return {f["name"]: f["value"] for f in message["embeds"][0]["fields"]}


def buttons(message: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = {}
    for row in message["components"]:
        for comp in row["components"]:
            found[comp["custom_id"]] = comp
    return found


async def post_and_wait(harness: Harness, content: str, author: int = MEMBER_ID) -> tuple[Any, Any]:
    fake = harness.fake
    before = len(fake.messages[REVIEW_CHANNEL_ID])
    sent = await fake.send_message(GENERAL_CHANNEL_ID, author, content)
    review = await fake.wait_for(
        lambda: (
            fake.messages[REVIEW_CHANNEL_ID][before]
            if len(fake.messages[REVIEW_CHANNEL_ID]) > before
            else None
        ),
        what="review post",
    )
    await until_recorded(harness, int(review["id"]))
    return sent, review


async def until_recorded(harness: Harness, review_id: int) -> None:
    """The post is visible before the bot has stored its id; wait for that too."""
    for _ in range(100):
        row = await harness.app.db.fetchone(
            "SELECT id FROM flags WHERE review_message_id = ?", (review_id,)
        )
        if row is not None:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"review post {review_id} was never recorded")


async def settle(harness: Harness, *messages: Any) -> None:
    """Wait until the bot has fully handled `messages` (a positive signal), so the test can
    then say that nothing else happened (no second post, no ping)."""
    for message in messages:
        await harness.handled(message)


async def test_advice_yields_one_review_post_with_buttons_and_a_gentle_reply(
    running: Harness,
) -> None:
    fake = running.fake
    sent, review = await post_and_wait(running, ADVICE)
    flag_id = int(review["embeds"][0]["title"].rsplit("#", 1)[1])
    shown = fields(review)
    assert shown["Author"] == f"<@{MEMBER_ID}>" and shown["Channel"] == f"<#{GENERAL_CHANNEL_ID}>"
    assert sent["id"] in shown["Message"] and shown["Excerpt"].startswith("> My neuro offered")
    assert set(buttons(review)) == {
        f"flag:{flag_id}:{a}"
        for a in (
            "claim",
            "resolve",
            "dismiss",
            "note",
            "resolve-crisis",
            "resolve-promotion",
            "resolve-other",
        )
    }
    reply = await fake.wait_for_message(GENERAL_CHANNEL_ID)
    assert int(reply["message_reference"]["message_id"]) == int(sent["id"])
    assert "can't do as a community is give personal medical advice" in reply["content"]
    await settle(running, sent)
    assert len(fake.messages[REVIEW_CHANNEL_ID]) == 1
    assert fake.pings() == []
    flags = await running.app.moderation.list_flags()
    assert [(f.id, f.category, f.review_message_id) for f in flags] == [
        (flag_id, "advice", int(review["id"]))
    ]


async def test_claim_then_resolve_updates_database_audit_and_embed(running: Harness) -> None:
    fake = running.fake
    _, review = await post_and_wait(running, ADVICE)
    flag_id = int(review["embeds"][0]["title"].rsplit("#", 1)[1])

    claim = await fake.click(f"flag:{flag_id}:claim", message_id=int(review["id"]), user_id=MOD_ID)
    assert (await claim.response())["type"] == 7  # the post itself is updated
    assert fields(review)["State"] == f"Claimed by <@{MOD_ID}>"
    assert buttons(review)[f"flag:{flag_id}:claim"].get("disabled") is True

    resolve = await fake.click(
        f"flag:{flag_id}:resolve", message_id=int(review["id"]), user_id=MOD_ID
    )
    await resolve.response()
    assert fields(review)["State"] == f"Resolved by <@{MOD_ID}>"
    assert all(b.get("disabled") for b in buttons(review).values())

    flag = await running.app.moderation.get_flag(flag_id)
    assert flag is not None and flag.state == "resolved" and flag.closed_at
    audit = [
        (e.actor_id, e.action, e.from_state, e.to_state)
        for e in await running.app.moderation.history(flag_id)
        if e.actor_id is not None
    ]
    assert audit == [
        (MOD_ID, "claim", "open", "claimed"),
        (MOD_ID, "resolve", "claimed", "resolved"),
    ]


async def test_a_non_moderator_click_is_refused(running: Harness) -> None:
    fake = running.fake
    _, review = await post_and_wait(running, ADVICE)
    flag_id = int(review["embeds"][0]["title"].rsplit("#", 1)[1])
    for action in ("claim", "dismiss"):
        click = await fake.click(
            f"flag:{flag_id}:{action}", message_id=int(review["id"]), user_id=OTHER_MEMBER_ID
        )
        await click.response()
        assert click.ephemeral and click.content == "Only moderators can act on flags."
    flag = await running.app.moderation.get_flag(flag_id)
    assert flag is not None and flag.state == "open"
    assert review["edits"] == []


async def test_two_moderators_clicking_claim_at_once_one_wins(running: Harness) -> None:
    fake = running.fake
    _, review = await post_and_wait(running, ADVICE)
    flag_id = int(review["embeds"][0]["title"].rsplit("#", 1)[1])
    clicks = await asyncio.gather(
        fake.click(f"flag:{flag_id}:claim", message_id=int(review["id"]), user_id=MOD_ID),
        fake.click(f"flag:{flag_id}:claim", message_id=int(review["id"]), user_id=ADMIN_ID),
    )
    answers = [await c.response() for c in clicks]
    assert sorted(a["type"] for a in answers) == [4, 7]  # one edit, one ephemeral refusal
    refused = next(c for c, a in zip(clicks, answers, strict=True) if a["type"] == 4)
    assert refused.ephemeral and refused.content.startswith("Already claimed by")
    claims = [e for e in await running.app.moderation.history(flag_id) if e.action == "claim"]
    assert len(claims) == 1


async def test_buttons_of_an_old_post_work_after_a_restart(harness: Harness) -> None:
    await harness.start()
    _, review = await post_and_wait(harness, ADVICE)
    flag_id = int(review["embeds"][0]["title"].rsplit("#", 1)[1])
    await harness.restart()
    click = await harness.fake.click(
        f"flag:{flag_id}:dismiss", message_id=int(review["id"]), user_id=MOD_ID
    )
    assert (await click.response())["type"] == 7
    assert fields(review)["State"] == f"Dismissed by <@{MOD_ID}> (false positive)"
    flag = await harness.app.moderation.get_flag(flag_id)
    assert flag is not None and flag.state == "dismissed"


async def test_a_note_opens_a_modal_and_lands_on_the_card(running: Harness) -> None:
    fake = running.fake
    _, review = await post_and_wait(running, ADVICE)
    flag_id = int(review["embeds"][0]["title"].rsplit("#", 1)[1])
    click = await fake.click(f"flag:{flag_id}:note", message_id=int(review["id"]), user_id=MOD_ID)
    modal = (await click.response())["data"]
    [field_id] = [c["custom_id"] for row in modal["components"] for c in row["components"]]
    submit = await fake.submit_modal(
        modal["custom_id"],
        {field_id: "Sent them the MS nurse helpline"},
        user_id=MOD_ID,
        channel_id=REVIEW_CHANNEL_ID,
        message_id=int(review["id"]),
    )
    assert (await submit.response())["type"] == 7
    assert fields(review)["Notes (1)"] == "Latest: Sent them the MS nurse helpline"
    flag = await running.app.moderation.get_flag(flag_id)
    assert flag is not None and flag.state == "open"


async def test_crisis_gets_the_resources_reply_and_one_role_ping(running: Harness) -> None:
    fake = running.fake
    sent, review = await post_and_wait(running, CRISIS)
    reply = await fake.wait_for_message(GENERAL_CHANNEL_ID)
    assert int(reply["message_reference"]["message_id"]) == int(sent["id"])
    assert "988" in reply["content"] and "116 123" in reply["content"]
    assert review["content"].startswith(f"<@&{MOD_ROLE_ID}>")
    await settle(running, sent)
    [ping] = fake.pings()
    assert ping.channel_id == REVIEW_CHANNEL_ID
    assert (ping.roles, ping.users, ping.everyone) == ({MOD_ROLE_ID}, set(), False)
    assert fields(review)["Why"].startswith("• mentions a plan or the means")


async def test_an_edited_message_does_not_create_a_second_flag(running: Harness) -> None:
    fake = running.fake
    sent, review = await post_and_wait(running, ADVICE)
    await fake.edit_message(
        GENERAL_CHANNEL_ID, int(sent["id"]), ADVICE + " (and my bloods are due friday)"
    )
    edited = await fake.wait_for_edit(int(review["id"]))
    assert "bloods are due friday" in fields(edited)["Excerpt"]
    await settle(running, sent)
    assert len(fake.messages[REVIEW_CHANNEL_ID]) == 1
    assert len(await running.app.moderation.list_flags()) == 1
    replies = [m for m in fake.messages[GENERAL_CHANNEL_ID]]
    assert len(replies) == 1  # the gentle reply is not repeated for an edit


async def test_an_edit_into_a_crisis_pings_once_beside_the_same_post(running: Harness) -> None:
    fake = running.fake
    sent, review = await post_and_wait(running, ADVICE)
    await fake.edit_message(GENERAL_CHANNEL_ID, int(sent["id"]), CRISIS)
    ping = await fake.wait_for_message(REVIEW_CHANNEL_ID, lambda m: m["id"] != review["id"])
    assert int(ping["message_reference"]["message_id"]) == int(review["id"])
    await settle(running, sent)
    assert [p.roles for p in fake.pings()] == [{MOD_ROLE_ID}]
    assert len(await running.app.moderation.list_flags()) == 1
    assert review["embeds"][0]["title"].startswith("🚨")


async def test_a_deleted_message_loses_its_excerpt(running: Harness) -> None:
    fake = running.fake
    sent, review = await post_and_wait(running, ADVICE)
    await fake.delete_message(GENERAL_CHANNEL_ID, int(sent["id"]))
    edited = await fake.wait_for_edit(int(review["id"]))
    assert fields(edited)["Excerpt"] == "Removed: the member deleted the message."
    assert "Tecfidera" not in str(edited["embeds"])
    [flag] = await running.app.moderation.list_flags()
    assert flag.excerpt is None
    row = await running.app.db.fetchone("SELECT excerpt FROM flags WHERE id = ?", (flag.id,))
    assert row is not None and row["excerpt"] is None


async def test_quoted_text_containing_everyone_pings_no_one(running: Harness) -> None:
    fake = running.fake
    text = f"@everyone <@{OTHER_MEMBER_ID}> <@&{MOD_ROLE_ID}> should I stop my Ocrevus before HSCT?"
    sent, review = await post_and_wait(running, text)
    await fake.wait_for_message(GENERAL_CHANNEL_ID)
    await settle(running, sent)
    assert fake.pings() == []
    excerpt = fields(review)["Excerpt"]
    assert "@everyone" not in excerpt and f"<@{OTHER_MEMBER_ID}>" not in excerpt
    assert not review["mention_everyone"] and review["mention_roles"] == []


async def test_moderators_bots_and_exempt_channels_are_not_flagged(running: Harness) -> None:
    fake = running.fake
    by_moderator = await fake.send_message(GENERAL_CHANNEL_ID, MOD_ID, ADVICE)
    in_exempt = await fake.send_message(EXEMPT_CHANNEL_ID, MEMBER_ID, ADVICE)
    await settle(running, by_moderator, in_exempt)
    assert fake.messages[REVIEW_CHANNEL_ID] == []
    assert await running.app.moderation.list_flags() == []
