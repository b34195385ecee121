"""The review posts: every flag gets one in the review channel, and it always shows the truth.

A flag is stored before anything is sent, so a post Discord refused (or a review channel that
was unreachable) is not lost: `retry` (a job every minute) posts the flags that still have
none, with the crisis alert they would have carried, and never posts one twice (a flag being
posted right now is left alone, and a post is recorded on the flag as soon as it exists).
When a flag changes (a moderator closes it, the member deletes the message, the excerpt
expires) its post is edited to match.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.card import Message
from bot.chat import Chat, ChatError
from bot.moderation.model import Flag
from bot.moderation.render import NEEDS, alert_text, review_message
from bot.moderation.store import FlagStore
from bot.settings import ModerationSettings

log = logging.getLogger(__name__)

RETRY_EVERY = timedelta(minutes=1)
# A flag younger than this may still have its first post on the way: retry leaves it alone.
RETRY_GRACE = timedelta(seconds=30)


class ReviewOutbox:
    def __init__(
        self,
        settings: ModerationSettings,
        store: FlagStore,
        chat: Chat,
        clock: Callable[[], datetime],
        is_crisis: Callable[[Flag], bool],
    ) -> None:
        self.settings = settings
        self.store = store
        self.chat = chat
        self.clock = clock
        self.is_crisis = is_crisis
        self._posting: set[int] = set()

    @property
    def ping_roles(self) -> tuple[int, ...]:
        """Only a crisis pings, and only the moderator roles."""
        return tuple(self.settings.moderator_role_ids)

    def message(self, flag: Flag, ping_roles: tuple[int, ...] = ()) -> Message:
        """The flag's review post as it should look now, buttons marked with what the bot
        cannot do in the flagged message's channel (asked of the chat when the post is made)."""
        lacking: tuple[str, ...] = ()
        if flag.category == "promotion":
            wanted = [permission for permission, _ in NEEDS.values()]
            lacking = self.chat.missing_permissions(flag.channel_id, wanted)
        return review_message(flag, ping_roles, lacking)

    async def deliver(self, flag: Flag, *, new: bool, ping: bool) -> bool:
        """Show `flag` to moderators: a first post, or an edit of its post (plus an alert
        beside it when the flag has just become a crisis). True when it reached the review
        channel now: only then may a member be told that the moderators know."""
        if new or flag.review_post is None:
            return await self.post(flag, ping=ping)
        shown = await self.show(flag)
        if ping and self.ping_roles:
            return await self._alert_beside(flag)
        return shown

    async def post(self, flag: Flag, *, ping: bool) -> bool:
        """Post the review post and record it; on failure the flag waits for `retry`."""
        channel_id = self.settings.review_channel_id
        if channel_id is None:
            log.warning("a flag was raised but [moderation] review_channel_id is not set")
            return False
        if flag.id in self._posting:
            return False
        self._posting.add(flag.id)
        try:
            roles = self.ping_roles if ping else ()
            ref = await self.chat.post(channel_id, self.message(flag, roles))
            await self.store.set_review_post(flag.id, ref.channel_id, ref.message_id)
        except ChatError as exc:
            log.warning(
                "could not post a review card; it will be retried within %s",
                RETRY_EVERY,
                extra={"flag_id": flag.id, "status": exc.status},
            )
            return False
        finally:
            self._posting.discard(flag.id)
        return True

    async def show(self, flag: Flag) -> bool:
        """Edit the flag's review post to show its current state (if it has one)."""
        if flag.review_post is None:
            return False
        try:
            await self.chat.edit(flag.review_post, self.message(flag))
        except ChatError as exc:
            log.warning(
                "could not update a review post", extra={"flag_id": flag.id, "status": exc.status}
            )
            return False
        return True

    async def retry(self, grace: timedelta = RETRY_GRACE) -> list[Flag]:
        """Post the flags whose review post failed earlier; return those posted now."""
        posted = []
        for flag in await self.store.without_review_post(self.clock() - grace):
            if await self.post(flag, ping=self.is_crisis(flag)):
                posted.append(flag)
        return posted

    async def _alert_beside(self, flag: Flag) -> bool:
        """A flag that became a crisis after an edit: its post exists, so alert beside it."""
        roles = self.ping_roles
        if not roles or flag.review_post is None:
            return False
        alert = Message(content=alert_text(flag, roles), ping_role_ids=roles)
        try:
            await self.chat.reply(flag.review_post, alert)
        except ChatError as exc:
            log.error("could not ping moderators", extra={"flag_id": flag.id, "status": exc.status})
            return False
        return True
