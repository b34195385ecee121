"""The moderation service: notice, store, reply, and let moderators work the queue.

Every front end (the Discord cog, the console, the CLI, the tests) calls this one service, and
none of it knows about Discord: messages arrive as `IncomingMessage`s and leave as outcomes
that say what to post, edit, reply and whom (if anyone) to ping. The rules of the house live
here: bots, moderators and exempt channels are never flagged; only a crisis pings the
moderator roles; an advice reply goes to a member at most once per cooldown; nothing but ids
and a 200-character excerpt is stored, and no message text is logged at INFO.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot.card import Card
from bot.jobs import Job
from bot.moderation import cards, replies
from bot.moderation.detector import Detection, classify_cached
from bot.moderation.lifecycle import ACTIONS, STATES, Action, Refusal, past_tense
from bot.moderation.model import (
    MEMBER_REPORT,
    ActionResult,
    Flag,
    FlagEvent,
    IncomingMessage,
    MessageOutcome,
    PurgeResult,
    ReportOutcome,
)
from bot.moderation.store import Change, FlagStore
from bot.settings import ModerationSettings, Settings
from bot.storage import Database

log = logging.getLogger(__name__)

AUTO_REPLY_EVENT = "auto_reply"
CRISIS_REPLY_EVENT = "crisis_reply"


class FaqLookup(Protocol):
    """The one thing moderation needs from the FAQ: the entry closest to a message."""

    def best_match(self, text: str) -> tuple[str, str] | None: ...


class ModerationService:
    def __init__(
        self,
        settings: ModerationSettings,
        store: FlagStore,
        faq: FaqLookup | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.faq = faq
        self.clock = clock or (lambda: datetime.now(UTC))

    @classmethod
    async def create(
        cls,
        settings: Settings,
        db: Database,
        faq: FaqLookup | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> ModerationService:
        clock = clock or (lambda: datetime.now(UTC))
        return cls(settings.moderation, FlagStore(db, clock), faq, clock)

    def jobs(self) -> list[Job]:
        """This core's scheduled work; the runner schedules whatever is listed here."""
        return []

    async def close(self) -> None:
        return None

    # --- detection -------------------------------------------------------------------------

    def classify(self, text: str) -> Detection:
        return classify_cached(text)

    def preview(self, text: str) -> Card | None:
        """The review card moderators would see for `text`; nothing is stored."""
        return cards.preview_card(text, self.classify(text))

    def preview_reply(self, text: str) -> str | None:
        """What the member would be told for `text` (ignoring the cooldown); nothing is stored."""
        detection = self.classify(text)
        if detection.category == "crisis":
            return self.settings.crisis_message
        if detection.category == "advice" and self.settings.auto_reply:
            return replies.advice_reply(self._faq_title(text))
        return None

    @property
    def moderator_role_ids(self) -> tuple[int, ...]:
        return tuple(self.settings.moderator_role_ids)

    @property
    def review_channel_id(self) -> int | None:
        return self.settings.review_channel_id

    def watches(self, message: IncomingMessage) -> bool:
        """Whether a message is one the bot should look at at all."""
        if not self.settings.enabled or message.guild_id is None:
            return False
        if message.author_is_bot or message.author_is_moderator:
            return False
        exempt = set(self.settings.exempt_channel_ids)
        if self.settings.review_channel_id:
            exempt.add(self.settings.review_channel_id)
        return message.channel_id not in exempt and message.parent_channel_id not in exempt

    # --- messages --------------------------------------------------------------------------

    async def handle_message(self, message: IncomingMessage) -> MessageOutcome:
        if not self.watches(message):
            return MessageOutcome("none")
        detection = self.classify(message.content)
        if not detection.flagged:
            return MessageOutcome("none", detection=detection)
        flag, change = await self._record(message, detection)
        if change == "unchanged":
            return MessageOutcome("none", flag=flag, detection=detection)
        log.info(
            "flag %s",
            "raised" if change == "created" else "re-evaluated",
            extra={"flag_id": flag.id, "category": flag.category, "message_id": flag.message_id},
        )
        return await self._outcome(flag, detection, change, previous_category=None)

    async def handle_edit(self, message: IncomingMessage) -> MessageOutcome:
        """Re-evaluate an edited message: update its open flag, never raise a second one.

        A flag a moderator already closed stays closed, unless the edit turns the message into
        a crisis: that is new information a person must see.
        """
        if not self.watches(message):
            return MessageOutcome("none")
        detection = self.classify(message.content)
        current = await self.store.open_for_message(message.message_id)
        if current is None:
            latest = await self.store.latest_for_message(message.message_id)
            escalates = detection.category == "crisis" and (
                latest is None or latest.category != "crisis"
            )
            if not detection.flagged or (latest is not None and not escalates):
                return MessageOutcome("none", flag=latest, detection=detection)
            return await self.handle_message(message)
        if not detection.flagged:
            flag = await self.store.update_excerpt(
                message.message_id,
                message.content,
                "edited; the new text no longer matches the detector",
            )
            if flag is None or flag == current:
                return MessageOutcome("none", flag=current, detection=detection)
            return MessageOutcome(
                "updated", flag=flag, detection=detection, review_card=self.review_card(flag)
            )
        flag, change = await self._record(message, detection)
        if change == "unchanged":
            return MessageOutcome("none", flag=flag, detection=detection)
        log.info("flag re-evaluated after an edit", extra={"flag_id": flag.id})
        return await self._outcome(flag, detection, change, previous_category=current.category)

    async def _record(self, message: IncomingMessage, detection: Detection) -> tuple[Flag, Change]:
        """Store a detection on the message's open flag (created if there is none)."""
        assert message.guild_id is not None
        flag, change = await self.store.record_detection(
            guild_id=message.guild_id,
            channel_id=message.channel_id,
            message_id=message.message_id,
            author_id=message.author_id,
            category=detection.category,
            score=detection.score,
            reasons=detection.reasons,
            excerpt=message.content,
        )
        assert flag is not None
        return flag, change

    async def handle_delete(self, message_id: int) -> list[Flag]:
        """The member deleted a message: drop its excerpt; return flags whose posts need edits."""
        flags = await self.store.remove_excerpts_of_message(message_id)
        for flag in flags:
            log.info("excerpt removed: message deleted", extra={"flag_id": flag.id})
        return flags

    async def _outcome(
        self,
        flag: Flag,
        detection: Detection,
        change: str,
        previous_category: str | None,
    ) -> MessageOutcome:
        new_crisis = flag.category == "crisis" and previous_category != "crisis"
        ping_roles: tuple[int, ...] = ()
        ping_text = None
        reply = None
        if new_crisis:
            ping_roles = self.moderator_role_ids
            ping_text = self._ping_text(flag, ping_roles)
            reply = self.settings.crisis_message
            await self.store.record_event(flag.id, None, CRISIS_REPLY_EVENT)
        elif flag.category == "advice" and change == "created" and await self._may_auto_reply(flag):
            reply = replies.advice_reply(self._faq_title_for(flag))
            await self.store.record_event(flag.id, None, AUTO_REPLY_EVENT)
        return MessageOutcome(
            "created" if change == "created" else "updated",
            flag=flag,
            detection=detection,
            review_card=self.review_card(flag),
            ping_role_ids=ping_roles,
            ping_text=ping_text,
            reply=reply,
        )

    async def _may_auto_reply(self, flag: Flag) -> bool:
        if not self.settings.auto_reply:
            return False
        last = await self.store.last_event_at(flag.author_id, AUTO_REPLY_EVENT)
        cooldown = timedelta(minutes=self.settings.auto_reply_cooldown_minutes)
        return last is None or self.clock() - last >= cooldown

    def _faq_title_for(self, flag: Flag) -> str | None:
        return self._faq_title(flag.excerpt or "")

    def _faq_title(self, text: str) -> str | None:
        if self.faq is None or not text:
            return None
        try:
            match = self.faq.best_match(text)
        except Exception:
            # The reply still helps without a pointer; a broken FAQ must not stop moderation.
            log.warning("FAQ lookup failed while composing an advice reply", exc_info=True)
            return None
        return match[1] if match else None

    @staticmethod
    def _ping_text(flag: Flag, roles: tuple[int, ...]) -> str | None:
        if not roles:
            return None
        mentions = " ".join(f"<@&{role}>" for role in roles)
        return f"{mentions} possible crisis, flag #{flag.id}: please check in with the member."

    # --- reports ---------------------------------------------------------------------------

    async def report(self, message: IncomingMessage, reporter_id: int) -> ReportOutcome:
        """A member asked moderators to look at a message ("Report to moderators")."""
        if not self.settings.enabled:
            return ReportOutcome(False, replies.REPORT_DISABLED)
        if message.guild_id is None:
            return ReportOutcome(False, replies.REPORT_NO_GUILD)
        if message.author_is_bot:
            return ReportOutcome(False, replies.REPORT_BOT)
        if message.author_id == reporter_id:
            return ReportOutcome(False, replies.REPORT_SELF)
        detection = self.classify(message.content)
        flag, created, new_reporter = await self.store.report(
            guild_id=message.guild_id,
            channel_id=message.channel_id,
            message_id=message.message_id,
            author_id=message.author_id,
            reporter_id=reporter_id,
            excerpt=message.content,
            score=detection.score if detection.flagged else 1.0,
            reasons=detection.reasons,
        )
        log.info(
            "member report",
            extra={"flag_id": flag.id, "new_flag": created, "new_reporter": new_reporter},
        )
        ping_roles: tuple[int, ...] = ()
        if created and detection.category == "crisis":
            ping_roles = self.moderator_role_ids
        return ReportOutcome(
            True,
            replies.REPORT_THANKS if new_reporter else replies.REPORT_AGAIN,
            flag=flag,
            created=created,
            review_card=self.review_card(flag),
            ping_role_ids=ping_roles,
            ping_text=self._ping_text(flag, ping_roles),
        )

    # --- moderator actions -----------------------------------------------------------------

    async def claim(self, flag_id: int, actor_id: int, note: str | None = None) -> ActionResult:
        return await self.act(flag_id, "claim", actor_id, note)

    async def resolve(self, flag_id: int, actor_id: int, note: str | None = None) -> ActionResult:
        return await self.act(flag_id, "resolve", actor_id, note)

    async def dismiss(self, flag_id: int, actor_id: int, note: str | None = None) -> ActionResult:
        return await self.act(flag_id, "dismiss", actor_id, note)

    async def add_note(self, flag_id: int, actor_id: int, note: str | None = None) -> ActionResult:
        return await self.act(flag_id, "note", actor_id, note)

    async def act(
        self, flag_id: int, action: Action, actor_id: int, note: str | None = None
    ) -> ActionResult:
        if action not in ACTIONS:
            return ActionResult(False, f"Unknown action {action!r}.")
        outcome = await self.store.apply(flag_id, action, actor_id, note)
        if isinstance(outcome, Refusal):
            flag = await self.store.get(flag_id)
            card = self.review_card(flag) if flag else None
            return ActionResult(False, outcome.reason, flag=flag, card=card)
        log.info("flag %s", past_tense(action), extra={"flag_id": flag_id, "actor_id": actor_id})
        verb = "Added a note to" if action == "note" else past_tense(action).capitalize()
        return ActionResult(
            True, f"{verb} flag #{flag_id}.", flag=outcome, card=self.review_card(outcome)
        )

    async def set_review_post(self, flag_id: int, channel_id: int, message_id: int) -> None:
        await self.store.set_review_post(flag_id, channel_id, message_id)

    # --- reading ---------------------------------------------------------------------------

    async def awaiting_review_post(
        self, grace: timedelta = timedelta(seconds=30)
    ) -> list[MessageOutcome]:
        """Open flags whose review post failed (Discord down, channel unreachable).

        A flag is never dropped: these are posted again, with the crisis ping they would have
        carried. `grace` leaves alone flags whose first post may still be on its way.
        """
        flags = await self.store.without_review_post(self.clock() - grace)
        outcomes = []
        for flag in flags:
            roles = self.moderator_role_ids if flag.category == "crisis" else ()
            outcomes.append(
                MessageOutcome(
                    "created",
                    flag=flag,
                    review_card=self.review_card(flag),
                    ping_role_ids=roles,
                    ping_text=self._ping_text(flag, roles),
                )
            )
        return outcomes

    async def list_flags(self, state: str | None = None, limit: int = 100) -> list[Flag]:
        """The queue: without a state, every flag not yet closed, oldest first."""
        if state is not None and state not in STATES:
            raise ValueError(f"unknown state {state!r}: use one of {', '.join(STATES)}")
        return await self.store.list_flags(state, limit)

    async def get_flag(self, flag_id: int) -> Flag | None:
        return await self.store.get(flag_id)

    async def history(self, flag_id: int) -> list[FlagEvent]:
        return await self.store.events(flag_id)

    def review_card(self, flag: Flag) -> Card:
        return cards.review_card(flag)

    async def queue_card(self, state: str | None = None, limit: int = 20) -> Card:
        flags = await self.list_flags(state, limit)
        total = await self.store.count(state)
        return cards.queue_card(flags, state, total)

    async def flag_cards(self, flag_id: int) -> tuple[Card, Card] | None:
        """A flag's review card and its history, for `/flags show`."""
        flag = await self.get_flag(flag_id)
        if flag is None:
            return None
        return self.review_card(flag), cards.history_card(flag, await self.history(flag_id))

    # --- privacy ---------------------------------------------------------------------------

    async def purge_expired(self, now: datetime | None = None) -> list[Flag]:
        """Clear excerpts of flags closed more than `retention_days` ago (the daily job)."""
        now = now or self.clock()
        cutoff = now - timedelta(days=self.settings.retention_days)
        flags = await self.store.purge_expired(cutoff)
        if flags:
            log.info("expired excerpts removed", extra={"count": len(flags)})
        return flags

    async def purge_user(self, user_id: int) -> PurgeResult:
        """Remove everything stored about a member, on their request."""
        result = await self.store.purge_user(user_id)
        log.info(
            "member data purged",
            extra={"flags": result.flags_deleted, "reports": result.reports_removed},
        )
        return result


__all__ = [
    "MEMBER_REPORT",
    "ActionResult",
    "FaqLookup",
    "IncomingMessage",
    "MessageOutcome",
    "ModerationService",
    "ReportOutcome",
]
