"""Point discord.py at a FakeDiscord and run a real bot against it, without pytest.

discord.py reads its REST base and gateway URL from class attributes, so pointing it at the
fake is global state; ``pointed_at`` restores the originals so tests cannot leak into each
other.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import TypeVar

import discord
import discord.gateway
import discord.http
import yarl

from .server import FakeDiscord

ClientT = TypeVar("ClientT", bound=discord.Client)


@contextlib.contextmanager
def pointed_at(fake: FakeDiscord) -> Iterator[None]:
    """Set ``Route.BASE`` and ``DiscordWebSocket.DEFAULT_GATEWAY`` to the fake, then restore."""
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = fake.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


@contextlib.asynccontextmanager
async def running(
    client: ClientT, fake: FakeDiscord, *, token: str = "fake-token", ready_within: float = 5.0
) -> AsyncIterator[ClientT]:
    """Start ``client`` against ``fake``, yield once it is ready, close it on exit.

    The client should be built with ``guild_ready_timeout=0.05`` or READY takes 2 s.
    """
    with pointed_at(fake):
        task = asyncio.create_task(client.start(token), name="fake-discord-client")
        ready = asyncio.create_task(client.wait_until_ready())
        try:
            done, _ = await asyncio.wait(
                {task, ready}, timeout=ready_within, return_when=asyncio.FIRST_COMPLETED
            )
            if task in done:
                task.result()  # re-raise why the client stopped
                raise AssertionError("discord client stopped before it became ready")
            if ready not in done:
                raise AssertionError(f"discord client was not ready after {ready_within}s")
            yield client
        finally:
            ready.cancel()
            await client.close()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(task, ready_within)
