"""Extending the enforcement term (审限规定 Art 5): the request, the president's decision, the report
of a further extension to the higher court."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.notify import notify
from zhixing.courts.models import CourtLevel
from zhixing.courts.queries import directors_of
from zhixing.courts.roles import Cap

from .. import conf
from ..models import (
    EnforcementCase,
    Extension,
)
from ..rules import extension_step
from .case_guards import _lock, _require, _require_open
from .deadlines import recompute_case_deadlines

EXTENSION_NOTICE_DAYS = 5  # 2006 期限规定 Art 1: ask for an extension at least 5 days before expiry


def request_extension(actor: Any, case: EnforcementCase, *, reason: str) -> Extension:
    """Ask the president to extend the term by 3 months, at least 5 days before it expires."""
    today = timezone.localdate()
    with transaction.atomic():
        case = _lock(case)
        _require(actor, case, Cap.EXTENSION_REQUEST)
        _require_open(case, "申请延长执行期限")
        if not (reason or "").strip():
            raise ServiceError("请填写延长理由", field="reason")
        if case.extensions.filter(status=Extension.Status.REQUESTED).exists():
            raise Conflict("已有待审批的延长申请")
        if case.term_due is None:
            raise Conflict("案件中止执行期间执行期限停止计算，无需延长")
        approved = case.extensions.filter(status=Extension.Status.APPROVED).count()
        step = extension_step(approved, conf.extension_limit())
        if not step.allowed:
            raise Conflict(step.message, field="reason")
        if (case.term_due - today).days < EXTENSION_NOTICE_DAYS:
            raise Conflict(
                f"延长申请须在执行期限届满{EXTENSION_NOTICE_DAYS}日前提出（届满日{case.term_due}）"
            )
        ext = Extension.objects.create(
            case=case,
            reason=reason.strip()[:200],
            requested_by=actor,
            requested_on=today,
            sequence=approved + 1,
        )
        audit.record(
            actor,
            "extension.request",
            object_type="Extension",
            object_id=ext.pk,
            case_id=case.pk,
            after={"reason": ext.reason, "term_due": case.term_due, "sequence": ext.sequence},
        )
    return ext


def _decide_extension(actor: Any, ext: Extension, approve: bool) -> Extension:
    with transaction.atomic():
        case = _lock(ext.case)
        ext = Extension.objects.select_for_update().get(pk=ext.pk)
        _require(actor, case, Cap.EXTENSION_APPROVE)
        if ext.status != Extension.Status.REQUESTED:
            raise Conflict("该延长申请已审批")
        if ext.requested_by_id == actor.pk:
            raise NotPermitted("不能审批本人提出的延长申请")
        before = case.term_due
        approved = case.extensions.filter(status=Extension.Status.APPROVED).count()
        step = extension_step(approved, conf.extension_limit())
        if approve and not step.allowed:
            raise Conflict(step.message)
        ext.status = Extension.Status.APPROVED if approve else Extension.Status.REJECTED
        ext.decided_by, ext.decided_on = actor, timezone.localdate()
        ext.sequence = approved + 1
        ext.save()
        recompute_case_deadlines(case)
        if approve and step.report_up:
            _report_extension_up(actor, case, ext)
        audit.record(
            actor,
            "extension.approve" if approve else "extension.reject",
            object_type="Extension",
            object_id=ext.pk,
            case_id=case.pk,
            before={"term_due": before},
            after={"term_due": case.term_due, "status": ext.status},
        )
    return ext


# rule
def _report_extension_up(actor: Any, case: EnforcementCase, ext: Extension) -> None:
    """A further extension is reported level by level to the higher people's court for the record
    (审限规定 Art 5): the record names the high court; every higher court's director on the way is told."""
    chain = []
    court = case.court.parent
    while court is not None:
        chain.append(court)
        if court.level == CourtLevel.HIGH:
            break
        court = court.parent
    if not chain:
        return  # a high court's own case: nothing above it to report to in this hierarchy
    top = chain[-1]
    ext.reported_to, ext.reported_on = top, timezone.localdate()
    ext.save(update_fields=["reported_to", "reported_on"])
    audit.record(
        actor,
        "extension.report",
        object_type="Extension",
        object_id=ext.pk,
        case_id=case.pk,
        after={"reported_to": top.name, "sequence": ext.sequence, "term_due": case.term_due},
    )
    text = (
        f"{case.court.name}案件{case.number}第{ext.sequence}次延长执行期限{ext.months}个月"
        f"（至{case.term_due}），依审限规定第5条层报备案"
    )
    for higher in chain:
        for director in directors_of(higher.pk):
            notify(
                director,
                "case.extension_report",
                text,
                reverse("case_detail", args=[case.pk]),
                source=f"cases.Extension:{ext.pk}",
                once=True,
            )


def approve_extension(actor: Any, ext: Extension) -> Extension:
    """Approve (+3 months, 审限规定 Art 5); only the court president may."""
    return _decide_extension(actor, ext, True)


def reject_extension(actor: Any, ext: Extension) -> Extension:
    return _decide_extension(actor, ext, False)
