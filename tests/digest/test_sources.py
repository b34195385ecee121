"""The real fetchers against recorded-style payloads served on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.digest.model import CLINICALTRIALS, PUBMED, Evidence
from bot.digest.sources import clinicaltrials, feeds, pubmed
from bot.digest.sources.base import Window
from bot.http import FetchError, HttpClient, RateLimiter
from bot.settings import Settings
from tests.digest import payloads
from tests.digest.conftest import SettingsFactory
from tests.digest.fakes import FakeResearch, Fault, Feed

TODAY = datetime.now(UTC).date()


@pytest.fixture
async def http() -> AsyncIterator[HttpClient]:
    client = HttpClient(timeout=2, max_retries=1, backoff=0.01, max_retry_after=5)
    try:
        yield client
    finally:
        await client.close()


@pytest.fixture
def settings(make_settings: SettingsFactory) -> Settings:
    return make_settings()


FAST = RateLimiter(1000)


# -- PubMed -------------------------------------------------------------------------------


async def test_pubmed_search_then_summaries_with_labels_and_dois(
    research: FakeResearch, http: HttpClient, settings: Settings
) -> None:
    research.add_article(
        "40000001",
        "Intrathecal <i>mesenchymal</i> stem cells in progressive MS: a randomised trial",
        entrez=TODAY - timedelta(days=2),
        pubtypes=("Journal Article", "Randomized Controlled Trial"),
        doi="10.1016/S1474-4422(25)00001-X",
        journal="The Lancet. Neurology",
    )
    research.add_article(
        "40000002",
        "MSC-derived vesicles modulate microglia",
        entrez=TODAY - timedelta(days=1),
        animal=True,
    )
    research.add_article(
        "40000003",
        "Autologous HSCT in multiple sclerosis: a review",
        entrez=TODAY - timedelta(days=3),
        pubtypes=("Journal Article", "Review"),
    )
    research.add_article(
        "39999999", "Too old to be in the window", entrez=TODAY - timedelta(days=40)
    )

    items = await pubmed.fetch(
        http, settings.digest.pubmed, FAST, TODAY - timedelta(days=14), TODAY
    )

    by_key = {item.key: item for item in items}
    assert sorted(by_key) == ["40000001", "40000002", "40000003"]
    rct = by_key["40000001"]
    assert rct.source == PUBMED
    assert rct.title == "Intrathecal mesenchymal stem cells in progressive MS: a randomised trial"
    assert rct.kind is Evidence.RCT
    assert rct.doi == "10.1016/s1474-4422(25)00001-x"
    assert rct.url == "https://pubmed.ncbi.nlm.nih.gov/40000001/"
    assert rct.detail.startswith("The Lancet. Neurology · ")
    assert rct.news_date == TODAY - timedelta(days=2)
    assert by_key["40000002"].kind is Evidence.LAB, (
        "animal-only by MeSH, though the title is silent"
    )
    assert by_key["40000003"].kind is Evidence.REVIEW

    searches = research.seen("esearch")
    assert len(searches) == 2
    first = searches[0].query
    assert first["db"] == "pubmed" and first["datetype"] == "edat" and first["retmode"] == "json"
    assert first["tool"] == "ms-stemcell-bot" and first["email"] == "a@b.org"
    assert first["api_key"] == "test-key"
    assert first["mindate"] == (TODAY - timedelta(days=14)).strftime("%Y/%m/%d")
    assert "animals[mh] NOT humans[mh]" in searches[1].query["term"]
    assert research.seen("esummary")[0].query["id"].split(",") == [
        "40000001",
        "40000002",
        "40000003",
    ]


@pytest.mark.parametrize(
    ("pubtypes", "title", "expected"),
    [
        (
            ("Journal Article", "Clinical Trial Protocol"),
            "Autologous HSCT versus ocrelizumab: protocol for a randomised trial",
            Evidence.PROTOCOL,
        ),
        (("Editorial",), "A randomised trial of aHSCT at last", Evidence.COMMENT),
        (("Comment", "Journal Article"), "Randomised evidence for MSCs?", Evidence.COMMENT),
        (("Letter",), "Double-blind trial of MSCs: a reply", Evidence.COMMENT),
        (
            ("Journal Article", "Randomized Controlled Trial", "Retracted Publication"),
            "Mesenchymal stem cells in relapsing MS: a randomised trial",
            Evidence.RETRACTED,
        ),
        (("Retraction of Publication",), "Retraction: MSCs in MS", Evidence.RETRACTED),
        (("Preprint",), "Placebo-controlled trial of MSCs in MS", Evidence.PREPRINT),
    ],
)
async def test_pubmed_publication_types_outrank_title_words(
    research: FakeResearch,
    http: HttpClient,
    settings: Settings,
    pubtypes: tuple[str, ...],
    title: str,
    expected: Evidence,
) -> None:
    research.add_article("40000011", title, entrez=TODAY - timedelta(days=1), pubtypes=pubtypes)
    research.add_article(
        "40000012", "A randomised trial of aHSCT in MS", entrez=TODAY - timedelta(days=1)
    )

    items = await pubmed.fetch(
        http, settings.digest.pubmed, FAST, TODAY - timedelta(days=14), TODAY
    )

    by_key = {item.key: item for item in items}
    assert by_key["40000011"].kind is expected
    assert not by_key["40000011"].kind_guessed
    guessed = by_key["40000012"]
    assert guessed.kind is Evidence.RCT and guessed.kind_guessed, "not indexed: a title guess"


async def test_pubmed_with_nothing_new_makes_one_request(
    research: FakeResearch, http: HttpClient, settings: Settings
) -> None:
    items = await pubmed.fetch(http, settings.digest.pubmed, FAST, TODAY, TODAY)
    assert items == []
    assert len(research.requests) == 1


async def test_pubmed_skips_records_it_could_not_summarise() -> None:
    payload = payloads.esummary(
        [payloads.pubmed_doc("1", "A paper", entrez=TODAY, pubtypes=("Case Reports",))]
    )
    payload["result"]["uids"].append("2")
    payload["result"]["2"] = {"uid": "2", "error": "cannot get document summary"}
    items = pubmed.parse_summaries(payload)
    assert [(i.key, i.kind) for i in items] == [("1", Evidence.CASE_REPORT)]


@pytest.mark.parametrize(
    ("route", "fault", "message"),
    [
        ("esearch", Fault(200, body='{"esearchresult": {"ERROR": "bad term"}}'), "esearch"),
        ("esearch", Fault(200, body="<html>maintenance</html>"), "malformed JSON"),
        ("esummary", Fault(200, body='{"result": {"uids": "40000001"}}'), "esummary"),
        ("esummary", Fault(200, body='{"header": {}}'), "esummary answered unexpectedly"),
    ],
)
async def test_pubmed_malformed_payloads_are_errors_for_the_source(
    research: FakeResearch,
    http: HttpClient,
    settings: Settings,
    route: str,
    fault: Fault,
    message: str,
) -> None:
    research.add_article("40000001", "A paper", entrez=TODAY)
    research.fail(route, fault)
    with pytest.raises(FetchError, match=message):
        await pubmed.fetch(http, settings.digest.pubmed, FAST, TODAY - timedelta(days=3), TODAY)


def test_pubmed_asks_no_faster_than_ncbi_allows(make_settings: SettingsFactory) -> None:
    keyless = make_settings(digest={"pubmed": {"api_key": ""}}).digest.pubmed
    keyed = make_settings().digest.pubmed
    assert pubmed.rate_limiter(keyed).interval == pytest.approx(0.1)
    assert pubmed.rate_limiter(keyless.model_copy(update={"api_key": None})).interval == (
        pytest.approx(1 / 3)
    )


# -- ClinicalTrials.gov -------------------------------------------------------------------


async def test_trials_follow_page_tokens_and_carry_phase_and_status(
    research: FakeResearch, http: HttpClient, make_settings: SettingsFactory
) -> None:
    settings = make_settings(digest={"clinicaltrials": {"page_size": 2}})
    for n in range(5):
        research.add_trial(
            f"NCT0000000{n}",
            f"Stem cells in MS, study {n}",
            updated=TODAY - timedelta(days=n),
            first_posted=TODAY - timedelta(days=400),
            phases=("PHASE1", "PHASE2"),
            sponsor="Karolinska  University Hospital" if n == 1 else None,
        )
    research.add_trial(
        "NCT00000009",
        "Registry of people with MS after aHSCT",
        updated=TODAY - timedelta(days=1),
        first_posted=TODAY - timedelta(days=1),
        phases=(),
        study_type="OBSERVATIONAL",
        status="NOT_YET_RECRUITING",
    )
    research.add_trial(
        "NCT00000010",
        "Old news",
        updated=TODAY - timedelta(days=60),
        first_posted=TODAY - timedelta(days=900),
    )

    items = await clinicaltrials.fetch(
        http, settings.digest.clinicaltrials, FAST, TODAY - timedelta(days=14)
    )

    assert len(items) == 6
    assert len({item.key for item in items}) == 6
    pages = research.seen("studies")
    assert len(pages) == 3
    assert "pageToken" not in pages[0].query
    assert pages[1].query["pageToken"] == "page-2"
    first = pages[0].query
    assert first["query.cond"] == "Multiple Sclerosis"
    assert first["filter.advanced"] == (
        f"AREA[LastUpdatePostDate]RANGE[{(TODAY - timedelta(days=14)).isoformat()},MAX]"
    )
    by_key = {item.key: item for item in items}
    trial = by_key["NCT00000001"]
    assert trial.source == CLINICALTRIALS
    assert trial.version == (TODAY - timedelta(days=1)).isoformat()
    assert trial.detail == "Clinical trial, phase 1/2 · recruiting"
    assert trial.url == f"{research.base}/study/NCT00000001"
    assert trial.first_posted == TODAY - timedelta(days=400)
    assert trial.sponsor == "Karolinska University Hospital"
    assert by_key["NCT00000002"].sponsor == "", "no sponsor listed, none invented"
    assert "LeadSponsorName" in first["fields"].split(",")
    registry = by_key["NCT00000009"]
    assert registry.kind is Evidence.OBSERVATIONAL
    assert registry.detail == "Observational study · not yet recruiting"


async def test_trials_stop_when_a_page_token_repeats(
    research: FakeResearch, http: HttpClient, settings: Settings
) -> None:
    looping = '{"studies": [], "nextPageToken": "again"}'
    research.fail("studies", Fault(200, body=looping), Fault(200, body=looping))
    with pytest.raises(FetchError, match="repeated a page token"):
        await clinicaltrials.fetch(http, settings.digest.clinicaltrials, FAST, TODAY)


@pytest.mark.parametrize(
    "body",
    [
        '{"studies": {"nctId": "NCT1"}}',
        '{"studies": [{"protocolSection": {"identificationModule": {"nctId": "not-an-id"}}}]}',
        '{"studies": [{"protocolSection": {}}]}',
        "[]",
    ],
)
async def test_trials_malformed_payloads_are_errors_for_the_source(
    research: FakeResearch, http: HttpClient, settings: Settings, body: str
) -> None:
    research.fail("studies", Fault(200, body=body, content_type="application/json"))
    with pytest.raises(FetchError, match="trial registry answered unexpectedly"):
        await clinicaltrials.fetch(http, settings.digest.clinicaltrials, FAST, TODAY)


# -- feeds --------------------------------------------------------------------------------


async def test_rss_keys_dates_dois_and_conditional_get(
    research: FakeResearch, http: HttpClient, make_settings: SettingsFactory
) -> None:
    research.feeds["news"] = Feed(
        payloads.rss(
            [
                {
                    "guid": "post-1",
                    "title": "New MSC trial opens",
                    "link": "https://n.example/1",
                    "date": TODAY,
                    "doi": "10.1000/ABC.1",
                },
                {"title": "No guid here", "link": "https://n.example/2", "date": TODAY},
                {"title": "Neither guid nor link", "date": TODAY - timedelta(days=1)},
            ]
        ),
        etag='"v1"',
        last_modified="Mon, 05 Jan 2026 08:00:00 GMT",
    )
    feed = make_settings(
        digest={"feeds": [{"name": "News", "url": research.feed_url("news")}]}
    ).digest.feeds[0]

    first = await feeds.fetch(http, feed)
    keys = [item.key for item in first.items]
    assert keys == [
        "post-1",
        "https://n.example/2",
        f"Neither guid nor link|{(TODAY - timedelta(days=1)).isoformat()}",
    ]
    assert first.items[0].doi == "10.1000/abc.1"
    assert first.items[0].news_date == TODAY
    assert first.items[0].source == "feed:News"
    assert first.items[2].url == ""
    assert (first.etag, first.last_modified) == ('"v1"', "Mon, 05 Jan 2026 08:00:00 GMT")

    again = await feeds.fetch(http, feed, etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.items == []
    sent = research.seen("feed")[1].headers
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Mon, 05 Jan 2026 08:00:00 GMT"


async def test_atom_feeds_work_too(
    research: FakeResearch, http: HttpClient, make_settings: SettingsFactory
) -> None:
    research.feeds["journal"] = Feed(
        payloads.atom(
            [
                {
                    "title": "Remyelination in cuprizone-fed mice after MSC infusion",
                    "link": "https://doi.org/10.1234/jn.2026.77",
                    "id": "urn:jn:77",
                    "date": TODAY,
                }
            ]
        ),
        content_type="application/atom+xml",
    )
    feed = make_settings(
        digest={"feeds": [{"name": "Journal", "url": research.feed_url("journal")}]}
    ).digest.feeds[0]
    result = await feeds.fetch(http, feed)
    [item] = result.items
    assert item.key == "urn:jn:77"
    assert item.doi == "10.1234/jn.2026.77"
    assert item.kind is Evidence.LAB


async def test_a_feed_without_a_name_is_called_by_its_own_title_in_one_short_line(
    research: FakeResearch, http: HttpClient, make_settings: SettingsFactory
) -> None:
    entries = [{"title": "Remyelination", "link": "https://j/1", "id": "urn:1", "date": TODAY}]
    long = "Journal of <i>Stem Cells</i>\n in MS " + "and more " * 40
    research.feeds["journal"] = Feed(payloads.atom(entries, title=long))
    research.feeds["untitled"] = Feed(payloads.atom(entries, title=""))
    settings = make_settings(
        digest={
            "feeds": [{"url": research.feed_url("journal")}, {"url": research.feed_url("untitled")}]
        }
    )
    journal, untitled = feeds.configured(settings.digest, http)
    assert (journal.name, untitled.name) == ("127.0.0.1", "127.0.0.1")

    fetched = await journal.fetch(Window(TODAY, TODAY))
    assert fetched.items[0].source == f"feed:{research.feed_url('journal')}"
    assert journal.name.startswith("Journal of Stem Cells in MS and more")
    assert len(journal.name) <= 100 and "\n" not in journal.name
    assert journal.group.title == journal.name
    await untitled.fetch(Window(TODAY, TODAY))
    assert untitled.name == "127.0.0.1", "no title of its own: still its host"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<rss><channel><item><title>cut off", "the feed document is cut off"),
        (b'<rss version="2.0"><channel><item><link>https://a/1</link>', "cut off"),
        (b"<html><body><p>We moved!</p></body></html>", "not"),
        (b"\x00\x01\x02garbage", "not"),
    ],
)
async def test_malformed_or_non_feeds_are_errors_for_that_feed(
    research: FakeResearch,
    http: HttpClient,
    make_settings: SettingsFactory,
    body: bytes,
    message: str,
) -> None:
    research.feeds["bad"] = Feed(body, content_type="text/html")
    feed = make_settings(
        digest={"feeds": [{"name": "Bad", "url": research.feed_url("bad")}]}
    ).digest.feeds[0]
    with pytest.raises(FetchError, match=message):
        await feeds.fetch(http, feed)


async def test_feeds_with_common_flaws_are_still_read(
    research: FakeResearch, http: HttpClient, make_settings: SettingsFactory
) -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
        b"<item><title>Stem cells &amp; MS:&nbsp;what we know</title>"
        b"<link>https://a.example/1?x=1&y=2</link></item></channel></rss>"
    )
    research.feeds["flawed"] = Feed(body)
    feed = make_settings(
        digest={"feeds": [{"name": "Flawed", "url": research.feed_url("flawed")}]}
    ).digest.feeds[0]
    result = await feeds.fetch(http, feed)
    assert [item.title for item in result.items] == ["Stem cells & MS: what we know"]
