"""The ClinicalTrials.gov v2 query and the choice of each study's nearest recruiting site.

`GET {base}/api/v2/studies` with query.cond, query.intr, filter.overallStatus,
filter.geo=distance(lat,lon,Nkm), fields= only what is shown, pageSize and pageToken paging
(capped). A matching study lists all its sites worldwide, so the nearest site whose own status
is RECRUITING is chosen by great-circle distance, and a study with none in range is dropped.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from bot.http import HttpClient, RateLimiter

TREATMENTS = {
    "any": "stem cell OR mesenchymal OR hematopoietic OR HSCT",
    "ahsct": "hematopoietic stem cell transplantation OR HSCT OR AHSCT",
    "msc": "mesenchymal stem cell OR mesenchymal stromal cell OR MSC",
}
STATUSES = {
    "recruiting": ("RECRUITING",),
    "not-yet": ("NOT_YET_RECRUITING",),
    "both": ("RECRUITING", "NOT_YET_RECRUITING"),
}
SITE_STATUSES = {"RECRUITING", "NOT_YET_RECRUITING"}
FIELDS = ",".join(
    (
        "protocolSection.identificationModule.nctId",
        "protocolSection.identificationModule.briefTitle",
        "protocolSection.statusModule.overallStatus",
        "protocolSection.statusModule.lastUpdatePostDateStruct",
        "protocolSection.designModule.phases",
        "protocolSection.sponsorCollaboratorsModule.leadSponsor.name",
        "protocolSection.contactsLocationsModule.locations",
    )
)
PAGE_SIZE = 100
MAX_PAGES = 5
EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Site:
    facility: str
    city: str
    country: str
    distance_km: float
    status: str


@dataclass(frozen=True)
class Study:
    nct: str
    title: str
    phase: str
    status: str
    sponsor: str
    updated: str
    site: Site

    @property
    def url(self) -> str:
        return f"https://clinicaltrials.gov/study/{self.nct}"

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        site = data.pop("site")
        site["distance_km"] = round(site["distance_km"])
        del site["status"]
        data["status"] = self.site.status
        return {**data, "site": site, "url": self.url}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Study:
        return cls(**{**data, "site": Site(**data["site"])})


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def nearest_site(
    study: dict[str, Any], lat: float, lon: float, km: float, statuses: tuple[str, ...]
) -> Site | None:
    locations = study.get("protocolSection", {}).get("contactsLocationsModule", {})
    best: Site | None = None
    for loc in locations.get("locations", []):
        point = loc.get("geoPoint")
        if loc.get("status") not in statuses or not point:
            continue
        distance = great_circle_km(lat, lon, float(point["lat"]), float(point["lon"]))
        if distance > km or (best is not None and distance >= best.distance_km):
            continue
        best = Site(
            loc.get("facility", "(facility not given)"),
            loc.get("city", ""),
            loc.get("country", ""),
            distance,
            loc["status"],
        )
    return best


def to_study(raw: dict[str, Any], site: Site) -> Study:
    section = raw.get("protocolSection", {})
    ident = section.get("identificationModule", {})
    status = section.get("statusModule", {})
    phases = section.get("designModule", {}).get("phases") or []
    return Study(
        nct=ident.get("nctId", ""),
        title=ident.get("briefTitle", "(untitled)"),
        phase=", ".join(p.replace("_", " ").title() for p in phases) or "Not given",
        status=status.get("overallStatus", ""),
        sponsor=section.get("sponsorCollaboratorsModule", {})
        .get("leadSponsor", {})
        .get("name", "Not given"),
        updated=status.get("lastUpdatePostDateStruct", {}).get("date", ""),
        site=site,
    )


async def fetch_studies(
    http: HttpClient,
    limiter: RateLimiter,
    base_url: str,
    *,
    condition: str,
    lat: float,
    lon: float,
    km: int,
    treatment: str,
    status: str,
) -> list[Study]:
    """Every matching study with a recruiting site in range, nearest first (raises FetchError)."""
    statuses = STATUSES[status]
    params = {
        "query.cond": condition,
        "query.intr": TREATMENTS[treatment],
        "filter.overallStatus": ",".join(statuses),
        "filter.geo": f"distance({lat:.4f},{lon:.4f},{km}km)",
        "fields": FIELDS,
        "pageSize": str(PAGE_SIZE),
        "format": "json",
    }
    url = base_url.rstrip("/") + "/api/v2/studies"
    studies: list[Study] = []
    for _ in range(MAX_PAGES):
        page = await http.get_json(url, source="trials", params=params, limiter=limiter)
        for raw in page.get("studies", []):
            site = nearest_site(raw, lat, lon, km, statuses)
            if site is not None:
                studies.append(to_study(raw, site))
        token = page.get("nextPageToken")
        if not token:
            break
        params = {**params, "pageToken": token}
    return sorted(studies, key=lambda s: s.site.distance_km)
