"""Reports from members, the moderators' `/flags` commands, and the daily privacy job."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from tests.fake_discord.guild import (
    BOT_USER_ID,
    EXEMPT_CHANNEL_ID,
    GENERAL_CHANNEL_ID,
    GUILD_ID,
    MEMBER_ID,
    MOD_ID,
    MOD_ROLE_ID,
    OTHER_BOT_ID,
    OTHER_MEMBER_ID,
    REVIEW_CHANNEL_ID,
)
from tests.harness import Harness

CRISIS = "I can't do this anymore. I've been saving up my pills and I think tonight's the night"
ADVICE = "should my husband stop his Ocrevus before the HSCT assessment?"


def fields(message: dict[str, Any]) -> dict[str, str]:
    return {f["name"]: f["value"] for f in message["embeds"][0]["fields"]}


async def review_post(harness: Harness, n: int = 1) -> dict[str, Any]:
    fake = harness.fake
    post = await fake.wait_for(
        lambda: (
            fake.messages[REVIEW_CHANNEL_ID][n - 1]
            if len(fake.messages[REVIEW_CHANNEL_ID]) >= n
            else None
        ),
        what=f"review post #{n}",
    )
    for _ in range(100):  # the bot stores the post's id just after sending it
        row = await harness.app.db.fetchone(
            "SELECT id FROM flags WHERE review_message_id = ?", (int(post["id"]),)
        )
        if row is not None:
            return post
        await asyncio.sleep(0.02)
    raise AssertionError("review post never recorded")


async def test_report_to_moderators_thanks_privately_and_raises_a_flag(running: Harness) -> None:
    fake = running.fake
    names = {(c["name"], c["type"]) for c in fake.guild_commands[GUILD_ID]}
    assert ("Report to moderators", 3) in names
    target = await fake.send_message(
        GENERAL_CHANNEL_ID,
        OTHER_MEMBER_ID,
        "Honestly this whole thread is rubbish and so are all of you",
    )
    report = await fake.message_command(
        "Report to moderators", target_message_id=int(target["id"]), user_id=MEMBER_ID
    )
    await report.response()
    assert report.ephemeral and report.content.startswith("Thank you for telling us.")
    post = await review_post(running)
    assert post["embeds"][0]["title"].startswith("Reported by a member")
    assert fields(post)["Reported by"] == f"<@{MEMBER_ID}>"
    assert fields(post)["Author"] == f"<@{OTHER_MEMBER_ID}>"
    [flag] = await running.app.moderation.list_flags()
    assert flag.category == "member-report" and flag.reporters == (MEMBER_ID,)

    again = await fake.message_command(
        "Report to moderators", target_message_id=int(target["id"]), user_id=MOD_ID
    )
    await again.response()
    edited = await fake.wait_for_edit(int(post["id"]))
    assert fields(edited)["Reported by"] == f"<@{MEMBER_ID}> <@{MOD_ID}>"
    assert len(fake.messages[REVIEW_CHANNEL_ID]) == 1
    assert fake.pings() == []


async def test_a_reported_crisis_reaches_moderators_at_once_with_one_ping(
    running: Harness,
) -> None:
    """The report path logs at INFO on its way to the ping: it must work at the bot's level."""
    fake = running.fake
    # Posted where the bot does not watch, so only the member's report brings it to moderators.
    target = await fake.send_message(EXEMPT_CHANNEL_ID, OTHER_MEMBER_ID, CRISIS)
    report = await fake.message_command(
        "Report to moderators", target_message_id=int(target["id"]), user_id=MEMBER_ID
    )
    await report.response()
    assert report.ephemeral and report.content.startswith("Thank you for telling us.")
    post = await review_post(running)  # within the fake's 5 s wait, not the one-minute retry
    assert post["content"].startswith(f"<@&{MOD_ROLE_ID}>")
    [ping] = fake.pings()
    assert (ping.channel_id, ping.roles, ping.users, ping.everyone) == (
        REVIEW_CHANNEL_ID,
        {MOD_ROLE_ID},
        set(),
        False,
    )
    [flag] = await running.app.moderation.list_flags()
    assert flag.reporters == (MEMBER_ID,)


