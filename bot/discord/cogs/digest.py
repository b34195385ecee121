"""Research digest on Discord: the schedule, the catch-up, and `/digest latest|now|status`.

Thin on purpose: the cron job and the commands call `DigestService` and turn its cards into
embeds. What this layer owns is what only Discord knows: where to post, how a send failed,
and who may ask for a run.

Sending is made safe to repeat: every digest goes out with a nonce derived from its content,
and discord.py sends `enforce_nonce`, so a send retried after a lost connection returns the
message Discord already created instead of posting it twice. A send Discord refused (4xx, or
5xx after discord.py's own retries) is reported to the service as `PublishRejected`, so the
items wait for the next run; only an answer lost in transit, or a process that stopped
between Discord's answer and the database, is left for the service to reconcile. It does so
with `lookup`, which reads the digest channel's history: Discord keeps no nonce on stored
messages, so the digest is recognised by its author and its text, which names its slot.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime, timedelta

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.card import Message
from bot.digest.model import RunResult
from bot.digest.schedule import last_slot, trigger
from bot.digest.service import Lookup, PublishRejected
from bot.discord.checks import admin_only
from bot.discord.client import StemCellBot
from bot.discord.embeds import cards_to_embeds

log = logging.getLogger(__name__)

JOB_ID = "research-digest"
SEND_ATTEMPTS = 3
CLOCK_SKEW = timedelta(minutes=15)  # between this host's clock and Discord's snowflakes
LOOKBACK_MESSAGES = 100  # how far `lookup` reads when it does not know when the run began
NONE = discord.AllowedMentions.none()


def nonce_for(message: Message) -> int:
    """A stable nonce per digest (Discord allows 25 characters; this is at most 19 digits)."""
    data = json.dumps(
        {"content": message.content, "cards": [asdict(c) for c in message.cards]}, sort_keys=True
    )
    return int.from_bytes(hashlib.sha256(data.encode()).digest()[:8], "big") >> 1


class Digest(commands.Cog):
    digest = app_commands.Group(
        name="digest", description="Research digests: new papers and trials on MS and stem cells"
    )

    def __init__(self, bot: StemCellBot) -> None:
        self.bot = bot
        self.service = bot.app.digest
        self.config = bot.app.settings.digest
        self._startup: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        if self.config.enabled:
            self.bot.scheduler.add_job(
                self.scheduled_run,
                trigger(self.config.schedule, self.config.zone),
                id=JOB_ID,
                name="research digest",
                replace_existing=True,
            )
        self._startup = asyncio.create_task(self._settle_and_catch_up(), name="digest-startup")

    async def cog_unload(self) -> None:
        if self.bot.scheduler.get_job(JOB_ID) is not None:
            self.bot.scheduler.remove_job(JOB_ID)
        if self._startup is not None and not self._startup.done():
            self._startup.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._startup

    # -- the schedule ------------------------------------------------------------------

    async def scheduled_run(self, now: datetime | None = None) -> RunResult | None:
        """The cron job: the digest of the slot that just came due (`now` is for tests)."""
        await self.bot.wait_until_ready()
        now = now or datetime.now(UTC)
        slot = last_slot(self.config.schedule, self.config.zone, now)
        if slot is None:
            return None
        return await self._run(slot)

    async def _settle_and_catch_up(self) -> None:
        """At start: settle a digest a stopped process left half-posted, then catch up once."""
        try:
            await self.bot.wait_until_ready()
            await self.service.reconcile(self.publish, self.notify, self._lookup())
            missed = await self.service.missed_slot() if self.config.enabled else None
            if missed is not None:
                log.info("digest: catching up the missed slot %s", missed.isoformat())
                await self._run(missed)
        except asyncio.CancelledError:
            raise
        except Exception:
            if self._closing:
                log.debug("digest: start-up check interrupted by shutdown", exc_info=True)
            else:
                log.exception("digest: start-up check failed; the schedule still runs")

    async def _run(self, slot: datetime, *, include_disabled: bool = False) -> RunResult | None:
        try:
            return await self.service.run(
                slot,
                self.publish,
                self.notify,
                lookup=self._lookup(),
                include_disabled=include_disabled,
            )
        except Exception:
            if self._closing:
                log.warning("digest run interrupted by shutdown; the next start settles it")
            else:
                log.exception("digest run failed", extra={"slot": slot.isoformat()})
            return None

    @property
    def _closing(self) -> bool:
        # The client stops the scheduler first when it closes, then the database.
        return self.bot.is_closed() or not self.bot.scheduler.running

    # -- what the service calls --------------------------------------------------------

    async def publish(self, message: Message) -> list[int]:
        """Post one digest message; safe to retry thanks to its nonce."""
        channel = await self._channel(self.config.channel_id)
        if channel is None:
            raise PublishRejected(
                "no usable digest channel: set [digest] channel_id to a text channel the bot "
                "can post in"
            )
        embeds = cards_to_embeds(message.cards)
        nonce = nonce_for(message)
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                sent = await channel.send(
                    content=message.content or None,
                    embeds=embeds,
                    allowed_mentions=NONE,
                    nonce=nonce,
                )
                return [sent.id]
            except discord.HTTPException as exc:
                raise PublishRejected(f"Discord answered {exc.status}: {exc.text[:200]}") from exc
            except (aiohttp.ClientError, TimeoutError, OSError) as exc:
                if attempt == SEND_ATTEMPTS:
                    raise
                log.warning(
                    "digest: sending failed in transit (%s), retrying with the same nonce",
                    type(exc).__name__,
                )
                await asyncio.sleep(attempt)
        raise AssertionError("unreachable")

    async def lookup(self, message: Message) -> list[int]:
        """The id of `message` if Discord already has it, from the bot, since its run began."""
        channel = await self._channel(self.config.channel_id)
        if channel is None:
            raise LookupError("no usable digest channel to look in")
        since = await self.service.unsettled_since()
        wanted = _fingerprint(message.content, cards_to_embeds(message.cards))
        history = (
            channel.history(limit=None, after=since - CLOCK_SKEW)
            if since is not None
            else channel.history(limit=LOOKBACK_MESSAGES)
        )
        me = self.bot.user
        async for sent in history:
            if me is not None and sent.author.id == me.id:
                if _fingerprint(sent.content, sent.embeds) == wanted:
                    return [sent.id]
        return []

    def _lookup(self) -> Lookup | None:
        """`lookup`, if the bot may read the digest channel's history.

        Without Read Message History Discord shows an empty channel, and a digest that is
        there would look missing and be posted again; then the service's rule applies
        instead: assume it went out and ask the moderators to check.
        """
        channel = self.bot.get_channel(self.config.channel_id or 0)
        if not isinstance(channel, discord.abc.GuildChannel) or channel.guild.me is None:
            return None
        perms = channel.permissions_for(channel.guild.me)
        return self.lookup if perms.view_channel and perms.read_message_history else None

    async def notify(self, text: str) -> None:
        """One line for the moderators in the review channel."""
        channel = await self._channel(self.bot.app.settings.moderation.review_channel_id)
        if channel is None:
            log.warning("digest notice not sent (no review channel): %s", text)
            return
        await channel.send(content=text, allowed_mentions=NONE)

    async def _channel(self, channel_id: int | None) -> discord.abc.Messageable | None:
        return None if channel_id is None else await self.bot.messageable(channel_id)

    # -- commands --------------------------------------------------------------------------

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
        result = await self._run(datetime.now(UTC), include_disabled=True)
        await interaction.followup.send(_summary(result), ephemeral=True, allowed_mentions=NONE)

    @digest.command(name="status", description="Admins: each source's state and the next run")
    @admin_only()
    async def status(self, interaction: discord.Interaction) -> None:
        card = self.service.status_card(await self.service.status())
        await interaction.response.send_message(
            embed=cards_to_embeds([card])[0], ephemeral=True, allowed_mentions=NONE
        )


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


def _summary(result: RunResult | None) -> str:
    if result is None:
        return "The digest run failed; the bot's log says why."
    failed = ""
    if result.failed_sources:
        names = ", ".join(sorted(result.failed_sources))
        failed = f" Sources that failed: {names} (see `/digest status`)."
    if result.status == "posted":
        noun = "item" if result.item_count == 1 else "items"
        return f"Posted a digest with {result.item_count} {noun}.{failed}"
    if result.status == "empty":
        return f"Nothing new since the last digest; nothing was posted.{failed}"
    if result.status == "already_done":
        return "A digest for this moment was already posted."
    if result.status == "failed":
        return f"Discord refused the digest; its items wait for the next run.{failed}"
    return "It is unclear whether the digest went out; the next run checks before posting."


async def setup(bot: StemCellBot) -> None:
    await bot.add_cog(Digest(bot))
