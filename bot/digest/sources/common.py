"""Text helpers every source needs: titles without markup, DOIs in one form, short errors."""

from __future__ import annotations

import html
import re

from pydantic import ValidationError

_TAG = re.compile(r"<[^>]{1,40}>")
_SPACE = re.compile(r"\s+")
_DOI = re.compile(r"10\.\d{4,9}/[^\s\"'<>]+")


def clean_title(title: str) -> str:
    """Titles carry inline markup (<i>in vitro</i>), entities and a closing full stop."""
    text = _SPACE.sub(" ", _TAG.sub("", html.unescape(title))).strip()
    return text[:-1] if text.endswith(".") and not text.endswith("..") else text


def normalise_doi(value: str | None) -> str | None:
    """Lower-case bare DOI ("10.1000/x"), whatever URL or prefix it came wrapped in.

    DOIs are case-insensitive by definition, so the same paper from PubMed and from a
    journal's feed compares equal.
    """
    if not value:
        return None
    match = _DOI.search(value)
    if not match:
        return None
    return match.group(0).rstrip(".,;)]").lower()


def first_error(exc: ValidationError) -> str:
    """The first problem pydantic found, as `where: what`, for a one-line source error."""
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"]) or "payload"
    return f"{where}: {error['msg']}"
