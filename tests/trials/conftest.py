from __future__ import annotations

import pytest

from bot.settings import Settings
from bot.storage import Database
from bot.trials.service import TrialsService
from tests.trials.fake import FakeRegistry, site, study

SHEFFIELD = (53.38297, -1.4659)


def seed(fake: FakeRegistry) -> None:
    fake.studies = [
        study(
            "NCT00000001",
            "aHSCT versus best therapy",
            "autologous hematopoietic stem cell transplantation",
            [
                site(
                    "Royal Hallamshire", "Sheffield", "United Kingdom", 53.378, -1.488, "RECRUITING"
                ),
                site("Karolinska", "Stockholm", "Sweden", 59.35, 18.03, "RECRUITING"),
            ],
        ),
        study(
            "NCT00000002",
            "MSC in progressive MS",
            "mesenchymal stem cell",
            [
                site("Leeds Clinic", "Leeds", "United Kingdom", 53.80, -1.55, "COMPLETED"),
                site("London Clinic", "London", "United Kingdom", 51.51, -0.13, "RECRUITING"),
            ],
        ),
        study(
            "NCT00000003",
            "Closed nearby, open far away",
            "mesenchymal stem cell",
            [
                site(
                    "Manchester", "Manchester", "United Kingdom", 53.48, -2.24, "NOT_YET_RECRUITING"
                ),
                site("Madrid", "Madrid", "Spain", 40.42, -3.70, "RECRUITING"),
            ],
        ),
        study(
            "NCT00000004",
            "Far away only",
            "hematopoietic stem cell",
            [site("Chicago", "Chicago", "United States", 41.88, -87.63, "RECRUITING")],
        ),
    ]


@pytest.fixture
async def registry():
    fake = FakeRegistry()
    seed(fake)
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def service(registry, tmp_path):
    settings = Settings.model_validate(
        {
            "database": {"path": str(tmp_path / "bot.db")},
            "digest": {
                "max_retries": 1,
                "retry_backoff_seconds": 0.01,
                "clinicaltrials": {"base_url": registry.base},
            },
        }
    )
    db = await Database.open(settings.database.path)
    svc = TrialsService.create(settings, db)
    yield svc
    await svc.close()
    await db.close()
