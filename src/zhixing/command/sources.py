"""The command center's source registry: domains built apart from it register their readers here.

The command center owns no copy of other domains' data. Domains it may import (cases, inquiry, funds,
credit) are read through their `queries` modules directly; domains that are built in parallel or are
optional (the 终本 review of cases, petitions of the portal, auctions) register a callable from their
app's `ready()`::

    from zhixing.command import sources
    sources.register("petition_counts", queries_petitions.petition_counts)

Until a source is registered, every figure that needs it shows "未接入" (never 0, never a guess).

Contracts (names → signature → answer):

* ``dormant_compliance(court_ids, start, end) -> {"closed": int, "compliant": int}`` — cases of those
  courts closed as 终本 in [start, end], and how many of them met the 终本 standards (R-5).
* ``petition_counts(court_ids, start, end) -> {"due": int, "answered_on_time": int}`` — enforcement
  petitions due to be closed in [start, end], and how many were closed in time.
* ``auctions_live(court_ids) -> dict[int, int]`` — lots being bid on now, per court id.
* ``dormant_without_preconditions(court_ids, start, end) -> list[dict]`` — 终本 closings that lacked a
  precondition (each dict: case_id, number, court_id, closed_on, missing: str), for supervision.
* ``objection_counts(court_ids, start, end) -> {"filed", "act_filed", "decided", "upheld",
  "decided_in_time", "days_to_decide": int}`` — execution objections received in [start, end] (issue 19).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

KNOWN: dict[str, str] = {
    "dormant_compliance": "终本合格率（案件管理·终本核查）",
    "petition_counts": "执行信访（门户·信访）",
    "auctions_live": "网络司法拍卖（拍卖）",
    "dormant_without_preconditions": "终本条件核查（案件管理）",
    "objection_counts": "执行异议（立案、成立、审查用时）",
}

_sources: dict[str, Callable[..., Any]] = {}


def register(name: str, reader: Callable[..., Any]) -> None:
    """Register (or replace) the reader of `name`; an unknown name is a programming error."""
    if name not in KNOWN:
        raise ValueError(f"unknown command-center source {name!r}; known: {sorted(KNOWN)}")
    _sources[name] = reader


def unregister(name: str) -> None:
    _sources.pop(name, None)


def get(name: str) -> Callable[..., Any] | None:
    """The registered reader of `name`, or None (the figure then shows 未接入)."""
    return _sources.get(name)


def status() -> list[tuple[str, str, bool]]:
    """(name, label, registered) for every known source, for the page that lists the wiring."""
    return [(name, label, name in _sources) for name, label in KNOWN.items()]
