"""A local ClinicalTrials.gov `/api/v2/studies` on 127.0.0.1 honouring filter.geo,
filter.overallStatus, query.intr and pageToken paging, with faults a test can queue."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from aiohttp import web

from bot.trials.registry import great_circle_km


def site(facility: str, city: str, country: str, lat: float, lon: float, status: str) -> dict:
    return {
        "facility": facility,
        "city": city,
        "country": country,
        "status": status,
        "geoPoint": {"lat": lat, "lon": lon},
    }


def study(nct: str, title: str, intr: str, sites: list[dict], status: str = "RECRUITING") -> dict:
    return {
        "protocolSection": {
            "identificationModule": {"nctId": nct, "briefTitle": title},
            "statusModule": {
                "overallStatus": status,
                "lastUpdatePostDateStruct": {"date": "2026-11-01", "type": "ACTUAL"},
            },
            "designModule": {"phases": ["PHASE2"]},
            "sponsorCollaboratorsModule": {"leadSponsor": {"name": f"Sponsor of {nct}"}},
            "contactsLocationsModule": {"locations": sites},
            "interventions": intr,
        }
    }


class FakeRegistry:
    def __init__(self, page_size: int = 2) -> None:
        self.studies: list[dict[str, Any]] = []
        self.failures: list[int] = []
        self.requests: list[dict[str, str]] = []
        self.page_size = page_size
        self.delay = 0.0  # seconds before each answer: a slow registry
        self.base = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/api/v2/studies", self._studies)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        tcp = web.TCPSite(self._runner, "127.0.0.1", 0)
        await tcp.start()
        port = tcp._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    async def _studies(self, request: web.Request) -> web.Response:
        q = dict(request.query)
        self.requests.append(q)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.failures:
            return web.Response(status=self.failures.pop(0), text="down")
        lat, lon, km = re.fullmatch(
            r"distance\(([-\d.]+),([-\d.]+),(\d+)km\)", q["filter.geo"]
        ).groups()  # type: ignore[union-attr]
        statuses = q["filter.overallStatus"].split(",")
        words = [w.strip().lower() for w in q["query.intr"].split(" OR ")]
        matching = []
        for s in self.studies:
            sec = s["protocolSection"]
            if sec["statusModule"]["overallStatus"] not in statuses:
                continue
            if not any(w in sec["interventions"].lower() for w in words):
                continue
            # Like the registry: a study matches if any site is in range; all its sites return.
            if not any(
                great_circle_km(float(lat), float(lon), x["geoPoint"]["lat"], x["geoPoint"]["lon"])
                <= float(km)
                for x in sec["contactsLocationsModule"]["locations"]
            ):
                continue
            matching.append(s)
        start = int(q.get("pageToken", "0"))
        body: dict[str, Any] = {"studies": matching[start : start + self.page_size]}
        if start + self.page_size < len(matching):
            body["nextPageToken"] = str(start + self.page_size)
        return web.json_response(body)


# Sites around Sheffield, nearest first (distances from Sheffield's centre, roughly).
UK_SITES = [
    ("Royal Hallamshire Hospital", "Sheffield", 53.378, -1.488),  # 2 km
    ("Leeds General Infirmary", "Leeds", 53.802, -1.552),  # 47 km
    ("Salford Royal", "Salford", 53.487, -2.323),  # 58 km
    ("Queen's Medical Centre", "Nottingham", 52.944, -1.185),  # 52 km
    ("Queen Elizabeth Hospital", "Birmingham", 52.453, -1.939),  # 109 km
    ("Addenbrooke's Hospital", "Cambridge", 52.175, 0.140),  # 170 km
    ("King's College Hospital", "London", 51.468, -0.094),  # 230 km
]


MSC = "mesenchymal stem cell"


def uk_studies() -> list[dict[str, Any]]:
    """Seven studies recruiting at one UK site each (two pages of five near Sheffield), one
    whose only nearby site has closed, and one recruiting only in Madrid."""
    found = [
        study(
            f"NCT1000000{i}",
            f"Stem cell study at {city}",
            "autologous hematopoietic stem cell transplantation" if i % 2 else MSC,
            [site(facility, city, "United Kingdom", lat, lon, "RECRUITING")],
        )
        for i, (facility, city, lat, lon) in enumerate(UK_SITES, start=1)
    ]
    found.append(
        study(
            "NCT20000001",
            "Closed near Sheffield, open in Madrid",
            "mesenchymal stem cell",
            [
                site("Northern General", "Sheffield", "United Kingdom", 53.41, -1.46, "COMPLETED"),
                site("La Paz", "Madrid", "Spain", 40.48, -3.69, "RECRUITING"),
            ],
        )
    )
    return found
