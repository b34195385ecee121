"""`/trials` on Discord: recruiting stem-cell trials near a place, privately, five a page.

Only routing lives here: the place's autocomplete, the search, the caution line and every
page come from `TrialsService` (`answer()` for the first page, `turn()` for another), as they
do for the console and the CLI. What only Discord knows stays here: Previous/Next are
`DynamicItem`s matching the core's `trials:<key>:<page>:<member>` custom id, so the buttons
of an answer keep working after a restart (the results wait in the SQLite cache for the
hour), and a click by anyone but the member who asked is refused kindly.
"""

from __future__ import annotations

import asyncio
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.discord.client import StemCellBot
from bot.discord.respond import send, soon, update
from bot.trials.service import BUTTON

NOT_YOURS = (
    "These results belong to the member who searched. "
    "Use /trials yourself to see the studies near you (only you will see them)."
)
TREATMENTS = [
    Choice(name="any stem cell", value="any"),
    Choice(name="aHSCT", value="ahsct"),
    Choice(name="MSC", value="msc"),
]
STATUSES = [
    Choice(name="recruiting", value="recruiting"),
    Choice(name="not yet recruiting", value="not-yet"),
    Choice(name="both", value="both"),
]


class TrialsPageButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=BUTTON,
):
    """Previous / Next under a `/trials` answer; all it needs is in its custom_id."""

    def __init__(self, custom_id: str, member_id: int) -> None:
        super().__init__(discord.ui.Button(custom_id=custom_id))
        self.member_id = member_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any, /
    ) -> TrialsPageButton:
        return cls(match.group(0), int(match["member"]))

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if interaction.user.id == self.member_id:
            return True
        await interaction.response.send_message(NOT_YOURS, ephemeral=True)
        return False

    async def callback(self, interaction: discord.Interaction) -> None:
        trials = interaction.client.app.trials  # type: ignore[attr-defined]
        work = trials.turn(self.custom_id, interaction.user.id)
        message = await soon(interaction, work, ephemeral=True, update=True)
        if message is None:  # not this member's (interaction_check already said so)
            return
        await update(interaction, message)


class Trials(commands.Cog):
    def __init__(self, bot: StemCellBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        # Before the bot is ready: autocomplete cannot be deferred.
        await asyncio.to_thread(self.bot.app.trials.prepare)

    @app_commands.command(
        name="trials", description="Stem-cell trials for MS recruiting near a place (only you see)"
    )
    @app_commands.describe(
        place="A city and its country, or a country: start typing, then pick from the list",
        distance_km="How far from the place to look, in km (default 300)",
        treatment="Which treatment (default: any stem cell)",
        status="Recruiting now, not yet recruiting, or both (default: recruiting)",
    )
    @app_commands.choices(treatment=TREATMENTS, status=STATUSES)
    async def trials(
        self,
        interaction: discord.Interaction,
        place: app_commands.Range[str, 1, 100],
        distance_km: app_commands.Range[int, 1, 20000] = 300,
        treatment: Choice[str] | None = None,
        status: Choice[str] | None = None,
    ) -> None:
        work = self.bot.app.trials.answer(
            place,
            interaction.user.id,
            km=distance_km,
            treatment=treatment.value if treatment else "any",
            status=status.value if status else "recruiting",
        )
        message = await soon(interaction, work, ephemeral=True)
        await send(interaction, message, ephemeral=True)

    @trials.autocomplete("place")
    async def places(self, interaction: discord.Interaction, current: str) -> list[Choice[str]]:
        return [Choice(name=name, value=name) for name in self.bot.app.trials.complete(current)]


async def setup(bot: StemCellBot) -> None:
    bot.add_dynamic_items(TrialsPageButton)
    await bot.add_cog(Trials(bot))
