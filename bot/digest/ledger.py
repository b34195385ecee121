"""Exactly once per slot: write ahead, post, record; settle what a stopped process left.

A run is recorded as `posting`, with its rendered message (and the nonce it is sent with)
and the items it covers, before anything is sent; the message id and the items' posted
marks are recorded together right after Discord accepted it. If the process stops in
between, `settle` (at the bot's start and before every run) finds that record and asks the
digest channel whether Discord has the message (`Chat.find_posted`): found, it is recorded;
not there, the very same message is posted. When history cannot be read, it is assumed to
have gone out, because a missing digest is a nuisance and a repeated one is what members
complain about; the moderators are asked to check.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, replace
from datetime import datetime
from enum import StrEnum

from bot.card import Message
from bot.chat import ChannelUnavailable, ChatError
from bot.digest.delivery import Deliveries
from bot.digest.render import Digest
from bot.digest.schedule import slot_key
from bot.digest.store import DigestStore, Run

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Covered = Sequence[tuple[str, str, str]]  # (source, key, version) of each item a digest covers


class Posting(StrEnum):
    POSTED = "posted"  # Discord accepted the message, and it is recorded
    REFUSED = "failed"  # Discord answered and did not post it: the items wait
    UNKNOWN = "unknown"  # nobody can tell yet: `settle` decides before anything else is posted


class Ledger:
    def __init__(self, store: DigestStore, deliveries: Deliveries, clock: Clock) -> None:
        self.store = store
        self.deliveries = deliveries
        self._clock = clock

    async def post(self, slot: str, digest: Digest) -> tuple[Posting, int | None]:
        """Post one slot's digest once; the id of the message when it was posted."""
        now = self._clock()
        message = replace(digest.message, nonce=nonce_for(digest.message))
        await self.store.begin_run(
            slot,
            message,
            digest.covered,
            item_count=len(digest.shown),
            channel_id=self.deliveries.digest_channel_id,
            now=slot_key(now),
        )
        covered = [(t.item.source, t.item.key, t.item.version) for t in digest.covered]
        return await self._send(slot, message, covered)

    async def settle(self) -> bool:
        """Settle runs a stopped process left `posting`; False if one cannot be settled yet."""
        for run in await self.store.runs_posting():
            if not await self._settle(run):
                return False
        return True

    async def _send(
        self, slot: str, message: Message, covered: Covered
    ) -> tuple[Posting, int | None]:
        try:
            ref = await self.deliveries.post_digest(message)
        except ChatError as exc:
            if lost_in_transit(exc):
                log.warning(
                    "digest %s: sending failed without saying whether Discord posted it (%s); "
                    "the next run checks before posting anything",
                    slot,
                    exc.reason,
                )
                return Posting.UNKNOWN, None
            log.warning("digest %s: Discord refused the digest: %s", slot, exc.reason)
            await self.store.fail_run(slot, exc.reason, now=self._now())
            await self.deliveries.tell_moderators(
                f"Research digest: the digest could not be posted ({exc.reason}); "
                "its items wait for the next run."
            )
            return Posting.REFUSED, None
        await self.store.finish_run(slot, [ref.message_id], covered, now=self._now())
        return Posting.POSTED, ref.message_id

    async def _settle(self, run: Run) -> bool:
        slot = run.scheduled_for
        if run.message is None:
            await self.store.fail_run(slot, "no message recorded", now=self._now())
            return True
        try:
            found = await self.deliveries.find_digest(
                run.message, datetime.fromisoformat(run.started_at)
            )
        except ChannelUnavailable as exc:
            log.warning(
                "digest %s: the bot stopped while posting and cannot read the channel back "
                "(%s); assuming the message went out",
                slot,
                exc.reason,
            )
            await self.store.finish_run(slot, [], run.covered, now=self._now())
            await self.deliveries.tell_moderators(
                f"Research digest: the bot stopped while posting the digest of {slot[:16]} UTC. "
                "It is not posted again; please check the digest channel has it."
            )
            return True
        except ChatError as exc:
            log.warning("digest %s: cannot check whether the digest was posted: %s", slot, exc)
            return False
        if found is not None:
            log.info("digest %s: found the digest already posted; recording it", slot)
            await self.store.finish_run(slot, [found.message_id], run.covered, now=self._now())
            return True
        log.info("digest %s: the digest was not posted; posting the recorded message", slot)
        posting, _ = await self._send(slot, run.message, run.covered)
        return posting != Posting.UNKNOWN

    def _now(self) -> str:
        return slot_key(self._clock())


def nonce_for(message: Message) -> str:
    """The same digest always carries the same nonce, so a send Discord already took (within
    its few minutes) returns that message instead of posting it again."""
    data = json.dumps([message.content, [asdict(card) for card in message.cards]], sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()[:25]


def lost_in_transit(exc: ChatError) -> bool:
    """Nobody can tell whether Discord posted it: no answer came, and waiting might help.

    Any answer from Discord (403, 404, 400, 429 or 5xx after the client's own retries) and a
    channel that cannot be used mean it was not posted, and its items may wait for later.
    """
    return exc.retryable and exc.status is None
