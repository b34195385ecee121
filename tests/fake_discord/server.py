"""FakeDiscord: an aiohttp server on 127.0.0.1 that plays Discord's REST API and Gateway.

The real discord.py client talks to it unchanged, so end-to-end tests exercise the bot's
actual Discord layer: payload shapes, interaction timing, Discord's limits. Everything the
bot sends is captured for assertions; every rule it breaks lands in ``violations``.
"""

from __future__ import annotations

import asyncio
import bisect
import copy
import json
import re
import secrets
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from aiohttp import WSMsgType, web

from . import payloads
from .guild import GENERAL_CHANNEL_ID, Perm, World, default_world
from .limits import (
    Pings,
    Problem,
    check_choices,
    check_commands,
    check_message,
    check_modal,
    compute_pings,
    describe,
    error_body,
)
from .payloads import Json, public
from .records import EPHEMERAL, LOADING, InteractionRecord, Waiter, modal_submission

T = TypeVar("T")
API = "/api/v10"
DISCORD_EPOCH_MS = 1420070400000
GUILD_MESSAGES = 1 << 9  # intents
DIRECT_MESSAGES = 1 << 12
MESSAGE_CONTENT = 1 << 15
AUTO_MODERATION_EXECUTION = 1 << 21
# AutoMod's limits (Discord's docs: trigger metadata field limits; 6 keyword rules a server)
AUTOMOD_MAX_REGEX, AUTOMOD_MAX_REGEX_LENGTH, AUTOMOD_MAX_KEYWORD_RULES = 10, 260, 6
BODY = web.RequestKey("body", object)  # parsed JSON, or a multipart's payload_json
FILES = web.RequestKey("files", list)  # uploaded files: [{"filename", "size"}]
Error = tuple[int, int, str]  # HTTP status, Discord error code, message
UNKNOWN_CHANNEL: Error = (404, 10003, "Unknown Channel")
UNKNOWN_MESSAGE: Error = (404, 10008, "Unknown Message")
UNKNOWN_WEBHOOK: Error = (404, 10015, "Unknown Webhook")
UNKNOWN_INTERACTION: Error = (404, 10062, "Unknown interaction")
MISSING_ACCESS: Error = (403, 50001, "Missing Access")
MISSING_PERMISSIONS: Error = (403, 50013, "Missing Permissions")
CANNOT_MESSAGE_USER: Error = (403, 50007, "Cannot send messages to this user")
UNKNOWN_USER: Error = (404, 10013, "Unknown User")
HISTORY_ANCHORS = ("around", "before", "after")  # mutually exclusive query parameters
Handler = Callable[[web.Request], Coroutine[Any, Any, web.StreamResponse]]


@dataclass
class RequestRecord:
    """One REST call as the bot made it; ``path`` is relative to /api/v10."""

    method: str
    path: str
    query: dict[str, str]
    json: Any


@dataclass
class _Failure:
    method: str
    pattern: re.Pattern[str]
    status: int
    times: int
    retry_after: float | None
    body: Any


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # discord.py parses JSON only when Content-Type is exactly "application/json" (no charset).
    headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(status=status, body=json.dumps(data).encode(), headers=headers)


def _check_callback(ctype: int, data: Json) -> list[Problem]:
    """The limits that apply to each interaction callback type."""
    if ctype in (4, 7):
        return check_message(data, creating=ctype == 4)
    return {8: check_choices, 9: check_modal}.get(ctype, lambda _: [])(data)


class _Connection:
    """One gateway websocket; honours ``compress=zlib-stream`` as the real gateway does."""

    def __init__(self, ws: web.WebSocketResponse, zlib_stream: bool) -> None:
        self.ws, self.seq, self.intents, self.identified = ws, 0, 0, False
        self.zlib = zlib.compressobj() if zlib_stream else None
        self.lock = asyncio.Lock()  # sequence numbers and the zlib stream follow send order

    async def send(self, payload: Json) -> None:
        async with self.lock:
            if payload["op"] == 0:
                self.seq += 1
                payload = {**payload, "s": self.seq}
            text = json.dumps(payload)
            if self.zlib is None:
                await self.ws.send_str(text)
            else:
                data = self.zlib.compress(text.encode()) + self.zlib.flush(zlib.Z_SYNC_FLUSH)
                await self.ws.send_bytes(data)


