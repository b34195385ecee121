"""`/about`: what the bot is, its disclaimer, and which FAQ it is serving."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.about import about_card
from bot.discord.checks import is_admin
from bot.discord.client import StemCellBot
from bot.discord.messages import card_to_embed


class About(commands.Cog):
    def __init__(self, bot: StemCellBot) -> None:
        self.bot = bot

    @app_commands.command(name="about", description="What this bot does, and what it does not")
    async def about(self, interaction: discord.Interaction) -> None:
        admin = is_admin(interaction.user, self.bot.app.settings)
        await interaction.response.send_message(
            embed=card_to_embed(about_card(self.bot.app, admin=admin)), ephemeral=True
        )


async def setup(bot: StemCellBot) -> None:
    await bot.add_cog(About(bot))
