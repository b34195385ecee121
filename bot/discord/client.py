"""The discord.py client: loads one extension per feature, syncs commands, owns the scheduler.

The bot holds an `App` (the services) and translates; everything it knows how to do lives in
the cores, so this file is about lifecycle: start in the right order, stop in the right order.
"""

from __future__ import annotations

import importlib.util
import logging

import discord
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from discord import app_commands
from discord.ext import commands

from bot.app import App
from bot.discord.checks import NotAllowed

log = logging.getLogger(__name__)

EXTENSIONS = (
    "bot.discord.cogs.about",
    "bot.discord.cogs.faq",
    "bot.discord.cogs.moderation",
    "bot.discord.cogs.digest",
)

SORRY = (
    "Sorry, something went wrong on my side and I could not finish that. "
    "The admins can see what happened in the bot's log."
)


def intents() -> discord.Intents:
    """Only what the features use; message content is for spotting requests for advice."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_messages = True
    wanted.message_content = True
    return wanted


class Tree(app_commands.CommandTree):
    """Refusals reach the member as an ephemeral line; failures are logged, never swallowed."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        if isinstance(error, NotAllowed | app_commands.CheckFailure):
            text = str(error) if isinstance(error, NotAllowed) else "You can't use this here."
        else:
            command = interaction.command.qualified_name if interaction.command else "?"
            log.error(
                "command failed",
                exc_info=error,
                extra={"command": command, "guild": interaction.guild_id},
            )
            text = SORRY
        try:
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True)
            else:
                await interaction.response.send_message(text, ephemeral=True)
        except discord.HTTPException:
            log.warning("could not tell the member about a failed command")


class StemCellBot(commands.Bot):
    def __init__(self, app: App) -> None:
        # The bot never joins voice; discord.py would otherwise warn at every start.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=Tree,
            guild_ready_timeout=app.settings.discord.guild_ready_timeout,
        )
        self.app = app
        self.scheduler = AsyncIOScheduler(
            timezone=app.settings.digest.zone,
            job_defaults={"coalesce": True, "misfire_grace_time": 3600, "max_instances": 1},
        )
        self.synced_commands: list[app_commands.AppCommand] = []
        self._shutting_down = False

    async def setup_hook(self) -> None:
        for name in EXTENSIONS:
            if importlib.util.find_spec(name) is None:
                continue
            await self.load_extension(name)
        self.scheduler.start()
        await self.sync_commands()

    async def sync_commands(self) -> None:
        settings = self.app.settings.discord
        if not settings.sync_commands:
            return
        try:
            if settings.guild_ids:
                for guild_id in settings.guild_ids:
                    guild = discord.Object(guild_id)
                    self.tree.copy_global_to(guild=guild)
                    self.synced_commands = await self.tree.sync(guild=guild)
                log.info("commands synced", extra={"guilds": list(settings.guild_ids)})
            else:
                self.synced_commands = await self.tree.sync()
                log.info("commands synced globally (may take up to an hour to appear)")
        except discord.HTTPException as exc:
            log.error("command sync failed; existing commands keep working: %s", exc)

    async def messageable(self, channel_id: int) -> discord.abc.Messageable | None:
        """A channel to post in, from the cache or Discord; None if it cannot be reached."""
        channel = self.get_channel(channel_id)
        if channel is None:
            try:
                channel = await self.fetch_channel(channel_id)
            except discord.HTTPException:
                return None
        return channel if isinstance(channel, discord.abc.Messageable) else None

    async def on_ready(self) -> None:
        assert self.user is not None
        log.info("ready", extra={"user_id": self.user.id, "guilds": len(self.guilds)})

    async def close(self) -> None:
        """Scheduler first (no job starts mid-shutdown), then the database, then HTTP."""
        if self._shutting_down:
            return await super().close()
        self._shutting_down = True
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
            log.info("shutdown: scheduler stopped")
        # Cogs first, so no feature task is left holding the database as it closes.
        for name in list(self.extensions):
            await self.unload_extension(name)
        await self.app.close()
        log.info("shutdown: database closed")
        await super().close()
        log.info("shutdown: connections closed")
