"""`python bot.py flags ...` through `bot.cli.main`, as an admin would run it."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.faq.store import FaqStore
from bot.moderation.service import ModerationService
from bot.settings import load_settings
from bot.storage import Database
from tests.moderation.conftest import message


def config(tmp_path: Path) -> str:
    path = tmp_path / "settings.toml"
    path.write_text(f'[database]\npath = "{(tmp_path / "bot.sqlite3").as_posix()}"\n')
    return str(path)


def seed(config_path: str) -> None:
    async def run() -> None:
        settings = load_settings(Path(config_path))
        db = await Database.open(settings.database.path)
        try:
            svc = await ModerationService.create(settings, db)
            first = await svc.handle_message(message("should I stop my ocrevus?", author_id=77))
            assert first.flag is not None
            await svc.store.set_review_post(first.flag.id, 3000, 4000)
            await svc.act(first.flag.id, "claim", 501)
            await svc.handle_message(message("I want to die", message_id=2, author_id=88))
            await svc.report(message("spam", message_id=3, author_id=99), reporter_id=77)
        finally:
            await db.close()

    asyncio.run(run())


def test_classify_json_one_object_per_line(monkeypatch, capsys) -> None:
    lines = "should I stop my Tysabri?\nthis heat is killing me\n\nI want to end my life\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(lines))
    assert main(["flags", "classify", "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["category"] for r in records] == ["advice", "none", "crisis"]
    assert records[0]["text"] == "should I stop my Tysabri?"
    assert set(records[0]) == {"text", "category", "score", "reasons"}
    assert 0 <= records[1]["score"] <= 1 and records[1]["reasons"] == []
    assert records[2]["reasons"] == ["mentions suicide or ending their life"]


def test_classify_plain_text(monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("what are MSCs?\n"))
    assert main(["flags", "classify"]) == 0
    assert capsys.readouterr().out.split() == ["none", "1.00", "what", "are", "MSCs?"]


def test_list_show_and_purge(tmp_path: Path, capsys) -> None:
    cfg = config(tmp_path)
    seed(cfg)
    assert main(["--config", cfg, "flags", "list"]) == 0
    out = capsys.readouterr().out
    assert out.index("#1") < out.index("#2") < out.index("#3")
    assert "claimed by 501" in out and "crisis" in out and "member-report" in out
    assert "ocrevus" not in out  # excerpts stay out of terminals

    assert main(["--config", cfg, "flags", "list", "--state", "claimed"]) == 0
    assert capsys.readouterr().out.count("#") == 1

    assert main(["--config", cfg, "flags", "show", "1"]) == 0
    out = capsys.readouterr().out
    assert "claim by 501 open->claimed" in out

    assert main(["--config", cfg, "flags", "purge", "--user", "77"]) == 0
    out = capsys.readouterr().out
    assert "deleted 1 flag(s), 1 report(s) they made and 0 FAQ vote(s)" in out
    assert "https://discord.com/channels/1000/3000/4000" in out
    assert main(["--config", cfg, "flags", "show", "1"]) == 1
    assert "there is no flag #1" in capsys.readouterr().err


MEMBER = 770000000000000077


async def _tables_naming(db_path: Path, user_id: int) -> set[str]:
    """Every table with a cell holding `user_id` (as a number or inside text), found by
    reading the whole schema, so a table added later is covered without editing this test."""
    db = await Database.open(db_path)
    try:
        tables = [
            r["name"]
            for r in await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        found = set()
        for table in tables:
            for row in await db.fetchall(f'SELECT * FROM "{table}"'):
                if any(v == user_id or str(user_id) in str(v) for v in tuple(row)):
                    found.add(table)
        return found
    finally:
        await db.close()


def test_purge_leaves_the_member_id_in_no_table(tmp_path: Path, capsys) -> None:
    cfg = config(tmp_path)
    db_path = tmp_path / "bot.sqlite3"

    async def seed_everywhere() -> None:
        settings = load_settings(Path(cfg))
        db = await Database.open(db_path)
        try:
            svc = await ModerationService.create(settings, db)
            own = await svc.handle_message(message("should I stop my ocrevus?", author_id=MEMBER))
            other = await svc.handle_message(message("I want to die", message_id=2, author_id=88))
            reported = await svc.report(message("spam", message_id=3, author_id=99), MEMBER)
            assert own.flag and other.flag and reported.flag
            await svc.act(other.flag.id, "claim", MEMBER, note="checking in")  # as a moderator
            await FaqStore(db).record_feedback("what-are-mscs", MEMBER, helpful=True)
        finally:
            await db.close()

    asyncio.run(seed_everywhere())
    before = asyncio.run(_tables_naming(db_path, MEMBER))
    assert {"flags", "flag_reporters", "flag_events", "faq_feedback"} <= before

    assert main(["--config", cfg, "flags", "purge", "--user", str(MEMBER)]) == 0
    assert "1 FAQ vote(s)" in capsys.readouterr().out
    assert asyncio.run(_tables_naming(db_path, MEMBER)) == set()

    for flag_id in (2, 3):  # other members' flags keep their audit trail, without the id
        assert main(["--config", cfg, "flags", "show", str(flag_id)]) == 0
        out = capsys.readouterr().out
        assert str(MEMBER) not in out and "a removed member" in out


def test_list_rejects_an_unknown_state(tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--config", config(tmp_path), "flags", "list", "--state", "closed"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
