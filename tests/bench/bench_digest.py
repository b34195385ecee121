"""Benchmark: parse, deduplicate and render 5,000 research items (target: under one second).

Run as `python tests/bench/bench_digest.py`. Builds recorded-style payloads (2,000 PubMed
summaries, 1,500 trials in pages of 100, 1,500 feed entries over three feeds, a fifth of the
papers sharing a DOI with a feed entry), then times the pure path a digest run takes once
the bytes have arrived: JSON/XML parsing into items, the news rules and DOI deduplication,
and rendering one message. Peak memory is measured with tracemalloc over the same path.
It also prints the evidence-label accuracy on the tuning and the held-out titles.
"""

from __future__ import annotations

import json
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.digest.evidence import classify_title  # noqa: E402
from bot.digest.model import CLINICALTRIALS, PUBMED, Evidence  # noqa: E402
from bot.digest.render import Group, render_digest  # noqa: E402
from bot.digest.sources import clinicaltrials, feeds, pubmed  # noqa: E402
from bot.digest.tracking import apply_fetch, choose  # noqa: E402
from tests.digest import payloads  # noqa: E402

TODAY = datetime.now(UTC).date()
PAPERS, TRIALS, FEED_ENTRIES, FEEDS = 2000, 1500, 1500, 3


def build_payloads() -> tuple[bytes, list[bytes], list[bytes]]:
    docs = [
        payloads.pubmed_doc(
            str(40000000 + n),
            f"Mesenchymal stem cells and remyelination in multiple sclerosis, study {n}",
            entrez=TODAY - timedelta(days=n % 10),
            pubtypes=("Journal Article", "Randomized Controlled Trial")
            if n % 7 == 0
            else ("Journal Article",),
            doi=f"10.1000/paper.{n}",
        )
        for n in range(PAPERS)
    ]
    summary = json.dumps(payloads.esummary(docs)).encode()
    studies = [
        payloads.study(
            f"NCT{n:08d}",
            f"Autologous haematopoietic stem cell transplantation in MS, site {n}",
            updated=TODAY - timedelta(days=n % 10),
            first_posted=TODAY - timedelta(days=n % 900),
            phases=("PHASE2",),
        )
        for n in range(TRIALS)
    ]
    pages = []
    for start in range(0, TRIALS, 100):
        page = {"studies": studies[start : start + 100], "nextPageToken": f"t{start}"}
        pages.append(json.dumps(page).encode())
    per_feed = FEED_ENTRIES // FEEDS
    documents = []
    for f in range(FEEDS):
        entries = []
        for m in range(per_feed):
            n = f * per_feed + m
            entry = {
                "guid": f"feed-{f}-{m}",
                "title": f"News item {n}: what the new stem-cell data mean",
                "link": f"https://news{f}.example.org/{m}",
                "date": TODAY - timedelta(days=m % 10),
            }
            if n % 5 == 0:
                entry["doi"] = f"10.1000/PAPER.{n % PAPERS}"
            entries.append(entry)
        documents.append(payloads.rss(entries))
    return summary, pages, documents


def run(summary: bytes, pages: list[bytes], documents: list[bytes]) -> tuple[int, int, int]:
    items = pubmed.parse_summaries(json.loads(summary))
    for page in pages:
        items.extend(clinicaltrials.parse_page(json.loads(page), "https://clinicaltrials.gov")[0])
    for f, document in enumerate(documents):
        items.extend(feeds.parse_bytes(document, f"https://news{f}.example.org/rss", f"feed:{f}"))
    now = datetime.now(UTC).isoformat(timespec="seconds")
    cutoff = TODAY - timedelta(days=14)
    by_source: dict[str, list] = {}
    for item in items:
        by_source.setdefault(item.source, []).append(item)
    tracked = []
    for source_items in by_source.values():
        tracked.extend(apply_fetch({}, source_items, cutoff=cutoff, first_run=True, now=now))
    order = {PUBMED: 0, CLINICALTRIALS: 1, **{f"feed:{f}": 2 + f for f in range(FEEDS)}}
    choice = choose(tracked, set(), order)
    groups = [
        Group(PUBMED, "New on PubMed", "https://pubmed.ncbi.nlm.nih.gov/?term=ms", 1),
        Group(CLINICALTRIALS, "Trials on ClinicalTrials.gov", "https://clinicaltrials.gov/", 2),
        *(Group(f"feed:{f}", f"Feed {f}", f"https://news{f}.example.org/rss", 3) for f in range(3)),
    ]
    digest = render_digest(
        choice, groups, when=datetime.now(UTC), zone=ZoneInfo("Europe/London"), max_items=30
    )
    assert not digest.message.problems(), digest.message.problems()
    return len(items), len(choice.duplicates), len(digest.covered)


def evidence_accuracy() -> dict[str, tuple[int, int]]:
    rows = yaml.safe_load((ROOT / "tests/digest/data/evidence_titles.yaml").read_text("utf-8"))
    result = {}
    for split in ("tune", "held_out"):
        chosen = [row for row in rows if row["split"] == split]
        right = sum(classify_title(row["title"]) == Evidence(row["kind"]) for row in chosen)
        result[split] = (right, len(chosen))
    return result


def main() -> None:
    summary, pages, documents = build_payloads()
    run(summary, pages, documents)  # warm-up: imports, regex compilation
    timings = []
    for _ in range(3):
        began = time.perf_counter()
        parsed, duplicates, covered = run(summary, pages, documents)
        timings.append(time.perf_counter() - began)
    tracemalloc.start()
    run(summary, pages, documents)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    best = min(timings)
    verdict = "OK" if best < 1.0 else "SLOWER THAN TARGET"
    print(f"items parsed: {parsed} (PubMed {PAPERS}, trials {TRIALS}, feed entries {FEED_ENTRIES})")
    print(f"duplicates by DOI: {duplicates}; items covered by one digest message: {covered}")
    print(f"parse + deduplicate + render: best {best:.3f} s of 3 ({verdict}, target < 1 s)")
    print(f"  all runs: {', '.join(f'{t:.3f}' for t in timings)} s")
    print(f"peak memory (tracemalloc): {peak / 1024 / 1024:.1f} MiB")
    for split, (right, total) in evidence_accuracy().items():
        print(f"evidence labels from titles, {split}: {right}/{total} = {right / total:.0%}")


if __name__ == "__main__":
    main()
