"""Placeholder FAQ service, replaced by the FAQ feature."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.settings import Settings
from bot.storage import Database


@dataclass(frozen=True)
class FaqVersion:
    count: int
    newest_review: date | None


class FaqService:
    @classmethod
    async def create(cls, settings: Settings, db: Database) -> FaqService:
        return cls()

    def version(self) -> FaqVersion:
        return FaqVersion(0, None)

    async def close(self) -> None:
        return None
