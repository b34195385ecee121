"""Moderators' decisions become data, end to end: `/flags stats` after real clicks.

A moderator resolves an advice flag and a crisis flag, dismisses a second advice flag, and
resolves a member's report of a message the detector let through as a crisis: the table then
says advice 2 flagged / 1 confirmed / 1 dismissed (precision 0.50), crisis 1 / 1 / 0 with one
miss, and one member report, resolved. A member who tries the command is refused.

The learned model is off here so that which message the detector lets through depends on the
rules alone (the model's verdicts move whenever it is refitted).
"""

from __future__ import annotations

from typing import Any

from tests.e2e.test_moderation_review import CRISIS, post_and_wait, until_recorded
from tests.fake_discord.guild import (
    GENERAL_CHANNEL_ID,
    MEMBER_ID,
    MOD_ID,
    OTHER_MEMBER_ID,
    REVIEW_CHANNEL_ID,
)
from tests.harness import Harness

ADVICE = "My neuro offered Kesimpta but should I stop my Tecfidera first? Scared to change"
OTHER_ADVICE = "should my husband stop his Ocrevus before the HSCT assessment?"
# A goodbye the rules do not catch; the moderator who reads it knows better.
QUIET_GOODBYE = "logging off for good after today, it was nice knowing some of you"


def flag_id(review: dict[str, Any]) -> int:
    return int(review["embeds"][0]["title"].rsplit("#", 1)[1])


def table_rows(text: str) -> dict[str, list[str]]:
    """The code-block table of one window: category -> its cells."""
    body = text.strip("`\n").splitlines()
    assert body[0].split() == [
        "category",
        "flagged",
        "confirmed",
        "dismissed",
        "missed",
        "precision",
    ]
    return {line.split()[0]: line.split()[1:] for line in body[1:]}


async def click(harness: Harness, review: dict[str, Any], action: str) -> None:
    record = await harness.fake.click(
        f"flag:{flag_id(review)}:{action}", message_id=int(review["id"]), user_id=MOD_ID
    )
    assert (await record.response())["type"] == 7, record.content


async def test_flags_stats_counts_confirmed_dismissed_and_a_report_the_detector_missed(
    harness: Harness,
) -> None:
    await harness.start({"models": {"enabled": False}})
    fake = harness.fake
    _, advice = await post_and_wait(harness, ADVICE)
    _, crisis = await post_and_wait(harness, CRISIS)
    _, other_advice = await post_and_wait(harness, OTHER_ADVICE, author=OTHER_MEMBER_ID)
    await click(harness, advice, "resolve")
    await click(harness, crisis, "claim")
    await click(harness, crisis, "resolve")
    await click(harness, other_advice, "dismiss")

    goodbye = await fake.send_message(GENERAL_CHANNEL_ID, OTHER_MEMBER_ID, QUIET_GOODBYE)
    await harness.handled(goodbye)
    assert len(fake.messages[REVIEW_CHANNEL_ID]) == 3  # the detector let it through
    report = await fake.message_command(
        "Report to moderators", target_message_id=int(goodbye["id"]), user_id=MEMBER_ID
    )
    await report.response()
    reported = await fake.wait_for(
        lambda: (
            fake.messages[REVIEW_CHANNEL_ID][3]
            if len(fake.messages[REVIEW_CHANNEL_ID]) > 3
            else None
        ),
        what="the report's review post",
    )
    await until_recorded(harness, int(reported["id"]))
    labels = [c["label"] for row in reported["components"] for c in row["components"]]
    assert labels[1:5] == [
        "Resolve: crisis",
        "Resolve: advice",
        "Resolve: promotion",
        "Resolve: other",
    ]
    await click(harness, reported, "resolve-crisis")
    state = {f["name"]: f["value"] for f in reported["embeds"][0]["fields"]}["State"]
    assert state == f"Resolved as crisis by <@{MOD_ID}>"

    stats = await fake.slash("flags", subcommand="stats", user_id=MOD_ID)
    await stats.response()
    assert stats.ephemeral
    [embed] = stats.embeds
    windows = {f["name"]: table_rows(f["value"]) for f in embed["fields"]}
    assert list(windows) == ["Last 7 days", "Last 30 days"]
    for rows in windows.values():
        assert rows == {
            "crisis": ["1", "1", "0", "1", "1.00"],
            "advice": ["2", "1", "1", "0", "0.50"],
            "promotion": ["0", "0", "0", "0", "—"],
            "member-report": ["1", "1", "0", "—", "1.00"],
        }
    assert QUIET_GOODBYE not in str(embed) and "Tecfidera" not in str(embed)

    refused = await fake.slash("flags", subcommand="stats", user_id=MEMBER_ID)
    await refused.response()
    assert refused.ephemeral and refused.content == "Only moderators can use this command."
    assert refused.embeds == []


def rows_of_labels(review: dict[str, Any]) -> list[list[str]]:
    return [[c["label"] for c in row["components"]] for row in review["components"]]


async def test_a_detector_flag_resolved_as_another_category_counts_as_its_miss(
    harness: Harness,
) -> None:
    await harness.start({"models": {"enabled": False}})
    fake = harness.fake
    _, review = await post_and_wait(harness, ADVICE)
    assert rows_of_labels(review) == [
        ["Claim", "Resolve", "Dismiss (false positive)", "Note"],
        ["Resolve as crisis", "Resolve as promotion", "Resolve as other"],
    ]
    flag = flag_id(review)

    refused = await fake.click(
        f"flag:{flag}:resolve-crisis", message_id=int(review["id"]), user_id=MEMBER_ID
    )
    await refused.response()
    assert refused.ephemeral and refused.content == "Only moderators can act on flags."
    assert review["edits"] == []

    await harness.restart()  # the buttons are answered by custom_id, after any restart
    await click(harness, review, "resolve-crisis")
    state = {f["name"]: f["value"] for f in review["embeds"][0]["fields"]}["State"]
    assert state == f"Resolved as crisis by <@{MOD_ID}>"
    assert all(c.get("disabled") for row in review["components"] for c in row["components"])
    [resolved] = [e for e in await harness.app.moderation.history(flag) if e.action == "resolve"]
    assert (resolved.actor_id, resolved.to_state, resolved.note) == (
        MOD_ID,
        "resolved",
        "resolved as crisis",
    )

    stats = await fake.slash("flags", subcommand="stats", user_id=MOD_ID)
    await stats.response()
    [embed] = stats.embeds
    for window in embed["fields"]:
        rows = table_rows(window["value"])
        assert rows["advice"] == ["1", "0", "1", "0", "0.00"]  # the detector was wrong
        assert rows["crisis"] == ["0", "0", "0", "1", "—"]  # and missed a crisis
