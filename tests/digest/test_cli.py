"""`python bot.py digest preview` as an admin runs it: a real process against the fake sources."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.settings import Settings
from tests.digest.conftest import SettingsFactory
from tests.digest.fakes import FakeResearch
from tests.digest.unreachable import INVALID_HOST, closed_port, resolves_offline_fast

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


async def test_preview_with_every_source_unreachable_says_so_and_exits_1(
    make_settings: SettingsFactory,
) -> None:
    gone = f"http://127.0.0.1:{closed_port()}"
    feeds = [{"name": "Refused feed", "url": f"{gone}/rss"}]
    if await resolves_offline_fast():
        feeds.append({"url": f"http://{INVALID_HOST}/rss"})
    settings = make_settings(
        digest={
            "retry_backoff_seconds": 0.5,
            "pubmed": {"base_url": f"{gone}/eutils/"},
            "clinicaltrials": {"base_url": gone},
            "feeds": feeds,
        }
    )

    code, out, err = await bot_py(settings, "digest", "preview", "--days", "5")

    assert code == 1, err
    lines = out.strip().splitlines()
    port = gone.rsplit(":", 1)[1]
    expected = [
        f"PubMed: failed: cannot reach 127.0.0.1:{port}/eutils/esearch.fcgi "
        "(connection refused) after 2 attempts",
        f"ClinicalTrials.gov: failed: cannot reach 127.0.0.1:{port}/api/v2/studies "
        "(connection refused) after 2 attempts",
        f"Refused feed: failed: cannot reach 127.0.0.1:{port}/rss "
        "(connection refused) after 2 attempts",
    ]
    if len(feeds) == 2:
        assert lines[3].startswith(
            f"{INVALID_HOST}: failed: cannot reach {INVALID_HOST}/rss (host name not found: "
        )
        assert lines[3].endswith("after 2 attempts")
    assert lines[:3] == expected
    assert lines[-1] == (
        f"Every source failed ({len(feeds) + 2} of {len(feeds) + 2}): nothing could be fetched, "
        "so there is nothing to preview. Check the network and each source's url."
    )
    assert len(lines) == len(feeds) + 3
    assert "Nothing new would be posted" not in out
    assert err == "", "the report says it once; no attempt-by-attempt warnings"


async def test_preview_with_some_sources_failing_reports_them_and_shows_the_rest(
    research: FakeResearch, make_settings: SettingsFactory
) -> None:
    research.add_article("42000001", "aHSCT in MS: a cohort", entrez=TODAY - timedelta(days=2))
    gone = f"http://127.0.0.1:{closed_port()}"
    settings = make_settings(digest={"clinicaltrials": {"base_url": gone}})

    code, out, err = await bot_py(settings, "digest", "preview", "--days", "5")

    assert code == 0, err
    assert "ClinicalTrials.gov: failed: cannot reach 127.0.0.1:" in out
    assert "1 of 2 sources failed; a run now would leave them out" in out
    assert "aHSCT in MS: a cohort" in out
