"""Discord's payload limits and mention rules, as pure functions over JSON payloads.

discord.py checks almost none of these; Discord answers 400 and the bot's reply is lost. The
fake runs every payload through here so a bot mistake fails the test the way it fails in
production. Checks return ``Problem``s, which become both Discord's error body and a
readable violation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

COMPONENTS_V2 = 1 << 15
_NAME = re.compile(r"^[-_'\w]{1,32}$")
Path = tuple[str | int, ...]


class Problem(NamedTuple):
    path: Path
    code: str
    message: str


class Problems(list[Problem]):
    """A list of problems with the two checks almost every limit is made of."""

    def add(self, path: Path, code: str, message: str) -> None:
        self.append(Problem(path, code, message))

    def max(self, path: Path, value: Any, limit: int) -> None:
        if value is not None and len(value) > limit:
            got = len(value)
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length ({got}).")

    def between(self, path: Path, value: Any, lo: int, hi: int) -> None:
        if value is None or not lo <= len(value) <= hi:
            got = "missing" if value is None else len(value)
            self.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {lo} and {hi} ({got}).")


def check_message(payload: dict[str, Any], *, creating: bool) -> Problems:
    """Create/edit limits: content 2000, 10 embeds, per-field limits, 6000 in total, components."""
    problems = Problems()
    problems.max(("content",), payload.get("content"), 2000)
    embeds = payload.get("embeds") or []
    problems.max(("embeds",), embeds, 10)
    total = 0
    for i, embed in enumerate(embeds):
        fields = embed.get("fields") or []
        footer = (embed.get("footer") or {}).get("text")
        author = (embed.get("author") or {}).get("name")
        problems.max(("embeds", i, "title"), embed.get("title"), 256)
        problems.max(("embeds", i, "description"), embed.get("description"), 4096)
        problems.max(("embeds", i, "fields"), fields, 25)
        problems.max(("embeds", i, "footer", "text"), footer, 2048)
        problems.max(("embeds", i, "author", "name"), author, 256)
        for j, fld in enumerate(fields):
            problems.between(("embeds", i, "fields", j, "name"), fld.get("name"), 1, 256)
            problems.between(("embeds", i, "fields", j, "value"), fld.get("value"), 1, 1024)
        texts = [embed.get("title"), embed.get("description"), footer, author]
        texts += [f.get(key) for f in fields for key in ("name", "value")]
        total += sum(len(t) for t in texts if t)
    if total > 6000:
        problems.add(("embeds",), "MAX_EMBED_SIZE_EXCEEDED", f"Embeds total {total} > 6000 chars.")
    problems += check_components(payload.get("components") or [], payload.get("flags") or 0)
    allowed = payload.get("allowed_mentions") or {}
    for kind in ("users", "roles"):
        if kind in (allowed.get("parse") or []) and allowed.get(kind):
            code = "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE"
            problems.add(("allowed_mentions",), code, f"parse {kind} and {kind} list conflict.")
    parts = ("content", "embeds", "components", "attachments", "sticker_ids", "poll")
    if creating and not any(payload.get(k) for k in parts):
        problems.add((), "50006", "Cannot send an empty message")
    return problems


def check_components(rows: list[dict[str, Any]], flags: int) -> Problems:
    """Action rows (<= 5, each <= 5 buttons or one select), custom_id <= 100 and unique."""
    problems, seen = Problems(), set()

    def walk(comp: dict[str, Any], path: Path) -> None:
        if (cid := comp.get("custom_id")) is not None:
            problems.max((*path, "custom_id"), cid, 100)
            if cid in seen:
                problems.add((*path, "custom_id"), "COMPONENT_CUSTOM_ID_DUPLICATED", repr(cid))
            seen.add(cid)
        problems.max((*path, "label"), comp.get("label") if comp.get("type") == 2 else None, 80)
        problems.max((*path, "options"), comp.get("options"), 25)
        children = [*(comp.get("components") or []), comp.get("component"), comp.get("accessory")]
        for k, child in enumerate(c for c in children if c):
            walk(child, (*path, "components", k))

    if not flags & COMPONENTS_V2:
        problems.max(("components",), rows, 5)
        for i, row in enumerate(rows):
            children = row.get("components") or []
            if row.get("type") != 1:
                problems.add(("components", i), "BASE_TYPE_CHOICES", "Must be an action row.")
            elif len(children) > 1 and any(c.get("type") != 2 for c in children):
                problems.add(("components", i), "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "Select+more.")
            else:
                problems.between(("components", i, "components"), children, 1, 5)
    for i, row in enumerate(rows):
        walk(row, ("components", i))
    return problems


def check_choices(data: dict[str, Any]) -> Problems:
    """Autocomplete result: <= 25 choices, names 1-100 chars, string values <= 100."""
    problems = Problems()
    choices = data.get("choices") or []
    problems.max(("data", "choices"), choices, 25)
    for i, choice in enumerate(choices):
        problems.between(("data", "choices", i, "name"), choice.get("name"), 1, 100)
        if isinstance(choice.get("value"), str):
            problems.max(("data", "choices", i, "value"), choice["value"], 100)
    return problems


def check_modal(data: dict[str, Any]) -> Problems:
    """Modal: title <= 45, custom_id <= 100, 1-5 top-level components."""
    problems = Problems()
    problems.between(("data", "title"), data.get("title"), 1, 45)
    problems.between(("data", "custom_id"), data.get("custom_id"), 1, 100)
    problems.between(("data", "components"), data.get("components"), 1, 5)
    for p in check_components(data.get("components") or [], COMPONENTS_V2):
        problems.add(("data", *p.path), p.code, p.message)
    return problems


def check_commands(commands: list[dict[str, Any]]) -> Problems:
    """Bulk overwrite: names (1-32, lowercase for slash), descriptions 1-100, options, choices."""
    problems, names = Problems(), set()

    def name_ok(path: Path, name: str) -> None:
        if not _NAME.match(name) or name != name.lower():
            problems.add(path, "APPLICATION_COMMAND_INVALID_NAME", f"Invalid name {name!r}.")

    def options_ok(options: list[dict[str, Any]], path: Path) -> None:
        problems.max((*path, "options"), options, 25)
        optional_seen = False
        for j, opt in enumerate(options):
            p = (*path, "options", j)
            name_ok((*p, "name"), opt.get("name") or "")
            problems.between((*p, "description"), opt.get("description"), 1, 100)
            problems.max((*p, "choices"), opt.get("choices"), 25)
            for k, choice in enumerate(opt.get("choices") or []):
                problems.between((*p, "choices", k, "name"), choice.get("name"), 1, 100)
                if isinstance(choice.get("value"), str):
                    problems.max((*p, "choices", k, "value"), choice["value"], 100)
            if opt.get("type") in (1, 2):
                options_ok(opt.get("options") or [], p)
            elif opt.get("required") and optional_seen:
                code = "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID"
                problems.add((*p, "required"), code, "Required options must come first.")
            optional_seen |= not opt.get("required")

    for i, cmd in enumerate(commands):
        ctype, name = cmd.get("type", 1), cmd.get("name") or ""
        if ctype == 1:
            name_ok((i, "name"), name)
            problems.between((i, "description"), cmd.get("description"), 1, 100)
            options_ok(cmd.get("options") or [], (i,))
        else:
            problems.between((i, "name"), name, 1, 32)
        if (ctype, name) in names:
            problems.add((i, "name"), "APPLICATION_COMMANDS_DUPLICATE_NAME", repr(name))
        names.add((ctype, name))
    return problems


def error_body(problems: list[Problem]) -> dict[str, Any]:
    """Discord's nested ``Invalid Form Body`` (or a plain coded error for numeric codes)."""
    if len(problems) == 1 and problems[0].code.isdigit():
        return {"code": int(problems[0].code), "message": problems[0].message}
    errors: dict[str, Any] = {}
    for problem in problems:
        node = errors
        for part in problem.path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": problem.code, "message": problem.message})
    return {"code": 50035, "message": "Invalid Form Body", "errors": errors}


