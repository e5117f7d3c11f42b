"""The registry of document kinds: which domain builds which document from which data.

Each domain registers its kinds in its AppConfig.ready(), so this package imports no domain. A kind's
`build(case, source, inputs)` returns the template context, every value filled (the templates use strict
placeholders: a missing field is an error, never an empty gap); it raises `NotApplicable` with a message a
clerk understands when the case has no data for the document yet. `sources(case)` lists the records a
document can be made from (e.g. the case's inquiry requests); a case-level kind has none.
Contributors add fields owned by another domain (the case account, from funds, on the enforcement notice).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from zhixing.core.errors import ServiceError

Context = dict[str, Any]
Builder = Callable[[Any, str, dict[str, str]], Context]
Sources = Callable[[Any], list[tuple[str, str]]]
Contributor = Callable[[Any, Context], Context]


class NotApplicable(ServiceError):
    """The case has no data for this document (yet); the message says what is missing."""


@dataclass(frozen=True)
class Input:
    """A fact the judge types when making the document (a fine's amount, the obstructing act)."""

    name: str
    label: str
    help: str = ""
    required: bool = True  # an optional fact may be left empty (the builder says when it is needed)


@dataclass(frozen=True)
class Kind:
    code: str
    title: str
    build: Builder
    cap: str  # capability needed to make it (court scoping applies on top)
    sources: Sources | None = None
    source_label: str = ""
    inputs: tuple[Input, ...] = ()
    identifies: bool = False  # carries full identity numbers: reading it needs identity.view


_KINDS: dict[str, Kind] = {}
_CONTRIBUTORS: dict[str, list[Contributor]] = {}

# The order the case page offers them in: the life of a case (notice → controls → measures → sale → close).
ORDER = (
    "enforcement_notice",
    "asset_report_order",
    "assistance_notice",
    "freeze_ruling",
    "seizure_ruling",
    "consumption_order",
    "listing_decision",
    "exit_decision",  # 限制出境决定书 (credit)
    "repair_certificate",  # 信用修复证明 (credit)
    "ability_report",  # 被执行人履行能力分析报告 (analytics)
    "fine_decision",
    "detention_decision",
    "summons_warrant",
    "search_warrant",
    "sale_confirmation",
    "distribution_plan",
    "dormant_ruling",
    "reinquiry_notice",  # the 终本 re-inquiry's result told to the applicants (inquiry, 终本规定 Art 9(2))
    "closing_notice",
    "objection_ruling",  # issue 19 (zhixing.objections): a ruling on an objection, any time in the case
)


def register(kind: Kind) -> None:
    """Register (or, on reload, replace) a kind."""
    _KINDS[kind.code] = kind


def contribute(code: str, fn: Contributor) -> None:
    """Let another domain add fields to a kind's context (idempotent per function)."""
    fns = _CONTRIBUTORS.setdefault(code, [])
    if fn not in fns:
        fns.append(fn)


def get(code: str) -> Kind | None:
    return _KINDS.get(code)


def all_kinds() -> list[Kind]:
    """Every registered kind, in the order a case goes through them."""
    rank = {c: i for i, c in enumerate(ORDER)}
    return sorted(_KINDS.values(), key=lambda k: (rank.get(k.code, len(rank)), k.code))


def context_for(kind: Kind, case: Any, source: str, inputs: dict[str, str]) -> Context:
    """The kind's context with every contributor's fields."""
    ctx = kind.build(case, source, inputs)
    for fn in _CONTRIBUTORS.get(kind.code, []):
        ctx.update(fn(case, ctx))
    return ctx
