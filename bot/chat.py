"""The outbound port: everything a core may ask of a chat platform, without knowing which.

The cores (moderation, digest, FAQ, trials) decide *what* to say and *when*; they hand a
`bot.card.Message` to a `Chat`. `bot/discord/chat.py` implements this on discord.py (channel
lookup, allowed mentions built from `Message.ping_role_ids`, nonces, history search); the
console implements it by printing; tests may use either. Failures come back as `ChatError`s
that say whether trying again later can help, so a core can keep a delivery in its outbox
instead of losing it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.card import Message


@dataclass(frozen=True)
class MessageRef:
    """Where a message lives: enough to edit, reply to, delete or link to it."""

    channel_id: int
    message_id: int


class ChatError(Exception):
    """A delivery that did not happen. `retryable` is False when waiting will not help."""

    def __init__(self, reason: str, *, retryable: bool, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.status = status


class ChannelUnavailable(ChatError):
    """The channel (or DM) does not exist or the bot may not post there."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason, retryable=False, status=status)


class Chat(Protocol):
    async def post(self, channel_id: int, message: Message) -> MessageRef:
        """Send a new message to a channel."""
        ...

    async def reply(self, to: MessageRef, message: Message) -> MessageRef:
        """Send a message in the same channel, as a reply to `to` (never pinging its author)."""
        ...

    async def direct(self, user_id: int, message: Message) -> MessageRef:
        """Send a direct message; `ChannelUnavailable` when the member's DMs are closed."""
        ...

    async def edit(self, ref: MessageRef, message: Message) -> None:
        """Replace a message the bot posted earlier (content, cards and buttons)."""
        ...

    async def delete(self, ref: MessageRef) -> None:
        """Delete a message; `ChannelUnavailable` when the bot lacks the permission."""
        ...

    async def timeout(self, guild_id: int, user_id: int, until: datetime, reason: str) -> None:
        """Stop a member posting until `until` (Discord's timeout); `ChannelUnavailable` when
        the bot lacks the permission (Moderate Members) or the member outranks it."""
        ...

    def missing_permissions(self, channel_id: int, wanted: Sequence[str]) -> tuple[str, ...]:
        """Which of `wanted` (discord.py's names: "manage_messages", "moderate_members") the
        bot lacks in a channel, as far as the chat knows right now; () when it cannot tell.

        Lets a core say in advance that a button cannot work, instead of finding out from a
        refusal after a moderator clicked.
        """
        ...

    async def find_posted(
        self, channel_id: int, message: Message, since: datetime | None = None
    ) -> MessageRef | None:
        """A message this bot posted showing `message` (since `since`), for settling after a
        crash.

        Discord keeps no nonce on stored messages, so a message is recognised by its author and
        what it shows. Returns None when there is none; raises `ChannelUnavailable` when
        history cannot be read (the caller then decides what is safest).
        """
        ...


class Offline:
    """The chat of a process with no chat connected (the CLI): every delivery is refused.

    A core that delivers keeps what it could not send (a flag waits for its review post), so
    the running bot delivers it later.
    """

    REASON = "not connected to a chat (offline)"

    async def post(self, channel_id: int, message: Message) -> MessageRef:
        raise ChannelUnavailable(self.REASON)

    async def reply(self, to: MessageRef, message: Message) -> MessageRef:
        raise ChannelUnavailable(self.REASON)

    async def direct(self, user_id: int, message: Message) -> MessageRef:
        raise ChannelUnavailable(self.REASON)

    async def edit(self, ref: MessageRef, message: Message) -> None:
        raise ChannelUnavailable(self.REASON)

    async def delete(self, ref: MessageRef) -> None:
        raise ChannelUnavailable(self.REASON)

    async def timeout(self, guild_id: int, user_id: int, until: datetime, reason: str) -> None:
        raise ChannelUnavailable(self.REASON)

    def missing_permissions(self, channel_id: int, wanted: Sequence[str]) -> tuple[str, ...]:
        return ()

    async def find_posted(
        self, channel_id: int, message: Message, since: datetime | None = None
    ) -> MessageRef | None:
        raise ChannelUnavailable(self.REASON)