def describe(problems: list[Problem]) -> str:
    """One line: ``embeds.0.description: Must be 4096 or fewer in length (4097).``"""
    return "; ".join(f"{'.'.join(map(str, p.path)) or 'body'}: {p.message}" for p in problems)


@dataclass
class Pings:
    """Who a message actually notified: content mentions filtered by allowed_mentions."""

    message_id: int
    channel_id: int
    users: set[int] = field(default_factory=set)
    roles: set[int] = field(default_factory=set)
    everyone: bool = False

    def __bool__(self) -> bool:
        return bool(self.users or self.roles or self.everyone)


def compute_pings(message: dict[str, Any], replied_author: int | None = None) -> Pings:
    """Discord's rules: only content pings (embeds never); no allowed_mentions means parse all.

    Stricter than Discord on one point: role pings are counted even if the role is not
    mentionable, so a test cannot pass only because of the test guild's role settings.
    """
    content = message.get("content") or ""
    given = message.get("allowed_mentions")
    allowed = given or {}
    parse = {"users", "roles", "everyone"} if given is None else set(allowed.get("parse") or [])
    pings = Pings(int(message["id"]), int(message["channel_id"]))
    for kind, pattern in (("users", r"<@!?(\d+)>"), ("roles", r"<@&(\d+)>")):
        found = {int(x) for x in re.findall(pattern, content)}
        listed = {int(x) for x in allowed.get(kind) or []}
        setattr(pings, kind, found if kind in parse else found & listed)
    pings.everyone = "everyone" in parse and ("@everyone" in content or "@here" in content)
    if replied_author is not None and (given is None or allowed.get("replied_user")):
        pings.users.add(replied_author)
    return pings
