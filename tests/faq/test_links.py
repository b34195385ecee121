"""`faq links` against a local server that plays every kind of site a source can point at."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.faq.links import Link, check_links, doi_of, links_of
from bot.faq.loader import load_faq
from tests.faq.helpers import ENTRY, line_of, write_entry
from tests.faq.linkserver import LinkServer

SOURCE = '  - title: "A source"\n    url: https://doi.org/10.1000/example\n'


@pytest.fixture
def server() -> Iterator[LinkServer]:
    with LinkServer().running() as running:
        yield running


def citing(directory: Path, entry_id: str, *urls: str) -> Path:
    """An entry whose sources are `urls`, one `- title:`/`url:` pair each."""
    sources = "".join(f'  - title: "Source {n}"\n    url: {url}\n' for n, url in enumerate(urls))
    text = ENTRY.format(id=entry_id, title="T", reviewed="2026-11-01", related="", body="A.")
    return write_entry(directory, entry_id, text=text.replace(SOURCE, sources))


def at(path: Path, url: str) -> str:
    return f"{path}:{line_of(path, f'    url: {url}')}: {url}"


async def check(directory: Path, server: LinkServer, **kw: float) -> list[str]:
    """The lines an admin would see (every link that is not fine), in file order."""
    loaded = load_faq(directory)
    assert loaded.errors == []
    reports = await check_links(links_of(loaded.entries), doi_resolver=server.url("/doi/"), **kw)
    return [str(r) for r in reports if r.outcome.kind != "ok"]


def test_doi_of_reads_doi_org_addresses_only() -> None:
    assert doi_of("https://doi.org/10.1001/jama.2018.18743") == "10.1001/jama.2018.18743"
    assert doi_of("http://dx.doi.org/10.1/x(y)") == "10.1/x(y)"
    assert doi_of("https://pubmed.ncbi.nlm.nih.gov/30667509/") is None
    assert doi_of("https://doi.org/") is None


async def test_each_kind_of_link_is_reported_at_its_own_line(
    tmp_path: Path, server: LinkServer
) -> None:
    u = server.url
    alpha = citing(tmp_path, "alpha", u("/ok"), u("/old"), u("/gone"), u("/temporary"))
    beta = citing(
        tmp_path,
        "beta",
        u("/no-head"),
        u("/robots-out"),
        "https://doi.org/10.1/ok",
        "https://doi.org/10.1/gone",
    )
    assert await check(tmp_path, server) == [
        f"{at(alpha, u('/old'))}: moved permanently to {u('/new')}",
        f"{at(alpha, u('/gone'))}: 404 Not Found",
        f"{at(beta, u('/robots-out'))}: 403 Forbidden: the site refuses automatic checks; "
        "open it in a browser",
        f"{at(beta, 'https://doi.org/10.1/gone')}: 404 Not Found: no such DOI",
    ]
    # HEAD first; GET only where HEAD was refused or failed.
    assert ("HEAD", "/no-head") in server.requests and ("GET", "/no-head") in server.requests
    assert ("GET", "/ok") not in server.requests
    # DOIs go to the configured resolver, never to doi.org.
    assert ("HEAD", "/doi/10.1/ok") in server.requests


async def test_a_slow_site_times_out_and_a_closed_port_cannot_connect(
    tmp_path: Path, server: LinkServer
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}/page"
    path = citing(tmp_path, "alpha", server.url("/slow"), closed, server.url("/ok"))
    assert await check(tmp_path, server, request_timeout=0.3) == [
        f"{at(path, server.url('/slow'))}: timed out after 0.3 s",
        f"{at(path, closed)}: could not connect: connection refused",
    ]


async def test_concurrency_is_bounded_and_each_address_asked_once(
    tmp_path: Path, server: LinkServer
) -> None:
    urls = [server.url(f"/busy/{n}") for n in range(6)]
    citing(tmp_path, "alpha", *urls)
    beta = citing(tmp_path, "beta", urls[0], server.url("/gone"))
    reports = await check(tmp_path, server, concurrency=2)
    assert reports == [f"{at(beta, server.url('/gone'))}: 404 Not Found"]
    assert server.most_in_flight == 2
    assert server.requests.count(("HEAD", "/busy/0")) == 1


async def test_a_link_without_a_line_still_reports(server: LinkServer) -> None:
    (report,) = await check_links([Link("faq/x.md", None, server.url("/gone"))], request_timeout=2)
    assert str(report) == f"faq/x.md: {server.url('/gone')}: 404 Not Found"


@pytest.fixture
def config(tmp_path: Path, server: LinkServer, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "settings.toml"
    path.write_text(
        f'[faq]\ndirectory = "{(tmp_path / "faq").as_posix()}"\n'
        f'doi_resolver = "{server.url("/doi/")}"\nlink_timeout_seconds = 2\n'
    )
    return str(path)


def test_cli_prints_dead_links_and_fails(
    tmp_path: Path, config: str, server: LinkServer, capsys: pytest.CaptureFixture
) -> None:
    faq = tmp_path / "faq"
    path = citing(faq, "alpha", server.url("/gone"), "https://doi.org/10.1/ok")
    write_entry(faq, "broken", reviewed="not a date")
    assert main(["--config", config, "faq", "links"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{at(path, server.url('/gone'))}: 404 Not Found",
        "1 file(s) with errors not checked: run `python bot.py faq check` first",
        f"{faq}: 2 links in 1 entries, 1 dead, 0 moved, 0 not checkable: FAILED",
    ]


def test_cli_moved_is_a_warning_unless_strict(
    tmp_path: Path, config: str, server: LinkServer, capsys: pytest.CaptureFixture
) -> None:
    faq = tmp_path / "elsewhere"
    path = citing(faq, "alpha", server.url("/old"), server.url("/no-head"))
    moved = f"{at(path, server.url('/old'))}: moved permanently to {server.url('/new')}"
    summary = f"{faq}: 2 links in 1 entries, 0 dead, 1 moved, 0 not checkable"
    assert main(["--config", config, "faq", "links", str(faq)]) == 0
    assert capsys.readouterr().out.splitlines() == [moved, f"{summary}: ok"]
    assert main(["--config", config, "faq", "links", str(faq), "--strict"]) == 1
    assert capsys.readouterr().out.splitlines() == [moved, f"{summary}: FAILED"]


def test_cli_timeout_flag_overrides_the_setting(
    tmp_path: Path, config: str, server: LinkServer, capsys: pytest.CaptureFixture
) -> None:
    faq = tmp_path / "faq"
    path = citing(faq, "alpha", server.url("/slow"))
    args = ["--config", config, "faq", "links", "--timeout", "0.2", "--concurrency", "1"]
    assert main(args) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{at(path, server.url('/slow'))}: timed out after 0.2 s"


def test_cli_says_when_nothing_could_be_reached(
    tmp_path: Path, config: str, capsys: pytest.CaptureFixture
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    citing(tmp_path / "faq", "alpha", f"{closed}/a", f"{closed}/b")
    assert main(["--config", config, "faq", "links"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-2] == "no site could be reached at all: check this machine's internet connection"
    assert out[-1].endswith("2 links in 1 entries, 2 dead, 0 moved, 0 not checkable: FAILED")
