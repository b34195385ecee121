"""Reading tests/data/messages.tsv, for the tests that check it or keep clear of it."""

from __future__ import annotations

from bot.models.data import MessageRow, read_messages


def rows() -> list[MessageRow]:
    """Every labelled message (the reader checks each line's shape)."""
    return read_messages()


def known_texts() -> set[str]:
    """Every message in the file, lower-cased: unit tests must use sentences not in it."""
    return {row.text.strip().lower() for row in rows()}
