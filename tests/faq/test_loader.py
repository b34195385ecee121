"""The validator as an admin meets it: every problem names its file and line and says what to do."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from bot.faq.loader import LoadResult, load_faq
from tests.faq.helpers import ENTRY, line_of, write_entry

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 25)
REQUIRED_IDS = {
    "what-are-stem-cells",
    "what-are-mscs",
    "msc-administration",
    "how-mscs-might-help",
    "msc-evidence",
    "hsct",
    "realistic-expectations",
    "risks-and-side-effects",
    "unproven-clinics",
    "clinical-trials",
    "who-is-eligible",
    "talk-to-your-neurologist",
    "medical-disclaimer",
    "costs-and-travel",
    "msc-vs-hsct",
    "progressive-ms",
}


def load(directory: Path) -> LoadResult:
    return load_faq(directory, stale_after_days=365, today=TODAY)


def only(result: LoadResult, severity: str = "error") -> str:
    found = [str(p) for p in result.problems if p.severity == severity]
    assert len(found) == 1, found
    return found[0]


def test_shipped_faq_is_clean_and_complete() -> None:
    result = load_faq(ROOT / "faq", stale_after_days=365)
    assert [str(p) for p in result.problems] == []
    ids = {entry.id for entry in result.entries}
    assert REQUIRED_IDS <= ids
    for entry in result.entries:
        words = len(re.findall(r"\w+", entry.body))
        assert 120 <= words <= 250, (entry.id, words)
        assert len(entry.questions) >= 6, entry.id
        assert entry.sources and entry.related, entry.id
        assert all(s.url.startswith("https://") for s in entry.sources), entry.id


def test_shipped_faq_states_the_key_facts() -> None:
    """The facts the issue insists on, in the entries members will read for them."""
    body = {e.id: e.body.lower() for e in load_faq(ROOT / "faq").entries}
    assert "experimental" in body["msc-evidence"]
    assert "did not meet its main goal" in body["msc-evidence"]
    assert "strongest evidence" in body["hsct"] and "risk" in body["hsct"]
    assert "treatment-related death" in body["risks-and-side-effects"]
    assert "blindness, tumours" in body["unproven-clinics"]


def test_valid_entry_loads(tmp_path: Path) -> None:
    write_entry(tmp_path, "alpha", related="beta")
    write_entry(tmp_path, "beta", related="alpha")
    result = load(tmp_path)
    assert result.problems == ()
    assert [e.id for e in result.entries] == ["alpha", "beta"]
    assert result.entries[0].reviewed == date(2026, 11, 1)


def test_bad_yaml_points_at_the_line(tmp_path: Path) -> None:
    path = write_entry(tmp_path, "alpha", title="What: is this")
    problem = only(load(tmp_path))
    assert problem.startswith(f"{path}:{line_of(path, 'title:')}: error: bad YAML")
    assert "quote" in problem
    assert load(tmp_path).entries == ()


def test_missing_front_matter(tmp_path: Path) -> None:
    path = write_entry(tmp_path, "alpha", text="Just an answer, no fields.\n")
    assert only(load(tmp_path)).startswith(f"{path}:1: error: no front matter")


def test_unclosed_front_matter(tmp_path: Path) -> None:
    path = write_entry(tmp_path, "alpha", text="---\nid: alpha\ntitle: x\n")
    assert only(load(tmp_path)).startswith(f"{path}:1: error: front matter is not closed")


def test_missing_field_names_it_and_how_to_fix(tmp_path: Path) -> None:
    text = ENTRY.format(id="alpha", title="T", reviewed="2026-11-01", related="", body="Answer.")
    text = re.sub(r"sources:\n  - title: \"A source\"\n    url: \S+\n", "", text)
    path = write_entry(tmp_path, "alpha", text=text)
    problem = only(load(tmp_path))
    assert problem.startswith(f"{path}:1: error: missing field 'sources'")
    assert "url: https://" in problem


def test_unknown_field_is_an_error_at_its_line(tmp_path: Path) -> None:
    text = ENTRY.format(id="alpha", title="T", reviewed="2026-11-01", related="", body="A.")
    path = write_entry(tmp_path, "alpha", text=text.replace("related:", "releated:"))
    problem = only(load(tmp_path))
    assert problem.startswith(f"{path}:{line_of(path, 'releated:')}: error: unknown field")
    assert "related" in problem


def test_wrong_type_is_reported_at_its_line(tmp_path: Path) -> None:
    path = write_entry(tmp_path, "alpha", reviewed="last week")
    problem = only(load(tmp_path))
    line = line_of(path, "review:")
    assert problem == f"{path}:{line}: error: review.date: must be a date written as YYYY-MM-DD"

    path = write_entry(tmp_path, "alpha", reviewed="last week", old_format=True)
    problem = only(load(tmp_path))
    line = line_of(path, "reviewed:")
    assert problem == f"{path}:{line}: error: reviewed: must be a date written as YYYY-MM-DD"


def test_bad_source_url_points_at_the_source_line(tmp_path: Path) -> None:
    text = ENTRY.format(id="alpha", title="T", reviewed="2026-11-01", related="", body="A.")
    path = write_entry(tmp_path, "alpha", text=text.replace("url: https://", "url: doi:"))
    problem = only(load(tmp_path))
    assert problem.startswith(f"{path}:{line_of(path, '    url:')}: error: sources[0].url: must")


def test_unknown_related_id(tmp_path: Path) -> None:
    path = write_entry(tmp_path, "alpha", related="no-such-entry")
    result = load(tmp_path)
    assert only(result) == (
        f"{path}:{line_of(path, 'related:')}: error: related: unknown entry 'no-such-entry' "
        "(no valid faq file has this id)"
    )
    # The answer itself is still served, without the broken link.
    assert [e.id for e in result.entries] == ["alpha"]


def test_duplicate_id_and_id_not_matching_file_name(tmp_path: Path) -> None:
    first = write_entry(tmp_path, "alpha")
    second = write_entry(tmp_path, "beta")
    second.write_text(second.read_text().replace("id: beta", "id: alpha"))
    problems = [str(p) for p in load(tmp_path).problems]
    line = line_of(second, "id:")
    assert f"{second}:{line}: error: duplicate id 'alpha' (also in {first})" in problems
    assert any(
        p.startswith(f"{second}:{line}: error: id 'alpha' does not match the file name")
        for p in problems
    )
    assert [e.id for e in load(tmp_path).entries] == ["alpha"]


def test_duplicate_key(tmp_path: Path) -> None:
    text = ENTRY.format(id="alpha", title="T", reviewed="2026-11-01", related="", body="A.")
    path = write_entry(tmp_path, "alpha", text=text.replace("tags: [test]", "title: Again"))
    problem = only(load(tmp_path))
    assert problem.startswith(
        f"{path}:{line_of(path, 'title: Again')}: error: duplicate field 'title'"
    )


def test_empty_answer(tmp_path: Path) -> None:
    path = write_entry(tmp_path, "alpha", body="")
    assert only(load(tmp_path)).startswith(
        f"{path}:{line_of(path, 'related:') + 2}: error: the answer is empty"
    )


@pytest.mark.parametrize(
    ("kwargs", "key", "message"),
    [
        ({"title": "T" * 257}, "title:", "title is 257 characters; Discord allows 256"),
        (
            {"body": "word " * 900},
            None,
            "the answer is 4499 characters; Discord allows 4096 in an embed",
        ),
    ],
)
def test_discord_limits(tmp_path: Path, kwargs: dict, key: str | None, message: str) -> None:
    path = write_entry(tmp_path, "alpha", **kwargs)
    line = line_of(path, key) if key else line_of(path, "related:") + 2
    assert only(load(tmp_path)).startswith(f"{path}:{line}: error: {message}")
    assert load(tmp_path).entries == ()


def test_sources_too_long_for_one_embed_field(tmp_path: Path) -> None:
    sources = "".join(
        f'  - title: "{"Long source title " * 5}{n}"\n    url: https://example.org/{n}\n'
        for n in range(12)
    )
    text = ENTRY.format(id="alpha", title="T", reviewed="2026-11-01", related="", body="A.")
    text = re.sub(
        r"sources:\n  - title: \"A source\"\n    url: \S+\n", "sources:\n" + sources, text
    )
    path = write_entry(tmp_path, "alpha", text=text)
    problem = only(load(tmp_path))
    assert problem.startswith(f"{path}:{line_of(path, 'sources:')}: error: sources render to")
    assert "1024" in problem


def test_stale_review_is_a_warning_not_an_error(tmp_path: Path) -> None:
    path = write_entry(tmp_path, "alpha", reviewed="2025-06-01")
    result = load(tmp_path)
    assert result.errors == []
    assert only(result, "warning") == (
        f"{path}:{line_of(path, 'review:')}: warning: reviewed 2025-06-01 is 542 days ago "
        "(more than 365): check it against current sources and update the date"
    )
    assert [e.id for e in result.entries] == ["alpha"]


def test_review_names_the_clinician(tmp_path: Path) -> None:
    write_entry(tmp_path, "alpha", reviewed="2026-10-20", by="Dr Ana Silva, neurologist")
    result = load(tmp_path)
    assert result.problems == () and result.unreviewed == ()
    entry = result.entries[0]
    assert (entry.reviewed, entry.reviewed_by) == (date(2026, 10, 20), "Dr Ana Silva, neurologist")


def test_review_without_a_clinician_is_noted_once_per_entry(tmp_path: Path) -> None:
    path = write_entry(tmp_path, "alpha", reviewed="2026-10-20")
    write_entry(tmp_path, "beta", by="Sam Lee, MS nurse")
    result = load(tmp_path)
    assert result.problems == ()
    assert result.entries[0].reviewed_by is None
    assert [str(p) for p in result.unreviewed] == [
        f"{path}:{line_of(path, 'review:')}: warning: review: not yet reviewed by a clinician "
        "(checked against sources on 2026-10-20)"
    ]


def test_old_reviewed_date_is_still_read_as_a_review_by_nobody(tmp_path: Path) -> None:
    path = write_entry(tmp_path, "alpha", reviewed="2026-10-20", old_format=True)
    result = load(tmp_path)
    assert result.problems == ()
    entry = result.entries[0]
    assert (entry.reviewed, entry.reviewed_by) == (date(2026, 10, 20), None)
    assert result.unreviewed[0].line == line_of(path, "reviewed:")


def test_review_as_a_bare_date_or_block_mapping(tmp_path: Path) -> None:
    text = ENTRY.format(id="alpha", title="T", reviewed="2026-11-01", related="", body="A.")
    review = "review: {date: 2026-11-01, by: }"
    write_entry(tmp_path, "alpha", text=text.replace(review, "review: 2026-10-01"))
    block = "review:\n  date: 2026-09-01\n  by: Dr Jo Park (neurologist)"
    write_entry(tmp_path, "beta", text=text.replace("alpha", "beta").replace(review, block))
    result = load(tmp_path)
    assert result.problems == ()
    assert [(e.reviewed, e.reviewed_by) for e in result.entries] == [
        (date(2026, 10, 1), None),
        (date(2026, 9, 1), "Dr Jo Park (neurologist)"),
    ]


@pytest.mark.parametrize(
    ("review", "message"),
    [
        ("", "missing field 'review': when it was last checked against its sources"),
        ("review: Dr Park", "review: write it as {date: YYYY-MM-DD, by:"),
        ("review: {by: Dr Park}", "missing field 'review.date'"),
        ("review: {date: 2026-11-01, who: x}", "unknown field 'review.who' (a review has only"),
        ("review: {date: 2026-11-01}\nreviewed: 2026-11-01", "reviewed: the entry also has"),
    ],
)
def test_bad_review_is_one_line_at_its_line(tmp_path: Path, review: str, message: str) -> None:
    text = ENTRY.format(id="alpha", title="T", reviewed="2026-11-01", related="", body="A.")
    text = text.replace("review: {date: 2026-11-01, by: }", review)
    path = write_entry(tmp_path, "alpha", text=text)
    result = load(tmp_path)
    assert result.entries == ()
    problem = only(result)
    start = review.split("\n")[-1].split(":")[0] + ":" if review else None
    line = line_of(path, start) if start else 1
    assert problem.startswith(f"{path}:{line}: error: {message}"), problem


def test_few_questions_is_a_warning(tmp_path: Path) -> None:
    text = ENTRY.format(id="alpha", title="T", reviewed="2026-11-01", related="", body="A.")
    text = text.replace("  - who invented the alpha thing\n", "")
    path = write_entry(tmp_path, "alpha", text=text)
    assert only(load(tmp_path), "warning").startswith(
        f"{path}:{line_of(path, 'questions:')}: warning: only 5 questions"
    )


def test_every_problem_in_every_file_is_reported(tmp_path: Path) -> None:
    write_entry(tmp_path, "alpha", reviewed="yesterday")
    write_entry(tmp_path, "beta", title="T" * 300)
    write_entry(tmp_path, "gamma", text="no front matter")
    write_entry(tmp_path, "delta")
    (tmp_path / "_template.md").write_text("ignored: files starting with _ are templates")
    result = load(tmp_path)
    assert {Path(p.path).stem for p in result.errors} == {"alpha", "beta", "gamma"}
    assert [e.id for e in result.entries] == ["delta"]
    assert result.files == 4


def test_missing_directory(tmp_path: Path) -> None:
    result = load(tmp_path / "nope")
    assert [str(p) for p in result.problems] == [
        f"{tmp_path / 'nope'}: error: no such directory (set [faq] directory in settings)"
    ]
