"""The reply to a member in crisis, end to end: it reaches them, and it only promises what is true.

The resources go out at once and say nothing about moderators; only once the review post has
really reached the review channel is the reply edited to say the moderators know. Where the
resources go follows `[moderation] crisis_reply` ("channel", "dm", "both"), and closed DMs fall
back to the channel. Nothing the bot sends pings @everyone or a member; only the crisis alert in
the review channel pings, and only the moderator role.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.moderation import replies
from tests.e2e.test_moderation_review import ADVICE, CRISIS, post_and_wait, settle
from tests.fake_discord.guild import (
    EXEMPT_CHANNEL_ID,
    GENERAL_CHANNEL_ID,
    MEMBER_ID,
    MOD_ROLE_ID,
    OTHER_MEMBER_ID,
    REVIEW_CHANNEL_ID,
)
from tests.harness import Harness

REVIEW_MESSAGES = f"/channels/{REVIEW_CHANNEL_ID}/messages"
REVIEW_POST = rf"^{REVIEW_MESSAGES}$"
RESOURCES = ("I'm this server's bot", "**988**", "**116 123**", "**13 11 14**", "**1737**", "111")


def has_resources(text: str) -> bool:
    return all(part in text for part in RESOURCES) and replies.CRISIS_FASTEST in text


def request_index(harness: Harness, method: str, path: str) -> int:
    """Where in the bot's REST calls this one came (the fake logs them in order)."""
    calls = [(r.method, r.path) for r in harness.fake.requests]
    return calls.index((method, path))


def only_the_moderator_role_was_pinged(harness: Harness) -> None:
    pings = harness.fake.pings()
    assert [(p.channel_id, p.roles, p.users, p.everyone) for p in pings] == [
        (REVIEW_CHANNEL_ID, {MOD_ROLE_ID}, set(), False)
    ]


def first_version(message: dict[str, Any]) -> str:
    return message["edits"][0]["content"] if message["edits"] else message["content"]


async def test_the_reply_says_moderators_know_only_after_the_review_post_exists(
    running: Harness,
) -> None:
    fake = running.fake
    sent, review = await post_and_wait(running, CRISIS)
    reply = await fake.wait_for_message(GENERAL_CHANNEL_ID)
    await fake.wait_for_edit(int(reply["id"]))
    await settle(running, sent)
    before = first_version(reply)
    assert has_resources(before) and "moderators" not in before
    assert reply["content"] == f"{before}\n{replies.CRISIS_TOLD}"
    # The order Discord saw: the member's reply, then the review post, then the edit.
    posted_reply = request_index(running, "POST", f"/channels/{GENERAL_CHANNEL_ID}/messages")
    posted_review = request_index(running, "POST", REVIEW_MESSAGES)
    edited = request_index(
        running, "PATCH", f"/channels/{GENERAL_CHANNEL_ID}/messages/{reply['id']}"
    )
    assert posted_reply < posted_review < edited
    assert int(review["id"]) > int(reply["id"])
    only_the_moderator_role_was_pinged(running)


async def test_without_a_review_channel_the_reply_promises_no_moderators(
    harness: Harness,
) -> None:
    del harness.settings["moderation"]["review_channel_id"]
    await harness.start()
    fake = harness.fake
    sent = await fake.send_message(GENERAL_CHANNEL_ID, MEMBER_ID, CRISIS)
    reply = await fake.wait_for_message(GENERAL_CHANNEL_ID)
    await settle(harness, sent)
    assert has_resources(reply["content"]) and "moderators" not in reply["content"]
    assert reply["edits"] == [] and fake.pings() == []


async def test_a_refused_review_post_leaves_the_reply_without_a_promise(running: Harness) -> None:
    fake = running.fake
    fake.fail_next("POST", REVIEW_POST, 403)
    sent = await fake.send_message(GENERAL_CHANNEL_ID, MEMBER_ID, CRISIS)
    reply = await fake.wait_for_message(GENERAL_CHANNEL_ID)
    await settle(running, sent)
    assert fake.messages[REVIEW_CHANNEL_ID] == []
    assert has_resources(reply["content"]) and "moderators" not in reply["content"]
    assert reply["edits"] == [] and fake.pings() == []


async def test_crisis_reply_dm_sends_the_resources_privately_and_a_short_public_line(
    harness: Harness,
) -> None:
    await harness.start({"moderation": {"crisis_reply": "dm"}})
    fake = harness.fake
    sent, _ = await post_and_wait(harness, CRISIS)
    public = await fake.wait_for_message(GENERAL_CHANNEL_ID)
    dm = await fake.wait_for(lambda: next(iter(fake.direct_messages(MEMBER_ID)), None), what="DM")
    await fake.wait_for_edit(int(dm["id"]))
    await settle(harness, sent)
    assert public["content"] == replies.CRISIS_PUBLIC
    assert int(public["message_reference"]["message_id"]) == int(sent["id"])
    assert "988" not in public["content"] and public["edits"] == []
    assert has_resources(first_version(dm)) and "moderators" not in first_version(dm)
    assert dm["content"].endswith(replies.CRISIS_TOLD)
    assert len(fake.direct_messages(MEMBER_ID)) == 1
    only_the_moderator_role_was_pinged(harness)


