"""The services one process runs, built once and shared by Discord, the console and the CLI.

Keeping construction here is what lets `python bot.py console` behave exactly like the bot:
both hold the same `App`, only the front end differs.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.digest.service import DigestService
from bot.faq.service import FaqService
from bot.jobs import Job
from bot.moderation.service import ModerationService
from bot.settings import Settings
from bot.storage import Database


@dataclass
class App:
    settings: Settings
    db: Database
    faq: FaqService
    moderation: ModerationService
    digest: DigestService

    @classmethod
    async def open(cls, settings: Settings) -> App:
        db = await Database.open(settings.database.path)
        try:
            faq = await FaqService.create(settings, db)
            moderation = await ModerationService.create(settings, db, faq=faq)
            digest = await DigestService.create(settings, db)
        except BaseException:
            await db.close()
            raise
        return cls(settings, db, faq, moderation, digest)

    def jobs(self) -> list[Job]:
        """Every core's scheduled jobs, for the runner (or a test) to schedule."""
        return [*self.faq.jobs(), *self.moderation.jobs(), *self.digest.jobs()]

    async def close(self) -> None:
        """Stop the digest's start-up check and its HTTP session and the FAQ watcher, then
        close the database (last: whatever was stopping may still have been using it)."""
        await self.digest.close()
        await self.faq.close()
        await self.moderation.close()
        await self.db.close()
