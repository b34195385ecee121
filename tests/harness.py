"""Start the real bot, as `python bot.py run` does, against the fake Discord.

The harness writes a settings file into a temporary folder (the fake's endpoints, a fresh
database, a copy of the FAQ, outside sources switched off unless a test points them at a local
server), starts the bot through `bot.discord.runner.start_bot`, and can restart it on the same
database to prove that what must survive a restart does.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.app import App
from bot.discord.client import StemCellBot
from bot.discord.runner import Running, start_bot
from bot.logs import setup_logging
from bot.settings import load_settings
from tests.fake_discord import FakeDiscord
from tests.fake_discord.guild import (
    ADMIN_ROLE_ID,
    DIGEST_CHANNEL_ID,
    EXEMPT_CHANNEL_ID,
    GUILD_ID,
    MOD_ROLE_ID,
    REVIEW_CHANNEL_ID,
)
from tests.tomlfile import merge, to_toml

ROOT = Path(__file__).resolve().parents[1]


def base_settings(fake: FakeDiscord, tmp_path: Path) -> dict[str, Any]:
    return {
        "discord": {
            "token": "fake-token",
            "api_base": fake.api_base,
            "gateway_url": fake.gateway_url,
            "guild_ids": [GUILD_ID],
            "admin_role_ids": [ADMIN_ROLE_ID],
            "guild_ready_timeout": 0.05,
        },
        "database": {"path": (tmp_path / "bot.sqlite3").as_posix()},
        "faq": {"directory": (tmp_path / "faq").as_posix(), "watch": False},
        "moderation": {
            "review_channel_id": REVIEW_CHANNEL_ID,
            "moderator_role_ids": [MOD_ROLE_ID],
            "exempt_channel_ids": [EXEMPT_CHANNEL_ID],
        },
        "digest": {
            "channel_id": DIGEST_CHANNEL_ID,
            "pubmed": {"enabled": False},
            "clinicaltrials": {"enabled": False},
        },
    }


class ErrorLog(logging.Handler):
    """Collects ERROR records from discord.py and the bot: an exception in an event handler
    is only logged, so without this a broken handler would pass its test."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []
        self.allowed: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.split(".")[0] in {"discord", "bot"}:
            if not any(text in record.getMessage() for text in self.allowed):
                self.records.append(record)

    def report(self) -> str:
        return "\n".join(
            f"{r.name}: {r.getMessage()}\n{self.format(r) if r.exc_info else ''}"
            for r in self.records
        )


@dataclass
class Harness:
    fake: FakeDiscord
    tmp_path: Path
    errors: ErrorLog
    settings: dict[str, Any] = field(default_factory=dict)
    running: Running | None = None
    start_to_ready: float = 0.0

    @property
    def settings_path(self) -> Path:
        return self.tmp_path / "settings.toml"

    @property
    def bot(self) -> StemCellBot | None:
        return self.running.bot if self.running else None

    @property
    def app(self) -> App:
        assert self.running is not None, "start the bot first"
        return self.running.app

    async def start(self, settings: Mapping[str, Any] | None = None) -> StemCellBot:
        """Start the bot (the settings merge over the harness defaults) and wait until ready."""
        if settings:
            self.settings = merge(self.settings, settings)
        self.settings_path.write_text(to_toml(self.settings), encoding="utf-8")
        loaded = load_settings(self.settings_path)
        # As `python bot.py run` does: the bot's own handlers and levels (INFO by default), so
        # a log call that only breaks at INFO breaks here too.
        setup_logging(loaded.logging.level)
        began = time.perf_counter()
        self.running = await start_bot(loaded)
        # Commands are synced in setup_hook, inside login, so ready means synced too.
        await asyncio.wait_for(self.running.bot.wait_until_ready(), 10)
        self.start_to_ready = time.perf_counter() - began
        return self.running.bot

    async def stop(self) -> None:
        """Stop the bot as SIGTERM does (scheduler, features, cores and database, Discord)."""
        if self.running is None:
            return
        await self.running.close()
        if self.running.task is not None:
            try:
                await asyncio.wait_for(self.running.task, 5)
            except (asyncio.CancelledError, Exception):  # already closed or failed: nothing to do
                pass
        self.running = None

    async def handled(self, message: Mapping[str, Any]) -> None:
        """Wait until the bot has fully handled a message the fake sent (a positive signal
        that it is done, before a test says nothing else happened)."""
        await asyncio.wait_for(self.app.moderation.handled(int(message["id"])), 10)

    async def restart(self) -> StemCellBot:
        await self.stop()
        return await self.start()


async def open_harness(tmp_path: Path) -> tuple[Harness, FakeDiscord]:
    shutil.copytree(ROOT / "faq", tmp_path / "faq", dirs_exist_ok=True)
    fake = FakeDiscord()
    await fake.start()
    errors = ErrorLog()
    logging.getLogger().addHandler(errors)
    harness = Harness(fake=fake, tmp_path=tmp_path, errors=errors)
    harness.settings = base_settings(fake, tmp_path)
    return harness, fake
