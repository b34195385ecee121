"""The moderation feature's plain data: what comes in from a chat, what is stored, what goes out.

Discord-free on purpose: the cog, the console and the tests all build an `IncomingMessage` and
read an `Outcome`, so the same service serves each of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from bot.card import Message
from bot.chat import MessageRef
from bot.moderation.detector import Detection
from bot.moderation.lifecycle import CLOSED, State

EXCERPT_LIMIT = 200
MEMBER_REPORT = "member-report"
# The detector's categories, and what a moderator may resolve a member report as.
DETECTED: tuple[str, ...] = ("crisis", "advice", "promotion")
OTHER = "other"
RESOLVE_AS: tuple[str, ...] = (*DETECTED, OTHER)
MESSAGE = "message"  # the origin of text posted in a channel, as opposed to typed into a command
# What a purged member's id becomes where the audit trail must keep the row (who claimed,
# who reported, who acted): Discord ids are positive, so 0 identifies no one.
ERASED_MEMBER = 0


def member_mention(user_id: int) -> str:
    """`<@id>` for a member, or words for one whose data was purged."""
    return "a removed member" if user_id == ERASED_MEMBER else f"<@{user_id}>"


def jump_url(guild_id: int, channel_id: int, message_id: int) -> str:
    """The link Discord clients open at a message; derived, so it never needs storing."""
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


@dataclass(frozen=True)
class IncomingMessage:
    """A chat message as the moderation core needs it: ids, flags about the author, the text."""

    guild_id: int | None
    channel_id: int
    message_id: int
    author_id: int
    content: str
    author_is_bot: bool = False
    author_is_moderator: bool = False
    parent_channel_id: int | None = None  # the channel a thread belongs to
    url: str | None = None
    origin: str = MESSAGE  # or the command it was typed into, e.g. "/ask"
    author_joined_at: datetime | None = None  # when the author joined the server, if known
    author_created_at: datetime | None = None  # when the author's account was made

    @property
    def jump_url(self) -> str | None:
        if self.url:
            return self.url
        if self.guild_id is None:
            return None
        return jump_url(self.guild_id, self.channel_id, self.message_id)


@dataclass(frozen=True)
class AutoModAlert:
    """Discord's AutoMod acted on a member's message (an alert; the message still exists)."""

    guild_id: int
    channel_id: int
    message_id: int
    author_id: int
    content: str
    ours: bool  # the bot's own promotion rule (`bot.moderation.automod.RULE_NAME`)


@dataclass(frozen=True)
class Flag:
    """One stored flag, with what its review card shows (reporters, who closed it, notes)."""

    id: int
    guild_id: int
    channel_id: int
    message_id: int
    author_id: int
    category: str
    score: float
    reasons: tuple[str, ...]
    excerpt: str | None
    state: State
    claimed_by: int | None
    review_channel_id: int | None
    review_message_id: int | None
    created_at: str
    updated_at: str
    closed_at: str | None
    reporters: tuple[int, ...] = ()
    closed_by: int | None = None
    note_count: int = 0
    last_note: str | None = None
    excerpt_removed: str | None = None  # "deleted" or "expired" once the excerpt is gone
    origin: str = "message"  # or the command the text was typed into, e.g. "/ask"
    # What the detector said about the message ("none": it let it through, e.g. a report).
    detected_category: str | None = None
    # The category a moderator confirmed by resolving ("other": none of the detector's).
    resolved_category: str | None = None
    copies: tuple[tuple[int, int], ...] = ()  # (channel_id, message_id) of the same text

    @property
    def closed(self) -> bool:
        return self.state in CLOSED

    @property
    def jump_url(self) -> str:
        return jump_url(self.guild_id, self.channel_id, self.message_id)

    @property
    def review_post(self) -> MessageRef | None:
        if self.review_channel_id and self.review_message_id:
            return MessageRef(self.review_channel_id, self.review_message_id)
        return None


@dataclass(frozen=True)
class FlagEvent:
    """One row of the append-only audit trail."""

    id: int
    flag_id: int
    actor_id: int | None
    action: str
    from_state: str | None
    to_state: str | None
    note: str | None
    at: str


Change = Literal["created", "updated", "none"]


@dataclass(frozen=True)
class Outcome:
    """What became of a member's text (a message, an edit, a report, a typed question).

    `reply` is what the member is told (None: nothing); `flag` is the flag it raised or
    changed, whose review post the moderation core has posted or edited; `pinged` is True
    when the moderator roles were alerted (a new crisis); `moderators_told` is True once the
    review post of a crisis really reached the review channel (and the reply says so).
    """

    change: Change
    flag: Flag | None = None
    detection: Detection | None = None
    reply: str | None = None
    pinged: bool = False
    moderators_told: bool = False

    @property
    def created(self) -> bool:
        return self.change == "created"


@dataclass(frozen=True)
class ActionResult:
    """A moderator action: done (with the review post as it now looks) or refused (why)."""

    ok: bool
    message: str
    flag: Flag | None = None
    review: Message | None = None


@dataclass(frozen=True)
class PurgeResult:
    """What `purge_user` removed, and the review posts that still show the member."""

    user_id: int
    flags_deleted: int
    reports_removed: int
    review_posts: tuple[tuple[int, int, int], ...] = field(default_factory=tuple)
    # (guild_id, channel_id, message_id) of review posts to delete in Discord
