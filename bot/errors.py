"""Errors a person can act on.

Anything raised as a `UserError` reaches the terminal as one line and an exit status, never as
a traceback: the reader is an admin who needs to know what to fix, not where Python was.
"""

from __future__ import annotations


class UserError(Exception):
    """An expected failure with a message that says what to do; `exit_code` for the CLI."""

    exit_code = 1


class ConfigError(UserError):
    """A missing or invalid setting."""

    exit_code = 2


class StorageError(UserError):
    """The database cannot be used as it is (newer schema, unreadable file)."""

    exit_code = 2


class StartupError(UserError):
    """The bot cannot connect as configured: no token, a rejected token, a refused intent."""

    exit_code = 2
