"""Start-to-ready time and /about round trip of the real bot against the fake Discord.

Run: python tests/bench/bench_discord.py [--starts N] [--calls N]
Figures are for the local fake (no network latency): they measure the bot's own start-up and
interaction handling, which is what this code controls.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.fake_discord.guild import MEMBER_ID
from tests.harness import open_harness


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def measure(starts: int, calls: int) -> None:
    ready, trips = [], []
    for _ in range(starts):
        with tempfile.TemporaryDirectory() as tmp:
            harness, fake = await open_harness(Path(tmp))
            try:
                await harness.start()
                ready.append(harness.start_to_ready)
                for _ in range(calls):
                    began = time.perf_counter()
                    record = await fake.slash("about", user_id=MEMBER_ID)
                    await record.response()
                    trips.append(time.perf_counter() - began)
            finally:
                await harness.stop()
                await fake.stop()
                logging.getLogger().removeHandler(harness.errors)
    print(
        f"start-to-ready over {starts} starts: median {statistics.median(ready) * 1000:.0f} ms, "
        f"max {max(ready) * 1000:.0f} ms"
    )
    print(
        f"/about round trip over {len(trips)} calls: median "
        f"{statistics.median(trips) * 1000:.2f} ms, p99 {percentile(trips, 0.99) * 1000:.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--calls", type=int, default=100)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(measure(args.starts, args.calls))


if __name__ == "__main__":
    main()
