"""Evidence labels: publication types first, MeSH next, titles last; measured on held-out titles."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.digest.evidence import (
    classify_pubmed,
    classify_title,
    has_hype,
    label,
    trial_phase,
    trial_status,
)
from bot.digest.model import Evidence

TITLES = Path(__file__).parent / "data" / "evidence_titles.yaml"


def accuracy(split: str) -> tuple[int, int]:
    rows = [
        row for row in yaml.safe_load(TITLES.read_text(encoding="utf-8")) if row["split"] == split
    ]
    right = sum(classify_title(row["title"]) == Evidence(row["kind"]) for row in rows)
    return right, len(rows)


def test_title_rules_on_the_tuning_set() -> None:
    right, total = accuracy("tune")
    assert total >= 40
    assert right / total >= 0.9


def test_title_rules_on_held_out_titles_nobody_tuned_on() -> None:
    right, total = accuracy("held_out")
    assert total >= 30
    assert right / total >= 0.8


@pytest.mark.parametrize(
    ("pubtypes", "title", "animals_only", "expected"),
    [
        (["Journal Article", "Randomized Controlled Trial"], "MSCs in MS", False, Evidence.RCT),
        (["Clinical Trial, Phase II", "Journal Article"], "aHSCT outcomes", False, Evidence.TRIAL),
        (["Meta-Analysis", "Systematic Review"], "aHSCT", False, Evidence.SR_MA),
        (["Review"], "Stem cells", False, Evidence.REVIEW),
        (["Case Reports"], "PML after aHSCT", False, Evidence.CASE_REPORT),
        # PubMed says animals only: a "trial" in mice is lab research; a review stays a review
        (["Randomized Controlled Trial"], "MSCs in EAE", True, Evidence.LAB),
        (["Review"], "MSCs in animal models", True, Evidence.REVIEW),
        (["Journal Article"], "MSCs modulate microglia", True, Evidence.LAB),
        # not indexed yet: the title decides
        (["Journal Article"], "MSCs ameliorate EAE in mice", False, Evidence.LAB),
        (["Journal Article"], "Cost of aHSCT in Sweden", False, Evidence.OTHER),
        (["Randomized Controlled Trial, Veterinary"], "MSCs in dogs", False, Evidence.LAB),
        # what a record is outranks the design it talks about; a retraction outranks all
        (["Clinical Trial Protocol"], "A randomised trial", False, Evidence.PROTOCOL),
        (["Letter", "Randomized Controlled Trial"], "Reply", False, Evidence.COMMENT),
        (["Review", "Retracted Publication"], "MSCs", False, Evidence.RETRACTED),
        (["Preprint"], "MSCs ameliorate EAE in mice", False, Evidence.PREPRINT),
        (["Editorial"], "EAE studies", True, Evidence.COMMENT),
    ],
)
def test_pubmed_classification(
    pubtypes: list[str], title: str, animals_only: bool, expected: Evidence
) -> None:
    assert classify_pubmed(pubtypes, title, animals_only=animals_only) is expected


def test_trial_phases_and_statuses_read_as_words() -> None:
    assert trial_phase(["PHASE2"]) == "phase 2"
    assert trial_phase(["PHASE1", "PHASE2"]) == "phase 1/2"
    assert trial_phase(["EARLY_PHASE1"]) == "early phase 1"
    assert trial_phase(["NA"]) == ""
    assert trial_status("RECRUITING") == "recruiting"
    assert trial_status("ACTIVE_NOT_RECRUITING") == "active, not recruiting"
    assert trial_status("SOMETHING_NEW") == "something new"


def test_every_label_is_plain_and_hype_free() -> None:
    for kind in Evidence:
        assert label(kind) and not has_hype(label(kind))


@pytest.mark.parametrize(
    "text",
    ["A cure for MS?", "Breakthrough in stem cells", "miracle treatment", "curing progressive MS"],
)
def test_hype_words_are_recognised(text: str) -> None:
    assert has_hype(text)


@pytest.mark.parametrize("text", ["Procurement of cells", "Security of the trial", "secure"])
def test_hype_check_does_not_fire_inside_other_words(text: str) -> None:
    assert not has_hype(text)
