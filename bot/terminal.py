"""Cards and messages as terminal text: the one renderer for the console and the CLI.

Discord shows Markdown; a terminal shows characters. So links are spelled out as
`title <url>`, emphasis, code marks and escapes are dropped, paragraphs are wrapped, and
buttons become the line to type. Whatever prints a `Card` or a `Message` for a person at a
terminal goes through here, so the console shows what Discord would, in the same words.
"""

from __future__ import annotations

import re
import textwrap

from bot.card import Card, Message

WIDTH = 88

_LINK = re.compile(r"\[([^\]]+)\]\((<?)([^)>]+)>?\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_FENCE = re.compile(r"```[a-z]*\n?")  # a code block's fences (the table of /flags stats)
_CODE = re.compile(r"`([^`]+)`")
_ESCAPE = re.compile(r"\\([\\*_~`|>\[\]()#])")
_MENTION = re.compile(r"<(@&|@|#)(\d+)>")
_BULLET = re.compile(r"\s*([-*•]|\d+\.)\s+")


def plain(text: str) -> str:
    """Markdown as a terminal shows it: links spelled out, no emphasis, no escapes."""
    text = _LINK.sub(lambda m: f"{m.group(1)} <{m.group(3)}>", text)
    text = _BOLD.sub(lambda m: m.group(1) or m.group(2), text)
    text = _FENCE.sub("", text)
    text = _CODE.sub(r"\1", text)
    text = _ESCAPE.sub(r"\1", text).replace("\u200b", "")
    return _MENTION.sub(_mention, text)


def _mention(match: re.Match[str]) -> str:
    kind, number = match.groups()
    return {"@&": "@role:", "@": "@user:", "#": "#channel:"}[kind] + number


def wrap(text: str, width: int = WIDTH, indent: str = "") -> str:
    """Plain text wrapped to `width`, list items with a hanging indent."""
    out = []
    for paragraph in plain(text).splitlines():
        if not paragraph.strip():
            out.append("")
            continue
        bullet = _BULLET.match(paragraph)
        hanging = indent + (" " * len(bullet.group(0)) if bullet else "")
        out.append(
            textwrap.fill(paragraph, width, initial_indent=indent, subsequent_indent=hanging)
        )
    return "\n".join(out)


def card_text(card: Card, width: int = WIDTH) -> str:
    title = plain(card.title) + (f" <{card.url}>" if card.url else "")
    lines = [title, "=" * min(len(title), width)]
    if card.author:
        lines.append(plain(card.author))
    if card.description:
        lines += [wrap(card.description, width), ""]
    for field in card.fields:
        lines += [f"{plain(field.name)}:", wrap(field.value, width, indent="  "), ""]
    if card.footer:
        lines.append(f"-- {plain(card.footer)}")
    return "\n".join(lines).rstrip() + "\n"


def message_text(message: Message, width: int = WIDTH) -> str:
    """A whole message: its text, its cards, then its buttons as `[Label]`."""
    blocks = []
    if message.content:
        blocks.append(wrap(message.content, width))
    blocks += [card_text(card, width).rstrip() for card in message.cards]
    buttons = [b for b in message.buttons if not b.disabled]
    if buttons:
        blocks.append("Buttons: " + "  ".join(f"[{b.label}]" for b in buttons))
    return "\n\n".join(blocks).rstrip() + "\n"
