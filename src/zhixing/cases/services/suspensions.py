"""Suspending (中止) a case and resuming its execution."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, ServiceError
from zhixing.courts.roles import Cap

from ..events import case_resumed, case_suspended
from ..models import (
    CaseStatus,
    EnforcementCase,
    Suspension,
)
from .case_guards import _lock, _require, _require_open
from .deadlines import recompute_case_deadlines


def suspend_case(
    actor: Any,
    case: EnforcementCase,
    *,
    ground: str,
    start: date,
    document_ref: str,
    debtor_requested: bool = False,
    instrument_review: bool = False,
    cap: str = Cap.CASE_SUSPEND,
) -> Suspension:
    """Suspend enforcement (中止执行, CPL-2023 Art 267); the term stops running from `start`.

    `cap` is the capability the actor needs: the judge's suspension by default; the president's transfer
    decision for a transfer to bankruptcy review (执转破指导意见 Arts 5, 8).

    # rule: R-2.3.2
    """
    with transaction.atomic():
        case = _lock(case)
        _require(actor, case, cap)
        _require_open(case, "中止执行")
        if case.status == CaseStatus.SUSPENDED:
            raise Conflict("案件已处于中止执行状态")
        if ground not in Suspension.Ground.values:
            raise ServiceError("请选择法定的中止事由", field="ground")
        if not (document_ref or "").strip():
            raise ServiceError("请填写中止执行裁定书文号", field="document_ref")
        last = case.suspensions.order_by("-start").first()
        if start < case.filed_on or start > timezone.localdate() or (last and last.end and start < last.end):
            raise ServiceError("中止日期须在立案日期（及上次恢复日期）与今天之间", field="start")
        before = case.status
        susp = Suspension.objects.create(
            case=case,
            ground=ground,
            start=start,
            document_ref=document_ref.strip(),
            debtor_requested=bool(debtor_requested),
            instrument_review=bool(instrument_review),
        )
        case.status = CaseStatus.SUSPENDED
        case.save(update_fields=["status"])
        recompute_case_deadlines(case)
        audit.record(
            actor,
            "case.suspend",
            object_type="EnforcementCase",
            object_id=case.pk,
            case_id=case.pk,
            before={"status": before},
            after={
                "status": case.status,
                "ground": ground,
                "start": start,
                "document": document_ref,
                "debtor_requested": bool(debtor_requested),
                "instrument_review": bool(instrument_review),
            },
        )
        case_suspended.send(sender=EnforcementCase, case=case, ground=ground, actor=actor)
    return susp


def resume_execution(actor: Any, case: EnforcementCase, *, on: date, document_ref: str) -> Suspension:
    """Resume a suspended case (执行工作规定 Art 60: notified in writing); the term runs again from `on`.

    # rule: R-2.3.3
    """
    with transaction.atomic():
        case = _lock(case)
        _require(actor, case, Cap.CASE_SUSPEND)
        if case.status != CaseStatus.SUSPENDED:
            raise Conflict("案件未处于中止执行状态")
        susp = case.suspensions.filter(end__isnull=True).order_by("-start").first()
        if susp is None:  # pragma: no cover - status and rows always agree
            raise Conflict("找不到未结束的中止记录")
        if on < susp.start or on > timezone.localdate():
            raise ServiceError("恢复日期须在中止日期与今天之间", field="on")
        if not (document_ref or "").strip():
            raise ServiceError("请填写恢复执行通知书文号", field="document_ref")
        susp.end, susp.resume_document_ref = on, document_ref.strip()
        susp.save(update_fields=["end", "resume_document_ref"])
        case.status = CaseStatus.IN_PROGRESS if case.handler_id else CaseStatus.REGISTERED
        case.save(update_fields=["status"])
        recompute_case_deadlines(case)
        audit.record(
            actor,
            "case.resume_execution",
            object_type="EnforcementCase",
            object_id=case.pk,
            case_id=case.pk,
            before={"status": CaseStatus.SUSPENDED},
            after={"status": case.status, "on": on, "document": document_ref},
        )
        case_resumed.send(sender=EnforcementCase, case=case, actor=actor)
    return susp