async def test_reporting_yourself_or_a_bot_is_refused_kindly(running: Harness) -> None:
    fake = running.fake
    own = await fake.send_message(GENERAL_CHANNEL_ID, MEMBER_ID, "hello everyone")
    bot = await fake.send_message(GENERAL_CHANNEL_ID, OTHER_BOT_ID, "beep boop")
    for target in (own, bot):
        record = await fake.message_command(
            "Report to moderators", target_message_id=int(target["id"]), user_id=MEMBER_ID
        )
        await record.response()
        assert record.ephemeral
    assert "your own message" in (await _content(fake, own))
    assert "posted by a bot" in (await _content(fake, bot))
    for target in (own, bot):
        await running.handled(target)  # the bot is done with both messages and both reports
    assert fake.messages[REVIEW_CHANNEL_ID] == []
    assert await running.app.moderation.list_flags() == []


async def _content(fake: Any, target: dict[str, Any]) -> str:
    [record] = [
        r for r in fake.interactions.values() if r.payload["data"].get("target_id") == target["id"]
    ]
    return str(record.content)


async def test_flags_list_and_show_for_moderators_only(running: Harness) -> None:
    fake = running.fake
    await fake.send_message(GENERAL_CHANNEL_ID, MEMBER_ID, ADVICE)
    post = await review_post(running)
    flag_id = int(post["embeds"][0]["title"].rsplit("#", 1)[1])

    [command] = [c for c in fake.guild_commands[GUILD_ID] if c["name"] == "flags"]
    manage_messages = 1 << 13
    assert int(command["default_member_permissions"]) == manage_messages
    refused = await fake.slash("flags", subcommand="list", user_id=MEMBER_ID)
    await refused.response()
    assert refused.ephemeral and refused.content == "Only moderators can use this command."

    listing = await fake.slash("flags", subcommand="list", user_id=MOD_ID)
    await listing.response()
    [card] = listing.embeds
    assert listing.ephemeral and card["title"] == "Flags: 1 open or claimed"
    assert f"**#{flag_id}** advice · open" in card["description"]
    assert f"https://discord.com/channels/{GUILD_ID}/{GENERAL_CHANNEL_ID}/" in card["description"]

    click = await fake.click(f"flag:{flag_id}:resolve", message_id=int(post["id"]), user_id=MOD_ID)
    await click.response()
    resolved = await fake.slash(
        "flags", subcommand="list", options={"state": "resolved"}, user_id=MOD_ID
    )
    await resolved.response()
    assert resolved.embeds[0]["title"] == "Flags: 1 resolved"

    show = await fake.slash("flags", subcommand="show", options={"id": flag_id}, user_id=MOD_ID)
    await show.response()
    review, history = show.embeds
    assert review["title"].endswith(f"flag #{flag_id}")
    assert f"resolved by <@{MOD_ID}> (open → resolved)" in history["description"]

    missing = await fake.slash("flags", subcommand="show", options={"id": 9999}, user_id=MOD_ID)
    await missing.response()
    assert missing.ephemeral and missing.content.startswith("There is no flag #9999.")
    assert fake.pings() == []


async def test_the_daily_job_removes_old_excerpts_and_edits_the_posts(running: Harness) -> None:
    fake = running.fake
    sent = await fake.send_message(GENERAL_CHANNEL_ID, MEMBER_ID, ADVICE)
    post = await review_post(running)
    flag_id = int(post["embeds"][0]["title"].rsplit("#", 1)[1])
    click = await fake.click(f"flag:{flag_id}:dismiss", message_id=int(post["id"]), user_id=MOD_ID)
    await click.response()
    job = running.app.job("moderation-purge")  # daily at purge_time (03:30 UTC by default)
    assert running.running is not None and running.running.scheduler.get_job(job.id)
    assert (str(job.trigger.fields[5]), str(job.trigger.fields[6])) == ("3", "30")

    assert await job.run() == []  # closed just now: kept for retention_days
    service = running.app.moderation
    service.clock = lambda: service.store.clock() + timedelta(days=31)
    [purged] = await job.run()  # type: ignore[misc]
    assert purged.id == flag_id
    assert fields(post)["Excerpt"] == "Removed after the retention period (privacy)."
    assert "Ocrevus" not in str(post["embeds"])
    assert sent["id"] in fields(post)["Message"]


async def test_bot_messages_and_its_own_posts_are_never_flagged(running: Harness) -> None:
    fake = running.fake
    sent = await fake.send_message(GENERAL_CHANNEL_ID, OTHER_BOT_ID, "should I stop my ocrevus?")
    await running.handled(sent)
    assert fake.messages[REVIEW_CHANNEL_ID] == []
    assert BOT_USER_ID not in {f.author_id for f in await running.app.moderation.list_flags()}
