"""Storage: forward-only idempotent migrations, newer databases refused, backups restore."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.errors import StorageError
from bot.storage import MIGRATIONS, Database, Migration


async def test_migrates_an_empty_database(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        assert await db.schema_version() == max(m.version for m in MIGRATIONS)
        tables = {
            r["name"]
            for r in await db.fetchall("SELECT name FROM sqlite_master WHERE type='table'")
        }
        assert {
            "flags",
            "flag_events",
            "digest_items",
            "digest_runs",
            "faq_queries",
            "faq_feedback",
        } <= tables
        mode = await db.fetchone("PRAGMA journal_mode")
        assert mode[0] == "wal"
        fk = await db.fetchone("PRAGMA foreign_keys")
        assert fk[0] == 1
    finally:
        await db.close()


async def test_rerunning_migrations_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    await db.execute("INSERT INTO faq_feedback VALUES ('what-are-mscs', 1, 1, 'now')")
    assert await db.migrate() == []
    await db.close()
    db = await Database.open(path)
    try:
        assert await db.migrate() == []
        rows = await db.fetchall("SELECT * FROM faq_feedback")
        assert len(rows) == 1
        applied = await db.fetchall("SELECT version FROM schema_migrations")
        assert [r["version"] for r in applied] == [m.version for m in MIGRATIONS]
    finally:
        await db.close()


async def test_new_migration_is_applied_once(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    await (await Database.open(path)).close()
    extra = (*MIGRATIONS, Migration(99, "test column", "ALTER TABLE flags ADD COLUMN extra TEXT;"))
    db = await Database.open(path, migrations=extra)
    try:
        assert await db.schema_version() == 99
        assert await db.migrate(extra) == []
    finally:
        await db.close()


async def test_database_from_a_newer_bot_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    await (await Database.open(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (500, 'future', 'later')")
    with pytest.raises(StorageError, match="schema version 500, newer than this bot knows"):
        await Database.open(path)


async def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    path.write_bytes(b"this is a text file, not sqlite" * 100)
    with pytest.raises(StorageError, match="not a usable SQLite database"):
        await Database.open(path)


async def test_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        with pytest.raises(RuntimeError):
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO faq_feedback VALUES ('x', 1, 1, 'now')")
                raise RuntimeError("crash mid-write")
        assert await db.fetchall("SELECT * FROM faq_feedback") == []
    finally:
        await db.close()


async def test_flag_events_are_append_only(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        flag = await db.execute(
            "INSERT INTO flags (guild_id, channel_id, message_id, author_id, category, score,"
            " state, created_at, updated_at)"
            " VALUES (1, 2, 3, 4, 'advice', 0.9, 'open', 'now', 'now')"
        )
        await db.execute(
            "INSERT INTO flag_events (flag_id, action, at) VALUES (?, 'created', 'now')", (flag,)
        )
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            await db.execute("UPDATE flag_events SET action = 'edited'")
        await db.execute(
            "INSERT INTO flag_events (flag_id, actor_id, action, at) VALUES (?, 77, 'claim', 'x')",
            (flag,),
        )
        # A purge may only turn a member's id into the tombstone 0, changing nothing else.
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            await db.execute("UPDATE flag_events SET actor_id = 0, note = 'x' WHERE actor_id = 77")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            await db.execute("UPDATE flag_events SET actor_id = 78 WHERE actor_id = 77")
        await db.execute("UPDATE flag_events SET actor_id = 0 WHERE actor_id = 77")
        assert await db.fetchone("SELECT 1 FROM flag_events WHERE actor_id = 77") is None
    finally:
        await db.close()


async def test_backup_restores(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "live.sqlite3")
    await db.execute("INSERT INTO faq_feedback VALUES ('hsct', 7, 0, 'now')")
    await db.backup(tmp_path / "copy.sqlite3")
    with pytest.raises(StorageError, match="already exists"):
        await db.backup(tmp_path / "copy.sqlite3")
    await db.close()
    restored = await Database.open(tmp_path / "copy.sqlite3")
    try:
        rows = await restored.fetchall("SELECT entry_id, user_id, helpful FROM faq_feedback")
        assert [tuple(r) for r in rows] == [("hsct", 7, 0)]
    finally:
        await restored.close()
