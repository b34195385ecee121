"""The README and docs/ as a reader meets them: every link and every path they name exists.

A user of the project has the repository and nothing else, so no link may lead outside it
(the README once sent contributors to `../shared/DESIGN.md`), and a renamed module must not
leave the architecture page describing a file that is gone.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
CODE_PATH = re.compile(r"`((?:bot|tests|faq|docs)/[^`\s]*)`")


def page_id(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_links_stay_inside_the_repository_and_lead_somewhere(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert "../" not in text, f"{page_id(page)} points outside the repository"
    for target in LINK.findall(text):
        if target.startswith(("https://", "http://", "mailto:", "#")):
            continue
        resolved = (page.parent / target.split("#")[0]).resolve()
        assert resolved.is_relative_to(ROOT), f"{page_id(page)}: {target} is outside"
        assert resolved.exists(), f"{page_id(page)}: {target} does not exist"


def test_the_readme_sends_contributors_to_the_architecture_page() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    contributors = readme.split("## For contributors", 1)[1]
    assert "(docs/architecture.md)" in contributors


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_path_a_page_names_exists(page: Path) -> None:
    missing = []
    for path in CODE_PATH.findall(page.read_text(encoding="utf-8")):
        if any(mark in path for mark in ("<", "NNN", "*")):
            continue  # a pattern (`bot/<feature>/cli.py`), not a file
        if not (ROOT / path.rstrip("/")).exists():
            missing.append(path)
    assert missing == [], f"{page_id(page)} names paths that do not exist"
