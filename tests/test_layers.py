"""The import rule of docs/architecture.md, checked on every module rather than trusted.

Only `bot/discord/` may import discord.py; only the entry points (`bot/cli.py`) reach into the
Discord layer or the console. That is what lets the console, the CLI and the tests drive the
very code the bot runs.
"""

from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parents[1] / "bot"
FRONT_ENDS = ("bot.discord", "bot.console", "bot.cli")
ENTRY_POINTS = {"bot/cli.py"}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def modules() -> list[tuple[str, set[str]]]:
    return [
        (path.relative_to(BOT.parent).as_posix(), imports(path))
        for path in sorted(BOT.rglob("*.py"))
    ]


def test_only_the_discord_layer_imports_discord() -> None:
    offenders = [
        f"{name}: imports {module}"
        for name, found in modules()
        if not name.startswith("bot/discord/")
        for module in sorted(found)
        if module == "discord" or module.startswith("discord.")
    ]
    assert offenders == []
    assert any(name.startswith("bot/discord/") and "discord" in found for name, found in modules())


def test_the_cores_never_reach_into_a_front_end() -> None:
    offenders = [
        f"{name}: imports {module}"
        for name, found in modules()
        if name not in ENTRY_POINTS
        and not name.startswith("bot/discord/")
        and name != "bot/console.py"
        for module in sorted(found)
        if any(module == front or module.startswith(front + ".") for front in FRONT_ENDS)
    ]
    assert offenders == []