async def test_closed_dms_fall_back_to_the_channel_reply(harness: Harness) -> None:
    await harness.start({"moderation": {"crisis_reply": "dm"}})
    fake = harness.fake
    fake.close_dms(MEMBER_ID)
    sent, _ = await post_and_wait(harness, CRISIS)
    reply = await fake.wait_for_message(GENERAL_CHANNEL_ID)
    await fake.wait_for_edit(int(reply["id"]))
    await settle(harness, sent)
    assert fake.direct_messages(MEMBER_ID) == []
    assert fake.dm_channel_of(MEMBER_ID) is not None  # it was tried, and Discord said 50007
    assert has_resources(first_version(reply)) and reply["content"].endswith(replies.CRISIS_TOLD)
    assert [m["id"] for m in fake.messages[GENERAL_CHANNEL_ID]] == [reply["id"]]
    only_the_moderator_role_was_pinged(harness)


async def test_crisis_reply_both_sends_the_resources_in_the_channel_and_by_dm(
    harness: Harness,
) -> None:
    await harness.start({"moderation": {"crisis_reply": "both"}})
    fake = harness.fake
    sent, _ = await post_and_wait(harness, CRISIS)
    reply = await fake.wait_for_message(GENERAL_CHANNEL_ID)
    [dm] = fake.direct_messages(MEMBER_ID)  # sent before the channel reply
    for carrier in (reply, dm):
        await fake.wait_for_edit(int(carrier["id"]))
        assert has_resources(first_version(carrier)) and "moderators" not in first_version(carrier)
        assert carrier["content"].endswith(replies.CRISIS_TOLD)
    await settle(harness, sent)
    only_the_moderator_role_was_pinged(harness)


async def test_an_edit_into_a_crisis_gets_the_resources_then_the_promise_after_the_alert(
    running: Harness,
) -> None:
    fake = running.fake
    sent, review = await post_and_wait(running, ADVICE)
    advice = await fake.wait_for_message(GENERAL_CHANNEL_ID)
    await settle(running, sent)
    await fake.edit_message(GENERAL_CHANNEL_ID, int(sent["id"]), CRISIS)
    crisis = await fake.wait_for_message(GENERAL_CHANNEL_ID, lambda m: m["id"] != advice["id"])
    alert = await fake.wait_for_message(REVIEW_CHANNEL_ID, lambda m: m["id"] != review["id"])
    await fake.wait_for_edit(int(crisis["id"]))
    await settle(running, sent)
    assert has_resources(first_version(crisis)) and "moderators" not in first_version(crisis)
    assert crisis["content"].endswith(replies.CRISIS_TOLD)
    calls = [(r.method, r.path) for r in fake.requests]
    review_posts = [i for i, c in enumerate(calls) if c == ("POST", REVIEW_MESSAGES)]
    edit = calls.index(("PATCH", f"/channels/{GENERAL_CHANNEL_ID}/messages/{crisis['id']}"))
    assert len(review_posts) == 2 and edit > review_posts[1]  # the edit came after the alert
    assert int(alert["message_reference"]["message_id"]) == int(review["id"])
    only_the_moderator_role_was_pinged(running)  # exactly one ping: the alert


async def test_a_crisis_in_ask_is_private_and_says_moderators_know_only_when_they_do(
    harness: Harness,
) -> None:
    await harness.start()
    fake = harness.fake
    record = await fake.slash("ask", options={"question": CRISIS}, user_id=MEMBER_ID)
    await record.response()
    content = record.content or ""
    assert record.ephemeral and has_resources(content)
    assert content.endswith(replies.CRISIS_TOLD)
    assert len(fake.messages[REVIEW_CHANNEL_ID]) == 1  # the post was made before the answer
    only_the_moderator_role_was_pinged(harness)


async def test_a_crisis_in_ask_without_a_review_channel_promises_nothing(
    harness: Harness,
) -> None:
    del harness.settings["moderation"]["review_channel_id"]
    await harness.start({"moderation": {"crisis_reply": "dm"}})
    fake = harness.fake
    record = await fake.slash("ask", options={"question": CRISIS}, user_id=MEMBER_ID)
    await record.response()
    content = record.content or ""
    assert record.ephemeral and has_resources(content) and "moderators" not in content
    assert fake.direct_messages(MEMBER_ID) == []  # already private: no DM on top
    assert fake.pings() == []


