"""Read `faq/*.md` into entries, and say precisely what is wrong with the ones that fail.

Admins edit these files by hand, often in a web editor, so every problem is reported the way a
compiler would: `faq/<file>:<line>: error: <what to fix>`, with the line of the offending key.
Errors exclude the file (or, for the whole set, stop a reload); warnings are advice. Files whose
name starts with `_` or `.` are ignored, so a `_template.md` can live beside the entries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ValidationError
from yaml.nodes import MappingNode, Node, SequenceNode

from bot.card import DESCRIPTION_LIMIT, EMBED_TOTAL_LIMIT, FIELD_VALUE_LIMIT, TITLE_LIMIT
from bot.faq.model import MIN_QUESTIONS, FaqEntry, FrontMatter
from bot.faq.render import RELATED_FIELD, SOURCES_FIELD, answer_card

Severity = Literal["error", "warning"]

_FIELDS = ", ".join(FrontMatter.model_fields)
_HINTS = {
    "id": "the entry's kebab-case id, the same as the file name without .md",
    "title": "the question or topic as members see it",
    "questions": f"at least {MIN_QUESTIONS} ways members ask this, one per line starting with '- '",
    "sources": "at least one '- title: ...' with 'url: https://...' under it",
    "review": "when it was last checked against its sources, as "
    "review: {date: YYYY-MM-DD, by: <the clinician who reviewed it, or empty>}",
}
REVIEW_HOWTO = (
    "ask a neurologist or MS nurse to read each entry against its sources, then set "
    "review: {date: YYYY-MM-DD, by: <their name and role>}"
)


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class HasProblems:
    """Errors and warnings of anything that carries `problems`."""

    problems: tuple[Problem, ...]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


@dataclass(frozen=True)
class LoadResult(HasProblems):
    """The entries that can be served, and every problem found on the way."""

    directory: Path
    entries: tuple[FaqEntry, ...]
    problems: tuple[Problem, ...]
    files: int
    # One warning per served entry that no clinician has reviewed yet: advice for `faq check`,
    # kept apart from `problems` so the bot's reload log does not repeat it on every edit.
    unreviewed: tuple[Problem, ...] = ()


@dataclass
class _Parsed:
    """One file on its way through the checks; `lines` maps field paths to file lines."""

    path: Path
    display: str
    meta: FrontMatter | None = None
    body: str = ""
    body_line: int = 1
    root: Node | None = None
    offset: int = 1
    problems: list[Problem] = field(default_factory=list)

    def error(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.display, line, "error", message))

    def warn(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.display, line, "warning", message))

    def line_of(self, *loc: str | int) -> int:
        """The file line of a field (or of the deepest part of it that exists)."""
        node, line = self.root, None
        for part in loc:
            if isinstance(node, MappingNode) and isinstance(part, str):
                match = next((v for k, v in node.value if k.value == part), None)
                key = next((k for k, _ in node.value if k.value == part), None)
                if match is None or key is None:
                    break
                line, node = key.start_mark.line, match
            elif isinstance(node, SequenceNode) and isinstance(part, int):
                if part >= len(node.value):
                    break
                node = node.value[part]
                line = node.start_mark.line
            else:
                break
        return 1 if line is None else line + self.offset

    def review_line(self) -> int:
        """The line of the review date, in either spelling."""
        if self.meta is not None and self.meta.review is not None:
            return self.line_of("review", "date")
        return self.line_of("reviewed")

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)


def load_faq(
    directory: Path, *, stale_after_days: int = 365, today: date | None = None
) -> LoadResult:
    """Load and validate every entry in `directory`. Never raises for bad content."""
    today = today or datetime.now(UTC).date()
    if not directory.is_dir():
        problem = Problem(
            str(directory), None, "error", "no such directory (set [faq] directory in settings)"
        )
        return LoadResult(directory, (), (problem,), 0)
    files = sorted(
        p for p in directory.glob("*.md") if p.is_file() and not p.name.startswith(("_", "."))
    )
    parsed = [_parse(path, str(directory / path.name), stale_after_days, today) for path in files]
    problems: list[Problem] = []
    if not files:
        problems.append(Problem(str(directory), None, "error", "no FAQ entries (*.md) found"))
    _check_ids(parsed)
    good = [p for p in parsed if p.meta is not None and not p.has_errors]
    titles = {p.meta.id: p.meta.title for p in good if p.meta}
    _check_links(parsed, titles)
    entries, unreviewed = [], []
    for item in good:
        assert item.meta is not None
        lines = tuple(item.line_of("sources", i, "url") for i in range(len(item.meta.sources)))
        entry = FaqEntry.from_front_matter(item.meta, item.body, item.path, lines)
        _check_card(item, entry, titles)
        if not item.has_errors or _only_link_errors(item):
            entries.append(entry)
            if entry.reviewed_by is None:
                unreviewed.append(_unreviewed(item, entry))
    for item in parsed:
        problems.extend(item.problems)
    problems.sort(key=lambda p: (p.path, p.line or 0))
    return LoadResult(directory, tuple(entries), tuple(problems), len(files), tuple(unreviewed))


def _unreviewed(item: _Parsed, entry: FaqEntry) -> Problem:
    return Problem(
        item.display,
        item.review_line(),
        "warning",
        f"review: not yet reviewed by a clinician (checked against sources on "
        f"{entry.reviewed.isoformat()})",
    )


def _parse(path: Path, display: str, stale_after_days: int, today: date) -> _Parsed:
    item = _Parsed(path, display)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        item.error(1, "not UTF-8 text: save the file as UTF-8")
        return item
    except OSError as exc:
        item.error(None, f"cannot read: {exc.strerror}")
        return item
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        item.error(1, "no front matter: the file must start with a line '---', then the fields")
        return item
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        item.error(1, "front matter is not closed: add a line '---' after the last field")
        return item
    item.offset = 2  # YAML line 0 is file line 2
    item.body = "\n".join(lines[end + 1 :])
    item.body_line = end + 2
    data = _yaml(item, "\n".join(lines[1:end]))
    if item.has_errors:
        return item
    if not isinstance(data, dict):
        item.error(2, "front matter must be fields written as 'key: value', one per line")
        return item
    try:
        item.meta = FrontMatter.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            item.error(item.line_of(*loc), _describe(loc, error))
        return item
    _check_entry(item, stale_after_days, today)
    return item


def _yaml(item: _Parsed, text: str) -> Any:
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        item.root = root
        _check_duplicate_keys(item, root)
        return loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + item.offset if mark else 1
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        item.error(line, f"bad YAML: {what} (check indentation, and quote text containing ': ')")
    except yaml.YAMLError as exc:
        item.error(1, f"bad YAML: {exc}")
    finally:
        loader.dispose()
    return None


def _check_duplicate_keys(item: _Parsed, node: Node) -> None:
    if isinstance(node, MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            line = key.start_mark.line + item.offset
            if key.value in seen:
                item.error(
                    line,
                    f"duplicate field '{key.value}' (first on line {seen[key.value]}); "
                    "merge them into one",
                )
            seen.setdefault(key.value, line)
            _check_duplicate_keys(item, value)
    elif isinstance(node, SequenceNode):
        for child in node.value:
            _check_duplicate_keys(item, child)


def _describe(loc: tuple[str | int, ...], error: Any) -> str:
    name = ".".join(f"[{part}]" if isinstance(part, int) else str(part) for part in loc)
    name = name.replace(".[", "[")
    kind = error["type"]
    if kind == "missing":
        hint = _HINTS.get(str(loc[-1]))
        return f"missing field '{name}'" + (f": {hint}" if hint else "")
    if kind == "extra_forbidden":
        if len(loc) > 1 and loc[0] == "sources":
            return f"unknown field '{name}' (a source has only 'title' and 'url')"
        if len(loc) > 1 and loc[0] == "review":
            return f"unknown field '{name}' (a review has only 'date' and 'by')"
        return f"unknown field '{name}' (the fields are: {_FIELDS})"
    if kind == "string_pattern_mismatch":
        return f"{name}: '{error['input']}' must be lowercase words joined by '-' (msc-evidence)"
    if kind.startswith("date"):
        return f"{name}: must be a date written as YYYY-MM-DD"
    if loc == ("review",) and kind in {"model_type", "model_attributes_type", "dict_type"}:
        return "review: write it as {date: YYYY-MM-DD, by: <the clinician's name, or empty>}"
    if kind == "too_short":
        return f"{name}: must not be empty"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{name}: {message}"


def _check_entry(item: _Parsed, stale_after_days: int, today: date) -> None:
    meta = item.meta
    assert meta is not None
    if meta.id != item.path.stem:
        item.error(
            item.line_of("id"),
            f"id '{meta.id}' does not match the file name: rename the file to {meta.id}.md "
            f"or set id: {item.path.stem}",
        )
    if not item.body.strip():
        item.error(item.body_line, "the answer is empty: write it below the closing '---'")
    if len(meta.questions) < MIN_QUESTIONS:
        item.warn(
            item.line_of("questions"),
            f"only {len(meta.questions)} questions; list at least {MIN_QUESTIONS} ways members "
            "ask this, so search can find it",
        )
    reviewed = meta.review_date
    if meta.review is not None and meta.reviewed is not None:
        item.error(
            item.line_of("reviewed"),
            "reviewed: the entry also has 'review'; keep only "
            "review: {date: YYYY-MM-DD, by: <name or empty>}",
        )
    if reviewed is None:
        item.error(1, f"missing field 'review': {_HINTS['review']}")
        return
    age = (today - reviewed).days
    if age > stale_after_days:
        item.warn(
            item.review_line(),
            f"reviewed {reviewed.isoformat()} is {age} days ago (more than "
            f"{stale_after_days}): check it against current sources and update the date",
        )
    elif age < 0:
        item.warn(item.review_line(), f"reviewed {reviewed} is in the future")


def _check_ids(parsed: Iterable[_Parsed]) -> None:
    first: dict[str, _Parsed] = {}
    for item in parsed:
        if item.meta is None:
            continue
        other = first.setdefault(item.meta.id, item)
        if other is not item:
            item.error(
                item.line_of("id"), f"duplicate id '{item.meta.id}' (also in {other.display})"
            )


def _check_links(parsed: Iterable[_Parsed], titles: dict[str, str]) -> None:
    asked: dict[str, str] = {}
    for item in parsed:
        meta = item.meta
        if meta is None:
            continue
        for index, related in enumerate(meta.related):
            line = item.line_of("related", index)
            if related == meta.id:
                item.warn(line, f"related: '{related}' is this entry itself")
            elif related not in titles:
                item.error(
                    line,
                    f"related: unknown entry '{related}' (no valid faq file has this id)",
                )
        for index, question in enumerate(meta.questions):
            key = " ".join(question.lower().split())
            owner = asked.setdefault(key, meta.id)
            if owner != meta.id:
                item.warn(
                    item.line_of("questions", index),
                    f"question also listed under '{owner}': search cannot tell them apart",
                )


_LINK_ERROR = re.compile(r"^related: unknown entry ")


def _only_link_errors(item: _Parsed) -> bool:
    """An entry whose only errors are broken `related` links is still served (without them):
    a typo in a link must not take the whole answer away from members."""
    return all(_LINK_ERROR.match(p.message) for p in item.problems if p.is_error)


def _check_card(item: _Parsed, entry: FaqEntry, titles: dict[str, str]) -> None:
    """Render the answer exactly as members get it and hold it to Discord's limits."""
    card = answer_card(entry, titles)
    before = len(item.problems)
    if len(card.title) > TITLE_LIMIT:
        item.error(
            item.line_of("title"),
            f"title is {len(card.title)} characters; Discord allows {TITLE_LIMIT}",
        )
    if len(card.description) > DESCRIPTION_LIMIT:
        item.error(
            item.body_line,
            f"the answer is {len(card.description)} characters; Discord allows "
            f"{DESCRIPTION_LIMIT} in an embed",
        )
    keys = {SOURCES_FIELD: "sources", RELATED_FIELD: "related"}
    for card_field in card.fields:
        if len(card_field.value) > FIELD_VALUE_LIMIT:
            item.error(
                item.line_of(keys[card_field.name]),
                f"{card_field.name.lower()} render to {len(card_field.value)} characters; "
                f"Discord allows {FIELD_VALUE_LIMIT} in one embed field (shorten titles or "
                "list fewer)",
            )
    if card.size() > EMBED_TOTAL_LIMIT:
        item.error(
            1,
            f"the whole answer card is {card.size()} characters; Discord allows "
            f"{EMBED_TOTAL_LIMIT} (shorten the answer)",
        )
    if len(item.problems) == before:
        for problem in card.problems():
            item.error(1, f"answer card: {problem}")
