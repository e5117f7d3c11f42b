"""Reads of preservation cases (执保) for the filing screen and API: which ones an enforcement filing
would take over (诉执衔接)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zhixing.courts.models import Court

from .choices import OPEN_STATUSES
from .models import EnforcementCase, Party, Preservation
from .rules_preservation import normalise_number

PRESERVATION_CODE = "执保"


@dataclass(frozen=True)
class PreservationRow:
    case_id: int
    number: str
    lawsuit_number: str
    basis_number: str
    filed_on: date
    applicants: tuple[str, ...]
    debtors: tuple[str, ...]
    carried_into: str
    carried_into_id: int | None = None


def open_preservations(court: Court, lawsuit_number: str = "", limit: int = 50) -> list[PreservationRow]:
    """The court's preservation cases not yet carried into enforcement, newest first; only those of
    `lawsuit_number` when given. Two statements whatever the count."""
    qs = (
        Preservation.objects.filter(
            case__court=court, carried_into__isnull=True, case__status__in=OPEN_STATUSES
        )
        .select_related("case")
        .order_by("-case__filed_on", "-case_id")
    )
    if lawsuit_number:
        qs = qs.filter(lawsuit_number=normalise_number(lawsuit_number))
    rows = list(qs[:limit])
    return _rows(rows)


def preservation_of(case: EnforcementCase) -> PreservationRow | None:
    """The preservation record of a 执保 case, or None."""
    p = Preservation.objects.filter(case_id=case.pk).select_related("case", "carried_into").first()
    return _rows([p])[0] if p else None


def carried_into(case: EnforcementCase) -> list[PreservationRow]:
    """The preservation cases whose controls this enforcement case took over."""
    return _rows(
        list(Preservation.objects.filter(carried_into_id=case.pk).select_related("case", "carried_into"))
    )


def _rows(items: list[Preservation]) -> list[PreservationRow]:
    names: dict[int, dict[str, list[str]]] = {}
    for case_id, role, name in Party.objects.filter(case_id__in=[p.case_id for p in items]).values_list(
        "case_id", "role", "name"
    ):
        names.setdefault(case_id, {}).setdefault(role, []).append(name)
    return [
        PreservationRow(
            case_id=p.case_id,
            number=p.case.number,
            lawsuit_number=p.lawsuit_number,
            basis_number=p.case.basis_number,
            filed_on=p.case.filed_on,
            applicants=tuple(names.get(p.case_id, {}).get(Party.Role.APPLICANT, [])),
            debtors=tuple(names.get(p.case_id, {}).get(Party.Role.DEBTOR, [])),
            carried_into=p.carried_into.number if p.carried_into_id and p.carried_into else "",
            carried_into_id=p.carried_into_id,
        )
        for p in items
    ]
