"""Recorded-style payloads: shaped like real E-utilities, ClinicalTrials.gov v2 and feed answers.

Dates are relative to today so the lookback rules are exercised the same any day the tests run.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape


def pubmed_doc(
    pmid: str,
    title: str,
    *,
    entrez: date,
    journal: str = "Multiple sclerosis (Houndmills, Basingstoke, England)",
    pubtypes: tuple[str, ...] = ("Journal Article",),
    doi: str | None = None,
) -> dict[str, Any]:
    """One esummary document, with the fields PubMed really sends (most are ignored)."""
    articleids = [{"idtype": "pubmed", "idtypen": 1, "value": pmid}]
    if doi:
        articleids.append({"idtype": "doi", "idtypen": 3, "value": doi})
    stamp = entrez.strftime("%Y/%m/%d")
    return {
        "uid": pmid,
        "pubdate": entrez.strftime("%Y %b %-d"),
        "epubdate": entrez.strftime("%Y %b %-d"),
        "source": "Mult Scler",
        "authors": [{"name": "Rossi A", "authtype": "Author", "clusterid": ""}],
        "lastauthor": "Rossi A",
        "title": title + ".",
        "sorttitle": title.lower(),
        "volume": "32",
        "issue": "2",
        "pages": "101-112",
        "lang": ["eng"],
        "nlmuniqueid": "9509185",
        "issn": "1352-4585",
        "essn": "1477-0970",
        "pubtype": list(pubtypes),
        "recordstatus": "PubMed - as supplied by publisher",
        "pubstatus": "10",
        "articleids": articleids,
        "history": [
            {"pubstatus": "received", "date": "2025/01/10 00:00"},
            {"pubstatus": "pubmed", "date": f"{stamp} 06:00"},
            {"pubstatus": "entrez", "date": f"{stamp} 05:21"},
        ],
        "references": [],
        "attributes": ["Has Abstract"],
        "pmcrefcount": "",
        "fulljournalname": journal,
        "elocationid": f"doi: {doi}" if doi else "",
        "doctype": "citation",
        "sortpubdate": f"{stamp} 00:00",
        "sortfirstauthor": "Rossi A",
    }


def esearch(ids: list[str]) -> dict[str, Any]:
    return {
        "header": {"type": "esearch", "version": "0.3"},
        "esearchresult": {
            "count": str(len(ids)),
            "retmax": str(len(ids)),
            "retstart": "0",
            "idlist": ids,
            "translationset": [],
            "querytranslation": "multiple sclerosis[MeSH Terms]",
        },
    }


def esummary(docs: list[dict[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {"uids": [d["uid"] for d in docs]}
    result.update({d["uid"]: d for d in docs})
    return {"header": {"type": "esummary", "version": "0.3"}, "result": result}


def study(
    nct: str,
    title: str,
    *,
    updated: date,
    first_posted: date,
    status: str = "RECRUITING",
    phases: tuple[str, ...] = ("PHASE2",),
    study_type: str = "INTERVENTIONAL",
    acronym: str | None = None,
    sponsor: str | None = None,
) -> dict[str, Any]:
    ident: dict[str, Any] = {"nctId": nct, "briefTitle": title}
    if acronym:
        ident["acronym"] = acronym
    protocol: dict[str, Any] = {
        "identificationModule": ident,
        "statusModule": {
            "overallStatus": status,
            "studyFirstPostDateStruct": {"date": first_posted.isoformat(), "type": "ACTUAL"},
            "lastUpdatePostDateStruct": {"date": updated.isoformat(), "type": "ACTUAL"},
        },
        "designModule": {"studyType": study_type, "phases": list(phases)},
    }
    if sponsor:
        protocol["sponsorCollaboratorsModule"] = {
            "leadSponsor": {"name": sponsor, "class": "OTHER"}
        }
    return {"protocolSection": protocol, "hasResults": False}


def rss(entries: list[dict[str, Any]], *, title: str = "MS Research News") -> bytes:
    """RSS 2.0; each entry: title, link, and optionally guid, date (date), doi."""
    items = []
    for entry in entries:
        parts = [f"<title>{escape(entry['title'])}</title>"]
        if entry.get("link"):
            parts.append(f"<link>{escape(entry['link'])}</link>")
        if entry.get("guid"):
            parts.append(f'<guid isPermaLink="false">{escape(entry["guid"])}</guid>')
        if entry.get("date"):
            day = entry["date"]
            when = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
            parts.append(f"<pubDate>{format_datetime(when)}</pubDate>")
        if entry.get("doi"):
            parts.append(f"<dc:identifier>doi:{escape(entry['doi'])}</dc:identifier>")
        parts.append("<description>Summary &lt;b&gt;text&lt;/b&gt;.</description>")
        items.append("<item>" + "".join(parts) + "</item>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>{escape(title)}</title><link>https://news.example.org/</link>"
        "<description>News</description>" + "".join(items) + "</channel></rss>"
    ).encode()


def atom(entries: list[dict[str, Any]], *, title: str = "Journal feed") -> bytes:
    """Atom 1.0; each entry: title, link, id, date."""
    parts = []
    for entry in entries:
        stamp = f"{entry['date'].isoformat()}T08:00:00Z"
        parts.append(
            "<entry>"
            f"<title>{escape(entry['title'])}</title>"
            f'<link href="{escape(entry["link"])}"/>'
            f"<id>{escape(entry['id'])}</id>"
            f"<updated>{stamp}</updated><published>{stamp}</published>"
            "</entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:feed</id>"
        "<updated>2026-01-01T00:00:00Z</updated>" + "".join(parts) + "</feed>"
    ).encode()
