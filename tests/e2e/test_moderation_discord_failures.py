"""Discord refusing or throttling the review post never drops a flag nor posts it twice."""

from __future__ import annotations

from datetime import timedelta

from bot.storage import Database
from tests.e2e.test_moderation_review import ADVICE, CRISIS, post_and_wait, settle
from tests.fake_discord.guild import GENERAL_CHANNEL_ID, MEMBER_ID, MOD_ROLE_ID, REVIEW_CHANNEL_ID
from tests.harness import Harness

REVIEW_POST = rf"^/channels/{REVIEW_CHANNEL_ID}/messages$"


async def test_a_refused_review_post_is_retried_once_discord_is_back(running: Harness) -> None:
    fake = running.fake
    fake.fail_next("POST", REVIEW_POST, 503)
    sent = await fake.send_message(GENERAL_CHANNEL_ID, MEMBER_ID, CRISIS)
    await fake.wait_for_message(GENERAL_CHANNEL_ID)  # the member still gets the resources
    await settle(running, sent)
    assert fake.messages[REVIEW_CHANNEL_ID] == []
    (flag,) = await running.app.moderation.list_flags()
    assert flag.category == "crisis" and flag.review_message_id is None

    retry = running.app.moderation.retry_review_posts  # what the job every minute runs
    assert await retry(grace=timedelta(0)) == 1
    (post,) = fake.messages[REVIEW_CHANNEL_ID]
    assert f"#{flag.id}" in post["embeds"][0]["title"]
    assert [p.roles for p in fake.pings()] == [{MOD_ROLE_ID}]  # the crisis ping is not lost
    assert await retry(grace=timedelta(0)) == 0
    assert len(fake.messages[REVIEW_CHANNEL_ID]) == 1


async def test_retry_leaves_alone_a_flag_whose_post_is_on_its_way(running: Harness) -> None:
    fake = running.fake
    fake.fail_next("POST", REVIEW_POST, 503)
    sent = await fake.send_message(GENERAL_CHANNEL_ID, MEMBER_ID, ADVICE)
    await fake.wait_for_message(GENERAL_CHANNEL_ID)
    await settle(running, sent)
    assert await running.app.moderation.retry_review_posts() == 0  # within the grace period
    assert fake.messages[REVIEW_CHANNEL_ID] == []


async def test_a_rate_limited_review_post_arrives_once(running: Harness) -> None:
    fake = running.fake
    fake.fail_next("POST", REVIEW_POST, 429, retry_after=0.05)
    sent, _ = await post_and_wait(running, ADVICE)
    await running.handled(sent)  # the bot is done with the message: no second try is pending
    assert len(fake.messages[REVIEW_CHANNEL_ID]) == 1
    assert await running.app.moderation.retry_review_posts(grace=timedelta(0)) == 0


async def test_shutdown_lets_a_flag_in_progress_finish(running: Harness) -> None:
    fake = running.fake
    database = running.app.db.path
    fake.fail_next("POST", REVIEW_POST, 429, retry_after=0.5)  # the review post must wait
    await fake.send_message(GENERAL_CHANNEL_ID, MEMBER_ID, ADVICE)
    await fake.wait_for_message(GENERAL_CHANNEL_ID)  # the flag exists; its post is waiting
    assert fake.messages[REVIEW_CHANNEL_ID] == []
    await running.stop()
    (post,) = fake.messages[REVIEW_CHANNEL_ID]
    db = await Database.open(database)
    try:
        row = await db.fetchone("SELECT review_message_id FROM flags")
    finally:
        await db.close()
    assert row is not None and row["review_message_id"] == int(post["id"])
