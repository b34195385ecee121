"""Fixtures for the digest core: a fake research server, a database, settings pointing at both."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.card import Message
from bot.digest.service import DigestService
from bot.settings import Settings, load_settings
from bot.storage import Database
from tests.digest.fakes import FakeResearch
from tests.tomlfile import merge, to_toml


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "digest.sqlite3")
    try:
        yield database
    finally:
        await database.close()


SettingsFactory = Callable[..., Settings]


@pytest.fixture
def make_settings(research: FakeResearch, tmp_path: Path) -> SettingsFactory:
    """Settings for a digest against the fake server; keyword `digest={...}` overrides."""

    def build(**overrides: Any) -> Settings:
        digest = {
            "channel_id": 1001,
            "timeout_seconds": 2.0,
            "max_retries": 2,
            "retry_backoff_seconds": 0.01,
            "lookback_days": 14,
            "pubmed": {"base_url": research.eutils, "api_key": "test-key", "email": "a@b.org"},
            "clinicaltrials": {"base_url": research.base, "requests_per_second": 10},
            "feeds": [],
        }
        data = {
            "database": {"path": (tmp_path / "digest.sqlite3").as_posix()},
            "digest": merge(digest, overrides.get("digest", {})),
        }
        path = tmp_path / "settings.toml"
        path.write_text(to_toml(data), encoding="utf-8")
        return load_settings(path)

    return build


@dataclass
class Channel:
    """Plays the Discord side of `publish`/`notify`/`lookup`: what members and moderators see."""

    posted: list[tuple[int, Message]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    fail_with: BaseException | None = None
    next_id: int = 5000

    async def publish(self, message: Message) -> list[int]:
        if self.fail_with is not None:
            raise self.fail_with
        assert not message.problems(), message.problems()
        self.next_id += 1
        self.posted.append((self.next_id, message))
        return [self.next_id]

    async def notify(self, text: str) -> None:
        assert "\n" not in text, "a notice is one line"
        self.notices.append(text)

    async def lookup(self, message: Message) -> list[int]:
        return [mid for mid, posted in self.posted if posted == message]

    @property
    def messages(self) -> list[Message]:
        return [message for _, message in self.posted]


@pytest.fixture
def channel() -> Channel:
    return Channel()


ServiceFactory = Callable[..., Awaitable[DigestService]]


@pytest.fixture
async def make_service(
    db: Database, make_settings: SettingsFactory
) -> AsyncIterator[ServiceFactory]:
    made: list[DigestService] = []

    async def build(settings: Settings | None = None, **kw: Any) -> DigestService:
        service = await DigestService.create(settings or make_settings(), db, **kw)
        made.append(service)
        return service

    try:
        yield build
    finally:
        for service in made:
            await service.close()
