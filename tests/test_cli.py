"""The command line as an admin meets it: help, the missing token, db maintenance."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[1]


def settings_file(tmp_path: Path) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(f'[database]\npath = "{(tmp_path / "bot.sqlite3").as_posix()}"\n')
    return path


def test_help_lists_every_subcommand(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for command in ("run", "console", "faq", "flags", "digest", "db"):
        assert f"    {command} " in out


@pytest.mark.parametrize("command", ["faq", "flags", "digest", "db"])
def test_each_subcommand_has_help(command: str, capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    assert f"usage: python bot.py {command}" in capsys.readouterr().out


def test_no_token_exits_2_with_one_line(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "--config", str(settings_file(tmp_path))],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "DISCORD_TOKEN" in lines[0] and "python bot.py console" in lines[0]


def test_db_migrate_then_backup(tmp_path: Path, capsys) -> None:
    config = str(settings_file(tmp_path))
    assert main(["--config", config, "db", "migrate"]) == 0
    assert "schema version 3 (applied 1, 2, 3)" in capsys.readouterr().out
    assert main(["--config", config, "db", "migrate"]) == 0
    assert "already up to date" in capsys.readouterr().out
    target = tmp_path / "backup.sqlite3"
    assert main(["--config", config, "db", "backup", str(target)]) == 0
    assert target.exists()
    assert main(["--config", config, "db", "backup", str(target)]) == 2
    assert "already exists" in capsys.readouterr().err


def test_backup_without_a_database_says_so(tmp_path: Path, capsys) -> None:
    assert (
        main(["--config", str(settings_file(tmp_path)), "db", "backup", str(tmp_path / "b")]) == 1
    )
    assert "no database to back up yet" in capsys.readouterr().err


def msbot(*args: str, cwd: Path, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    """The `msbot` entry point (`bot.cli:main`), started in `cwd` as an admin would."""
    environ = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(cwd),
        "XDG_DATA_HOME": str(cwd / "data"),
        "PYTHONPATH": str(ROOT),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environ,
        timeout=120,
    )


def test_console_works_from_any_folder_and_leaves_no_database_there(tmp_path: Path) -> None:
    result = msbot("console", cwd=tmp_path, stdin="/faq what-are-mscs\n/quit\n")
    assert result.returncode == 0, result.stderr
    assert "What are mesenchymal stem cells (MSCs)?" in result.stdout
    assert list(tmp_path.glob("*.sqlite3")) == []
    # No database configured: the console works on a temporary one (issue 10), kept nowhere.
    assert not (tmp_path / "data" / "ms-stemcell-bot" / "msbot.sqlite3").exists()