class FakeDiscord:
    """Discord for one guild (see guild.py): REST under /api/v10, the Gateway at /.

    ``interaction_deadline`` and ``token_lifetime`` are Discord's 3 s and 15 min; tests may
    scale them down to check the rules quickly. ``nonce_window`` is how long a message's
    nonce stays unique when the bot sends ``enforce_nonce`` (Discord: "the past few minutes").
    """

    def __init__(
        self,
        world: World | None = None,
        *,
        interaction_deadline: float = 3.0,
        token_lifetime: float = 15 * 60,
        heartbeat_interval_ms: int = 41250,
        nonce_window: float = 5 * 60,
    ) -> None:
        self.world = world or default_world()
        self.interaction_deadline = interaction_deadline
        self.token_lifetime = token_lifetime
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.nonce_window = nonce_window
        self.violations: list[str] = []
        self.requests: list[RequestRecord] = []
        self.messages: defaultdict[int, list[Json]] = defaultdict(list)  # bot-sent, per channel
        self.message_store: dict[int, Json] = {}  # every message by id, ephemeral ones too
        self.commands: list[Json] = []
        self.guild_commands: dict[int, list[Json]] = {}
        self.sync_count = 0
        self.interactions: dict[int, InteractionRecord] = {}
        self.identify_payload: Json | None = None
        self.gateway_log: list[Json] = []  # other client payloads: presence, voice...
        self.modals: dict[str, Json] = {}  # every modal the bot opened, by custom_id
        self.dm_channels: dict[int, Json] = {}  # DM channels the bot opened, by channel id
        self.closed_dms: set[int] = set()  # members who do not accept DMs from the server
        self.automod_rules: list[Json] = []  # the guild's AutoMod rules, as Discord keeps them
        self.last_modal: Json | None = None
        self.port = 0
        self._by_token: dict[str, InteractionRecord] = {}
        self._connections: list[_Connection] = []
        self._failures: list[_Failure] = []
        self._nonces: dict[tuple[int, str], tuple[Json, float]] = {}  # (author, nonce)
        self._last_snowflake = 0
        self._ready = False
        self._waiter = Waiter()
        self._runner: web.AppRunner | None = None

    # -- lifecycle ------------------------------------------------------------------------

    async def start(self) -> FakeDiscord:
        """Bind 127.0.0.1 on a free port."""
        app = web.Application(middlewares=[self._middleware])
        app.router.add_get("/", self._gateway)
        for method, path, handler in self._routes():
            app.router.add_route(method, API + path, handler)
        app.router.add_route("*", "/{tail:.*}", self._unknown_route)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        """Close gateway sockets and unbind. Close the bot first, or it tries to reconnect."""
        for conn in list(self._connections):
            await conn.ws.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{API}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    # -- for assertions -------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        path_regex: str,
        status: int,
        *,
        times: int = 1,
        retry_after: float | None = None,
        body: Any = None,
    ) -> None:
        """Fail the next ``times`` REST calls whose path (after /api/v10) matches the regex.

        A 429 carries what discord.py needs to wait ``retry_after`` and retry; a 5xx is
        retried by discord.py after 1 s, 3 s, ...
        """
        failure = _Failure(method.upper(), re.compile(path_regex), status, times, retry_after, body)
        self._failures.append(failure)

    def wait_for(
        self, check: Callable[[], T | None], timeout: float = 5.0, what: str = "condition"
    ) -> Coroutine[Any, Any, T]:
        """Await the first non-None ``check()``, rechecked whenever the fake's state changes."""
        return self._waiter.until(check, timeout, what)

    def wait_until_ready(self, timeout: float = 5.0) -> Coroutine[Any, Any, bool]:
        """Await a client that identified and got READY and GUILD_CREATE."""
        return self.wait_for(lambda: self._ready or None, timeout, "IDENTIFY")

    def wait_until_synced(self, timeout: float = 5.0) -> Coroutine[Any, Any, int]:
        """Await at least one bulk overwrite of commands; gives the number of syncs so far."""
        return self.wait_for(lambda: self.sync_count or None, timeout, "command sync")

    def wait_for_message(
        self,
        channel_id: int,
        predicate: Callable[[Json], bool] | None = None,
        timeout: float = 5.0,
    ) -> Coroutine[Any, Any, Json]:
        """Await the oldest bot message in the channel that matches ``predicate``."""
        msgs = self.messages[channel_id]

        def check() -> Json | None:
            return next((m for m in msgs if not predicate or predicate(m)), None)

        return self.wait_for(check, timeout, f"bot message in {channel_id}")

    def wait_for_edit(
        self, message_id: int, *, count: int = 1, timeout: float = 5.0
    ) -> Coroutine[Any, Any, Json]:
        """Await the ``count``-th edit of a message; ``msg["edits"]`` keeps the old versions."""
        msg = self.message_store[message_id]

        def check() -> Json | None:
            return msg if len(msg["edits"]) >= count else None

        return self.wait_for(check, timeout, f"edit #{count} of {message_id}")

    def pings(self) -> list[Pings]:
        """Every bot message that notified someone, oldest first (ephemeral ones never do)."""
        found = []
        for msg in sorted(
            (m for ms in self.messages.values() for m in ms), key=lambda m: int(m["id"])
        ):
            if (p := msg.get("pings")) and (p["users"] or p["roles"] or p["everyone"]):
                ids = int(msg["id"]), int(msg["channel_id"])
                found.append(Pings(*ids, set(p["users"]), set(p["roles"]), p["everyone"]))
        return found

    def close_dms(self, user_id: int) -> None:
        """The member turned off DMs from server members: sends to them fail with 50007."""
        self.closed_dms.add(user_id)

    def dm_channel_of(self, user_id: int) -> int | None:
        """The id of the bot's DM channel with a member, once the bot opened one."""
        for cid, dm in self.dm_channels.items():
            if int(dm["recipients"][0]["id"]) == user_id:
                return cid
        return None

    def direct_messages(self, user_id: int) -> list[Json]:
        """What the bot sent a member by direct message, oldest first."""
        cid = self.dm_channel_of(user_id)
        return [] if cid is None else self.messages[cid]

    def _intent(self, channel_id: int) -> int:
        return DIRECT_MESSAGES if channel_id in self.dm_channels else GUILD_MESSAGES

    # -- gateway --------------------------------------------------------------------------

    async def dispatch(self, event: str, data: Json, *, intent: int = 0) -> None:
        """Send a DISPATCH to every identified client that asked for ``intent``."""
        for conn in list(self._connections):
            if conn.identified and (not intent or conn.intents & intent):
                try:
                    await conn.send({"op": 0, "t": event, "d": data})
                except (ConnectionError, RuntimeError):
                    self._connections.remove(conn)

    async def drop_connections(self, code: int = 4000) -> None:
        """Close every gateway socket, as Discord does now and then; discord.py should RESUME."""
        for conn in list(self._connections):
            await conn.ws.close(code=code)

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        query = dict(request.query)
        if query.get("v") != "10" or query.get("encoding") != "json":
            self.violations.append(f"gateway connected with unexpected query {query}")
        conn = _Connection(ws, query.get("compress") == "zlib-stream")
        self._connections.append(conn)
        try:
            await conn.send({"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}})
            async for frame in ws:
                if frame.type is WSMsgType.TEXT:
                    await self._on_gateway_payload(conn, json.loads(frame.data))
        except (ConnectionError, RuntimeError):
            pass
        finally:
            if conn in self._connections:
                self._connections.remove(conn)
        return ws

    async def _on_gateway_payload(self, conn: _Connection, payload: Json) -> None:
        op, data = payload.get("op"), payload.get("d") or {}
        if op == 1:
            await conn.send({"op": 11})
        elif op == 2:
            await self._identify(conn, data)
        elif op == 6:  # RESUME: a test loses nothing while disconnected, so just confirm
            conn.identified, conn.intents = True, (self.identify_payload or {}).get("intents", 0)
            await conn.send({"op": 0, "t": "RESUMED", "d": {}})
        elif op == 8:  # REQUEST_GUILD_MEMBERS: everyone, in one chunk
            chunk = {"guild_id": str(self.world.guild_id), "chunk_index": 0, "chunk_count": 1}
            chunk |= {"members": copy.deepcopy(self.world.members), "nonce": data.get("nonce")}
            await conn.send({"op": 0, "t": "GUILD_MEMBERS_CHUNK", "d": chunk})
        else:
            self.gateway_log.append(payload)

    async def _identify(self, conn: _Connection, data: Json) -> None:
        self.identify_payload = data
        conn.identified, conn.intents = True, data.get("intents", 0)
        ready: Json = {
            "v": 10,
            "user": self.world.bot_user | {"verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(self.world.guild_id), "unavailable": True}],
            "session_id": secrets.token_hex(16),
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.world.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
        }
        if "shard" in data:  # AutoShardedClient reads it back
            ready["shard"] = data["shard"]
        await conn.send({"op": 0, "t": "READY", "d": ready})
        await conn.send({"op": 0, "t": "GUILD_CREATE", "d": self.world.guild_payload()})
        self._ready = True
        self._waiter.changed()

    # -- REST plumbing --------------------------------------------------------------------

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Parse the body, log the call, apply injected failures and the token check."""
        if not request.path.startswith(API):
            return await handler(request)
        path = request.path.removeprefix(API)
        body, files = None, []
        if request.content_type == "application/json":
            body = await request.json()
        elif request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                if part.name == "payload_json":
                    body = json.loads(await part.text())  # type: ignore[union-attr]
                else:
                    size = len(await part.read())  # type: ignore[union-attr]
                    files.append({"filename": part.filename, "size": size})
        request[BODY], request[FILES] = body, files
        self.requests.append(RequestRecord(request.method, path, dict(request.query), body))
        for failure in self._failures:
            if failure.times > 0 and failure.method == request.method:
                if failure.pattern.search(path):
                    failure.times -= 1
                    return self._injected(failure)
        token = request.headers.get("Authorization", "")
        if not path.startswith(("/webhooks/", "/interactions/")) and not token.startswith("Bot "):
            return self._fail(request, (401, 0, "401: Unauthorized"), "call without a bot token")
        return await handler(request)

    @staticmethod
    def _injected(failure: _Failure) -> web.Response:
        if failure.status != 429:
            body = {"code": 0, "message": f"{failure.status}: injected failure"}
            return _json(failure.body or body, failure.status)
        retry = 0.1 if failure.retry_after is None else failure.retry_after
        body = {"message": "You are being rate limited.", "retry_after": retry, "global": False}
        # discord.py takes a 429 without "Via" for a Cloudflare ban and does not retry it.
        headers = {"Via": "1.1 google", "Retry-After": str(retry), "X-RateLimit-Scope": "user"}
        return _json(failure.body or body, 429, headers)

    def _violation(self, request: web.Request, text: str) -> None:
        self.violations.append(f"{request.method} {request.path.removeprefix(API)}: {text}")

    def _fail(self, request: web.Request, error: Error, violation: str | None) -> web.Response:
        """Answer with Discord's error; ``violation`` says why it is the bot's fault."""
        if violation:
            self._violation(request, violation)
        return _json({"code": error[1], "message": error[2]}, error[0])

    def _reject(self, request: web.Request, problems: list[Problem]) -> web.Response:
        """400 Invalid Form Body, as Discord answers a payload over its limits."""
        self._violation(request, describe(problems))
        return _json(error_body(problems), 400)

    async def _unknown_route(self, request: web.Request) -> web.Response:
        return self._fail(request, (404, 0, "404: Not Found"), "route not implemented by the fake")

    def _routes(self) -> list[tuple[str, str, Handler]]:
        webhook_message = "/webhooks/{app}/{token}/messages/{mid}"
        return [
            ("GET", "/users/@me", self._get_me),
            ("GET", "/oauth2/applications/@me", self._get_application),
            ("GET", "/gateway", self._get_gateway),
            ("GET", "/gateway/bot", self._get_gateway),
            ("*", "/applications/{app}/commands", self._commands),
            ("*", "/applications/{app}/guilds/{guild}/commands", self._commands),
            ("POST", "/interactions/{iid}/{token}/callback", self._callback),
            ("POST", "/webhooks/{app}/{token}", self._followup),
            *[(m, webhook_message, self._webhook_message) for m in ("GET", "PATCH", "DELETE")],
            ("GET", "/channels/{cid}", self._get_channel),
            ("GET", "/channels/{cid}/messages", self._history),
            ("POST", "/channels/{cid}/messages", self._create_message),
            *[
                (m, "/channels/{cid}/messages/{mid}", self._message)
                for m in ("GET", "PATCH", "DELETE")
            ],
            ("POST", "/users/@me/channels", self._create_dm),
            ("GET", "/users/{uid}", self._get_user),
            ("GET", "/guilds/{gid}/members/{uid}", self._get_member),
            *[
                (m, "/guilds/{gid}/auto-moderation/rules", self._automod_rules)
                for m in ("GET", "POST")
            ],
            *[
                (m, "/guilds/{gid}/auto-moderation/rules/{rid}", self._automod_rule)
                for m in ("GET", "PATCH", "DELETE")
            ],
            ("PATCH", "/guilds/{gid}/members/{uid}", self._edit_member),
        ]

    # -- simple routes --------------------------------------------------------------------

    async def _get_me(self, request: web.Request) -> web.Response:
        return _json(self.world.bot_user | {"verified": True, "mfa_enabled": False})

    async def _get_application(self, request: web.Request) -> web.Response:
        app = {"id": str(self.world.application_id), "name": self.world.bot_user["username"]}
        app |= {"description": "", "icon": None, "bot_public": False, "team": None, "flags": 0}
        app |= {"bot_require_code_grant": False, "verify_key": "0" * 64, "summary": ""}
        app |= {"owner": self.world.user(self.world.owner_id), "bot": self.world.bot_user}
        # With an interactions URL set, discord.py warns that no interactions will arrive.
        return _json(app | {"interactions_endpoint_url": None})

    async def _get_gateway(self, request: web.Request) -> web.Response:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return _json(
            {"url": self.gateway_url.rstrip("/"), "shards": 1, "session_start_limit": limit}
        )

    async def _get_user(self, request: web.Request) -> web.Response:
        uid = request.match_info["uid"]
        if not uid.isdigit() or self.world.member(int(uid)) is None:
            return self._fail(request, UNKNOWN_USER, None)
        return _json(self.world.user(int(uid)))

    async def _create_dm(self, request: web.Request) -> web.Response:
        """Open (or return) the bot's DM channel with a member. Discord opens it even when the
        member's DMs are closed; only sending there fails (50007)."""
        recipient = str((request[BODY] or {}).get("recipient_id", ""))
        if not recipient.isdigit() or self.world.member(int(recipient)) is None:
            return self._fail(request, (400, 50033, "Invalid Recipient(s)"), "DM to a non-member")
        if (cid := self.dm_channel_of(int(recipient))) is None:
            cid = self._snowflake()
            user = copy.deepcopy(self.world.user(int(recipient)))
            self.dm_channels[cid] = {
                "id": str(cid),
                "type": 1,
                "last_message_id": None,
                "flags": 0,
                "recipients": [user],
            }
        return _json(self.dm_channels[cid])

    async def _get_member(self, request: web.Request) -> web.Response:
        member = self.world.member(int(request.match_info["uid"]))
        if member is None or int(request.match_info["gid"]) != self.world.guild_id:
            return self._fail(request, (404, 10007, "Unknown Member"), None)
        return _json(member)

    async def _edit_member(self, request: web.Request) -> web.Response:
        """Only a timeout (communication_disabled_until), which needs Moderate Members."""
        member = self.world.member(int(request.match_info["uid"]))
        if member is None or int(request.match_info["gid"]) != self.world.guild_id:
            return self._fail(request, (404, 10007, "Unknown Member"), None)
        if not self.world.permissions(self.world.bot_id) & Perm.MODERATE_MEMBERS:
            return self._fail(request, MISSING_PERMISSIONS, "timeout without Moderate Members")
        body = request[BODY] or {}
        if set(body) != {"communication_disabled_until"}:
            return self._fail(request, (400, 50035, "Invalid Form Body"), f"member edit {body}")
        member["communication_disabled_until"] = body["communication_disabled_until"]
        self._waiter.changed()
        return _json(member)

    # -- AutoMod ---------------------------------------------------------------------------

    def _automod_refusal(self, request: web.Request) -> web.Response | None:
        """Unknown guild, or a bot without Manage Server (a refusal, not the bot's mistake)."""
        if int(request.match_info["gid"]) != self.world.guild_id:
            return self._fail(request, (404, 10004, "Unknown Guild"), "unknown guild")
        if not self.world.permissions(self.world.bot_id) & Perm.MANAGE_GUILD:
            return self._fail(request, MISSING_PERMISSIONS, None)
        return None

    def _automod_problems(self, rule: Json, creating: bool) -> list[Problem]:
        problems: list[Problem] = []
        if not 1 <= len(str(rule.get("name") or "")) <= 100:
            problems.append(Problem(("name",), "BASE_TYPE_BAD_LENGTH", "Must be 1-100 long."))
        if rule.get("event_type") != 1:
            problems.append(Problem(("event_type",), "BASE_TYPE_CHOICES", "Must be 1."))
        patterns = (rule.get("trigger_metadata") or {}).get("regex_patterns") or []
        if len(patterns) > AUTOMOD_MAX_REGEX:
            problems.append(
                Problem(
                    ("trigger_metadata", "regex_patterns"),
                    "BASE_TYPE_MAX_LENGTH",
                    f"Must be {AUTOMOD_MAX_REGEX} or fewer in length.",
                )
            )
        for i, pattern in enumerate(patterns):
            if len(pattern) > AUTOMOD_MAX_REGEX_LENGTH:
                problems.append(
                    Problem(
                        ("trigger_metadata", "regex_patterns", i),
                        "BASE_TYPE_MAX_LENGTH",
                        f"Must be {AUTOMOD_MAX_REGEX_LENGTH} or fewer in length.",
                    )
                )
        actions = rule.get("actions") or []
        if not actions:
            problems.append(Problem(("actions",), "BASE_TYPE_REQUIRED", "This field is required"))
        for i, action in enumerate(actions):
            if action.get("type") == 2:
                channel = (action.get("metadata") or {}).get("channel_id")
                if channel is None or self.world.channel(int(channel)) is None:
                    problems.append(
                        Problem(("actions", i, "metadata", "channel_id"), "UNKNOWN", "Unknown")
                    )
        keyword_rules = sum(1 for r in self.automod_rules if r["trigger_type"] == 1)
        if (
            creating
            and rule.get("trigger_type") == 1
            and keyword_rules >= AUTOMOD_MAX_KEYWORD_RULES
        ):
            problems.append(
                Problem(("trigger_type",), "AUTO_MODERATION_MAX_RULES_OF_TYPE_EXCEEDED", "Max 6")
            )
        return problems

    async def _automod_rules(self, request: web.Request) -> web.Response:
        """GET the guild's rules, or POST (create) one."""
        if (refused := self._automod_refusal(request)) is not None:
            return refused
        if request.method == "GET":
            return _json(copy.deepcopy(self.automod_rules))
        body = request[BODY] or {}
        if problems := self._automod_problems(body, creating=True):
            return self._reject(request, problems)
        metadata = {"keyword_filter": [], "allow_list": [], "regex_patterns": []}
        rule = {
            "id": str(self._snowflake()),
            "guild_id": str(self.world.guild_id),
            "creator_id": str(self.world.bot_id),
            "name": body["name"],
            "event_type": body["event_type"],
            "trigger_type": body.get("trigger_type"),
            "trigger_metadata": metadata | (body.get("trigger_metadata") or {}),
            "actions": copy.deepcopy(body["actions"]),
            "enabled": bool(body.get("enabled", False)),
            "exempt_roles": list(body.get("exempt_roles") or []),
            "exempt_channels": list(body.get("exempt_channels") or []),
        }
        self.automod_rules.append(rule)
        self._waiter.changed()
        return _json(copy.deepcopy(rule))

    async def _automod_rule(self, request: web.Request) -> web.Response:
        """GET, PATCH (modify; trigger_type cannot change) or DELETE one rule."""
        if (refused := self._automod_refusal(request)) is not None:
            return refused
        rid = request.match_info["rid"]
        rule = next((r for r in self.automod_rules if r["id"] == rid), None)
        if rule is None:
            return self._fail(request, (404, 10066, "Unknown auto moderation rule"), None)
        if request.method == "GET":
            return _json(copy.deepcopy(rule))
        if request.method == "DELETE":
            self.automod_rules.remove(rule)
            self._waiter.changed()
            return web.Response(status=204)
        body = request[BODY] or {}
        if "trigger_type" in body:
            return self._fail(request, (400, 50035, "Invalid Form Body"), "trigger_type in PATCH")
        merged = copy.deepcopy(rule) | copy.deepcopy(body)
        if "trigger_metadata" in body:
            merged["trigger_metadata"] = rule["trigger_metadata"] | body["trigger_metadata"]
        if problems := self._automod_problems(merged, creating=False):
            return self._reject(request, problems)
        rule.update(merged)
        self._waiter.changed()
        return _json(copy.deepcopy(rule))

    async def trigger_automod(self, message: Json) -> list[Json]:
        """Run the guild's keyword rules on a member's message, as Discord does on send, and
        dispatch AUTO_MODERATION_ACTION_EXECUTION per action (to a bot with the intent and
        Manage Server). Returns the executions sent."""
        sent = []
        author = int(message["author"]["id"])
        member = self.world.member(author) or {"roles": []}
        roles = {str(r) for r in member["roles"]}
        can_see = self.world.permissions(self.world.bot_id) & Perm.MANAGE_GUILD
        for rule in self.automod_rules:
            if not rule["enabled"] or rule["trigger_type"] != 1:
                continue
            if (
                roles & set(rule["exempt_roles"])
                or message["channel_id"] in rule["exempt_channels"]
            ):
                continue
            patterns = rule["trigger_metadata"].get("regex_patterns") or []
            match = next(
                (m for p in patterns if (m := re.search(p, message["content"])) is not None), None
            )
            if match is None:
                continue
            for action in rule["actions"]:
                execution = {
                    "guild_id": str(self.world.guild_id),
                    "action": copy.deepcopy(action),
                    "rule_id": rule["id"],
                    "rule_trigger_type": 1,
                    "user_id": str(author),
                    "channel_id": message["channel_id"],
                    "message_id": message["id"],
                    "content": message["content"],
                    "matched_keyword": match.re.pattern,
                    "matched_content": match.group(0),
                }
                if can_see:
                    await self.dispatch(
                        "AUTO_MODERATION_ACTION_EXECUTION",
                        execution,
                        intent=AUTO_MODERATION_EXECUTION,
                    )
                sent.append(execution)
        self._waiter.changed()
        return sent

    async def _get_channel(self, request: web.Request) -> web.Response:
        cid = int(request.match_info["cid"])
        if channel := self.world.channel(cid) or self.dm_channels.get(cid):
            return _json(channel)
        return self._fail(request, UNKNOWN_CHANNEL, "unknown channel")

    async def _commands(self, request: web.Request) -> web.Response:
        """GET or PUT (bulk overwrite) the global or a guild's commands; ids survive re-syncs."""
        if int(request.match_info["app"]) != self.world.application_id:
            return self._fail(request, (404, 10002, "Unknown Application"), "wrong application id")
        guild_id = int(request.match_info["guild"]) if "guild" in request.match_info else None
        current = self.commands if guild_id is None else self.guild_commands.get(guild_id, [])
        if request.method == "GET":
            return _json(current)
        if request.method != "PUT":
            return await self._unknown_route(request)
        body = request[BODY] or []
        if problems := check_commands(body):
            return self._reject(request, problems)
        ids = {(c["type"], c["name"]): c["id"] for c in current}
        stored = []
        for cmd in body:
            ctype = cmd.get("type", 1)
            cid = ids.get((ctype, cmd["name"])) or str(self._snowflake())
            meta = {
                "id": cid,
                "type": ctype,
                "version": cid,
                "guild_id": guild_id and str(guild_id),
            }
            defaults = {"description": "", "options": [], "default_member_permissions": None}
            stored.append(
                defaults | cmd | meta | {"application_id": str(self.world.application_id)}
            )
        if guild_id is None:
            self.commands = stored
        else:
            self.guild_commands[guild_id] = stored
        self.sync_count += 1
        self._waiter.changed()
        return _json(stored)

    # -- messages -------------------------------------------------------------------------

    def _snowflake(self) -> int:
        value = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        self._last_snowflake = max(value, self._last_snowflake + 1)
        return self._last_snowflake

    def _new_message(self, channel_id: int, author_id: int, payload: Json, **extra: Any) -> Json:
        """Build and store a message; replies get Discord's reference fields."""
        msg = payloads.message(self.world, self._snowflake(), channel_id, author_id, payload)
        if payload.get("nonce") is not None:
            msg["nonce"] = payload["nonce"]
        if ref := payload.get("message_reference"):
            msg["type"] = 19
            msg["message_reference"] = {"channel_id": str(channel_id), **ref}
            if target := self.message_store.get(int(ref["message_id"])):
                msg["referenced_message"] = public(target)
        msg |= extra
        if channel_id in self.dm_channels:  # a DM belongs to no guild
            msg.pop("guild_id", None)
            msg.pop("member", None)
        self.message_store[int(msg["id"])] = msg
        return msg

    def _attachments(self, payload: Json, files: list[Json]) -> list[Json]:
        """Attachment objects for uploaded files (matched by position, as discord.py sends them)."""
        out = []
        for i, att in enumerate(payload.get("attachments") or []):
            if "filename" not in att:  # an attachment kept on edit
                out.append(att)
                continue
            aid, size = self._snowflake(), files[i]["size"] if i < len(files) else 0
            url = f"http://127.0.0.1:{self.port}/attachments/{aid}/{att['filename']}"
            stored = {"id": str(aid), "filename": att["filename"], "size": size}
            out.append(stored | {"url": url, "proxy_url": url})
        return out

    def _mark_sent(self, msg: Json) -> None:
        """Fill mentions and record who was pinged, at the moment members see the message."""
        ref = self.message_store.get(int(msg.get("message_reference", {}).get("message_id", 0)))
        pings = compute_pings(msg, int(ref["author"]["id"]) if ref else None)
        author = int(msg["author"]["id"])
        if author != self.world.bot_id:  # members need the permission to ping everyone
            pings.everyone &= bool(self.world.permissions(author) & Perm.MENTION_EVERYONE)
        users = [u for u in pings.users if self.world.member(u)]
        partial = payloads.member_partial
        msg["mentions"] = [self.world.user(u) | {"member": partial(self.world, u)} for u in users]
        msg["mention_roles"] = [str(r) for r in pings.roles]
        msg["mention_everyone"] = pings.everyone
        if msg["flags"] & EPHEMERAL or author != self.world.bot_id:
            return
        msg["pings"] = {"users": sorted(pings.users), "roles": sorted(pings.roles)}
        msg["pings"]["everyone"] = pings.everyone
        if pings.everyone:
            self.violations.append(f"message {msg['id']} in {msg['channel_id']} pings @everyone")

    async def _post(self, channel_id: int, payload: Json, files: list[Json], **extra: Any) -> Json:
        """A bot message: store, capture, broadcast MESSAGE_CREATE unless ephemeral."""
        msg = self._new_message(channel_id, self.world.bot_id, payload, **extra)
        msg["attachments"] = self._attachments(payload, files)
        if not msg["flags"] & LOADING:
            self._mark_sent(msg)
        if not msg["flags"] & EPHEMERAL:
            self.messages[channel_id].append(msg)
            await self.dispatch("MESSAGE_CREATE", _created(msg), intent=self._intent(channel_id))
        self._waiter.changed()
        return msg

    async def _edit(self, msg: Json, payload: Json, files: list[Json] | None = None) -> None:
        """Apply a PATCH; the previous version goes to ``msg["edits"]``."""
        keys = ("content", "embeds", "components", "attachments", "flags", "edited_timestamp")
        msg["edits"].append({k: copy.deepcopy(msg[k]) for k in (*keys, "allowed_mentions")})
        for key in ("content", "embeds", "components", "allowed_mentions"):
            if key in payload:
                cleared = "" if key == "content" else None if key == "allowed_mentions" else []
                msg[key] = copy.deepcopy(payload[key]) if payload[key] is not None else cleared
        if "attachments" in payload:
            msg["attachments"] = self._attachments(payload, files or [])
        loading = msg["flags"] & LOADING
        settable = (1 << 2) | (1 << 15)  # SUPPRESS_EMBEDS, IS_COMPONENTS_V2
        msg["flags"] = (msg["flags"] | ((payload.get("flags") or 0) & settable)) & ~LOADING
        msg["edited_timestamp"] = None if loading else payloads.now()
        if loading:  # a deferred response is "sent" when the thinking message is filled in
            self._mark_sent(msg)
        if not msg["flags"] & EPHEMERAL:
            intent = self._intent(int(msg["channel_id"]))
            await self.dispatch("MESSAGE_UPDATE", public(msg), intent=intent)
        self._waiter.changed()

    async def _delete(self, msg: Json) -> None:
        msg["deleted"] = True
        if not msg["flags"] & EPHEMERAL:
            data = {k: msg[k] for k in ("id", "channel_id", "guild_id") if k in msg}
            intent = self._intent(int(msg["channel_id"]))
            await self.dispatch("MESSAGE_DELETE", data, intent=intent)
        self._waiter.changed()

    async def _create_message(self, request: web.Request) -> web.Response:
        cid = int(request.match_info["cid"])
        if dm := self.dm_channels.get(cid):
            if int(dm["recipients"][0]["id"]) in self.closed_dms:
                return self._fail(request, CANNOT_MESSAGE_USER, None)
        elif self.world.channel(cid) is None:
            return self._fail(request, UNKNOWN_CHANNEL, "unknown channel")
        else:
            needed = Perm.VIEW_CHANNEL | Perm.SEND_MESSAGES
            if self.world.permissions(self.world.bot_id, cid) & needed != needed:
                return self._fail(request, MISSING_PERMISSIONS, f"bot may not send in {cid}")
        body = request[BODY] or {}
        problems = check_message(body, creating=True)
        nonce = body.get("nonce")
        if isinstance(nonce, str) and len(nonce) > 25:
            problems.append(
                Problem(("nonce",), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
            )
        if problems:
            return self._reject(request, problems)
        if nonce is None or not body.get("enforce_nonce"):
            return _json(_created(await self._post(cid, body, request[FILES])))
        # Discord: the same nonce from the same author within a few minutes returns the
        # message it already created instead of creating another one.
        key, now = (self.world.bot_id, str(nonce)), asyncio.get_running_loop().time()
        earlier = self._nonces.get(key)
        if earlier and now - earlier[1] <= self.nonce_window and not earlier[0].get("deleted"):
            return _json(_created(earlier[0]))
        msg = await self._post(cid, body, request[FILES])
        self._nonces[key] = (msg, now)
        return _json(_created(msg))

    async def _history(self, request: web.Request) -> web.Response:
        """GET a channel's messages, newest first, as Discord pages them (limit 1-100).

        ``around``, ``before`` and ``after`` are message ids (one at most); ``after`` gives the
        messages just after it, ``around`` about half older and half from it on. Nonces are
        not kept by Discord, so fetched messages have none.
        """
        cid = int(request.match_info["cid"])
        if self.world.channel(cid) is None:
            return self._fail(request, UNKNOWN_CHANNEL, "unknown channel")
        perms = self.world.permissions(self.world.bot_id, cid)
        if not perms & Perm.VIEW_CHANNEL:
            return self._fail(request, MISSING_ACCESS, f"bot may not view {cid}")
        query, problems = request.query, []
        limit = _query_int(query, "limit", 50, problems)
        if not 1 <= limit <= 100:
            side = "greater than or equal to 1" if limit < 1 else "less than or equal to 100"
            code = "NUMBER_TYPE_MIN" if limit < 1 else "NUMBER_TYPE_MAX"
            problems.append(Problem(("limit",), code, f"int value should be {side}."))
        anchors = {k: _query_int(query, k, 0, problems) for k in HISTORY_ANCHORS if k in query}
        if len(anchors) > 1:
            problems.append(
                Problem(
                    ("query",), "MUTUALLY_EXCLUSIVE", f"only one of {sorted(anchors)} at a time"
                )
            )
        if problems:
            return self._reject(request, problems)
        if not perms & Perm.READ_MESSAGE_HISTORY:
            return _json([])  # Discord shows no history rather than an error
        ids = sorted(
            mid
            for mid, m in self.message_store.items()
            if int(m["channel_id"]) == cid and not m.get("deleted") and not m["flags"] & EPHEMERAL
        )
        if "after" in anchors:
            start = bisect.bisect_right(ids, anchors["after"])
            end = start + limit
        elif "around" in anchors:
            start = max(0, bisect.bisect_left(ids, anchors["around"]) - limit // 2)
            end = start + limit
        else:
            end = bisect.bisect_left(ids, anchors["before"]) if anchors else len(ids)
            start = max(0, end - limit)
        page = ids[start:end]
        return _json([self._fetched(self.message_store[mid]) for mid in reversed(page)])

    def _fetched(self, msg: Json) -> Json:
        """A stored message as the bot reads it back over REST."""
        if int(msg["author"]["id"]) == self.world.bot_id:
            return public(msg)
        return self._seen_by_bot(msg)

    async def _message(self, request: web.Request) -> web.Response:
        """GET, PATCH or DELETE a channel message (the bot may edit only its own)."""
        cid, mid = int(request.match_info["cid"]), int(request.match_info["mid"])
        msg = self.message_store.get(mid)
        if msg is None or msg.get("deleted") or msg["flags"] & EPHEMERAL:
            return self._fail(request, UNKNOWN_MESSAGE, None)
        if int(msg["channel_id"]) != cid:
            return self._fail(request, UNKNOWN_MESSAGE, f"message {mid} is not in channel {cid}")
        own = int(msg["author"]["id"]) == self.world.bot_id
        if request.method == "DELETE":
            if (
                not own
                and not self.world.permissions(self.world.bot_id, cid) & Perm.MANAGE_MESSAGES
            ):
                return self._fail(request, MISSING_PERMISSIONS, "delete without Manage Messages")
            await self._delete(msg)
            return web.Response(status=204)
        if request.method == "PATCH":
            if not own:
                error = (403, 50005, "Cannot edit a message authored by another user")
                return self._fail(request, error, f"edit of member message {mid}")
            if problems := check_message(request[BODY] or {}, creating=False):
                return self._reject(request, problems)
            await self._edit(msg, request[BODY] or {}, request[FILES])
        return _json(public(msg))

    # -- interactions: the bot's side -----------------------------------------------------

    async def _callback(self, request: web.Request) -> web.Response:
        """The initial response: on time, once, of a type valid for the interaction."""
        rec = self.interactions.get(int(request.match_info["iid"]))
        if rec is None or rec.token != request.match_info["token"]:
            return self._fail(request, UNKNOWN_INTERACTION, "callback for an unknown interaction")
        label = _label(rec)
        if rec.callback is not None:
            error = (400, 40060, "Interaction has already been acknowledged.")
            return self._fail(request, error, f"{label} acknowledged twice")
        elapsed = asyncio.get_running_loop().time() - rec.sent_at
        if elapsed > self.interaction_deadline:
            late = f"{label} answered after {elapsed:.2f}s (limit {self.interaction_deadline}s)"
            return self._fail(request, UNKNOWN_INTERACTION, late + ": defer first")
        body, itype = request[BODY] or {}, rec.payload["type"]
        ctype, data = body.get("type"), body.get("data") or {}
        if ctype not in {2: (4, 5, 9), 3: (4, 5, 6, 7, 9), 4: (8,), 5: (4, 5, 6, 7)}[itype]:
            code = "INTERACTION_RESPONSE_TYPE_INVALID"
            return self._reject(request, [Problem(("type",), code, f"{ctype} invalid for {label}")])
        if problems := _check_callback(ctype, data):
            return self._reject(request, problems)
        rec.callback = body
        msg = None
        if ctype in (4, 5):
            flags = (data.get("flags") or 0) | (LOADING if ctype == 5 else 0)
            content = (data if ctype == 4 else {}) | {"flags": flags}
            msg = await self._post(rec.channel_id, content, request[FILES], **self._made_by(rec))
            rec.original = msg
        elif ctype in (6, 7) and "message" in rec.payload:
            rec.original = self.message_store.get(int(rec.payload["message"]["id"]))
            if ctype == 7 and rec.original is not None:
                msg = rec.original
                await self._edit(msg, data, request[FILES])
        elif ctype == 9:
            self.modals[data["custom_id"]] = self.last_modal = data
        self._waiter.changed()
        interaction: Json = {"id": str(rec.id), "type": itype}
        resource: Json = {"type": ctype}
        if msg is not None:
            interaction["response_message_id"] = msg["id"]
            interaction["response_message_loading"] = ctype == 5
            interaction["response_message_ephemeral"] = bool(msg["flags"] & EPHEMERAL)
            resource["message"] = public(msg)
        return _json({"interaction": interaction, "resource": resource})

    def _made_by(self, rec: InteractionRecord) -> Json:
        """Fields Discord adds to messages created through an interaction."""
        meta = {
            "id": str(rec.id),
            "type": rec.payload["type"],
            "user": rec.payload["member"]["user"],
        }
        meta["authorizing_integration_owners"] = {"0": str(self.world.guild_id)}
        if "message" in rec.payload:
            meta["interacted_message_id"] = rec.payload["message"]["id"]
        kind = 0
        if rec.payload["type"] == 2:
            kind = 20 if rec.payload["data"].get("type", 1) == 1 else 23
        app = str(self.world.application_id)
        return {
            "type": kind,
            "interaction_metadata": meta,
            "webhook_id": app,
            "application_id": app,
        }

    def _webhook(self, request: web.Request) -> InteractionRecord | web.Response:
        """The interaction behind a webhook URL, or the error Discord would give."""
        rec = self._by_token.get(request.match_info["token"])
        if rec is None or int(request.match_info["app"]) != self.world.application_id:
            return self._fail(request, UNKNOWN_WEBHOOK, "unknown webhook or token")
        age = asyncio.get_running_loop().time() - rec.sent_at
        if age > self.token_lifetime:
            late = f"{_label(rec)} token used after {age:.1f}s (lives {self.token_lifetime}s)"
            return self._fail(request, (401, 50027, "Invalid Webhook Token"), late)
        if rec.callback is None:
            return self._fail(request, UNKNOWN_WEBHOOK, f"{_label(rec)} used before responding")
        return rec

    async def _followup(self, request: web.Request) -> web.Response:
        rec = self._webhook(request)
        if isinstance(rec, web.Response):
            return rec
        payload = request[BODY] or {}
        if problems := check_message(payload, creating=True):
            return self._reject(request, problems)
        original = rec.original
        if original is not None and original["flags"] & LOADING:
            # Discord: the first followup after a thinking defer replaces the loading message.
            await self._edit(original, payload, request[FILES])
            msg = original
        else:
            extra = self._made_by(rec)
            msg = await self._post(rec.channel_id, payload, request[FILES], **extra)
        rec.followups.append(msg)
        self._waiter.changed()
        wait = request.query.get("wait") not in ("0", "false")
        return _json(public(msg)) if wait else web.Response(status=204)

    async def _webhook_message(self, request: web.Request) -> web.Response:
        """GET, PATCH or DELETE @original or a followup of this interaction."""
        rec = self._webhook(request)
        if isinstance(rec, web.Response):
            return rec
        mid = request.match_info["mid"]
        msg = rec.original if mid == "@original" else self.message_store.get(int(mid))
        mine = msg is not None and any(msg is m for m in [rec.original, *rec.followups])
        if msg is None or not mine or msg.get("deleted"):
            return self._fail(request, UNKNOWN_MESSAGE, f"no message {mid} for {_label(rec)}")
        if request.method == "DELETE":
            await self._delete(msg)
            return web.Response(status=204)
        if request.method == "PATCH":
            if problems := check_message(request[BODY] or {}, creating=False):
                return self._reject(request, problems)
            await self._edit(msg, request[BODY] or {}, request[FILES])
        return _json(public(msg))

    # -- what members do ------------------------------------------------------------------

    async def send_message(
        self, channel_id: int, author_id: int, content: str, *, message_id: int | None = None
    ) -> Json:
        """A member posts; MESSAGE_CREATE goes out as Discord would send it."""
        msg = self._new_message(channel_id, author_id, {"content": content})
        if message_id is not None:
            self.message_store[message_id] = self.message_store.pop(int(msg["id"]))
            msg["id"] = str(message_id)
        self._mark_sent(msg)
        await self.dispatch("MESSAGE_CREATE", self._seen_by_bot(msg), intent=GUILD_MESSAGES)
        self._waiter.changed()
        return msg

    async def edit_message(self, channel_id: int, message_id: int, content: str) -> Json:
        """A member edits their message (MESSAGE_UPDATE carries the whole message)."""
        msg = self._member_message(channel_id, message_id)
        msg["edits"].append(
            {"content": msg["content"], "edited_timestamp": msg["edited_timestamp"]}
        )
        msg["content"], msg["edited_timestamp"] = content, payloads.now()
        self._mark_sent(msg)
        await self.dispatch("MESSAGE_UPDATE", self._seen_by_bot(msg), intent=GUILD_MESSAGES)
        self._waiter.changed()
        return msg

    async def delete_message(self, channel_id: int, message_id: int) -> None:
        """A member (or a moderator) deletes a message (MESSAGE_DELETE)."""
        await self._delete(self._member_message(channel_id, message_id))

    def _member_message(self, channel_id: int, message_id: int) -> Json:
        msg = self.message_store.get(message_id)
        if msg is None or int(msg["channel_id"]) != channel_id:
            raise AssertionError(f"no message {message_id} in channel {channel_id}")
        return msg

    def _seen_by_bot(self, msg: Json) -> Json:
        """Without the MESSAGE_CONTENT intent Discord blanks content unless the bot is mentioned."""
        seen = public(msg)
        intents = (self.identify_payload or {}).get("intents", 0)
        mentioned = any(int(u["id"]) == self.world.bot_id for u in msg["mentions"])
        if not intents & MESSAGE_CONTENT and not mentioned:
            seen |= {"content": "", "embeds": [], "attachments": [], "components": []}
        return seen

    async def _interact(
        self, itype: int, data: Json, user_id: int, channel_id: int, message: Json | None = None
    ) -> InteractionRecord:
        """Send INTERACTION_CREATE; the 3 s clock starts before it leaves."""
        iid = self._snowflake()
        payload = payloads.interaction(self.world, iid, itype, data, user_id, channel_id)
        if message is not None:
            payload["message"] = public(message)
        rec = InteractionRecord(payload, asyncio.get_running_loop().time(), self._waiter)
        self.interactions[iid] = self._by_token[rec.token] = rec
        await self.dispatch("INTERACTION_CREATE", payload)
        return rec

    def _command(self, name: str, ctype: int) -> Json:
        """A synced command (guild first, like the client shows them); AssertionError if none."""
        synced = [*self.guild_commands.get(self.world.guild_id, []), *self.commands]
        for cmd in synced:
            if cmd["name"] == name and cmd["type"] == ctype:
                return cmd
        names = [c["name"] for c in synced]
        raise AssertionError(f"command {name!r} (type {ctype}) was never synced; synced: {names}")

    async def slash(
        self,
        name: str,
        *,
        options: Json | None = None,
        user_id: int,
        channel_id: int = GENERAL_CHANNEL_ID,
        subcommand: str | None = None,
        group: str | None = None,
    ) -> InteractionRecord:
        """A member runs ``/name [group] [subcommand] option:value ...``."""
        path = [p for p in (group, subcommand) if p]
        cmd = self._command(name, 1)
        data = payloads.command_data(self.world, cmd, options or {}, path, channel_id)
        return await self._interact(2, data, user_id, channel_id)

    async def autocomplete(
        self,
        name: str,
        focused_option: str,
        value: str,
        *,
        other_options: Json | None = None,
        user_id: int,
        channel_id: int = GENERAL_CHANNEL_ID,
        subcommand: str | None = None,
        group: str | None = None,
    ) -> InteractionRecord:
        """A member types ``value`` into ``focused_option``; the bot must offer choices."""
        path = [p for p in (group, subcommand) if p]
        options = (other_options or {}) | {focused_option: value}
        cmd = self._command(name, 1)
        data = payloads.command_data(self.world, cmd, options, path, channel_id, focused_option)
        return await self._interact(4, data, user_id, channel_id)

    async def click(
        self,
        custom_id: str,
        *,
        message_id: int,
        user_id: int,
        channel_id: int | None = None,
        values: list[str] | None = None,
    ) -> InteractionRecord:
        """A member clicks a button (or picks ``values`` in a select) on a stored message."""
        msg = self.message_store.get(message_id)
        if msg is None or msg.get("deleted"):
            raise AssertionError(f"message {message_id} does not exist (deleted or never sent)")
        comp = payloads.find_component(msg, custom_id)
        if comp is None or comp.get("disabled"):
            why = "is disabled" if comp else f"is not on message {message_id}"
            raise AssertionError(f"component {custom_id!r} {why}: {msg['components']}")
        data: Json = {"custom_id": custom_id, "component_type": comp["type"]}
        if comp["type"] != 2:
            data["values"] = values or []
        channel = channel_id or int(msg["channel_id"])
        return await self._interact(3, data, user_id, channel, message=msg)

    async def submit_modal(
        self,
        custom_id: str,
        values: dict[str, str | list[str]],
        *,
        user_id: int,
        channel_id: int = GENERAL_CHANNEL_ID,
        message_id: int | None = None,
    ) -> InteractionRecord:
        """A member submits a modal the bot opened; ``values``: input custom_id -> text."""
        if (modal := self.modals.get(custom_id)) is None:
            raise AssertionError(f"the bot never opened modal {custom_id!r}: {list(self.modals)}")
        data = {"custom_id": custom_id, "components": modal_submission(modal, values)}
        message = self.message_store.get(message_id) if message_id else None
        return await self._interact(5, data, user_id, channel_id, message=message)

    async def message_command(
        self,
        name: str,
        *,
        target_message_id: int,
        user_id: int,
        channel_id: int | None = None,
    ) -> InteractionRecord:
        """A member right-clicks a message and picks the app command ``name``."""
        cmd, target = self._command(name, 3), self.message_store[target_message_id]
        data = {"id": cmd["id"], "name": name, "type": 3, "target_id": target["id"]}
        data["resolved"] = {"messages": {target["id"]: self._seen_by_bot(target)}}
        if cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        channel = channel_id or int(target["channel_id"])
        return await self._interact(2, data, user_id, channel)


def _created(msg: Json) -> Json:
    """A message as its creation returns it: with the nonce it was sent with, if any."""
    nonce = msg.get("nonce")
    return public(msg) | ({"nonce": nonce} if nonce is not None else {})


def _query_int(query: Any, name: str, default: int, problems: list[Problem]) -> int:
    """An integer query parameter (a count or a snowflake); a problem if it is not one."""
    if name not in query:
        return default
    try:
        return int(query[name])
    except ValueError:
        problems.append(
            Problem((name,), "NUMBER_TYPE_COERCE", f"Value {query[name]!r} is not int.")
        )
        return default


def _label(rec: InteractionRecord) -> str:
    name = rec.payload["data"].get("name") or rec.payload["data"].get("custom_id")
    return f"interaction {rec.id} ({name!r}, type {rec.payload['type']})"
