"""The services one process runs, built once and shared by Discord, the console and the CLI.

Keeping construction here is what lets `python bot.py console` behave exactly like the bot:
both hold the same `App`, only the front end differs, and with it the `Chat` the cores deliver
through (Discord's, the console's printing one, or none for the CLI).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.chat import Chat, Offline
from bot.digest.service import DigestService
from bot.faq.service import FaqService
from bot.intake import Intake
from bot.jobs import Job
from bot.moderation.service import ModerationService
from bot.settings import Settings
from bot.storage import Database
from bot.trials.service import TrialsService


@dataclass
class App:
    settings: Settings
    db: Database
    chat: Chat
    faq: FaqService
    moderation: ModerationService
    digest: DigestService
    intake: Intake
    trials: TrialsService

    @classmethod
    async def open(cls, settings: Settings, chat: Chat | None = None) -> App:
        chat = chat or Offline()
        db = await Database.open(settings.database.path)
        try:
            faq = await FaqService.create(settings, db)
            moderation = await ModerationService.create(settings, db, faq=faq, chat=chat)
            digest = await DigestService.create(settings, db)
            digest.attach(chat)
        except BaseException:
            await db.close()
            raise
        trials = TrialsService.create(settings, db)
        intake = Intake(faq, moderation)
        return cls(settings, db, chat, faq, moderation, digest, intake, trials)

    def jobs(self) -> list[Job]:
        """Every core's scheduled jobs, for the runner (or a test) to schedule."""
        return [
            *self.faq.jobs(),
            *self.moderation.jobs(),
            *self.digest.jobs(),
            *self.trials.jobs(),
        ]

    def job(self, job_id: str) -> Job:
        """One of `jobs()` by id (tests run a job with `app.job(id).run()`)."""
        return next(job for job in self.jobs() if job.id == job_id)

    async def close(self) -> None:
        """Stop the digest's start-up check and its HTTP session and the FAQ watcher, then
        close the database (last: whatever was stopping may still have been using it)."""
        await self.digest.close()
        await self.trials.close()
        await self.faq.close()
        await self.moderation.close()
        await self.db.close()
