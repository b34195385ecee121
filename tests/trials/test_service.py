from __future__ import annotations

from bot.trials.gazetteer import UnknownPlace
from bot.trials.service import CAUTION, UNREACHABLE, Query
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
