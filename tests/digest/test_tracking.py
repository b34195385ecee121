"""What counts as news: first-run baseline, updates, old items, one DOI one paper."""

from __future__ import annotations

from datetime import date, timedelta

from bot.digest.model import CLINICALTRIALS, PUBMED, Item, Tracked
from bot.digest.tracking import apply_fetch, choose

TODAY = date(2026, 3, 2)
CUTOFF = TODAY - timedelta(days=14)
NOW = "2026-03-02T09:00:00+00:00"


def paper(
    key: str, *, days_ago: int | None = 1, doi: str | None = None, source: str = PUBMED
) -> Item:
    when = TODAY - timedelta(days=days_ago) if days_ago is not None else None
    return Item(source, key, f"Paper {key}", f"https://x/{key}", doi=doi, news_date=when)


def trial(key: str, *, updated: int = 1, registered: int = 400) -> Item:
    day = TODAY - timedelta(days=updated)
    return Item(
        CLINICALTRIALS,
        key,
        f"Trial {key}",
        f"https://t/{key}",
        version=day.isoformat(),
        news_date=day,
        first_posted=TODAY - timedelta(days=registered),
    )


def test_first_run_keeps_only_recent_dated_items_pending() -> None:
    items = [paper("new"), paper("old", days_ago=30), paper("undated", days_ago=None)]
    changed = apply_fetch({}, items, cutoff=CUTOFF, first_run=True, now=NOW)
    pending = {t.item.key for t in changed if t.pending}
    assert pending == {"new"}
    assert len(changed) == 3, "old and undated items are remembered, so they never come later"


def test_later_runs_post_new_undated_items_but_not_old_ones() -> None:
    items = [paper("undated", days_ago=None), paper("archive", days_ago=60)]
    changed = apply_fetch({}, items, cutoff=CUTOFF, first_run=False, now=NOW)
    assert {t.item.key: t.pending for t in changed} == {"undated": True, "archive": False}


def test_unchanged_items_are_not_touched_and_changed_trials_are_updates() -> None:
    posted = Tracked(
        trial("NCT1", updated=10), NOW, posted_version=trial("NCT1", updated=10).version
    )
    same = apply_fetch(
        {"NCT1": posted}, [trial("NCT1", updated=10)], cutoff=CUTOFF, first_run=False, now=NOW
    )
    assert same == []
    [changed] = apply_fetch(
        {"NCT1": posted}, [trial("NCT1", updated=1)], cutoff=CUTOFF, first_run=False, now=NOW
    )
    assert changed.pending and changed.is_update
    assert changed.first_seen == NOW


def test_a_trial_never_seen_but_registered_long_ago_is_an_update_not_new() -> None:
    [old] = apply_fetch({}, [trial("NCT2", registered=700)], cutoff=CUTOFF, first_run=True, now=NOW)
    [new] = apply_fetch({}, [trial("NCT3", registered=3)], cutoff=CUTOFF, first_run=True, now=NOW)
    assert old.pending and old.is_update
    assert new.pending and not new.is_update


def test_one_doi_is_one_paper_across_sources_and_over_time() -> None:
    pending = [
        Tracked(paper("feed-1", doi="10.1/a", source="feed:News"), NOW),
        Tracked(paper("111", doi="10.1/a"), NOW),
        Tracked(paper("222", doi="10.1/b"), NOW),
        Tracked(paper("feed-2", doi="10.1/old", source="feed:News"), NOW),
        Tracked(paper("333"), NOW),
    ]
    order = {PUBMED: 0, "feed:News": 1}
    choice = choose(pending, {"10.1/old"}, order)
    assert [t.item.key for t in choice.chosen] == ["111", "222", "333"]
    assert sorted(t.item.key for t in choice.duplicates) == ["feed-1", "feed-2"]


def test_choose_orders_by_source_then_newest_first() -> None:
    pending = [
        Tracked(paper("a", days_ago=5, source="feed:News"), NOW),
        Tracked(paper("b", days_ago=3), NOW),
        Tracked(paper("c", days_ago=1), NOW),
    ]
    choice = choose(pending, set(), {PUBMED: 0, "feed:News": 1})
    assert [t.item.key for t in choice.chosen] == ["c", "b", "a"]
