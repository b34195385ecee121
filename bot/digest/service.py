"""The research digest: fetch every source, decide what is news, post it once per slot.

The service owns its time and its deliveries: `jobs()` lists the weekly (or whatever
`[digest] schedule` says) run for the runner to schedule, `start()` settles a run a stopped
process left half-posted and catches up a missed slot, and every message goes out through
the attached `Chat`. Nothing here knows about Discord, so the console, the CLI and the tests
drive exactly the code the bot runs. The parts, one idea each:

- `sources/`: the `Source` protocol and the registry of configured sources;
- `collect`: fetch them all at once and work out what is new (`tracking` has the rules);
- `compose`: pending items to one message (`render` draws it);
- `ledger`: exactly once per slot, across crashes before and after Discord accepted it;
- `health`: each source's state, the one notice per change, and `/digest status`;
- `delivery`: the digest channel and the moderators' review channel, through `Chat`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime

from bot.card import Card, Message
from bot.chat import Chat
from bot.digest.collect import Collector
from bot.digest.compose import Composed, compose
from bot.digest.delivery import Deliveries
from bot.digest.health import SourceHealth
from bot.digest.ledger import Ledger, Posting
from bot.digest.model import Preview, RunResult, SourceStatus, Tracked
from bot.digest.render import message_text, status_card
from bot.digest.schedule import last_slot, next_slot, parse_slot, slot_key, trigger
from bot.digest.sources import configured_sources
from bot.digest.store import FAILED, DigestStore
from bot.http import HttpClient
from bot.jobs import Job
from bot.settings import Settings
from bot.storage import Database

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
JOB_ID = "research-digest"


class DigestService:
    """Build with `await DigestService.create(settings, db)`, then `attach` a `Chat` to post.

    `close()` stops the start-up check and ends the HTTP session.
    """

    def __init__(
        self,
        settings: Settings,
        db: Database,
        http: HttpClient,
        *,
        clock: Clock,
    ) -> None:
        self.config = settings.digest
        self.store = DigestStore(db)
        self.http = http
        self.sources = configured_sources(self.config, http)
        self.deliveries = Deliveries(self.config.channel_id, settings.moderation.review_channel_id)
        self.health = SourceHealth(self.store, self.deliveries, self.config.disable_after_failures)
        self.ledger = Ledger(self.store, self.deliveries, clock)
        self._collector = Collector(self.store, self.health, self.config.lookback_days)
        self._clock = clock
        self._lock = asyncio.Lock()
        self._start_up: asyncio.Task[None] | None = None
        self._started = asyncio.Event()
        self._closing = False

    @classmethod
    async def create(
        cls,
        settings: Settings,
        db: Database,
        *,
        clock: Clock | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> DigestService:
        http = HttpClient.from_settings(settings.digest, sleep)
        return cls(settings, db, http, clock=clock or (lambda: datetime.now(UTC)))

    def attach(self, chat: Chat) -> None:
        """Where the digest and the moderators' notices are posted from now on."""
        self.deliveries.chat = chat

    # -- time: the schedule, the start-up check ----------------------------------------

    def jobs(self) -> list[Job]:
        """The scheduled run, in the configured time zone (none when the digest is off).

        Coalescing and misfires are the runner's job defaults; a slot missed while the bot
        was down is caught up by `start()`.
        """
        if not self.config.enabled:
            return []
        cron = trigger(self.config.schedule, self.config.zone)
        return [Job(JOB_ID, "research digest", cron, self.scheduled_run)]

    def start(self) -> None:
        """Begin the start-up check (once): settle a half-posted run, then catch up once.

        Call it when the chat is connected; `started()` waits for it to finish.
        """
        if self._start_up is None:
            self._start_up = asyncio.create_task(self._settle_and_catch_up(), name="digest-start")

    async def started(self) -> None:
        """Wait until the start-up check has finished (whether or not it found anything)."""
        await self._started.wait()

    async def scheduled_run(self, now: datetime | None = None) -> RunResult | None:
        """The job: the digest of the slot that just came due (None before the first slot)."""
        slot = last_slot(self.config.schedule, self.config.zone, now or self._clock())
        return None if slot is None else await self._run_logged(slot)

    async def run_now(self) -> RunResult:
        """An admin's run: now, paused sources included."""
        return await self._run_logged(self._clock(), include_disabled=True)

    async def close(self) -> None:
        self._closing = True
        if self._start_up is not None and not self._start_up.done():
            self._start_up.cancel()
            await asyncio.gather(self._start_up, return_exceptions=True)
        await self.http.close()

    # -- the run -------------------------------------------------------------------------

    async def run(self, scheduled_for: datetime, *, include_disabled: bool = False) -> RunResult:
        """Post the digest for one slot, at most once however often it is called."""
        slot = slot_key(scheduled_for)
        when = parse_slot(slot)
        async with self._lock:
            if not await self.ledger.settle():
                return RunResult(when, Posting.UNKNOWN)
            existing = await self.store.run(slot)
            if existing is not None and existing.status != FAILED:
                ids = existing.message_ids
                return RunResult(when, "already_done", ids[0] if ids else None)
            now = self._clock()
            collected = await self._collector.collect(
                self.sources, now, record=True, include_paused=include_disabled
            )
            failed = collected.failed
            composed = await self._compose(collected.changed, when)
            if composed.digest is None:
                await self.store.record_empty(slot, now=slot_key(now), baseline=composed.duplicates)
                log.info("digest %s: nothing new", slot)
                return RunResult(when, "empty", failed_sources=failed)
            digest = composed.digest
            problems = digest.message.problems()
            if problems:  # a bug in rendering; Discord would answer 400
                log.error("digest %s: message breaks Discord limits: %s", slot, problems)
                return RunResult(when, FAILED, failed_sources=failed)
            posting, message_id = await self.ledger.post(slot, digest)
            if posting == Posting.POSTED:
                log.info(
                    "digest %s: posted %d items (%d covered)",
                    slot,
                    len(digest.shown),
                    len(digest.covered),
                )
            count = len(digest.shown) if posting == Posting.POSTED else 0
            return RunResult(when, posting, message_id, count, failed_sources=failed)

    async def settle(self) -> bool:
        """Settle runs a stopped process left `posting`; False if one could not be settled."""
        async with self._lock:
            return await self.ledger.settle()

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

    # -- what admins and members ask -----------------------------------------------------

    async def preview(self, days: int | None = None) -> Preview:
        """What the next digest would contain, as text. Posts nothing, records nothing.

        Every source that failed is one line; when all of them failed, those lines and a
        summary are all there is (`Preview.all_failed`), not "nothing new".
        """
        async with self._lock:
            now = self._clock()
            collected = await self._collector.collect(
                self.sources, now, record=False, include_paused=True, days=days
            )
            composed = await self._compose(collected.changed, now)
        failures = [
            f"{source.name}: failed: {collected.failed[source.id]}"
            for source in self.sources
            if source.id in collected.failed
        ]
        asked, failed = len(self.sources), len(failures)
        if asked and failed == asked:
            summary = (
                f"Every source failed ({failed} of {asked}): nothing could be fetched, so there "
                "is nothing to preview. Check the network and each source's url."
            )
            return Preview("\n".join([*failures, summary]), asked, failed)
        lines = ["Preview of the next research digest (nothing is posted or recorded).", *failures]
        if failures:
            lines.append(
                f"{failed} of {asked} sources failed; a run now would leave them out and "
                "fetch what they missed once they answer again."
            )
        if not self.sources:
            lines.append("No sources are turned on in [digest].")
        digest = composed.digest
        if digest is None:
            lines.append("Nothing new would be posted.")
            return Preview("\n".join(lines), asked, failed)
        lines.append(
            f"{len(digest.shown)} items shown, {len(digest.more)} behind 'and N more', "
            f"{len(composed.duplicates)} left out as the same paper (DOI) as another item."
        )
        text = "\n".join(lines) + "\n\n" + message_text(digest.message)
        return Preview(text, asked, failed)

    async def latest(self) -> Message | None:
        """The last digest posted, as it was posted."""
        run = await self.store.latest_posted()
        return run.message if run else None

    async def status(self) -> list[SourceStatus]:
        return await self.health.status(self.sources)

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

    # -- helpers ---------------------------------------------------------------------------

    async def _compose(self, changed: Sequence[Tracked], when: datetime) -> Composed:
        return await compose(
            self.store,
            self.sources,
            changed,
            when=when,
            zone=self.config.zone,
            max_items=self.config.max_items,
        )

    async def _settle_and_catch_up(self) -> None:
        try:
            await self.settle()
            missed = await self.missed_slot()
            if missed is not None:
                log.info("digest: catching up the missed slot %s", missed.isoformat())
                await self.run(missed)
        except Exception:
            if self._closing:
                log.debug("digest: start-up check interrupted by shutdown", exc_info=True)
            else:
                log.exception("digest: start-up check failed; the schedule still runs")
        finally:
            self._started.set()

    async def _run_logged(self, slot: datetime, *, include_disabled: bool = False) -> RunResult:
        try:
            return await self.run(slot, include_disabled=include_disabled)
        except Exception:
            if self._closing:
                log.warning("digest run interrupted by shutdown; the next start settles it")
            else:
                log.exception("digest run failed", extra={"slot": slot.isoformat()})
            return RunResult(slot, "error")
