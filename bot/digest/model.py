"""The plain values the digest passes between its parts.

Sources turn outside payloads (validated with pydantic at the edge) into `Item`s; everything
after that works on these dataclasses, so the tracking, rendering and tests never see JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

PUBMED = "pubmed"
CLINICALTRIALS = "clinicaltrials"
FEED_PREFIX = "feed:"


class Evidence(StrEnum):
    """What kind of evidence an item is, so a mouse study never passes for a trial."""

    RETRACTED = "retracted"
    SR_MA = "sr_ma"
    RCT = "rct"
    TRIAL = "trial"
    OBSERVATIONAL = "observational"
    REVIEW = "review"
    CASE_REPORT = "case_report"
    LAB = "lab"
    PROTOCOL = "protocol"
    COMMENT = "comment"
    PREPRINT = "preprint"
    OTHER = "other"


@dataclass(frozen=True)
class Item:
    """One paper, trial or feed entry, keyed stably within its source.

    `version` changes when the thing itself changes (a trial's last update date); `news_date`
    is when it became news (PubMed entry date, trial update, feed date), used to keep old
    things out of a first digest; `detail` is the journal or the trial's phase and status.
    `kind_guessed` says the kind came from the title alone (no indexer said so), and the
    digest says so; `sponsor` is a trial's lead sponsor as the registry lists it.
    """

    source: str
    key: str
    title: str
    url: str
    version: str = ""
    doi: str | None = None
    kind: Evidence = Evidence.OTHER
    detail: str = ""
    news_date: date | None = None
    first_posted: date | None = None
    kind_guessed: bool = False
    sponsor: str = ""


@dataclass
class Tracked:
    """An item together with what the database knows about it."""

    item: Item
    first_seen: str
    posted_version: str | None = None
    posted_at: str | None = None

    @property
    def pending(self) -> bool:
        """Not yet in a digest in its current version (None never equals a version)."""
        return self.posted_version != self.item.version

    @property
    def is_update(self) -> bool:
        """Known before in another version: a changed trial is news as an update."""
        return self.posted_version is not None and self.posted_version != self.item.version


@dataclass(frozen=True)
class SourceStatus:
    """A source as `/digest status` shows it."""

    source: str
    name: str
    state: str
    failures: int = 0
    last_success: datetime | None = None
    last_error: str | None = None


@dataclass(frozen=True)
class RunResult:
    """What one run did. `status` is one of:

    posted: a digest message was accepted by Discord and recorded (`message_id`);
    empty: nothing new, nothing posted;
    already_done: this slot had already run (or was settled), nothing posted;
    failed: Discord refused the message; its items stay pending for the next run;
    unknown: sending failed without saying whether Discord accepted it; the next run
    settles that before posting anything;
    error: the run broke off (the log says why); the next run settles what it left.
    """

    scheduled_for: datetime
    status: str
    message_id: int | None = None
    item_count: int = 0
    failed_sources: dict[str, str] = field(default_factory=dict)  # source id -> error

    def summary(self) -> str:
        """One line for the admin who asked for the run."""
        failed = ""
        if self.failed_sources:
            names = ", ".join(sorted(self.failed_sources))
            failed = f" Sources that failed: {names} (see `/digest status`)."
        if self.status == "posted":
            noun = "item" if self.item_count == 1 else "items"
            return f"Posted a digest with {self.item_count} {noun}.{failed}"
        if self.status == "empty":
            return f"Nothing new since the last digest; nothing was posted.{failed}"
        if self.status == "already_done":
            return "A digest for this moment was already posted."
        if self.status == "failed":
            return f"Discord refused the digest; its items wait for the next run.{failed}"
        if self.status == "error":
            return "The digest run failed; the bot's log says why."
        return "It is unclear whether the digest went out; the next run checks before posting."


@dataclass(frozen=True)
class Preview:
    """What `digest preview` shows: the text, and whether any source could be read at all.

    `asked` sources were fetched and `failed` of them could not be read; when every one
    failed there is nothing to preview, and the CLI says so with a non-zero exit status.
    """

    text: str
    asked: int
    failed: int

    @property
    def all_failed(self) -> bool:
        return self.asked > 0 and self.failed == self.asked
