"""Research sources: each turns one outside service's payloads into `Item`s.

`configured_sources` is the registry: every kind of source, asked in turn which of its
sources the settings turn on. The order is the digest's order (PubMed first, so a paper
that is also in a journal's feed is shown under PubMed).
"""

from __future__ import annotations

from collections.abc import Callable

from bot.digest.sources import clinicaltrials, feeds, pubmed
from bot.digest.sources.base import Source
from bot.http import HttpClient
from bot.settings import DigestSettings

SourceKind = Callable[[DigestSettings, HttpClient], list[Source]]

KINDS: tuple[SourceKind, ...] = (pubmed.configured, clinicaltrials.configured, feeds.configured)


def configured_sources(config: DigestSettings, http: HttpClient) -> list[Source]:
    return [source for kind in KINDS for source in kind(config, http)]
