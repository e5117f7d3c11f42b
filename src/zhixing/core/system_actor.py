"""The platform acting on its own in background work (a periodic retry, a sweep) where a service expects
an actor.

Most background writes pass `actor=None` and the audit names them "系统". A service that checks its
actor's court and post (e.g. `cases.services.excluded`) refuses None, so a task that must go through such
a service acts as a `SystemActor`: bound to the one court the work concerns, holding only the
capabilities the task's own rule grants, never a user (`pk` is None: no user is recorded), and named in
the audit record by what it is (`audit_name`, e.g. "系统（措施联动定时重试）") instead of the bare "系统".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

SYSTEM = "系统"


@dataclass(frozen=True)
class SystemActor:
    """A background task acting in `court` with `caps` (capability values); `purpose` names the task."""

    purpose: str
    court: Any
    caps: frozenset[str]

    pk = None
    is_active = True
    is_authenticated = False

    @property
    def audit_name(self) -> str:
        return f"{SYSTEM}（{self.purpose}）"[:64]

    def can(self, cap: str) -> bool:
        return str(cap) in self.caps

    def get_full_name(self) -> str:
        return self.audit_name

    def get_username(self) -> str:
        return self.audit_name

    def __str__(self) -> str:
        return self.audit_name


def system_actor(purpose: str, court: Any, caps: Iterable[str]) -> SystemActor:
    return SystemActor(purpose, court, frozenset(str(c) for c in caps))


def actor_name(actor: Any) -> str:
    """How an audit record or a ledger line names `actor`: a user's name, a system actor's purpose, or
    "系统" for background work with no actor."""
    if actor is not None and getattr(actor, "pk", None):
        return str(actor.get_full_name() or actor.get_username())
    return str(getattr(actor, "audit_name", "") or SYSTEM)
