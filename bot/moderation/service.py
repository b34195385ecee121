"""The moderation service: notice, store, reply, show moderators, and let them work the queue.

Every front end (the Discord cog, the console, the CLI, the tests) calls this one service, and
none of it knows about Discord: messages arrive as `IncomingMessage`s, and everything the
members and moderators see leaves through the `Chat` port: the reply to a flagged message, the
review post (through the `ReviewOutbox`, which retries and edits it), the crisis alert. The rules
of the house live here: bots, moderators and exempt channels are never flagged; only a crisis
pings the moderator roles; an advice reply goes to a member at most once per cooldown; nothing
but ids and a 200-character excerpt is stored, and no message text is logged at INFO.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections import OrderedDict
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.card import Card, Message
from bot.chat import Chat, ChatError, MessageRef, Offline
from bot.jobs import Job
from bot.models.judge import Judge
from bot.moderation import outcomes, render, replies, signals, support
from bot.moderation.automod import REASON as AUTOMOD_REASON
from bot.moderation.decision import decide
from bot.moderation.detector import Detection, classify_cached
from bot.moderation.lifecycle import ACTIONS, STATES, Action, Refusal, past_tense
from bot.moderation.model import (
    MEMBER_REPORT,
    MESSAGE,
    RESOLVE_AS,
    ActionResult,
    AutoModAlert,
    Flag,
    FlagEvent,
    IncomingMessage,
    Outcome,
    PurgeResult,
)
from bot.moderation.outbox import RETRY_EVERY, RETRY_GRACE, ReviewOutbox
from bot.moderation.store import Change, FlagStore
from bot.settings import ModerationSettings, Settings
from bot.storage import Database

log = logging.getLogger(__name__)

AUTO_REPLY_EVENT = "auto_reply"
PROMOTION_REPLY_EVENT = "promotion_reply"
PROMOTION_REPLY_COOLDOWN = timedelta(days=1)
CRISIS_REPLY_EVENT = "crisis_reply"
# On shutdown, how long a message already being handled may take to finish its flag and post.
SHUTDOWN_GRACE_SECONDS = 5.0
# How many handled message ids `handled()` remembers (ids only, in memory).
HANDLED_MEMORY = 1000
NOTHING = Outcome("none")
TIMEOUT_MAX_MINUTES = 28 * 24 * 60  # Discord's longest timeout
AUTOMOD_SCORE = 0.6  # a match of the AutoMod rule's sharpest patterns, by itself


def _permission_refusal(permission: str, exc: ChatError) -> str:
    if exc.status == 403 or not exc.retryable:
        return f"Discord refused: the bot needs the {permission} permission here ({exc.reason})."
    return f"Discord did not answer ({exc.reason}); try again in a moment."


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
        chat: Chat | None = None,
        judge: Judge | None = None,
    ) -> None:
        self.settings = settings
        self.judge = judge or Judge(None)
        self.store = store
        self.faq = faq
        self.clock = clock or (lambda: datetime.now(UTC))
        self.outbox = ReviewOutbox(
            settings, store, chat or Offline(), lambda: self.clock(), self._is_crisis
        )
        self._working: set[asyncio.Task[object]] = set()
        self._handled: OrderedDict[int, asyncio.Event] = OrderedDict()
        self._in_progress: dict[int, int] = {}
        self._start_up: asyncio.Task[None] | None = None
        self._model_checked = asyncio.Event()
        self._recent = signals.RecentPosts(timedelta(minutes=settings.duplicate_window_minutes))
        self._copies_lock = asyncio.Lock()
        self._automod_hits: OrderedDict[int, None] = OrderedDict()  # message ids, bounded

    @classmethod
    async def create(
        cls,
        settings: Settings,
        db: Database,
        faq: FaqLookup | None = None,
        clock: Callable[[], datetime] | None = None,
        chat: Chat | None = None,
    ) -> ModerationService:
        clock = clock or (lambda: datetime.now(UTC))
        judge = Judge.open(settings.models.messages_path, enabled=settings.models.enabled)
        return cls(settings.moderation, FlagStore(db, clock), faq, clock, chat, judge)

    @property
    def chat(self) -> Chat:
        return self.outbox.chat

    def jobs(self) -> list[Job]:
        """The daily privacy purge and the review-post retry, for the runner to schedule."""
        hour, minute = self.settings.purge_at
        return [
            Job(
                "moderation-purge",
                "moderation: remove expired excerpts",
                CronTrigger(hour=hour, minute=minute, timezone=ZoneInfo("UTC")),
                self.purge_expired,
            ),
            Job(
                "moderation-retry-review-posts",
                "moderation: post flags whose review post failed",
                IntervalTrigger(seconds=RETRY_EVERY.total_seconds(), timezone=ZoneInfo("UTC")),
                self.retry_review_posts,
            ),
        ]

    async def close(self) -> None:
        """Let work in progress (a flag and its review post) finish before the database closes."""
        if self._start_up is not None and not self._start_up.done():
            self._start_up.cancel()
            await asyncio.gather(self._start_up, return_exceptions=True)
        pending = {task for task in self._working if not task.done()}
        if pending:
            await asyncio.wait(pending, timeout=SHUTDOWN_GRACE_SECONDS)

    @contextlib.contextmanager
    def _at_work(self, message_id: int) -> Iterator[None]:
        """Mark work on a message: `close()` waits for it, `handled()` waits until it is done."""
        task = asyncio.current_task()
        if task is not None:
            self._working.add(task)
        self._begin(message_id)
        try:
            yield
        finally:
            if task is not None:
                self._working.discard(task)
            self._end(message_id)

    def _begin(self, message_id: int) -> None:
        self._in_progress[message_id] = self._in_progress.get(message_id, 0) + 1
        self._marker(message_id).clear()

    def _end(self, message_id: int) -> None:
        left = self._in_progress.pop(message_id, 1) - 1
        if left > 0:
            self._in_progress[message_id] = left
            return
        self._marker(message_id).set()
        while len(self._handled) > HANDLED_MEMORY:
            self._handled.popitem(last=False)

    def _marker(self, message_id: int) -> asyncio.Event:
        return self._handled.setdefault(message_id, asyncio.Event())

    async def handled(self, message_id: int) -> None:
        """Wait until the message (or the report of it) has been fully handled: its flag
        stored and everything it causes delivered, or found to need nothing. For tests and the
        console, which must know the bot is done before saying nothing else happened."""
        await self._marker(message_id).wait()

    # --- detection -------------------------------------------------------------------------

    def classify(self, text: str) -> Detection:
        """Crisis by rules OR model; see `decision`. Rules alone if the model is unavailable."""
        return decide(classify_cached(text), self.judge.classify(text), text)

    def preview(self, text: str) -> Card | None:
        """The review card moderators would see for `text`; nothing is stored."""
        return render.preview_card(text, self.classify(text))

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

    def _is_crisis(self, flag: Flag) -> bool:
        if flag.category == MEMBER_REPORT:
            return self.classify(flag.excerpt or "").category == "crisis"
        return flag.category == "crisis"

    # --- messages --------------------------------------------------------------------------

    async def handle_message(self, message: IncomingMessage) -> Outcome:
        """A member's message (or text typed into a command): flag it if it asks for personal
        advice or sounds like a crisis, answer the member, and show the moderators.

        A message gets its reply as a reply in its channel; text typed into a command gets it
        back in `Outcome.reply`, for the command's own (private) answer.
        """
        with self._at_work(message.message_id):
            if not self.watches(message):
                return NOTHING
            detection = self.classify(message.content)
            earlier: tuple[signals.Sighting, ...] = ()
            if message.origin == MESSAGE:
                context = self._context(message)
                earlier = context.earlier
                detection = signals.strengthen(
                    detection, message.content, self._context_reasons(context)
                )
            detection = self._with_automod(message.message_id, detection)
            if not detection.flagged:
                return Outcome("none", detection=detection)
            if detection.category == "promotion" and message.origin == MESSAGE:
                async with self._copies_lock:  # two copies at once still make one review
                    joined = await self._join_copies(message, detection, earlier)
                    if joined is not None:
                        return joined
                    flag, change = await self._record(message, detection)
                    if change == "created" and earlier:
                        copies = [(s.channel_id, s.message_id) for s in earlier]
                        flag = (
                            await self.store.join_copies(flag.id, copies, flag.score, flag.reasons)
                            or flag
                        )
            else:
                flag, change = await self._record(message, detection)
            if change == "unchanged":
                return Outcome("none", flag=flag, detection=detection)
            log.info(
                "flag %s",
                "raised" if change == "created" else "re-evaluated",
                extra={
                    "flag_id": flag.id,
                    "category": flag.category,
                    "message_id": flag.message_id,
                },
            )
            outcome = await self._outcome(flag, detection, change, previous_category=None)
            return await self._deliver(outcome, message)

    def _with_automod(self, message_id: int, detection: Detection) -> Detection:
        """Our AutoMod rule matched this message: say so among the reasons. Text the words
        let pass becomes promotion (the rule holds the sharpest promotion patterns); a crisis
        or a request for advice keeps its category, the words' own reasons first."""
        if message_id not in self._automod_hits or AUTOMOD_REASON in detection.reasons:
            return detection
        reasons = (*detection.reasons, AUTOMOD_REASON)
        if detection.category in ("crisis", "advice"):
            return Detection(detection.category, detection.score, reasons)
        score = max(detection.score, AUTOMOD_SCORE) if detection.flagged else AUTOMOD_SCORE
        return Detection("promotion", score, reasons)

    async def handle_automod(self, alert: AutoModAlert) -> Outcome:
        """Discord's AutoMod alerted on a message: join it to the bot's own flag of that
        message (one review, with "Discord AutoMod rule matched" among its reasons).

        The alert and the message itself reach the bot in either order. Before the message
        is handled, the alert is remembered and the message's handling makes the flag; after,
        the open flag gains the reason, or (our rule only) the message is flagged now.
        """
        mid = alert.message_id
        if alert.ours:
            self._automod_hits[mid] = None
            while len(self._automod_hits) > HANDLED_MEMORY:
                self._automod_hits.popitem(last=False)
        if mid in self._in_progress:
            await self.handled(mid)
        flag = await self.store.open_for_messages([mid])
        if flag is not None:
            if AUTOMOD_REASON in flag.reasons:
                return Outcome("none", flag=flag)
            with self._at_work(mid):
                updated = await self.store.join_copies(
                    flag.id, [], max(flag.score, AUTOMOD_SCORE), (*flag.reasons, AUTOMOD_REASON)
                )
                if updated is not None:
                    await self.outbox.show(updated)
            return Outcome("updated", flag=updated or flag)
        seen = mid in self._handled and self._handled[mid].is_set()
        if not alert.ours or not seen:
            return NOTHING  # not ours, or the message's own handling will use the alert
        return await self.handle_message(
            IncomingMessage(alert.guild_id, alert.channel_id, mid, alert.author_id, alert.content)
        )

    def _context(self, message: IncomingMessage) -> signals.Context:
        """Record the post in the window tracker; what is known of it beyond its words."""
        now = self.clock()
        earlier = self._recent.see(
            message.author_id, message.content, message.channel_id, message.message_id, now
        )
        return signals.Context(
            earlier=earlier,
            channel_id=message.channel_id,
            at=now,
            joined_at=message.author_joined_at,
            account_created_at=message.author_created_at,
        )

    def _context_reasons(self, context: signals.Context) -> dict[str, float]:
        member = self.settings.new_member_minutes
        account = self.settings.new_account_days
        return signals.reasons(
            context,
            timedelta(minutes=member) if member else None,
            timedelta(days=account) if account else None,
        )

    async def _join_copies(
        self, message: IncomingMessage, detection: Detection, earlier: tuple[signals.Sighting, ...]
    ) -> Outcome | None:
        """The same offer again, elsewhere: join the open flag of an earlier copy (one review
        post, now listing this copy; no second reply, no ping). None if no copy is flagged."""
        ids = [s.message_id for s in earlier] + [message.message_id]
        primary = await self.store.open_for_messages(ids)
        if primary is None or primary.message_id == message.message_id:
            return None  # no flagged copy, or this message's own flag: record as usual
        if any(m == message.message_id for _, m in primary.copies):
            return Outcome("none", flag=primary, detection=detection)  # already listed
        kept = tuple(r for r in primary.reasons if not signals.is_duplicate_reason(r))
        new = tuple(r for r in detection.reasons if r not in kept)
        flag = await self.store.join_copies(
            primary.id,
            [(message.channel_id, message.message_id)],
            max(primary.score, detection.score),
            kept + new,
        )
        if flag is None:
            return None
        log.info("copy joined a flag", extra={"flag_id": flag.id, "message_id": message.message_id})
        await self.outbox.show(flag)
        return Outcome("updated", flag=flag, detection=detection)

    async def handle_edit(self, message: IncomingMessage) -> Outcome:
        """Re-evaluate an edited message: update its open flag, never raise a second one.

        A flag a moderator already closed stays closed, unless the edit turns the message into
        a crisis: that is new information a person must see.
        """
        if not self.watches(message):
            return NOTHING
        detection = self.classify(message.content)
        current = await self.store.open_for_message(message.message_id)
        if current is None:
            latest = await self.store.latest_for_message(message.message_id)
            escalates = detection.category == "crisis" and (
                latest is None or latest.category != "crisis"
            )
            if not detection.flagged or (latest is not None and not escalates):
                return Outcome("none", flag=latest, detection=detection)
            return await self.handle_message(message)
        with self._at_work(message.message_id):
            detection = self._with_recorded_signals(current, message.content, detection)
            if not detection.flagged:
                flag = await self.store.update_excerpt(
                    message.message_id,
                    message.content,
                    "edited; the new text no longer matches the detector",
                    text=self._kept(message.content),
                )
                if flag is None or flag == current:
                    return Outcome("none", flag=current, detection=detection)
                await self.outbox.show(flag)
                return Outcome("updated", flag=flag, detection=detection)
            flag, change = await self._record(message, detection)
            if change == "unchanged":
                return Outcome("none", flag=flag, detection=detection)
            log.info("flag re-evaluated after an edit", extra={"flag_id": flag.id})
            outcome = await self._outcome(flag, detection, change, current.category)
            return await self._deliver(outcome, message)

    def _with_recorded_signals(self, flag: Flag, text: str, detection: Detection) -> Detection:
        """The edited words judged with the signals the flag recorded when the message was
        posted (copies elsewhere, a new member, Discord's AutoMod match): events that really
        happened, so an edit does not drop them from the review post. They weigh as they did
        then, on words that already suggest an offer; none of them flags a normal message,
        and AutoMod's match (of the old words) never lifts the new ones either."""
        context = signals.recorded(flag.reasons, 1 + len(flag.copies))
        detection = signals.strengthen(detection, text, context)
        if AUTOMOD_REASON not in flag.reasons or not detection.flagged:
            return detection
        if AUTOMOD_REASON in detection.reasons:
            return detection
        score = detection.score
        if detection.category == "promotion":
            score = max(score, AUTOMOD_SCORE)
        return Detection(detection.category, score, (*detection.reasons, AUTOMOD_REASON))

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
            origin=message.origin,
            text=self._kept(message.content),
        )
        assert flag is not None
        return flag, change

    def _kept(self, text: str) -> str | None:
        """The message text to keep for retraining: only under the server's opt-in."""
        return text if self.settings.keep_text_for_training else None

    async def handle_delete(self, message_id: int) -> list[Flag]:
        """The member deleted a message: drop its excerpt and show that on the review posts."""
        with self._at_work(message_id):
            flags = await self.store.remove_excerpts_of_message(message_id)
            for flag in flags:
                log.info("excerpt removed: message deleted", extra={"flag_id": flag.id})
                await self.outbox.show(flag)
            return flags

    async def _outcome(
        self,
        flag: Flag,
        detection: Detection,
        change: Change,
        previous_category: str | None,
    ) -> Outcome:
        new_crisis = flag.category == "crisis" and previous_category != "crisis"
        reply = None
        if new_crisis:
            reply = replies.crisis_reply(self.settings.crisis_message, told=False)
            await self.store.record_event(flag.id, None, CRISIS_REPLY_EVENT)
        elif flag.category == "advice" and change == "created" and await self._may_auto_reply(flag):
            reply = replies.advice_reply(self._faq_entry(flag.excerpt or ""))
            await self.store.record_event(flag.id, None, AUTO_REPLY_EVENT)
        elif (
            flag.category == "promotion"
            and change == "created"
            and await self._may_reply_to_promotion(flag)
        ):
            reply = replies.PROMOTION_REPLY
            await self.store.record_event(flag.id, None, PROMOTION_REPLY_EVENT)
        return Outcome(
            "created" if change == "created" else "updated",
            flag=flag,
            detection=detection,
            reply=reply,
            pinged=new_crisis and bool(self.settings.moderator_role_ids),
        )

    async def _deliver(self, outcome: Outcome, message: IncomingMessage) -> Outcome:
        """First the member (a person in crisis should not wait for the review post), then
        the moderators; then, only if the review post really reached them, the crisis reply
        is edited to say so (text typed into a command gets the updated words back)."""
        assert outcome.flag is not None
        crisis = outcome.reply is not None and outcome.flag.category == "crisis"
        if outcome.reply and message.origin == MESSAGE:
            if crisis:
                await self._send_resources(outcome.flag, message, outcome.reply)
            else:
                where = MessageRef(message.channel_id, message.message_id)
                try:
                    await self.chat.reply(where, Message(content=outcome.reply))
                except ChatError as exc:
                    log.warning(
                        "could not reply to a flagged message", extra={"status": exc.status}
                    )
        told = await self.outbox.deliver(outcome.flag, new=outcome.created, ping=outcome.pinged)
        if not (crisis and told):
            return outcome
        text = await self._confirm_resources(outcome.flag)
        return dataclasses.replace(outcome, reply=text, moderators_told=True)

    async def _send_resources(self, flag: Flag, message: IncomingMessage, text: str) -> None:
        """Send the crisis resources, and remember (ids only, in SQLite) where they went: the
        review post may reach the moderators only later, by the retry, and the member must
        then learn it too."""
        carriers = await support.send_resources(
            self.chat, self.settings.crisis_reply, message, text
        )
        await self.store.remember_crisis_replies(
            flag.id, [(ref.channel_id, ref.message_id) for ref in carriers]
        )

    async def _confirm_resources(self, flag: Flag) -> str:
        """The review post reached the moderators: edit the member's crisis replies not yet
        updated to say so (once: they are forgotten as they are taken). Returns the words."""
        text = replies.crisis_reply(self.settings.crisis_message, told=True)
        refs = await self.store.take_crisis_replies(flag.id)
        await support.confirm(self.chat, [MessageRef(c, m) for c, m in refs], text)
        return text

    async def _may_auto_reply(self, flag: Flag) -> bool:
        if not self.settings.auto_reply:
            return False
        last = await self.store.last_event_at(flag.author_id, AUTO_REPLY_EVENT)
        cooldown = timedelta(minutes=self.settings.auto_reply_cooldown_minutes)
        return last is None or self.clock() - last >= cooldown

    async def _may_reply_to_promotion(self, flag: Flag) -> bool:
        """At most one warning-signs reply per author a day: a calm note, not a pile-on."""
        if not self.settings.promotion_reply:
            return False
        last = await self.store.last_event_at(flag.author_id, PROMOTION_REPLY_EVENT)
        return last is None or self.clock() - last >= PROMOTION_REPLY_COOLDOWN

    def _faq_entry(self, text: str) -> tuple[str, str] | None:
        """The (id, title) of the FAQ entry closest to `text`, for the advice reply."""
        if self.faq is None or not text:
            return None
        try:
            return self.faq.best_match(text)
        except Exception:
            # The reply still helps without a pointer; a broken FAQ must not stop moderation.
            log.warning("FAQ lookup failed while composing an advice reply", exc_info=True)
            return None

    # --- reports ---------------------------------------------------------------------------

    async def report(self, message: IncomingMessage, reporter_id: int) -> Outcome:
        """A member asked moderators to look at a message ("Report to moderators").

        The member's thanks is returned at once; the review post follows in the background
        (`handled(message_id)` says when it is done), so the member never waits for Discord.
        A reported message that sounds like a crisis, and never had the crisis resources
        (the bot was not watching where it was posted), gets them now, as a message would.
        """
        refusal = self._report_refusal(message, reporter_id)
        if refusal is not None:
            return Outcome("none", reply=refusal)
        detection = self.classify(message.content)
        earlier = await self.store.latest_for_message(message.message_id)
        flag, created, new_reporter = await self.store.report(
            guild_id=message.guild_id or 0,
            channel_id=message.channel_id,
            message_id=message.message_id,
            author_id=message.author_id,
            reporter_id=reporter_id,
            excerpt=message.content,
            score=detection.score if detection.flagged else 1.0,
            reasons=detection.reasons,
            detected=detection.category if detection.flagged else "none",
            text=self._kept(message.content),
        )
        log.info(
            "member report",
            extra={"flag_id": flag.id, "new_flag": created, "new_reporter": new_reporter},
        )
        outcome = Outcome(
            "created" if created else "updated",
            flag=flag,
            detection=detection,
            reply=self._report_thanks(new_reporter, detection.category == "crisis"),
            pinged=created and detection.category == "crisis",
        )
        resources = (
            created
            and detection.category == "crisis"
            and (earlier is None or earlier.category != "crisis")
        )
        if resources:
            await self.store.record_event(flag.id, None, CRISIS_REPLY_EVENT)
        self._begin(message.message_id)  # so `handled()` waits for the post from now on
        task = asyncio.ensure_future(self._deliver_report(outcome, message, resources))
        self._working.add(task)
        task.add_done_callback(self._working.discard)
        return outcome

    def _report_thanks(self, new_reporter: bool, crisis: bool) -> str:
        """What the reporter is told at once: only what is true before the post is made
        (without a review channel a report reaches no one, and the member must know)."""
        if self.settings.review_channel_id is None:
            thanks = replies.REPORT_NOWHERE
        else:
            thanks = replies.REPORT_THANKS if new_reporter else replies.REPORT_AGAIN
        return f"{thanks}\n{replies.REPORT_CRISIS}" if crisis else thanks

    def _report_refusal(self, message: IncomingMessage, reporter_id: int) -> str | None:
        if not self.settings.enabled:
            return replies.REPORT_DISABLED
        if message.guild_id is None:
            return replies.REPORT_NO_GUILD
        if message.author_is_bot:
            return replies.REPORT_BOT
        if message.author_id == reporter_id:
            return replies.REPORT_SELF
        return None

    async def _deliver_report(
        self, outcome: Outcome, message: IncomingMessage, resources: bool
    ) -> None:
        """The review post, and for a crisis first the resources for the message's author,
        edited to say the moderators know once the post has reached them."""
        try:
            assert outcome.flag is not None
            if resources:
                text = replies.crisis_reply(self.settings.crisis_message, told=False)
                await self._send_resources(outcome.flag, message, text)
            told = await self.outbox.deliver(outcome.flag, new=outcome.created, ping=outcome.pinged)
            if resources and told:
                await self._confirm_resources(outcome.flag)
        finally:
            self._end(message.message_id)

    # --- moderator actions -----------------------------------------------------------------

    async def act(
        self,
        flag_id: int,
        action: Action,
        actor_id: int,
        note: str | None = None,
        category: str | None = None,
    ) -> ActionResult:
        """A moderator's click or command. On success the result carries the review post as it
        now looks (the front end shows it where the click was); a refusal says why, and the
        flag's post is edited to show what really happened (someone else got there first).

        `category` (resolve only) is what the moderator confirms the message was, for the
        outcome counts: a member report resolved as crisis is a crisis the detector missed.
        """
        if action not in ACTIONS:
            return ActionResult(False, f"Unknown action {action!r}.")
        if category is not None and (action != "resolve" or category not in RESOLVE_AS):
            return ActionResult(
                False, f"Resolve as one of {', '.join(RESOLVE_AS)} ({category!r} given)."
            )
        outcome = await self.store.apply(flag_id, action, actor_id, note, category)
        if isinstance(outcome, Refusal):
            flag = await self.store.get(flag_id)
            if flag is not None:
                await self.outbox.show(flag)
            return ActionResult(False, outcome.reason, flag=flag)
        log.info("flag %s", past_tense(action), extra={"flag_id": flag_id, "actor_id": actor_id})
        verb = "Added a note to" if action == "note" else past_tense(action).capitalize()
        return ActionResult(
            True, f"{verb} flag #{flag_id}.", flag=outcome, review=self.outbox.message(outcome)
        )

    async def act_on_message(
        self, flag_id: int, action: str, actor_id: int, minutes: int | None = None
    ) -> ActionResult:
        """A moderator's Delete message or Timeout author on a promotion flag.

        The core decides and records (`flag_events` gets `delete_message` or
        `timeout_author`); the chat executes. A refusal from the chat (the bot lacks Manage
        Messages or Moderate Members) comes back as words the moderator can act on.
        """
        flag, refusal = await self.message_action_refusal(flag_id, action)
        if flag is None or refusal is not None:
            return ActionResult(False, refusal or f"There is no flag #{flag_id}.", flag=flag)
        if action == "delete":
            try:
                await self.chat.delete(MessageRef(flag.channel_id, flag.message_id))
            except ChatError as exc:
                return ActionResult(False, _permission_refusal("Manage Messages", exc), flag=flag)
            failed = 0
            for channel_id, message_id in flag.copies:
                try:
                    await self.chat.delete(MessageRef(channel_id, message_id))
                except ChatError:
                    failed += 1  # already gone, or a channel where the bot may not delete
            copies = len(flag.copies)
            note = f"and {copies - failed} of {copies} copies" if copies else None
            await self.store.record_event(flag_id, actor_id, "delete_message", note)
            await self.store.remove_excerpts_of_message(flag.message_id)
            # Read it back: Discord's MESSAGE_DELETE may have been handled meanwhile, and an
            # older copy shown now would put the deleted words back on the review post.
            flag = await self.store.get(flag_id) or flag
            done = f"Deleted the message of flag #{flag_id}."
            if copies:
                done = done[:-1] + f" and {copies - failed} of its {copies} copies."
        elif action == "timeout":
            if minutes is None or not 1 <= minutes <= TIMEOUT_MAX_MINUTES:
                return ActionResult(
                    False,
                    f"A timeout is 1 to {TIMEOUT_MAX_MINUTES} minutes (Discord allows 28 days).",
                    flag=flag,
                )
            until = self.clock() + timedelta(minutes=minutes)
            reason = f"Clinic promotion, flag #{flag_id}"
            try:
                await self.chat.timeout(flag.guild_id, flag.author_id, until, reason)
            except ChatError as exc:
                return ActionResult(False, _permission_refusal("Moderate Members", exc), flag=flag)
            await self.store.record_event(flag_id, actor_id, "timeout_author", f"{minutes} min")
            done = f"Timed out the author of flag #{flag_id} for {minutes} minutes."
        else:
            return ActionResult(False, f"Unknown action {action!r}.")
        log.info("message action", extra={"flag_id": flag_id, "action": action})
        await self.outbox.show(flag)
        return ActionResult(True, done, flag=flag, review=self.outbox.message(flag))

    async def message_action_refusal(
        self, flag_id: int, action: str
    ) -> tuple[Flag | None, str | None]:
        """Why Delete message or Timeout author cannot be done now (None: it can), checked
        before anything is sent, so the Timeout modal only opens when a timeout can happen and
        a missing permission is explained rather than discovered from Discord's refusal."""
        flag = await self.store.get(flag_id)
        if flag is None:
            return None, f"There is no flag #{flag_id}."
        if action not in render.NEEDS:
            return flag, f"Unknown action {action!r}."
        if flag.closed:
            return flag, f"This flag is already {flag.state}."
        if action == "delete" and flag.excerpt_removed == "deleted":
            return flag, "The message is already deleted."
        permission, shown = render.NEEDS[action]
        if self.chat.missing_permissions(flag.channel_id, [permission]):
            return flag, replies.missing_permission(action, shown, flag.channel_id)
        return flag, None

    async def retry_review_posts(self, grace: timedelta = RETRY_GRACE) -> int:
        """Post the flags whose review post failed (the job every minute); return how many.

        A flag is never dropped: these are posted again, with the crisis ping they would have
        carried. `grace` leaves alone flags whose first post may still be on its way. A
        crisis whose post arrives only now has its member's reply updated now to say the
        moderators know (never before: the reply must not promise what has not happened).
        """
        posted = await self.outbox.retry(grace)
        for flag in posted:
            if self._is_crisis(flag):
                await self._confirm_resources(flag)
        return len(posted)

    # --- reading ---------------------------------------------------------------------------

    async def list_flags(self, state: str | None = None, limit: int = 100) -> list[Flag]:
        """The queue: without a state, every flag not yet closed, oldest first."""
        if state is not None and state not in STATES:
            raise ValueError(f"unknown state {state!r}: use one of {', '.join(STATES)}")
        return await self.store.list_flags(state, limit)

    async def get_flag(self, flag_id: int) -> Flag | None:
        return await self.store.get(flag_id)

    async def history(self, flag_id: int) -> list[FlagEvent]:
        return await self.store.events(flag_id)

    async def queue_card(self, state: str | None = None, limit: int = 20) -> Card:
        flags = await self.list_flags(state, limit)
        total = await self.store.count(state)
        return render.queue_card(flags, state, total)

    async def flag_cards(self, flag_id: int) -> tuple[Card, Card] | None:
        """A flag's review card and its history, for `/flags show`."""
        flag = await self.get_flag(flag_id)
        if flag is None:
            return None
        return render.review_card(flag), render.history_card(flag, await self.history(flag_id))

    # --- outcomes --------------------------------------------------------------------------

    async def outcome_stats(
        self, windows: tuple[int, ...] = outcomes.WINDOWS, now: datetime | None = None
    ) -> list[outcomes.WindowStats]:
        """Per category, over the flags raised in each window of days: see `outcomes`."""
        now = now or self.clock()
        rows = await self.store.outcome_rows(now - timedelta(days=max(windows)))
        result = []
        for days in windows:
            since = now - timedelta(days=days)
            recent = [r for r, at in rows if datetime.fromisoformat(at) >= since]
            result.append(outcomes.tally(recent, days))
        return result

    async def stats_card(self) -> Card:
        """`/flags stats`: the outcome table for the last 7 and 30 days."""
        return render.stats_card(await self.outcome_stats())

    async def export(self, since: datetime | None = None) -> list[dict[str, object]]:
        """Labelled rows for retraining, one per closed flag (see `outcomes.export_record`).

        Text only under the opt-in, and only for messages still present.
        """
        keep = self.settings.keep_text_for_training
        rows = await self.store.export_rows(since)
        return [outcomes.export_record(row, keep) for row in rows]

    # --- the learned model -----------------------------------------------------------------

    def start(self) -> None:
        """Once the chat is connected: tell moderators (once) if the model did not load."""
        if self._start_up is None:
            self._start_up = asyncio.create_task(self._check_model(), name="model-notice")

    async def _check_model(self) -> None:
        try:
            await self.tell_model_failure()
        finally:
            self._model_checked.set()

    async def started(self) -> None:
        """Wait until `start()` has run and its check is done, notice posted or not (a
        positive signal for tests, before they say nothing was posted)."""
        await self._model_checked.wait()

    async def tell_model_failure(self) -> bool:
        """One post in the review channel per distinct load failure, remembered in SQLite, so
        a restart with the same broken file says nothing new. Pings nobody. True if posted."""
        failure = self.judge.error
        channel_id = self.settings.review_channel_id
        if failure is None or channel_id is None:
            return False
        if await self.store.model_notice_posted(failure):
            return False
        try:
            await self.chat.post(channel_id, Message(content=render.model_notice(failure)))
        except ChatError as exc:
            log.warning("could not tell moderators the model is off", extra={"status": exc.status})
            return False
        await self.store.remember_model_notice(failure)
        log.info("moderators told the learned classifier is off")
        return True

    # --- privacy ---------------------------------------------------------------------------

    async def purge_expired(self, now: datetime | None = None) -> list[Flag]:
        """Clear excerpts of flags closed more than `retention_days` ago and show that on
        their review posts (the daily job)."""
        now = now or self.clock()
        cutoff = now - timedelta(days=self.settings.retention_days)
        flags = await self.store.purge_expired(cutoff, self.settings.keep_text_for_training)
        if flags:
            log.info("expired excerpts removed", extra={"count": len(flags)})
        for flag in flags:
            await self.outbox.show(flag)
        return flags

    async def purge_user(self, user_id: int) -> PurgeResult:
        """Remove everything stored about a member, on their request."""
        result = await self.store.purge_user(user_id)
        log.info(
            "member data purged",
            extra={"flags": result.flags_deleted, "reports": result.reports_removed},
        )
        return result
