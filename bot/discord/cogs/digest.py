"""`/digest latest|now|status`: routes each command to `DigestService` and replies privately.

The digest core owns its schedule, its start-up check and its deliveries; this cog hands
the core a `Chat` and the moment the connection is ready, and turns results into replies.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.card import Message
from bot.chat import ChannelUnavailable, ChatError, MessageRef
from bot.discord.checks import admin_only
from bot.discord.client import StemCellBot
from bot.discord.embeds import cards_to_embeds

log = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()


class Digest(commands.Cog):
    digest = app_commands.Group(
        name="digest", description="Research digests: new papers and trials on MS and stem cells"
    )

    def __init__(self, bot: StemCellBot) -> None:
        self.bot = bot
        self.service = bot.app.digest

    async def cog_load(self) -> None:
        self.service.attach(_DigestChat(self.bot))
        for job in self.service.jobs():
            self.bot.scheduler.add_job(
                job.run, job.trigger, id=job.id, name=job.description, replace_existing=True
            )

    async def cog_unload(self) -> None:
        for job in self.service.jobs():
            if self.bot.scheduler.get_job(job.id) is not None:
                self.bot.scheduler.remove_job(job.id)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        self.service.start()  # once: later READYs (after a reconnect) find it started

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
            embeds=cards_to_embeds(message.cards),
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
            embed=cards_to_embeds([card])[0], ephemeral=True, allowed_mentions=NONE
        )


# -- until bot/discord/chat.py (the shared `Chat` on discord.py) is in main -----------------

CLOCK_SKEW = timedelta(minutes=15)  # between this host's clock and Discord's snowflakes
IN_TRANSIT = (aiohttp.ClientError, TimeoutError, OSError)


class _DigestChat:
    """The two `Chat` calls the digest makes: post, and find a message after a crash."""

    def __init__(self, bot: StemCellBot) -> None:
        self.bot = bot

    async def post(self, channel_id: int, message: Message) -> MessageRef:
        channel = await self._channel(channel_id)
        try:
            sent = await channel.send(
                content=message.content or None,
                embeds=cards_to_embeds(message.cards),
                allowed_mentions=NONE,
                nonce=message.nonce,
            )
        except discord.HTTPException as exc:
            raise ChatError(
                f"Discord answered {exc.status}: {exc.text[:200]}",
                retryable=exc.status == 429 or exc.status >= 500,
                status=exc.status,
            ) from exc
        except IN_TRANSIT as exc:
            raise ChatError(f"lost in transit: {type(exc).__name__}", retryable=True) from exc
        return MessageRef(sent.channel.id, sent.id)

    async def find_posted(
        self, channel_id: int, message: Message, since: datetime | None = None
    ) -> MessageRef | None:
        channel = await self._channel(channel_id)
        if isinstance(channel, discord.abc.GuildChannel):
            me = channel.guild.me
            perms = channel.permissions_for(me) if me is not None else None
            if perms is None or not (perms.view_channel and perms.read_message_history):
                raise ChannelUnavailable(f"cannot read the history of channel {channel_id}")
        wanted = _fingerprint(message.content, cards_to_embeds(message.cards))
        history = (
            channel.history(limit=None, after=since - CLOCK_SKEW)
            if since is not None
            else channel.history(limit=100)
        )
        me_id = self.bot.user.id if self.bot.user else None
        try:
            async for sent in history:
                if sent.author.id == me_id and _fingerprint(sent.content, sent.embeds) == wanted:
                    return MessageRef(sent.channel.id, sent.id)
        except (discord.HTTPException, *IN_TRANSIT) as exc:
            raise ChatError(f"reading history failed: {exc}", retryable=True) from exc
        return None

    async def _channel(self, channel_id: int) -> discord.abc.Messageable:
        channel = await self.bot.messageable(channel_id)
        if channel is None:
            raise ChannelUnavailable(f"channel {channel_id} is not one the bot can post in")
        return channel


def _fingerprint(content: str | None, embeds: Sequence[discord.Embed]) -> tuple[object, ...]:
    """What members read in a message, spacing aside (Discord may trim it)."""

    def words(text: str | None) -> str:
        return " ".join((text or "").split())

    return (
        words(content),
        tuple(
            (
                words(embed.title),
                words(embed.description),
                words(embed.footer.text),
                tuple((words(f.name), words(f.value)) for f in embed.fields),
            )
            for embed in embeds
        ),
    )


async def setup(bot: StemCellBot) -> None:
    await bot.add_cog(Digest(bot))
