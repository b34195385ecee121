"""The labelled rows the models learn from and are measured on: tests/data/*.tsv.

Every row names its author, because the honest figure is the one measured on authors the
model never saw (leave-one-author-out): rows by one person share habits of phrasing that a
random split would leak into the training side. Comment lines start with `#`.

    messages.tsv   label<TAB>author<TAB>text        label: advice | crisis | promotion | none
    faq_eval.tsv   expected<TAB>author<TAB>question  expected: entry id, `a|b`, or `-` (abstain)

Readers raise `DataError` naming `file:line` and what is wrong, never echoing the row's text:
held-out words must not reach whoever tunes the rules.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.errors import UserError

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "tests" / "data"
MESSAGES = DATA_DIR / "messages.tsv"
FAQ_EVAL = DATA_DIR / "faq_eval.tsv"

MESSAGE_LABELS = ("advice", "crisis", "promotion", "none")
OUT_OF_SCOPE = "-"
AUTHOR = re.compile(r"^[a-z][a-z0-9_-]{0,15}$")
ENTRY_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class DataError(UserError):
    """A malformed evaluation row; the message names the file and line, not the text."""


@dataclass(frozen=True)
class MessageRow:
    label: str
    author: str
    text: str


@dataclass(frozen=True)
class QuestionRow:
    expected: frozenset[str]  # entry ids that answer it; empty: out of scope
    author: str
    question: str
    abstain_ok: bool = False  # `id|-`: that entry, or no answer, are both fair

    @property
    def in_scope(self) -> bool:
        return bool(self.expected)


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            yield number, line


def _fields(path: Path, number: int, line: str, count: int, shape: str) -> list[str]:
    fields = line.split("\t")
    if len(fields) != count or not all(f.strip() for f in fields):
        raise DataError(f"{path}:{number}: expected {shape} ({len(fields)} fields found)")
    return fields


def parse_label(path: Path, number: int, label: str) -> str:
    if label not in MESSAGE_LABELS:
        raise DataError(f"{path}:{number}: label must be one of {'|'.join(MESSAGE_LABELS)}")
    return label


def parse_expected(path: Path, number: int, value: str) -> tuple[frozenset[str], bool]:
    """(entry ids, whether abstaining is also right) from `id`, `a|b`, `-` or `id|-`."""
    ids = set(value.split("|"))
    abstain_ok = OUT_OF_SCOPE in ids
    ids.discard(OUT_OF_SCOPE)
    if not all(ENTRY_ID.match(i) for i in ids):
        raise DataError(f"{path}:{number}: expected an entry id, a|b, or - (out of scope)")
    return frozenset(ids), abstain_ok or not ids


def parse_author(path: Path, number: int, author: str) -> str:
    if not AUTHOR.match(author):
        raise DataError(f"{path}:{number}: author must be a short lower-case id such as a1")
    return author


def read_messages(path: Path = MESSAGES) -> list[MessageRow]:
    rows = []
    for number, line in _lines(path):
        label, author, text = _fields(path, number, line, 3, "label<TAB>author<TAB>text")
        rows.append(
            MessageRow(
                parse_label(path, number, label), parse_author(path, number, author), text.strip()
            )
        )
    return rows


def read_questions(path: Path = FAQ_EVAL) -> list[QuestionRow]:
    rows = []
    for number, line in _lines(path):
        expected, author, question = _fields(
            path, number, line, 3, "expected<TAB>author<TAB>question"
        )
        ids, abstain_ok = parse_expected(path, number, expected)
        rows.append(
            QuestionRow(ids, parse_author(path, number, author), question.strip(), abstain_ok)
        )
    return rows


def authors(rows: Iterable[MessageRow | QuestionRow]) -> list[str]:
    """Authors in the order they first appear (t1, t2, a1, ...)."""
    return list(dict.fromkeys(row.author for row in rows))


def digest(*paths: Path) -> str:
    """sha256 over the files' bytes: a fitted model records what it was fitted on."""
    h = hashlib.sha256()
    for path in paths:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()
