"""`python bot.py digest preview` as an admin runs it: a real process against the fake sources."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.settings import Settings
from tests.digest.conftest import SettingsFactory
from tests.digest.fakes import FakeResearch

ROOT = Path(__file__).resolve().parents[2]
TODAY = datetime.now(UTC).date()


async def bot_py(settings: Settings, *args: str) -> tuple[int, str, str]:
    assert settings.config_path is not None
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bot.py"),
        "--config",
        str(settings.config_path),
        *args,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_preview_prints_items_and_creates_no_database(
    research: FakeResearch, make_settings: SettingsFactory
) -> None:
    research.add_article(
        "42000001",
        "Autologous HSCT in progressive MS: a prospective cohort",
        entrez=TODAY - timedelta(days=2),
    )
    research.add_article("42000002", "An older paper", entrez=TODAY - timedelta(days=10))
    settings = make_settings(digest={"clinicaltrials": {"enabled": False}})

    code, out, err = await bot_py(settings, "digest", "preview", "--days", "5")

    assert code == 0, err
    assert "Autologous HSCT in progressive MS: a prospective cohort" in out
    assert "Observational study" in out
    assert "An older paper" not in out
    assert not settings.database.path.exists(), "a preview records nothing"


async def test_preview_rejects_a_bad_number_of_days(make_settings: SettingsFactory) -> None:
    code, _, err = await bot_py(make_settings(), "digest", "preview", "--days", "soon")
    assert code == 2
    assert "--days: must be a whole number of days, got 'soon'" in err
