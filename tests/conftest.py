"""Fixtures for end-to-end tests: the real bot against the fake Discord.

`harness` gives an unstarted `Harness` (call `await harness.start(settings={...})`, the settings
merged over safe defaults); `running` gives one already started with the defaults. Either way
the test fails at teardown if discord.py or the bot logged an ERROR, or if the fake saw the
bot break one of Discord's rules (an over-long embed, a late or double acknowledgement...).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.digest.fakes import FakeResearch
from tests.harness import Harness, open_harness
from tests.trials.fake import FakeRegistry, uk_studies


@pytest.fixture(autouse=True)
def private_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a settings file the database goes to the per-user data folder: keep a test's
    in its own temporary folder, never the real home."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user-data"))


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    h, fake = await open_harness(tmp_path)
    try:
        yield h
    finally:
        await h.stop()
        await fake.stop()
        root.handlers[:] = saved[0]  # the error collector and the bot's own handler
        root.setLevel(saved[1])
    if h.errors.records:
        pytest.fail("discord.py or the bot logged errors:\n" + h.errors.report())
    if fake.violations:
        pytest.fail("the bot broke Discord's rules:\n" + "\n".join(map(str, fake.violations)))


@pytest.fixture
async def running(harness: Harness) -> Harness:
    await harness.start()
    return harness


@pytest.fixture
async def research() -> AsyncIterator[FakeResearch]:
    """PubMed, ClinicalTrials.gov and feeds, played by one local server."""
    server = FakeResearch()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
async def trials_registry() -> AsyncIterator[FakeRegistry]:
    """ClinicalTrials.gov's `/api/v2/studies`, played on 127.0.0.1 with the UK studies."""
    server = FakeRegistry(page_size=5)
    server.studies = uk_studies()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
