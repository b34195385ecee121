"""`python bot.py flags export` and `flags stats` through `bot.cli.main`, as an admin runs them.

The export writes one JSON line per moderator decision. Message text is there only when the
server opted in (`[moderation] keep_text_for_training`), only for messages still present, and
it is stored only under the opt-in in the first place; it goes with a deletion, the retention
purge and `flags purge --user`, and is never logged.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.moderation.service import ModerationService
from bot.settings import load_settings
from bot.storage import Database
from tests.moderation.conftest import message

ADVICE = "should I stop my ocrevus before my HSCT assessment?"
CRISIS = "I want to die"
DISMISSED = "should I take vitamin D with my Tysabri?"
GOODBYE = "logging off for good after today, it was nice knowing some of you"
OPEN = "should I stop my Kesimpta?"
MOD = 501


def config(tmp_path: Path, keep_text: bool) -> str:
    path = tmp_path / "settings.toml"
    path.write_text(
        f'[database]\npath = "{(tmp_path / "bot.sqlite3").as_posix()}"\n'
        f"[moderation]\nkeep_text_for_training = {str(keep_text).lower()}\n"
        # The rules alone, so the detector's verdicts here do not move with a refitted model.
        "[models]\nenabled = false\n"
    )
    return str(path)


def seed(config_path: str) -> None:
    """Advice resolved, a crisis resolved then deleted by its author, advice dismissed, a
    report of a message the detector let through resolved as crisis, one flag still open."""

    async def run() -> None:
        settings = load_settings(Path(config_path))
        db = await Database.open(settings.database.path)
        try:
            svc = await ModerationService.create(settings, db)
            advice = await svc.handle_message(message(ADVICE, message_id=1, author_id=77))
            crisis = await svc.handle_message(message(CRISIS, message_id=2, author_id=88))
            dismissed = await svc.handle_message(message(DISMISSED, message_id=3, author_id=89))
            quiet = await svc.handle_message(message(GOODBYE, message_id=4, author_id=90))
            assert quiet.flag is None  # the detector let the goodbye through
            report = await svc.report(message(GOODBYE, message_id=4, author_id=90), 77)
            await svc.handle_message(message(OPEN, message_id=5, author_id=91))
            await svc.close()
            assert advice.flag and crisis.flag and dismissed.flag and report.flag
            assert dismissed.flag.category == "advice"
            for flag_id, action, category in (
                (advice.flag.id, "resolve", None),
                (crisis.flag.id, "resolve", None),
                (dismissed.flag.id, "dismiss", None),
                (report.flag.id, "resolve", "crisis"),
            ):
                result = await svc.act(flag_id, action, MOD, category=category)  # type: ignore[arg-type]
                assert result.ok, result.message
            await svc.handle_delete(2)
        finally:
            await db.close()

    asyncio.run(run())


def export(cfg: str, tmp_path: Path, *extra: str) -> list[dict[str, object]]:
    out = tmp_path / "decisions.jsonl"
    assert main(["--config", cfg, "flags", "export", "--out", str(out), *extra]) == 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


async def stored_texts(db_path: Path) -> list[str]:
    db = await Database.open(db_path)
    try:
        rows = await db.fetchall("SELECT training_text FROM flags WHERE training_text IS NOT NULL")
        return [r["training_text"] for r in rows]
    finally:
        await db.close()


def test_export_without_the_opt_in_has_labels_and_no_text(tmp_path: Path, capsys) -> None:
    cfg = config(tmp_path, keep_text=False)
    seed(cfg)
    assert asyncio.run(stored_texts(tmp_path / "bot.sqlite3")) == []  # never stored
    rows = export(cfg, tmp_path)
    assert "exported 4 decision(s)" in capsys.readouterr().err
    summary = [
        (r["message_id"], r["detector_category"], r["outcome"], r["label"], r["text"]) for r in rows
    ]
    assert summary == [
        (1, "advice", "confirmed", "advice", None),
        (2, "crisis", "confirmed", "crisis", None),
        (3, "advice", "false_positive", "none", None),
        (4, "none", "missed", "crisis", None),
    ]
    assert set(rows[0]) == {
        "flag_id",
        "guild_id",
        "channel_id",
        "message_id",
        "origin",
        "flag_category",
        "detector_category",
        "detector_reasons",
        "detector_score",
        "outcome",
        "label",
        "created_at",
        "closed_at",
        "text",
    }
    assert rows[3]["flag_category"] == "member-report"
    assert rows[0]["detector_reasons"]  # the rules' own words, for whoever retrains


def test_export_with_the_opt_in_has_text_only_for_messages_still_present(
    tmp_path: Path, capsys, caplog: pytest.LogCaptureFixture
) -> None:
    cfg = config(tmp_path, keep_text=True)
    with caplog.at_level(logging.INFO):
        seed(cfg)
        rows = export(cfg, tmp_path)
    texts = {r["message_id"]: r["text"] for r in rows}
    assert texts == {1: ADVICE, 2: None, 3: DISMISSED, 4: GOODBYE}  # 2 was deleted
    logged = "\n".join(f"{r.getMessage()} {vars(r)}" for r in caplog.records)
    assert "flag raised" in logged  # the log was captured, so its silence on text means something
    assert not any(t in logged for t in (ADVICE, DISMISSED, GOODBYE, OPEN))
    assert "with message text" in capsys.readouterr().err

    since = export(cfg, tmp_path, "--since", "2999-01-01")
    assert since == []

    # The member asks for their data to go: their kept text goes with their flags.
    assert main(["--config", cfg, "flags", "purge", "--user", "90"]) == 0
    assert GOODBYE not in asyncio.run(stored_texts(tmp_path / "bot.sqlite3"))
    assert [r["message_id"] for r in export(cfg, tmp_path)] == [1, 2, 3]


def test_retention_purge_takes_kept_text_and_turning_the_opt_in_off_takes_it_all(
    tmp_path: Path,
) -> None:
    cfg = config(tmp_path, keep_text=True)
    seed(cfg)

    async def purge(keep: bool, days_later: int) -> None:
        settings = load_settings(Path(config(tmp_path, keep_text=keep)))
        db = await Database.open(settings.database.path)
        try:
            svc = await ModerationService.create(settings, db)
            await svc.purge_expired(datetime.now(UTC) + timedelta(days=days_later))
        finally:
            await db.close()

    db_path = tmp_path / "bot.sqlite3"
    assert sorted(asyncio.run(stored_texts(db_path))) == sorted([ADVICE, DISMISSED, GOODBYE, OPEN])
    asyncio.run(purge(True, 31))  # closed flags are past retention; the open one keeps its text
    assert asyncio.run(stored_texts(db_path)) == [OPEN]
    asyncio.run(purge(False, 0))
    assert asyncio.run(stored_texts(db_path)) == []


def test_stats_table_and_json(tmp_path: Path, capsys) -> None:
    cfg = config(tmp_path, keep_text=False)
    seed(cfg)
    assert main(["--config", cfg, "flags", "stats", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert list(found) == ["last_7_days", "last_30_days"]
    week = found["last_7_days"]
    assert week["advice"] == {
        "flagged": 3,
        "confirmed": 1,
        "dismissed": 1,
        "missed": 0,
        "precision": 0.5,
    }
    assert week["crisis"] == {
        "flagged": 1,
        "confirmed": 1,
        "dismissed": 0,
        "missed": 1,
        "precision": 1.0,
    }
    assert week["promotion"]["precision"] is None
    assert week["member-report"]["flagged"] == 1 and week["member-report"]["missed"] is None

    assert main(["--config", cfg, "flags", "stats", "--days", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("last 1 days")
    promotion = next(line for line in out.splitlines() if line.startswith("promotion"))
    assert promotion.split() == ["promotion", "0", "0", "0", "0", "—"]

    assert main(["--config", cfg, "flags", "stats", "--days", "0"]) == 1
    assert "--days must be at least 1" in capsys.readouterr().err


def test_export_since_must_be_a_date(tmp_path: Path, capsys) -> None:
    cfg = config(tmp_path, keep_text=False)
    with pytest.raises(SystemExit) as exit_:
        main(["--config", cfg, "flags", "export", "--since", "last tuesday"])
    assert exit_.value.code == 2
    assert "'last tuesday' is not a date like 2026-01-31" in capsys.readouterr().err
