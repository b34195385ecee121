"""One shared HTTP session for every outside service (research sources, the trials registry),
polite and patient.

Outside services fail in ordinary ways (429, 5xx, slow answers); each attempt that fails is
one log line naming the source and what happened, then a retry after a growing pause or the
server's own Retry-After. Only when the retries are spent does the source fail, as a
`FetchError` whose message is one line a moderator can read. A host name that does not
resolve, or a host that refuses the connection, is not a busy server: waiting longer will
not help this run, so it gets one quick retry (a blip) and then fails, and the next run asks
again. Query strings are never logged: they carry the PubMed API key.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp
from multidict import CIMultiDict
from yarl import URL

from bot import __version__
from bot.settings import DigestSettings

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 20 * 1024 * 1024
# DNS failures and refused connections: this many retries at most, after at most this pause.
UNREACHABLE_RETRIES = 1
UNREACHABLE_PAUSE = 1.0
USER_AGENT = f"ms-stemcell-bot/{__version__} (+research digest and trials; aiohttp)"

Sleep = Callable[[float], Awaitable[None]]


class FetchError(Exception):
    """A source could not be read; `str()` is one line fit for logs and moderators."""


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: Mapping[str, str]


class RateLimiter:
    """At most `per_second` request starts, spaced evenly (NCBI asks for 3/s, 10 with a key)."""

    def __init__(
        self,
        per_second: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.interval = 1.0 / per_second
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            now = self._clock()
            if self._next > now:
                await self._sleep(self._next - now)
                now = self._next
            self._next = now + self.interval


class HttpClient:
    """GET with timeouts, retries on 429/5xx/timeouts, and Retry-After honoured up to a cap."""

    def __init__(
        self,
        *,
        timeout: float,
        max_retries: int,
        backoff: float,
        max_retry_after: float,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self._sleep = sleep
        self._session: aiohttp.ClientSession | None = None

    @classmethod
    def from_settings(cls, config: DigestSettings, sleep: Sleep | None = None) -> HttpClient:
        """The client every outside-service caller uses, bounded by the `[digest]` settings."""
        return cls(
            timeout=config.timeout_seconds,
            max_retries=config.max_retries,
            backoff=config.retry_backoff_seconds,
            max_retry_after=config.max_retry_after_seconds,
            sleep=sleep or asyncio.sleep,
        )

    @property
    def session(self) -> aiohttp.ClientSession:
        # Created on first use, inside the running loop, and shared from then on.
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.timeout),
                headers={"User-Agent": USER_AGENT},
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def get(
        self,
        url: str,
        *,
        source: str,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        limiter: RateLimiter | None = None,
        accept: frozenset[int] = frozenset({200}),
    ) -> Response:
        where = _where(url)
        attempts = self.max_retries + 1
        problem = "no attempt made"
        attempt = unreachable = 0
        while attempt < attempts:
            attempt += 1
            if limiter is not None:
                await limiter.wait()
            delay = self.backoff * 2 ** (attempt - 1)
            try:
                async with self.session.get(url, params=params, headers=headers) as resp:
                    if resp.status in accept:
                        body = await _read_capped(resp, where)
                        return Response(resp.status, body, CIMultiDict(resp.headers))
                    status = resp.status
                    retry_after = _retry_after(resp.headers.get("Retry-After"))
            except TimeoutError:
                problem = f"no answer from {where} within {self.timeout:g}s"
            except aiohttp.ClientError as exc:
                problem = f"cannot reach {where} ({_describe(exc)})"
                if _unreachable(exc):
                    # Retries left: UNREACHABLE_RETRIES in all for this kind of failure.
                    unreachable += 1
                    left = max(0, UNREACHABLE_RETRIES + 1 - unreachable)
                    attempts = min(attempts, attempt + left)
                    delay = min(self.backoff, UNREACHABLE_PAUSE)
            else:
                if status != 429 and status < 500:
                    log.warning("source %s: HTTP %d from %s", source, status, where)
                    raise FetchError(f"HTTP {status} from {where}")
                problem = f"HTTP {status} from {where}"
                if retry_after is not None:
                    if retry_after > self.max_retry_after:
                        log.warning(
                            "source %s: %s asks to wait %.0fs, more than %.0fs; "
                            "giving up until the next run",
                            source,
                            problem,
                            retry_after,
                            self.max_retry_after,
                        )
                        raise FetchError(
                            f"{problem}, which asks to wait {retry_after:.0f}s; "
                            "trying again at the next run"
                        )
                    delay = retry_after
            if attempt < attempts:
                log.warning(
                    "source %s: %s (attempt %d of %d), retrying in %.2fs",
                    source,
                    problem,
                    attempt,
                    attempts,
                    delay,
                )
                await self._sleep(delay)
            else:
                log.warning(
                    "source %s: %s (attempt %d of %d), giving up",
                    source,
                    problem,
                    attempt,
                    attempts,
                )
        noun = "attempt" if attempt == 1 else "attempts"
        raise FetchError(f"{problem} after {attempt} {noun}")

    async def get_json(
        self,
        url: str,
        *,
        source: str,
        params: Mapping[str, str] | None = None,
        limiter: RateLimiter | None = None,
    ) -> Any:
        response = await self.get(url, source=source, params=params, limiter=limiter)
        try:
            return json.loads(response.body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise FetchError(f"{_where(url)} answered with malformed JSON ({exc})") from None


async def _read_capped(resp: aiohttp.ClientResponse, where: str) -> bytes:
    """The whole body, up to the cap. (`content.read(n)` returns what has arrived so far, at
    most n bytes: a large page would be cut at its first chunk.)"""
    chunks: list[bytes] = []
    size = 0
    async for chunk in resp.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise FetchError(f"{where} sent more than {MAX_BODY_BYTES // 1024 // 1024} MB")
        chunks.append(chunk)
    return b"".join(chunks)


def _where(url: str) -> str:
    """Host and path only: query strings carry API keys."""
    parsed = URL(url)
    return f"{parsed.host}{':' + str(parsed.port) if parsed.explicit_port else ''}{parsed.path}"


def _unreachable(exc: aiohttp.ClientError) -> bool:
    """The host name does not resolve, or nothing listens there: not worth a long wait."""
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return True
    return isinstance(exc, aiohttp.ClientConnectorError) and isinstance(
        exc.os_error, ConnectionRefusedError
    )


def _describe(exc: aiohttp.ClientError) -> str:
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return f"host name not found: {exc.os_error.strerror or type(exc.os_error).__name__}"
    if isinstance(exc, aiohttp.ClientConnectorError) and isinstance(
        exc.os_error, ConnectionRefusedError
    ):
        return "connection refused"
    if isinstance(exc, aiohttp.ClientConnectorError):
        return f"connection failed: {exc.os_error.strerror or type(exc.os_error).__name__}"
    if isinstance(exc, aiohttp.ClientPayloadError):
        return "the answer was cut off"
    return type(exc).__name__


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
