"""From what is pending to one digest message: stored items plus this fetch's changes.

The same composition serves the run and the preview, so what an admin previews is what
members would be shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.digest.model import Tracked
from bot.digest.render import Digest, render_digest
from bot.digest.sources.base import Source
from bot.digest.store import DigestStore
from bot.digest.tracking import choose


@dataclass(frozen=True)
class Composed:
    """`digest` is None when nothing is new; `duplicates` share a DOI with something shown."""

    digest: Digest | None
    duplicates: list[Tracked]


async def compose(
    store: DigestStore,
    sources: Sequence[Source],
    changed: Sequence[Tracked],
    *,
    when: datetime,
    zone: ZoneInfo,
    max_items: int,
) -> Composed:
    ids = [source.id for source in sources]
    pending = {(t.item.source, t.item.key): t for t in await store.pending(ids)}
    for tracked in changed:
        pending[(tracked.item.source, tracked.item.key)] = tracked
    candidates = [t for t in pending.values() if t.pending and t.item.source in ids]
    shown = await store.shown_dois({t.item.doi for t in candidates if t.item.doi})
    choice = choose(candidates, shown, {source_id: n for n, source_id in enumerate(ids)})
    if not choice.chosen:
        return Composed(None, choice.duplicates)
    digest = render_digest(
        choice,
        [source.group for source in sources],
        when=when,
        zone=zone,
        max_items=max_items,
    )
    return Composed(digest, choice.duplicates)
