"""`faq links`: does every source an entry cites still open, and at the address written?

Members are told "check the sources"; a dead link makes the whole answer look careless, and
a moved one will die later. Each address is asked with HEAD (cheap), then with GET when HEAD
fails or is refused, as many servers refuse or mishandle HEAD. Redirects are followed; a
first hop that says *permanently* (301/308) is reported as moved, with the new address to
copy into the file. DOIs are resolved through a configurable resolver and only their end
matters: a DOI is the stable name, so publisher redirects behind it are not "moved".

Sites that refuse robots (401/403/429) cannot be judged from here: they are reported as not
checkable, to be opened in a browser, and do not fail the check.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Literal

import aiohttp
from yarl import URL

from bot import __version__
from bot.faq.model import FaqEntry

USER_AGENT = f"ms-stemcell-bot/{__version__} (+FAQ source link check; aiohttp)"
DOI_HOSTS = frozenset({"doi.org", "dx.doi.org", "www.doi.org"})
PERMANENT = frozenset({301, 308})
REFUSES_ROBOTS = frozenset({401, 403, 429})

Kind = Literal["ok", "moved", "unchecked", "dead"]


@dataclass(frozen=True)
class Link:
    """One source as written in one file (the same address may be cited by several)."""

    path: str
    line: int | None
    url: str

    @property
    def doi(self) -> str | None:
        return doi_of(self.url)


@dataclass(frozen=True)
class Outcome:
    kind: Kind
    detail: str = ""
    reached: bool = True  # False when no server answered (DNS, refused, unreachable)


@dataclass(frozen=True)
class LinkReport:
    link: Link
    outcome: Outcome

    def __str__(self) -> str:
        where = f"{self.link.path}:{self.link.line}" if self.link.line else self.link.path
        return f"{where}: {self.link.url}: {self.outcome.detail}"


def doi_of(url: str) -> str | None:
    """The DOI in a `https://doi.org/<doi>` address, or None for any other address."""
    parsed = URL(url)
    if parsed.host not in DOI_HOSTS:
        return None
    doi = parsed.raw_path.lstrip("/")
    return doi or None


def links_of(entries: Iterable[FaqEntry]) -> list[Link]:
    return [Link(str(e.path), s.line, s.url) for e in entries for s in e.sources]


async def check_links(
    links: Iterable[Link],
    *,
    concurrency: int = 4,
    request_timeout: float = 10.0,
    doi_resolver: str = "https://doi.org/",
) -> list[LinkReport]:
    """One report per link, in the order given. Each distinct address is asked once, at most
    `concurrency` at a time, each request given `request_timeout` seconds. Never raises."""
    links = list(links)
    resolver = doi_resolver.rstrip("/") + "/"
    targets: dict[tuple[str, bool], asyncio.Task[Outcome]] = {}
    gate = asyncio.Semaphore(concurrency)
    async with aiohttp.ClientSession(
        headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,*/*"},
        timeout=aiohttp.ClientTimeout(total=request_timeout),
        connector=aiohttp.TCPConnector(limit=concurrency),
    ) as session:

        async def bounded(target: str, is_doi: bool) -> Outcome:
            async with gate:
                return await _check(session, target, is_doi=is_doi, allowed=request_timeout)

        for link in links:
            doi = link.doi
            key = (resolver + doi, True) if doi else (link.url, False)
            if key not in targets:
                targets[key] = asyncio.ensure_future(bounded(*key))
        await asyncio.gather(*targets.values())
    reports = []
    for link in links:
        doi = link.doi
        key = (resolver + doi, True) if doi else (link.url, False)
        reports.append(LinkReport(link, targets[key].result()))
    return reports


async def _check(
    session: aiohttp.ClientSession, target: str, *, is_doi: bool, allowed: float
) -> Outcome:
    try:
        try:
            status, first_hop, final = await _ask(session, "HEAD", target)
        except (TimeoutError, aiohttp.ClientConnectorError, aiohttp.TooManyRedirects):
            raise
        except aiohttp.ClientError:
            status = 0  # HEAD mishandled (dropped connection, bad answer): try GET
        if status == 0 or status >= 400:
            status, first_hop, final = await _ask(session, "GET", target)
    except TimeoutError:
        return Outcome("dead", f"timed out after {allowed:g} s")
    except aiohttp.TooManyRedirects:
        return Outcome("dead", "too many redirects (the address loops)")
    except aiohttp.InvalidURL:
        return Outcome("dead", "not a valid web address")
    except aiohttp.ClientConnectorError as exc:
        return Outcome("dead", _describe(exc), reached=False)
    except aiohttp.ClientError as exc:
        return Outcome("dead", _describe(exc))
    if status in REFUSES_ROBOTS:
        where = "the DOI resolves, but the publisher" if is_doi and first_hop else "the site"
        return Outcome(
            "unchecked",
            f"{_status(status)}: {where} refuses automatic checks; open it in a browser",
        )
    if status >= 400:
        if is_doi and first_hop is None and status == 404:
            return Outcome("dead", f"{_status(status)}: no such DOI")
        return Outcome("dead", _status(status))
    if not is_doi and first_hop in PERMANENT and final != target:
        return Outcome("moved", f"moved permanently to {final}")
    return Outcome("ok")


async def _ask(
    session: aiohttp.ClientSession, method: str, url: str
) -> tuple[int, int | None, str]:
    """Status of the last answer, status of the first redirect (None if none), final address.
    The body is never read: the status is all a link check needs."""
    async with session.request(method, url, allow_redirects=True) as resp:
        first_hop = resp.history[0].status if resp.history else None
        return resp.status, first_hop, str(resp.url)


def _status(code: int) -> str:
    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return f"HTTP {code}"


def _describe(exc: aiohttp.ClientError) -> str:
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        return "could not connect: the site's certificate is not valid"
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return "could not connect: no such host"
    if isinstance(exc, aiohttp.ClientConnectorError):
        error = exc.os_error
        reason = os.strerror(error.errno) if error.errno else type(error).__name__
        return f"could not connect: {reason.lower()}"
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return "could not connect: the server closed the connection without answering"
    return f"could not connect: {type(exc).__name__}"
