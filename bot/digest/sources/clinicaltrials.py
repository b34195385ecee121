"""ClinicalTrials.gov API v2: trials for the condition and interventions, new or updated.

The NCT id is the key and the last-update date the version, so a trial that changes comes
back as "updated" rather than as a new trial. Pages are followed through `nextPageToken`,
with a cap and a loop check so a misbehaving server cannot keep the digest paging for ever.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.digest.evidence import trial_phase, trial_status
from bot.digest.model import CLINICALTRIALS, Evidence, Item
from bot.digest.render import Group
from bot.digest.sources.base import Fetched, Source, Window
from bot.digest.sources.common import clean_title, first_error
from bot.http import FetchError, HttpClient, RateLimiter
from bot.settings import ClinicalTrialsSettings, DigestSettings

API_PATH = "/api/v2/studies"
MAX_PAGES = 20
COLOUR = 0x2E7D32
FIELDS = ",".join(
    (
        "NCTId",
        "BriefTitle",
        "Acronym",
        "OverallStatus",
        "Phase",
        "StudyType",
        "LastUpdatePostDate",
        "StudyFirstPostDate",
        "LeadSponsorName",
    )
)


class _Payload(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _DateStruct(_Payload):
    date: str


class _Identification(_Payload):
    nctId: str = Field(pattern=r"^NCT\d{8}$")
    briefTitle: str = ""
    officialTitle: str = ""
    acronym: str = ""


class _Status(_Payload):
    overallStatus: str = "UNKNOWN"
    lastUpdatePostDateStruct: _DateStruct | None = None
    studyFirstPostDateStruct: _DateStruct | None = None


class _Design(_Payload):
    studyType: str = ""
    phases: list[str] = []


class _Sponsor(_Payload):
    name: str = ""


class _Sponsors(_Payload):
    leadSponsor: _Sponsor = _Sponsor()


class _Protocol(_Payload):
    identificationModule: _Identification
    sponsorCollaboratorsModule: _Sponsors = _Sponsors()
    statusModule: _Status = _Status()
    designModule: _Design = _Design()


class _Study(_Payload):
    protocolSection: _Protocol


class _Page(_Payload):
    studies: list[_Study]
    nextPageToken: str | None = None


def rate_limiter(settings: ClinicalTrialsSettings) -> RateLimiter:
    return RateLimiter(settings.requests_per_second)


def search_url(settings: ClinicalTrialsSettings) -> str:
    """The website's own search for the same trials, for "and N more"."""
    query = {
        "cond": settings.condition,
        "intr": settings.interventions,
        "sort": "LastUpdatePostDate",
    }
    return f"{settings.base_url.rstrip('/')}/search?{urlencode(query)}"


async def fetch(
    http: HttpClient,
    settings: ClinicalTrialsSettings,
    limiter: RateLimiter,
    since: date,
) -> list[Item]:
    """Trials whose registration was posted or updated on or after `since`."""
    url = settings.base_url.rstrip("/") + API_PATH
    params = {
        "format": "json",
        "query.cond": settings.condition,
        "query.intr": settings.interventions,
        "filter.advanced": f"AREA[LastUpdatePostDate]RANGE[{since.isoformat()},MAX]",
        "fields": FIELDS,
        "sort": "LastUpdatePostDate:desc",
        "pageSize": str(settings.page_size),
    }
    if settings.statuses:
        params["filter.overallStatus"] = ",".join(s.upper() for s in settings.statuses)
    items: list[Item] = []
    seen_tokens: set[str] = set()
    token: str | None = None
    for _ in range(MAX_PAGES):
        page_params = {**params, "pageToken": token} if token else params
        payload = await http.get_json(
            url, source=CLINICALTRIALS, params=page_params, limiter=limiter
        )
        page = parse_page(payload, settings.base_url)
        items.extend(page[0])
        token = page[1]
        if not token:
            return items
        if token in seen_tokens:
            raise FetchError("the trial registry repeated a page token; stopped paging")
        seen_tokens.add(token)
    raise FetchError(
        f"more than {MAX_PAGES} pages of trials; narrow the condition or interventions"
    )


def parse_page(payload: Any, site: str) -> tuple[list[Item], str | None]:
    """One page of /api/v2/studies -> (items, next page token)."""
    try:
        page = _Page.model_validate(payload)
    except ValidationError as exc:
        raise FetchError(f"the trial registry answered unexpectedly ({first_error(exc)})") from None
    site = site.rstrip("/")
    items = []
    for study in page.studies:
        ident = study.protocolSection.identificationModule
        status = study.protocolSection.statusModule
        design = study.protocolSection.designModule
        updated = _date(status.lastUpdatePostDateStruct)
        title = clean_title(ident.briefTitle or ident.officialTitle or ident.nctId)
        if ident.acronym and ident.acronym.lower() not in title.lower():
            title = f"{ident.acronym}: {title}"
        items.append(
            Item(
                source=CLINICALTRIALS,
                key=ident.nctId,
                title=title,
                url=f"{site}/study/{ident.nctId}",
                version=updated.isoformat() if updated else "",
                kind=_kind(design.studyType),
                detail=_detail(design, status.overallStatus),
                news_date=updated,
                first_posted=_date(status.studyFirstPostDateStruct),
                sponsor=" ".join(
                    study.protocolSection.sponsorCollaboratorsModule.leadSponsor.name.split()
                ),
            )
        )
    return items, page.nextPageToken or None


def _kind(study_type: str) -> Evidence:
    kind = study_type.upper()
    if kind == "OBSERVATIONAL":
        return Evidence.OBSERVATIONAL
    if kind == "INTERVENTIONAL":
        return Evidence.TRIAL
    return Evidence.OTHER


def _detail(design: _Design, status: str) -> str:
    phase = trial_phase(design.phases)
    kind = design.studyType.upper()
    if kind == "EXPANDED_ACCESS":
        what = "Expanded access"
    elif kind == "OBSERVATIONAL":
        what = "Observational study"
    else:
        what = f"Clinical trial, {phase}" if phase else "Clinical trial"
    return f"{what} · {trial_status(status)}"


def _date(struct: _DateStruct | None) -> date | None:
    """Registry dates are YYYY-MM-DD, sometimes only YYYY-MM."""
    if struct is None:
        return None
    for fmt in ("%Y-%m-%d", "%Y-%m"):
        try:
            return datetime.strptime(struct.date, fmt).date()
        except ValueError:
            continue
    return None


class ClinicalTrialsSource:
    """The `[digest.clinicaltrials]` search as a digest source."""

    id = CLINICALTRIALS
    name = "ClinicalTrials.gov"

    def __init__(self, settings: ClinicalTrialsSettings, http: HttpClient) -> None:
        self.settings = settings
        self.http = http
        self.limiter = rate_limiter(settings)
        self.group = Group(
            CLINICALTRIALS, "Trials on ClinicalTrials.gov", search_url(settings), COLOUR
        )

    async def fetch(self, window: Window) -> Fetched:
        # The registry filters on the last-update date, open-ended: "until" is today anyway.
        return Fetched(await fetch(self.http, self.settings, self.limiter, window.since))


def configured(config: DigestSettings, http: HttpClient) -> list[Source]:
    enabled = config.clinicaltrials.enabled
    return [ClinicalTrialsSource(config.clinicaltrials, http)] if enabled else []
