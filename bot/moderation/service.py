"""Placeholder moderation service, replaced by the moderation feature."""

from __future__ import annotations

from bot.settings import Settings
from bot.storage import Database


class ModerationService:
    @classmethod
    async def create(
        cls, settings: Settings, db: Database, faq: object | None = None
    ) -> ModerationService:
        return cls()

    async def close(self) -> None:
        return None
