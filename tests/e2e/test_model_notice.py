"""A learned model that will not load: the bot starts on its rules, logs one line, and tells
the moderators once, in the review channel, pinging nobody; a restart with the same broken
file says nothing new, and a different failure (the file now missing) is said once more."""

from __future__ import annotations

import asyncio
import logging

from bot.moderation.render import defuse
from tests.e2e.test_moderation_review import CRISIS, post_and_wait
from tests.fake_discord.guild import REVIEW_CHANNEL_ID
from tests.harness import Harness

OFF = "learned classifier off, rules only"


def notices(harness: Harness) -> list[str]:
    return [
        m["content"]
        for m in harness.fake.messages[REVIEW_CHANNEL_ID]
        if "could not be loaded" in m.get("content", "")
    ]


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if OFF in record.getMessage():
            self.lines.append(record.getMessage())


async def test_a_broken_model_is_told_to_moderators_once_across_restarts(
    harness: Harness,
) -> None:
    broken = harness.tmp_path / "messages.npz"
    broken.write_bytes(b"\x00" * 64)
    harness.errors.allowed.append(OFF)  # the one expected ERROR line
    lines = Lines()
    logging.getLogger().addHandler(lines)
    try:
        await harness.start({"models": {"messages_path": broken.as_posix()}})
        fake = harness.fake
        first = await fake.wait_for(lambda: notices(harness) or None, what="the model notice")
        assert len(first) == 1 and defuse(str(broken)) in first[0] and "rules alone" in first[0]
        assert "cannot be read" in first[0]
        assert len(lines.lines) == 1 and str(broken) in lines.lines[0]
        await asyncio.wait_for(harness.app.moderation.started(), 5)
        assert fake.pings() == []
        _, review = await post_and_wait(harness, CRISIS)  # the rules still flag a crisis
        assert review["embeds"][0]["title"].startswith("🚨 Possible crisis")

        await harness.restart()
        await asyncio.wait_for(harness.app.moderation.started(), 5)  # the check ran, quietly
        assert len(notices(harness)) == 1
        assert len(lines.lines) == 2  # one line per start

        broken.unlink()  # a different failure is news
        await harness.restart()
        await asyncio.wait_for(harness.app.moderation.started(), 5)
        assert len(notices(harness)) == 2
        for post in fake.messages[REVIEW_CHANNEL_ID]:
            if "could not be loaded" in post.get("content", ""):
                pinged = post.get("pings") or {}
                assert not (pinged.get("users") or pinged.get("roles") or pinged.get("everyone"))
    finally:
        logging.getLogger().removeHandler(lines)
