"""DigestService end to end against the fake research server and a real database."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.chat import ChannelUnavailable, ChatError
from bot.digest.model import PUBMED
from bot.digest.render import message_text
from bot.digest.service import DigestService
from bot.digest.store import DigestStore
from bot.storage import Database
from tests.digest import payloads
from tests.digest.conftest import RecordingChat, ServiceFactory, SettingsFactory
from tests.digest.fakes import FakeResearch, Fault, Feed

NOW = datetime.now(UTC).replace(microsecond=0)
TODAY = NOW.date()
SLOT_1 = NOW - timedelta(days=14)
SLOT_2 = NOW - timedelta(days=7)
SLOT_3 = NOW


def seed(research: FakeResearch) -> None:
    """Two recent papers, one old paper, one recent trial, one old registration updated lately."""
    research.add_article(
        "41000001",
        "Bone marrow MSCs in progressive MS: a randomised phase 2 trial",
        entrez=TODAY - timedelta(days=3),
        pubtypes=("Randomized Controlled Trial",),
        doi="10.1000/rct.1",
    )
    research.add_article(
        "41000002",
        "aHSCT for aggressive MS: a cohort study",
        entrez=TODAY - timedelta(days=5),
        pubtypes=("Observational Study",),
    )
    research.add_trial(
        "NCT05000001",
        "Umbilical cord MSCs in relapsing MS",
        updated=TODAY - timedelta(days=2),
        first_posted=TODAY - timedelta(days=2),
    )
    research.add_trial(
        "NCT03000001",
        "RAM-MS: aHSCT versus best available therapy",
        updated=TODAY - timedelta(days=4),
        first_posted=TODAY - timedelta(days=2000),
        phases=("PHASE3",),
    )


def all_text(chat: RecordingChat) -> str:
    return "\n".join(message_text(m) for m in chat.messages)


async def count(db: Database, table: str) -> int:
    row = await db.fetchone(f"SELECT COUNT(*) AS n FROM {table}")
    assert row is not None
    return int(row["n"])


# -- a run, and a second run with the same items ------------------------------------------


async def test_a_run_posts_one_grouped_message_and_a_second_run_posts_nothing(
    research: FakeResearch, make_service: ServiceFactory, chat: RecordingChat
) -> None:
    seed(research)
    service = await make_service()

    first = await service.run(SLOT_1)

    assert first.status == "posted"
    assert len(chat.messages) == 1
    message = chat.messages[0]
    assert [card.title for card in message.cards] == [
        "New on PubMed",
        "Trials on ClinicalTrials.gov",
    ]
    text = all_text(chat)
    assert "Bone marrow MSCs in progressive MS: a randomised phase 2 trial" in text
    assert "Randomised controlled trial" in text and "Observational study" in text
    assert "Newly registered · Clinical trial, phase 2 · recruiting" in text
    assert "Updated · Clinical trial, phase 3" in text, "an old registration is not 'new'"
    assert first.item_count == 4 and first.message_id == chat.message_ids[0]

    second = await service.run(SLOT_2)
    assert second.status == "empty"
    assert len(chat.messages) == 1
    assert chat.notices == []


async def test_the_same_slot_runs_once(
    research: FakeResearch, make_service: ServiceFactory, chat: RecordingChat
) -> None:
    seed(research)
    service = await make_service()
    first = await service.run(SLOT_1)
    research.add_article("41000003", "Another paper", entrez=TODAY)
    again = await service.run(SLOT_1)
    assert again.status == "already_done"
    assert again.message_id == first.message_id
    assert len(chat.messages) == 1


async def test_a_new_paper_and_an_updated_trial_appear_in_the_next_digest(
    research: FakeResearch, make_service: ServiceFactory, chat: RecordingChat
) -> None:
    seed(research)
    service = await make_service()
    await service.run(SLOT_1)

    research.add_article("41000003", "Intrathecal MSC-NP: long-term follow-up", entrez=TODAY)
    research.add_trial(
        "NCT05000001",
        "Umbilical cord MSCs in relapsing MS",
        updated=TODAY,
        first_posted=TODAY - timedelta(days=2),
        status="ACTIVE_NOT_RECRUITING",
    )
    result = await service.run(SLOT_2)

    assert result.status == "posted" and result.item_count == 2
    second = message_text(chat.messages[1])
    assert "Intrathecal MSC-NP: long-term follow-up" in second
    assert "Updated · Clinical trial, phase 2 · active, not recruiting" in second
    assert "Bone marrow MSCs" not in second, "nothing is posted twice"
    assert "1 new paper on PubMed, 1 updated trial" in chat.messages[1].content


async def test_the_first_run_posts_nothing_older_than_the_lookback(
    research: FakeResearch,
    make_settings: SettingsFactory,
    make_service: ServiceFactory,
    chat: RecordingChat,
) -> None:
    research.feeds["news"] = Feed(
        payloads.rss(
            [
                {
                    "guid": "fresh",
                    "title": "Trial results presented",
                    "link": "https://n/1",
                    "date": TODAY - timedelta(days=2),
                },
                {
                    "guid": "stale",
                    "title": "Last year's story",
                    "link": "https://n/2",
                    "date": TODAY - timedelta(days=200),
                },
                {"guid": "undated", "title": "Undated page", "link": "https://n/3"},
            ]
        )
    )
    settings = make_settings(
        digest={
            "pubmed": {"enabled": False},
            "clinicaltrials": {"enabled": False},
            "feeds": [{"name": "News", "url": research.feed_url("news")}],
        }
    )
    service = await make_service(settings)
    await service.run(SLOT_1)
    text = all_text(chat)
    assert "Trial results presented" in text
    assert "Last year's story" not in text and "Undated page" not in text

    # later, a newly listed undated entry is news; the old ones never come back
    research.feeds["news"] = Feed(
        payloads.rss(
            [
                {
                    "guid": "stale",
                    "title": "Last year's story",
                    "link": "https://n/2",
                    "date": TODAY - timedelta(days=200),
                },
                {"guid": "undated", "title": "Undated page", "link": "https://n/3"},
                {
                    "guid": "brand-new",
                    "title": "Clinic warning from regulators",
                    "link": "https://n/4",
                },
            ]
        )
    )
    await service.run(SLOT_2)
    assert len(chat.messages) == 2
    second = message_text(chat.messages[1])
    assert "Clinic warning from regulators" in second
    assert "Last year's story" not in second and "Undated page" not in second


async def test_one_doi_from_two_sources_is_posted_once_ever(
    research: FakeResearch,
    make_settings: SettingsFactory,
    make_service: ServiceFactory,
    chat: RecordingChat,
) -> None:
    seed(research)
    research.feeds["journal"] = Feed(
        payloads.rss(
            [
                {
                    "guid": "j1",
                    "title": "Bone marrow MSCs in progressive MS (journal feed)",
                    "link": "https://doi.org/10.1000/RCT.1",
                    "date": TODAY,
                },
            ]
        )
    )
    settings = make_settings(
        digest={"feeds": [{"name": "Journal", "url": research.feed_url("journal")}]}
    )
    service = await make_service(settings)
    await service.run(SLOT_1)
    text = all_text(chat)
    assert "Bone marrow MSCs in progressive MS: a randomised phase 2 trial" in text
    assert "(journal feed)" not in text

    # the same paper re-listed later under a new id is still the same paper
    research.feeds["journal"] = Feed(
        payloads.rss(
            [
                {
                    "guid": "j1-again",
                    "title": "Bone marrow MSCs (re-listed)",
                    "link": "https://example.org/x",
                    "doi": "10.1000/rct.1",
                    "date": TODAY,
                },
            ]
        )
    )
    result = await service.run(SLOT_2)
    assert result.status == "empty"
    assert len(chat.messages) == 1


# -- crashes, refusals and the start-up check ---------------------------------------------


class Crash(Exception):
    """Stands for the process dying: nothing after it runs."""


async def crash_after_posting(
    service: DigestService, chat: RecordingChat, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def die(*args: object, **kwargs: object) -> None:
        raise Crash

    with monkeypatch.context() as patch:
        patch.setattr(DigestStore, "finish_run", die)
        with pytest.raises(Crash):
            await service.run(SLOT_1)
    assert len(chat.messages) == 1, "Discord accepted the message before the crash"


async def restart(make_service: ServiceFactory) -> DigestService:
    """A new process on the same database: its start-up check has run when this returns."""
    service = await make_service()
    service.start()
    await service.started()
    return service


async def test_a_crash_after_discord_accepted_is_found_at_start_not_posted_again(
    research: FakeResearch,
    make_service: ServiceFactory,
    chat: RecordingChat,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed(research)
    await crash_after_posting(await make_service(), chat, monkeypatch)

    restarted = await restart(make_service)
    assert len(chat.messages) == 1 and chat.notices == []
    research.add_article("41000003", "A paper from after the crash", entrez=TODAY)
    again = await restarted.run(SLOT_1)
    assert again.status == "already_done", "the slot was found posted, not posted again"
    assert again.message_id == chat.message_ids[0]
    nxt = await restarted.run(SLOT_2)
    assert nxt.status == "posted"
    assert len(chat.messages) == 2
    second = message_text(chat.messages[1])
    assert "A paper from after the crash" in second
    assert "Bone marrow MSCs" not in second
    assert (await restarted.latest()) == chat.messages[1]


async def test_a_crash_with_unreadable_history_is_assumed_sent_and_moderators_told_once(
    research: FakeResearch,
    make_service: ServiceFactory,
    chat: RecordingChat,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed(research)
    await crash_after_posting(await make_service(), chat, monkeypatch)
    chat.history_readable = False
    restarted = await restart(make_service)
    [notice] = chat.notices
    assert "stopped while posting" in notice and "please check" in notice
    result = await restarted.run(SLOT_2)
    assert result.status == "empty", "its items count as posted"
    assert len(chat.messages) == 1 and len(chat.notices) == 1


async def test_a_crash_before_the_post_left_posts_the_recorded_message_once_at_start(
    research: FakeResearch,
    make_service: ServiceFactory,
    chat: RecordingChat,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed(research)
    service = await make_service()
    real_begin = DigestStore.begin_run

    async def record_then_die(self: DigestStore, *args: object, **kwargs: object) -> None:
        await real_begin(self, *args, **kwargs)  # type: ignore[arg-type]
        raise Crash

    with monkeypatch.context() as patch:
        patch.setattr(DigestStore, "begin_run", record_then_die)
        with pytest.raises(Crash):
            await service.run(SLOT_3)  # the latest slot: no catch-up
    assert chat.messages == []
    research.add_article("41000003", "Arrived meanwhile", entrez=TODAY)

    restarted = await restart(make_service)
    [message] = chat.messages
    assert "Bone marrow MSCs" in message_text(message)
    assert "Arrived meanwhile" not in message_text(message), "the message recorded before"
    assert (await restarted.run(SLOT_3)).status == "already_done"
    nxt = await restarted.run(SLOT_3 + timedelta(days=7))
    assert nxt.item_count == 1 and "Arrived meanwhile" in message_text(chat.messages[1])
    assert chat.notices == []


async def test_a_post_lost_in_transit_is_settled_before_anything_else_is_posted(
    research: FakeResearch, make_service: ServiceFactory, chat: RecordingChat
) -> None:
    seed(research)
    service = await make_service()
    chat.refuse_with = ChatError("lost in transit: ClientOSError", retryable=True)
    lost = await service.run(SLOT_1)
    assert lost.status == "unknown" and chat.messages == []
    research.add_article("41000003", "Arrived meanwhile", entrez=TODAY)
    assert (await service.run(SLOT_2)).status == "unknown", "nothing new while it is unsettled"

    chat.refuse_with = None
    assert await service.settle()
    assert len(chat.messages) == 1
    assert "Arrived meanwhile" not in message_text(chat.messages[0]), "the recorded message"
    assert await service.settle()
    assert len(chat.messages) == 1
    nxt = await service.run(SLOT_2)
    assert nxt.item_count == 1
    assert "Arrived meanwhile" in message_text(chat.messages[1])


async def test_a_refused_message_keeps_its_items_and_tells_the_moderators(
    research: FakeResearch, make_service: ServiceFactory, chat: RecordingChat
) -> None:
    seed(research)
    service = await make_service()
    chat.refuse_with = ChannelUnavailable("Discord answered 403: Missing Permissions", status=403)
    failed = await service.run(SLOT_1)
    assert failed.status == "failed" and chat.messages == []
    [notice] = chat.notices
    assert "could not be posted (Discord answered 403: Missing Permissions)" in notice

    chat.refuse_with = None
    retried = await service.run(SLOT_1)
    assert retried.status == "posted" and retried.item_count == 4


async def test_discord_unavailable_keeps_the_items_for_the_next_slot(
    research: FakeResearch, make_service: ServiceFactory, chat: RecordingChat
) -> None:
    seed(research)
    service = await make_service()
    chat.refuse_with = ChatError("Discord answered 503: upstream", retryable=True, status=503)
    assert (await service.run(SLOT_1)).status == "failed"
    chat.refuse_with = None
    nxt = await service.run(SLOT_2)
    assert nxt.status == "posted" and nxt.item_count == 4
    assert "Bone marrow MSCs" in message_text(chat.messages[0])
    assert (await service.run(SLOT_3)).status == "empty"
    assert len(chat.messages) == 1


async def test_the_start_up_check_catches_up_one_missed_slot(
    research: FakeResearch, make_service: ServiceFactory, chat: RecordingChat
) -> None:
    seed(research)
    await (await make_service()).run(SLOT_1)  # then the bot was down for two weeks
    research.add_article("41000003", "Ten-year follow-up of aHSCT", entrez=TODAY)

    restarted = await restart(make_service)
    assert len(chat.messages) == 2, "one catch-up digest, not one per missed slot"
    assert "Ten-year follow-up of aHSCT" in message_text(chat.messages[1])
    assert (await restarted.scheduled_run(NOW)).status == "already_done"  # type: ignore[union-attr]
    assert len(chat.messages) == 2


# -- failing sources ------------------------------------------------------------------------


async def test_a_failing_source_lets_the_others_post_with_exactly_one_notice(
    research: FakeResearch,
    make_settings: SettingsFactory,
    make_service: ServiceFactory,
    chat: RecordingChat,
    caplog: pytest.LogCaptureFixture,
) -> None:
    seed(research)
    research.fail("esearch", *[Fault(500)] * 3)
    service = await make_service(make_settings(digest={"disable_after_failures": 3}))
    with caplog.at_level(logging.WARNING):
        first = await service.run(SLOT_1)
    assert first.status == "posted"
    assert set(first.failed_sources) == {PUBMED}
    assert "Umbilical cord MSCs" in all_text(chat)
    assert len(chat.notices) == 1
    assert chat.notices[0].startswith("Research digest: PubMed could not be read: HTTP 500")
    assert any("giving up" in r.getMessage() for r in caplog.records)

    research.fail("esearch", *[Fault(500)] * 3)
    await service.run(SLOT_2)
    assert len(chat.notices) == 1, "no second notice while it stays failing"

    research.fail("esearch", *[Fault(500)] * 3)
    await service.run(SLOT_3)
    assert len(chat.notices) == 2 and "paused" in chat.notices[1]
    statuses = {s.source: s for s in await service.status()}
    assert statuses[PUBMED].state == "disabled" and statuses[PUBMED].failures == 3

    # paused: scheduled runs leave it alone
    asked = len(research.seen("esearch"))
    await service.run(SLOT_3 + timedelta(days=7))
    assert len(research.seen("esearch")) == asked

    # an admin's run now tries it again; it works, moderators hear it once
    manual = await service.run(SLOT_3 + timedelta(days=8), include_disabled=True)
    assert manual.status == "posted"
    assert "Bone marrow MSCs" in message_text(chat.messages[-1])
    assert len(chat.notices) == 3 and chat.notices[2] == "Research digest: PubMed works again."
    assert {s.source: s.state for s in await service.status()}[PUBMED] == "ok"


async def test_malformed_and_slow_sources_fail_alone(
    research: FakeResearch,
    make_settings: SettingsFactory,
    make_service: ServiceFactory,
    chat: RecordingChat,
) -> None:
    seed(research)
    research.feeds["broken"] = Feed(b"<rss><channel><item><title>half")
    research.fail("studies", Fault(200, body="{not json", content_type="application/json"))
    research.fail("esearch", Fault(200, delay=1.0))
    settings = make_settings(
        digest={
            "timeout_seconds": 0.2,
            "max_retries": 0,
            "feeds": [{"name": "Broken", "url": research.feed_url("broken")}],
        }
    )
    service = await make_service(settings)
    result = await service.run(SLOT_1)
    assert set(result.failed_sources) == {"pubmed", "clinicaltrials", "feed:Broken"}
    assert "within 0.2s" in result.failed_sources["pubmed"]
    assert "malformed JSON" in result.failed_sources["clinicaltrials"]
    assert "cut off" in result.failed_sources["feed:Broken"]
    assert result.status == "empty" and chat.messages == []
    assert len(chat.notices) == 3


async def test_feeds_are_fetched_conditionally_after_the_first_time(
    research: FakeResearch,
    make_settings: SettingsFactory,
    make_service: ServiceFactory,
    chat: RecordingChat,
) -> None:
    research.feeds["news"] = Feed(
        payloads.rss([{"guid": "a", "title": "Item", "link": "https://n/a", "date": TODAY}]),
        etag='"abc"',
    )
    settings = make_settings(
        digest={
            "pubmed": {"enabled": False},
            "clinicaltrials": {"enabled": False},
            "feeds": [{"name": "News", "url": research.feed_url("news")}],
        }
    )
    service = await make_service(settings)
    await service.run(SLOT_1)
    result = await service.run(SLOT_2)
    assert result.status == "empty" and result.failed_sources == {}
    assert research.seen("feed")[1].headers.get("If-None-Match") == '"abc"'
    assert [s.state for s in await service.status()] == ["ok"]


# -- catch-up, preview, latest, status ------------------------------------------------------


async def test_after_downtime_there_is_one_catch_up_slot(
    research: FakeResearch,
    make_settings: SettingsFactory,
    make_service: ServiceFactory,
    chat: RecordingChat,
) -> None:
    settings = make_settings(digest={"schedule": "0 9 * * MON", "timezone": "Europe/London"})
    service = await make_service(settings)
    monday = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    assert await service.missed_slot(monday + timedelta(days=30)) is None, "never ran: no catch-up"

    seed(research)
    await service.run(monday)
    assert await service.missed_slot(monday + timedelta(days=3)) is None
    three_weeks_later = monday + timedelta(days=23)
    missed = await service.missed_slot(three_weeks_later)
    assert missed == datetime(2026, 1, 26, 9, 0, tzinfo=UTC), "only the latest missed slot"
    await service.run(missed)
    assert await service.missed_slot(three_weeks_later) is None


async def test_preview_prints_the_next_digest_and_records_nothing(
    research: FakeResearch, make_service: ServiceFactory, db: Database
) -> None:
    seed(research)
    service = await make_service()
    text = (await service.preview()).text
    assert "nothing is posted or recorded" in text
    assert "Bone marrow MSCs in progressive MS" in text
    assert "<https://pubmed.ncbi.nlm.nih.gov/41000001/>" in text
    for table in ("digest_items", "digest_runs", "source_health"):
        assert await count(db, table) == 0

    narrow = (await service.preview(days=4)).text
    assert "Bone marrow MSCs" in narrow and "cohort study" not in narrow


async def test_preview_reports_a_failing_source(
    research: FakeResearch, make_service: ServiceFactory
) -> None:
    research.fail("studies", *[Fault(503)] * 3)
    seed(research)
    text = (await (await make_service()).preview()).text
    assert "ClinicalTrials.gov: failed: HTTP 503" in text
    assert "1 of 2 sources failed; a run now would leave them out" in text
    assert "Bone marrow MSCs" in text


async def test_latest_and_status(
    research: FakeResearch, make_service: ServiceFactory, chat: RecordingChat
) -> None:
    service = await make_service()
    assert await service.latest() is None
    seed(research)
    await service.run(SLOT_1)
    assert await service.latest() == chat.messages[0]
    statuses = await service.status()
    assert [(s.name, s.state) for s in statuses] == [
        ("PubMed", "ok"),
        ("ClinicalTrials.gov", "ok"),
    ]
    assert all(s.last_success is not None for s in statuses)
    card = service.status_card(statuses, datetime(2026, 3, 4, 12, 0, tzinfo=UTC))
    assert "Next digest: Mon 9 Mar 2026 09:00 (UTC)" in card.description


async def test_a_feed_listed_by_url_alone_is_called_by_its_title_and_keyed_by_its_url(
    research: FakeResearch,
    make_settings: SettingsFactory,
    make_service: ServiceFactory,
    chat: RecordingChat,
    db: Database,
) -> None:
    entries = [
        {"guid": "n1", "title": "Trial results presented", "link": "https://n/1", "date": TODAY}
    ]
    research.feeds["plain"] = Feed(payloads.rss(entries, title="MS Society research news"))
    research.feeds["named"] = Feed(payloads.rss(entries, title="Not this title"))
    url = research.feed_url("plain")
    settings = make_settings(
        digest={
            "pubmed": {"enabled": False},
            "clinicaltrials": {"enabled": False},
            "feeds": [{"url": url}, {"name": "Clinic news", "url": research.feed_url("named")}],
        }
    )
    service = await make_service(settings)
    before = [s.name for s in await service.status()]
    assert before == ["127.0.0.1", "Clinic news"], "before its first fetch: the host"

    await service.run(SLOT_1)
    assert [card.title for card in chat.messages[0].cards] == [
        "MS Society research news",
        "Clinic news",
    ]
    assert [s.name for s in await service.status()] == ["MS Society research news", "Clinic news"]
    rows = await db.fetchall("SELECT DISTINCT source FROM digest_items ORDER BY source")
    # a named feed keeps the key it had before names became optional
    assert sorted(row["source"] for row in rows) == sorted([f"feed:{url}", "feed:Clinic news"])

    # the publisher retitles the feed: same key, so nothing is posted again
    research.feeds["plain"] = Feed(payloads.rss(entries, title="MS Society: research"))
    research.feeds["named"] = Feed(payloads.rss(entries, title="Renamed too"))
    result = await service.run(SLOT_2)
    assert result.status == "empty"
    assert len(chat.messages) == 1
    assert [s.name for s in await service.status()] == ["MS Society: research", "Clinic news"]
