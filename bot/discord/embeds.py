"""Cards (the cores' neutral view) to discord.py embeds."""

from __future__ import annotations

import discord

from bot.card import Card

DEFAULT_COLOUR = 0x3B7EA1


def card_to_embed(card: Card) -> discord.Embed:
    """Translate a Card; its limits were checked by the core that built it."""
    embed = discord.Embed(
        title=card.title,
        description=card.description or None,
        url=card.url,
        colour=card.colour if card.colour is not None else DEFAULT_COLOUR,
    )
    if card.author:
        embed.set_author(name=card.author)
    for field in card.fields:
        embed.add_field(name=field.name, value=field.value, inline=field.inline)
    if card.footer:
        embed.set_footer(text=card.footer)
    return embed


def cards_to_embeds(cards: tuple[Card, ...] | list[Card]) -> list[discord.Embed]:
    return [card_to_embed(card) for card in cards]
