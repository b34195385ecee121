"""`TrialsService`: search (cached an hour per query), pages as data, and the message to show.

The cache key is a hash of the place's coordinates rounded to 0.1 degree plus the options;
nothing else about the member's place is kept, and the `trials-cache-purge` job removes
entries once their hour is over. Discord, the console and the CLI all ask `answer()` for a
first page and `turn()` for another, so each shows the same words and the same buttons.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from zoneinfo import ZoneInfo

from apscheduler.triggers.interval import IntervalTrigger

from bot.card import Button, Card, CardField, Message, shorten
from bot.http import FetchError, HttpClient, RateLimiter
from bot.jobs import Job
from bot.settings import Settings
from bot.storage import Database
from bot.trials.gazetteer import Place, UnknownPlace, gazetteer
from bot.trials.registry import Study, fetch_studies

PER_PAGE = 5
CACHE_SECONDS = 3600
PURGE_EVERY_SECONDS = 60  # so an expired entry (and its rounded coordinates) goes within a minute
PURGE_JOB_ID = "trials-cache-purge"
# A Previous/Next button: the search's cache key, the page to show, the member who asked.
BUTTON = re.compile(r"trials:(?P<key>[0-9a-f]{16}):(?P<page>-?[0-9]{1,4}):(?P<member>[0-9]{1,20})")
TREATMENT_WORDS = {"any": "stem-cell", "ahsct": "aHSCT", "msc": "MSC"}
STATUS_WORDS = {
    "recruiting": "a recruiting site",
    "not-yet": "a site not yet recruiting",
    "both": "a recruiting or soon-recruiting site",
}
CAUTION = (
    "Being listed on ClinicalTrials.gov is not a check of a study, and some clinics list "
    "studies you must pay for. Ask the study team and your neurologist; see the FAQ entries "
    "`clinical-trials` and `unproven-clinics`."
)
UNREACHABLE = (
    "I couldn't reach ClinicalTrials.gov just now, sorry. Please try again in a few minutes."
)
EXPIRED = (
    "These results are more than an hour old and no longer kept. Run /trials again for fresh ones."
)


@dataclass(frozen=True)
class Query:
    lat: float
    lon: float
    km: int = 300
    treatment: str = "any"
    status: str = "recruiting"

    @property
    def key(self) -> str:
        """Short and stable: it travels in button custom ids (`trials:<key>:<page>:<member>`)."""
        text = f"{self.lat:.1f},{self.lon:.1f},{self.km},{self.treatment},{self.status}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def rounded(self) -> Query:
        return Query(round(self.lat, 1), round(self.lon, 1), self.km, self.treatment, self.status)


@dataclass(frozen=True)
class Page:
    query_key: str
    number: int
    pages: int
    studies: tuple[Study, ...]
    total: int
    error: str | None = None


class TrialsService:
    def __init__(
        self,
        settings: Settings,
        db: Database,
        http: HttpClient,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.db = db
        self.http = http
        self.limiter = RateLimiter(1.0)
        self.clock = clock

    @classmethod
    def create(cls, settings: Settings, db: Database, **kw: object) -> TrialsService:
        http = HttpClient.from_settings(settings.digest, kw.pop("sleep", None))  # type: ignore[arg-type]
        return cls(settings, db, http, **kw)  # type: ignore[arg-type]

    async def close(self) -> None:
        await self.http.close()

    def jobs(self) -> list[Job]:
        """The cache purge: searches (rounded coordinates included) go once their hour ends."""
        return [
            Job(
                PURGE_JOB_ID,
                "trials: forget searches older than an hour",
                IntervalTrigger(seconds=PURGE_EVERY_SECONDS, timezone=ZoneInfo("UTC")),
                self.purge,
            )
        ]

    def prepare(self) -> None:
        """Build the gazetteer now (a second or so, once per process), so that the first
        autocomplete is answered within Discord's 3 seconds. Blocking: run it in a thread."""
        gazetteer()

    def place(self, text: str) -> Place | UnknownPlace:
        return gazetteer().resolve(text)

    def complete(self, text: str) -> list[str]:
        return gazetteer().complete(text)

    async def studies(self, query: Query) -> list[Study]:
        """Nearest first; from the cache when fetched within the hour (raises FetchError)."""
        query = query.rounded()
        now = self.clock()
        row = await self.db.fetchone(
            "SELECT results FROM trials_cache WHERE key = ? AND fetched_at > ?",
            (query.key, now - CACHE_SECONDS),
        )
        if row is not None:
            return [Study.from_json(s) for s in json.loads(row["results"])]
        config = self.settings.digest.clinicaltrials
        found = await fetch_studies(
            self.http,
            self.limiter,
            config.base_url,
            condition=config.condition,
            lat=query.lat,
            lon=query.lon,
            km=query.km,
            treatment=query.treatment,
            status=query.status,
        )
        await self.db.execute(
            "INSERT OR REPLACE INTO trials_cache (key, fetched_at, results) VALUES (?, ?, ?)",
            (query.key, now, json.dumps([asdict(s) for s in found])),
        )
        return found

    async def cached(self, key: str) -> list[Study] | None:
        """The studies of an earlier search by its key, if still in the cache."""
        row = await self.db.fetchone(
            "SELECT results FROM trials_cache WHERE key = ? AND fetched_at > ?",
            (key, self.clock() - CACHE_SECONDS),
        )
        return None if row is None else [Study.from_json(s) for s in json.loads(row["results"])]

    async def search(self, query: Query, page: int = 0) -> Page:
        try:
            found = await self.studies(query)
        except FetchError:
            return Page(query.rounded().key, 0, 0, (), 0, error=UNREACHABLE)
        return paginate(query.rounded().key, found, page)

    async def purge(self) -> int:
        """Drop entries older than the hour (and with them their rounded coordinates)."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM trials_cache WHERE fetched_at <= ?", (self.clock() - CACHE_SECONDS,)
            )
            return cursor.rowcount

    async def answer(
        self,
        place_text: str,
        member_id: int,
        *,
        km: int = 300,
        treatment: str = "any",
        status: str = "recruiting",
    ) -> Message:
        """The first page for a member's search, or one kind line saying what went wrong."""
        place = self.place(place_text)
        if isinstance(place, UnknownPlace):
            return Message(content=unknown_place_line(place))
        if not 1 <= km <= 20_000:
            return Message(content="Please choose a distance between 1 and 20000 km.")
        query = Query(place.lat, place.lon, km, treatment, status)
        page = await self.search(query)
        return self.page_message(page, member_id, describe(query, place))

    async def turn(self, custom_id: str, member_id: int) -> Message | None:
        """Another page of an earlier search, from a button's custom_id; None if the id is
        not a trials button or belongs to another member (the caller refuses kindly)."""
        match = BUTTON.fullmatch(custom_id)
        if match is None or int(match["member"]) != member_id:
            return None
        found = await self.cached(match["key"])
        if found is None:
            return Message(content=EXPIRED)
        return self.page_message(paginate(match["key"], found, int(match["page"])), member_id)

    def page_message(self, page: Page, member_id: int, place: str = "") -> Message:
        """`place` is the search described (`describe()`), shown on a first page only: later
        pages come from the cache, which keeps no place name."""
        if page.error:
            return Message(content=page.error)
        if not page.studies:
            where = place or " with a recruiting site nearby"
            return Message(content=f"I found no study{where}.\n{CAUTION}")
        cards = tuple(study_card(s) for s in page.studies)
        noun = "study" if page.total == 1 else "studies"
        head = f"{page.total} {noun}{place}, page {page.number + 1} of {page.pages}"
        buttons = (
            Button(
                "Previous",
                f"trials:{page.query_key}:{page.number - 1}:{member_id}",
                disabled=page.number == 0,
            ),
            Button(
                "Next",
                f"trials:{page.query_key}:{page.number + 1}:{member_id}",
                disabled=page.number + 1 >= page.pages,
            ),
        )
        return Message(content=f"{head}\n{CAUTION}", cards=cards, buttons=buttons)


