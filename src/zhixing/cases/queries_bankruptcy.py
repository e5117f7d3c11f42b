"""执转破 screening: company debtors of the user's courts with several unpaid cases whose known assets
cannot pay. The assets known come from inquiry's asset register, which cases may not import: inquiry
registers a valuer here at app ready (`register_valuer`), as document kinds register themselves."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from zhixing.courts.queries import court_scope_q
from zhixing.courts.roles import Cap

from .models import CaseStatus, EnforcementCase, Party
from .rules_bankruptcy import Screening, screen

# (credit codes) → {credit code: value of the assets found in the register}
Valuer = Callable[[list[str]], dict[str, Decimal]]
_VALUERS: list[Valuer] = []


READERS = (Cap.SUPERVISE, Cap.COERCION_PROPOSE, Cap.BANKRUPTCY_TRANSFER)


def may_read(user: Any) -> bool:
    """The screening is for the bureau: supervisors, the teams that propose measures, the president."""
    return bool(getattr(user, "court_id", None)) and any(user.can(c) for c in READERS)


def register_valuer(fn: Valuer) -> None:
    if fn not in _VALUERS:
        _VALUERS.append(fn)


@dataclass
class Candidate:
    key: str  # unified social credit code
    name: str
    cases: list[EnforcementCase] = field(default_factory=list)
    unpaid: Decimal = Decimal("0")
    known_assets: Decimal = Decimal("0")
    result: Screening | None = None


def _unpaid(case: EnforcementCase) -> Decimal:
    return max(case.claim_amount - case.paid_amount, Decimal("0"))


def candidates(user: Any, *, include_ineligible: bool = False) -> list[Candidate]:
    """Company debtors of open cases in the user's courts, screened; eligible ones first by shortfall."""
    debtors = (
        Party.objects.filter(
            court_scope_q(user, "case__court"),
            role=Party.Role.DEBTOR,
            kind=Party.Kind.ORGANISATION,
            # a suspended case (e.g. already transferred to bankruptcy review) is not screened again
            case__status__in=(CaseStatus.REGISTERED, CaseStatus.IN_PROGRESS),
        )
        .exclude(credit_code="")
        .select_related("case", "case__court")
        .order_by("credit_code", "case_id")
    )
    groups: dict[str, Candidate] = {}
    seen: dict[str, set[int]] = defaultdict(set)
    for p in debtors:
        c = groups.setdefault(p.credit_code, Candidate(p.credit_code, p.name))
        if p.case_id in seen[p.credit_code]:
            continue
        seen[p.credit_code].add(p.case_id)
        c.cases.append(p.case)
        c.unpaid += _unpaid(p.case)
    keys = list(groups)
    for valuer in _VALUERS:
        for key, value in valuer(keys).items():
            if key in groups:
                groups[key].known_assets += value
    out = []
    for c in groups.values():
        c.result = screen(
            enterprise=True, open_cases=len(c.cases), unpaid=c.unpaid, known_assets=c.known_assets
        )
        if c.result.eligible or include_ineligible:
            out.append(c)
    out.sort(key=lambda c: (not (c.result and c.result.eligible), -(c.unpaid - c.known_assets)))
    return out


def candidate(user: Any, key: str) -> Candidate | None:
    return next((c for c in candidates(user, include_ineligible=True) if c.key == key), None)
