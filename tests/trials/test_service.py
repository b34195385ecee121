from __future__ import annotations

from bot.trials.gazetteer import UnknownPlace
from bot.trials.service import CACHE_SECONDS, CAUTION, EXPIRED, PURGE_JOB_ID, UNREACHABLE, Query
from tests.trials.conftest import SHEFFIELD


def test_places_resolve_and_unknown_names_suggest(service) -> None:
    assert service.place("Sheffield, GB").name == "Sheffield, United Kingdom"
    assert service.place("germany").name == "Germany"
    unknown = service.place("Sheffeld")
    assert isinstance(unknown, UnknownPlace)
    assert "Sheffield, United Kingdom" in unknown.closest
    assert "Sheffield, United Kingdom" in service.complete("sheff")
    assert len(service.complete("s")) == 25


async def test_nearest_recruiting_site_in_range_sorted_by_distance(service, registry) -> None:
    page = await service.search(Query(*SHEFFIELD, km=300))
    assert [s.nct for s in page.studies] == ["NCT00000001", "NCT00000002"]
    first, second = page.studies
    assert first.site.facility == "Royal Hallamshire" and first.site.distance_km < 5
    # Leeds is nearer but completed: London is the nearest recruiting site.
    assert second.site.city == "London"
    # Paging was followed (the fake serves 2 per page).
    assert len(registry.requests) == 2 and registry.requests[1]["pageToken"] == "2"
    assert registry.requests[0]["filter.geo"] == "distance(53.4000,-1.5000,300km)"


async def test_treatment_and_status_filters(service) -> None:
    msc = await service.search(Query(*SHEFFIELD, km=300, treatment="ahsct"))
    assert [s.nct for s in msc.studies] == ["NCT00000001"]
    not_yet = await service.search(Query(*SHEFFIELD, km=300, status="both"))
    assert "NCT00000003" in [s.nct for s in not_yet.studies]


async def test_cache_hit_within_the_hour(service, registry) -> None:
    await service.search(Query(*SHEFFIELD))
    seen = len(registry.requests)
    again = await service.search(Query(53.41, -1.47))
    assert len(registry.requests) == seen and again.total == 2
    service.clock = lambda: 10**11
    assert await service.purge() == 1


async def test_registry_down_is_one_kind_line(service, registry) -> None:
    registry.failures = [503, 503]
    page = await service.search(Query(*SHEFFIELD))
    message = service.page_message(page, member_id=7)
    assert message.content == UNREACHABLE and not message.cards


async def test_page_message_has_cards_buttons_and_caution(service) -> None:
    page = await service.search(Query(*SHEFFIELD))
    message = service.page_message(page, member_id=42)
    assert CAUTION in message.content and not message.problems()
    assert message.cards[0].url == "https://clinicaltrials.gov/study/NCT00000001"
    ids = [b.custom_id for b in message.buttons]
    assert ids == [f"trials:{page.query_key}:-1:42", f"trials:{page.query_key}:1:42"]
    assert all(b.disabled for b in message.buttons)


async def test_purge_job_forgets_searches_once_their_hour_is_over(service) -> None:
    [job] = [job for job in service.jobs() if job.id == PURGE_JOB_ID]
    start = 1_000_000.0
    service.clock = lambda: start
    await service.search(Query(*SHEFFIELD))
    await service.search(Query(*SHEFFIELD, km=100))
    service.clock = lambda: start + CACHE_SECONDS - 1
    assert await job.run() == 0
    assert len(await service.db.fetchall("SELECT key FROM trials_cache")) == 2
    service.clock = lambda: start + CACHE_SECONDS
    assert await job.run() == 2
    assert await service.db.fetchall("SELECT key FROM trials_cache") == []


async def test_answer_and_turn_are_what_every_front_end_shows(service) -> None:
    first = await service.answer("Sheffield, UK", 42, km=300)
    assert first.content.startswith(
        "2 studies with a recruiting site within 300 km of Sheffield, United Kingdom, page 1 of 1"
    )
    assert first.cards[0].title == "aHSCT versus best therapy"
    again = await service.turn(first.buttons[1].custom_id.replace(":1:", ":0:"), 42)
    assert again is not None and again.cards == first.cards
    assert await service.turn(first.buttons[1].custom_id, 43) is None  # another member's button
    service.clock = lambda: 10**11
    expired = await service.turn(first.buttons[1].custom_id, 42)
    assert expired is not None and expired.content == EXPIRED


async def test_answer_for_a_country_says_where_it_is_measured_from(service) -> None:
    message = await service.answer("UK", 42, km=300, treatment="msc")
    assert message.content.startswith(
        "1 study (MSC) with a recruiting site within 300 km of "
        "United Kingdom (measured from London, United Kingdom), page 1 of 1"
    )
    assert [c.title for c in message.cards] == ["MSC in progressive MS"]


async def test_answer_for_an_unknown_place_is_one_line_with_names_to_try(service) -> None:
    message = await service.answer("Sheffeld", 42)
    assert message.content.startswith('I don\'t know a place called "Sheffeld". Did you mean ')
    assert '"Sheffield, United Kingdom"' in message.content and not message.cards
    nothing = await service.answer("Qqqqzx", 42)
    assert "a country alone" in nothing.content


async def test_no_study_in_range_says_so_with_the_caution(service) -> None:
    message = await service.answer("Reykjavik", 42, km=50)
    assert message.content.startswith("I found no study with a recruiting site within 50 km of")
    assert CAUTION in message.content and not message.buttons
