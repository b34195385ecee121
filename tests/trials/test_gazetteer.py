"""The offline gazetteer as a member types into it: cities with their country, countries
by the names people use, and suggestions for what it does not know."""

from __future__ import annotations

import pytest

from bot.trials.gazetteer import UnknownPlace, gazetteer


@pytest.mark.parametrize(
    "typed",
    ["UK", "United Kingdom", "GB", "GBR", "Great Britain", "Britain", "united kingdom"],
)
def test_the_united_kingdom_by_any_common_name(typed: str) -> None:
    place = gazetteer().resolve(typed)
    assert not isinstance(place, UnknownPlace)
    assert place.name == "United Kingdom" and place.centre == "London, United Kingdom"


@pytest.mark.parametrize("typed", ["USA", "US", "United States", "United States of America"])
def test_the_united_states_is_measured_from_washington_dc(typed: str) -> None:
    place = gazetteer().resolve(typed)
    assert not isinstance(place, UnknownPlace) and place.name == "United States"
    assert round(place.lat, 1) == 38.9 and round(place.lon, 1) == -77.0  # not Washington, Utah


def test_local_names_of_countries_and_cities_with_them() -> None:
    g = gazetteer()
    assert g.resolve("Deutschland").name == "Germany"  # type: ignore[union-attr]
    assert g.resolve("Sheffield, UK").name == "Sheffield, United Kingdom"  # type: ignore[union-attr]
    assert g.resolve("Berlin, Deutschland").name == "Berlin, Germany"  # type: ignore[union-attr]
    assert g.complete("Sheffield, UK") == ["Sheffield, United Kingdom"]
    # A city alone, typed without picking from the list: the largest of that name.
    assert g.resolve("sheffield").name == "Sheffield, United Kingdom"  # type: ignore[union-attr]
    assert g.resolve("Reykjavik").name == "Reykjavík, Iceland"  # type: ignore[union-attr]


def test_autocomplete_puts_the_largest_places_first_and_codes_only_when_whole() -> None:
    g = gazetteer()
    assert g.complete("lon")[0] == "London, United Kingdom"
    assert g.complete("washington")[0] == "Washington, United States"
    assert g.complete("uk")[0] == "United Kingdom"
    # "lk" is Sri Lanka's code: typing "l" offers cities starting with L, not Sri Lanka.
    assert "Sri Lanka" not in g.complete("l")
    assert len(g.complete("")) == 25 and g.complete("")[0] == "China"
    assert all(len(name) <= 100 for name in g.names())


def test_unknown_place_suggests_names_that_can_be_typed_back() -> None:
    unknown = gazetteer().resolve("Sheffeld")
    assert isinstance(unknown, UnknownPlace)
    assert str(unknown).startswith('unknown place "Sheffeld"; closest: "Sheffield, United Kingdom"')
