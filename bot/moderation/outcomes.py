"""Moderators' decisions as data: how often the detector was right, and rows to retrain it.

The counting rule, per category C (crisis, advice, promotion), over the flags *raised* in a
window (a cohort: a flag raised on day 6 and closed on day 8 counts in "last 7 days" as
flagged on day 8, and as confirmed once it is closed):

- flagged: the detector raised a flag of category C.
- confirmed: such a flag was resolved, as C.
- dismissed: such a flag was dismissed (a false positive), or resolved as another category
  (the detector was right to raise it but wrong about what it was; that is also a miss of the
  category the moderator chose).
- missed: a flag was resolved as C although the detector had not said C: a member report of a
  message the detector let through (or, at report time, judged to be another category), or a
  detector flag of another category that the moderator resolved as C.
- precision: confirmed / (confirmed + dismissed); undefined ("—") when nothing was decided.

Member reports get their own row: reports received, resolved (of any category), dismissed;
its precision says how often members' reports were right. A report the moderator resolved as
"other" (none of the detector's categories: rudeness, spam) is confirmed there and is no miss.
Open flags count as flagged only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.moderation.model import DETECTED, MEMBER_REPORT, OTHER, Flag

WINDOWS: tuple[int, ...] = (7, 30)
ROWS: tuple[str, ...] = (*DETECTED, MEMBER_REPORT)
UNDEFINED = "—"


@dataclass(frozen=True)
class OutcomeRow:
    """What the counts need of one flag: no ids, no text."""

    category: str
    detected_category: str | None
    resolved_category: str | None
    state: str


@dataclass(frozen=True)
class ExportRow:
    """One closed flag for `flags export`, with its kept text (None: not kept or gone)."""

    flag: Flag
    text: str | None


@dataclass
class CategoryStats:
    category: str
    flagged: int = 0
    confirmed: int = 0
    dismissed: int = 0
    missed: int = 0

    @property
    def precision(self) -> float | None:
        decided = self.confirmed + self.dismissed
        return self.confirmed / decided if decided else None

    def as_dict(self) -> dict[str, Any]:
        precision = self.precision
        return {
            "flagged": self.flagged,
            "confirmed": self.confirmed,
            "dismissed": self.dismissed,
            "missed": self.missed if self.category != MEMBER_REPORT else None,
            "precision": None if precision is None else round(precision, 3),
        }


@dataclass(frozen=True)
class WindowStats:
    days: int
    rows: tuple[CategoryStats, ...]

    def row(self, category: str) -> CategoryStats:
        return next(r for r in self.rows if r.category == category)


def detected_of(row: OutcomeRow) -> str:
    """What the detector said of the message; older rows without it: the flag's own."""
    if row.detected_category:
        return row.detected_category
    return "none" if row.category == MEMBER_REPORT else row.category


def confirmed_of(row: OutcomeRow) -> str:
    """The category a resolved flag was confirmed as (older rows: the flag's own)."""
    if row.resolved_category:
        return row.resolved_category
    return OTHER if row.category == MEMBER_REPORT else row.category


def outcome_of(row: OutcomeRow) -> str:
    """One label per decision: confirmed, false_positive, missed, other (or open)."""
    if row.state == "dismissed":
        return "false_positive"
    if row.state != "resolved":
        return "open"
    confirmed = confirmed_of(row)
    if confirmed == OTHER:
        return OTHER
    # A report the detector had judged the same way (it was in an exempt channel, say) is
    # confirmed too: the detector was not wrong about the message.
    return "confirmed" if confirmed == detected_of(row) else "missed"


def tally(rows: Iterable[OutcomeRow], days: int) -> WindowStats:
    stats = {c: CategoryStats(c) for c in ROWS}
    for row in rows:
        resolved = row.state == "resolved"
        confirmed = confirmed_of(row) if resolved else None
        if row.category == MEMBER_REPORT:
            own = stats[MEMBER_REPORT]
            own.flagged += 1
            own.confirmed += resolved
            own.dismissed += row.state == "dismissed"
        elif row.category in stats:
            own = stats[row.category]
            own.flagged += 1
            if row.state == "dismissed" or (resolved and confirmed != row.category):
                own.dismissed += 1
            elif resolved:
                own.confirmed += 1
        if confirmed in DETECTED and confirmed != detected_of(row):
            stats[confirmed].missed += 1
    return WindowStats(days, tuple(stats[c] for c in ROWS))


def _precision(stats: CategoryStats) -> str:
    precision = stats.precision
    return UNDEFINED if precision is None else f"{precision:.2f}"


HEADER = ("category", "flagged", "confirmed", "dismissed", "missed", "precision")


def table(window: WindowStats) -> str:
    """A fixed-width table (a code block in Discord, plain text in a terminal)."""
    lines = [f"{HEADER[0]:<14}" + "".join(f"{h:>10}" for h in HEADER[1:])]
    for stats in window.rows:
        missed = UNDEFINED if stats.category == MEMBER_REPORT else str(stats.missed)
        cells = (stats.flagged, stats.confirmed, stats.dismissed, missed, _precision(stats))
        lines.append(f"{stats.category:<14}" + "".join(f"{c!s:>10}" for c in cells))
    return "\n".join(lines)


def stats_json(windows: Sequence[WindowStats]) -> dict[str, Any]:
    return {f"last_{w.days}_days": {s.category: s.as_dict() for s in w.rows} for w in windows}


def export_record(row: ExportRow, with_text: bool) -> dict[str, Any]:
    """One JSON line of `flags export`: ids, what the detector said, what the moderator did.

    `label` is the training target: the category the moderator confirmed ("other" for none
    of the detector's), or "none" for a false positive. The author's id is left out: a label
    does not need it. `text` is null unless the server opted in and the message is present.
    """
    flag = row.flag
    outcome_row = OutcomeRow(
        flag.category, flag.detected_category, flag.resolved_category, flag.state
    )
    outcome = outcome_of(outcome_row)
    return {
        "flag_id": flag.id,
        "guild_id": flag.guild_id,
        "channel_id": flag.channel_id,
        "message_id": flag.message_id,
        "origin": flag.origin,
        "flag_category": flag.category,
        "detector_category": detected_of(outcome_row),
        "detector_reasons": list(flag.reasons),
        "detector_score": round(flag.score, 4),
        "outcome": outcome,
        "label": confirmed_of(outcome_row) if flag.state == "resolved" else "none",
        "created_at": flag.created_at,
        "closed_at": flag.closed_at,
        "text": row.text if with_text else None,
    }
