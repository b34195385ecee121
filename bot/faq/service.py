"""The FAQ as the rest of the bot uses it: Discord, the console, the CLI and moderation.

It owns the current, immutable FAQ (entries, search index, rendered cards) and swaps it whole
on reload, so a member's question is answered from one consistent set. A reload with errors
keeps the last good set: members keep their answers while an admin fixes the file.

Which entry answers is decided by the search fused with the FAQ model (bot/models/faq.py) when
it loads: the model's entry when it is sure, or when it is fairly sure and the search is
confident in the same entry; otherwise no answer. Both thresholds come with the model, chosen
leave-one-author-out. Without the model (no encoder, a damaged file, `[models] enabled =
false`) the search decides alone, and one line in the log says why.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from watchfiles import awatch

from bot.card import DESCRIPTION_LIMIT, Card, Message
from bot.errors import ConfigError, UserError
from bot.faq.index import ABSTAIN_BELOW, SearchIndex
from bot.faq.loader import HasProblems, LoadResult, Problem, load_faq
from bot.faq.model import FaqEntry
from bot.faq.render import answer_card, empty_faq_card, feedback_buttons, no_answer_card, stats_card
from bot.faq.store import FaqStore
from bot.jobs import Job
from bot.models.faq import fuse
from bot.models.matcher import FaqMatcher
from bot.settings import Settings
from bot.storage import Database

log = logging.getLogger(__name__)

ALTERNATIVES = 3
# Entries with this tag are offered when a question shares nothing with any entry.
STARTER_TAG = "basics"
# How long the watcher waits for a burst of saves to settle before reloading (milliseconds).
WATCH_DEBOUNCE_MS = 800
WATCH_RETRY_SECONDS = 30.0
# The daily privacy job runs at a quiet hour (UTC), a quarter after the moderation purge.
ERASE_AT = {"hour": 3, "minute": 45}


@dataclass(frozen=True)
class FaqVersion:
    count: int
    newest_review: date | None


@dataclass(frozen=True)
class ReloadReport(HasProblems):
    """What a reload did. `ok` False means the previous set is still being served."""

    ok: bool
    count: int
    problems: tuple[Problem, ...]

    def summary(self) -> str:
        counts = f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)"
        if self.ok:
            return f"FAQ reloaded: {self.count} entries, {counts}."
        return f"FAQ not reloaded, still serving the previous {self.count} entries: {counts}."

    def card(self) -> Card:
        """The report for the admin who asked: every problem, as many as an embed holds."""
        lines = [self.summary()]
        if not self.ok:
            lines.append("Fix these, then reload again:")
        budget = DESCRIPTION_LIMIT - 200  # room for the "...and N more" line
        for index, problem in enumerate(self.problems):
            line = f"• {problem}"
            if sum(len(x) + 1 for x in lines) + len(line) > budget:
                rest = len(self.problems) - index
                lines.append(f"…and {rest} more: run `python bot.py faq check` to see them all.")
                break
            lines.append(line)
        return Card(
            title="FAQ reloaded" if self.ok else "FAQ not reloaded",
            description="\n".join(lines),
            colour=0x2E8B57 if self.ok else 0xC0392B,
        )


@dataclass(frozen=True)
class AskResult:
    query: str
    entry: FaqEntry | None
    score: float
    alternatives: tuple[FaqEntry, ...]
    card: Card

    @property
    def message(self) -> Message:
        """The answer as members see it: with feedback buttons when it is an FAQ entry."""
        buttons = feedback_buttons(self.entry.id) if self.entry else ()
        return Message(cards=(self.card,), buttons=buttons)


class UnknownEntry(UserError):
    """An id that is not (or no longer) in the FAQ."""


@dataclass(frozen=True)
class _Faq:
    """One loaded FAQ, never modified: replaced whole by a reload."""

    index: SearchIndex
    cards: dict[str, Card]
    version: FaqVersion

    @classmethod
    def build(cls, entries: tuple[FaqEntry, ...]) -> _Faq:
        index = SearchIndex.build(entries)
        titles = {e.id: e.title for e in index.entries}
        cards = {e.id: answer_card(e, titles) for e in index.entries}
        newest = max((e.reviewed for e in index.entries), default=None)
        return cls(index, cards, FaqVersion(len(index), newest))


class FaqService:
    def __init__(
        self,
        settings: Settings,
        db: Database | None,
        faq: _Faq,
        matcher: FaqMatcher | None = None,
    ) -> None:
        self.settings = settings
        self.matcher = matcher or FaqMatcher(None, None)
        self.directory = settings.faq.directory
        self.store = FaqStore(db)  # type: ignore[arg-type]  # None only for `searching`
        self._faq = faq
        self._reload_lock = asyncio.Lock()
        self._stop = asyncio.Event()
        self._watcher: asyncio.Task[None] | None = None

    @classmethod
    async def create(
        cls, settings: Settings, db: Database, *, watch: bool | None = None
    ) -> FaqService:
        """Load the FAQ; entries with errors are left out (and logged), the rest served."""
        directory = settings.faq.directory
        if not directory.is_dir():
            raise ConfigError(
                f"[faq] directory: {directory} does not exist; create it or point the setting "
                "at the folder holding the FAQ's .md files"
            )
        loaded = await asyncio.to_thread(_load, settings)
        _log_problems(loaded.problems)
        matcher = await asyncio.to_thread(open_matcher, settings)
        service = cls(settings, db, await asyncio.to_thread(_Faq.build, loaded.entries), matcher)
        log.info("faq loaded", extra={"entries": len(loaded.entries)})
        _warn_if_empty(directory, len(loaded.entries))
        if settings.faq.watch if watch is None else watch:
            service._watcher = asyncio.create_task(service._watch(), name="faq-watch")
        return service

    @classmethod
    def from_entries(
        cls,
        settings: Settings,
        db: Database,
        entries: tuple[FaqEntry, ...],
        matcher: FaqMatcher | None = None,
    ) -> FaqService:
        """A service over given entries, without reading faq/ or watching it (benchmarks)."""
        return cls(settings, db, _Faq.build(entries), matcher)

    @classmethod
    def searching(
        cls,
        settings: Settings,
        entries: tuple[FaqEntry, ...],
        matcher: FaqMatcher | None = None,
    ) -> FaqService:
        """A service that only searches (`faq ask`): no database, nothing recorded."""
        return cls(settings, None, _Faq.build(entries), matcher)

    def jobs(self) -> list[Job]:
        """The daily privacy job, for the runner to schedule."""
        return [
            Job(
                "faq-erase-questions",
                "faq: erase the text of old questions",
                CronTrigger(**ERASE_AT, timezone=ZoneInfo("UTC")),
                self.erase_old_questions,
            )
        ]

    async def close(self) -> None:
        """Stop watching faq/ (the watcher thread notices the event within ~50 ms)."""
        self._stop.set()
        if self._watcher is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._watcher), timeout=2)
            except TimeoutError:
                self._watcher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._watcher
            self._watcher = None

    # --- reading ------------------------------------------------------------------------

    def version(self) -> FaqVersion:
        return self._faq.version

    def entries(self) -> tuple[FaqEntry, ...]:
        return self._faq.index.entries

    def get(self, entry_id: str) -> FaqEntry | None:
        return self._faq.index.by_id.get(entry_id)

    def answer(self, entry_id: str) -> Message:
        """An entry as `/faq` posts it: its card and the feedback buttons."""
        card = self._faq.cards.get(entry_id)
        if card is None:
            raise UnknownEntry(f"there is no FAQ topic '{entry_id}'; pick one from the list")
        return Message(cards=(card,), buttons=feedback_buttons(entry_id))

    def autocomplete(self, text: str) -> list[tuple[str, str]]:
        """(name, id) choices for what has been typed so far: at most 25, best first."""
        return self._faq.index.autocomplete(text)

    def search(self, question: str) -> AskResult:
        """Answer without recording anything: for the CLI, the benchmark and moderation."""
        faq = self._faq
        if not faq.index.entries:
            return AskResult(question, None, 0.0, (), empty_faq_card())
        ranking = faq.index.rank(question)
        confident = ranking.best is not None and ranking.confidence >= ABSTAIN_BELOW
        ranked = [hit.entry for hit in ranking.hits]
        score = ranking.confidence
        view = self.matcher.view(question)
        model = self.matcher.model
        # The model votes only on entries it was fitted on: an entry added since (until the
        # next `models train`) is answered by the search alone, as is any FAQ it never saw.
        unknown = confident and model is not None and ranked[0].id not in model.classes
        if view is not None and view.top in faq.index.by_id and not unknown:
            assert model is not None
            best = faq.index.by_id[view.top]
            agrees = confident and ranked[0].id == view.top
            confident = fuse(view.p_top, view.p_out, agrees, model.threshold, model.agree_threshold)
            if confident:  # the model's entry first; the search's order for the rest
                ranked = [best, *(e for e in ranked if e.id != view.top)]
            # how sure the reader that answered is: the model, or the search it agrees with
            score = max(view.p_top, ranking.confidence) if agrees else view.p_top
        if confident:
            entry = ranked[0]
            return AskResult(
                question,
                entry,
                score,
                tuple(ranked[1 : 1 + ALTERNATIVES]),
                faq.cards[entry.id],
            )
        closest = tuple(ranked[:ALTERNATIVES])
        if len(closest) < ALTERNATIVES:
            # Nothing (or too little) in common with any entry: offer starting points instead.
            starters = sorted(faq.index.entries, key=lambda e: (STARTER_TAG not in e.tags, e.id))
            closest += tuple(e for e in starters if e not in closest)[: ALTERNATIVES - len(closest)]
        return AskResult(question, None, score, closest, no_answer_card(closest))

    async def ask(self, question: str) -> AskResult:
        """Answer a member and record the question (never who asked, so the stats cannot be
        traced back to a member)."""
        result = self.search(question)
        await self.store.record_query(
            question, result.entry.id if result.entry else None, result.score
        )
        return result

    def best_match(self, text: str) -> tuple[str, str] | None:
        """(id, title) of the entry that answers `text`, if the FAQ has one it trusts."""
        result = self.search(text)
        return (result.entry.id, result.entry.title) if result.entry else None

    # --- changing -----------------------------------------------------------------------

    async def reload(self) -> ReloadReport:
        """Re-read faq/. On any error the previous set stays in service, and every problem is
        listed (and logged) so the admin can fix them all in one go."""
        async with self._reload_lock:
            loaded = await asyncio.to_thread(_load, self.settings)
            _log_problems(loaded.problems)
            if loaded.errors:
                report = ReloadReport(False, self._faq.version.count, loaded.problems)
                log.error(
                    "faq reload refused, previous set kept", extra={"errors": len(loaded.errors)}
                )
                return report
            # Building the index takes a while for a large FAQ: keep it off the event loop.
            self._faq = await asyncio.to_thread(_Faq.build, loaded.entries)
            log.info("faq reloaded", extra={"entries": len(loaded.entries)})
            _warn_if_empty(self.directory, len(loaded.entries))
            return ReloadReport(True, len(loaded.entries), loaded.problems)

    async def record_feedback(self, entry_id: str, user_id: int, helpful: bool) -> bool:
        """Record a Helpful / Not helpful vote; False if this member already voted here."""
        if self.get(entry_id) is None:
            raise UnknownEntry(f"the FAQ topic '{entry_id}' no longer exists")
        return await self.store.record_feedback(entry_id, user_id, helpful)

    async def erase_old_questions(self, now: datetime | None = None) -> int:
        """Erase the text of questions older than `[faq] query_retention_days` (the daily
        privacy job); the stats keep counting them by entry. Returns how many were erased."""
        now = now or datetime.now(UTC)
        cutoff = now - timedelta(days=self.settings.faq.query_retention_days)
        erased = await self.store.erase_questions_before(cutoff)
        if erased:
            log.info("old faq questions erased", extra={"count": erased})
        return erased

    async def stats_card(self) -> Card:
        total, answered = await self.store.counts()
        helpfulness = await self.store.helpfulness()
        return stats_card(
            total=total,
            answered=answered,
            most_asked=await self.store.most_asked(),
            unanswered=await self.store.unanswered(),
            helpfulness=[(h.entry_id, h.helpful, h.not_helpful) for h in helpfulness],
            title_of=self._title_of,
        )

    def _title_of(self, entry_id: str) -> str:
        entry = self.get(entry_id)
        return entry.title if entry else f"{entry_id} (removed)"

    async def _watch(self) -> None:
        """Reload when a .md file in faq/ changes; survive the folder vanishing for a while."""
        while not self._stop.is_set():
            try:
                async for _changes in awatch(
                    self.directory,
                    watch_filter=_is_entry_file,
                    debounce=WATCH_DEBOUNCE_MS,
                    stop_event=self._stop,
                    recursive=False,
                ):
                    report = await self.reload()
                    log.info("faq changed on disk", extra={"reloaded": report.ok})
            except Exception:
                log.exception("watching the FAQ folder failed; retrying")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), WATCH_RETRY_SECONDS)


def open_matcher(settings: Settings) -> FaqMatcher:
    """The FAQ model named by `[models]`; when it will not load, the search answers alone."""
    models = settings.models
    return FaqMatcher.open(
        models.faq_path,
        enabled=models.enabled,
        encoder_path=models.encoder_path,
        encoder_sha256=models.encoder_sha256,
    )


def _is_entry_file(_change: object, path: str) -> bool:
    name = Path(path).name
    return name.endswith(".md") and not name.startswith(("_", "."))


def _load(settings: Settings) -> LoadResult:
    return load_faq(
        settings.faq.directory,
        stale_after_days=settings.faq.stale_after_days,
        today=datetime.now(UTC).date(),
    )


def _warn_if_empty(directory: Path, count: int) -> None:
    if count == 0:
        log.warning(
            "the FAQ is empty: %s has no valid entries; members are told so until it has "
            "(check it with `python bot.py faq check %s`)",
            directory,
            directory,
        )


def _log_problems(problems: tuple[Problem, ...]) -> None:
    for problem in problems:
        if problem.is_error:
            log.error("faq: %s", problem)
        else:
            log.warning("faq: %s", problem)
