"""Where the digest's messages go, through the `Chat` port: the digest channel and the moderators.

The service is built before any chat platform is connected (the CLI preview never connects
one), so the `Chat` is attached later; until it is, a digest cannot be posted and says so.
A notice to the moderators is best effort: a broken review channel must not stop a digest.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.card import Message
from bot.chat import ChannelUnavailable, Chat, ChatError, MessageRef

log = logging.getLogger(__name__)

NO_CHANNEL = (
    "no usable digest channel: set [digest] channel_id to a text channel the bot can post in"
)


class Deliveries:
    def __init__(self, digest_channel_id: int | None, review_channel_id: int | None) -> None:
        self.digest_channel_id = digest_channel_id
        self.review_channel_id = review_channel_id
        self.chat: Chat | None = None

    async def post_digest(self, message: Message) -> MessageRef:
        """Post a digest message, or raise `ChatError` (see `ledger.lost_in_transit`)."""
        if self.chat is None or self.digest_channel_id is None:
            raise ChannelUnavailable(NO_CHANNEL)
        return await self.chat.post(self.digest_channel_id, message)

    async def find_digest(self, message: Message, since: datetime) -> MessageRef | None:
        """The digest showing `message`, posted since `since`; `ChannelUnavailable` when the
        channel's history cannot be read."""
        if self.chat is None:
            raise ChatError("no chat connected yet", retryable=True)
        if self.digest_channel_id is None:
            raise ChannelUnavailable(NO_CHANNEL)
        return await self.chat.find_posted(self.digest_channel_id, message, since)

    async def tell_moderators(self, text: str) -> bool:
        """One line in the review channel; False (and a log line) when it could not be sent."""
        if self.chat is None or self.review_channel_id is None:
            log.warning("digest notice not sent (no review channel): %s", text)
            return False
        try:
            await self.chat.post(self.review_channel_id, Message(content=text))
        except ChatError as exc:
            log.warning("digest notice not sent (%s): %s", exc.reason, text)
            return False
        return True
