"""Scheduled research digests through the real bot, the fake Discord and fake research services.

A scheduled run is triggered by calling what the digest's job runs, with the moment it fires,
instead of waiting for the clock; a restart is followed by awaiting the digest's start-up
check. Everything else is as in production: the cron trigger, the fetchers over HTTP, the
database, and the message Discord receives.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from apscheduler.triggers.cron import CronTrigger

from bot.digest.model import CLINICALTRIALS, PUBMED
from bot.digest.service import JOB_ID
from bot.digest.store import DigestStore
from tests.digest.fakes import FakeResearch, Fault
from tests.fake_discord import RequestRecord
from tests.fake_discord.guild import BOT_USER_ID, DIGEST_CHANNEL_ID, REVIEW_CHANNEL_ID, Perm
from tests.harness import Harness

NOW = datetime.now(UTC)
TODAY = NOW.date()
Job = Callable[..., Coroutine[Any, Any, Any]]


def seed(research: FakeResearch) -> None:
    research.add_article(
        "43000001",
        "Autologous HSCT versus alemtuzumab in relapsing MS: a randomised trial",
        entrez=TODAY - timedelta(days=2),
        pubtypes=("Randomized Controlled Trial",),
        doi="10.1000/e2e.1",
    )
    research.add_article(
        "43000002",
        "MSC exosomes reduce demyelination in cuprizone-fed mice",
        entrez=TODAY - timedelta(days=4),
    )
    research.add_trial(
        "NCT06000001",
        "Intrathecal MSC-NP in progressive MS",
        updated=TODAY - timedelta(days=3),
        first_posted=TODAY - timedelta(days=3),
    )


async def start(harness: Harness, research: FakeResearch, **digest: Any) -> Job:
    settings = {"digest": research.digest_settings(max_retries=1) | digest}
    await harness.start(settings=settings)
    return scheduled_run(harness)


def scheduled_run(harness: Harness) -> Job:
    """What the digest's scheduled job runs; called with the moment it fires."""
    [job] = [job for job in harness.app.jobs() if job.id == JOB_ID]
    assert job.run == harness.app.digest.scheduled_run
    return harness.app.digest.scheduled_run


def digests(harness: Harness) -> list[dict[str, Any]]:
    return list(harness.fake.messages[DIGEST_CHANNEL_ID])


def text(message: dict[str, Any]) -> str:
    parts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        parts += [embed.get("title", ""), embed.get("description", "")]
    return "\n".join(parts)


async def test_a_scheduled_run_posts_one_digest_message(
    harness: Harness, research: FakeResearch
) -> None:
    seed(research)
    run = await start(harness, research)
    [trigger] = [job.trigger for job in harness.app.jobs() if job.id == JOB_ID]
    assert isinstance(trigger, CronTrigger) and str(trigger.timezone) == "UTC"

    await run(now=NOW)

    [message] = digests(harness)
    assert [e["title"] for e in message["embeds"]] == [
        "New on PubMed",
        "Trials on ClinicalTrials.gov",
    ]
    body = text(message)
    assert "Autologous HSCT versus alemtuzumab in relapsing MS: a randomised trial" in body
    assert "Randomised controlled trial" in body
    assert "Lab research (animals or cells)" in body
    assert "Newly registered · Clinical trial, phase 2 · recruiting" in body
    assert harness.fake.pings() == []
    assert harness.fake.messages[REVIEW_CHANNEL_ID] == []


async def test_a_second_run_with_the_same_items_posts_nothing(
    harness: Harness, research: FakeResearch
) -> None:
    seed(research)
    run = await start(harness, research)
    await run(now=NOW)
    await run(now=NOW)  # the same slot again
    await run(now=NOW + timedelta(days=7))  # the next slot, nothing new
    assert len(digests(harness)) == 1


async def test_a_new_item_and_an_updated_trial_appear_in_the_next_digest(
    harness: Harness, research: FakeResearch
) -> None:
    seed(research)
    run = await start(harness, research)
    await run(now=NOW)
    research.add_article("43000003", "Fertility after aHSCT for MS: a cohort study", entrez=TODAY)
    research.add_trial(
        "NCT06000001",
        "Intrathecal MSC-NP in progressive MS",
        updated=TODAY,
        first_posted=TODAY - timedelta(days=3),
        status="ACTIVE_NOT_RECRUITING",
    )
    await run(now=NOW + timedelta(days=7))

    _first, second = digests(harness)
    body = text(second)
    assert "Fertility after aHSCT for MS: a cohort study" in body
    assert "Updated · Clinical trial, phase 2 · active, not recruiting" in body
    assert "randomised trial" not in body, "nothing from the first digest comes back"


