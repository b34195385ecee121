"""What is news: the rules that keep a digest from repeating itself or flooding the channel.

Pure functions over `Tracked` items, so the run and the preview share them exactly and the
tests can state them one by one:

- an item's key is stable within its source; nothing is posted twice in the same version;
- a source's first fetch (no success recorded yet) posts nothing older than `lookback_days`
  and nothing undated: that is the baseline, remembered as already shown;
- after that, anything dated more than `lookback_days` before the last good fetch is old
  news (a feed that re-lists its archive under new ids does not flood the channel);
- a changed trial is an update; a trial we never saw whose registration is older than the
  window is an update too (`posted_version = ""`: it existed before in a version unknown to
  us), so members are not told an old trial is new;
- across sources, one DOI is one paper: the first source in order shows it, the others are
  covered silently, and a DOI already shown or baselined is never shown again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from bot.digest.model import Item, Tracked


def apply_fetch(
    known: Mapping[str, Tracked],
    items: Iterable[Item],
    *,
    cutoff: date,
    first_run: bool,
    now: str,
) -> list[Tracked]:
    """The rows a fetch creates or changes (unchanged items are left out)."""
    changed: list[Tracked] = []
    for item in items:
        old = known.get(item.key)
        if old is None:
            changed.append(_new(item, cutoff=cutoff, first_run=first_run, now=now))
        elif old.item != item:
            changed.append(replace(old, item=item))
    return changed


def _new(item: Item, *, cutoff: date, first_run: bool, now: str) -> Tracked:
    if item.news_date is None:
        old_news = first_run
    else:
        old_news = item.news_date < cutoff
    if old_news:
        return Tracked(item, first_seen=now, posted_version=item.version)
    if item.version and item.first_posted is not None and item.first_posted < cutoff:
        return Tracked(item, first_seen=now, posted_version="")
    return Tracked(item, first_seen=now)


@dataclass(frozen=True)
class Choice:
    """`chosen` go into the digest; `duplicates` share a DOI with something shown."""

    chosen: list[Tracked]
    duplicates: list[Tracked]


def choose(
    pending: Iterable[Tracked], seen_dois: Iterable[str], source_order: Mapping[str, int]
) -> Choice:
    """Order by source then newest first, and keep one item per DOI."""
    seen = set(seen_dois)
    last = len(source_order)
    ordered = sorted(
        (t for t in pending if t.pending),
        key=lambda t: (
            source_order.get(t.item.source, last),
            -(t.item.news_date.toordinal() if t.item.news_date else 0),
            t.item.title.lower(),
            t.item.key,
        ),
    )
    chosen, duplicates = [], []
    for tracked in ordered:
        doi = tracked.item.doi
        if doi and doi in seen:
            duplicates.append(tracked)
            continue
        if doi:
            seen.add(doi)
        chosen.append(tracked)
    return Choice(chosen, duplicates)
