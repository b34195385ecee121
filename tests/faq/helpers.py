"""Small FAQ folders for tests: a valid entry as an admin writes it, to break on purpose."""

from __future__ import annotations

from pathlib import Path

ENTRY = """\
---
id: {id}
title: {title}
questions:
  - what is the {id} thing
  - how does the {id} thing work
  - is the {id} thing safe
  - {id} thing explained please
  - where does the {id} thing come from
  - who invented the {id} thing
tags: [test]
sources:
  - title: "A source"
    url: https://doi.org/10.1000/example
review: {{date: {reviewed}, by: }}
related: [{related}]
---
{body}
"""


def write_entry(
    directory: Path,
    entry_id: str,
    *,
    title: str = "A test entry",
    reviewed: str = "2026-11-01",
    related: str = "",
    body: str = "A short, kind answer in plain words.",
    by: str = "",
    old_format: bool = False,
    text: str | None = None,
) -> Path:
    """`by` names the reviewing clinician; `old_format` writes the older `reviewed: <date>`."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{entry_id}.md"
    if text is None:
        text = ENTRY.format(id=entry_id, title=title, reviewed=reviewed, related=related, body=body)
        review = f"review: {{date: {reviewed}, by: }}"
        if old_format:
            text = text.replace(review, f"reviewed: {reviewed}")
        elif by:
            text = text.replace(review, f'review: {{date: {reviewed}, by: "{by}"}}')
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, startswith: str) -> int:
    """1-based number of the first line of `path` starting with `startswith`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(startswith):
            return number
    raise AssertionError(f"{startswith!r} not in {path}")
