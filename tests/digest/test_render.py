"""One digest message inside Discord's limits, grouped by source, honest in its own words."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.card import EMBED_TOTAL_LIMIT, EMBEDS_PER_MESSAGE
from bot.digest.evidence import has_hype
from bot.digest.model import CLINICALTRIALS, PUBMED, Evidence, Item, SourceStatus, Tracked
from bot.digest.render import Group, message_text, render_digest, status_card
from bot.digest.tracking import Choice

WHEN = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ZONE = ZoneInfo("Europe/London")
GROUPS = [
    Group(PUBMED, "New on PubMed", "https://pubmed.ncbi.nlm.nih.gov/?term=ms", 1),
    Group(CLINICALTRIALS, "Trials on ClinicalTrials.gov", "https://clinicaltrials.gov/search", 2),
]


def paper(n: int, *, title: str | None = None, kind: Evidence = Evidence.RCT) -> Tracked:
    item = Item(
        PUBMED,
        str(40000000 + n),
        title or f"Mesenchymal stem cells in progressive multiple sclerosis, cohort {n}",
        f"https://pubmed.ncbi.nlm.nih.gov/{40000000 + n}/",
        kind=kind,
        detail="Multiple sclerosis (Houndmills, Basingstoke, England) · 2026 Feb 27",
        news_date=date(2026, 2, 27),
    )
    return Tracked(item, "2026-03-02T09:00:00+00:00")


def trial(n: int, *, update: bool) -> Tracked:
    item = Item(
        CLINICALTRIALS,
        f"NCT{n:08d}",
        f"Autologous HSCT versus best available therapy, site {n}",
        f"https://clinicaltrials.gov/study/NCT{n:08d}",
        version="2026-02-28",
        kind=Evidence.TRIAL,
        detail="Clinical trial, phase 3 · recruiting",
        news_date=date(2026, 2, 28),
    )
    return Tracked(item, "x", posted_version="2026-01-01" if update else None)


def test_a_small_digest_shows_every_item_with_its_label() -> None:
    choice = Choice([paper(1), trial(1, update=False), trial(2, update=True)], [])
    digest = render_digest(choice, GROUPS, when=WHEN, zone=ZONE, max_items=30)
    message = digest.message
    assert message.problems() == []
    assert [card.title for card in message.cards] == [
        "New on PubMed",
        "Trials on ClinicalTrials.gov",
    ]
    pubmed_card, trials_card = message.cards
    assert "**[Mesenchymal stem cells in progressive multiple sclerosis, cohort 1]" in (
        pubmed_card.description
    )
    assert "Randomised controlled trial · Multiple sclerosis" in pubmed_card.description
    assert "Newly registered · Clinical trial, phase 3 · recruiting · updated 28 Feb 2026" in (
        trials_card.description
    )
    assert "Updated · Clinical trial, phase 3" in trials_card.description
    assert "1 new paper on PubMed, 1 newly registered and 1 updated trials" in message.content
    assert len(digest.shown) == 3 and digest.more == []
    assert (
        message.cards[-1].footer and "Information, not medical advice" in message.cards[-1].footer
    )


def test_a_flood_is_one_message_within_limits_with_and_n_more() -> None:
    feeds = [Group(f"feed:f{n}", f"Feed {n}", f"https://f{n}.example/rss", 3) for n in range(12)]
    chosen = [paper(n, title="Long title " * 30) for n in range(150)]
    chosen += [trial(n, update=n % 2 == 0) for n in range(40)]
    for n, group in enumerate(feeds):
        for m in range(3):
            chosen.append(
                Tracked(
                    Item(group.source, f"{n}-{m}", f"Feed item {m}", f"https://f{n}.example/{m}"),
                    "x",
                )
            )
    duplicate = paper(999)
    digest = render_digest(
        Choice(chosen, [duplicate]), GROUPS + feeds, when=WHEN, zone=ZONE, max_items=30
    )
    message = digest.message
    assert message.problems() == []
    assert len(message.cards) == EMBEDS_PER_MESSAGE
    assert sum(card.size() for card in message.cards) <= EMBED_TOTAL_LIMIT
    assert len(digest.shown) <= 30
    more = re.findall(
        r"…and (\d+) more: \[see the full list\]\((\S+)\)", message.cards[0].description
    )
    assert more and int(more[0][0]) > 100
    assert more[0][1] == "https://pubmed.ncbi.nlm.nih.gov/?term=ms"
    assert message.cards[-1].title == "More sources"
    assert len(digest.covered) == len(chosen) + 1, "everything is accounted for, shown or not"
    assert {id(t) for t in digest.covered} == {id(t) for t in [*chosen, duplicate]}


def test_quoted_titles_cannot_ping_or_break_markdown() -> None:
    tracked = paper(1, title="@everyone [click](https://evil.example) **bold** <@123>")
    digest = render_digest(Choice([tracked], []), GROUPS, when=WHEN, zone=ZONE, max_items=5)
    text = digest.message.cards[0].description
    assert "@everyone" not in text and "@\u200beveryone" in text
    assert "\\[click\\]" in text and "\\*\\*bold\\*\\*" in text
    assert "<@123>" not in text


def test_the_bots_own_words_never_hype_and_quoted_hype_is_marked() -> None:
    calm = render_digest(
        Choice([paper(1), trial(1, update=False)], []), GROUPS, when=WHEN, zone=ZONE, max_items=5
    )
    assert not has_hype(message_text(calm.message))
    loud = paper(2, title="Stem cell breakthrough offers a cure for MS")
    digest = render_digest(Choice([loud], []), GROUPS, when=WHEN, zone=ZONE, max_items=5)
    assert 'words like "breakthrough" are the authors\', not ours' in (
        digest.message.cards[0].description
    )


def test_plain_text_has_links_and_no_markdown() -> None:
    digest = render_digest(Choice([paper(1)], []), GROUPS, when=WHEN, zone=ZONE, max_items=5)
    text = message_text(digest.message)
    assert "Mesenchymal stem cells in progressive multiple sclerosis, cohort 1 " in text
    assert "<https://pubmed.ncbi.nlm.nih.gov/40000001/>" in text
    assert "**" not in text and "](" not in text


def test_status_card_shows_each_state_last_success_and_next_run() -> None:
    statuses = [
        SourceStatus(PUBMED, "PubMed", "ok", 0, WHEN - timedelta(days=7)),
        SourceStatus(CLINICALTRIALS, "ClinicalTrials.gov", "failing", 2, None, "HTTP 500 from x"),
        SourceStatus("feed:News", "News", "disabled", 5, WHEN - timedelta(days=40), "HTTP 404"),
    ]
    card = status_card(statuses, next_run=WHEN, zone=ZONE, channel_configured=True)
    assert card.problems() == []
    assert "Next digest: Mon 2 Mar 2026 09:00 (Europe/London)" in card.description
    values = {f.name: f.value for f in card.fields}
    assert values["PubMed"] == "OK, last success 23 Feb 2026 09:00"
    assert values["ClinicalTrials.gov"].startswith("Failing (2 runs in a row), no success yet")
    assert "HTTP 500 from x" in values["ClinicalTrials.gov"]
    assert values["News"].startswith("Paused after 5 failed runs")
    assert "`/digest now` tries it again" in values["News"]


def test_labels_say_where_they_come_from_and_trials_are_not_vetted() -> None:
    retracted = paper(1, kind=Evidence.RETRACTED)
    guess = Tracked(replace(paper(2).item, kind_guessed=True), "x")
    sponsored = Tracked(replace(trial(3, update=False).item, sponsor="Acme Cell Clinic"), "x")
    digest = render_digest(
        Choice([retracted, guess, sponsored], []), GROUPS, when=WHEN, zone=ZONE, max_items=5
    )
    pubmed_card, trials_card = digest.message.cards
    assert "\nRetracted · Multiple sclerosis" in pubmed_card.description
    assert "Randomised controlled trial (guessed from the title) ·" in pubmed_card.description
    assert (
        "Newly registered · Clinical trial, phase 3 · recruiting · sponsor: Acme Cell Clinic"
        in (trials_card.description)
    )
    assert trials_card.description.endswith(
        "*Registry listings are not vetted: anyone running a study can list it, "
        "including clinics that charge to take part.*"
    )
    assert trials_card.footer and "guessed from the title" in trials_card.footer
    assert digest.message.problems() == []
