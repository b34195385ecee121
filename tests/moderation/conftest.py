"""Fixtures for the moderation core: a real SQLite file, a service with a clock tests move."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.card import Message
from bot.chat import ChannelUnavailable, MessageRef
from bot.moderation.model import IncomingMessage
from bot.moderation.service import ModerationService
from bot.settings import Settings
from bot.storage import Database

GUILD, CHANNEL, REVIEW, MOD_ROLE = 1000, 2000, 3000, 4000


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime(2026, 3, 1, 12, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class FakeFaq:
    def __init__(self, match: tuple[str, str] | None = ("what-is-ahsct", "What is aHSCT?")):
        self.match = match
        self.asked: list[str] = []

    def best_match(self, text: str) -> tuple[str, str] | None:
        self.asked.append(text)
        return self.match


@dataclass
class RecordingChat:
    """A `Chat` that keeps what the core sent, as a member or moderator would see it."""

    posts: list[tuple[int, Message]] = field(default_factory=list)
    replies: list[tuple[MessageRef, Message]] = field(default_factory=list)
    edits: list[tuple[MessageRef, Message]] = field(default_factory=list)
    deleted: list[MessageRef] = field(default_factory=list)
    timeouts: list[tuple[int, Any]] = field(default_factory=list)
    directs: list[tuple[int, Message]] = field(default_factory=list)
    dms_closed: bool = False  # the member does not accept DMs (Discord's 50007)
    refuse_posts: bool = False  # the review channel refuses the bot (Missing Permissions)
    lacking: tuple[str, ...] = ()  # permissions the bot is pretended to lack everywhere

    async def post(self, channel_id: int, message: Message) -> MessageRef:
        if self.refuse_posts:
            raise ChannelUnavailable("Discord answered 403: Missing Permissions", status=403)
        self.posts.append((channel_id, message))
        return MessageRef(channel_id, 9000 + len(self.posts))

    async def reply(self, to: MessageRef, message: Message) -> MessageRef:
        self.replies.append((to, message))
        return MessageRef(to.channel_id, 8000 + len(self.replies))

    async def direct(self, user_id: int, message: Message) -> MessageRef:
        if self.dms_closed:
            raise ChannelUnavailable("Cannot send messages to this user", status=403)
        self.directs.append((user_id, message))
        return MessageRef(7000 + user_id, 7000 + len(self.directs))

    async def edit(self, ref: MessageRef, message: Message) -> None:
        self.edits.append((ref, message))

    async def delete(self, ref: MessageRef) -> None:
        self.deleted.append(ref)

    async def timeout(self, guild_id: int, user_id: int, until: Any, reason: str) -> None:
        self.timeouts.append((user_id, until))

    def missing_permissions(self, channel_id: int, wanted: Any) -> tuple[str, ...]:
        return tuple(p for p in wanted if p in self.lacking)

    async def find_posted(self, channel_id: int, message: Message, since: Any = None) -> None:
        return None

    def review_posts(self) -> list[Message]:
        return [m for channel, m in self.posts if channel == REVIEW]


def message(
    content: str, *, message_id: int = 1, author_id: int = 77, channel_id: int = CHANNEL, **kw: Any
) -> IncomingMessage:
    return IncomingMessage(GUILD, channel_id, message_id, author_id, content, **kw)


def settings(**moderation: Any) -> Settings:
    base: dict[str, Any] = {"review_channel_id": REVIEW, "moderator_role_ids": [MOD_ROLE]}
    base.update(moderation)
    return Settings(moderation=base, database={"path": "unused.sqlite3"})


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "bot.sqlite3")
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def faq() -> FakeFaq:
    return FakeFaq()


@pytest.fixture
def chat() -> RecordingChat:
    return RecordingChat()


@pytest.fixture
async def service(
    db: Database, clock: Clock, faq: FakeFaq, chat: RecordingChat
) -> ModerationService:
    return await ModerationService.create(settings(), db, faq=faq, clock=clock, chat=chat)
