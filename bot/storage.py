"""The one SQLite database: connection, transactions, and forward-only migrations.

One aiosqlite connection serves the whole process; an asyncio lock makes each transaction
whole, so two coroutines never interleave statements inside one BEGIN. Migrations are numbered
and only ever appended: a database is upgraded in place at start, and a database written by a
newer bot is refused rather than silently misread.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite

from bot.errors import StorageError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "initial schema",
        """
        CREATE TABLE flags (
            id INTEGER PRIMARY KEY,
            guild_id INTEGER NOT NULL,
            channel_id INTEGER NOT NULL,
            message_id INTEGER NOT NULL,
            author_id INTEGER NOT NULL,
            category TEXT NOT NULL,
            score REAL NOT NULL,
            reasons TEXT NOT NULL DEFAULT '[]',
            excerpt TEXT CHECK (excerpt IS NULL OR length(excerpt) <= 200),
            state TEXT NOT NULL,
            claimed_by INTEGER,
            review_channel_id INTEGER,
            review_message_id INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            closed_at TEXT
        );
        CREATE UNIQUE INDEX flags_open_message ON flags(message_id) WHERE closed_at IS NULL;
        CREATE INDEX flags_state ON flags(state, created_at);
        CREATE INDEX flags_author ON flags(author_id);
        CREATE TABLE flag_reporters (
            flag_id INTEGER NOT NULL REFERENCES flags(id) ON DELETE CASCADE,
            reporter_id INTEGER NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (flag_id, reporter_id)
        );
        CREATE TABLE flag_events (
            id INTEGER PRIMARY KEY,
            flag_id INTEGER NOT NULL REFERENCES flags(id) ON DELETE CASCADE,
            actor_id INTEGER,
            action TEXT NOT NULL,
            from_state TEXT,
            to_state TEXT,
            note TEXT,
            at TEXT NOT NULL
        );
        CREATE INDEX flag_events_flag ON flag_events(flag_id, id);
        CREATE TRIGGER flag_events_append_only_update BEFORE UPDATE ON flag_events
        BEGIN SELECT RAISE(ABORT, 'flag_events is append-only'); END;

        CREATE TABLE digest_items (
            source TEXT NOT NULL,
            key TEXT NOT NULL,
            version TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL,
            url TEXT NOT NULL,
            doi TEXT,
            kind TEXT,
            detail TEXT,
            published TEXT,
            first_seen TEXT NOT NULL,
            posted_at TEXT,
            posted_version TEXT,
            PRIMARY KEY (source, key)
        );
        CREATE INDEX digest_items_doi ON digest_items(doi) WHERE doi IS NOT NULL;
        CREATE TABLE digest_runs (
            id INTEGER PRIMARY KEY,
            scheduled_for TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            channel_id INTEGER,
            message_ids TEXT NOT NULL DEFAULT '[]',
            item_count INTEGER NOT NULL DEFAULT 0,
            content TEXT
        );
        CREATE TABLE source_health (
            source TEXT PRIMARY KEY,
            state TEXT NOT NULL DEFAULT 'ok',
            failures INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            last_attempt TEXT,
            last_success TEXT,
            notified_state TEXT,
            etag TEXT,
            last_modified TEXT
        );

        CREATE TABLE faq_queries (
            id INTEGER PRIMARY KEY,
            query TEXT NOT NULL,
            matched_id TEXT,
            score REAL NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX faq_queries_at ON faq_queries(at);
        CREATE TABLE faq_feedback (
            entry_id TEXT NOT NULL,
            user_id INTEGER NOT NULL,
            helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),
            at TEXT NOT NULL,
            PRIMARY KEY (entry_id, user_id)
        );
        """,
    ),
    Migration(
        2,
        "purged members become a tombstone in the audit trail",
        """
        DROP TRIGGER flag_events_append_only_update;
        CREATE TRIGGER flag_events_append_only_update BEFORE UPDATE ON flag_events
        WHEN NOT (
            NEW.actor_id = 0 AND OLD.actor_id IS NOT NULL
            AND NEW.id = OLD.id AND NEW.flag_id = OLD.flag_id AND NEW.action = OLD.action
            AND NEW.from_state IS OLD.from_state AND NEW.to_state IS OLD.to_state
            AND NEW.note IS OLD.note AND NEW.at = OLD.at
        )
        BEGIN SELECT RAISE(ABORT, 'flag_events is append-only'); END;
        """,
    ),
)


def utcnow() -> str:
    """Timestamps are ISO 8601 in UTC, so they sort as text and read as dates."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class Database:
    """A migrated SQLite database. Open with `await Database.open(path)`."""

    def __init__(self, path: Path, conn: aiosqlite.Connection) -> None:
        self.path = path
        self._conn = conn
        self._lock = asyncio.Lock()

    @classmethod
    async def open(
        cls, path: Path | str, *, migrations: Sequence[Migration] | None = MIGRATIONS
    ) -> Database:
        """Connect and apply `migrations` (None: leave the schema as it is)."""
        path = Path(path)
        if str(path) != ":memory:":
            await asyncio.to_thread(_check_location, path)
        connecting = aiosqlite.connect(path, isolation_level=None)
        try:
            conn = await connecting
        except sqlite3.Error as exc:
            # aiosqlite's worker thread still has to hand back its stop: let it, before the
            # event loop closes, or it prints an "Event loop is closed" traceback.
            await asyncio.to_thread(connecting._thread.join, 5)
            raise StorageError(f"{path}: cannot open the database: {exc}") from None
        conn.row_factory = aiosqlite.Row
        db = cls(path, conn)
        try:
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA busy_timeout=5000")
            await conn.execute("PRAGMA synchronous=NORMAL")
            if migrations is not None:
                await db.migrate(migrations)
        except sqlite3.DatabaseError as exc:
            await conn.close()
            if getattr(exc, "sqlite_errorname", "").startswith("SQLITE_READONLY"):
                raise StorageError(_read_only(path)) from None
            raise StorageError(f"{path}: not a usable SQLite database: {exc}") from None
        except BaseException:
            await conn.close()
            raise
        return db

    async def close(self) -> None:
        await self._conn.close()

    async def schema_version(self) -> int:
        row = await self.fetchone(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='schema_migrations'"
        )
        if row is None:
            return 0
        row = await self.fetchone("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations")
        return int(row["v"]) if row else 0

    async def migrate(self, migrations: Sequence[Migration] = MIGRATIONS) -> list[int]:
        """Apply the migrations this database has not seen; return their versions."""
        known = max((m.version for m in migrations), default=0)
        await self._conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        current = await self.schema_version()
        if current > known:
            raise StorageError(
                f"{self.path}: the database is at schema version {current}, newer than this "
                f"bot knows ({known}); upgrade the bot or restore a backup"
            )
        applied = []
        for migration in sorted(migrations, key=lambda m: m.version):
            if migration.version <= current:
                continue
            async with self.transaction() as conn:
                for statement in _statements(migration.sql):
                    await conn.execute(statement)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, utcnow()),
                )
            log.info("database migrated to version %d (%s)", migration.version, migration.name)
            applied.append(migration.version)
        return applied

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception.

        IMMEDIATE takes the write lock at once, so a read-then-write (claim a flag if it is
        still open) cannot be overtaken by another writer between the two.
        """
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            else:
                await self._conn.execute("COMMIT")

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one write in its own transaction; return the last row id."""
        async with self.transaction() as conn:
            cursor = await conn.execute(sql, tuple(params))
            return cursor.lastrowid or 0

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        async with self._lock:
            cursor = await self._conn.execute(sql, tuple(params))
            return list(await cursor.fetchall())

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
        async with self._lock:
            cursor = await self._conn.execute(sql, tuple(params))
            return await cursor.fetchone()

    async def backup(self, target: Path | str) -> None:
        """An online, consistent copy through SQLite's backup API."""
        target = Path(target)
        if target.exists():
            raise StorageError(f"{target}: already exists; choose a new file for the backup")
        target.parent.mkdir(parents=True, exist_ok=True)
        async with self._lock:
            dest = await aiosqlite.connect(target)
            try:
                await self._conn.backup(dest)
            finally:
                await dest.close()


def _read_only(path: Path) -> str:
    return (
        f"{path}: the database is read-only: give the user running the bot write access "
        f"to the file and to its folder {path.parent} (SQLite writes a journal beside it)"
    )


def _check_location(path: Path) -> None:
    """Say what is wrong with a database path before SQLite answers "unable to open"."""
    if path.is_dir():
        raise StorageError(
            f"{path}: is a folder; set [database] path to a file, for example "
            f"{path / 'msbot.sqlite3'}"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(
            f"{path}: cannot create the folder {path.parent}: {exc.strerror}; "
            "set [database] path to a file in a folder the bot may write to"
        ) from None
    if path.exists():
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            raise StorageError(_read_only(path))
    elif not os.access(path.parent, os.W_OK):
        raise StorageError(
            f"{path}: cannot create the database: the folder {path.parent} is not writable; "
            "give the bot's user write access to it or choose another [database] path"
        )


def _statements(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
