"""Fetch every source at once and work out what is new; a failing source fails alone.

A source's window runs from its last good fetch (less an overlap, for records indexed
late) to today; a source never fetched looks back `lookback_days` and that first answer is
the baseline (`tracking.apply_fetch`). A run records what it fetched and each source's
health; the preview records nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from bot.digest.health import SourceHealth
from bot.digest.model import Tracked
from bot.digest.schedule import parse_slot, slot_key
from bot.digest.sources.base import Fetched, Source, Window
from bot.digest.store import DigestStore, Health
from bot.digest.tracking import apply_fetch
from bot.http import FetchError

log = logging.getLogger(__name__)

FETCH_OVERLAP = timedelta(days=2)


@dataclass
class Collected:
    changed: list[Tracked] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # source id -> one-line error


@dataclass(frozen=True)
class _Plan:
    """One source's question: its window, and how old an item may be and still be news."""

    source: Source
    before: Health
    window: Window
    cutoff: date
    first_run: bool


class Collector:
    def __init__(self, store: DigestStore, health: SourceHealth, lookback_days: int) -> None:
        self.store = store
        self.health = health
        self.lookback_days = lookback_days

    async def collect(
        self,
        sources: Sequence[Source],
        now: datetime,
        *,
        record: bool,
        include_paused: bool,
        days: int | None = None,
    ) -> Collected:
        """`days` asks every source afresh for that many days, as on a first run (preview)."""
        known = await self.health.known()
        plans = [
            self._plan(source, known.get(source.id, Health(source.id)), now, days)
            for source in sources
        ]
        plans = [p for p in plans if include_paused or not self.health.paused(p.before)]
        answers = await asyncio.gather(*(_ask(plan.source, plan.window) for plan in plans))
        collected = Collected()
        stamp = slot_key(now)
        for plan, answer in zip(plans, answers, strict=True):
            if isinstance(answer, str):
                collected.failed[plan.source.id] = answer
                if record:
                    await self.health.failed(plan.source, answer, now=stamp)
                continue
            keys = [item.key for item in answer.items]
            stored = await self.store.load(plan.source.id, keys)
            changed = apply_fetch(
                stored, answer.items, cutoff=plan.cutoff, first_run=plan.first_run, now=stamp
            )
            collected.changed.extend(changed)
            if record:
                await self.store.save_fetch(
                    plan.source.id,
                    changed,
                    now=stamp,
                    etag=answer.etag,
                    last_modified=answer.last_modified,
                )
                await self.health.recovered(plan.source, plan.before)
        return collected

    def _plan(self, source: Source, before: Health, now: datetime, days: int | None) -> _Plan:
        today = now.astimezone(UTC).date()
        if days is not None or before.last_success is None:
            since = today - timedelta(days=self.lookback_days if days is None else days)
            first_run, cutoff = True, since
        else:
            last = parse_slot(before.last_success).astimezone(UTC).date()
            since = last - FETCH_OVERLAP
            first_run, cutoff = False, last - timedelta(days=self.lookback_days)
        conditional = days is None
        window = Window(
            since,
            today,
            etag=before.etag if conditional else None,
            last_modified=before.last_modified if conditional else None,
        )
        return _Plan(source, before, window, cutoff, first_run)


async def _ask(source: Source, window: Window) -> Fetched | str:
    """The source's answer, or the one line that says why there is none."""
    try:
        return await source.fetch(window)
    except FetchError as exc:
        error = one_line(exc)
        log.warning("digest source %s failed: %s", source.id, error)
        return error
    except Exception as exc:  # a bug or a payload no rule foresaw: this source only
        log.exception("digest source %s failed unexpectedly", source.id)
        return f"unexpected error ({type(exc).__name__})"


def one_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]
