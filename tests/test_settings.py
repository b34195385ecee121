"""Settings: what an admin sees for a good file, a bad file, and environment overrides."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.cli import main
from bot.errors import ConfigError
from bot.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_file_loads_and_documents_every_key() -> None:
    settings = load_settings(ROOT / "settings.example.toml")
    assert settings.digest.schedule == "0 9 * * MON"
    example = (ROOT / "settings.example.toml").read_text(encoding="utf-8")
    sections = {
        "discord": settings.discord,
        "database": settings.database,
        "faq": settings.faq,
        "moderation": settings.moderation,
        "digest": settings.digest,
        "digest.pubmed": settings.digest.pubmed,
        "digest.clinicaltrials": settings.digest.clinicaltrials,
        "logging": settings.logging,
    }
    for name, section in sections.items():
        assert f"[{name}]" in example
        for key, field in type(section).model_fields.items():
            if field.annotation is not None and "Settings" in str(field.annotation):
                continue
            assert f"\n{key} =" in example or f"\n# {key} =" in example, f"[{name}] {key}"
    assert "[[digest.feeds]]" in example


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch) -> None:
    for name in list(os.environ):
        if name.startswith("MSBOT_") or name == "DISCORD_TOKEN":
            monkeypatch.delenv(name)


def test_missing_default_file_means_defaults(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    settings = load_settings(None)
    assert settings.token is None
    # The FAQ that ships with the bot, and the per-user data folder, never the current folder.
    assert settings.faq.directory == ROOT / "faq"
    assert settings.database.path == tmp_path / "data" / "ms-stemcell-bot" / "msbot.sqlite3"


def test_relative_paths_are_relative_to_the_settings_file(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "deploy"
    (folder / "my-faq").mkdir(parents=True)
    config = write(folder, '[database]\npath = "data/bot.sqlite3"\n[faq]\ndirectory = "my-faq"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    settings = load_settings(Path("..") / "deploy" / "settings.toml")
    assert settings.database.path.resolve() == (folder / "data" / "bot.sqlite3").resolve()
    assert settings.faq.directory.resolve() == (folder / "my-faq").resolve()
    assert config.exists()


def test_unset_paths_with_a_settings_file_stay_beside_it(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, "[faq]\nwatch = false\n"))
    assert settings.database.path == tmp_path / "msbot.sqlite3"
    assert settings.faq.directory == ROOT / "faq"  # no faq/ beside it: the bundled one
    (tmp_path / "faq").mkdir()
    assert load_settings(tmp_path / "settings.toml").faq.directory == tmp_path / "faq"


def test_the_bundled_faq_is_packaged_with_the_bot() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = project["tool"]["setuptools"]
    assert "faq" in setuptools["packages"]["find"]["include"]
    assert setuptools["package-data"]["faq"] == ["*.md"]


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such settings file"):
        load_settings(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[discord]\ntokn = "x"\n', "[discord] tokn: unknown key"),
        (
            '[moderation]\nreview_channel_id = "general"\n',
            "[moderation] review_channel_id: must be a whole number",
        ),
        ("[moderation]\nmoderator_role_ids = [1, -5]\n", "[moderation] moderator_role_ids[1]:"),
        (
            '[digest]\nschedule = "every monday"\n',
            "[digest] schedule: 'every monday' is not a cron",
        ),
        (
            '[digest]\ntimezone = "Mars/Olympus"\n',
            "[digest] timezone: unknown time zone 'Mars/Olympus'",
        ),
        ('[digest.pubmed]\nenabled = "maybe"\n', "[digest.pubmed] enabled:"),
        (
            '[[digest.feeds]]\nname = "x"\nurl = "ftp://x"\n',
            "[[digest.feeds]] #1 url: must start with",
        ),
        ('[discord]\napi_base = "discord.com"\n', "[discord] api_base: must start with http"),
        ("[nonsense]\nx = 1\n", "nonsense: unknown key"),
        ("[discord\n", "not valid TOML"),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert str(info.value).startswith(f"{path}: ")
    assert expected in str(info.value)


def test_environment_overrides_file(tmp_path: Path, monkeypatch) -> None:
    path = write(
        tmp_path,
        '[discord]\napi_base = "http://file.example/api/v10"\n[digest]\nlookback_days = 3\n',
    )
    env = {
        "MSBOT_DISCORD__API_BASE": "http://127.0.0.1:9/api/v10",
        "MSBOT_DIGEST__PUBMED__EMAIL": "ops@example.org",
        "DISCORD_TOKEN": "abc.def",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = load_settings(path)
    assert settings.discord.api_base == "http://127.0.0.1:9/api/v10"
    assert settings.digest.lookback_days == 3
    assert settings.digest.pubmed.email == "ops@example.org"
    assert settings.token == "abc.def"
    assert "abc.def" not in repr(settings)


def test_bad_environment_value_names_the_variable(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("MSBOT_DIGEST__LOOKBACK_DAYS", "soon")
    with pytest.raises(ConfigError, match="from environment variable MSBOT_DIGEST__LOOKBACK_DAYS"):
        load_settings(write(tmp_path, ""))


def test_cli_reports_bad_settings_in_one_line_with_status_2(tmp_path: Path, capsys) -> None:
    path = write(tmp_path, '[discord]\ntokn = "x"\n')
    assert main(["--config", str(path), "console"]) == 2
    err = capsys.readouterr().err
    assert (
        err.strip()
        == f"{path}: [discord] tokn: unknown key; see settings.example.toml for the keys that exist"
    )
    assert "Traceback" not in err


def test_a_misspelt_environment_section_or_key_is_an_error_naming_it(monkeypatch) -> None:
    monkeypatch.setenv("MSBOT_MODERATON__ENABLED", "true")
    with pytest.raises(ConfigError) as info:
        load_settings(None)
    assert str(info.value).startswith("environment variable MSBOT_MODERATON__ENABLED: no such")
    assert "MSBOT_MODERATION" in str(info.value)
    monkeypatch.delenv("MSBOT_MODERATON__ENABLED")
    monkeypatch.setenv("MSBOT_DIGEST__PUBMED__ENABLD", "false")
    with pytest.raises(ConfigError) as info:
        load_settings(None)
    assert "MSBOT_DIGEST__PUBMED__ENABLD: no such setting" in str(info.value)
    assert "MSBOT_DIGEST__PUBMED__ENABLED" in str(info.value)
    monkeypatch.delenv("MSBOT_DIGEST__PUBMED__ENABLD")
    monkeypatch.setenv("MSBOT_DIGEST__PUBMED__ENABLED", "false")
    monkeypatch.setenv("MSBOT_MODERATION__ENABLED", "false")
    settings = load_settings(None)
    assert settings.digest.pubmed.enabled is False
    assert settings.moderation.enabled is False


@pytest.mark.parametrize("schedule", ["0 9 31 2 *", "0 9 30 2 *", "0 9 31 4,6,9,11 *"])
def test_a_schedule_that_can_never_fire_is_refused(tmp_path: Path, schedule: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(write(tmp_path, f'[digest]\nschedule = "{schedule}"\n'))
    assert f"[digest] schedule: {schedule!r} never fires" in str(info.value)


def test_a_schedule_for_29_february_is_accepted(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, '[digest]\nschedule = "0 9 29 2 *"\n'))
    assert settings.digest.schedule == "0 9 29 2 *"


def test_a_feed_listed_by_its_url_alone_loads(tmp_path: Path) -> None:
    settings = load_settings(
        write(tmp_path, '[[digest.feeds]]\nurl = "https://example.org/research/feed.xml"\n')
    )
    (feed,) = settings.digest.feeds
    assert feed.name is None
    assert feed.url == "https://example.org/research/feed.xml"


@pytest.mark.parametrize(
    ("feeds", "expected"),
    [
        (
            [("A", "https://a.example/1"), ("B", "https://a.example/2"), ("A", "https://a/3")],
            "[[digest.feeds]] #3 name: 'A' is also the name of feed #1; "
            "give every feed its own name",
        ),
        (
            [(None, "https://a.example/1"), ("B", "https://a.example/1")],
            "[[digest.feeds]] #2 url: 'https://a.example/1' is already listed as feed #1; "
            "list each feed once",
        ),
        (
            [(None, "https://a.example/1"), ("https://a.example/1", "https://b.example/")],
            "[[digest.feeds]] #2 name: 'https://a.example/1' is the url of feed #1; "
            "give this feed another name",
        ),
    ],
)
def test_two_feeds_that_would_share_a_history_are_one_line_with_status_2(
    tmp_path: Path, capsys, feeds: list[tuple[str | None, str]], expected: str
) -> None:
    text = "".join(
        "[[digest.feeds]]\n" + (f'name = "{name}"\n' if name else "") + f'url = "{url}"\n'
        for name, url in feeds
    )
    path = write(tmp_path, text)
    assert main(["--config", str(path), "db", "migrate"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"{path}: {expected}"
    assert not (tmp_path / "msbot.sqlite3").exists()
