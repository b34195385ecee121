"""`python bot.py faq check|ask` as an admin runs them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.cli import main
from tests.faq.helpers import line_of, write_entry

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Settings pointing at the shipped FAQ; run from an empty folder so nothing else leaks in."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "settings.toml"
    path.write_text(f'[faq]\ndirectory = "{(ROOT / "faq").as_posix()}"\n')
    return str(path)


def test_check_passes_on_the_shipped_faq(config: str, capsys: pytest.CaptureFixture) -> None:
    assert main(["--config", config, "faq", "check"]) == 0
    out = capsys.readouterr().out.splitlines()
    n = len(list((ROOT / "faq").glob("*.md")))
    # The only warnings are the notes about entries no clinician has reviewed yet.
    notes = [line for line in out if "warning: review: not yet reviewed by a clinician" in line]
    assert len(out) == len(notes) + (2 if notes else 1)
    if notes:
        assert out[-2].startswith(f"{len(notes)} of {n} entries not yet reviewed by a clinician")
    assert out[-1] == (
        f"{ROOT / 'faq'}: {n} files, {n} entries, 0 error(s), {len(notes)} warning(s): ok"
    )


def test_check_prints_each_problem_and_fails_on_errors(
    tmp_path: Path, config: str, capsys: pytest.CaptureFixture
) -> None:
    faq = tmp_path / "faq"
    bad = write_entry(faq, "alpha", related="missing-entry", by="Dr Park, neurologist")
    old = write_entry(faq, "beta", reviewed="2020-01-01", by="Dr Park, neurologist")
    assert main(["--config", config, "faq", "check", str(faq)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{bad}:{line_of(bad, 'related:')}: error: related: unknown entry")
    assert out[1].startswith(f"{old}:{line_of(old, 'review:')}: warning: reviewed 2020-01-01")
    assert out[2] == f"{faq}: 2 files, 2 entries, 1 error(s), 1 warning(s): FAILED"


def test_check_warns_for_each_entry_no_clinician_reviewed(
    tmp_path: Path, config: str, capsys: pytest.CaptureFixture
) -> None:
    faq = tmp_path / "faq"
    new = write_entry(faq, "alpha", reviewed="2026-11-20")
    old = write_entry(faq, "beta", reviewed="2026-11-21", old_format=True)
    write_entry(faq, "gamma", by="Sam Lee, MS nurse")
    assert main(["--config", config, "faq", "check", str(faq)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{new}:{line_of(new, 'review:')}: warning: review: not yet reviewed by a clinician "
        "(checked against sources on 2026-11-20)",
        f"{old}:{line_of(old, 'reviewed:')}: warning: review: not yet reviewed by a clinician "
        "(checked against sources on 2026-11-21)",
        "2 of 3 entries not yet reviewed by a clinician: ask a neurologist or MS nurse to read "
        "each entry against its sources, then set review: {date: YYYY-MM-DD, by: <their name "
        "and role>}",
        f"{faq}: 3 files, 3 entries, 0 error(s), 2 warning(s): ok",
    ]


def test_check_with_only_warnings_passes(
    tmp_path: Path, config: str, capsys: pytest.CaptureFixture
) -> None:
    faq = tmp_path / "faq"
    write_entry(faq, "alpha", reviewed="2020-01-01", by="Dr Park, neurologist")
    assert main(["--config", config, "faq", "check", str(faq)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith("0 error(s), 1 warning(s): ok")


def test_check_missing_directory_is_one_line(
    tmp_path: Path, config: str, capsys: pytest.CaptureFixture
) -> None:
    assert main(["--config", config, "faq", "check", str(tmp_path / "nope")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"error: {tmp_path / 'nope'}: no such directory (give the folder holding the .md files)"
    ]


def test_ask_prints_the_answer_with_sources(config: str, capsys: pytest.CaptureFixture) -> None:
    assert (
        main(
            [
                "--config",
                config,
                "faq",
                "ask",
                "what does an ahsct stem cell transplant involve for ms",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("What is aHSCT (stem cell transplant for MS)?  [hsct, confidence 0.")
    assert "Sources:\n  - [Burt et al., MIST trial, JAMA 2019](https://doi.org/" in out
    assert "not medical advice" in out


def test_ask_abstains_with_closest_topics(config: str, capsys: pytest.CaptureFixture) -> None:
    assert main(["--config", config, "faq", "ask", "how do I rename a channel"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("No confident answer (confidence 0.")
    assert len(out) <= 4


def test_ask_json(config: str, capsys: pytest.CaptureFixture) -> None:
    assert main(["--config", config, "faq", "ask", "--json", "exosome injections for ms"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["query"] == "exosome injections for ms"
    assert answer["id"] == "other-cell-products"
    assert answer["title"].startswith("What about exosomes")
    assert 0.6 <= answer["score"] <= 1
    assert set(answer["review"]) == {"date", "by"}
    assert answer["review"]["date"].startswith("20")


def test_ask_reads_questions_from_stdin(
    config: str, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    questions = "is there an age limit for aHSCT\n\nwhat is the wifi password\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(questions))
    assert main(["--config", config, "faq", "ask", "-"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(a["query"], a["id"]) for a in lines] == [
        ("is there an age limit for aHSCT", "who-is-eligible"),
        ("what is the wifi password", None),
    ]
    assert lines[1]["title"] is None and lines[1]["review"] is None
    assert set(lines[1]) == {"query", "id", "title", "score", "review"}
