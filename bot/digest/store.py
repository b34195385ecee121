"""Every SQL statement of the digest: items, runs and source health (schema: migration 1).

A run row is the digest's write-ahead record. It is written as `posting`, with the rendered
message and the items it covers, before anything is sent; the message ids and the items'
`posted_*` columns are written together, in one transaction, after Discord accepted it. A
`posting` row found later means the process stopped in between, and is settled from what
it recorded rather than posted again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import aiosqlite

from bot.card import Card, CardField, Message
from bot.digest.model import CLINICALTRIALS, Evidence, Item, Tracked
from bot.storage import Database

POSTING = "posting"
POSTED = "posted"
EMPTY = "empty"
FAILED = "failed"


@dataclass(frozen=True)
class Health:
    source: str
    state: str = "ok"
    failures: int = 0
    last_error: str | None = None
    last_attempt: str | None = None
    last_success: str | None = None
    notified_state: str | None = None
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Run:
    scheduled_for: str
    status: str
    started_at: str
    finished_at: str | None
    message_ids: tuple[int, ...]
    item_count: int
    message: Message | None
    covered: tuple[tuple[str, str, str], ...]
    error: str | None = None


class DigestStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- items -------------------------------------------------------------------------

    async def load(self, source: str, keys: Collection[str]) -> dict[str, Tracked]:
        """The stored rows for these keys of one source."""
        found: dict[str, Tracked] = {}
        keys = list(keys)
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = await self.db.fetchall(
                f"SELECT * FROM digest_items WHERE source = ? AND key IN ({marks})",
                (source, *chunk),
            )
            for row in rows:
                found[row["key"]] = _tracked(row)
        return found

    async def pending(self, sources: Collection[str]) -> list[Tracked]:
        """Items of these sources not yet shown in their current version."""
        if not sources:
            return []
        marks = ",".join("?" * len(sources))
        rows = await self.db.fetchall(
            f"SELECT * FROM digest_items WHERE source IN ({marks}) "
            "AND (posted_version IS NULL OR posted_version != version)",
            tuple(sources),
        )
        return [_tracked(row) for row in rows]

    async def shown_dois(self, dois: Collection[str]) -> set[str]:
        """DOIs already shown (or baselined as old) under any source."""
        found: set[str] = set()
        dois = list(dois)
        for start in range(0, len(dois), 500):
            chunk = dois[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = await self.db.fetchall(
                f"SELECT DISTINCT doi FROM digest_items WHERE doi IN ({marks}) "
                "AND posted_version IS NOT NULL",
                tuple(chunk),
            )
            found.update(row["doi"] for row in rows)
        return found

    async def save_fetch(
        self,
        source: str,
        changed: Sequence[Tracked],
        *,
        now: str,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        """A good fetch: its items and the source's recovery, in one transaction."""
        async with self.db.transaction() as conn:
            await conn.executemany(
                """
                INSERT INTO digest_items (source, key, version, title, url, doi, kind, detail,
                    published, first_seen, posted_at, posted_version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (source, key) DO UPDATE SET
                    version = excluded.version, title = excluded.title, url = excluded.url,
                    doi = excluded.doi, kind = excluded.kind, detail = excluded.detail,
                    published = excluded.published, posted_version = excluded.posted_version
                """,
                [_row(t) for t in changed],
            )
            await _ensure_health(conn, source)
            await conn.execute(
                "UPDATE source_health SET state = 'ok', failures = 0, last_error = NULL, "
                "last_attempt = ?, last_success = ?, "
                "etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified) "
                "WHERE source = ?",
                (now, now, etag, last_modified, source),
            )

    # -- source health -----------------------------------------------------------------

    async def health(self, source: str) -> Health:
        row = await self.db.fetchone("SELECT * FROM source_health WHERE source = ?", (source,))
        return _health(row) if row else Health(source)

    async def all_health(self) -> dict[str, Health]:
        rows = await self.db.fetchall("SELECT * FROM source_health")
        return {row["source"]: _health(row) for row in rows}

    async def record_failure(
        self, source: str, error: str, *, now: str, state_for: Callable[[int], str]
    ) -> Health:
        """Count one more consecutive failure; `state_for(failures)` names the new state."""
        async with self.db.transaction() as conn:
            await _ensure_health(conn, source)
            cursor = await conn.execute(
                "SELECT failures FROM source_health WHERE source = ?", (source,)
            )
            row = await cursor.fetchone()
            failures = (int(row[0]) if row else 0) + 1
            await conn.execute(
                "UPDATE source_health SET state = ?, failures = ?, last_error = ?, "
                "last_attempt = ? WHERE source = ?",
                (state_for(failures), failures, error[:500], now, source),
            )
            cursor = await conn.execute("SELECT * FROM source_health WHERE source = ?", (source,))
            updated = await cursor.fetchone()
        assert updated is not None
        return _health(updated)

    async def mark_notified(self, source: str, state: str) -> None:
        await self.db.execute(
            "UPDATE source_health SET notified_state = ? WHERE source = ?", (state, source)
        )

    # -- runs --------------------------------------------------------------------------

    async def run(self, slot: str) -> Run | None:
        row = await self.db.fetchone("SELECT * FROM digest_runs WHERE scheduled_for = ?", (slot,))
        return _run(row) if row else None

    async def runs_posting(self) -> list[Run]:
        rows = await self.db.fetchall(
            "SELECT * FROM digest_runs WHERE status = ? ORDER BY scheduled_for", (POSTING,)
        )
        return [_run(row) for row in rows]

    async def latest_posted(self) -> Run | None:
        row = await self.db.fetchone(
            "SELECT * FROM digest_runs WHERE status = ? ORDER BY scheduled_for DESC LIMIT 1",
            (POSTED,),
        )
        return _run(row) if row else None

    async def latest_slot(self) -> str | None:
        row = await self.db.fetchone("SELECT MAX(scheduled_for) AS slot FROM digest_runs")
        return row["slot"] if row and row["slot"] else None

    async def begin_run(
        self,
        slot: str,
        message: Message,
        covered: Iterable[Tracked],
        *,
        item_count: int,
        channel_id: int | None,
        now: str,
    ) -> None:
        """The write-ahead record: what is about to be posted, before it is."""
        content = json.dumps(
            {
                "message": _message_dict(message),
                "covered": [[t.item.source, t.item.key, t.item.version] for t in covered],
            }
        )
        await self._upsert_run(slot, POSTING, now, content, item_count, channel_id)

    async def record_empty(self, slot: str, *, now: str, baseline: Iterable[Tracked] = ()) -> None:
        """Nothing to post. `baseline`: items left out as duplicates, never to come back."""
        await self._upsert_run(slot, EMPTY, now, None, 0, None, finished=True)
        rows = [(t.item.version, t.item.source, t.item.key) for t in baseline]
        if rows:
            async with self.db.transaction() as conn:
                await conn.executemany(
                    "UPDATE digest_items SET posted_version = ? WHERE source = ? AND key = ?",
                    rows,
                )

    async def _upsert_run(
        self,
        slot: str,
        status: str,
        now: str,
        content: str | None,
        item_count: int,
        channel_id: int | None,
        *,
        finished: bool = False,
    ) -> None:
        # A failed slot may run again; any other existing row is left alone.
        await self.db.execute(
            """
            INSERT INTO digest_runs (scheduled_for, status, started_at, finished_at, channel_id,
                message_ids, item_count, content)
            VALUES (?, ?, ?, ?, ?, '[]', ?, ?)
            ON CONFLICT (scheduled_for) DO UPDATE SET
                status = excluded.status, started_at = excluded.started_at,
                finished_at = excluded.finished_at, channel_id = excluded.channel_id,
                message_ids = '[]', item_count = excluded.item_count, content = excluded.content
            WHERE digest_runs.status = 'failed'
            """,
            (slot, status, now, now if finished else None, channel_id, item_count, content),
        )

    async def finish_run(
        self,
        slot: str,
        message_ids: Sequence[int],
        covered: Iterable[tuple[str, str, str]],
        *,
        now: str,
    ) -> None:
        """Discord accepted the message: record its ids and mark every covered item shown."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE digest_runs SET status = ?, message_ids = ?, finished_at = ? "
                "WHERE scheduled_for = ?",
                (POSTED, json.dumps(list(message_ids)), now, slot),
            )
            await conn.executemany(
                "UPDATE digest_items SET posted_version = ?, posted_at = ? "
                "WHERE source = ? AND key = ?",
                [(version, now, source, key) for source, key, version in covered],
            )

    async def fail_run(self, slot: str, error: str, *, now: str) -> None:
        """Discord refused the message: nothing is marked shown, the slot may run again."""
        content = json.dumps({"error": error[:500]})
        await self.db.execute(
            "UPDATE digest_runs SET status = ?, finished_at = ?, content = ? "
            "WHERE scheduled_for = ?",
            (FAILED, now, content, slot),
        )


async def _ensure_health(conn: aiosqlite.Connection, source: str) -> None:
    await conn.execute("INSERT OR IGNORE INTO source_health (source) VALUES (?)", (source,))


def _row(t: Tracked) -> tuple[Any, ...]:
    item = t.item
    # `published` keeps when the item became news; a trial's update date is its version,
    # so for trials the column keeps the first registration date instead.
    published = item.first_posted if item.source == CLINICALTRIALS else item.news_date
    return (
        item.source,
        item.key,
        item.version,
        item.title,
        item.url,
        item.doi,
        item.kind.value,
        item.detail,
        published.isoformat() if published else None,
        t.first_seen,
        t.posted_at,
        t.posted_version,
    )


def _tracked(row: aiosqlite.Row) -> Tracked:
    published = _date(row["published"])
    version = row["version"]
    is_trial = row["source"] == CLINICALTRIALS
    try:
        kind = Evidence(row["kind"])
    except ValueError:
        kind = Evidence.OTHER
    item = Item(
        source=row["source"],
        key=row["key"],
        title=row["title"],
        url=row["url"],
        version=version,
        doi=row["doi"],
        kind=kind,
        detail=row["detail"] or "",
        news_date=_date(version) if is_trial else published,
        first_posted=published if is_trial else None,
    )
    return Tracked(item, row["first_seen"], row["posted_version"], row["posted_at"])


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _health(row: aiosqlite.Row) -> Health:
    return Health(**{name: row[name] for name in Health.__dataclass_fields__})


def _run(row: aiosqlite.Row) -> Run:
    data: dict[str, Any] = {}
    if row["content"]:
        try:
            data = json.loads(row["content"])
        except json.JSONDecodeError:
            data = {}
    message = _message_from(data["message"]) if "message" in data else None
    covered = tuple((s, k, v) for s, k, v in data.get("covered", []))
    return Run(
        scheduled_for=row["scheduled_for"],
        status=row["status"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        message_ids=tuple(json.loads(row["message_ids"] or "[]")),
        item_count=row["item_count"],
        message=message,
        covered=covered,
        error=data.get("error"),
    )


def _message_dict(message: Message) -> dict[str, Any]:
    return {
        "content": message.content,
        "cards": [asdict(card) for card in message.cards],
        "nonce": message.nonce,
    }


def _message_from(data: dict[str, Any]) -> Message:
    cards = []
    for card in data.get("cards", []):
        fields = tuple(CardField(**f) for f in card.get("fields", []))
        cards.append(Card(**{**card, "fields": fields}))
    return Message(content=data.get("content", ""), cards=tuple(cards), nonce=data.get("nonce"))
