"""What one FAQ entry is: the front matter admins write, and the entry the bot serves.

The front matter is checked by pydantic because it comes from a file a person edits: a typo in
a key must be an error with a line number, not a silently missing field. Inside the bot an
entry is a frozen dataclass, so a loaded FAQ can be shared between tasks without copying.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MIN_QUESTIONS = 6


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


class FrontMatter(BaseModel):
    """The YAML block between the two `---` lines of `faq/<id>.md`."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    # 80 keeps the feedback buttons' custom_id ("faq:<id>:unhelpful") within Discord's 100.
    id: str = Field(pattern=ID_PATTERN, max_length=80)
    title: str = Field(min_length=1)
    questions: list[str] = Field(min_length=1)
    tags: list[str] = []
    sources: list[SourceModel] = Field(min_length=1)
    reviewed: date
    related: list[str] = []

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

    @classmethod
    def from_front_matter(cls, meta: FrontMatter, body: str, path: Path) -> FaqEntry:
        return cls(
            id=meta.id,
            title=meta.title,
            questions=tuple(meta.questions),
            tags=tuple(meta.tags),
            sources=tuple(Source(s.title, s.url) for s in meta.sources),
            reviewed=meta.reviewed,
            related=tuple(meta.related),
            body=body.strip(),
            path=path,
        )
