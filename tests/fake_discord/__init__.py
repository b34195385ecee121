"""A fake Discord (REST + Gateway) on 127.0.0.1 for driving the real discord.py client in tests.

    async with FakeDiscord() as fake, running(make_bot(), fake) as bot:
        rec = await fake.slash("faq", options={"topic": "msc"}, user_id=MEMBER_ID)
        await rec.response()
        assert rec.embeds[0]["title"] == ...
    assert fake.violations == []

``running`` points discord.py at the fake (``Route.BASE``, ``DEFAULT_GATEWAY``); a bot that
reads ``api_base``/``gateway_url`` from settings can be given ``fake.api_base`` and
``fake.gateway_url`` instead. Build the bot with ``guild_ready_timeout=0.05``.
"""

from . import guild
from .guild import *  # noqa: F403 - the world constants are the vocabulary of every test
from .harness import pointed_at, running
from .limits import Pings
from .payloads import public
from .records import InteractionRecord, modal_inputs
from .server import FakeDiscord, RequestRecord

__all__ = [
    *guild.__all__,
    "FakeDiscord",
    "InteractionRecord",
    "Pings",
    "RequestRecord",
    "modal_inputs",
    "pointed_at",
    "public",
    "running",
]
