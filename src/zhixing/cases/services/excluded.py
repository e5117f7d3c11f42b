"""Periods the enforcement term does not count, other than suspension (审限规定 Art 9 (6)–(12)).

暂缓执行, a stay ordered by the higher court, appraisal and valuation, audit by a professional body,
auction or sale of seized property, public notice and a jurisdiction dispute: each is recorded on the
case with its kind, start, end and document. While one runs, the term and the pausable nodes have no
due date (no yellow or red warning); when it ends, they fall due later by the excluded days — the same
arithmetic as a suspension (`rules.compute_deadline`), but the case keeps running. Delay interest is
affected only by a deferral for review of the instrument not at the debtor's request (迟延履行利息解释
Art 3(3); `interest_exclusions`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Cap

from ..models import EnforcementCase, ExcludedPeriod
from .deadlines import recompute_case_deadlines

__all__ = ["end_excluded_period", "start_excluded_period"]


def _lock(case: EnforcementCase) -> EnforcementCase:
    return (
        EnforcementCase.objects.select_for_update(of=("self",), no_key=True)
        .select_related("court")
        .get(pk=case.pk)
    )


def _require(actor: Any, case: EnforcementCase) -> None:
    if not can_write_court(actor, case.court):
        raise NotPermitted("只能办理本院案件；上级法院只能查看")
    if not actor.can(Cap.CASE_SUSPEND):
        raise NotPermitted("您的岗位无权登记不计入执行期限的期间")


def start_excluded_period(
    actor: Any,
    case: EnforcementCase,
    *,
    kind: str,
    start: date,
    document_ref: str,
    note: str = "",
    debtor_requested: bool = False,
) -> ExcludedPeriod:
    """Record the start of an excluded period; the term stops running from `start` until it ends."""
    with transaction.atomic():
        case = _lock(case)
        _require(actor, case)
        if not case.is_open:
            raise Conflict(f"案件已结案（{case.get_status_display()}），不能登记不计入执行期限的期间")
        if kind not in ExcludedPeriod.Kind.values:
            raise ServiceError("请选择审限规定第9条所列的期间类型", field="kind")
        if not (document_ref or "").strip():
            raise ServiceError("请填写该期间所依据的文书文号", field="document_ref")
        if len(document_ref.strip()) > 128:
            raise ServiceError("文书文号不能超过128个字符", field="document_ref")
        if start < case.filed_on or start > timezone.localdate():
            raise ServiceError("开始日期须在立案日期与今天之间", field="start")
        if case.excluded_periods.filter(kind=kind, end__isnull=True).exists():
            raise Conflict(f"本案已有未结束的“{ExcludedPeriod.Kind(kind).label}”期间，请先登记其结束")
        period = ExcludedPeriod.objects.create(
            case=case,
            kind=kind,
            start=start,
            document_ref=document_ref.strip(),
            note=(note or "").strip()[:200],
            debtor_requested=bool(debtor_requested),
        )
        before = case.term_due
        recompute_case_deadlines(case)
        audit.record(
            actor,
            "case.exclude_start",
            object_type="ExcludedPeriod",
            object_id=period.pk,
            case_id=case.pk,
            before={"term_due": before},
            after={
                "kind": kind,
                "start": start,
                "document": period.document_ref,
                "debtor_requested": period.debtor_requested,
                "term_due": case.term_due,
            },
        )
    return period


def end_excluded_period(
    actor: Any, period: ExcludedPeriod, *, end: date, document_ref: str = ""
) -> ExcludedPeriod:
    """Record the end of an excluded period; the term runs again from `end`, later by the days excluded."""
    with transaction.atomic():
        case = _lock(period.case)
        period = ExcludedPeriod.objects.select_for_update().get(pk=period.pk)
        _require(actor, case)
        if period.end is not None:
            raise Conflict(f"该期间已于{period.end.isoformat()}结束")
        if end < period.start or end > timezone.localdate():
            raise ServiceError("结束日期须在开始日期与今天之间", field="end")
        if len((document_ref or "").strip()) > 128:
            raise ServiceError("结束文书文号不能超过128个字符", field="document_ref")
        period.end, period.end_document_ref = end, (document_ref or "").strip()
        period.save(update_fields=["end", "end_document_ref"])
        before = case.term_due
        recompute_case_deadlines(case)
        audit.record(
            actor,
            "case.exclude_end",
            object_type="ExcludedPeriod",
            object_id=period.pk,
            case_id=case.pk,
            before={"term_due": before},
            after={
                "kind": period.kind,
                "start": period.start,
                "end": end,
                "days": (end - period.start).days,
                "document": period.end_document_ref,
                "term_due": case.term_due,
            },
        )
    return period
