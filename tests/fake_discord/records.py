"""What the fake remembers about one interaction, with awaitable accessors for tests.

A test injects an interaction and then waits for the bot's answer. The REST handlers update
the record (callback, followups, edits of the original), so the helpers always show what a
member would see in the client right now.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")
Message = dict[str, Any]
EPHEMERAL = 1 << 6
LOADING = 1 << 7


class Waiter:
    """A change signal: every mutation of the fake calls ``changed()`` and waiters recheck."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def changed(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def until(self, check: Callable[[], T | None], seconds: float, what: str) -> T:
        """The first non-None ``check()``; an AssertionError naming ``what`` on timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while True:
            event = self._event
            if (result := check()) is not None:
                return result
            if (remaining := deadline - loop.time()) <= 0:
                raise AssertionError(f"fake Discord: no {what} within {seconds}s")
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                pass


@dataclass(eq=False)
class InteractionRecord:
    """One INTERACTION_CREATE the test sent, and everything the bot did with it.

    ``callback`` is the body of the bot's initial response; ``original`` the live message it
    created (or, for component interactions, the message the component is on); ``followups``
    the messages sent through the interaction webhook.
    """

    payload: dict[str, Any]
    sent_at: float
    waiter: Waiter
    callback: dict[str, Any] | None = None
    original: Message | None = None
    followups: list[Message] = field(default_factory=list)

    @property
    def id(self) -> int:
        return int(self.payload["id"])

    @property
    def token(self) -> str:
        return str(self.payload["token"])

    @property
    def channel_id(self) -> int:
        return int(self.payload["channel_id"])

    def response(self, timeout: float = 5.0) -> Coroutine[Any, Any, dict[str, Any]]:
        """Await the callback body the bot posted: ``{"type": ..., "data": ...}``."""
        return self.waiter.until(lambda: self.callback, timeout, f"response to {self.id}")

    def wait_followup(self, n: int = 1, timeout: float = 5.0) -> Coroutine[Any, Any, Message]:
        """Await the n-th followup message (1-based), edits applied."""

        def check() -> Message | None:
            return self.followups[n - 1] if len(self.followups) >= n else None

        return self.waiter.until(check, timeout, f"followup #{n} to {self.id}")

    def wait_original(
        self, predicate: Callable[[Message], bool] | None = None, timeout: float = 5.0
    ) -> Coroutine[Any, Any, Message]:
        """Await the original response once it stopped "thinking" (and matches ``predicate``)."""

        def check() -> Message | None:
            msg = self.original
            if msg is None or msg["flags"] & LOADING or (predicate and not predicate(msg)):
                return None
            return msg

        return self.waiter.until(check, timeout, f"original response of {self.id}")

    def _shown(self) -> dict[str, Any]:
        """What the member sees: the original message if any, else the callback data."""
        return self.original or (self.callback or {}).get("data") or {}

    @property
    def content(self) -> str | None:
        return self._shown().get("content")

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self._shown().get("embeds") or []

    @property
    def components(self) -> list[dict[str, Any]]:
        return self._shown().get("components") or []

    @property
    def ephemeral(self) -> bool:
        return bool((self._shown().get("flags") or 0) & EPHEMERAL)

    @property
    def choices(self) -> list[dict[str, Any]]:
        """Autocomplete choices (callback type 8)."""
        return ((self.callback or {}).get("data") or {}).get("choices") or []

    @property
    def modal(self) -> dict[str, Any] | None:
        """The modal the bot opened (callback type 9): custom_id, title, components."""
        is_modal = self.callback is not None and self.callback.get("type") == 9
        return self.callback.get("data") if is_modal else None  # type: ignore[union-attr]


def _children(comp: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in [*(comp.get("components") or []), comp.get("component")] if c]


def modal_inputs(modal: dict[str, Any]) -> list[str]:
    """custom_ids of a modal's inputs in order, so a test can fill them without repeating them."""
    ids: list[str] = []

    def walk(comp: dict[str, Any]) -> None:
        if comp.get("type") not in (1, 18) and "custom_id" in comp:
            ids.append(comp["custom_id"])
        for child in _children(comp):
            walk(child)

    for comp in modal.get("components") or []:
        walk(comp)
    return ids


def modal_submission(modal: dict[str, Any], values: dict[str, Any]) -> list[dict[str, Any]]:
    """The MODAL_SUBMIT ``components`` the Discord client builds from a modal and typed values.

    It mirrors what the bot sent (action row -> ``components``, label -> ``component``),
    which is the structure discord.py 2.7's ``Modal._refresh`` walks.
    """
    if unknown := set(values) - set(modal_inputs(modal)):
        known = modal_inputs(modal)
        raise ValueError(f"modal {modal.get('custom_id')!r} has no {sorted(unknown)}: {known}")

    def convert(comp: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {k: comp[k] for k in ("type", "id") if k in comp}
        if comp["type"] == 1:
            out["components"] = [convert(c) for c in comp.get("components") or []]
        elif comp["type"] == 18:
            out["component"] = convert(comp["component"])
        elif comp["type"] == 4:
            out.update(custom_id=comp["custom_id"], value=values.get(comp["custom_id"], ""))
        elif "custom_id" in comp:
            value = values.get(comp["custom_id"], [])
            out.update(
                custom_id=comp["custom_id"], values=[value] if isinstance(value, str) else value
            )
        return out

    return [convert(c) for c in modal.get("components") or []]
