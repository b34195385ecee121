"""The command line as an admin meets it: help, the missing token, db maintenance."""

from __future__ import annotations

import json
import os
import shutil
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
    assert "schema version 7 (applied 1, 2, 3, 4, 5, 6, 7)" in capsys.readouterr().out
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


# Root ignores file permissions; without these two capabilities it obeys them, like an admin.
AS_ADMIN = (
    ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("setpriv")
    else []
)


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_a_settings_file_that_is_not_utf8_text_is_one_line(tmp_path: Path) -> None:
    for name, data in (("binary.toml", b"\xff\xfe\x00\x01"), ("latin1.toml", b'a = "caf\xe9"\n')):
        (tmp_path / name).write_bytes(data)
        line = one_error_line(msbot("--config", name, "db", "migrate", cwd=tmp_path))
        assert line.startswith(f"{name}: not a UTF-8 text file")


@pytest.mark.parametrize(
    ("name", "value"),
    [("MSBOT_DISCORD__GUILD_IDS", "[abc]"), ("MSBOT_DIGEST", "{...")],
)
def test_an_environment_value_that_is_not_json_is_named(
    tmp_path: Path, name: str, value: str
) -> None:
    line = one_error_line(msbot("db", "migrate", cwd=tmp_path, **{name: value}))
    assert line.startswith(f"environment variable {name}: not valid JSON")


def test_a_misspelt_environment_section_stops_the_bot_with_one_line(tmp_path: Path) -> None:
    result = msbot("db", "migrate", cwd=tmp_path, MSBOT_MODERATON__ENABLED="true")
    line = one_error_line(result)
    assert line.startswith("environment variable MSBOT_MODERATON__ENABLED: no such setting")
    assert "MSBOT_MODERATION" in line
    assert not (tmp_path / "data").exists(), "nothing is created before the settings are right"


def test_database_paths_that_cannot_work_are_one_line_each(tmp_path: Path) -> None:
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "a-file").write_text("x")
    cases = {
        "a-folder": "is a folder",
        "a-file/bot.sqlite3": "cannot create the folder",
    }
    for path, expected in cases.items():
        result = msbot("db", "migrate", cwd=tmp_path, MSBOT_DATABASE__PATH=str(tmp_path / path))
        assert expected in one_error_line(result)
        assert "Event loop is closed" not in result.stderr


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0 and not AS_ADMIN, reason="root without setpriv"
)
def test_an_unwritable_folder_and_a_read_only_database_say_so(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    settings = tmp_path / "settings.toml"
    settings.write_text('[database]\npath = "bot.sqlite3"\n')
    assert msbot("--config", str(settings), "db", "migrate", cwd=tmp_path).returncode == 0
    (tmp_path / "bot.sqlite3").chmod(0o444)
    locked.chmod(0o555)
    try:
        for path, expected in (
            (locked / "bot.sqlite3", "is not writable"),
            (tmp_path / "bot.sqlite3", "the database is read-only"),
        ):
            result = subprocess.run(
                [*AS_ADMIN, sys.executable, str(ROOT / "bot.py"), "db", "migrate"],
                capture_output=True,
                text=True,
                cwd=tmp_path,
                env={"PATH": "/usr/bin:/bin", "MSBOT_DATABASE__PATH": str(path)},
                timeout=120,
            )
            assert expected in one_error_line(result)
    finally:
        locked.chmod(0o755)


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    read, write = os.pipe()
    os.close(read)  # like `| head -1` that has already exited
    try:
        result = subprocess.run(
            [sys.executable, str(ROOT / "bot.py"), "faq", "ask", "what are MSCs?"],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
            env={"PATH": "/usr/bin:/bin", "XDG_DATA_HOME": str(tmp_path)},
            timeout=120,
        )
    finally:
        os.close(write)
    assert result.returncode == 141
    assert result.stderr == ""


def test_run_when_discord_cannot_be_reached_is_one_line(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = tmp_path / "settings.toml"
    settings.write_text(
        f'[discord]\ntoken = "x"\napi_base = "http://127.0.0.1:{port}/api/v10"\n'
        '[faq]\nwatch = false\n[logging]\nlevel = "WARNING"\n'
    )
    line = one_error_line(msbot("--config", str(settings), "run", cwd=tmp_path))
    assert line.startswith(f"error: could not reach Discord at http://127.0.0.1:{port}/api/v10: ")


def test_automod_show_prints_the_rule_offline_within_automods_limits(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["automod", "show"]) == 0
    captured = capsys.readouterr()
    rule = json.loads(captured.out)
    assert rule["name"] == "msbot: clinic promotion" and rule["trigger_type"] == 1
    assert [a["type"] for a in rule["actions"]] == [2]  # alert only: never blocks by default
    assert len(rule["trigger_metadata"]["regex_patterns"]) <= 10
    assert captured.err == ""
