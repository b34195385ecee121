"""The counting rule of `bot.moderation.outcomes`, case by case, and resolving as a category."""

from __future__ import annotations

from bot.moderation.outcomes import OutcomeRow, outcome_of, table, tally
from bot.moderation.service import ModerationService
from tests.moderation.conftest import message


def test_a_flag_resolved_as_another_category_is_wrong_for_one_and_missed_for_the_other() -> None:
    relabelled = OutcomeRow("advice", "advice", "crisis", "resolved")
    week = tally([relabelled], 7)
    assert (week.row("advice").dismissed, week.row("advice").confirmed) == (1, 0)
    assert week.row("crisis").missed == 1 and week.row("crisis").flagged == 0
    assert outcome_of(relabelled) == "missed"


def test_reports_resolved_as_other_are_no_miss_and_rows_before_the_migration_count() -> None:
    rows = [
        OutcomeRow("member-report", "none", "other", "resolved"),
        OutcomeRow("member-report", "crisis", "crisis", "resolved"),  # said crisis, not a miss
        OutcomeRow("member-report", None, None, "dismissed"),  # an old row
        OutcomeRow("crisis", None, None, "resolved"),  # an old row: confirmed as its own
        OutcomeRow("promotion", "promotion", None, "open"),
    ]
    week = tally(rows, 7)
    assert [(s.category, s.flagged, s.confirmed, s.dismissed, s.missed) for s in week.rows] == [
        ("crisis", 1, 1, 0, 0),
        ("advice", 0, 0, 0, 0),
        ("promotion", 1, 0, 0, 0),
        ("member-report", 3, 2, 1, 0),
    ]
    assert [outcome_of(r) for r in rows] == [
        "other",
        "confirmed",
        "false_positive",
        "confirmed",
        "open",
    ]
    lines = table(week).splitlines()
    assert lines[3].split() == ["promotion", "1", "0", "0", "0", "—"]
    assert lines[4].split() == ["member-report", "3", "2", "1", "—", "0.67"]


async def test_resolving_as_an_unknown_category_or_dismissing_with_one_is_refused(
    service: ModerationService,
) -> None:
    outcome = await service.report(message("spam spam spam", author_id=99), reporter_id=77)
    assert outcome.flag is not None
    wrong = await service.act(outcome.flag.id, "resolve", 501, category="rudeness")
    assert not wrong.ok
    assert wrong.message == "Resolve as one of crisis, advice, promotion, other ('rudeness' given)."
    assert not (await service.act(outcome.flag.id, "dismiss", 501, category="crisis")).ok
    flag = await service.get_flag(outcome.flag.id)
    assert flag is not None and flag.state == "open"
    done = await service.act(outcome.flag.id, "resolve", 501, category="promotion")
    assert done.ok and done.flag is not None and done.flag.resolved_category == "promotion"
    events = await service.history(outcome.flag.id)
    assert events[-1].note == "resolved as promotion"
