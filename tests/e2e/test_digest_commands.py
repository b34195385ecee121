"""`/digest latest|now|status` as members and admins use them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.digest.fakes import FakeResearch, Fault
from tests.fake_discord.guild import ADMIN_ID, DIGEST_CHANNEL_ID, MEMBER_ID
from tests.harness import Harness

TODAY = datetime.now(UTC).date()


@pytest.fixture
async def bot_with_sources(harness: Harness, research: FakeResearch) -> Harness:
    research.add_article(
        "44000001",
        "Mesenchymal stem cells in progressive MS: a phase 2 open-label study",
        entrez=TODAY - timedelta(days=1),
    )
    await harness.start(settings={"digest": research.digest_settings(max_retries=0)})
    return harness


async def test_latest_before_any_digest_says_so_privately(bot_with_sources: Harness) -> None:
    record = await bot_with_sources.fake.slash("digest", subcommand="latest", user_id=MEMBER_ID)
    await record.response()
    assert record.ephemeral
    assert record.content == "No research digest has been posted yet."


async def test_members_cannot_run_or_inspect_the_digest(bot_with_sources: Harness) -> None:
    for name in ("now", "status"):
        record = await bot_with_sources.fake.slash("digest", subcommand=name, user_id=MEMBER_ID)
        await record.response()
        assert record.ephemeral
        assert record.content == "Only server admins can use this command."
    assert bot_with_sources.fake.messages[DIGEST_CHANNEL_ID] == []


async def test_an_admin_runs_the_digest_now_and_anyone_can_read_it_after(
    bot_with_sources: Harness, research: FakeResearch
) -> None:
    fake = bot_with_sources.fake
    research.fail("studies", Fault(503))
    record = await fake.slash("digest", subcommand="now", user_id=ADMIN_ID)
    callback = await record.response()
    assert callback["type"] == 5, "deferred first: fetching can take longer than 3 s"
    reply = await record.wait_followup()
    assert reply["content"] == (
        "Posted a digest with 1 item. Sources that failed: clinicaltrials (see `/digest status`)."
    )
    [posted] = fake.messages[DIGEST_CHANNEL_ID]
    assert "phase 2 open-label study" in posted["embeds"][0]["description"]

    latest = await fake.slash("digest", subcommand="latest", user_id=MEMBER_ID)
    await latest.response()
    assert latest.ephemeral
    assert latest.embeds == posted["embeds"]
    assert latest.content == posted["content"]

    status = await fake.slash("digest", subcommand="status", user_id=ADMIN_ID)
    await status.response()
    assert status.ephemeral
    [embed] = status.embeds
    assert "Next digest: Mon" in embed["description"]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["PubMed"].startswith("OK, last success")
    assert fields["ClinicalTrials.gov"].startswith("Failing (1 run in a row), no success yet")
    assert "HTTP 503" in fields["ClinicalTrials.gov"]
    assert fake.pings() == []
