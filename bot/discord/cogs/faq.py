"""`/faq`, `/ask` and `/faq-admin reload|stats` on Discord: a thin layer over FaqService.

Discord lets a command have options or subcommands, never both, so the admins' actions live
in their own `/faq-admin` group (hidden from members by default permissions, and checked in
code on every use), which keeps `/faq topic:` as short as the issue asks for members.
Feedback buttons are `DynamicItem`s whose custom_id carries the entry id, so an answer
posted last month still takes votes after any number of restarts. A daily job erases the text
of questions older than `[faq] query_retention_days`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import discord
from apscheduler.triggers.cron import CronTrigger
from discord import app_commands
from discord.ext import commands

from bot.card import Card
from bot.discord.checks import admin_only
from bot.discord.client import StemCellBot
from bot.discord.embeds import card_to_embed
from bot.faq.service import FaqService, UnknownEntry

T = TypeVar("T")

ERASE_JOB_ID = "faq-erase-questions"
# Daily, at a quiet hour and apart from the moderation purge (03:30 UTC).
ERASE_AT = {"hour": 3, "minute": 45}

# Defer after this long: Discord drops an interaction not answered within 3 seconds.
DEFER_AFTER = 2.0
THANKS = "Thank you! Your feedback helps the volunteers improve this answer."
ALREADY = "You've already given feedback on this answer. Thank you!"
VOTES = {
    "helpful": ("Helpful", discord.ButtonStyle.success),
    "unhelpful": ("Not helpful", discord.ButtonStyle.secondary),
}


def _service(interaction: discord.Interaction) -> FaqService:
    return interaction.client.app.faq  # type: ignore[attr-defined, no-any-return]


class FeedbackButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"faq:(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*):(?P<vote>helpful|unhelpful)",
):
    """Helpful / Not helpful under an answer; counted once per member and entry."""

    def __init__(self, entry_id: str, vote: str) -> None:
        label, style = VOTES[vote]
        super().__init__(
            discord.ui.Button(label=label, style=style, custom_id=f"faq:{entry_id}:{vote}")
        )
        self.entry_id = entry_id
        self.vote = vote

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: Any,
        /,
    ) -> FeedbackButton:
        return cls(match["id"], match["vote"])

    async def callback(self, interaction: discord.Interaction) -> None:
        service = _service(interaction)
        try:
            recorded = await service.record_feedback(
                self.entry_id, interaction.user.id, self.vote == "helpful"
            )
        except UnknownEntry as exc:
            await interaction.response.send_message(f"Sorry: {exc}.", ephemeral=True)
            return
        await interaction.response.send_message(THANKS if recorded else ALREADY, ephemeral=True)


def feedback_view(entry_id: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for vote in VOTES:
        view.add_item(FeedbackButton(entry_id, vote))
    return view


async def _soon(interaction: discord.Interaction, work: Awaitable[T], *, ephemeral: bool) -> T:
    """Await `work`, deferring the interaction first if it takes long enough to risk the
    3-second limit (the database can be busy with another feature's write)."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER)
    if not done:
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    return await task


async def _send(
    interaction: discord.Interaction,
    card: Card,
    *,
    ephemeral: bool,
    view: discord.ui.View | None = None,
) -> None:
    kwargs: dict[str, Any] = {"embed": card_to_embed(card), "ephemeral": ephemeral}
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)


class Faq(commands.Cog):
    admin = app_commands.Group(
        name="faq-admin",
        description="FAQ upkeep for admins: reload the files, see what members ask",
        default_permissions=discord.Permissions(manage_guild=True),
        guild_only=True,
    )

    def __init__(self, bot: StemCellBot) -> None:
        self.bot = bot

    @property
    def service(self) -> FaqService:
        return self.bot.app.faq

    async def cog_load(self) -> None:
        self.bot.scheduler.add_job(
            self.erase_job,
            CronTrigger(**ERASE_AT, timezone=ZoneInfo("UTC")),
            id=ERASE_JOB_ID,
            name="faq: erase the text of old questions",
            replace_existing=True,
        )

    async def cog_unload(self) -> None:
        if self.bot.scheduler.get_job(ERASE_JOB_ID) is not None:
            self.bot.scheduler.remove_job(ERASE_JOB_ID)

    async def erase_job(self) -> int:
        """The daily privacy job: see FaqService.erase_old_questions."""
        return await self.service.erase_old_questions()

    @app_commands.command(name="faq", description="Read an FAQ answer about stem-cell treatments")
    @app_commands.describe(topic="Start typing a topic or a question, then pick from the list")
    async def faq(self, interaction: discord.Interaction, topic: str) -> None:
        entry = self.service.get(topic)
        if entry is None:
            # Typed but not picked from the list: treat it as a question.
            result = self.service.search(topic)
            if result.entry is None:
                await _send(interaction, result.card, ephemeral=True)
                return
            entry = result.entry
        card = self.service.answer_card(entry.id)
        await _send(interaction, card, ephemeral=False, view=feedback_view(entry.id))

    @faq.autocomplete("topic")
    async def faq_topics(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=name, value=value)
            for name, value in self.service.autocomplete(current)
        ]

    @app_commands.command(name="ask", description="Ask a question; get the FAQ answer that fits it")
    @app_commands.describe(question="Your question, in your own words (only you see the answer)")
    async def ask(
        self, interaction: discord.Interaction, question: app_commands.Range[str, 1, 500]
    ) -> None:
        result = await _soon(
            interaction, self.service.ask(question, user_id=interaction.user.id), ephemeral=True
        )
        view = feedback_view(result.entry.id) if result.entry else None
        await _send(interaction, result.card, ephemeral=True, view=view)

    @admin.command(name="reload", description="Re-read the FAQ files now and list any problems")
    @admin_only()
    async def reload(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await self.service.reload()
        await interaction.followup.send(embed=card_to_embed(report.card()), ephemeral=True)

    @admin.command(name="stats", description="Most asked, unanswered questions, helpfulness")
    @admin_only()
    async def stats(self, interaction: discord.Interaction) -> None:
        card = await _soon(interaction, self.service.stats_card(), ephemeral=True)
        await _send(interaction, card, ephemeral=True)


async def setup(bot: StemCellBot) -> None:
    bot.add_dynamic_items(FeedbackButton)
    await bot.add_cog(Faq(bot))
