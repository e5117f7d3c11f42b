"""What waits for the signed-in person: counts with links to exactly those items.

Each domain registers a provider from its AppConfig.ready() (the app's `worklist.py`, reading through
that domain's `queries`); core imports no domain. A provider returns the items for one user, an empty
list when that user's role has nothing to do in the domain. Each provider costs a bounded number of
queries (counts, never one query per row).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class WorkItem:
    """One line of the worklist: how many of what, and the page listing exactly those."""

    section: str  # the menu section it belongs to (cases, inquiry, funds …)
    key: str
    label: str
    count: int
    url: str
    urgent: bool = False


@dataclass(frozen=True)
class WorkGroup:
    section: str
    label: str
    items: tuple[WorkItem, ...]

    @property
    def total(self) -> int:
        return sum(i.count for i in self.items)


Provider = Callable[[Any], list[WorkItem]]

_providers: dict[str, tuple[int, str, Provider]] = {}


def register(section: str, label: str, provider: Provider, *, order: int = 100) -> None:
    """Register (or replace) the provider of one section; called from AppConfig.ready()."""
    _providers[section] = (order, label, provider)


def groups_for(user: Any) -> list[WorkGroup]:
    """The user's work, one group per section with something that concerns them (zero counts included:
    "nothing waits" is information too)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    out = []
    for section, (_, label, provider) in sorted(_providers.items(), key=lambda kv: (kv[1][0], kv[0])):
        items = provider(user)
        if items:
            out.append(WorkGroup(section, label, tuple(items)))
    return out


def total_for(user: Any) -> int:
    return sum(g.total for g in groups_for(user))
