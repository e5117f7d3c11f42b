"""The checks the coercive-measure writes share: the actor's court and post, the case's debtor, the
measure locked and approved, dates not in the future, a measure's audit snapshot."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone

from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Cap

from ..models import CoerciveMeasure, EnforcementCase, Party


def _require(actor: Any, case: EnforcementCase, cap: str) -> None:
    if not can_write_court(actor, case.court):
        raise NotPermitted("只能办理本院案件；上级法院只能查看")
    if not actor.can(cap):
        raise NotPermitted(f"您的岗位无权{Cap(cap).label}")


def _debtor(case: EnforcementCase, party_id: int | None) -> Party:
    p = Party.objects.filter(case_id=case.pk, role=Party.Role.DEBTOR, pk=party_id or 0).first()
    if p is None:
        raise ServiceError("请选择本案的被执行人", field="party")
    return p


def _snap(m: CoerciveMeasure) -> dict[str, Any]:
    return {
        "kind": m.kind,
        "party": m.party_id,
        "person": m.person_name,
        "amount": m.amount,
        "days": m.days,
        "hours": m.hours,
        "status": m.status,
    }


# rule


def _lock(m: CoerciveMeasure) -> CoerciveMeasure:
    return (
        CoerciveMeasure.objects.select_for_update(of=("self",))
        .select_related("case__court", "party")
        .get(pk=m.pk)
    )


def _approved(actor: Any, measure: CoerciveMeasure) -> CoerciveMeasure:
    m = _lock(measure)
    _require(actor, m.case, Cap.COERCION_PROPOSE)
    if m.status != CoerciveMeasure.Status.APPROVED:
        raise Conflict("该措施尚未经院长批准")
    return m


def _aware(moment: datetime) -> datetime:
    """A moment given without a zone is the court's local time (Asia/Shanghai)."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _not_future(d: date, field: str) -> None:
    if d > timezone.localdate():
        raise ServiceError("日期不能晚于今天", field=field)
