"""PubMed through E-utilities: esearch for new PMIDs, esummary for their details.

The window is PubMed's entry date (`edat`), when a record appeared, not the journal's
issue date, which can lie months away. A second esearch with `animals[mh] NOT humans[mh]`
asks PubMed's own MeSH indexing which of the records are animal-only, so those are labelled
lab research even when the title does not say so.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, ValidationError

from bot.digest.evidence import classify_title, pubmed_kind
from bot.digest.model import PUBMED, Item
from bot.digest.render import Group
from bot.digest.sources.base import Fetched, Source, Window
from bot.digest.sources.common import clean_title, first_error, normalise_doi
from bot.http import FetchError, HttpClient, RateLimiter
from bot.settings import DigestSettings, PubMedSettings

ARTICLE_URL = "https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
SEARCH_URL = "https://pubmed.ncbi.nlm.nih.gov/"
SUMMARY_BATCH = 200
ANIMALS_ONLY = "animals[mh] NOT humans[mh]"
COLOUR = 0x326599


class _Payload(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _ESearchResult(_Payload):
    idlist: list[str]


class _ESearch(_Payload):
    esearchresult: _ESearchResult


class _ArticleId(_Payload):
    idtype: str
    value: str


class _History(_Payload):
    pubstatus: str
    date: str


class _DocSum(_Payload):
    uid: str
    title: str = ""
    pubdate: str = ""
    sortpubdate: str = ""
    fulljournalname: str = ""
    source: str = ""
    pubtype: list[str] = []
    articleids: list[_ArticleId] = []
    history: list[_History] = []
    elocationid: str = ""
    error: str | None = None


class _Result(_Payload):
    uids: list[str]


class _ESummary(_Payload):
    result: dict[str, Any]


def rate_limiter(settings: PubMedSettings) -> RateLimiter:
    """NCBI's published limit: 3 requests a second, 10 with an API key."""
    return RateLimiter(10.0 if settings.api_key else 3.0)


def search_url(settings: PubMedSettings) -> str:
    """PubMed's own search for the same query, newest first, for "and N more"."""
    return f"{SEARCH_URL}?{urlencode({'term': settings.query, 'sort': 'date'})}"


async def fetch(
    http: HttpClient,
    settings: PubMedSettings,
    limiter: RateLimiter,
    since: date,
    until: date,
) -> list[Item]:
    """Records that entered PubMed between `since` and `until` (inclusive)."""
    base = settings.base_url.rstrip("/") + "/"
    common = {"db": "pubmed", "retmode": "json", "tool": settings.tool}
    if settings.email:
        common["email"] = settings.email
    if settings.api_key:
        common["api_key"] = settings.api_key.get_secret_value()
    window = {
        "datetype": "edat",
        "mindate": since.strftime("%Y/%m/%d"),
        "maxdate": until.strftime("%Y/%m/%d"),
        "retmax": str(settings.max_results),
    }

    async def search(term: str) -> list[str]:
        params = {**common, **window, "term": term}
        payload = await http.get_json(
            base + "esearch.fcgi", source=PUBMED, params=params, limiter=limiter
        )
        try:
            return _ESearch.model_validate(payload).esearchresult.idlist
        except ValidationError as exc:
            raise FetchError(f"esearch answered unexpectedly ({first_error(exc)})") from None

    pmids = await search(settings.query)
    if not pmids:
        return []
    animals_only = set(await search(f"({settings.query}) AND ({ANIMALS_ONLY})"))
    items: list[Item] = []
    for start in range(0, len(pmids), SUMMARY_BATCH):
        batch = pmids[start : start + SUMMARY_BATCH]
        params = {**common, "id": ",".join(batch)}
        payload = await http.get_json(
            base + "esummary.fcgi", source=PUBMED, params=params, limiter=limiter
        )
        items.extend(parse_summaries(payload, animals_only))
    return items


def parse_summaries(payload: Any, animals_only: Collection[str] = ()) -> list[Item]:
    """esummary JSON -> items; records PubMed could not summarise are skipped."""
    try:
        result = _ESummary.model_validate(payload).result
        uids = _Result.model_validate(result).uids
        docs = [_DocSum.model_validate(result[uid]) for uid in uids if uid in result]
    except ValidationError as exc:
        raise FetchError(f"esummary answered unexpectedly ({first_error(exc)})") from None
    items = []
    for doc in docs:
        if doc.error or not doc.title.strip():
            continue
        title = clean_title(doc.title)
        journal = doc.fulljournalname or doc.source
        detail = " · ".join(part for part in (journal, doc.pubdate) if part)
        indexed = pubmed_kind(doc.pubtype, animals_only=doc.uid in animals_only)
        items.append(
            Item(
                source=PUBMED,
                key=doc.uid,
                title=title,
                url=ARTICLE_URL.format(pmid=doc.uid),
                doi=_doi(doc),
                kind=indexed if indexed is not None else classify_title(title),
                kind_guessed=indexed is None,
                detail=detail,
                news_date=_entrez_date(doc),
            )
        )
    return items


def _doi(doc: _DocSum) -> str | None:
    for article_id in doc.articleids:
        if article_id.idtype.lower() == "doi":
            return normalise_doi(article_id.value)
    return normalise_doi(doc.elocationid)


def _entrez_date(doc: _DocSum) -> date | None:
    for entry in doc.history:
        if entry.pubstatus == "entrez":
            return _date(entry.date)
    return _date(doc.sortpubdate)


def _date(value: str) -> date | None:
    try:
        return datetime.strptime(value[:10], "%Y/%m/%d").date()
    except ValueError:
        return None


class PubMedSource:
    """The `[digest.pubmed]` search as a digest source."""

    id = PUBMED
    name = "PubMed"

    def __init__(self, settings: PubMedSettings, http: HttpClient) -> None:
        self.settings = settings
        self.http = http
        self.limiter = rate_limiter(settings)
        self.group = Group(PUBMED, "New on PubMed", search_url(settings), COLOUR)

    async def fetch(self, window: Window) -> Fetched:
        # E-utilities' maxdate is a day; a day more keeps today's late entries in.
        until = window.until + timedelta(days=1)
        items = await fetch(self.http, self.settings, self.limiter, window.since, until)
        return Fetched(items)


def configured(config: DigestSettings, http: HttpClient) -> list[Source]:
    return [PubMedSource(config.pubmed, http)] if config.pubmed.enabled else []