async def test_a_reported_crisis_gives_the_author_the_resources_and_the_reporter_the_truth(
    running: Harness,
) -> None:
    fake = running.fake
    # Posted where the bot does not watch, so only the report brings it to anyone's attention.
    target = await fake.send_message(EXEMPT_CHANNEL_ID, OTHER_MEMBER_ID, CRISIS)
    report = await fake.message_command(
        "Report to moderators", target_message_id=int(target["id"]), user_id=MEMBER_ID
    )
    await report.response()
    assert report.ephemeral and report.content == (
        f"{replies.REPORT_THANKS}\n{replies.REPORT_CRISIS}"
    )
    reply = await fake.wait_for_message(EXEMPT_CHANNEL_ID)
    await fake.wait_for_edit(int(reply["id"]))
    await settle(running, target)
    assert int(reply["message_reference"]["message_id"]) == int(target["id"])
    assert has_resources(first_version(reply)) and "moderators" not in first_version(reply)
    assert reply["content"].endswith(replies.CRISIS_TOLD)
    only_the_moderator_role_was_pinged(running)  # not the author, not the reporter


RETRY_JOB = "moderation-retry-review-posts"


def a_minute_later(harness: Harness) -> None:
    """The retry leaves alone flags younger than its grace: move the service's clock on, as
    the minute between two runs of the job would."""
    harness.app.moderation.clock = lambda: datetime.now(UTC) + timedelta(minutes=1)


async def test_a_review_post_the_retry_delivers_adds_the_promise_once(running: Harness) -> None:
    fake = running.fake
    fake.fail_next("POST", REVIEW_POST, 503, times=2)  # the first post and the first retry
    sent = await fake.send_message(GENERAL_CHANNEL_ID, MEMBER_ID, CRISIS)
    reply = await fake.wait_for_message(GENERAL_CHANNEL_ID)
    await settle(running, sent)
    before = reply["content"]
    assert has_resources(before) and "moderators" not in before and reply["edits"] == []

    a_minute_later(running)
    retry = running.app.job(RETRY_JOB)
    assert await retry.run() == 0  # Discord still refuses: still no promise
    assert fake.messages[REVIEW_CHANNEL_ID] == [] and reply["edits"] == []

    assert await retry.run() == 1
    (review,) = fake.messages[REVIEW_CHANNEL_ID]
    await fake.wait_for_edit(int(reply["id"]))
    assert reply["content"] == f"{before}\n{replies.CRISIS_TOLD}"
    posted = request_index(running, "POST", REVIEW_MESSAGES)
    edited = request_index(
        running, "PATCH", f"/channels/{GENERAL_CHANNEL_ID}/messages/{reply['id']}"
    )
    assert posted < edited and int(review["id"]) > int(reply["id"])
    only_the_moderator_role_was_pinged(running)

    assert await retry.run() == 0
    assert len(reply["edits"]) == 1  # the line is added once
    rows = await running.app.db.fetchall("SELECT * FROM crisis_replies")
    assert rows == []  # the ids are gone once used


async def test_the_dm_is_updated_by_a_retry_after_a_restart(harness: Harness) -> None:
    await harness.start({"moderation": {"crisis_reply": "dm"}})
    fake = harness.fake
    fake.fail_next("POST", REVIEW_POST, 503)
    sent = await fake.send_message(GENERAL_CHANNEL_ID, MEMBER_ID, CRISIS)
    public = await fake.wait_for_message(GENERAL_CHANNEL_ID)
    await settle(harness, sent)
    [dm] = fake.direct_messages(MEMBER_ID)
    assert has_resources(dm["content"]) and "moderators" not in dm["content"]

    await harness.restart()  # where the DM went survives in SQLite
    a_minute_later(harness)
    assert await harness.app.job(RETRY_JOB).run() == 1
    await fake.wait_for_edit(int(dm["id"]))
    assert dm["content"] == f"{first_version(dm)}\n{replies.CRISIS_TOLD}"
    assert public["content"] == replies.CRISIS_PUBLIC and public["edits"] == []
    only_the_moderator_role_was_pinged(harness)


async def test_an_advice_flag_the_retry_posts_changes_no_reply(running: Harness) -> None:
    fake = running.fake
    fake.fail_next("POST", REVIEW_POST, 503)
    sent = await fake.send_message(GENERAL_CHANNEL_ID, MEMBER_ID, ADVICE)
    reply = await fake.wait_for_message(GENERAL_CHANNEL_ID)
    await settle(running, sent)
    a_minute_later(running)
    assert await running.app.job(RETRY_JOB).run() == 1
    assert len(fake.messages[REVIEW_CHANNEL_ID]) == 1
    assert reply["edits"] == [] and fake.pings() == []
