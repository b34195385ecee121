"""Slots: the instants the cron schedule names, in the configured time zone.

A run belongs to a slot, and the slot (in UTC, to the second) is the run's identity in the
database: running a slot twice posts once. The Discord layer registers the same expression
with APScheduler; these helpers answer the questions it does not: which slot was the last
one before now (for a catch-up after downtime) and which is next (for `/digest status`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

_WINDOWS = (
    timedelta(hours=1),
    timedelta(days=1),
    timedelta(days=8),
    timedelta(days=32),
    timedelta(days=367),
    timedelta(days=366 * 8 + 2),
)


def trigger(schedule: str, zone: ZoneInfo) -> CronTrigger:
    return CronTrigger.from_crontab(schedule, timezone=zone)


def slot_key(when: datetime) -> str:
    """A slot as stored: UTC, whole seconds, ISO 8601 (sorts as text)."""
    if when.tzinfo is None:
        raise ValueError("slot times must be timezone-aware")
    return when.astimezone(UTC).replace(microsecond=0).isoformat()


def parse_slot(key: str) -> datetime:
    return datetime.fromisoformat(key)


def next_slot(schedule: str, zone: ZoneInfo, after: datetime) -> datetime | None:
    """The first slot strictly after `after`."""
    cron = trigger(schedule, zone)
    fire = cron.get_next_fire_time(None, after + timedelta(seconds=1))
    return fire.astimezone(UTC) if fire else None


def last_slot(schedule: str, zone: ZoneInfo, now: datetime) -> datetime | None:
    """The latest slot at or before `now`, looking back up to eight years.

    Cron has no "previous" operation, so this walks forward from a point far enough back;
    the window grows so a once-a-minute schedule stays cheap and a yearly one is still found.
    """
    cron = trigger(schedule, zone)
    for window in _WINDOWS:
        fire = cron.get_next_fire_time(None, now - window)
        if fire is None or fire > now:
            continue
        while True:
            following = cron.get_next_fire_time(fire, fire + timedelta(seconds=1))
            if following is None or following > now:
                return fire.astimezone(UTC)
            fire = following
    return None
