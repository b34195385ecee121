"""The shared HTTP client against a local server: retries, Retry-After, timeouts, bad bodies."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from aiohttp import web

from bot.http import FetchError, HttpClient, RateLimiter
from tests.digest import payloads
from tests.digest.fakes import FakeResearch, Fault
from tests.digest.unreachable import INVALID_HOST, closed_port, resolves_offline_fast


class Sleeps:
    """Records the pauses the client asks for instead of waiting them out."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


def client(sleep: Sleeps, *, timeout: float = 2.0, retries: int = 3) -> HttpClient:
    return HttpClient(
        timeout=timeout, max_retries=retries, backoff=0.5, max_retry_after=60, sleep=sleep
    )


def esearch_url(research: FakeResearch) -> str:
    return research.eutils + "esearch.fcgi"


QUERY = {"mindate": "2020/01/01", "maxdate": "2030/01/01", "term": "ms", "api_key": "SECRET"}


async def test_retries_5xx_with_growing_backoff_then_succeeds(
    research: FakeResearch, caplog: pytest.LogCaptureFixture
) -> None:
    research.fail("esearch", Fault(500), Fault(503))
    sleeps = Sleeps()
    http = client(sleeps)
    try:
        with caplog.at_level(logging.WARNING, logger="bot.http"):
            data = await http.get_json(esearch_url(research), source="pubmed", params=QUERY)
    finally:
        await http.close()
    assert data == payloads.esearch([])
    assert sleeps.delays == [0.5, 1.0]
    failures = [r.getMessage() for r in caplog.records]
    assert len(failures) == 2
    assert "HTTP 500" in failures[0] and "attempt 1 of 4" in failures[0]
    assert "HTTP 503" in failures[1]
    assert all("SECRET" not in line for line in failures), "the API key must never be logged"


async def test_429_waits_as_long_as_retry_after_says(research: FakeResearch) -> None:
    research.fail("esearch", Fault(429, headers={"Retry-After": "7"}))
    sleeps = Sleeps()
    http = client(sleeps)
    try:
        await http.get_json(esearch_url(research), source="pubmed", params=QUERY)
    finally:
        await http.close()
    assert sleeps.delays == [7.0]
    assert len(research.seen("esearch")) == 2


async def test_retry_after_longer_than_the_cap_fails_the_source_at_once(
    research: FakeResearch,
) -> None:
    research.fail("esearch", Fault(429, headers={"Retry-After": "3600"}))
    sleeps = Sleeps()
    http = client(sleeps)
    try:
        with pytest.raises(FetchError, match="asks to wait 3600s"):
            await http.get_json(esearch_url(research), source="pubmed", params=QUERY)
    finally:
        await http.close()
    assert sleeps.delays == []
    assert len(research.seen("esearch")) == 1


async def test_client_errors_are_not_retried(research: FakeResearch) -> None:
    sleeps = Sleeps()
    http = client(sleeps)
    try:
        with pytest.raises(FetchError, match="HTTP 404"):
            await http.get(research.feed_url("missing"), source="feed:x")
    finally:
        await http.close()
    assert sleeps.delays == []


async def test_persistent_5xx_gives_up_after_the_retries(research: FakeResearch) -> None:
    research.fail("esearch", *[Fault(502)] * 3)
    http = client(Sleeps(), retries=2)
    try:
        with pytest.raises(FetchError) as caught:
            await http.get_json(esearch_url(research), source="pubmed", params=QUERY)
    finally:
        await http.close()
    assert str(caught.value).endswith(
        "HTTP 502 from 127.0.0.1:"
        + research.base.rsplit(":", 1)[1]
        + "/eutils/esearch.fcgi after 3 attempts"
    )


async def test_a_slow_server_past_the_timeout_is_a_clear_failure(research: FakeResearch) -> None:
    research.fail("esearch", Fault(200, delay=1.0), Fault(200, delay=1.0))
    http = client(Sleeps(), timeout=0.1, retries=1)
    try:
        with pytest.raises(FetchError, match=r"no answer from .* within 0.1s after 2 attempts"):
            await http.get_json(esearch_url(research), source="pubmed", params=QUERY)
    finally:
        await http.close()


async def test_malformed_json_is_a_fetch_error(research: FakeResearch) -> None:
    research.fail(
        "esearch",
        Fault(200, body='{"esearchresult": {"idlist": ["1",', content_type="application/json"),
    )
    http = client(Sleeps())
    try:
        with pytest.raises(FetchError, match="malformed JSON"):
            await http.get_json(esearch_url(research), source="pubmed", params=QUERY)
    finally:
        await http.close()


async def test_a_refused_connection_gets_one_quick_retry_not_the_5xx_backoff(
    caplog: pytest.LogCaptureFixture,
) -> None:
    port = closed_port()
    sleeps = Sleeps()
    http = client(sleeps, retries=3)
    try:
        with pytest.raises(FetchError) as info:
            await http.get(f"http://127.0.0.1:{port}/feed", source="feed:x")
    finally:
        await http.close()
    assert str(info.value) == (
        f"cannot reach 127.0.0.1:{port}/feed (connection refused) after 2 attempts"
    )
    assert sleeps.delays == [0.5], "one quick retry, not 0.5, 1 and 2 s"
    assert "(attempt 2 of 2), giving up" in caplog.text


async def test_a_host_name_that_does_not_resolve_gets_one_quick_retry() -> None:
    name = INVALID_HOST  # RFC 6761: never resolves
    if not await resolves_offline_fast(name):
        pytest.skip("this machine's resolver does not fail fast for .invalid names offline")
    sleeps = Sleeps()
    http = HttpClient(timeout=5, max_retries=3, backoff=5.0, max_retry_after=60, sleep=sleeps)
    try:
        with pytest.raises(FetchError) as info:
            await asyncio.wait_for(http.get(f"http://{name}/rss", source="feed:x"), 20)
    finally:
        await http.close()
    assert str(info.value).startswith(f"cannot reach {name}/rss (host name not found: ")
    assert str(info.value).endswith(" after 2 attempts")
    assert sleeps.delays == [1.0], "the pause is capped at a second, whatever the backoff"


async def test_rate_limiter_spaces_request_starts() -> None:
    now = [100.0]
    waits: list[float] = []

    async def sleep(delay: float) -> None:
        waits.append(round(delay, 3))
        now[0] += delay

    limiter = RateLimiter(3.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(4):
        await limiter.wait()
    assert waits == [0.333, 0.333, 0.333]
    now[0] += 5
    await limiter.wait()
    assert len(waits) == 3, "after a quiet spell the next request goes at once"


async def test_a_large_body_sent_in_many_chunks_is_read_whole() -> None:
    """A page of 100 studies with their sites is megabytes; it must arrive whole, not cut at
    the first chunk the socket delivers."""

    data = {"studies": [{"n": i, "text": "x" * 500} for i in range(4000)]}  # about 2 MB

    async def big(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        body = json.dumps(data).encode()
        for start in range(0, len(body), 10_000):
            await response.write(body[start : start + 10_000])
        await response.write_eof()
        return response

    app = web.Application()
    app.router.add_get("/big", big)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    http = client(Sleeps())
    try:
        assert await http.get_json(f"http://127.0.0.1:{port}/big", source="test") == data
    finally:
        await http.close()
        await runner.cleanup()
