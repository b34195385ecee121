"""Moderation on Discord: watch messages, post review cards, and let moderators act on them.

Thin on purpose: every decision (is this a flag? may this moderator claim it? what does the
member get told?) is the `ModerationService`'s; this cog turns gateway events and clicks into
calls on it, and its outcomes into messages. What only Discord knows stays here:

- Review buttons are `DynamicItem`s with custom_id `flag:<id>:<action>`, so a post from last
  month still works after any number of restarts; nothing is kept in memory per post.
- Only a crisis pings, and only the moderator roles, in the review channel: every other send
  uses `AllowedMentions.none()`, so quoted member text can never ping anyone.
- Moderator rights are checked in code on every click and command (`bot.discord.checks`);
  default permissions only hide the commands.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import discord
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from discord import app_commands
from discord.ext import commands

from bot.discord.checks import NotAllowed, is_moderator, moderator_only
from bot.discord.client import StemCellBot
from bot.discord.embeds import card_to_embed, cards_to_embeds
from bot.moderation.lifecycle import Action, State
from bot.moderation.model import Flag, IncomingMessage, MessageOutcome, ReportOutcome
from bot.moderation.service import ModerationService

log = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()
PURGE_JOB_ID = "moderation-purge"
RETRY_JOB_ID = "moderation-retry-review-posts"
RETRY_EVERY = timedelta(minutes=1)
# On shutdown, how long a message already being handled may take to finish its flag and post.
SHUTDOWN_GRACE_SECONDS = 5.0
REFUSE_NON_MODERATOR = "Only moderators can act on flags."
BUTTONS: dict[str, tuple[str, discord.ButtonStyle]] = {
    "claim": ("Claim", discord.ButtonStyle.primary),
    "resolve": ("Resolve", discord.ButtonStyle.success),
    "dismiss": ("Dismiss (false positive)", discord.ButtonStyle.secondary),
    "note": ("Note", discord.ButtonStyle.secondary),
}


def _service(interaction: discord.Interaction) -> ModerationService:
    return interaction.client.app.moderation  # type: ignore[attr-defined, no-any-return]


def _is_moderator(interaction: discord.Interaction) -> bool:
    return is_moderator(interaction.user, interaction.client.app.settings)  # type: ignore[attr-defined]


class FlagButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"flag:(?P<id>[0-9]{1,20}):(?P<action>claim|resolve|dismiss|note)",
):
    """One review button; everything it needs is in its custom_id, so restarts don't matter."""

    def __init__(self, flag_id: int, action: str, *, disabled: bool = False) -> None:
        label, style = BUTTONS[action]
        super().__init__(
            discord.ui.Button(
                label=label,
                style=style,
                custom_id=f"flag:{flag_id}:{action}",
                disabled=disabled,
            )
        )
        self.flag_id = flag_id
        self.action = action

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: Any,
        /,
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
        action: Action = self.action  # type: ignore[assignment]
        result = await _service(interaction).act(self.flag_id, action, interaction.user.id)
        if result.ok and result.flag is not None and result.card is not None:
            await interaction.response.edit_message(
                embed=card_to_embed(result.card), view=review_view(result.flag)
            )
            return
        await interaction.response.send_message(result.message, ephemeral=True)
        if result.flag is not None and result.card is not None and interaction.message:
            # Someone else got there first: make sure this post shows what really happened.
            await _edit_quietly(interaction.message, result.flag, result.card)


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
        result = await _service(interaction).add_note(
            self.flag_id, interaction.user.id, self.note.value
        )
        if result.ok and result.flag and result.card and interaction.message is not None:
            await interaction.response.edit_message(
                embed=card_to_embed(result.card), view=review_view(result.flag)
            )
        else:
            await interaction.response.send_message(result.message, ephemeral=True)


def review_view(flag: Flag) -> discord.ui.View:
    """The buttons for a flag's current state; all disabled once it is closed."""
    view = discord.ui.View(timeout=None)
    for action in BUTTONS:
        disabled = flag.closed or (action == "claim" and flag.state == "claimed")
        view.add_item(FlagButton(flag.id, action, disabled=disabled))
    return view


async def _edit_quietly(
    message: discord.Message | discord.PartialMessage, flag: Flag, card: Any
) -> None:
    try:
        await message.edit(embed=card_to_embed(card), view=review_view(flag))
    except discord.HTTPException as exc:
        log.warning(
            "could not update a review post", extra={"flag_id": flag.id, "status": exc.status}
        )


