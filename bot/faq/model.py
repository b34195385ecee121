"""What one FAQ entry is: the front matter admins write, and the entry the bot serves.

The front matter is checked by pydantic because it comes from a file a person edits: a typo in
a key must be an error with a line number, not a silently missing field. Inside the bot an
entry is a frozen dataclass, so a loaded FAQ can be shared between tasks without copying.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MIN_QUESTIONS = 6
Day = date  # `ReviewModel.date` would shadow the type inside its own class body


class SourceModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=200)
    url: str

    @field_validator("url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")) or " " in value:
            raise ValueError(
                "must be a web address starting with https:// (a DOI as https://doi.org/...)"
            )
        return value


class ReviewModel(BaseModel):
    """`review: {date: YYYY-MM-DD, by: <name or empty>}`: when the entry was last checked, and
    by which clinician if one read it against its sources (empty: an admin checked it)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    date: Day
    by: str | None = Field(default=None, max_length=120)

    @field_validator("by")
    @classmethod
    def _empty_is_nobody(cls, value: str | None) -> str | None:
        return value or None


class FrontMatter(BaseModel):
    """The YAML block between the two `---` lines of `faq/<id>.md`."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    # 80 keeps the feedback buttons' custom_id ("faq:<id>:unhelpful") within Discord's 100.
    id: str = Field(pattern=ID_PATTERN, max_length=80)
    title: str = Field(min_length=1)
    questions: list[str] = Field(min_length=1)
    tags: list[str] = []
    sources: list[SourceModel] = Field(min_length=1)
    review: ReviewModel | None = None
    reviewed: date | None = None  # the older spelling of review.date, still read
    related: list[str] = []

    @field_validator("review", mode="before")
    @classmethod
    def _bare_date(cls, value: Any) -> Any:
        """`review: 2026-11-01` is read as a review with that date and no clinician."""
        return {"date": value} if isinstance(value, date) else value

    @property
    def review_date(self) -> date | None:
        return self.review.date if self.review else self.reviewed

    @property
    def reviewed_by(self) -> str | None:
        return self.review.by if self.review else None

    @field_validator("questions", "tags", "related")
    @classmethod
    def _no_blank_items(cls, values: list[str]) -> list[str]:
        if any(not value.strip() for value in values):
            raise ValueError("has an empty item")
        return values


@dataclass(frozen=True)
class Source:
    title: str
    url: str
    # The file line of its `url:`, for `faq links` reports; not part of what a source is.
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class FaqEntry:
    id: str
    title: str
    questions: tuple[str, ...]
    tags: tuple[str, ...]
    sources: tuple[Source, ...]
    reviewed: date
    related: tuple[str, ...]
    body: str
    path: Path
    # The clinician who read the entry against its sources on `reviewed`; None when it was
    # only checked against them by an admin.
    reviewed_by: str | None = None

    @classmethod
    def from_front_matter(
        cls,
        meta: FrontMatter,
        body: str,
        path: Path,
        source_lines: tuple[int, ...] = (),
    ) -> FaqEntry:
        """`meta` must have a review date (the loader rejects entries without one)."""
        assert meta.review_date is not None
        lines = source_lines or (None,) * len(meta.sources)
        return cls(
            id=meta.id,
            title=meta.title,
            questions=tuple(meta.questions),
            tags=tuple(meta.tags),
            sources=tuple(
                Source(s.title, s.url, line) for s, line in zip(meta.sources, lines, strict=True)
            ),
            reviewed=meta.review_date,
            related=tuple(meta.related),
            body=body.strip(),
            path=path,
            reviewed_by=meta.reviewed_by,
        )
