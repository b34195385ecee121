"""The life of a flag: which moderator action is allowed from which state, and what it leads to.

Pure rules, no storage: the store applies a decision inside one transaction, with an UPDATE
conditional on the state it read, so the rules here can be tested alone and the database is
the only referee between two moderators clicking at the same moment.

    open --claim--> claimed --resolve--> resolved
      \\                    \\--dismiss--> dismissed   (false positive)
       \\--resolve / dismiss (without claiming first)
    note: on any state, keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

State = Literal["open", "claimed", "resolved", "dismissed"]
Action = Literal["claim", "resolve", "dismiss", "note"]

STATES: tuple[State, ...] = ("open", "claimed", "resolved", "dismissed")
ACTIONS: tuple[Action, ...] = ("claim", "resolve", "dismiss", "note")
CLOSED: frozenset[str] = frozenset({"resolved", "dismissed"})
NOTE_LIMIT = 1000

_PAST = {"claim": "claimed", "resolve": "resolved", "dismiss": "dismissed", "note": "noted"}


@dataclass(frozen=True)
class Decision:
    """An allowed action: the state it leads to and who holds the flag afterwards."""

    action: Action
    from_state: State
    to_state: State
    claimed_by: int | None

    @property
    def closes(self) -> bool:
        return self.to_state in CLOSED and self.from_state not in CLOSED


@dataclass(frozen=True)
class Refusal:
    """Why an action is not possible, worded for the moderator who tried it."""

    reason: str


def past_tense(action: str) -> str:
    return _PAST.get(action, action)


def decide(
    state: State,
    claimed_by: int | None,
    action: Action,
    actor_id: int,
    note: str | None = None,
) -> Decision | Refusal:
    if action == "note":
        text = (note or "").strip()
        if not text:
            return Refusal("A note needs some text.")
        if len(text) > NOTE_LIMIT:
            return Refusal(f"A note can be at most {NOTE_LIMIT} characters ({len(text)} given).")
        return Decision("note", state, state, claimed_by)
    if state in CLOSED:
        return Refusal(f"This flag is already {state}; nothing more to do.")
    if action == "claim":
        if state == "claimed":
            if claimed_by == actor_id:
                return Refusal("You have already claimed this flag.")
            who = f"<@{claimed_by}>" if claimed_by else "another moderator"
            return Refusal(f"Already claimed by {who}.")
        return Decision("claim", state, "claimed", actor_id)
    if action == "resolve":
        return Decision("resolve", state, "resolved", claimed_by)
    if action == "dismiss":
        return Decision("dismiss", state, "dismissed", claimed_by)
    return Refusal(f"Unknown action {action!r}.")