def incoming(message: discord.Message, bot: StemCellBot) -> IncomingMessage:
    """The Discord-free view of a message that the moderation core works with."""
    author = message.author
    parent = getattr(message.channel, "parent_id", None)
    return IncomingMessage(
        guild_id=message.guild.id if message.guild else None,
        channel_id=message.channel.id,
        message_id=message.id,
        author_id=author.id,
        content=message.content or "",
        author_is_bot=author.bot or author.system,
        author_is_moderator=is_moderator(author, bot.app.settings),
        parent_channel_id=parent,
        url=message.jump_url,
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
        self.service = bot.app.moderation
        self.settings = bot.app.settings.moderation
        self.report_menu = app_commands.ContextMenu(
            name="Report to moderators", callback=self.report_message
        )
        self.report_menu.guild_only = True
        self._posting: set[int] = set()
        self._handlers: set[asyncio.Task[object]] = set()

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.report_menu)
        hour, minute = (int(part) for part in self.settings.purge_time.split(":"))
        self.bot.scheduler.add_job(
            self.purge_job,
            CronTrigger(hour=hour, minute=minute, timezone=ZoneInfo("UTC")),
            id=PURGE_JOB_ID,
            name="moderation: remove expired excerpts",
            replace_existing=True,
        )
        self.bot.scheduler.add_job(
            self.retry_review_posts,
            IntervalTrigger(seconds=RETRY_EVERY.total_seconds(), timezone=ZoneInfo("UTC")),
            id=RETRY_JOB_ID,
            name="moderation: post flags whose review post failed",
            replace_existing=True,
        )

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.report_menu.name, type=self.report_menu.type)
        for job_id in (PURGE_JOB_ID, RETRY_JOB_ID):
            if self.bot.scheduler.get_job(job_id) is not None:
                self.bot.scheduler.remove_job(job_id)
        # Let a message being handled finish (its flag, reply and review post) before the
        # database closes under it.
        pending = {task for task in self._handlers if not task.done()}
        if pending:
            await asyncio.wait(pending, timeout=SHUTDOWN_GRACE_SECONDS)

    @contextlib.contextmanager
    def _handling(self) -> Iterator[None]:
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
        try:
            yield
        finally:
            if task is not None:
                self._handlers.discard(task)

    # -- gateway events ------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.guild is None or message.author.bot:
            return
        with self._handling():
            outcome = await self.service.handle_message(incoming(message, self.bot))
            await self._deliver(outcome, message)

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        message = payload.message
        if message.guild is None or message.author.bot:
            return
        with self._handling():
            outcome = await self.service.handle_edit(incoming(message, self.bot))
            await self._deliver(outcome, message)

    @commands.Cog.listener()
    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        if payload.guild_id is None:
            return
        with self._handling():
            for flag in await self.service.handle_delete(payload.message_id):
                await self._update_post(flag)

    # -- member reports ------------------------------------------------------------------

    async def report_message(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        reported = incoming(message, self.bot)
        outcome = await self.service.report(reported, interaction.user.id)
        await interaction.response.send_message(outcome.message, ephemeral=True)
        if outcome.accepted and outcome.flag is not None:
            await self._deliver_report(outcome)

    # -- moderator commands --------------------------------------------------------------

    @flags.command(name="list", description="The review queue, oldest open first, with links")
    @app_commands.describe(state="Only flags in this state (default: open or claimed)")
    @moderator_only()
    async def list_flags(
        self, interaction: discord.Interaction, state: State | None = None
    ) -> None:
        card = await self.service.queue_card(state)
        await interaction.response.send_message(embed=card_to_embed(card), ephemeral=True)

    @flags.command(name="show", description="One flag: its review card and its history")
    @app_commands.describe(id="The flag number, as shown on its review card")
    @moderator_only()
    async def show_flag(
        self, interaction: discord.Interaction, id: app_commands.Range[int, 1]
    ) -> None:
        cards = await self.service.flag_cards(id)
        if cards is None:
            raise NotAllowed(f"There is no flag #{id}. `/flags list` shows the queue.")
        await interaction.response.send_message(embeds=cards_to_embeds(list(cards)), ephemeral=True)

    # -- the daily privacy job -----------------------------------------------------------

    async def purge_job(self) -> list[Flag]:
        """Remove excerpts of flags closed more than `retention_days` ago; edit their posts."""
        await self.bot.wait_until_ready()
        flags = await self.service.purge_expired()
        for flag in flags:
            await self._update_post(flag)
        return flags

    async def retry_review_posts(self, grace: timedelta = timedelta(seconds=30)) -> int:
        """Post the flags Discord refused to show moderators earlier; return how many."""
        await self.bot.wait_until_ready()
        posted = 0
        for outcome in await self.service.awaiting_review_post(grace):
            assert outcome.flag is not None
            if outcome.flag.id not in self._posting:
                posted += await self._post_review(
                    outcome.flag, outcome.ping_role_ids, outcome.ping_text
                )
        return posted

    # -- sending -------------------------------------------------------------------------

    async def _deliver(self, outcome: MessageOutcome, message: discord.Message) -> None:
        if outcome.reply:
            # First the member: a person in crisis should not wait for the review post.
            try:
                await message.reply(outcome.reply, mention_author=False, allowed_mentions=NONE)
            except discord.HTTPException as exc:
                log.warning("could not reply to a flagged message", extra={"status": exc.status})
        flag = outcome.flag
        if flag is None or outcome.action == "none":
            return
        if outcome.action == "created" or flag.review_post is None:
            await self._post_review(flag, outcome.ping_role_ids, outcome.ping_text)
        else:
            await self._update_post(flag)
            if outcome.ping_role_ids and outcome.ping_text:
                await self._ping(flag, outcome.ping_role_ids, outcome.ping_text)

    async def _deliver_report(self, outcome: ReportOutcome) -> None:
        flag = outcome.flag
        assert flag is not None
        if outcome.created or flag.review_post is None:
            await self._post_review(flag, outcome.ping_role_ids, outcome.ping_text)
        else:
            await self._update_post(flag)

    async def _review_channel(self) -> discord.abc.Messageable | None:
        channel_id = self.service.review_channel_id
        if channel_id is None:
            log.warning("a flag was raised but [moderation] review_channel_id is not set")
            return None
        channel = await self.bot.messageable(channel_id)
        if channel is None:
            log.warning("the review channel cannot be reached", extra={"channel": channel_id})
        return channel

    async def _post_review(
        self, flag: Flag, ping_roles: tuple[int, ...], ping_text: str | None
    ) -> bool:
        """Post the review card; on failure the flag waits for `retry_review_posts`."""
        channel = await self._review_channel()
        if channel is None:
            return False
        card = self.service.review_card(flag)
        mentions = NONE
        if ping_roles and ping_text:
            roles = [discord.Object(id=role) for role in ping_roles]
            mentions = discord.AllowedMentions(everyone=False, users=False, roles=roles)
        self._posting.add(flag.id)
        try:
            sent = await channel.send(
                content=ping_text if ping_roles else None,
                embed=card_to_embed(card),
                view=review_view(flag),
                allowed_mentions=mentions,
            )
            await self.service.set_review_post(flag.id, sent.channel.id, sent.id)
        except discord.HTTPException as exc:
            log.warning(
                "could not post a review card; it will be retried within %s",
                RETRY_EVERY,
                extra={"flag_id": flag.id, "status": exc.status},
            )
            return False
        finally:
            self._posting.discard(flag.id)
        return True

    async def _ping(self, flag: Flag, roles: tuple[int, ...], text: str) -> None:
        """A flag that became a crisis after an edit: its post exists, so ping beside it."""
        channel = await self._review_channel()
        if channel is None or flag.review_post is None:
            return
        reference = discord.MessageReference(
            message_id=flag.review_post[1], channel_id=flag.review_post[0], fail_if_not_exists=False
        )
        mentions = discord.AllowedMentions(
            everyone=False, users=False, roles=[discord.Object(id=r) for r in roles]
        )
        try:
            await channel.send(text, reference=reference, allowed_mentions=mentions)
        except discord.HTTPException as exc:
            log.error("could not ping moderators", extra={"flag_id": flag.id, "status": exc.status})

    async def _update_post(self, flag: Flag) -> None:
        post = flag.review_post
        if post is None:
            return
        channel = self.bot.get_partial_messageable(post[0])
        await _edit_quietly(
            channel.get_partial_message(post[1]), flag, self.service.review_card(flag)
        )


async def setup(bot: StemCellBot) -> None:
    bot.add_dynamic_items(FlagButton)
    await bot.add_cog(Moderation(bot))
