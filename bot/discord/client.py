"""The discord.py client: loads one extension per feature and syncs the commands.

The bot holds an `App` (the services) and translates; everything it knows how to do lives in
the cores, and time (the scheduler) and the order of shutdown belong to the runner, so this
file is about what Discord needs: intents, extensions, command sync, refusals.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import App
from bot.discord.checks import NotAllowed
from bot.settings import Settings

log = logging.getLogger(__name__)

EXTENSIONS = (
    "bot.discord.cogs.about",
    "bot.discord.cogs.faq",
    "bot.discord.cogs.moderation",
    "bot.discord.cogs.digest",
    "bot.discord.cogs.trials",
)

SORRY = (
    "Sorry, something went wrong on my side and I could not finish that. "
    "The admins can see what happened in the bot's log."
)


def intents() -> discord.Intents:
    """Only what the features use; message content is for spotting requests for advice, and
    AutoMod executions (not privileged; sent only with Manage Server) for the AutoMod bridge."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_messages = True
    wanted.message_content = True
    wanted.auto_moderation_execution = True  # AutoMod alerts, joined to the bot's own flags
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
    """Built before the `App` (whose cores deliver through this client); the runner sets
    `app` before logging in, and extensions are loaded at login."""

    app: App

    def __init__(self, settings: Settings) -> None:
        # The bot never joins voice; discord.py would otherwise warn at every start.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=Tree,
            guild_ready_timeout=settings.discord.guild_ready_timeout,
        )
        self.synced_commands: list[app_commands.AppCommand] = []

    async def setup_hook(self) -> None:
        for name in EXTENSIONS:
            await self.load_extension(name)
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

    async def unload_features(self) -> None:
        """Unload every extension, so no event reaches a core that is shutting down."""
        for name in list(self.extensions):
            await self.unload_extension(name)
