"""Scheduled work as data: each core lists its jobs, the runner schedules them.

A core knows what must happen and when (the daily privacy purge, the digest slots, the
review-post retry); it does not know who runs the clock. `App.jobs()` gathers every core's
`Job`s and the Discord runner (or a test) hands them to APScheduler, so a test can run a job
by calling `job.run()` instead of reaching into a cog or the scheduler.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from apscheduler.triggers.base import BaseTrigger


@dataclass(frozen=True)
class Job:
    """One recurring job. `id` is stable (the scheduler replaces a job with the same id)."""

    id: str
    description: str
    trigger: BaseTrigger
    run: Callable[[], Awaitable[object]]
