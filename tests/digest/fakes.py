"""Local stand-ins for PubMed, ClinicalTrials.gov and news feeds, on 127.0.0.1.

One aiohttp server plays all three, from state the test sets (articles, trials, feeds), and
applies the same filters the real services do (entry date, last-update range, paging). A test
can queue faults per route (status, Retry-After, malformed body, a slow answer) that are served
before the normal answer, and read back every request it received.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from aiohttp import web

from tests.digest import payloads


@dataclass
class Fault:
    status: int = 500
    body: bytes | str = b"Internal Server Error"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    content_type: str = "text/plain"


@dataclass
class Feed:
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = "application/rss+xml"


@dataclass
class Seen:
    route: str
    query: dict[str, str]
    headers: dict[str, str]


class FakeResearch:
    """Routes: /eutils/esearch.fcgi, /eutils/esummary.fcgi, /api/v2/studies, /feeds/{name}."""

    def __init__(self) -> None:
        self.articles: list[dict[str, Any]] = []
        self.animal_ids: set[str] = set()
        self.trials: list[dict[str, Any]] = []
        self.feeds: dict[str, Feed] = {}
        self.faults: dict[str, list[Fault]] = defaultdict(list)
        self.requests: list[Seen] = []
        self._runner: web.AppRunner | None = None
        self.base = ""

    # -- test-facing helpers ---------------------------------------------------------------

    def add_article(self, pmid: str, title: str, *, entrez: date, **kw: Any) -> None:
        animal = kw.pop("animal", False)
        self.articles.append(payloads.pubmed_doc(pmid, title, entrez=entrez, **kw))
        if animal:
            self.animal_ids.add(pmid)

    def add_trial(self, nct: str, title: str, **kw: Any) -> None:
        self.trials = [t for t in self.trials if _nct(t) != nct]
        self.trials.append(payloads.study(nct, title, **kw))

    def fail(self, route: str, *faults: Fault) -> None:
        self.faults[route].extend(faults)

    def seen(self, route: str) -> list[Seen]:
        return [r for r in self.requests if r.route == route]

    @property
    def eutils(self) -> str:
        return f"{self.base}/eutils/"

    def feed_url(self, name: str) -> str:
        return f"{self.base}/feeds/{name}"

    def digest_settings(self, *, max_retries: int) -> dict[str, Any]:
        """A `[digest]` section with PubMed and ClinicalTrials.gov pointed here, fast to fail."""
        return {
            "timeout_seconds": 2.0,
            "max_retries": max_retries,
            "retry_backoff_seconds": 0.01,
            "pubmed": {"enabled": True, "base_url": self.eutils, "api_key": "k"},
            "clinicaltrials": {"enabled": True, "base_url": self.base, "requests_per_second": 10},
        }

    # -- server ------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/eutils/esearch.fcgi", self._route("esearch", self._esearch))
        app.router.add_get("/eutils/esummary.fcgi", self._route("esummary", self._esummary))
        app.router.add_get("/api/v2/studies", self._route("studies", self._studies))
        app.router.add_get("/feeds/{name}", self._route("feed", self._feed))
        self._runner = web.AppRunner(app, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.base = f"http://{host}:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def _route(self, name: str, handler: Any) -> Any:
        async def serve(request: web.Request) -> web.StreamResponse:
            self.requests.append(Seen(name, dict(request.query), dict(request.headers)))
            if self.faults[name]:
                fault = self.faults[name].pop(0)
                if fault.delay:
                    await asyncio.sleep(fault.delay)
                return web.Response(
                    status=fault.status,
                    body=fault.body.encode() if isinstance(fault.body, str) else fault.body,
                    headers=fault.headers,
                    content_type=fault.content_type,
                )
            return await handler(request)

        return serve

    async def _esearch(self, request: web.Request) -> web.Response:
        since = datetime.strptime(request.query["mindate"], "%Y/%m/%d").date()
        until = datetime.strptime(request.query["maxdate"], "%Y/%m/%d").date()
        animals = "animals[mh]" in request.query["term"]
        ids = [
            doc["uid"]
            for doc in self.articles
            if since <= _entrez(doc) <= until and (not animals or doc["uid"] in self.animal_ids)
        ]
        return _json(payloads.esearch(ids))

    async def _esummary(self, request: web.Request) -> web.Response:
        wanted = request.query["id"].split(",")
        docs = [doc for doc in self.articles if doc["uid"] in wanted]
        return _json(payloads.esummary(docs))

    async def _studies(self, request: web.Request) -> web.Response:
        advanced = request.query["filter.advanced"]
        since = date.fromisoformat(advanced.split("RANGE[")[1].split(",")[0])
        matching = [t for t in self.trials if _updated(t) >= since]
        matching.sort(key=_updated, reverse=True)
        size = int(request.query.get("pageSize", "100"))
        token = request.query.get("pageToken")
        start = int(token.removeprefix("page-")) if token else 0
        page: dict[str, Any] = {"studies": matching[start : start + size]}
        if start + size < len(matching):
            page["nextPageToken"] = f"page-{start + size}"
        return _json(page)

    async def _feed(self, request: web.Request) -> web.Response:
        feed = self.feeds.get(request.match_info["name"])
        if feed is None:
            return web.Response(status=404, text="no such feed")
        if feed.etag and request.headers.get("If-None-Match") == feed.etag:
            return web.Response(status=304)
        headers = {}
        if feed.etag:
            headers["ETag"] = feed.etag
        if feed.last_modified:
            headers["Last-Modified"] = feed.last_modified
        return web.Response(body=feed.body, headers=headers, content_type=feed.content_type)


def _json(data: Any) -> web.Response:
    return web.Response(text=json.dumps(data), content_type="application/json")


def _entrez(doc: dict[str, Any]) -> date:
    for entry in doc["history"]:
        if entry["pubstatus"] == "entrez":
            return datetime.strptime(entry["date"][:10], "%Y/%m/%d").date()
    raise AssertionError("no entrez date")


def _nct(study: dict[str, Any]) -> str:
    return study["protocolSection"]["identificationModule"]["nctId"]


def _updated(study: dict[str, Any]) -> date:
    struct = study["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]
    return date.fromisoformat(struct["date"])
