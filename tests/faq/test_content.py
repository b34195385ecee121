"""The shipped FAQ after issue 13's medical review: what can be checked without a clinician.

Each correction is pinned by what it removed (a wrong phrase) or by the source it now cites,
never by its exact prose, so the wording can be improved without breaking these tests.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from bot.faq.loader import load_faq
from bot.faq.model import FaqEntry

ROOT = Path(__file__).resolve().parents[2]
REVIEW_DATE = date(2026, 12, 2)
NEW_IDS = (
    "hsct-trials",
    "choosing-an-hsct-centre",
    "fertility-and-pregnancy",
    "vaccines-and-hsct",
    "after-hsct-long-term",
    "reporting-harms",
    "paid-trials",
)
CORRECTED_IDS = (
    "progressive-ms",
    "hsct",
    "msc-evidence",
    "msc-vs-hsct",
    "risks-and-side-effects",
    "costs-and-travel",
    "who-is-eligible",
    "clinical-trials",
    "unproven-clinics",
    "approval-status",
    "how-mscs-might-help",
    "msc-administration",
    "medical-disclaimer",
)
FDA_PAGE = (
    "https://www.fda.gov/vaccines-blood-biologics/consumers-biologics/"
    "important-patient-and-consumer-information-about-regenerative-medicine-therapies"
)
SORMANI_2017 = "https://doi.org/10.1212/WNL.0000000000003987"
UK_SERIES_2025 = "https://doi.org/10.1136/jnnp-2025-336755"
TURNER_2017 = "https://doi.org/10.2217/rme-2017-0015"


@pytest.fixture(scope="module")
def entries() -> dict[str, FaqEntry]:
    result = load_faq(ROOT / "faq", stale_after_days=365, today=REVIEW_DATE)
    assert [str(p) for p in result.problems] == []
    return {entry.id: entry for entry in result.entries}


def urls(entry: FaqEntry) -> set[str]:
    return {source.url for source in entry.sources}


def body(entry: FaqEntry) -> str:
    return " ".join(entry.body.lower().split())


def test_all_26_entries_load_without_a_problem(entries: dict[str, FaqEntry]) -> None:
    assert len(entries) == 26


@pytest.mark.parametrize("entry_id", NEW_IDS)
def test_new_entry_is_complete(entries: dict[str, FaqEntry], entry_id: str) -> None:
    entry = entries[entry_id]
    words = len(re.findall(r"\w+", entry.body))
    assert 150 <= words <= 250, words
    assert 15 <= len(entry.questions) <= 20, len(entry.questions)
    assert entry.tags and entry.sources and entry.related
    assert entry.reviewed == REVIEW_DATE


@pytest.mark.parametrize("entry_id", NEW_IDS)
def test_new_entry_is_linked_from_another(entries: dict[str, FaqEntry], entry_id: str) -> None:
    linking = [e.id for e in entries.values() if entry_id in e.related and e.id != entry_id]
    assert linking, f"no entry lists {entry_id} in related"
    assert all(other in entries for other in entries[entry_id].related)


@pytest.mark.parametrize("entry_id", NEW_IDS)
def test_new_entry_points_to_the_members_own_team(
    entries: dict[str, FaqEntry], entry_id: str
) -> None:
    assert re.search(r"\b(neurologist|team|teams|doctors?)\b", body(entries[entry_id]))


@pytest.mark.parametrize("entry_id", CORRECTED_IDS)
def test_corrected_entry_carries_the_review_date(
    entries: dict[str, FaqEntry], entry_id: str
) -> None:
    assert entries[entry_id].reviewed == REVIEW_DATE


def test_progressive_ms_no_longer_says_the_risks_stay_the_same(
    entries: dict[str, FaqEntry],
) -> None:
    entry = entries["progressive-ms"]
    assert "stay the same" not in body(entry)
    # Risk rising with disability: the meta-analysis and the UK series of 364 people.
    assert {SORMANI_2017, UK_SERIES_2025} <= urls(entry)


def test_hsct_no_longer_promises_larger_trials(entries: dict[str, FaqEntry]) -> None:
    entry = entries["hsct"]
    assert "larger trials" not in body(entry)
    assert "https://doi.org/10.1001/jama.2018.18743" in urls(entry)  # MIST
    assert "hsct-trials" in entry.related


def test_msc_vs_hsct_does_not_call_ahsct_proven(entries: dict[str, FaqEntry]) -> None:
    entry = entries["msc-vs-hsct"]
    assert not re.search(r"\bproven\b", body(entry))
    assert {SORMANI_2017, UK_SERIES_2025} <= urls(entry)


def test_msc_evidence_cites_the_petrou_2020_paper(entries: dict[str, FaqEntry]) -> None:
    assert "https://doi.org/10.1093/brain/awaa333" in urls(entries["msc-evidence"])
    assert "crossover" in body(entries["msc-evidence"])  # MESEMS design


def test_msc_administration_cites_the_long_term_study_and_fat_claim(
    entries: dict[str, FaqEntry],
) -> None:
    entry = entries["msc-administration"]
    assert "https://clinicaltrials.gov/study/NCT04823000" in urls(entry)
    assert "often use fat" not in body(entry)
    assert FDA_PAGE in urls(entry)


def test_costs_cite_the_neurologylive_2018_figure(entries: dict[str, FaqEntry]) -> None:
    entry = entries["costs-and-travel"]
    assert any("neurologylive.com" in url for url in urls(entry))
    assert "NeurologyLive" in " ".join(s.title for s in entry.sources)
    assert "nhs" in body(entry)


@pytest.mark.parametrize(
    ("entry_id", "author", "real_title"),
    [
        (
            "how-mscs-might-help",
            "Gavasso",
            "the therapeutic mechanisms of mesenchymal stem cells in ms",
        ),
        ("what-are-mscs", "Gavasso", "the therapeutic mechanisms of mesenchymal stem cells in ms"),
        (
            "how-mscs-might-help",
            "Gugliandolo",
            "recent evidence from pre-clinical to clinical studies",
        ),
    ],
)
def test_mechanism_papers_carry_their_real_titles(
    entries: dict[str, FaqEntry], entry_id: str, author: str, real_title: str
) -> None:
    titles = [s.title.lower() for s in entries[entry_id].sources if s.title.startswith(author)]
    assert titles and real_title in titles[0]


def test_risks_cite_the_uk_series_the_register_and_clinic_harms(
    entries: dict[str, FaqEntry],
) -> None:
    found = urls(entries["risks-and-side-effects"])
    assert UK_SERIES_2025 in found
    assert any("mssociety.org.uk" in url for url in found)  # the 1.3 in 100 register figure
    assert any("nationalmssociety.org" in url for url in found)  # harms from clinics
    assert "5 of 364" in body(entries["risks-and-side-effects"])


def test_eligibility_cites_nmss_and_the_2025_european_recommendations(
    entries: dict[str, FaqEntry],
) -> None:
    found = urls(entries["who-is-eligible"])
    assert "https://doi.org/10.1001/jamaneurol.2020.4025" in found
    assert "https://doi.org/10.1038/s41582-024-01050-x" in found


@pytest.mark.parametrize("entry_id", ["clinical-trials", "unproven-clinics", "paid-trials"])
def test_listings_are_not_checks_with_their_sources(
    entries: dict[str, FaqEntry], entry_id: str
) -> None:
    entry = entries[entry_id]
    assert {FDA_PAGE, TURNER_2017} <= urls(entry)
    assert "registered with the fda" in body(entry)


def test_approval_status_cites_the_fda_page(entries: dict[str, FaqEntry]) -> None:
    entry = entries["approval-status"]
    assert FDA_PAGE in urls(entry)
    assert "cord-blood" in body(entry)


def test_disclaimer_says_answers_are_picked_and_gives_crisis_lines(
    entries: dict[str, FaqEntry],
) -> None:
    text = body(entries["medical-disclaimer"])
    assert "pre-written" in text and "program" in text
    for line in ("988", "116 123", "13 11 14", "1737", "findahelpline.com"):
        assert line in text, line


def test_trial_facts_and_registry_links(entries: dict[str, FaqEntry]) -> None:
    entry = entries["hsct-trials"]
    assert {
        "https://clinicaltrials.gov/study/NCT04047628",
        "https://clinicaltrials.gov/study/NCT03477500",
        "https://www.isrctn.com/ISRCTN88667898",
    } <= urls(entry)
    text = body(entry)
    assert "no longer recruiting" in text  # RAM-MS
    assert "2027" in text  # StarMS results


def test_reporting_harms_names_each_regulator(entries: dict[str, FaqEntry]) -> None:
    text = body(entries["reporting-harms"])
    for scheme in ("medwatch", "yellow card", "tga", "health canada"):
        assert scheme in text, scheme
    assert FDA_PAGE in urls(entries["reporting-harms"])


MS_SOCIETY_HSCT = (
    "https://www.mssociety.org.uk/about-ms/treatments-and-therapies/"
    "disease-modifying-therapies/hsct/hsct--what-to-expect"
)
SECONDARY_AUTOIMMUNE_2011 = "https://doi.org/10.1182/blood-2011-02-336156"  # Daikeler, Blood 2011
NICE_OCRELIZUMAB_PPMS = "https://www.nice.org.uk/guidance/ta585/chapter/1-Recommendations"
NICE_SIPONIMOD_SPMS = "https://www.nice.org.uk/guidance/TA656/chapter/1-Recommendations"
EBMT_JACIE = "https://portal.ebmt.org/Contents/Quality-Management/AboutJACIE/Pages/About-JACIE.aspx"


def test_risks_name_the_long_term_effects_with_their_sources(
    entries: dict[str, FaqEntry],
) -> None:
    entry = entries["risks-and-side-effects"]
    assert {MS_SOCIETY_HSCT, SECONDARY_AUTOIMMUNE_2011, UK_SERIES_2025} <= urls(entry)
    text = body(entry)
    assert "infections for a long time" in text
    assert "early menopause" in text
    assert "autoimmune conditions" in text and "thyroid" in text
    assert "1 in 10" in text  # new autoimmune condition within 5 years (Daikeler 2011)
    assert "ebv" in text  # reactivation in the UK series


def test_fertility_entry_names_early_menopause_with_its_source(
    entries: dict[str, FaqEntry],
) -> None:
    entry = entries["fertility-and-pregnancy"]
    assert MS_SOCIETY_HSCT in urls(entry)
    text = body(entry)
    assert "early menopause" in text
    assert "not yet added a checked source" not in text


def test_progressive_ms_names_the_licensed_medicines_nice_recommends(
    entries: dict[str, FaqEntry],
) -> None:
    entry = entries["progressive-ms"]
    assert {NICE_OCRELIZUMAB_PPMS, NICE_SIPONIMOD_SPMS} <= urls(entry)
    text = body(entry)
    assert "ocrelizumab for early primary progressive ms" in text
    assert "siponimod for secondary progressive ms that is still active" in text


def test_costs_say_the_nhs_offers_ahsct_to_some_people(entries: dict[str, FaqEntry]) -> None:
    entry = entries["costs-and-travel"]
    assert MS_SOCIETY_HSCT in urls(entry)
    text = body(entry).replace("*", "")
    assert "available on the nhs for people who meet very specific medical criteria" in text


def test_choosing_a_centre_names_jacie_accreditation(entries: dict[str, FaqEntry]) -> None:
    entry = entries["choosing-an-hsct-centre"]
    assert EBMT_JACIE in urls(entry)
    text = body(entry)
    assert "jacie" in text and "fact" in text


def test_paid_trials_cites_the_isscr_question_about_later_trials(
    entries: dict[str, FaqEntry],
) -> None:
    # Only the question is sourced (ISSCR "What to Ask"); no stored reputable source says
    # outright that unproven cells exclude you from trials, so the entry must not claim it.
    entry = entries["paid-trials"]
    assert (
        "https://www.closerlookatstemcells.org/stem-cells-medicine/stem-cell-treatments-what-to-ask/"
        in urls(entry)
    )
    text = body(entry)
    assert "clinical trial in the future" in text
    assert "will exclude you" not in text and "makes you ineligible" not in text