def describe(query: Query, place: Place) -> str:
    """ " with a recruiting site within 300 km of Sheffield, United Kingdom" (aHSCT...)."""
    where = place.name + (f" (measured from {place.centre})" if place.centre else "")
    kind = "" if query.treatment == "any" else f" ({TREATMENT_WORDS[query.treatment]})"
    return f"{kind} with {STATUS_WORDS[query.status]} within {query.km} km of {where}"


def unknown_place_line(place: UnknownPlace) -> str:
    if not place.closest:
        return (
            f'I don\'t know a place called "{place.text}". Try a city and its country, '
            'like "Sheffield, United Kingdom", or a country alone.'
        )
    names = ", ".join(f'"{n}"' for n in place.closest)
    return f'I don\'t know a place called "{place.text}". Did you mean {names}?'


def paginate(key: str, found: list[Study], page: int) -> Page:
    pages = max(1, -(-len(found) // PER_PAGE))
    page = min(max(page, 0), pages - 1)
    chunk = tuple(found[page * PER_PAGE : (page + 1) * PER_PAGE])
    return Page(key, page, pages, chunk, len(found))


def study_card(study: Study) -> Card:
    site = study.site
    where = ", ".join(p for p in (site.city, site.country) if p)
    return Card(
        title=shorten(study.title, 256),
        url=study.url,
        fields=(
            CardField("Phase", study.phase, inline=True),
            CardField("Sponsor", shorten(study.sponsor, 200), inline=True),
            CardField(
                "Nearest site",
                f"{shorten(site.facility, 200)}, {where}: about {site.distance_km:.0f} km "
                f"({site.status.replace('_', ' ').lower()})",
            ),
        ),
        footer=f"{study.nct} · last updated {study.updated or 'not given'}",
    )
