"""Placeholder digest service, replaced by the digest feature."""

from __future__ import annotations

from bot.settings import Settings
from bot.storage import Database


class DigestService:
    @classmethod
    async def create(cls, settings: Settings, db: Database) -> DigestService:
        return cls()

    async def close(self) -> None:
        return None
