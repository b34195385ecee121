"""Logging: no call site can crash on a reserved name, and no member text reaches the log."""

from __future__ import annotations

import ast
import logging
from pathlib import Path

import pytest

from bot.logs import RESERVED, setup_logging

BOT = Path(__file__).resolve().parents[1] / "bot"
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "log"}


def _log_calls_with_extra() -> list[tuple[str, ast.Call, ast.expr]]:
    found = []
    for path in sorted(BOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in LOG_METHODS:
                continue
            for keyword in node.keywords:
                if keyword.arg == "extra":
                    where = f"{path.relative_to(BOT.parent)}:{node.lineno}"
                    found.append((where, node, keyword.value))
    return found


def test_the_scan_sees_the_bots_log_calls() -> None:
    assert len(_log_calls_with_extra()) >= 10


def test_no_log_call_passes_a_reserved_logrecord_name_in_extra() -> None:
    problems = []
    for where, _call, value in _log_calls_with_extra():
        if not isinstance(value, ast.Dict) or not all(
            isinstance(k, ast.Constant) and isinstance(k.value, str) for k in value.keys
        ):
            problems.append(f"{where}: extra= must be a dict literal with string keys")
            continue
        for key in value.keys:
            assert isinstance(key, ast.Constant)
            if key.value in RESERVED:
                problems.append(f"{where}: extra key {key.value!r} is a LogRecord attribute")
    assert problems == []


def test_reserved_names_are_the_ones_logging_refuses() -> None:
    logger = logging.getLogger("tests.reserved")
    for name in ("created", "message", "module", "args"):
        assert name in RESERVED
        with pytest.raises(KeyError):
            logger.makeRecord("x", logging.INFO, "f", 1, "m", (), None, extra={name: 1})


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    levels = {n: logging.getLogger(n).level for n in ("discord", "aiosqlite", "apscheduler")}
    yield
    root.handlers[:], level = saved
    root.setLevel(level)
    for name, value in levels.items():
        logging.getLogger(name).setLevel(value)


async def test_at_debug_aiosqlite_does_not_log_what_a_member_wrote(
    tmp_path: Path, restore_logging: None, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.storage import Database

    setup_logging("DEBUG")
    assert logging.getLogger("bot").isEnabledFor(logging.DEBUG)
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        await db.fetchone("SELECT ? AS said", ("my private relapse story",))
    finally:
        await db.close()
    assert caplog.records, "DEBUG logging should have produced some records"
    assert not [r for r in caplog.records if "private relapse" in r.getMessage()]


def test_setup_logging_keeps_handlers_it_did_not_install(restore_logging: None) -> None:
    collector = logging.Handler()
    logging.getLogger().addHandler(collector)
    setup_logging("INFO")
    setup_logging("WARNING")
    root = logging.getLogger()
    assert collector in root.handlers
    assert sum(type(h).__name__ == "_BotHandler" for h in root.handlers) == 1
    assert root.level == logging.WARNING
