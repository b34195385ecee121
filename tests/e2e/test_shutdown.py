"""`python bot.py run` as an admin runs it: connects, and stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

from tests.harness import ROOT, Harness
from tests.tomlfile import merge, to_toml


async def test_sigterm_stops_scheduler_then_database_then_connections(
    harness: Harness, tmp_path: Path
) -> None:
    settings = merge(harness.settings, {"logging": {"level": "INFO"}})
    config = tmp_path / "run.toml"
    config.write_text(to_toml(settings), encoding="utf-8")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bot.py"),
        "--config",
        str(config),
        "run",
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await harness.fake.wait_until_ready(timeout=30)
        await harness.fake.wait_until_synced(timeout=30)
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    log = err.decode()
    assert process.returncode == 0, log
    assert "Traceback" not in log
    order = [
        log.index(step)
        for step in (
            "shutdown: scheduler stopped",
            "shutdown: database closed",
            "shutdown: connections closed",
        )
    ]
    assert order == sorted(order), log
    assert (tmp_path / "bot.sqlite3").exists()
