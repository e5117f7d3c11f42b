"""诉执衔接: the preservation cases (执保) an enforcement filing takes over, and the carrying itself.

`targets` runs inside `file_case`'s transaction before the case is created, so a bad explicit link is a
field error and nothing is written; `carry` runs after the case and its parties are saved, sends
`events.preservation_carried` (inquiry moves the assets with their rank, dates and renewal history), then
links and closes each preservation case with an audit record.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import ServiceError
from zhixing.courts.models import Court

from ..choices import OPEN_STATUSES, CaseStatus
from ..events import preservation_carried
from ..models import EnforcementCase, Party, Preservation
from ..queries_preservation import PRESERVATION_CODE
from ..rules_preservation import normalise_number, number_variants, parties_problem, subject_key

FIELD = "preservation_case"


def _filed_keys(parties: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {
        (p["role"], subject_key(p.get("id_number", ""), p.get("credit_code", ""), p["name"])) for p in parties
    }


def _preserved_keys(case_id: int) -> set[tuple[str, str]]:
    return {
        (role, subject_key(i, c, n))
        for role, i, c, n in Party.objects.filter(
            case_id=case_id, role__in=(Party.Role.APPLICANT, Party.Role.DEBTOR)
        ).values_list("role", "id_number", "credit_code", "name")
    }


# rule
def targets(
    court: Court, basis_number: str, parties: list[dict[str, Any]], explicit: str = ""
) -> list[Preservation]:
    """The preservation records a filing in `court` takes over, row-locked.

    With `explicit` (a 执保 case number chosen at filing) exactly that case, or a ServiceError on
    `preservation_case` (unknown, another court's, already carried, other parties). Without it, every open
    uncarried 执保 case of the court whose lawsuit number is the filing's basis and whose parties match.
    """
    filed = _filed_keys(parties)
    explicit = (explicit or "").strip()
    base = Preservation.objects.select_related("case", "carried_into").select_for_update(of=("self",))
    if explicit:
        found = list(
            base.filter(
                case__court=court,
                case__case_type__code=PRESERVATION_CODE,
                case__number__in=number_variants(explicit),
            )[:1]
        )
        if not found:
            raise ServiceError(f"本院没有保全案件{explicit}", field=FIELD)
        p = found[0]
        if p.carried_into_id:
            into = p.carried_into.number if p.carried_into else ""
            message = f"保全案件{p.case.number}已于{p.carried_on}转入{into}，不能重复转入"
            raise ServiceError(message, field=FIELD)
        if p.case.status not in OPEN_STATUSES:
            raise ServiceError(f"保全案件{p.case.number}已结案，没有可转入的措施", field=FIELD)
        if problem := parties_problem(_preserved_keys(p.case_id), filed, p.case.number):
            raise ServiceError(problem, field=FIELD)
        return [p]
    # Only the lawsuit's own preservation cases are read and locked (stored normalised), never the court's.
    return [
        p
        for p in base.filter(
            case__court=court,
            carried_into__isnull=True,
            case__status__in=OPEN_STATUSES,
            lawsuit_number=normalise_number(basis_number),
        ).order_by("case_id")
        if parties_problem(_preserved_keys(p.case_id), filed, p.case.number) is None
    ]


def carry(actor: Any, preservations: list[Preservation], case: EnforcementCase) -> list[str]:
    """Hand each preservation's controls to `case`, link and close the preservation case; their numbers."""
    today: date = timezone.localdate()
    numbers = []
    for p in preservations:
        origin = EnforcementCase.objects.select_for_update(no_key=True).get(pk=p.case_id)
        preservation_carried.send(sender=EnforcementCase, preservation=origin, case=case, actor=actor)
        Preservation.objects.filter(pk=p.pk).update(carried_into=case, carried_on=today, carried_by=actor)
        details = dict(origin.closing_details or {})
        details["carried_into"] = case.number
        EnforcementCase.objects.filter(pk=origin.pk).update(
            status=CaseStatus.CLOSED, closed_on=today, closing_details=details
        )
        audit.record(
            actor,
            "case.preservation_carried",
            object_type="EnforcementCase",
            object_id=origin.pk,
            case_id=case.pk,
            before={"status": origin.status},
            after={"preservation": origin.number, "carried_into": case.number, "status": CaseStatus.CLOSED},
        )
        numbers.append(origin.number)
    return numbers


def record_preservation(case: EnforcementCase, lawsuit_number: str) -> Preservation:
    """The preservation record of a 执保 case being filed (inside `file_case`'s transaction)."""
    return Preservation.objects.create(case=case, lawsuit_number=normalise_number(lawsuit_number))
