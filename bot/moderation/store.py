"""Flags in SQLite: every statement of the moderation feature lives here.

Each public method is one transaction (`BEGIN IMMEDIATE`), so a read followed by a write (is
there an open flag for this message? is this flag still open?) cannot be overtaken by another
writer, even from another process. State changes are also conditional UPDATEs on the state
that was read, and each change appends one `flag_events` row: who, what, from, to, note, when.
Only ids and excerpts of at most 200 characters are stored; the whole message text only
when the server opted in to keeping it for retraining (`training_text`, passed in by the
service under `[moderation] keep_text_for_training`), and it goes wherever the excerpt goes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

import aiosqlite

from bot.moderation.lifecycle import CLOSED, Action, Decision, Refusal, decide
from bot.moderation.model import (
    ERASED_MEMBER,
    EXCERPT_LIMIT,
    MEMBER_REPORT,
    MESSAGE,
    OTHER,
    Flag,
    FlagEvent,
    PurgeResult,
)
from bot.moderation.outcomes import ExportRow, OutcomeRow
from bot.storage import Database

Clock = Callable[[], datetime]
Change = Literal["created", "updated", "unchanged"]

_SELECT = """
SELECT f.id, f.guild_id, f.channel_id, f.message_id, f.author_id, f.category, f.score,
  f.reasons, f.excerpt, f.state, f.claimed_by, f.review_channel_id, f.review_message_id,
  f.created_at, f.updated_at, f.closed_at, f.origin, f.detected_category, f.resolved_category,
  (SELECT group_concat(r.reporter_id) FROM flag_reporters r WHERE r.flag_id = f.id)
    AS reporter_ids,
  (SELECT e.actor_id FROM flag_events e WHERE e.flag_id = f.id
     AND e.to_state IN ('resolved', 'dismissed') AND e.from_state IN ('open', 'claimed')
     ORDER BY e.id DESC LIMIT 1) AS closed_by,
  (SELECT count(*) FROM flag_events e WHERE e.flag_id = f.id AND e.action = 'note')
    AS note_count,
  (SELECT e.note FROM flag_events e WHERE e.flag_id = f.id AND e.action = 'note'
     ORDER BY e.id DESC LIMIT 1) AS last_note,
  (SELECT e.action FROM flag_events e WHERE e.flag_id = f.id
     AND e.action IN ('message_deleted', 'excerpt_expired') ORDER BY e.id DESC LIMIT 1)
    AS excerpt_removed,
  (SELECT group_concat(c.channel_id || ':' || c.message_id) FROM
     (SELECT * FROM flag_copies WHERE flag_id = f.id ORDER BY at, message_id) c) AS copy_refs
FROM flags f
"""

_REMOVED = {"message_deleted": "deleted", "excerpt_expired": "expired"}


def _utcnow() -> datetime:
    return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    """The one timestamp format of the database (see `bot.storage.utcnow`)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def clip_excerpt(text: str | None) -> str | None:
    """At most 200 characters, whitespace flattened: enough for a moderator to judge."""
    if text is None:
        return None
    flat = " ".join(text.split())
    if not flat:
        return None
    if len(flat) <= EXCERPT_LIMIT:
        return flat
    return flat[: EXCERPT_LIMIT - 1].rstrip() + "…"


