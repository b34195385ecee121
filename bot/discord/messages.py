"""The cores' `Message`s and `Card`s as discord.py arguments: embeds, buttons, allowed mentions.

Used by `DiscordChat` for everything the cores post, and by the cogs for interaction
responses, so a message looks the same whichever way it reaches Discord. Nothing the bot
sends may ping by accident: mentions are `AllowedMentions.none()` unless the message names
the roles it may ping (a crisis alert), and then only those roles, never @everyone or users.
"""

from __future__ import annotations

from typing import Any

import discord

from bot.card import Button, Card, Message

DEFAULT_COLOUR = 0x3B7EA1
NO_PINGS = discord.AllowedMentions.none()
STYLES = {
    "primary": discord.ButtonStyle.primary,
    "secondary": discord.ButtonStyle.secondary,
    "success": discord.ButtonStyle.success,
    "danger": discord.ButtonStyle.danger,
    "link": discord.ButtonStyle.link,
}


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


class Buttons(discord.ui.View):
    """Buttons as Discord draws them. Clicks are answered by the `DynamicItem`s each feature
    registers (matched on custom_id), so this view is never kept in memory per message."""

    def __init__(self, buttons: tuple[Button, ...]) -> None:
        super().__init__(timeout=None)
        for button in buttons:
            self.add_item(
                discord.ui.Button(
                    label=button.label,
                    style=STYLES[button.style],
                    custom_id=None if button.url else button.custom_id,
                    url=button.url,
                    disabled=button.disabled,
                    row=button.row,
                )
            )

    def is_dispatchable(self) -> bool:
        return False


def allowed_mentions(message: Message) -> discord.AllowedMentions:
    if not message.ping_role_ids:
        return NO_PINGS
    roles = [discord.Object(id=role) for role in message.ping_role_ids]
    return discord.AllowedMentions(everyone=False, users=False, roles=roles, replied_user=False)


def send_kwargs(message: Message) -> dict[str, Any]:
    """Keyword arguments for `send`, `send_message` or `followup.send`."""
    kwargs: dict[str, Any] = {
        "embeds": [card_to_embed(card) for card in message.cards],
        "allowed_mentions": allowed_mentions(message),
    }
    if message.content:
        kwargs["content"] = message.content
    if message.buttons:
        kwargs["view"] = Buttons(message.buttons)
    return kwargs


def edit_kwargs(message: Message) -> dict[str, Any]:
    """Keyword arguments for `edit` / `edit_message`: cards and buttons are replaced; an empty
    `content` leaves the text as it was (a review post keeps the alert line it was sent with).
    Edits never ping."""
    kwargs: dict[str, Any] = {
        "embeds": [card_to_embed(card) for card in message.cards],
        "view": Buttons(message.buttons) if message.buttons else None,
        "allowed_mentions": NO_PINGS,
    }
    if message.content:
        kwargs["content"] = message.content
    return kwargs
