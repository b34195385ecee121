"""Moderation on Discord: messages, edits, deletes and reports in; moderators' clicks and
`/flags` commands out.

Only routing lives here. Every decision and every delivery (the member's reply, the review
post and its crisis alert, retries, edits when a flag changes) is the moderation core's, through
the `Chat` port. What only Discord knows stays here: the review buttons are `DynamicItem`s
matching custom_id `flag:<id>:<action>`, so a post from last month still works after any
number of restarts, and moderator rights are checked in code on every click and command
(`bot.discord.checks`); default permissions only hide the commands.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.checks import NotAllowed, is_moderator, moderator_only
from bot.discord.client import StemCellBot
from bot.discord.messages import card_to_embed, edit_kwargs
from bot.moderation.automod import RULE_NAME
from bot.moderation.lifecycle import Action, State
from bot.moderation.model import AutoModAlert, IncomingMessage

REFUSE_NON_MODERATOR = "Only moderators can act on flags."


def _app(interaction: discord.Interaction) -> Any:
    return interaction.client.app  # type: ignore[attr-defined]


def _is_moderator(interaction: discord.Interaction) -> bool:
    return is_moderator(interaction.user, _app(interaction).settings)


class FlagButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=(
        r"flag:(?P<id>[0-9]{1,20}):"
        r"(?P<action>claim|resolve|dismiss|note|delete|timeout"
        r"|resolve-(?:crisis|advice|promotion|other))"
    ),
):
    """Answers a review button; everything it needs is in its custom_id."""

    def __init__(self, flag_id: int, action: str) -> None:
        super().__init__(discord.ui.Button(custom_id=f"flag:{flag_id}:{action}"))
        self.flag_id = flag_id
        self.action = action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any, /
    ) -> FlagButton:
        return cls(int(match["id"]), match["action"])

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if _is_moderator(interaction):
            return True
        await interaction.response.send_message(REFUSE_NON_MODERATOR, ephemeral=True)
        return False

    async def callback(self, interaction: discord.Interaction) -> None:
        if self.action == "note":
            await interaction.response.send_modal(NoteModal(self.flag_id))
            return
        if self.action == "timeout":
            # Ask the core first: the modal opens only if a timeout can actually happen.
            moderation = _app(interaction).moderation
            _, refusal = await moderation.message_action_refusal(self.flag_id, "timeout")
            if refusal is not None:
                await interaction.response.send_message(refusal, ephemeral=True)
                return
            await interaction.response.send_modal(TimeoutModal(self.flag_id))
            return
        if self.action == "delete":
            await _answer_message_action(interaction, self.flag_id, "delete", None)
            return
        if self.action.startswith("resolve-"):
            category = self.action.removeprefix("resolve-")
            await _answer(interaction, self.flag_id, "resolve", None, category)
            return
        action: Action = self.action  # type: ignore[assignment]
        await _answer(interaction, self.flag_id, action, None)


class NoteModal(discord.ui.Modal):
    note: discord.ui.TextInput[NoteModal] = discord.ui.TextInput(
        label="Note for the other moderators",
        style=discord.TextStyle.paragraph,
        max_length=1000,
        placeholder="What you did or what to watch for. Members never see this.",
    )

    def __init__(self, flag_id: int) -> None:
        super().__init__(title=f"Note on flag #{flag_id}", custom_id=f"flag:{flag_id}:note-form")
        self.flag_id = flag_id

    async def on_submit(self, interaction: discord.Interaction) -> None:
        if not _is_moderator(interaction):
            await interaction.response.send_message(REFUSE_NON_MODERATOR, ephemeral=True)
            return
        await _answer(interaction, self.flag_id, "note", self.note.value)


class TimeoutModal(discord.ui.Modal):
    minutes: discord.ui.TextInput[TimeoutModal] = discord.ui.TextInput(
        label="Timeout length in minutes",
        default="60",
        max_length=5,
        placeholder="60 is an hour, 1440 a day; at most 40320 (28 days).",
    )

    def __init__(self, flag_id: int) -> None:
        super().__init__(
            title=f"Time out the author of flag #{flag_id}",
            custom_id=f"flag:{flag_id}:timeout-form",
        )
        self.flag_id = flag_id

    async def on_submit(self, interaction: discord.Interaction) -> None:
        if not _is_moderator(interaction):
            await interaction.response.send_message(REFUSE_NON_MODERATOR, ephemeral=True)
            return
        text = self.minutes.value.strip()
        if not text.isdigit():
            await interaction.response.send_message(
                f"{text!r} is not a number of minutes.", ephemeral=True
            )
            return
        await _answer_message_action(interaction, self.flag_id, "timeout", int(text))


async def _answer_message_action(
    interaction: discord.Interaction, flag_id: int, action: str, minutes: int | None
) -> None:
    """Delete or time out through the core; the moderator is told what happened, privately."""
    moderation = _app(interaction).moderation
    result = await moderation.act_on_message(flag_id, action, interaction.user.id, minutes)
    await interaction.response.send_message(result.message, ephemeral=True)


async def _answer(
    interaction: discord.Interaction,
    flag_id: int,
    action: Action,
    note: str | None,
    category: str | None = None,
) -> None:
    """Act on the flag; show the updated review post where the click was, or why not."""
    moderation = _app(interaction).moderation
    result = await moderation.act(flag_id, action, interaction.user.id, note, category)
    if result.ok and result.review is not None and interaction.message is not None:
        await interaction.response.edit_message(**edit_kwargs(result.review))
    else:
        await interaction.response.send_message(result.message, ephemeral=True)


def incoming(message: discord.Message, bot: StemCellBot) -> IncomingMessage:
    """The Discord-free view of a message that the cores work with."""
    author = message.author
    return IncomingMessage(
        guild_id=message.guild.id if message.guild else None,
        channel_id=message.channel.id,
        message_id=message.id,
        author_id=author.id,
        content=message.content or "",
        author_is_bot=author.bot or author.system,
        author_is_moderator=is_moderator(author, bot.app.settings),
        parent_channel_id=getattr(message.channel, "parent_id", None),
        url=message.jump_url,
        # Discord sends the member (with joined_at) in guild messages; the account's age
        # is in its snowflake id.
        author_joined_at=getattr(author, "joined_at", None),
        author_created_at=author.created_at,
    )


class Moderation(commands.Cog):
    flags = app_commands.Group(
        name="flags",
        description="The moderators' review queue",
        guild_only=True,
        default_permissions=discord.Permissions(manage_messages=True),
    )

    def __init__(self, bot: StemCellBot) -> None:
        self.bot = bot
        self.report_menu = app_commands.ContextMenu(
            name="Report to moderators", callback=self.report_message
        )
        self.report_menu.guild_only = True
        self._rule_names: dict[int, str] = {}

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.report_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.report_menu.name, type=self.report_menu.type)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.guild is not None:
            await self.bot.app.intake.message(incoming(message, self.bot))

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        if payload.message.guild is not None:
            await self.bot.app.intake.edit(incoming(payload.message, self.bot))

    @commands.Cog.listener()
    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        if payload.guild_id is not None:
            await self.bot.app.moderation.handle_delete(payload.message_id)

    @commands.Cog.listener()
    async def on_automod_action(self, execution: discord.AutoModAction) -> None:
        """An AutoMod alert: joined to the bot's flag of the same message (one review)."""
        if execution.message_id is None or execution.channel_id is None:
            return  # a blocked message never existed; AutoMod's own alert is all there is
        alert = AutoModAlert(
            guild_id=execution.guild_id,
            channel_id=execution.channel_id,
            message_id=execution.message_id,
            author_id=execution.user_id,
            content=execution.content or "",
            ours=await self._is_our_rule(execution),
        )
        await self.bot.app.moderation.handle_automod(alert)

    async def _is_our_rule(self, execution: discord.AutoModAction) -> bool:
        """Rule names are read once per rule (GET .../auto-moderation/rules/{id})."""
        name = self._rule_names.get(execution.rule_id)
        if name is None:
            try:
                name = (await execution.fetch_rule()).name
            except discord.HTTPException:
                return False
            self._rule_names[execution.rule_id] = name
        return name == RULE_NAME

    async def report_message(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        outcome = await self.bot.app.intake.report(incoming(message, self.bot), interaction.user.id)
        await interaction.response.send_message(outcome.reply, ephemeral=True)

    @flags.command(name="list", description="The review queue, oldest open first, with links")
    @app_commands.describe(state="Only flags in this state (default: open or claimed)")
    @moderator_only()
    async def list_flags(
        self, interaction: discord.Interaction, state: State | None = None
    ) -> None:
        card = await self.bot.app.moderation.queue_card(state)
        await interaction.response.send_message(embed=card_to_embed(card), ephemeral=True)

    @flags.command(name="show", description="One flag: its review card and its history")
    @app_commands.describe(id="The flag number, as shown on its review card")
    @moderator_only()
    async def show_flag(
        self, interaction: discord.Interaction, id: app_commands.Range[int, 1]
    ) -> None:
        cards = await self.bot.app.moderation.flag_cards(id)
        if cards is None:
            raise NotAllowed(f"There is no flag #{id}. `/flags list` shows the queue.")
        await interaction.response.send_message(
            embeds=[card_to_embed(card) for card in cards], ephemeral=True
        )

    @flags.command(
        name="stats", description="What moderators decided: flagged, confirmed, missed, 7/30 days"
    )
    @moderator_only()
    async def flag_stats(self, interaction: discord.Interaction) -> None:
        card = await self.bot.app.moderation.stats_card()
        await interaction.response.send_message(embed=card_to_embed(card), ephemeral=True)


async def setup(bot: StemCellBot) -> None:
    bot.add_dynamic_items(FlagButton)
    await bot.add_cog(Moderation(bot))
