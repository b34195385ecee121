"""Start and stop the bot: endpoints, login errors a person can fix, and signals.

Tests start the bot through `start_bot` exactly as `python bot.py run` does, against a fake
Discord; only the endpoints differ, which is what `[discord] api_base/gateway_url` are for.
"""

from __future__ import annotations

import asyncio
import logging
import signal

import aiohttp
import discord
import yarl

from bot.app import App
from bot.discord.client import StemCellBot
from bot.errors import StartupError
from bot.settings import Settings

log = logging.getLogger(__name__)


def configure_endpoints(settings: Settings) -> None:
    """Point discord.py at the configured REST base and gateway (a proxy, or a test server)."""
    discord.http.Route.BASE = settings.discord.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord.gateway_url)


async def start_bot(settings: Settings) -> tuple[StemCellBot, asyncio.Task[None]]:
    """Open the services, log in, and connect in a background task."""
    token = settings.token
    if not token:
        raise StartupError("no Discord token configured")
    configure_endpoints(settings)
    app = await App.open(settings)
    bot = StemCellBot(app)
    try:
        await bot.login(token)
    except discord.LoginFailure:
        await bot.close()
        raise StartupError(
            "Discord rejected the token: copy it again from the Developer Portal"
        ) from None
    except (discord.HTTPException, aiohttp.ClientError, OSError) as exc:
        # A refused connection or a DNS failure is an aiohttp error, not an HTTPException.
        await bot.close()
        raise StartupError(
            f"could not reach Discord at {settings.discord.api_base}: {exc}"
        ) from None
    except BaseException:
        await bot.close()
        raise
    task = asyncio.create_task(bot.connect(reconnect=True), name="discord-connect")
    return bot, task


async def run_bot(settings: Settings) -> int:
    """Serve until Discord disconnects for good or SIGINT/SIGTERM asks us to stop."""
    bot, task = await start_bot(settings)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, lambda: asyncio.ensure_future(bot.close()))
        except NotImplementedError:  # Windows: Ctrl+C still raises KeyboardInterrupt.
            pass
    try:
        await task
    except discord.PrivilegedIntentsRequired:
        raise StartupError(
            "Discord refused the Message Content intent: enable it for this bot in the "
            "Developer Portal (Bot > Privileged Gateway Intents)"
        ) from None
    finally:
        await bot.close()  # waits for a shutdown a signal started, or does it now
    log.info("stopped")
    return 0