class FlagStore:
    def __init__(self, db: Database, clock: Clock = _utcnow) -> None:
        self.db = db
        self.clock = clock

    def _now(self) -> str:
        return stamp(self.clock())

    # --- reading ---------------------------------------------------------------------------

    async def get(self, flag_id: int) -> Flag | None:
        async with self.db.transaction() as conn:
            return await _one(conn, "WHERE f.id = ?", (flag_id,))

    async def open_for_message(self, message_id: int) -> Flag | None:
        async with self.db.transaction() as conn:
            return await _one(conn, "WHERE f.message_id = ? AND f.closed_at IS NULL", (message_id,))

    async def latest_for_message(self, message_id: int) -> Flag | None:
        async with self.db.transaction() as conn:
            return await _one(
                conn, "WHERE f.message_id = ? ORDER BY f.id DESC LIMIT 1", (message_id,)
            )

    async def list_flags(self, state: str | None = None, limit: int = 100) -> list[Flag]:
        """The queue: without a state, every flag not yet closed, oldest first."""
        if state is None:
            where, params = "WHERE f.closed_at IS NULL", ()
        else:
            where, params = "WHERE f.state = ?", (state,)
        order = (
            "ORDER BY f.created_at ASC, f.id ASC"
            if state in (None, "open", "claimed")
            else ("ORDER BY f.updated_at DESC, f.id DESC")
        )
        async with self.db.transaction() as conn:
            return await _many(conn, f"{where} {order} LIMIT ?", (*params, limit))

    async def without_review_post(self, created_before: datetime) -> list[Flag]:
        """Open flags whose review post never reached Discord, oldest first."""
        async with self.db.transaction() as conn:
            return await _many(
                conn,
                "WHERE f.closed_at IS NULL AND f.review_message_id IS NULL AND f.created_at <= ? "
                "ORDER BY f.created_at ASC, f.id ASC",
                (stamp(created_before),),
            )

    async def count(self, state: str | None = None) -> int:
        if state is None:
            sql, params = "SELECT count(*) AS n FROM flags WHERE closed_at IS NULL", ()
        else:
            sql, params = "SELECT count(*) AS n FROM flags WHERE state = ?", (state,)
        row = await self.db.fetchone(sql, params)
        return int(row["n"]) if row else 0

    async def events(self, flag_id: int) -> list[FlagEvent]:
        rows = await self.db.fetchall(
            "SELECT * FROM flag_events WHERE flag_id = ? ORDER BY id", (flag_id,)
        )
        return [
            FlagEvent(
                id=r["id"],
                flag_id=r["flag_id"],
                actor_id=r["actor_id"],
                action=r["action"],
                from_state=r["from_state"],
                to_state=r["to_state"],
                note=r["note"],
                at=r["at"],
            )
            for r in rows
        ]

    async def last_event_at(self, author_id: int, action: str) -> datetime | None:
        """When the bot last did `action` (e.g. an auto-reply) for this member's flags."""
        row = await self.db.fetchone(
            "SELECT max(e.at) AS at FROM flag_events e JOIN flags f ON f.id = e.flag_id "
            "WHERE f.author_id = ? AND e.action = ?",
            (author_id, action),
        )
        if row is None or row["at"] is None:
            return None
        return datetime.fromisoformat(row["at"])

    # --- writing ---------------------------------------------------------------------------

    async def record_detection(
        self,
        *,
        guild_id: int,
        channel_id: int,
        message_id: int,
        author_id: int,
        category: str,
        score: float,
        reasons: Sequence[str],
        excerpt: str | None,
        create: bool = True,
        origin: str = MESSAGE,
        text: str | None = None,
    ) -> tuple[Flag | None, Change]:
        """Create the message's flag, or re-evaluate the open one: never a second open flag."""
        now = self._now()
        excerpt = clip_excerpt(excerpt)
        reasons_json = json.dumps(list(reasons))
        async with self.db.transaction() as conn:
            current = await _one(
                conn, "WHERE f.message_id = ? AND f.closed_at IS NULL", (message_id,)
            )
            if current is None:
                if not create:
                    return None, "unchanged"
                flag_id = await _insert_open_flag(
                    conn,
                    (guild_id, channel_id, message_id, author_id),
                    category,
                    score,
                    reasons_json,
                    excerpt,
                    now,
                    origin,
                    detected=category,
                    text=text,
                )
                await _event(conn, flag_id, None, "created", None, "open", category, now)
                return await _one(conn, "WHERE f.id = ?", (flag_id,)), "created"
            if current.reporters:
                reasons_json = json.dumps([*reasons, _reported_reason(len(current.reporters))])
            same = (
                current.category == category
                and abs(current.score - score) < 1e-9
                and json.dumps(list(current.reasons)) == reasons_json
                and current.excerpt == excerpt
            )
            await conn.execute(
                "UPDATE flags SET training_text = ? WHERE id = ?", (_clip_text(text), current.id)
            )
            if same:
                return current, "unchanged"
            await conn.execute(
                "UPDATE flags SET category = ?, detected_category = ?, score = ?, reasons = ?, "
                "excerpt = ?, updated_at = ? WHERE id = ?",
                (category, category, score, reasons_json, excerpt, now, current.id),
            )
            note = (
                f"re-evaluated after an edit: {current.category} -> {category}"
                if current.category != category
                else "re-evaluated after an edit"
            )
            await _event(conn, current.id, None, "edited", current.state, current.state, note, now)
            return await _one(conn, "WHERE f.id = ?", (current.id,)), "updated"

    async def join_copies(
        self,
        flag_id: int,
        copies: Sequence[tuple[int, int]],
        score: float,
        reasons: Sequence[str],
    ) -> Flag | None:
        """Attach other posts of the flagged text (channel_id, message_id) to its flag, with
        the reasons as they now read; one `copies_joined` event says where they were."""
        now = self._now()
        async with self.db.transaction() as conn:
            added = []
            for channel_id, message_id in copies:
                cursor = await conn.execute(
                    "INSERT OR IGNORE INTO flag_copies (flag_id, channel_id, message_id, at) "
                    "VALUES (?, ?, ?, ?)",
                    (flag_id, channel_id, message_id, now),
                )
                if cursor.rowcount:
                    added.append(f"<#{channel_id}>")
            current = await _one(conn, "WHERE f.id = ?", (flag_id,))
            if current is None:
                return None
            await conn.execute(
                "UPDATE flags SET score = ?, reasons = ?, updated_at = ? WHERE id = ?",
                (score, json.dumps(list(reasons)), now, flag_id),
            )
            if added:
                note = "also posted in " + ", ".join(added)
                await _event(
                    conn, flag_id, None, "copies_joined", current.state, current.state, note, now
                )
            return await _one(conn, "WHERE f.id = ?", (flag_id,))

    async def open_for_messages(self, message_ids: Sequence[int]) -> Flag | None:
        """The open flag of any of these messages, or one listing them as copies."""
        ids = json.dumps(list(message_ids))
        async with self.db.transaction() as conn:
            return await _one(
                conn,
                "WHERE f.closed_at IS NULL AND (f.message_id IN (SELECT value FROM json_each(?)) "
                "OR f.id IN (SELECT flag_id FROM flag_copies WHERE message_id IN "
                "(SELECT value FROM json_each(?)))) ORDER BY f.id LIMIT 1",
                (ids, ids),
            )

    async def update_excerpt(
        self, message_id: int, excerpt: str | None, note: str, text: str | None = None
    ) -> Flag | None:
        """An edit that no longer matches: keep the flag for moderators, show the new text."""
        now = self._now()
        excerpt = clip_excerpt(excerpt)
        async with self.db.transaction() as conn:
            current = await _one(
                conn, "WHERE f.message_id = ? AND f.closed_at IS NULL", (message_id,)
            )
            if current is None:
                return None
            await conn.execute(
                "UPDATE flags SET training_text = ? WHERE id = ?", (_clip_text(text), current.id)
            )
            if current.excerpt == excerpt:
                return current
            await conn.execute(
                "UPDATE flags SET excerpt = ?, updated_at = ? WHERE id = ?",
                (excerpt, now, current.id),
            )
            await _event(conn, current.id, None, "edited", current.state, current.state, note, now)
            return await _one(conn, "WHERE f.id = ?", (current.id,))

    async def report(
        self,
        *,
        guild_id: int,
        channel_id: int,
        message_id: int,
        author_id: int,
        reporter_id: int,
        excerpt: str | None,
        score: float = 1.0,
        reasons: Sequence[str] = (),
        detected: str = "none",
        text: str | None = None,
    ) -> tuple[Flag, bool, bool]:
        """Record a member's report: (flag, flag was created, this reporter is new).

        `detected` is what the detector says of the message now ("none" if it would not flag
        it): a report it did not see coming, once resolved, counts as a miss of its category.
        """
        now = self._now()
        async with self.db.transaction() as conn:
            current = await _one(
                conn, "WHERE f.message_id = ? AND f.closed_at IS NULL", (message_id,)
            )
            created = current is None
            if current is None:
                flag_id = await _insert_open_flag(
                    conn,
                    (guild_id, channel_id, message_id, author_id),
                    MEMBER_REPORT,
                    score,
                    json.dumps([_reported_reason(1), *reasons]),
                    clip_excerpt(excerpt),
                    now,
                    detected=detected,
                    text=text,
                )
                await _event(
                    conn, flag_id, reporter_id, "created", None, "open", MEMBER_REPORT, now
                )
                state = "open"
            else:
                flag_id, state = current.id, current.state
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO flag_reporters (flag_id, reporter_id, at) VALUES (?, ?, ?)",
                (flag_id, reporter_id, now),
            )
            new_reporter = cursor.rowcount == 1
            if new_reporter and not created and current is not None:
                count = len(current.reporters) + 1
                kept = [r for r in current.reasons if not r.startswith("reported by ")]
                await conn.execute(
                    "UPDATE flags SET reasons = ?, updated_at = ? WHERE id = ?",
                    (json.dumps([*kept, _reported_reason(count)]), now, flag_id),
                )
                await _event(conn, flag_id, reporter_id, "reported", state, state, None, now)
            flag = await _one(conn, "WHERE f.id = ?", (flag_id,))
            assert flag is not None
            return flag, created, new_reporter

    async def apply(
        self,
        flag_id: int,
        action: Action,
        actor_id: int,
        note: str | None = None,
        category: str | None = None,
    ) -> Flag | Refusal:
        """A moderator action, atomically: exactly one of two simultaneous claims wins.

        Resolving records the category the moderator confirmed: `category` if given, else the
        flag's own (a member report: "other", none of the detector's categories).
        """
        now = self._now()
        async with self.db.transaction() as conn:
            flag = await _one(conn, "WHERE f.id = ?", (flag_id,))
            if flag is None:
                return Refusal(f"There is no flag #{flag_id}.")
            decision = decide(flag.state, flag.claimed_by, action, actor_id, note)
            if isinstance(decision, Refusal):
                return decision
            text = (note or "").strip() or None
            if decision.to_state != decision.from_state or decision.claimed_by != flag.claimed_by:
                if not await _move(conn, flag, decision, now):
                    return Refusal("Another moderator changed this flag a moment ago; look again.")
            if decision.to_state == "resolved" and decision.closes:
                confirmed = category or (OTHER if flag.category == MEMBER_REPORT else flag.category)
                await conn.execute(
                    "UPDATE flags SET resolved_category = ? WHERE id = ?", (confirmed, flag.id)
                )
                if confirmed != flag.category:
                    text = f"resolved as {confirmed}" + (f": {text}" if text else "")
            await _event(
                conn, flag.id, actor_id, action, decision.from_state, decision.to_state, text, now
            )
            moved = await _one(conn, "WHERE f.id = ?", (flag.id,))
            assert moved is not None
            return moved

    async def record_event(
        self, flag_id: int, actor_id: int | None, action: str, note: str | None = None
    ) -> None:
        """An event that keeps the state (the bot replied, a review post was re-sent...)."""
        now = self._now()
        async with self.db.transaction() as conn:
            flag = await _one(conn, "WHERE f.id = ?", (flag_id,))
            if flag is None:
                return
            await _event(conn, flag_id, actor_id, action, flag.state, flag.state, note, now)

    async def set_review_post(self, flag_id: int, channel_id: int, message_id: int) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE flags SET review_channel_id = ?, review_message_id = ? WHERE id = ?",
                (channel_id, message_id, flag_id),
            )

    async def remember_crisis_replies(self, flag_id: int, refs: Sequence[tuple[int, int]]) -> None:
        """Where the crisis resources for this flag's author went (channel_id, message_id):
        the bot's own messages, ids only, until they are updated (`take_crisis_replies`)."""
        if not refs:
            return
        async with self.db.transaction() as conn:
            await conn.executemany(
                "INSERT OR IGNORE INTO crisis_replies (flag_id, channel_id, message_id) "
                "VALUES (?, ?, ?)",
                [(flag_id, channel_id, message_id) for channel_id, message_id in refs],
            )

    async def take_crisis_replies(self, flag_id: int) -> list[tuple[int, int]]:
        """The flag's crisis replies not yet updated, forgotten as they are returned: whoever
        takes them edits them, so the "moderators know" line is added once."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "SELECT channel_id, message_id FROM crisis_replies WHERE flag_id = ? "
                "ORDER BY rowid",
                (flag_id,),
            )
            refs = [(int(r["channel_id"]), int(r["message_id"])) for r in await cursor.fetchall()]
            await conn.execute("DELETE FROM crisis_replies WHERE flag_id = ?", (flag_id,))
            return refs

    async def remove_excerpts_of_message(self, message_id: int) -> list[Flag]:
        """The member deleted their message: its words go too, in every flag that quoted it."""
        now = self._now()
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE flags SET training_text = NULL WHERE message_id = ?", (message_id,)
            )
            flags = await _many(
                conn, "WHERE f.message_id = ? AND f.excerpt IS NOT NULL", (message_id,)
            )
            for flag in flags:
                await conn.execute(
                    "UPDATE flags SET excerpt = NULL, updated_at = ? WHERE id = ?", (now, flag.id)
                )
                await _event(
                    conn, flag.id, None, "message_deleted", flag.state, flag.state, None, now
                )
            return (
                await _many(
                    conn,
                    "WHERE f.id IN (SELECT value FROM json_each(?))",
                    (json.dumps([f.id for f in flags]),),
                )
                if flags
                else []
            )

    async def purge_expired(self, cutoff: datetime, keep_text: bool = False) -> list[Flag]:
        """Clear excerpts of flags closed before `cutoff`; return them (their posts need edits).

        Kept training text goes with them, and all of it once the opt-in is off.
        """
        now = self._now()
        async with self.db.transaction() as conn:
            if keep_text:
                await conn.execute(
                    "UPDATE flags SET training_text = NULL "
                    "WHERE closed_at IS NOT NULL AND closed_at < ?",
                    (stamp(cutoff),),
                )
            else:
                await conn.execute(
                    "UPDATE flags SET training_text = NULL WHERE training_text IS NOT NULL"
                )
            await conn.execute(
                "DELETE FROM crisis_replies WHERE flag_id IN (SELECT id FROM flags "
                "WHERE closed_at IS NOT NULL AND closed_at < ?)",
                (stamp(cutoff),),
            )
            flags = await _many(
                conn,
                "WHERE f.closed_at IS NOT NULL AND f.closed_at < ? AND f.excerpt IS NOT NULL",
                (stamp(cutoff),),
            )
            for flag in flags:
                await conn.execute(
                    "UPDATE flags SET excerpt = NULL, updated_at = ? WHERE id = ?", (now, flag.id)
                )
                await _event(
                    conn, flag.id, None, "excerpt_expired", flag.state, flag.state, None, now
                )
            if not flags:
                return []
            return await _many(
                conn,
                "WHERE f.id IN (SELECT value FROM json_each(?))",
                (json.dumps([f.id for f in flags]),),
            )

    async def purge_user(self, user_id: int) -> PurgeResult:
        """Delete a member's flags (with their audit rows) and their reports of others.

        Rows about other members' flags stay, for the audit trail, but where they named this
        member (as reporter, claimer or actor) the id becomes ERASED_MEMBER.
        """
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "SELECT guild_id, review_channel_id, review_message_id FROM flags "
                "WHERE author_id = ? AND review_message_id IS NOT NULL",
                (user_id,),
            )
            posts = tuple(
                (int(r["guild_id"]), int(r["review_channel_id"]), int(r["review_message_id"]))
                for r in await cursor.fetchall()
            )
            cursor = await conn.execute("DELETE FROM flags WHERE author_id = ?", (user_id,))
            deleted = cursor.rowcount
            cursor = await conn.execute(
                "DELETE FROM flag_reporters WHERE reporter_id = ?", (user_id,)
            )
            reports = cursor.rowcount
            await conn.execute(
                "UPDATE flag_events SET actor_id = ? WHERE actor_id = ?", (ERASED_MEMBER, user_id)
            )
            await conn.execute(
                "UPDATE flags SET claimed_by = ? WHERE claimed_by = ?", (ERASED_MEMBER, user_id)
            )
        return PurgeResult(user_id, deleted, reports, posts)

    # --- outcomes ----------------------------------------------------------------------------

    async def outcome_rows(self, since: datetime) -> list[tuple[OutcomeRow, str]]:
        """Every flag raised since `since` as the outcome counts need it (no text), with
        when it was raised."""
        rows = await self.db.fetchall(
            "SELECT category, detected_category, resolved_category, state, created_at "
            "FROM flags WHERE created_at >= ?",
            (stamp(since),),
        )
        return [
            (
                OutcomeRow(
                    r["category"], r["detected_category"], r["resolved_category"], r["state"]
                ),
                str(r["created_at"]),
            )
            for r in rows
        ]

    async def export_rows(self, since: datetime | None) -> list[ExportRow]:
        """Closed flags (a moderator's decision), closed since `since`, oldest first.

        `text` is the kept training text, present only while the message is (deletion and
        the retention purge clear it); the caller decides whether to write it.
        """
        where = "WHERE f.closed_at IS NOT NULL" + (" AND f.closed_at >= ?" if since else "")
        params: tuple[Any, ...] = (stamp(since),) if since else ()
        async with self.db.transaction() as conn:
            flags = await _many(conn, f"{where} ORDER BY f.closed_at ASC, f.id ASC", params)
            cursor = await conn.execute(
                "SELECT id, training_text FROM flags WHERE training_text IS NOT NULL"
            )
            texts = {int(r["id"]): str(r["training_text"]) for r in await cursor.fetchall()}
        return [
            ExportRow(flag, None if flag.excerpt_removed else texts.get(flag.id)) for flag in flags
        ]

    async def model_notice_posted(self, failure: str) -> bool:
        row = await self.db.fetchone(
            "SELECT 1 AS seen FROM model_notices WHERE failure = ?", (failure,)
        )
        return row is not None

    async def remember_model_notice(self, failure: str) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT OR IGNORE INTO model_notices (failure, posted_at) VALUES (?, ?)",
                (failure, self._now()),
            )


TEXT_LIMIT = 4000


def _clip_text(text: str | None) -> str | None:
    """The whole message, for retraining; None when not kept (the opt-in is off)."""
    if text is None or not text.strip():
        return None
    return text[:TEXT_LIMIT]


def _reported_reason(count: int) -> str:
    return "reported by a member" if count == 1 else f"reported by {count} members"


async def _move(conn: aiosqlite.Connection, flag: Flag, decision: Decision, now: str) -> bool:
    closed_at = now if decision.to_state in CLOSED else None
    cursor = await conn.execute(
        "UPDATE flags SET state = ?, claimed_by = ?, updated_at = ?, "
        "closed_at = COALESCE(?, closed_at) "
        "WHERE id = ? AND state = ? AND claimed_by IS ?",
        (
            decision.to_state,
            decision.claimed_by,
            now,
            closed_at,
            flag.id,
            flag.state,
            flag.claimed_by,
        ),
    )
    return cursor.rowcount == 1


async def _insert_open_flag(
    conn: aiosqlite.Connection,
    where: tuple[int, int, int, int],
    category: str,
    score: float,
    reasons_json: str,
    excerpt: str | None,
    now: str,
    origin: str = MESSAGE,
    *,
    detected: str,
    text: str | None,
) -> int:
    """Insert a new open flag for (guild, channel, message, author); return its id."""
    cursor = await conn.execute(
        "INSERT INTO flags (guild_id, channel_id, message_id, author_id, category, "
        "score, reasons, excerpt, state, created_at, updated_at, origin, detected_category, "
        "training_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?)",
        (
            *where,
            category,
            score,
            reasons_json,
            excerpt,
            now,
            now,
            origin,
            detected,
            _clip_text(text),
        ),
    )
    return int(cursor.lastrowid or 0)


async def _event(
    conn: aiosqlite.Connection,
    flag_id: int,
    actor_id: int | None,
    action: str,
    from_state: str | None,
    to_state: str | None,
    note: str | None,
    at: str,
) -> None:
    await conn.execute(
        "INSERT INTO flag_events (flag_id, actor_id, action, from_state, to_state, note, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (flag_id, actor_id, action, from_state, to_state, note, at),
    )


async def _one(conn: aiosqlite.Connection, where: str, params: Sequence[Any]) -> Flag | None:
    found = await _many(conn, where, params)
    return found[0] if found else None


async def _many(conn: aiosqlite.Connection, where: str, params: Sequence[Any]) -> list[Flag]:
    cursor = await conn.execute(f"{_SELECT} {where}", tuple(params))
    return [_flag(row) for row in await cursor.fetchall()]


def _flag(row: aiosqlite.Row) -> Flag:
    reporters = tuple(sorted(int(x) for x in (row["reporter_ids"] or "").split(",") if x))
    try:
        reasons = tuple(str(r) for r in json.loads(row["reasons"] or "[]"))
    except ValueError:
        reasons = ()
    return Flag(
        id=row["id"],
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        author_id=row["author_id"],
        category=row["category"],
        score=float(row["score"]),
        reasons=reasons,
        excerpt=row["excerpt"],
        state=row["state"],
        claimed_by=row["claimed_by"],
        review_channel_id=row["review_channel_id"],
        review_message_id=row["review_message_id"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        closed_at=row["closed_at"],
        reporters=reporters,
        closed_by=row["closed_by"],
        note_count=int(row["note_count"] or 0),
        last_note=row["last_note"],
        excerpt_removed=_REMOVED.get(row["excerpt_removed"] or ""),
        origin=row["origin"],
        detected_category=row["detected_category"],
        resolved_category=row["resolved_category"],
        copies=tuple(
            (int(c), int(m))
            for c, _, m in (ref.partition(":") for ref in (row["copy_refs"] or "").split(","))
            if m
        ),
    )
