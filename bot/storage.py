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
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
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


# The features whose `schema/NNN_name.sql` files make up the database, in the order their
# files of one version run. A new feature adds its package here and its own schema folder.
FEATURES = ("bot.moderation", "bot.digest", "bot.faq", "bot.trials")


def gather_migrations(features: Sequence[str] = FEATURES) -> tuple[Migration, ...]:
    """Every feature's schema files, merged by version: files of one version (say the initial
    schema of each feature) run together, as one migration."""
    by_version: dict[int, list[tuple[str, str]]] = {}
    for package in features:
        folder = resources.files(package) / "schema"
        if not folder.is_dir():
            continue
        for file in sorted(folder.iterdir(), key=lambda f: f.name):
            match = _SCHEMA_FILE.fullmatch(file.name)
            if match is None:
                continue
            name = match["name"].replace("_", " ")
            by_version.setdefault(int(match["version"]), []).append((name, file.read_text()))
    return tuple(
        Migration(
            version, "; ".join(dict.fromkeys(n for n, _ in parts)), "\n".join(s for _, s in parts)
        )
        for version, parts in sorted(by_version.items())
    )


_SCHEMA_FILE = re.compile(r"(?P<version>\d{3})_(?P<name>[a-z0-9_]+)\.sql")
MIGRATIONS = gather_migrations()


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
