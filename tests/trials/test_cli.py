"""`python bot.py trials search` as an admin or a script runs it: a real process against the
local ClinicalTrials.gov."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from tests.trials.fake import FakeRegistry

ROOT = Path(__file__).resolve().parents[2]


async def bot_py(tmp_path: Path, registry: FakeRegistry, *args: str) -> tuple[int, str, str]:
    config = tmp_path / "settings.toml"
    config.write_text(
        f'[database]\npath = "{(tmp_path / "bot.sqlite3").as_posix()}"\n'
        "[digest]\nmax_retries = 1\nretry_backoff_seconds = 0.01\n"
        f'[digest.clinicaltrials]\nbase_url = "{registry.base}"\n'
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bot.py"),
        "--config",
        str(config),
        "trials",
        "search",
        *args,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_json_is_one_object_per_study_nearest_first(
    tmp_path: Path, trials_registry: FakeRegistry
) -> None:
    code, out, err = await bot_py(tmp_path, trials_registry, "--near", "Sheffield, GB", "--json")
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 7
    assert rows[0] == {
        "nct": "NCT10000001",
        "title": "Stem cell study at Sheffield",
        "phase": "Phase2",
        "status": "RECRUITING",
        "sponsor": "Sponsor of NCT10000001",
        "updated": "2026-11-01",
        "site": {
            "facility": "Royal Hallamshire Hospital",
            "city": "Sheffield",
            "country": "United Kingdom",
            "distance_km": 3,  # from the place rounded to 0.1 degree, as the cache keeps it
        },
        "url": "https://clinicaltrials.gov/study/NCT10000001",
    }
    distances = [row["site"]["distance_km"] for row in rows]
    assert distances == sorted(distances) and distances[-1] < 300
    # Closed near Sheffield, recruiting only in Madrid: not listed.
    assert "NCT20000001" not in {row["nct"] for row in rows}


async def test_options_reach_the_registry_and_text_ends_with_the_caution(
    tmp_path: Path, trials_registry: FakeRegistry
) -> None:
    args = ("--near", "Sheffield, GB", "--km", "60", "--treatment", "msc", "--status", "both")
    code, out, err = await bot_py(tmp_path, trials_registry, *args)
    assert code == 0, err
    query = trials_registry.requests[-1]
    assert query["filter.geo"] == "distance(53.4000,-1.5000,60km)"
    assert query["filter.overallStatus"] == "RECRUITING,NOT_YET_RECRUITING"
    assert "mesenchymal" in query["query.intr"]
    assert "Stem cell study at Leeds <https://clinicaltrials.gov/study/NCT10000002>" in out
    assert "Stem cell study at Sheffield" not in out  # aHSCT, not MSC
    flat = " ".join(out.split())
    assert "2 studies (MSC) with a recruiting or soon-recruiting site within 60 km of" in flat
    assert flat.endswith("see the FAQ entries clinical-trials and unproven-clinics.")


async def test_unknown_place_exits_2_with_the_closest_names(
    tmp_path: Path, trials_registry: FakeRegistry
) -> None:
    code, out, err = await bot_py(tmp_path, trials_registry, "--near", "Sheffeld", "--json")
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith('unknown place "Sheffeld"; closest: "Sheffield, United Kingdom"')
    assert trials_registry.requests == []


async def test_registry_down_is_one_line_and_exit_1(
    tmp_path: Path, trials_registry: FakeRegistry
) -> None:
    trials_registry.failures = [503, 503]
    code, out, err = await bot_py(tmp_path, trials_registry, "--near", "Sheffield, GB")
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("I couldn't reach ClinicalTrials.gov"), err
