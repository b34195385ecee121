"""`bot.chat.Chat` on discord.py: what the cores post, edit and look for, delivered to Discord.

Everything Discord-specific about sending lives here: finding a channel (cache, then REST),
allowed mentions (none, unless the message names the roles it may ping), nonces (a send that
carries one is safe to repeat after a lost answer, because discord.py sends `enforce_nonce`),
and reading history to find a message after a crash. Discord's failures come back as
`ChatError`s a core can act on: 429, 5xx and a broken connection are worth retrying later;
403 and 404 (a missing channel, a missing permission, a member's closed DMs) are not.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import TypeVar

import aiohttp
import discord

from bot.card import Message
from bot.chat import ChannelUnavailable, ChatError, MessageRef
from bot.discord.messages import card_to_embed, edit_kwargs, send_kwargs

log = logging.getLogger(__name__)

T = TypeVar("T")

# Sends with a nonce are repeated this often when the answer is lost in transit.
SEND_ATTEMPTS = 3
CLOCK_SKEW = timedelta(minutes=15)  # between this host's clock and Discord's snowflakes
LOOKBACK_MESSAGES = 100  # how far find_posted reads when not told since when
IN_TRANSIT = (aiohttp.ClientError, TimeoutError, OSError)
GUILD_WIDE = frozenset({"moderate_members"})  # permissions Discord checks on the guild


class DiscordChat:
    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def post(self, channel_id: int, message: Message) -> MessageRef:
        channel = await self._channel(channel_id)
        return await self._send(
            lambda: channel.send(**send_kwargs(message), **_nonce(message)),
            repeatable=message.nonce is not None,
        )

    async def reply(self, to: MessageRef, message: Message) -> MessageRef:
        channel = await self._channel(to.channel_id)
        reference = discord.MessageReference(
            message_id=to.message_id, channel_id=to.channel_id, fail_if_not_exists=False
        )
        return await self._send(
            lambda: channel.send(
                **send_kwargs(message), **_nonce(message), reference=reference, mention_author=False
            ),
            repeatable=message.nonce is not None,
        )

    async def direct(self, user_id: int, message: Message) -> MessageRef:
        async def send() -> discord.Message:
            user = self.client.get_user(user_id) or await self.client.fetch_user(user_id)
            return await user.send(**send_kwargs(message), **_nonce(message))

        return await self._send(send, repeatable=message.nonce is not None)

    async def edit(self, ref: MessageRef, message: Message) -> None:
        partial = self.client.get_partial_messageable(ref.channel_id)
        await _translated(partial.get_partial_message(ref.message_id).edit(**edit_kwargs(message)))

    async def delete(self, ref: MessageRef) -> None:
        partial = self.client.get_partial_messageable(ref.channel_id)
        await _translated(partial.get_partial_message(ref.message_id).delete())

    async def timeout(self, guild_id: int, user_id: int, until: datetime, reason: str) -> None:
        # PATCH /guilds/{guild}/members/{user} with communication_disabled_until.
        edit = self.client.http.edit_member(
            guild_id, user_id, reason=reason, communication_disabled_until=until.isoformat()
        )
        await _translated(edit)

    def missing_permissions(self, channel_id: int, wanted: Sequence[str]) -> tuple[str, ...]:
        """From the cache: the channel's overwrites for channel permissions (Manage
        Messages), the guild's roles for guild-wide ones (Moderate Members, as timeouts are).
        Nothing is missing as far as we know when the channel is not cached."""
        channel = self.client.get_channel(channel_id)
        if not isinstance(channel, discord.abc.GuildChannel) or channel.guild.me is None:
            return ()
        me = channel.guild.me
        here = channel.permissions_for(me)
        guild_wide = me.guild_permissions
        lacking = []
        for name in wanted:
            perms = guild_wide if name in GUILD_WIDE else here
            if not getattr(perms, name, False):
                lacking.append(name)
        return tuple(lacking)

    async def find_posted(
        self, channel_id: int, message: Message, since: datetime | None = None
    ) -> MessageRef | None:
        """A message this bot posted showing `message`, since `since` (or among the last 100).

        Discord keeps no nonce on stored messages, so the message is recognised by its author
        and what members read in it. Without Read Message History a channel looks empty and a
        message that is there would look missing: that raises `ChannelUnavailable`.
        """
        channel = await self._channel(channel_id)
        if isinstance(channel, discord.abc.GuildChannel):
            me = channel.guild.me
            perms = channel.permissions_for(me) if me is not None else None
            if perms is None or not (perms.view_channel and perms.read_message_history):
                raise ChannelUnavailable(f"cannot read the history of channel {channel_id}")
        wanted = _fingerprint(message.content, [card_to_embed(c) for c in message.cards])
        history = (
            channel.history(limit=None, after=since - CLOCK_SKEW)
            if since is not None
            else channel.history(limit=LOOKBACK_MESSAGES)
        )
        me_id = self.client.user.id if self.client.user else None
        try:
            async for sent in history:
                if sent.author.id == me_id and _fingerprint(sent.content, sent.embeds) == wanted:
                    return MessageRef(sent.channel.id, sent.id)
        except discord.HTTPException as exc:
            raise _error(exc) from exc
        except IN_TRANSIT as exc:
            raise ChatError(f"reading history failed in transit: {exc}", retryable=True) from exc
        return None

    async def _channel(self, channel_id: int) -> discord.abc.Messageable:
        channel = self.client.get_channel(channel_id)
        if channel is None:
            try:
                channel = await self.client.fetch_channel(channel_id)
            except discord.HTTPException as exc:
                raise _error(exc) from exc
            except IN_TRANSIT as exc:
                raise ChatError(f"could not reach Discord: {exc}", retryable=True) from exc
        if not isinstance(channel, discord.abc.Messageable):
            raise ChannelUnavailable(f"channel {channel_id} is not one the bot can post in")
        return channel

    async def _send(
        self, send: Callable[[], Awaitable[discord.Message]], *, repeatable: bool
    ) -> MessageRef:
        """Send once; a send with a nonce is repeated when its answer is lost in transit."""
        attempts = SEND_ATTEMPTS if repeatable else 1
        for attempt in range(1, attempts + 1):
            try:
                sent = await _translated(send())
                return MessageRef(sent.channel.id, sent.id)
            except ChatError as exc:
                if exc.status is not None or attempt == attempts:
                    raise
                log.warning("sending failed in transit, retrying with the same nonce")
                await asyncio.sleep(attempt)
        raise AssertionError("unreachable")


async def _translated(call: Awaitable[T]) -> T:
    """Await a discord.py call, turning its failures into `ChatError`s."""
    try:
        return await call
    except discord.HTTPException as exc:
        raise _error(exc) from exc
    except IN_TRANSIT as exc:
        raise ChatError(f"lost in transit: {type(exc).__name__}", retryable=True) from exc


def _error(exc: discord.HTTPException) -> ChatError:
    reason = f"Discord answered {exc.status}: {exc.text[:200]}"
    if isinstance(exc, discord.Forbidden | discord.NotFound):
        return ChannelUnavailable(reason, status=exc.status)
    return ChatError(reason, retryable=exc.status == 429 or exc.status >= 500, status=exc.status)


def _nonce(message: Message) -> dict[str, str]:
    return {"nonce": message.nonce} if message.nonce else {}


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