class Killed(BaseException):
    """The process dying at that point: no handler runs, nothing after it is recorded."""


async def die(*args: object, **kwargs: object) -> None:
    raise Killed


async def record_then_die(self: DigestStore, *args: Any, **kwargs: Any) -> None:
    """The process dying right after the run was recorded, before the post left."""
    await REAL_BEGIN_RUN(self, *args, **kwargs)
    raise Killed


REAL_BEGIN_RUN = DigestStore.begin_run


def digest_posts(harness: Harness) -> list[RequestRecord]:
    path = f"/channels/{DIGEST_CHANNEL_ID}/messages"
    return [r for r in harness.fake.requests if r.method == "POST" and r.path == path]


async def restart_and_settle(harness: Harness) -> DigestStore:
    """Restart on the same database and await the start-up check of the half-posted run."""
    await harness.restart()
    await asyncio.wait_for(harness.app.digest.started(), 10)
    store = harness.app.digest.store
    assert await store.runs_posting() == [], "the run left 'posting' was settled"
    return store


async def test_a_crash_after_discord_accepted_the_digest_is_found_not_reposted(
    harness: Harness, research: FakeResearch, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(research)
    run = await start(harness, research)
    with monkeypatch.context() as patch:
        patch.setattr(DigestStore, "finish_run", die)
        with pytest.raises(Killed):
            await run(now=NOW)
    [message] = digests(harness)  # Discord had accepted it; the database does not know
    store = harness.app.digest.store
    assert [r.status for r in await store.runs_posting()] == ["posting"]
    assert len(await store.pending([PUBMED, CLINICALTRIALS])) == 3

    store = await restart_and_settle(harness)

    assert digests(harness) == [message] and len(digest_posts(harness)) == 1, "not re-sent"
    history = f"/channels/{DIGEST_CHANNEL_ID}/messages"
    reads = [r for r in harness.fake.requests if r.method == "GET" and r.path == history]
    assert reads and all("after" in r.query for r in reads), "read back from the run's start"
    recorded = await store.latest_posted()
    assert recorded is not None and recorded.message_ids == (int(message["id"]),)
    assert await store.pending([PUBMED, CLINICALTRIALS]) == [], "its items are marked posted"
    research.add_article("43000004", "Registry report on MSC clinics", entrez=TODAY)
    run = scheduled_run(harness)
    await run(now=NOW)  # the crashed slot again: already done
    await run(now=NOW + timedelta(days=7))
    _first, second = digests(harness)
    assert "Registry report on MSC clinics" in text(second)
    assert "randomised trial" not in text(second) and "MSC-NP" not in text(second)
    assert harness.fake.messages[REVIEW_CHANNEL_ID] == [], "nobody had to check anything"


async def test_a_crash_before_the_digest_reached_discord_posts_it_once_at_restart(
    harness: Harness, research: FakeResearch, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(research)
    run = await start(harness, research)
    with monkeypatch.context() as patch:
        patch.setattr(DigestStore, "begin_run", record_then_die)
        with pytest.raises(Killed):
            await run(now=NOW)
    assert digests(harness) == [] and digest_posts(harness) == []
    research.add_article("43000006", "A paper that appeared meanwhile", entrez=TODAY)

    store = await restart_and_settle(harness)

    [message] = digests(harness)
    assert len(digest_posts(harness)) == 1
    assert "randomised trial" in text(message) and "MSC-NP" in text(message)
    assert "appeared meanwhile" not in text(message), "the message recorded before the crash"
    recorded = await store.latest_posted()
    assert recorded is not None and recorded.message_ids == (int(message["id"]),)
    run = scheduled_run(harness)
    await run(now=NOW)
    assert len(digests(harness)) == 1
    await run(now=NOW + timedelta(days=7))
    _first, second = digests(harness)
    assert "appeared meanwhile" in text(second) and "randomised trial" not in text(second)
    assert harness.fake.messages[REVIEW_CHANNEL_ID] == []


async def test_without_read_message_history_a_crashed_digest_is_assumed_posted(
    harness: Harness, research: FakeResearch, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The bot could not see the digest it posted, so it must not post it again.
    channel = harness.fake.world.channel(DIGEST_CHANNEL_ID)
    assert channel is not None
    deny = {"id": str(BOT_USER_ID), "type": 1, "allow": "0", "deny": str(Perm.READ_MESSAGE_HISTORY)}
    channel["permission_overwrites"] = [deny]
    seed(research)
    run = await start(harness, research)
    with monkeypatch.context() as patch:
        patch.setattr(DigestStore, "finish_run", die)
        with pytest.raises(Killed):
            await run(now=NOW)

    await restart_and_settle(harness)

    assert len(digests(harness)) == 1 and len(digest_posts(harness)) == 1
    [notice] = harness.fake.messages[REVIEW_CHANNEL_ID]
    assert "stopped while posting" in notice["content"] and "please check" in notice["content"]
    assert notice["content"].count("\n") == 0 and harness.fake.pings() == []
    run = scheduled_run(harness)
    await run(now=NOW + timedelta(days=7))
    assert len(digests(harness)) == 1, "nothing old comes back"


async def test_one_failing_source_lets_the_others_post_and_gives_exactly_one_notice(
    harness: Harness, research: FakeResearch
) -> None:
    seed(research)
    research.fail("esearch", Fault(500), Fault(500))
    run = await start(harness, research)

    await run(now=NOW)

    [message] = digests(harness)
    assert "Intrathecal MSC-NP in progressive MS" in text(message)
    assert "randomised trial" not in text(message)
    [notice] = harness.fake.messages[REVIEW_CHANNEL_ID]
    assert notice["content"].startswith("Research digest: PubMed could not be read: HTTP 500")

    research.fail("esearch", Fault(500), Fault(500))
    research.add_trial("NCT06000002", "aHSCT in paediatric MS", updated=TODAY, first_posted=TODAY)
    await run(now=NOW + timedelta(days=7))
    assert len(digests(harness)) == 2
    assert len(harness.fake.messages[REVIEW_CHANNEL_ID]) == 1, "still failing: no new notice"


async def test_after_downtime_one_catch_up_digest_is_posted_at_start(
    harness: Harness, research: FakeResearch
) -> None:
    seed(research)
    run = await start(harness, research)
    await run(now=NOW - timedelta(days=28))  # the last digest before the bot went down
    assert len(digests(harness)) == 1

    research.add_article("43000005", "Long-term safety of aHSCT: ten-year cohort", entrez=TODAY)
    research.add_trial("NCT06000003", "MSCs in optic neuritis", updated=TODAY, first_posted=TODAY)
    await harness.restart()  # three weekly slots were missed

    caught_up = await harness.fake.wait_for_message(
        DIGEST_CHANNEL_ID, lambda m: "ten-year cohort" in text(m)
    )
    assert "MSCs in optic neuritis" in text(caught_up)
    assert len(digests(harness)) == 2, "one catch-up digest, not one per missed slot"
    run = scheduled_run(harness)
    await run(now=NOW)
    assert len(digests(harness)) == 2


async def test_discord_refusing_the_digest_keeps_its_items_for_the_next_run(
    harness: Harness, research: FakeResearch
) -> None:
    seed(research)
    run = await start(harness, research)
    harness.fake.fail_next("POST", rf"^/channels/{DIGEST_CHANNEL_ID}/messages$", 503)
    await run(now=NOW)
    assert digests(harness) == []
    await run(now=NOW + timedelta(days=7))
    [message] = digests(harness)
    assert "Autologous HSCT versus alemtuzumab" in text(message)
    assert "Intrathecal MSC-NP in progressive MS" in text(message)
    await run(now=NOW + timedelta(days=14))
    assert len(digests(harness)) == 1


async def test_a_rate_limited_digest_is_posted_once(
    harness: Harness, research: FakeResearch
) -> None:
    seed(research)
    run = await start(harness, research)
    harness.fake.fail_next(
        "POST", rf"^/channels/{DIGEST_CHANNEL_ID}/messages$", 429, retry_after=0.05
    )
    await run(now=NOW)
    assert len(digests(harness)) == 1
