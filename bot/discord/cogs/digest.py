"""`/digest latest|now|status`: routes each command to `DigestService` and replies privately.

The digest core owns its schedule, its start-up check and its deliveries; this cog hands
the core a `Chat` and the moment the connection is ready, and turns results into replies.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.checks import admin_only
from bot.discord.client import StemCellBot
from bot.discord.messages import card_to_embed

log = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()


class Digest(commands.Cog):
    digest = app_commands.Group(
        name="digest", description="Research digests: new papers and trials on MS and stem cells"
    )

    def __init__(self, bot: StemCellBot) -> None:
        self.bot = bot
        self.service = bot.app.digest

    @digest.command(name="latest", description="Show the last research digest")
    async def latest(self, interaction: discord.Interaction) -> None:
        message = await self.service.latest()
        if message is None:
            await interaction.response.send_message(
                "No research digest has been posted yet.", ephemeral=True
            )
            return
        await interaction.response.send_message(
            content=message.content or None,
            embeds=[card_to_embed(card) for card in message.cards],
            ephemeral=True,
            allowed_mentions=NONE,
        )

    @digest.command(name="now", description="Admins: fetch the sources and post a digest now")
    @admin_only()
    async def now(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await self.service.run_now()
        await interaction.followup.send(result.summary(), ephemeral=True, allowed_mentions=NONE)

    @digest.command(name="status", description="Admins: each source's state and the next run")
    @admin_only()
    async def status(self, interaction: discord.Interaction) -> None:
        card = self.service.status_card(await self.service.status())
        await interaction.response.send_message(
            embed=card_to_embed(card), ephemeral=True, allowed_mentions=NONE
        )


async def setup(bot: StemCellBot) -> None:
    await bot.add_cog(Digest(bot))
