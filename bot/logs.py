"""Structured logging: `time level logger: event key=value`.

Flagged messages carry health information, so nothing logs message text at INFO; what is
logged is ids and outcomes, which is also what an admin needs to follow an incident.
"""

from __future__ import annotations

import logging
import sys

# Attribute names of every LogRecord: an `extra=` key among them makes `Logger.makeRecord`
# raise KeyError, so the log call itself fails (tests/test_logs.py checks every call site).
RESERVED = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}

# Third-party loggers whose DEBUG lines carry what members wrote: discord.py logs gateway
# payloads and request bodies, aiosqlite logs each statement with its parameters (excerpts,
# `/ask` text). They stay at INFO or above whatever `[logging] level` says.
MEMBER_TEXT_LOGGERS = ("discord", "aiosqlite")
QUIET_LOGGERS = ("apscheduler",)


class KeyValueFormatter(logging.Formatter):
    """Adds the `extra={...}` fields of a record as key=value pairs after the message."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extras = {k: v for k, v in record.__dict__.items() if k not in RESERVED}
        if extras:
            line += " " + " ".join(f"{k}={v!r}" for k, v in sorted(extras.items()))
        return line


class _BotHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler `setup_logging` installs; marked so a second call replaces only it."""


def setup_logging(level: str = "INFO") -> None:
    """Configure the root logger as `bot.py run` does; safe to call again (tests do).

    Handlers someone else added (pytest's, a test's collector) are left in place.
    """
    handler = _BotHandler(sys.stderr)
    handler.setFormatter(
        KeyValueFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%dT%H:%M:%S")
    )
    root = logging.getLogger()
    root.handlers[:] = [h for h in root.handlers if not isinstance(h, _BotHandler)] + [handler]
    root.setLevel(level)
    floor = max(logging.getLevelName(level), logging.INFO)
    for name in MEMBER_TEXT_LOGGERS:
        logging.getLogger(name).setLevel(floor)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
