"""What the bot shows, described without Discord.

The cores build `Card`s (title, text, fields, footer); the Discord layer turns them into embeds
and the console into terminal text. Discord rejects an over-long embed with a 400 and
discord.py checks almost none of it, so the limits live here, where every feature can check
them before anything is sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

MESSAGE_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_COUNT_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
EMBEDS_PER_MESSAGE = 10


@dataclass(frozen=True)
class CardField:
    name: str
    value: str
    inline: bool = False


@dataclass(frozen=True)
class Card:
    title: str
    description: str = ""
    url: str | None = None
    fields: tuple[CardField, ...] = ()
    footer: str | None = None
    colour: int | None = None
    author: str | None = None

    def size(self) -> int:
        """Characters as Discord counts them towards the 6,000 per message."""
        return (
            len(self.title)
            + len(self.description)
            + sum(len(f.name) + len(f.value) for f in self.fields)
            + len(self.footer or "")
            + len(self.author or "")
        )

    def problems(self) -> list[str]:
        found = []
        if len(self.title) > TITLE_LIMIT:
            found.append(f"title is {len(self.title)} characters (limit {TITLE_LIMIT})")
        if len(self.description) > DESCRIPTION_LIMIT:
            found.append(f"text is {len(self.description)} characters (limit {DESCRIPTION_LIMIT})")
        if len(self.fields) > FIELD_COUNT_LIMIT:
            found.append(f"{len(self.fields)} fields (limit {FIELD_COUNT_LIMIT})")
        for f in self.fields:
            if len(f.name) > FIELD_NAME_LIMIT or not f.name.strip():
                found.append(f"field name {f.name[:30]!r} is empty or over {FIELD_NAME_LIMIT}")
            if len(f.value) > FIELD_VALUE_LIMIT or not f.value.strip():
                found.append(
                    f"field {f.name[:30]!r} value is empty or over {FIELD_VALUE_LIMIT} characters"
                )
        if self.footer and len(self.footer) > FOOTER_LIMIT:
            found.append(f"footer is {len(self.footer)} characters (limit {FOOTER_LIMIT})")
        if self.size() > EMBED_TOTAL_LIMIT:
            found.append(f"card totals {self.size()} characters (limit {EMBED_TOTAL_LIMIT})")
        return found


ButtonStyle = Literal["primary", "secondary", "success", "danger", "link"]
BUTTONS_PER_ROW = 5
BUTTON_ROWS = 5
BUTTON_LABEL_LIMIT = 80
CUSTOM_ID_LIMIT = 100


@dataclass(frozen=True)
class Button:
    """A button as data: the core names it by `custom_id` (e.g. `flag:12:claim`).

    The Discord layer turns it into a component that its registered `DynamicItem`s answer,
    so a click works after any restart; the console prints it as a command to type.
    A `link` button carries `url` instead of a custom_id. `row` (0-4) groups buttons that
    belong together on one line; without it they fill rows of five in order.
    """

    label: str
    custom_id: str = ""
    style: ButtonStyle = "secondary"
    disabled: bool = False
    url: str | None = None
    row: int | None = None


@dataclass(frozen=True)
class Message:
    """One message: text, cards and buttons, checked together against the per-message limits.

    `ping_role_ids` are the only roles this message may ping (it pings no one else, ever);
    `nonce` lets a sender find out after a crash whether Discord already has the message.
    """

    content: str = ""
    cards: tuple[Card, ...] = field(default_factory=tuple)
    buttons: tuple[Button, ...] = ()
    ping_role_ids: tuple[int, ...] = ()
    nonce: str | None = None

    def problems(self) -> list[str]:
        found = [p for card in self.cards for p in card.problems()]
        if len(self.content) > MESSAGE_LIMIT:
            found.append(f"message text is {len(self.content)} characters (limit {MESSAGE_LIMIT})")
        if len(self.cards) > EMBEDS_PER_MESSAGE:
            found.append(f"{len(self.cards)} cards (limit {EMBEDS_PER_MESSAGE})")
        total = sum(card.size() for card in self.cards)
        if total > EMBED_TOTAL_LIMIT:
            found.append(f"cards total {total} characters (limit {EMBED_TOTAL_LIMIT})")
        if len(self.buttons) > BUTTONS_PER_ROW * BUTTON_ROWS:
            found.append(f"{len(self.buttons)} buttons (limit {BUTTONS_PER_ROW * BUTTON_ROWS})")
        rows = [b.row for b in self.buttons if b.row is not None]
        for row in sorted(set(rows)):
            if not 0 <= row < BUTTON_ROWS or rows.count(row) > BUTTONS_PER_ROW:
                found.append(f"button row {row}: {rows.count(row)} buttons (0-4, five a row)")
        for button in self.buttons:
            if not button.label or len(button.label) > BUTTON_LABEL_LIMIT:
                found.append(f"button label {button.label[:30]!r} is empty or too long")
            if button.url is None and not 0 < len(button.custom_id) <= CUSTOM_ID_LIMIT:
                found.append(f"button {button.label[:30]!r} needs a custom_id of 1-100 chars")
        return found


def shorten(text: str, limit: int, placeholder: str = "…") -> str:
    """Cut `text` to at most `limit` characters, at a word boundary when one is near."""
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - len(placeholder))]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip() + placeholder
