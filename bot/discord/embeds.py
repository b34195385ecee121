"""Kept for the digest cog until it sends through `DiscordChat`; use `bot.discord.messages`."""

from __future__ import annotations

import discord

from bot.card import Card
from bot.discord.messages import card_to_embed


def cards_to_embeds(cards: tuple[Card, ...] | list[Card]) -> list[discord.Embed]:
    return [card_to_embed(card) for card in cards]
