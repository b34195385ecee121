"""The flag store: one open flag per message, atomic transitions, an append-only audit trail,
and the privacy duties (excerpts deleted with the message, expired, a member purged)."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.moderation.lifecycle import Refusal
from bot.moderation.model import Flag
from bot.moderation.store import FlagStore, clip_excerpt
from bot.storage import Database
from tests.moderation.conftest import Clock

MESSAGE = {"guild_id": 1, "channel_id": 2, "message_id": 300, "author_id": 77}


async def detect(store: FlagStore, **overrides: Any) -> tuple[Flag | None, str]:
    fields: dict[str, Any] = {
        **MESSAGE,
        "category": "advice",
        "score": 0.8,
        "reasons": ("asks whether to start, stop, switch or take a treatment",),
        "excerpt": "should I stop my ocrevus?",
    }
    fields.update(overrides)
    return await store.record_detection(**fields)


@pytest.fixture
def store(db: Database, clock: Clock) -> FlagStore:
    return FlagStore(db, clock)


async def test_a_detection_creates_one_flag_and_an_audit_row(store: FlagStore) -> None:
    flag, change = await detect(store)
    assert change == "created" and flag is not None
    assert (flag.state, flag.category, flag.excerpt) == (
        "open",
        "advice",
        "should I stop my ocrevus?",
    )
    [event] = await store.events(flag.id)
    assert (event.action, event.actor_id, event.from_state, event.to_state) == (
        "created",
        None,
        None,
        "open",
    )


async def test_an_edit_updates_the_same_flag(store: FlagStore) -> None:
    first, _ = await detect(store)
    again, change = await detect(store)
    assert change == "unchanged" and again == first
    edited, change = await detect(
        store, category="crisis", score=0.95, reasons=("mentions wanting to die",), excerpt="x"
    )
    assert change == "updated" and edited is not None and first is not None
    assert edited.id == first.id and edited.category == "crisis" and edited.excerpt == "x"
    assert [f.id for f in await store.list_flags()] == [first.id]
    actions = [e.action for e in await store.events(first.id)]
    assert actions == ["created", "edited"]


async def test_the_database_refuses_a_second_open_flag_for_a_message(db: Database) -> None:
    store = FlagStore(db)
    await detect(store)
    with pytest.raises(sqlite3.IntegrityError):
        await db.execute(
            "INSERT INTO flags (guild_id, channel_id, message_id, author_id, category, score, "
            "state, created_at, updated_at) VALUES (1, 2, 300, 77, 'advice', 1, 'open', 'a', 'a')"
        )


async def test_claim_then_resolve_moves_state_and_writes_audit(store: FlagStore) -> None:
    flag, _ = await detect(store)
    assert flag is not None
    claimed = await store.apply(flag.id, "claim", 501)
    assert isinstance(claimed, Flag) and claimed.state == "claimed" and claimed.claimed_by == 501
    resolved = await store.apply(flag.id, "resolve", 501, "talked to them in DMs")
    assert isinstance(resolved, Flag)
    assert resolved.state == "resolved" and resolved.closed_at and resolved.closed_by == 501
    events = [
        (e.actor_id, e.action, e.from_state, e.to_state, e.note)
        for e in await store.events(flag.id)
    ]
    assert events[1:] == [
        (501, "claim", "open", "claimed", None),
        (501, "resolve", "claimed", "resolved", "talked to them in DMs"),
    ]
    assert isinstance(await store.apply(flag.id, "dismiss", 502), Refusal)


async def test_notes_keep_the_state(store: FlagStore) -> None:
    flag, _ = await detect(store)
    assert flag is not None
    noted = await store.apply(flag.id, "note", 9, "first")
    noted = await store.apply(flag.id, "note", 9, "second")
    assert isinstance(noted, Flag)
    assert noted.state == "open" and noted.note_count == 2 and noted.last_note == "second"


async def test_two_concurrent_claims_exactly_one_wins(store: FlagStore) -> None:
    flag, _ = await detect(store)
    assert flag is not None
    results = await asyncio.gather(*(store.apply(flag.id, "claim", m) for m in (11, 12, 13)))
    winners = [r for r in results if isinstance(r, Flag)]
    assert len(winners) == 1
    assert sum(isinstance(r, Refusal) for r in results) == 2
    current = await store.get(flag.id)
    assert current is not None and current.claimed_by == winners[0].claimed_by
    claims = [e for e in await store.events(flag.id) if e.action == "claim"]
    assert len(claims) == 1


async def test_claims_from_two_processes_exactly_one_wins(tmp_path: Path) -> None:
    """Two connections to one file, as two bot processes would have: SQLite referees."""
    path = tmp_path / "shared.sqlite3"
    one, two = await Database.open(path), await Database.open(path)
    try:
        flag, _ = await detect(FlagStore(one))
        assert flag is not None
        results = await asyncio.gather(
            FlagStore(one).apply(flag.id, "claim", 21), FlagStore(two).apply(flag.id, "claim", 22)
        )
        assert sorted(type(r).__name__ for r in results) == ["Flag", "Refusal"]
        rows = await one.fetchall(
            "SELECT actor_id FROM flag_events WHERE flag_id = ? AND action = 'claim'", (flag.id,)
        )
        assert len(rows) == 1
    finally:
        await one.close()
        await two.close()


async def test_audit_rows_cannot_be_rewritten(store: FlagStore, db: Database) -> None:
    flag, _ = await detect(store)
    assert flag is not None
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        await db.execute("UPDATE flag_events SET actor_id = 1 WHERE flag_id = ?", (flag.id,))


async def test_reports_join_the_open_flag(store: FlagStore) -> None:
    flag, created, new = await store.report(**MESSAGE, reporter_id=5, excerpt="buy my cells")
    assert created and new and flag.category == "member-report" and flag.reporters == (5,)
    again, created, new = await store.report(**MESSAGE, reporter_id=6, excerpt="buy my cells")
    assert again.id == flag.id and not created and new and again.reporters == (5, 6)
    assert "reported by 2 members" in again.reasons
    repeat, _, new = await store.report(**MESSAGE, reporter_id=6, excerpt="buy my cells")
    assert not new and repeat.reporters == (5, 6)
    actions = [(e.action, e.actor_id) for e in await store.events(flag.id)]
    assert actions == [("created", 5), ("reported", 6)]


async def test_a_report_of_a_detected_message_joins_its_flag(store: FlagStore) -> None:
    flag, _ = await detect(store)
    joined, created, _ = await store.report(**MESSAGE, reporter_id=5, excerpt="x")
    assert flag is not None and joined.id == flag.id and not created
    assert joined.category == "advice" and joined.reporters == (5,)


async def test_deleting_the_message_deletes_the_excerpt(store: FlagStore) -> None:
    flag, _ = await detect(store)
    [gone] = await store.remove_excerpts_of_message(MESSAGE["message_id"])
    assert flag is not None and gone.id == flag.id
    assert gone.excerpt is None and gone.excerpt_removed == "deleted"
    assert await store.remove_excerpts_of_message(MESSAGE["message_id"]) == []
    row = await store.db.fetchone("SELECT excerpt FROM flags WHERE id = ?", (flag.id,))
    assert row is not None and row["excerpt"] is None


async def test_purge_expired_clears_only_old_closed_flags(store: FlagStore, clock: Clock) -> None:
    old, _ = await detect(store, message_id=1)
    recent, _ = await detect(store, message_id=2)
    still_open, _ = await detect(store, message_id=3)
    assert old and recent and still_open
    await store.apply(old.id, "resolve", 9)
    clock.advance(days=20)
    await store.apply(recent.id, "dismiss", 9)
    clock.advance(days=15)
    purged = await store.purge_expired(clock() - timedelta(days=30))
    assert [f.id for f in purged] == [old.id]
    assert purged[0].excerpt is None and purged[0].excerpt_removed == "expired"
    assert (await store.get(recent.id)).excerpt is not None  # type: ignore[union-attr]
    assert (await store.get(still_open.id)).excerpt is not None  # type: ignore[union-attr]
    assert await store.purge_expired(clock() - timedelta(days=30)) == []


async def test_purge_user_removes_their_flags_and_reports(store: FlagStore, db: Database) -> None:
    theirs, _ = await detect(store, message_id=1, author_id=77)
    assert theirs is not None
    await store.set_review_post(theirs.id, 3000, 9999)
    other, _, _ = await store.report(
        guild_id=1, channel_id=2, message_id=2, author_id=88, reporter_id=77, excerpt="x"
    )
    await store.report(
        guild_id=1, channel_id=2, message_id=2, author_id=88, reporter_id=66, excerpt="x"
    )
    result = await store.purge_user(77)
    assert (result.flags_deleted, result.reports_removed) == (1, 1)
    assert result.review_posts == ((1, 3000, 9999),)
    assert await store.get(theirs.id) is None
    left = await store.get(other.id)
    assert left is not None and left.reporters == (66,)
    rows = await db.fetchall("SELECT * FROM flag_events WHERE flag_id = ?", (theirs.id,))
    assert rows == []


async def test_crisis_reply_ids_are_taken_once_and_go_with_their_flag(
    store: FlagStore, db: Database, clock: Clock
) -> None:
    taken, _ = await detect(store, message_id=1, category="crisis")
    purged, _ = await detect(store, message_id=2, category="crisis", author_id=55)
    expired, _ = await detect(store, message_id=3, category="crisis")
    assert taken and purged and expired
    for flag in (taken, purged, expired):
        await store.remember_crisis_replies(flag.id, [(2, 9000 + flag.id), (40, 8000 + flag.id)])
    first = await store.take_crisis_replies(taken.id)
    assert first == [(2, 9000 + taken.id), (40, 8000 + taken.id)]
    assert await store.take_crisis_replies(taken.id) == []  # whoever took them edits them
    await store.purge_user(55)
    await store.apply(expired.id, "resolve", 9)
    clock.advance(days=31)
    await store.purge_expired(clock() - timedelta(days=30))
    assert await db.fetchall("SELECT * FROM crisis_replies") == []


def test_excerpts_are_at_most_200_characters() -> None:
    long = "word " * 100
    clipped = clip_excerpt(long)
    assert clipped is not None and len(clipped) == 200 and clipped.endswith("…")
    assert clip_excerpt("  two\n\nlines ") == "two lines"
    assert clip_excerpt("   ") is None
