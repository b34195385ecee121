"""Answering an interaction in time: Discord drops one not answered within 3 seconds.

Work that is usually quick (a database read, a cached search) is awaited for up to
`DEFER_AFTER`; if it is not done by then the interaction is deferred first, and the answer
goes out as a followup (or an edit of the original) when the work ends. So a busy database
or a slow outside service never turns into "This interaction failed".
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

import discord

from bot.card import Message
from bot.discord.messages import edit_kwargs, send_kwargs

T = TypeVar("T")

DEFER_AFTER = 2.0


async def soon(
    interaction: discord.Interaction, work: Awaitable[T], *, ephemeral: bool, update: bool = False
) -> T:
    """Await `work`, deferring the interaction first if it takes long enough to risk the
    3-second limit. `update`: the answer will edit the message a component is on."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER)
    if not done:
        if update:
            await interaction.response.defer()
        else:
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    return await task


async def send(interaction: discord.Interaction, message: Message, *, ephemeral: bool) -> None:
    """A new message answering the interaction (a followup if it was deferred)."""
    if interaction.response.is_done():
        await interaction.followup.send(**send_kwargs(message), ephemeral=ephemeral)
    else:
        await interaction.response.send_message(**send_kwargs(message), ephemeral=ephemeral)


async def update(interaction: discord.Interaction, message: Message) -> None:
    """Replace the message a component is on (text, cards and buttons) with `message`."""
    kwargs = edit_kwargs(message)
    if interaction.response.is_done():
        await interaction.edit_original_response(**kwargs)
    else:
        await interaction.response.edit_message(**kwargs)
