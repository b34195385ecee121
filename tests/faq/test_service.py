"""FaqService as Discord, the console and moderation use it: answers, reloads, feedback, stats."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.faq.service import FaqService, UnknownEntry
from bot.settings import Settings, load_settings
from bot.storage import Database
from tests.faq.helpers import line_of, write_entry

ROOT = Path(__file__).resolve().parents[2]


def settings_for(tmp_path: Path, faq_dir: Path) -> Settings:
    path = tmp_path / "settings.toml"
    path.write_text(
        f'[database]\npath = "{(tmp_path / "bot.sqlite3").as_posix()}"\n'
        f'[faq]\ndirectory = "{faq_dir.as_posix()}"\nwatch = false\n'
    )
    return load_settings(path)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "bot.sqlite3")
    yield database
    await database.close()


@pytest.fixture
async def small(tmp_path: Path, db: Database) -> AsyncIterator[FaqService]:
    faq_dir = tmp_path / "faq"
    write_entry(faq_dir, "alpha", title="All about alpha", related="beta", reviewed="2026-10-01")
    write_entry(
        faq_dir,
        "beta",
        title="Beta basics",
        related="alpha",
        reviewed="2026-11-01",
        by="Dr Ana Silva, neurologist",
    )
    service = await FaqService.create(settings_for(tmp_path, faq_dir), db)
    yield service
    await service.close()


@pytest.fixture
async def real(tmp_path: Path, db: Database) -> AsyncIterator[FaqService]:
    service = await FaqService.create(settings_for(tmp_path, ROOT / "faq"), db)
    yield service
    await service.close()


async def queries(db: Database) -> list[tuple[str, str | None]]:
    rows = await db.fetchall("SELECT query, matched_id FROM faq_queries ORDER BY id")
    return [(row["query"], row["matched_id"]) for row in rows]


async def test_version_and_get(small: FaqService) -> None:
    version = small.version()
    assert (version.count, str(version.newest_review)) == (2, "2026-11-01")
    assert small.get("alpha").title == "All about alpha"
    assert small.get("nope") is None


async def test_answer_card_shows_what_the_issue_asks(small: FaqService) -> None:
    card = small.answer("alpha").cards[0]
    assert card.title == "All about alpha"
    assert card.description == "A short, kind answer in plain words."
    fields = {f.name: f.value for f in card.fields}
    assert fields["Sources"] == "• [A source](https://doi.org/10.1000/example)"
    assert fields["Related topics"] == "• Beta basics (`beta`)"
    # No clinician named: the card claims only what an admin did.
    assert card.footer.startswith("Checked against sources on 2026-10-01 · ")
    assert "not medical advice" in card.footer
    assert "Reviewed" not in card.footer
    reviewed = small.answer("beta").cards[0].footer
    assert reviewed.startswith("Reviewed by Dr Ana Silva, neurologist on 2026-11-01 · ")
    assert card.problems() == []
    with pytest.raises(UnknownEntry):
        small.answer("nope").cards[0]


async def test_every_shipped_answer_fits_discord_and_links_its_sources(real: FaqService) -> None:
    for entry in real.entries():
        card = real.answer(entry.id).cards[0]
        assert card.problems() == [], entry.id
        sources = next(f.value for f in card.fields if f.name == "Sources")
        for source in entry.sources:
            url = source.url.replace("(", "%28").replace(")", "%29")
            assert f"]({url})" in sources
        assert "\n" not in card.description.split("\n\n")[0], "hard-wrapped lines were joined"


async def test_ask_answers_and_records(real: FaqService, db: Database) -> None:
    result = await real.ask("are mesenchymal cells an experimental treatment for ms?")
    assert result.entry is not None and result.entry.id == "msc-evidence"
    assert result.card == real.answer("msc-evidence").cards[0]
    assert len(result.alternatives) == 3 and result.entry not in result.alternatives
    assert 0.5 <= result.score <= 1.0
    assert await queries(db) == [
        ("are mesenchymal cells an experimental treatment for ms?", "msc-evidence")
    ]


async def test_ask_abstains_kindly_and_records_unanswered(real: FaqService, db: Database) -> None:
    result = await real.ask("how do I set up two factor auth on my account")
    assert result.entry is None
    assert result.card.title == "I don't have a good answer to that yet"
    assert len(result.alternatives) == 3
    for entry in result.alternatives:
        assert f"{entry.title} (`{entry.id}`)" in result.card.description
    assert "neurologist" in result.card.description
    assert await queries(db) == [("how do I set up two factor auth on my account", None)]


async def test_abstaining_with_nothing_in_common_offers_starting_points(real: FaqService) -> None:
    result = await real.ask("pin message channel")
    assert [e.id for e in result.alternatives] == [
        "msc-vs-hsct",
        "what-are-mscs",
        "what-are-stem-cells",
    ]


async def test_reload_card_lists_problems_within_discord_limits(
    tmp_path: Path, small: FaqService
) -> None:
    for n in range(60):
        write_entry(tmp_path / "faq", f"broken-{n:02d}", reviewed="not a date")
    report = await small.reload()
    card = report.card()
    assert card.problems() == []
    assert card.title == "FAQ not reloaded"
    lines = card.description.splitlines()
    assert (
        lines[0]
        == "FAQ not reloaded, still serving the previous 2 entries: 60 error(s), 0 warning(s)."
    )
    assert lines[2].startswith(f"• {tmp_path / 'faq' / 'broken-00.md'}:")
    assert lines[-1].endswith("more: run `python bot.py faq check` to see them all.")


async def test_recorded_questions_are_short(real: FaqService, db: Database) -> None:
    await real.ask("my story " * 100)
    (stored, _), *_ = await queries(db)
    assert len(stored) <= 200


async def test_best_match_for_moderation(real: FaqService, db: Database) -> None:
    assert real.best_match("should I fly to a clinic abroad for stem cells, is it a scam?") == (
        "unproven-clinics",
        "How can I spot an unproven stem cell clinic?",
    )
    assert real.best_match("see you all at the meetup on friday") is None
    assert await queries(db) == []


async def test_reload_with_a_broken_file_keeps_the_last_good_set(
    tmp_path: Path, small: FaqService
) -> None:
    faq_dir = tmp_path / "faq"
    broken = write_entry(faq_dir, "alpha", title="Alpha: now broken", related="beta")
    write_entry(faq_dir, "gamma", title="Gamma", related="nowhere")
    report = await small.reload()
    assert not report.ok
    problems = [str(p) for p in report.problems]
    assert any(
        p.startswith(f"{broken}:{line_of(broken, 'title:')}: error: bad YAML") for p in problems
    )
    gamma = faq_dir / "gamma.md"
    assert (
        f"{gamma}:{line_of(gamma, 'related:')}: error: related: unknown entry 'nowhere'"
        in "\n".join(problems)
    )
    assert report.summary().startswith("FAQ not reloaded, still serving the previous 2 entries")
    # Members still get the old answers; nothing half-loaded is served.
    assert small.version().count == 2
    assert small.answer("alpha").cards[0].title == "All about alpha"
    assert small.get("gamma") is None

    write_entry(faq_dir, "alpha", title="Alpha, fixed", related="beta")
    write_entry(faq_dir, "gamma", title="Gamma", related="alpha")
    report = await small.reload()
    assert report.ok and report.errors == []
    assert small.version().count == 3
    assert small.answer("alpha").cards[0].title == "Alpha, fixed"


async def test_feedback_is_recorded_once_per_member_and_entry(small: FaqService) -> None:
    assert await small.record_feedback("alpha", 1, True) is True
    assert await small.record_feedback("alpha", 1, False) is False
    assert await small.record_feedback("beta", 1, False) is True
    assert await small.record_feedback("alpha", 2, False) is True
    with pytest.raises(UnknownEntry):
        await small.record_feedback("gone", 1, True)


async def test_stats_card(real: FaqService) -> None:
    for _ in range(3):
        await real.ask("what are mesenchymal stem cells")
    await real.ask("Where do I park at the clinic on Tuesday @everyone")
    await real.ask("where do i park at the clinic on tuesday?")
    await real.ask("how many people die from ahsct")
    await real.record_feedback("what-are-mscs", 1, True)
    await real.record_feedback("what-are-mscs", 2, False)
    await real.record_feedback("what-are-mscs", 3, True)
    card = await real.stats_card()
    assert card.problems() == []
    assert card.description == "6 questions asked, 4 answered (67%)."
    fields = {f.name: f.value for f in card.fields}
    assert fields["Most asked"].splitlines() == [
        "• What are mesenchymal stem cells (MSCs)? — 3",
        "• What are the risks and side effects? — 1",
    ]
    unanswered = fields["Most frequent unanswered"]
    assert unanswered.endswith("— 2") and unanswered.count("•") == 1
    assert "@everyone" not in unanswered
    assert fields["Helpfulness per entry"] == (
        "• What are mesenchymal stem cells (MSCs)? — 2 helpful, 1 not (67%)"
    )


async def test_empty_stats(small: FaqService) -> None:
    card = await small.stats_card()
    assert card.description == "0 questions asked, 0 answered (n/a)."
    assert [f.value for f in card.fields] == [
        "Nothing asked yet.",
        "No unanswered questions.",
        "No feedback yet.",
    ]


async def test_missing_directory_is_a_config_error(tmp_path: Path, db: Database) -> None:
    with pytest.raises(ConfigError, match=r"\[faq\] directory: .*nope does not exist"):
        await FaqService.create(settings_for(tmp_path, tmp_path / "nope"), db)


async def test_broken_files_at_start_are_left_out_and_the_rest_served(
    tmp_path: Path, db: Database
) -> None:
    faq_dir = tmp_path / "faq"
    write_entry(faq_dir, "alpha")
    write_entry(faq_dir, "beta", text="not an entry")
    service = await FaqService.create(settings_for(tmp_path, faq_dir), db)
    assert [e.id for e in service.entries()] == ["alpha"]
    await service.close()


async def test_watcher_reloads_when_a_file_changes(tmp_path: Path, db: Database) -> None:
    faq_dir = tmp_path / "faq"
    write_entry(faq_dir, "alpha", title="Before")
    service = await FaqService.create(settings_for(tmp_path, faq_dir), db, watch=True)
    try:
        await asyncio.sleep(0.2)  # let the watcher start before the edit
        write_entry(faq_dir, "alpha", title="After")
        for _ in range(100):
            if service.answer("alpha").cards[0].title == "After":
                break
            await asyncio.sleep(0.05)
        assert service.answer("alpha").cards[0].title == "After"
    finally:
        await service.close()


async def backdate(db: Database, query: str, days: int) -> None:
    moment = datetime.now(UTC) - timedelta(days=days)
    await db.execute(
        "UPDATE faq_queries SET at = ? WHERE query = ?",
        (moment.isoformat(timespec="seconds"), query),
    )


async def test_old_question_text_is_erased_and_still_counted(
    real: FaqService, db: Database
) -> None:
    old_answered = "how many people die from ahsct"
    old_unanswered = "my wife has ms and a rash on her arm, what is it"
    recent = "where do i park at the clinic on tuesday?"
    for question in (old_answered, old_unanswered, recent):
        await real.ask(question)
    await backdate(db, old_answered, days=91)
    await backdate(db, old_unanswered, days=120)
    await backdate(db, recent, days=89)  # inside the 90-day default: kept

    assert await real.erase_old_questions() == 2
    assert await queries(db) == [
        ("", "risks-and-side-effects"),
        ("", None),
        (recent, None),
    ]
    assert await real.erase_old_questions() == 0  # nothing left to erase

    card = await real.stats_card()
    assert card.description == "3 questions asked, 1 answered (33%)."
    fields = {f.name: f.value for f in card.fields}
    assert fields["Most asked"] == "• What are the risks and side effects? — 1"
    assert fields["Most frequent unanswered"].splitlines() == [
        "• where do i park at the clinic on tuesday? — 1"
    ]


async def test_retention_follows_the_setting(tmp_path: Path, db: Database) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(
        f'[faq]\ndirectory = "{(ROOT / "faq").as_posix()}"\nwatch = false\n'
        "query_retention_days = 7\n"
    )
    service = await FaqService.create(load_settings(path), db)
    try:
        await service.ask("is hsct safe")
        await backdate(db, "is hsct safe", days=8)
        assert await service.erase_old_questions() == 1
    finally:
        await service.close()


def test_retention_must_be_at_least_a_day(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("[faq]\nquery_retention_days = 0\n")
    with pytest.raises(ConfigError, match="query_retention_days"):
        load_settings(path)


@pytest.mark.parametrize("broken", [False, True])
async def test_an_empty_faq_starts_with_a_warning_and_says_it_is_empty(
    tmp_path: Path, db: Database, caplog: pytest.LogCaptureFixture, broken: bool
) -> None:
    faq_dir = tmp_path / "faq"
    faq_dir.mkdir()
    if broken:
        (faq_dir / "broken.md").write_text("no front matter here\n", encoding="utf-8")
    with caplog.at_level("WARNING", logger="bot.faq"):
        service = await FaqService.create(settings_for(tmp_path, faq_dir), db)
    try:
        assert any("the FAQ is empty" in r.getMessage() for r in caplog.records)
        for question in ("what are MSCs?", "hsct"):
            result = await service.ask(question)
            assert result.entry is None and result.card.title == "The FAQ is empty"
        assert service.autocomplete("ms") == []
    finally:
        await service.close()
