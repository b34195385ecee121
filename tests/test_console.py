"""`python bot.py console` as an admin uses it: same answers and flags as on Discord."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from bot.console import run_console
from bot.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]


async def converse(tmp_path: Path, *lines: str) -> str:
    shutil.copytree(ROOT / "faq", tmp_path / "faq")
    config = tmp_path / "settings.toml"
    config.write_text(
        f'[database]\npath = "{(tmp_path / "bot.sqlite3").as_posix()}"\n'
        f'[faq]\ndirectory = "{(tmp_path / "faq").as_posix()}"\nwatch = false\n'
    )
    out = io.StringIO()
    status = await run_console(
        load_settings(config), stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out
    )
    assert status == 0
    return out.getvalue()


async def test_faq_and_ask_render_answers_with_sources(tmp_path: Path) -> None:
    text = await converse(tmp_path, "/faq what-are-mscs", "/ask what do aHSCT risks look like")
    assert "What are mesenchymal stem cells (MSCs)?" in text
    assert "Sources:" in text and "https://doi.org/" in text
    assert "Reviewed 20" in text
    assert "](" not in text  # Markdown links are spelled out for the terminal


async def test_out_of_scope_question_abstains(tmp_path: Path) -> None:
    text = await converse(tmp_path, "/ask how do i change my nickname on this server")
    assert "I don't have a good answer" in text


async def test_plain_messages_show_what_moderators_and_member_would_see(tmp_path: Path) -> None:
    text = await converse(
        tmp_path,
        "should I stop my ocrevus before going to mexico for stem cells?",
        "what are MSCs?",
    )
    assert "The moderators' review channel would show:" in text
    assert "neurologist" in text  # the gentle reply points to their own clinicians
    assert text.count("No flag") == 1


async def test_unknown_command_and_quit(tmp_path: Path) -> None:
    text = await converse(tmp_path, "/bogus", "/quit", "/faq what-are-mscs")
    assert "I don't know /bogus" in text
    assert "What are mesenchymal stem cells" not in text  # nothing after /quit


async def test_an_empty_faq_folder_is_reported_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "faq").mkdir()
    config = tmp_path / "settings.toml"
    config.write_text('[faq]\ndirectory = "faq"\nwatch = false\n', encoding="utf-8")
    out = io.StringIO()
    lines = "/faq\n/ask what are MSCs\n/quit\n"
    status = await run_console(load_settings(config), stdin=io.StringIO(lines), stdout=out)
    assert status == 0
    assert out.getvalue().count("The FAQ is empty") == 2
