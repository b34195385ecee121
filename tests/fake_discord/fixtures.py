"""pytest fixtures for end-to-end tests against FakeDiscord.

Use from a conftest with ``from tests.fake_discord.fixtures import *`` or
``pytest_plugins = ["tests.fake_discord.fixtures"]`` (root conftest only).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio

from .harness import pointed_at
from .server import FakeDiscord

__all__ = ["assert_no_violations", "fail_on_discord_errors", "fake_discord"]


@pytest_asyncio.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A started FakeDiscord with discord.py pointed at it (restored afterwards)."""
    async with FakeDiscord() as fake:
        with pointed_at(fake):
            yield fake


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def fail_on_discord_errors() -> Iterator[list[logging.LogRecord]]:
    """Fail the test if discord.py logged an ERROR.

    discord.py only *logs* exceptions raised in event handlers, commands and views, so without
    this a broken handler looks like a bot that silently did nothing.
    """
    collector = _Collector()
    logger = logging.getLogger("discord")
    logger.addHandler(collector)
    try:
        yield collector.records
    finally:
        logger.removeHandler(collector)
    if collector.records:
        formatter = logging.Formatter("%(name)s %(levelname)s: %(message)s")
        lines = []
        for record in collector.records:
            lines.append(formatter.format(record))  # includes the traceback text
        pytest.fail("discord.py logged errors:\n" + "\n".join(lines), pytrace=False)


@pytest_asyncio.fixture
async def assert_no_violations(fake_discord: FakeDiscord) -> AsyncIterator[FakeDiscord]:
    """The fake, and a failure at teardown if the bot broke any Discord rule."""
    yield fake_discord
    if fake_discord.violations:
        pytest.fail("Discord rules broken:\n" + "\n".join(fake_discord.violations), pytrace=False)
