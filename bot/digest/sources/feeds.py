"""RSS and Atom feeds: conditional GET, parsed by feedparser off the event loop.

The ETag and Last-Modified of the last good answer are sent back, so an unchanged feed costs
the publisher a 304 and us nothing. feedparser is lenient; a document it cannot get a single
entry out of, or that is not a feed at all, is an error for this feed only.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import feedparser
from yarl import URL

from bot.digest.evidence import classify_title
from bot.digest.model import FEED_PREFIX, Item
from bot.digest.render import Group
from bot.digest.sources.base import Fetched, Source, Window
from bot.digest.sources.common import clean_title, normalise_doi
from bot.http import FetchError, HttpClient
from bot.settings import DigestSettings, FeedSettings

log = logging.getLogger(__name__)

MAX_KEY = 300
MAX_TITLE = 100  # a feed's own title, as a card heading (Discord allows 256)
COLOUR = 0x6D6D6D
# expat's words for a document that stops before its end
_TRUNCATED = re.compile(r"no element found|unclosed token|unclosed CDATA")


@dataclass(frozen=True)
class FeedResult:
    items: list[Item]
    etag: str | None
    last_modified: str | None
    not_modified: bool = False
    title: str | None = None  # the feed's own title, cleaned; None when it has none


def source_id(feed: FeedSettings) -> str:
    """The feed's key in the database: `feed:` and its name, or its URL when it has none.

    A named feed keeps the key it always had, so nothing is posted twice after an upgrade;
    an unnamed feed's key does not move when its publisher retitles it.
    """
    return FEED_PREFIX + feed.key


def host_of(url: str) -> str:
    """What an unnamed feed is called before its own title is known."""
    return URL(url).host or url


async def fetch(
    http: HttpClient,
    feed: FeedSettings,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> FeedResult:
    headers = {
        "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    source = source_id(feed)
    response = await http.get(
        feed.url, source=source, headers=headers, accept=frozenset({200, 304})
    )
    if response.status == 304:
        return FeedResult([], etag, last_modified, not_modified=True)
    content_type = response.headers.get("Content-Type", "")
    parsed = await asyncio.to_thread(_parse, response.body, feed.url, content_type)
    items = items_from(parsed, source)
    return FeedResult(
        items,
        response.headers.get("ETag"),
        response.headers.get("Last-Modified"),
        title=feed_title(parsed),
    )


def _parse(body: bytes, url: str, content_type: str) -> Any:
    # A BytesIO, never the bytes themselves: feedparser treats a string as a URL or a path.
    return feedparser.parse(
        io.BytesIO(body),
        response_headers={"content-location": url, "content-type": content_type},
    )


def parse_bytes(body: bytes, url: str, source: str) -> list[Item]:
    """Parse a feed document synchronously (the benchmark and tests use this)."""
    return items_from(_parse(body, url, "application/xml"), source)


def feed_title(parsed: Any) -> str | None:
    """The feed's own title (RSS channel or Atom feed title), one line, markup removed."""
    channel = parsed.get("feed") or {}
    title = clean_title(str(channel.get("title") or ""))
    if not title:
        return None
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1].rstrip() + "…"


def items_from(parsed: Any, source: str) -> list[Item]:
    """Entries of a parsed feed; a document that is not a feed, or is cut off, is an error.

    feedparser recovers what real feeds get wrong (an undefined `&nbsp;`, a bare `&`, a
    wrong charset) and flags it as `bozo`; those are used, with a warning. A document that
    ends early is not: its last entry is half there, so the whole feed waits for next time.
    """
    entries = list(parsed.get("entries") or [])
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if problem is not None and not entries:
        raise FetchError(f"not a readable RSS or Atom feed ({_short(problem)})")
    if problem is not None and _TRUNCATED.search(str(problem)):
        raise FetchError(f"the feed document is cut off ({_short(problem)})")
    if not entries and not parsed.get("version"):
        raise FetchError("not an RSS or Atom feed (no feed elements found)")
    if problem is not None:
        log.warning(
            "digest source %s: feed is not well-formed (%s); using the %d entries read",
            source,
            _short(problem),
            len(entries),
        )
    items: dict[str, Item] = {}
    for entry in entries:
        item = _item(entry, source)
        if item is not None:
            items.setdefault(item.key, item)
    return list(items.values())


def _item(entry: Any, source: str) -> Item | None:
    title = clean_title(str(entry.get("title") or ""))
    link = str(entry.get("link") or "")
    if not link.startswith(("http://", "https://")):
        link = ""
    if not title and not link:
        return None
    when = _date(entry)
    key = str(entry.get("id") or "") or link
    if not key:
        if not title:
            return None
        key = f"{title}|{when.isoformat() if when else ''}"
    if len(key) > MAX_KEY:
        key = "sha1:" + hashlib.sha1(key.encode()).hexdigest()
    doi = None
    for candidate in (
        entry.get("prism_doi"),
        entry.get("dc_identifier"),
        link,
        entry.get("id"),
    ):
        doi = normalise_doi(str(candidate)) if candidate else None
        if doi:
            break
    return Item(
        source=source,
        key=key,
        title=title or "(untitled)",
        url=link,
        doi=doi,
        kind=classify_title(title),
        kind_guessed=True,
        news_date=when,
    )


def _date(entry: Any) -> date | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(name)
        if value:
            return datetime(*value[:6], tzinfo=UTC).date()
    return None


def _short(problem: object) -> str:
    text = str(problem or "unknown problem").splitlines()[0] if problem else "unknown problem"
    return text[:150]


class FeedSource:
    """One `[[digest.feeds]]` entry as a digest source, asked "only if changed".

    Its name is the configured one; a feed listed by URL alone is called by its own title
    from the last good fetch in this process, and by its host until then (after a restart
    whose first answer is "not modified", the host too: the title is not stored).
    """

    def __init__(self, feed: FeedSettings, http: HttpClient) -> None:
        self.feed = feed
        self.http = http
        self.id = source_id(feed)
        self._title: str | None = None

    @property
    def name(self) -> str:
        if self.feed.name is not None:
            return self.feed.name
        return self._title or host_of(self.feed.url)

    @property
    def group(self) -> Group:
        return Group(self.id, self.name, self.feed.url, COLOUR)

    async def fetch(self, window: Window) -> Fetched:
        result = await fetch(
            self.http, self.feed, etag=window.etag, last_modified=window.last_modified
        )
        if result.title is not None:
            self._title = result.title
        return Fetched(result.items, result.etag, result.last_modified)


def configured(config: DigestSettings, http: HttpClient) -> list[Source]:
    return [FeedSource(feed, http) for feed in config.feeds if feed.enabled]
