"""Source health: ok, failing, disabled, and the one notice each change deserves.

Moderators hear about a source when its state changes (it fails, it is paused, it works
again), never once per retry or per run: `notified_state` remembers what they were told.
"""

from __future__ import annotations

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
