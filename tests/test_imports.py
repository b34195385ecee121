"""The import graph the design promises: cores never import discord, and no core reaches
into another feature's internals for shared plumbing (the HTTP client lives in bot/http.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[1] / "bot"
CORES = ("faq", "digest", "moderation", "trials")


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def files(core: str) -> list[Path]:
    return sorted((BOT / core).rglob("*.py"))


@pytest.mark.parametrize("core", [*CORES, "storage.py", "http.py"])
def test_cores_never_import_discord(core: str) -> None:
    paths = [BOT / core] if core.endswith(".py") else files(core)
    offenders = [
        f"{p.relative_to(BOT.parent)} imports {name}"
        for p in paths
        for name in imported(p)
        if name == "discord" or name.startswith("discord.") or name.startswith("bot.discord")
    ]
    assert offenders == []


def test_trials_does_not_depend_on_the_digest_package() -> None:
    offenders = [
        f"{p.relative_to(BOT.parent)} imports {name}"
        for p in files("trials")
        for name in imported(p)
        if name.startswith("bot.digest")
    ]
    assert offenders == []
