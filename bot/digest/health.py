"""Source health in one place: ok, failing, paused; the one notice each change deserves; status.

Moderators hear about a source when its state changes (it fails, it is paused, it works
again), never once per retry or per run: `notified_state` remembers what they were told, and
is only updated once the notice went out, so a notice the review channel missed is sent at
the next change check instead of being lost.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.digest.delivery import Deliveries
from bot.digest.model import SourceStatus
from bot.digest.schedule import parse_slot
from bot.digest.sources.base import Source
from bot.digest.store import DigestStore, Health

OK = "ok"
FAILING = "failing"
DISABLED = "disabled"


def state_after_failure(failures: int, disable_after: int) -> str:
    """`failures` counts consecutive failed runs, this one included."""
    return DISABLED if failures >= disable_after else FAILING


def needs_notice(state: str, notified_state: str | None) -> bool:
    """A source nobody was told about counts as ok: a healthy start is not news."""
    return state != (notified_state or OK)


def notice(name: str, state: str, *, failures: int, error: str | None) -> str:
    """One line for the review channel."""
    reason = f": {error}" if error else ""
    if state == FAILING:
        return (
            f"Research digest: {name} could not be read{reason}. "
            "The other sources still post; it is tried again at each run."
        )
    if state == DISABLED:
        return (
            f"Research digest: {name} failed {failures} runs in a row and is paused{reason}. "
            "Check its settings, then `/digest now` tries it again."
        )
    return f"Research digest: {name} works again."


class SourceHealth:
    """Records each source's outcome and tells the moderators when its state changed."""

    def __init__(self, store: DigestStore, deliveries: Deliveries, disable_after: int) -> None:
        self.store = store
        self.deliveries = deliveries
        self.disable_after = disable_after

    async def known(self) -> dict[str, Health]:
        """What the database knows of every source (a source never fetched is missing)."""
        return await self.store.all_health()

    @staticmethod
    def paused(state: Health) -> bool:
        return state.state == DISABLED

    async def recovered(self, source: Source, before: Health) -> None:
        """After a good fetch (recorded with its items): tell if it had been failing."""
        if needs_notice(OK, before.notified_state):
            await self._tell(source, OK, failures=0, error=None)

    async def failed(self, source: Source, error: str, *, now: str) -> None:
        """Count one more failed run; tell if the source just started failing or was paused."""
        state = await self.store.record_failure(
            source.id,
            error,
            now=now,
            state_for=lambda failures: state_after_failure(failures, self.disable_after),
        )
        if needs_notice(state.state, state.notified_state):
            await self._tell(source, state.state, failures=state.failures, error=error)

    async def status(self, sources: Sequence[Source]) -> list[SourceStatus]:
        """Each configured source as `/digest status` shows it."""
        known = await self.known()
        statuses = []
        for source in sources:
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

    async def _tell(self, source: Source, state: str, *, failures: int, error: str | None) -> None:
        text = notice(source.name, state, failures=failures, error=error)
        if await self.deliveries.tell_moderators(text):
            await self.store.mark_notified(source.id, state)
