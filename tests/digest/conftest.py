"""Fixtures for the digest core: a fake research server, a database, settings pointing at both."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.card import Message
from bot.chat import ChannelUnavailable, ChatError, MessageRef
from bot.digest.service import DigestService
from bot.settings import Settings, load_settings
from bot.storage import Database
from tests.digest.fakes import FakeResearch
from tests.tomlfile import merge, to_toml

DIGEST_CHANNEL = 1001
REVIEW_CHANNEL = 1002


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "digest.sqlite3")
    try:
        yield database
    finally:
        await database.close()


SettingsFactory = Callable[..., Settings]


@pytest.fixture
def make_settings(research: FakeResearch, tmp_path: Path) -> SettingsFactory:
    """Settings for a digest against the fake server; keyword `digest={...}` overrides."""

    def build(**overrides: Any) -> Settings:
        digest = {
            "channel_id": DIGEST_CHANNEL,
            "timeout_seconds": 2.0,
            "max_retries": 2,
            "retry_backoff_seconds": 0.01,
            "lookback_days": 14,
            "pubmed": {"base_url": research.eutils, "api_key": "test-key", "email": "a@b.org"},
            "clinicaltrials": {"base_url": research.base, "requests_per_second": 10},
            "feeds": [],
        }
        data = {
            "database": {"path": (tmp_path / "digest.sqlite3").as_posix()},
            "moderation": {"review_channel_id": REVIEW_CHANNEL},
            "digest": merge(digest, overrides.get("digest", {})),
        }
        path = tmp_path / "settings.toml"
        path.write_text(to_toml(data), encoding="utf-8")
        return load_settings(path)

    return build


@dataclass
class RecordingChat:
    """Plays the chat platform for the digest core: what members and moderators would see.

    `refuse_with` makes every digest post fail with that error (Discord's answer, or a
    connection lost before any answer); `history_readable = False` is a channel whose
    history the bot may not read. The digest never replies, DMs, edits or deletes.
    """

    posted: dict[int, list[tuple[MessageRef, Message, datetime]]] = field(
        default_factory=lambda: {DIGEST_CHANNEL: [], REVIEW_CHANNEL: []}
    )
    refuse_with: ChatError | None = None
    history_readable: bool = True
    next_id: int = 5000

    async def post(self, channel_id: int, message: Message) -> MessageRef:
        assert not message.problems(), message.problems()
        assert not message.ping_role_ids, "the digest pings nobody"
        if channel_id == DIGEST_CHANNEL and self.refuse_with is not None:
            raise self.refuse_with
        if channel_id == REVIEW_CHANNEL:
            assert not message.cards and "\n" not in message.content, "a notice is one line"
        self.next_id += 1
        ref = MessageRef(channel_id, self.next_id)
        self.posted[channel_id].append((ref, message, datetime.now(UTC)))
        return ref

    async def find_posted(
        self, channel_id: int, message: Message, since: datetime | None = None
    ) -> MessageRef | None:
        if not self.history_readable:
            raise ChannelUnavailable(f"cannot read the history of channel {channel_id}")
        for ref, sent, at in self.posted[channel_id]:
            shown = (sent.content, sent.cards) == (message.content, message.cards)
            if shown and (since is None or at >= since.replace(microsecond=0)):
                return ref
        return None

    async def reply(self, to: MessageRef, message: Message) -> MessageRef:
        raise AssertionError("the digest never replies")

    async def direct(self, user_id: int, message: Message) -> MessageRef:
        raise AssertionError("the digest never sends direct messages")

    async def edit(self, ref: MessageRef, message: Message) -> None:
        raise AssertionError("the digest never edits")

    async def delete(self, ref: MessageRef) -> None:
        raise AssertionError("the digest never deletes")

    @property
    def messages(self) -> list[Message]:
        """The digest channel, oldest first."""
        return [message for _, message, _ in self.posted[DIGEST_CHANNEL]]

    @property
    def message_ids(self) -> list[int]:
        return [ref.message_id for ref, _, _ in self.posted[DIGEST_CHANNEL]]

    @property
    def notices(self) -> list[str]:
        """What the moderators were told in the review channel."""
        return [message.content for _, message, _ in self.posted[REVIEW_CHANNEL]]


@pytest.fixture
def chat() -> RecordingChat:
    return RecordingChat()


ServiceFactory = Callable[..., Awaitable[DigestService]]


@pytest.fixture
async def make_service(
    db: Database, make_settings: SettingsFactory, chat: RecordingChat
) -> AsyncIterator[ServiceFactory]:
    """A service on the test database with `chat` attached (a second one is a restart)."""
    made: list[DigestService] = []

    async def build(settings: Settings | None = None, **kw: Any) -> DigestService:
        service = await DigestService.create(settings or make_settings(), db, **kw)
        service.attach(chat)
        made.append(service)
        return service

    try:
        yield build
    finally:
        for service in made:
            await service.close()
