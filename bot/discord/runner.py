"""Start and stop the bot: endpoints, login errors a person can fix, the clock, and signals.

The runner builds the pieces in order (the client, the `App` whose cores deliver through the
client's `DiscordChat`), schedules every core's `Job`s once Discord is ready, and stops them in
the reverse order: the scheduler (no job starts mid-shutdown), the features (no event reaches
a closing core), the cores and the database (moderation finishes what it is delivering), and
the connections last. Tests start the bot through `start_bot` exactly as `python bot.py run`
does, against a fake Discord; only the endpoints differ, which is what `[discord]
api_base/gateway_url` are for.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

import aiohttp
import discord
import yarl
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app import App
from bot.discord.chat import DiscordChat
from bot.discord.client import StemCellBot
from bot.errors import StartupError
from bot.jobs import Job
from bot.moderation.checkup import setup_warnings
from bot.settings import Settings

log = logging.getLogger(__name__)

# A job that could not run on time (the host slept) runs once when it can, within an hour.
JOB_DEFAULTS = {"coalesce": True, "misfire_grace_time": 3600, "max_instances": 1}


def configure_endpoints(settings: Settings) -> None:
    """Point discord.py at the configured REST base and gateway (a proxy, or a test server)."""
    discord.http.Route.BASE = settings.discord.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord.gateway_url)


def scheduler_for(jobs: Sequence[Job], settings: Settings) -> AsyncIOScheduler:
    """An (unstarted) scheduler holding `jobs`; each job's failure is logged, never silent."""
    scheduler = AsyncIOScheduler(timezone=settings.digest.zone, job_defaults=JOB_DEFAULTS)
    for job in jobs:
        scheduler.add_job(
            _logged(job), job.trigger, id=job.id, name=job.description, replace_existing=True
        )
    return scheduler


def _logged(job: Job) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        try:
            await job.run()
        except Exception:
            log.exception(
                "scheduled job failed; it runs again at its next time", extra={"job": job.id}
            )

    return run


@dataclass
class Running:
    """A started bot: its client, services and scheduler, and how to stop them in order."""

    bot: StemCellBot
    app: App
    scheduler: AsyncIOScheduler
    task: asyncio.Task[None] | None = None
    _stopping: asyncio.Task[None] | None = field(default=None, repr=False)
    _ready: asyncio.Task[None] | None = field(default=None, repr=False)

    def schedule_when_ready(self) -> None:
        async def start() -> None:
            await self.bot.wait_until_ready()
            self.scheduler.start()
            self.app.moderation.start()  # tell moderators once if the learned model is off
            self.app.digest.start()  # settle a half-posted digest, then catch up once

        self._ready = asyncio.create_task(start(), name="schedule-when-ready")

    async def close(self) -> None:
        """Stop everything once, in order; later calls wait for the first to finish."""
        if self._stopping is None:
            self._stopping = asyncio.ensure_future(self._close())
        await asyncio.shield(self._stopping)

    async def _close(self) -> None:
        if self._ready is not None and not self._ready.done():
            self._ready.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ready
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        log.info("shutdown: scheduler stopped")
        await self.bot.unload_features()
        await self.app.close()
        log.info("shutdown: database closed")
        await self.bot.close()
        log.info("shutdown: connections closed")


async def start_bot(settings: Settings) -> Running:
    """Open the services, log in, and connect in a background task."""
    token = settings.token
    if not token:
        raise StartupError(
            "no Discord token: set DISCORD_TOKEN or [discord] token in settings.toml "
            "(see README, 'Running it on Discord'); `python bot.py console` works without one"
        )
    configure_endpoints(settings)
    bot = StemCellBot(settings)
    bot.app = app = await App.open(settings, chat=DiscordChat(bot))
    running = Running(bot, app, scheduler_for(app.jobs(), settings))
    try:
        await bot.login(token)
    except discord.LoginFailure:
        await running.close()
        raise StartupError(
            "Discord rejected the token: copy it again from the Developer Portal"
        ) from None
    except (discord.HTTPException, aiohttp.ClientError, OSError) as exc:
        # A refused connection or a DNS failure is an aiohttp error, not an HTTPException.
        await running.close()
        raise StartupError(
            f"could not reach Discord at {settings.discord.api_base}: {exc}"
        ) from None
    except BaseException:
        await running.close()
        raise
    # Once logged in (a start that fails stays one line): what the admins still have to set.
    if warnings := setup_warnings(settings.moderation):
        log.warning("moderation is on but not fully set up: %s", "; ".join(warnings))
    running.task = asyncio.create_task(bot.connect(reconnect=True), name="discord-connect")
    running.schedule_when_ready()
    return running


async def run_bot(settings: Settings) -> int:
    """Serve until Discord disconnects for good or SIGINT/SIGTERM asks us to stop."""
    running = await start_bot(settings)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, lambda: asyncio.ensure_future(running.close()))
        except NotImplementedError:  # Windows: Ctrl+C still raises KeyboardInterrupt.
            pass
    assert running.task is not None
    try:
        await running.task
    except discord.PrivilegedIntentsRequired:
        raise StartupError(
            "Discord refused the Message Content intent: enable it for this bot in the "
            "Developer Portal (Bot > Privileged Gateway Intents)"
        ) from None
    finally:
        await running.close()  # waits for a shutdown a signal started, or does it now
    log.info("stopped")
    return 0
