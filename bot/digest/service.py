"""The research digest: fetch every source, decide what is news, post it once.

The Discord layer hands `run` two callables, `publish` (post a message, return its ids, raise
`PublishRejected` when Discord refused it) and `notify` (one line to the moderators), and may
add `lookup` (the ids of an already posted digest message, empty if there is none; it may
ask `unsettled_since` how far back to look). Nothing here knows about Discord, so the console,
the CLI and the tests drive exactly the code the bot runs.

Posting is exactly-once per slot as far as Discord lets anyone know: the run is recorded as
`posting` with its rendered message before publishing, and the message ids together with the
items' posted marks right after. If the process stops in between, the next run (or the bot's
start) reconciles that record: with `lookup` it finds the message or re-posts the very same
one; without it, it assumes the message went out, because a missing digest is a nuisance and
a repeated one is the thing members complain about; moderators are told to check.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from bot.card import Card, Message
from bot.digest import health as source_health
from bot.digest.http import FetchError, HttpClient
from bot.digest.model import CLINICALTRIALS, PUBMED, Item, RunResult, SourceStatus, Tracked
from bot.digest.render import Digest, Group, message_text, render_digest, status_card
from bot.digest.schedule import last_slot, next_slot, parse_slot, slot_key
from bot.digest.sources import clinicaltrials, feeds, pubmed
from bot.digest.store import FAILED, POSTED, DigestStore, Health, Run
from bot.digest.tracking import apply_fetch, choose
from bot.errors import ConfigError
from bot.jobs import Job
from bot.settings import FeedSettings, Settings
from bot.storage import Database

log = logging.getLogger(__name__)

Publish = Callable[[Message], Awaitable[Sequence[int]]]
Notify = Callable[[str], Awaitable[None]]
Lookup = Callable[[Message], Awaitable[Sequence[int]]]
Clock = Callable[[], datetime]

FETCH_OVERLAP = timedelta(days=2)
PUBMED_COLOUR = 0x326599
TRIALS_COLOUR = 0x2E7D32
FEED_COLOUR = 0x6D6D6D
UNKNOWN = "unknown"


class PublishRejected(Exception):
    """Discord definitely did not post the message (403, 404, 400...): safe to try again."""


@dataclass(frozen=True)
class _Fetched:
    items: list[Item]
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class _Source:
    id: str
    name: str
    group: Group
    feed: FeedSettings | None = None


@dataclass
class _Collected:
    changed: list[Tracked] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)


class DigestService:
    """Build with `await DigestService.create(settings, db)`; `close()` ends the HTTP session."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        http: HttpClient,
        *,
        clock: Clock,
    ) -> None:
        self.settings = settings
        self.config = settings.digest
        self.store = DigestStore(db)
        self.http = http
        self._clock = clock
        self._lock = asyncio.Lock()
        self._pubmed_limiter = pubmed.rate_limiter(self.config.pubmed)
        self._trials_limiter = clinicaltrials.rate_limiter(self.config.clinicaltrials)
        self.sources = self._configured_sources()

    @classmethod
    async def create(
        cls,
        settings: Settings,
        db: Database,
        *,
        clock: Clock | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> DigestService:
        names = [feed.name for feed in settings.digest.feeds]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise ConfigError(
                f"[[digest.feeds]] name: {twice[0]!r} is used twice; give every feed its own name"
            )
        config = settings.digest
        http = HttpClient(
            timeout=config.timeout_seconds,
            max_retries=config.max_retries,
            backoff=config.retry_backoff_seconds,
            max_retry_after=config.max_retry_after_seconds,
            sleep=sleep or asyncio.sleep,
        )
        return cls(settings, db, http, clock=clock or (lambda: datetime.now(UTC)))

    def jobs(self) -> list[Job]:
        """This core's scheduled work; the runner schedules whatever is listed here."""
        return []

    async def close(self) -> None:
        await self.http.close()

    # -- the public operations ---------------------------------------------------------

    async def run(
        self,
        scheduled_for: datetime,
        publish: Publish,
        notify: Notify,
        *,
        lookup: Lookup | None = None,
        include_disabled: bool = False,
    ) -> RunResult:
        """Post the digest for one slot, at most once however often it is called."""
        slot = slot_key(scheduled_for)
        when = parse_slot(slot)
        async with self._lock:
            if not await self._reconcile(publish, notify, lookup):
                return RunResult(when, UNKNOWN)
            existing = await self.store.run(slot)
            if existing is not None and existing.status != FAILED:
                return RunResult(when, "already_done", existing.message_ids, existing.item_count)
            now = self._clock()
            collected = await self._collect(
                now, record=True, notify=notify, include_disabled=include_disabled
            )
            result = dict(failed_sources=collected.failed, notices=tuple(collected.notices))
            digest, duplicates = await self._build(collected.changed, when)
            if digest is None:
                await self.store.record_empty(slot, now=_iso(now), baseline=duplicates)
                log.info("digest %s: nothing new", slot)
                return RunResult(when, "empty", **result)
            problems = digest.message.problems()
            if problems:  # a bug in rendering; Discord would answer 400
                log.error("digest %s: message breaks Discord limits: %s", slot, problems)
                return RunResult(when, FAILED, **result)
            await self.store.begin_run(
                slot,
                digest.message,
                digest.covered,
                item_count=len(digest.shown),
                channel_id=self.config.channel_id,
                now=_iso(now),
            )
            refs = [(t.item.source, t.item.key, t.item.version) for t in digest.covered]
            outcome, ids = await self._publish(slot, digest.message, publish, notify)
            if outcome != POSTED:
                return RunResult(when, outcome, **result)
            await self.store.finish_run(slot, ids, refs, now=_iso(self._clock()))
            log.info(
                "digest %s: posted %d items (%d covered)",
                slot,
                len(digest.shown),
                len(digest.covered),
            )
            return RunResult(
                when,
                POSTED,
                tuple(ids),
                len(digest.shown),
                len(digest.covered),
                **result,
            )

    async def reconcile(
        self, publish: Publish, notify: Notify, lookup: Lookup | None = None
    ) -> bool:
        """Settle runs a stopped process left `posting`; False if one could not be settled."""
        async with self._lock:
            return await self._reconcile(publish, notify, lookup)

    async def unsettled_since(self) -> datetime | None:
        """When the oldest run still `posting` began: a `lookup` need not search before it.

        Takes no lock, so a `lookup` may call it while the service waits on that lookup.
        """
        runs = await self.store.runs_posting()
        return min((datetime.fromisoformat(run.started_at) for run in runs), default=None)

    async def preview(self, days: int | None = None) -> str:
        """What the next digest would contain, as text. Posts nothing, records nothing."""
        async with self._lock:
            now = self._clock()
            collected = await self._collect(
                now, record=False, notify=None, include_disabled=True, days=days
            )
            digest, duplicates = await self._build(collected.changed, now)
        lines = ["Preview of the next research digest (nothing is posted or recorded)."]
        for source in self.sources:
            if source.id in collected.failed:
                lines.append(f"{source.name}: failed: {collected.failed[source.id]}")
        if not self.sources:
            lines.append("No sources are turned on in [digest].")
        if digest is None:
            lines.append("Nothing new would be posted.")
            return "\n".join(lines)
        lines.append(
            f"{len(digest.shown)} items shown, {len(digest.more)} behind 'and N more', "
            f"{len(duplicates)} left out as the same paper (DOI) as another item."
        )
        return "\n".join(lines) + "\n\n" + message_text(digest.message)

    async def latest(self) -> Message | None:
        """The last digest posted, as it was posted."""
        run = await self.store.latest_posted()
        return run.message if run else None

    async def status(self) -> list[SourceStatus]:
        known = await self.store.all_health()
        statuses = []
        for source in self.sources:
            state = known.get(source.id, Health(source.id))
            statuses.append(
                SourceStatus(
                    source=source.id,
                    name=source.name,
                    state=state.state,
                    failures=state.failures,
                    last_success=parse_slot(state.last_success) if state.last_success else None,
                    last_error=state.last_error,
                )
            )
        return statuses

    def status_card(self, statuses: Sequence[SourceStatus], now: datetime | None = None) -> Card:
        return status_card(
            statuses,
            next_run=self.next_run(now),
            zone=self.config.zone,
            channel_configured=self.config.channel_id is not None,
        )

    def next_run(self, now: datetime | None = None) -> datetime | None:
        if not self.config.enabled:
            return None
        return next_slot(self.config.schedule, self.config.zone, now or self._clock())

    async def missed_slot(self, now: datetime | None = None) -> datetime | None:
        """The one slot to catch up after downtime, if any.

        Only the latest missed slot: its run fetches everything since each source's last
        success, so one catch-up digest covers all the slots missed. A database that never
        ran a digest has missed nothing; it waits for its first slot.
        """
        if not self.config.enabled:
            return None
        last = last_slot(self.config.schedule, self.config.zone, now or self._clock())
        latest = await self.store.latest_slot()
        if last is None or latest is None or parse_slot(latest) >= last:
            return None
        return last

    # -- publishing and reconciling --------------------------------------------------------

    async def _publish(
        self, slot: str, message: Message, publish: Publish, notify: Notify
    ) -> tuple[str, list[int]]:
        """("posted", ids), ("failed", []) when Discord refused, ("unknown", []) otherwise."""
        try:
            return POSTED, list(await publish(message))
        except PublishRejected as exc:
            log.warning("digest %s: Discord refused the digest: %s", slot, exc)
            await self.store.fail_run(slot, str(exc), now=_iso(self._clock()))
            await _tell(
                notify,
                f"Research digest: the digest could not be posted ({_one_line(exc)}); "
                "its items wait for the next run.",
            )
            return FAILED, []
        except Exception:
            log.exception(
                "digest %s: publishing failed without saying whether Discord posted it; "
                "the next run checks before posting anything",
                slot,
            )
            return UNKNOWN, []

    async def _reconcile(self, publish: Publish, notify: Notify, lookup: Lookup | None) -> bool:
        for run in await self.store.runs_posting():
            if not await self._settle(run, publish, notify, lookup):
                return False
        return True

    async def _settle(
        self, run: Run, publish: Publish, notify: Notify, lookup: Lookup | None
    ) -> bool:
        slot = run.scheduled_for
        if run.message is None:
            await self.store.fail_run(slot, "no message recorded", now=_iso(self._clock()))
            return True
        if lookup is None:
            log.warning(
                "digest %s: the bot stopped while posting; assuming the message went out", slot
            )
            await self.store.finish_run(slot, [], run.covered, now=_iso(self._clock()))
            await _tell(
                notify,
                f"Research digest: the bot stopped while posting the digest of {slot[:16]} UTC. "
                "It is not posted again; please check the digest channel has it.",
            )
            return True
        try:
            found = list(await lookup(run.message))
        except Exception:
            log.exception("digest %s: cannot check whether the digest was posted", slot)
            return False
        if found:
            log.info("digest %s: found the digest already posted; recording it", slot)
            await self.store.finish_run(slot, found, run.covered, now=_iso(self._clock()))
            return True
        log.info("digest %s: the digest was not posted; posting the recorded message", slot)
        outcome, ids = await self._publish(slot, run.message, publish, notify)
        if outcome == POSTED:
            await self.store.finish_run(slot, ids, run.covered, now=_iso(self._clock()))
        return outcome != UNKNOWN

    # -- fetching and choosing ---------------------------------------------------------

    def _configured_sources(self) -> list[_Source]:
        config = self.config
        found = []
        if config.pubmed.enabled:
            group = Group(PUBMED, "New on PubMed", pubmed.search_url(config.pubmed), PUBMED_COLOUR)
            found.append(_Source(PUBMED, "PubMed", group))
        if config.clinicaltrials.enabled:
            url = clinicaltrials.search_url(config.clinicaltrials)
            group = Group(CLINICALTRIALS, "Trials on ClinicalTrials.gov", url, TRIALS_COLOUR)
            found.append(_Source(CLINICALTRIALS, "ClinicalTrials.gov", group))
        for feed in config.feeds:
            if feed.enabled:
                source_id = feeds.source_id(feed)
                group = Group(source_id, feed.name, feed.url, FEED_COLOUR)
                found.append(_Source(source_id, feed.name, group, feed))
        return found

    async def _collect(
        self,
        now: datetime,
        *,
        record: bool,
        notify: Notify | None,
        include_disabled: bool,
        days: int | None = None,
    ) -> _Collected:
        known = await self.store.all_health()
        collected = _Collected()
        outcomes = await asyncio.gather(
            *(
                self._fetch_one(source, known.get(source.id, Health(source.id)), now, days)
                for source in self.sources
                if include_disabled
                or known.get(source.id, Health(source.id)).state != source_health.DISABLED
            )
        )
        for source, state, fetched, error, first_run, cutoff in outcomes:
            if error is not None:
                collected.failed[source.id] = error
                if record:
                    await self._record_failure(source, error, now, notify, collected)
                continue
            assert fetched is not None
            stored = await self.store.load(source.id, [item.key for item in fetched.items])
            changed = apply_fetch(
                stored, fetched.items, cutoff=cutoff, first_run=first_run, now=_iso(now)
            )
            collected.changed.extend(changed)
            if record:
                await self.store.save_fetch(
                    source.id,
                    changed,
                    now=_iso(now),
                    etag=fetched.etag,
                    last_modified=fetched.last_modified,
                )
                if source_health.needs_notice(source_health.OK, state.notified_state):
                    await self._notify_state(source, source_health.OK, 0, None, notify, collected)
        return collected

    async def _fetch_one(
        self, source: _Source, state: Health, now: datetime, days: int | None
    ) -> tuple[_Source, Health, _Fetched | None, str | None, bool, date]:
        today = now.astimezone(UTC).date()
        if days is not None:
            first_run, since = True, today - timedelta(days=days)
            cutoff = since
        elif state.last_success is None:
            first_run, since = True, today - timedelta(days=self.config.lookback_days)
            cutoff = since
        else:
            first_run = False
            last = parse_slot(state.last_success).astimezone(UTC).date()
            since = last - FETCH_OVERLAP
            cutoff = last - timedelta(days=self.config.lookback_days)
        try:
            fetched = await self._fetch(source, since, today, state, conditional=days is None)
        except FetchError as exc:
            error = _one_line(exc)
            log.warning("digest source %s failed: %s", source.id, error)
            return source, state, None, error, first_run, cutoff
        except Exception as exc:  # a bug or a payload no rule foresaw: this source only
            log.exception("digest source %s failed unexpectedly", source.id)
            return (
                source,
                state,
                None,
                f"unexpected error ({type(exc).__name__})",
                first_run,
                cutoff,
            )
        return source, state, fetched, None, first_run, cutoff

    async def _fetch(
        self, source: _Source, since: date, today: date, state: Health, *, conditional: bool
    ) -> _Fetched:
        if source.id == PUBMED:
            items = await pubmed.fetch(
                self.http,
                self.config.pubmed,
                self._pubmed_limiter,
                since,
                today + timedelta(days=1),
            )
            return _Fetched(items)
        if source.id == CLINICALTRIALS:
            items = await clinicaltrials.fetch(
                self.http, self.config.clinicaltrials, self._trials_limiter, since
            )
            return _Fetched(items)
        assert source.feed is not None
        result = await feeds.fetch(
            self.http,
            source.feed,
            etag=state.etag if conditional else None,
            last_modified=state.last_modified if conditional else None,
        )
        return _Fetched(result.items, result.etag, result.last_modified)

    async def _record_failure(
        self,
        source: _Source,
        error: str,
        now: datetime,
        notify: Notify | None,
        collected: _Collected,
    ) -> None:
        limit = self.config.disable_after_failures
        state = await self.store.record_failure(
            source.id,
            error,
            now=_iso(now),
            state_for=lambda failures: source_health.state_after_failure(failures, limit),
        )
        if source_health.needs_notice(state.state, state.notified_state):
            await self._notify_state(source, state.state, state.failures, error, notify, collected)

    async def _notify_state(
        self,
        source: _Source,
        state: str,
        failures: int,
        error: str | None,
        notify: Notify | None,
        collected: _Collected,
    ) -> None:
        text = source_health.notice(source.name, state, failures=failures, error=error)
        if notify is None or not await _tell(notify, text):
            return
        collected.notices.append(text)
        await self.store.mark_notified(source.id, state)

    async def _build(
        self, changed: Sequence[Tracked], when: datetime
    ) -> tuple[Digest | None, list[Tracked]]:
        """Choose and render from the stored pending items plus this fetch's changes."""
        ids = [source.id for source in self.sources]
        pending = {(t.item.source, t.item.key): t for t in await self.store.pending(ids)}
        for tracked in changed:
            pending[(tracked.item.source, tracked.item.key)] = tracked
        candidates = [t for t in pending.values() if t.pending and t.item.source in ids]
        dois = {t.item.doi for t in candidates if t.item.doi}
        shown = await self.store.shown_dois(dois)
        choice = choose(candidates, shown, {source_id: n for n, source_id in enumerate(ids)})
        if not choice.chosen:
            return None, choice.duplicates
        digest = render_digest(
            choice,
            [source.group for source in self.sources],
            when=when,
            zone=self.config.zone,
            max_items=self.config.max_items,
        )
        return digest, choice.duplicates


async def _tell(notify: Notify, text: str) -> bool:
    """Send a notice; a broken review channel must not stop the digest."""
    try:
        await notify(text)
    except Exception:
        log.exception("digest: could not send a notice to the moderators")
        return False
    return True


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).replace(microsecond=0).isoformat()


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]
