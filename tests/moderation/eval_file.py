"""Reading tests/data/messages.tsv, for the tests that check it or keep clear of it."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "messages.tsv"


def rows() -> list[tuple[str, str, bool]]:
    """(label, text, held out) for every message, checking each line's shape."""
    found, held_out = [], False
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line.strip().lower() == "# held-out":
            held_out = True
        if not line.strip() or line.startswith("#"):
            continue
        label, sep, text = line.partition("\t")
        assert sep and label in {"advice", "crisis", "none"} and text.strip(), "malformed row"
        found.append((label, text, held_out))
    return found


def known_texts() -> set[str]:
    """Every message in the file, lower-cased: unit tests must use sentences not in it."""
    return {text.strip().lower() for _, text, _ in rows()}
