"""What every research source is to the digest: a name, a heading, and one way to fetch.

The digest asks each source for what appeared in a window of days and never looks inside:
adding a source is a module with a class that fits `Source` plus a line in the registry
(`bot/digest/sources/__init__.py`), not another branch in the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from bot.digest.model import Item
from bot.digest.render import Group


@dataclass(frozen=True)
class Window:
    """What to ask for: items that became news from `since` to `until` (inclusive).

    `etag` and `last_modified` come from the source's last good answer, for sources that
    can ask "only if changed" (feeds); None when the question must be asked in full.
    """

    since: date
    until: date
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Fetched:
    """A good answer: its items, and what to send back next time to ask "only if changed"."""

    items: list[Item]
    etag: str | None = None
    last_modified: str | None = None


class Source(Protocol):
    @property
    def id(self) -> str:
        """Stable key of the source in the database (items, health)."""
        ...

    @property
    def name(self) -> str:
        """How moderators and `/digest status` call it."""
        ...

    @property
    def group(self) -> Group:
        """Its card in the digest: heading, "see all" link, colour."""
        ...

    async def fetch(self, window: Window) -> Fetched:
        """Raise `FetchError` (one line a moderator can read) when the source cannot be read."""
        ...
