"""`/faq`, `/ask` and `/faq-admin reload|stats` on Discord: routes into the cores.

What a member types goes to `App.intake` (which checks it for a crisis before anything else)
and the answer comes back as a `Message`, sent privately or to the channel as the core says.
Discord lets a command have options or subcommands, never both, so the admins' actions live
in their own `/faq-admin` group (hidden from members by default permissions, and checked in
code on every use). Feedback buttons are `DynamicItem`s whose custom_id carries the entry id,
so an answer posted last month still takes votes after any number of restarts.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.card import Card, Message
from bot.discord.checks import admin_only
from bot.discord.client import StemCellBot
from bot.discord.respond import send, soon
from bot.faq.service import UnknownEntry
from bot.moderation.model import IncomingMessage

THANKS = "Thank you! Your feedback helps the volunteers improve this answer."
ALREADY = "You've already given feedback on this answer. Thank you!"


class FeedbackButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"faq:(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*):(?P<vote>helpful|unhelpful)",
):
    """Answers Helpful / Not helpful under an answer; counted once per member and entry."""

    def __init__(self, entry_id: str, vote: str) -> None:
        super().__init__(discord.ui.Button(custom_id=f"faq:{entry_id}:{vote}"))
        self.entry_id = entry_id
        self.vote = vote

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any, /
    ) -> FeedbackButton:
        return cls(match["id"], match["vote"])

    async def callback(self, interaction: discord.Interaction) -> None:
        faq = interaction.client.app.faq  # type: ignore[attr-defined]
        try:
            recorded = await faq.record_feedback(
                self.entry_id, interaction.user.id, self.vote == "helpful"
            )
        except UnknownEntry as exc:
            await interaction.response.send_message(f"Sorry: {exc}.", ephemeral=True)
            return
        await interaction.response.send_message(THANKS if recorded else ALREADY, ephemeral=True)


def typed(interaction: discord.Interaction, text: str, command: str) -> IncomingMessage:
    """What a member typed into a command, as the cores see any member's text."""
    parent = getattr(interaction.channel, "parent_id", None)
    return IncomingMessage(
        guild_id=interaction.guild_id,
        channel_id=interaction.channel_id or 0,
        message_id=interaction.id,
        author_id=interaction.user.id,
        content=text,
        author_is_bot=interaction.user.bot,
        parent_channel_id=parent,
        origin=command,
    )


def _card(card: Card) -> Message:
    return Message(cards=(card,))


class Faq(commands.Cog):
    admin = app_commands.Group(
        name="faq-admin",
        description="FAQ upkeep for admins: reload the files, see what members ask",
        default_permissions=discord.Permissions(manage_guild=True),
        guild_only=True,
    )

    def __init__(self, bot: StemCellBot) -> None:
        self.bot = bot

    @app_commands.command(name="faq", description="Read an FAQ answer about stem-cell treatments")
    @app_commands.describe(topic="Start typing a topic or a question, then pick from the list")
    async def faq(self, interaction: discord.Interaction, topic: str) -> None:
        work = self.bot.app.intake.faq_topic(typed(interaction, topic, "/faq"))
        answer = await soon(interaction, work, ephemeral=True)
        await send(interaction, answer.message, ephemeral=answer.private)

    @faq.autocomplete("topic")
    async def faq_topics(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=name, value=value)
            for name, value in self.bot.app.faq.autocomplete(current)
        ]

    @app_commands.command(name="ask", description="Ask a question; get the FAQ answer that fits it")
    @app_commands.describe(question="Your question, in your own words (only you see the answer)")
    async def ask(
        self, interaction: discord.Interaction, question: app_commands.Range[str, 1, 500]
    ) -> None:
        work = self.bot.app.intake.ask(typed(interaction, question, "/ask"))
        answer = await soon(interaction, work, ephemeral=True)
        await send(interaction, answer.message, ephemeral=answer.private)

    @admin.command(name="reload", description="Re-read the FAQ files now and list any problems")
    @admin_only()
    async def reload(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await self.bot.app.faq.reload()
        await send(interaction, _card(report.card()), ephemeral=True)

    @admin.command(name="stats", description="Most asked, unanswered questions, helpfulness")
    @admin_only()
    async def stats(self, interaction: discord.Interaction) -> None:
        card = await soon(interaction, self.bot.app.faq.stats_card(), ephemeral=True)
        await send(interaction, _card(card), ephemeral=True)


async def setup(bot: StemCellBot) -> None:
    bot.add_dynamic_items(FeedbackButton)
    await bot.add_cog(Faq(bot))
