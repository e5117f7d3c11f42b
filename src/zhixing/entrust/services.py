"""Every write of entrustment, each in one transaction with its audit record.

Delegating court (委托法院): `send_matter`, `send_case` (renews controls with less than a month left first,
through inquiry's renewal service), `close_delegated` (销案 once the delegate has filed, through cases'
closing service). Delegate court (受托法院): `start`, `report` (progress or result), `record_filing`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases import services as case_services
from zhixing.cases.models import EnforcementCase, Party
from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.courts.models import Court
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Cap
from zhixing.inquiry import queries as inquiry_queries
from zhixing.inquiry.services import renew_controls

from . import rules
from .models import Entrustment

TEXT_MAX = 1000
RENEW_REASON = "整案委托执行前续行（委托执行规定第六条：剩余期限不足一个月的先行续行）"


def _require(actor: Any, court: Court, cap: str) -> None:
    if not can_write_court(actor, court):
        raise NotPermitted("只能办理本院的委托")
    if not actor.can(cap):
        raise NotPermitted(f"您的岗位无权{Cap(cap).label}")


def _text(value: str, field: str, label: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ServiceError(f"请填写{label}", field=field)
    if len(text) > TEXT_MAX:
        raise ServiceError(f"{label}不能超过{TEXT_MAX}字", field=field)
    return text


def _court(code: str) -> Court | None:
    return Court.objects.filter(code=(code or "").strip()).first()


def _snap(e: Entrustment) -> dict[str, Any]:
    return {
        "kind": e.kind,
        "matter": e.matter,
        "case_number": e.case_number,
        "to_court": e.to_court.code,
        "status": e.status,
        "start_by": e.start_by,
        "report_by": e.report_by,
    }


def _debtors(case: EnforcementCase) -> str:
    names = (
        Party.objects.filter(case_id=case.pk, role=Party.Role.DEBTOR)
        .order_by("pk")
        .values_list("name", flat=True)
    )
    return "、".join(names)[:200]


def _create(
    actor: Any, case: EnforcementCase, kind: str, to: Court, matter: str, request: str
) -> Entrustment:
    today = timezone.localdate()
    cal = current_calendar()
    return Entrustment.objects.create(
        kind=kind,
        matter=matter,
        case=case,
        case_number=case.number,
        from_court=case.court,
        to_court=to,
        debtor=_debtors(case),
        request=request,
        sent_on=today,
        start_by=rules.start_by(today, cal),
        report_by=rules.report_by(today, cal),
        sent_by=actor,
    )


def _check(kind: str, case: EnforcementCase, to_code: str, matter: str = "") -> Court:
    to = _court(to_code)
    try:
        rules.check_target(kind, case.court.code, to.code if to else None, matter)
    except rules.EntrustError as exc:
        raise ServiceError(exc.message, field=exc.field) from exc
    assert to is not None
    return to


# rule
def send_matter(
    actor: Any, case: EnforcementCase, *, to_court: str, matter: str, request: str
) -> Entrustment:
    """Entrust one matter (inquiry, freeze, seizure, investigation, service) to another court."""
    _require(actor, case.court, Cap.ENTRUST_SEND)
    if not case.is_open:
        raise Conflict("案件已结案，不能委托")
    to = _check("matter", case, to_court, matter)
    request = _text(request, "request", "委托内容")
    with transaction.atomic():
        e = _create(actor, case, Entrustment.Kind.MATTER, to, matter, request)
        audit.record(
            actor,
            "entrust.send",
            object_type="Entrustment",
            object_id=e.pk,
            case_id=case.pk,
            after=_snap(e),
            court=case.court,
        )
    return e


# rule
# rule
def send_case(actor: Any, case: EnforcementCase, *, to_court: str, request: str) -> Entrustment:
    """Entrust the whole case to a court in another province; controls with less than one month left are
    renewed first (a renewal the institution cannot take refuses the whole entrustment)."""
    _require(actor, case.court, Cap.ENTRUST_SEND)
    if not case.is_open:
        raise Conflict("案件已结案，不能委托")
    to = _check("case", case, to_court)
    request = _text(request, "request", "委托事由")
    if (
        Entrustment.objects.filter(case=case, kind=Entrustment.Kind.CASE)
        .exclude(status=Entrustment.Status.DONE)
        .exists()
    ):
        raise Conflict("本案已整案委托执行")
    today = timezone.localdate()
    until = rules._one_month_after(today)
    with transaction.atomic():
        due = [a for a in inquiry_queries.controls_expiring_before(case, until) if not a.renewing]  # type: ignore[attr-defined]
        renewed: list[int] = []
        if due:
            result = renew_controls(actor, [str(a.pk) for a in due], RENEW_REASON)
            if result.refused:
                reasons = "；".join(f"{r.ref or r.asset}：{r.message}" for r in result.refused)
                raise ServiceError(
                    f"剩余期限不足一个月的控制措施须先续行，以下未能续行：{reasons}", field="to_court"
                )
            renewed = [a.pk for a in due]
        e = _create(actor, case, Entrustment.Kind.CASE, to, "", request)
        e.renewed_assets = renewed
        e.save(update_fields=["renewed_assets"])
        audit.record(
            actor,
            "entrust.send",
            object_type="Entrustment",
            object_id=e.pk,
            case_id=case.pk,
            after={**_snap(e), "renewed": renewed},
            court=case.court,
        )
    return e


def _lock(e: Entrustment) -> Entrustment:
    return (
        Entrustment.objects.select_for_update(of=("self",))
        .select_related("to_court", "from_court", "case__court")
        .get(pk=e.pk)
    )


def _day(on: date | None, e: Entrustment, field: str) -> date:
    day = on or timezone.localdate()
    if day > timezone.localdate() or day < e.sent_on:
        raise ServiceError("日期须在委托日期与今天之间", field=field)
    return day


# rule
def start(actor: Any, entrustment: Entrustment, *, on: date | None = None) -> Entrustment:
    """The delegate starts handling (due within 15 days of receipt)."""
    with transaction.atomic():
        e = _lock(entrustment)
        _require(actor, e.to_court, Cap.ENTRUST_HANDLE)
        if e.status != Entrustment.Status.SENT:
            raise Conflict(f"该委托{e.get_status_display()}，不能再开始办理")
        e.started_on, e.status, e.handled_by = _day(on, e, "on"), Entrustment.Status.STARTED, actor
        e.save(update_fields=["started_on", "status", "handled_by"])
        audit.record(
            actor,
            "entrust.start",
            object_type="Entrustment",
            object_id=e.pk,
            after={"started_on": e.started_on, "start_by": e.start_by},
            court=e.to_court,
        )
    return e


# rule
def report(
    actor: Any, entrustment: Entrustment, *, text: str, done: bool, on: date | None = None
) -> Entrustment:
    """The delegate reports: the result (done) or, not done within 30 days, its progress."""
    with transaction.atomic():
        e = _lock(entrustment)
        _require(actor, e.to_court, Cap.ENTRUST_HANDLE)
        if e.kind != Entrustment.Kind.MATTER:
            raise Conflict("整案委托由受托法院立案后按本院案件办理")
        if e.status == Entrustment.Status.SENT:
            raise Conflict("请先开始办理")
        if e.status == Entrustment.Status.DONE:
            raise Conflict("该委托已办结")
        text = _text(text, "text", "办理结果" if done else "办理情况")
        day = _day(on, e, "on")
        if done:
            e.done_on, e.result, e.status = day, text, Entrustment.Status.DONE
        else:
            e.progress_on, e.progress = day, text
        e.handled_by = actor
        e.save()
        audit.record(
            actor,
            "entrust.done" if done else "entrust.progress",
            object_type="Entrustment",
            object_id=e.pk,
            after={"on": day, "text": text, "report_by": e.report_by},
            court=e.to_court,
        )
    return e


# rule
def record_filing(
    actor: Any, entrustment: Entrustment, *, number: str, filed_on: date | None = None
) -> Entrustment:
    """The delegate filed the entrusted case (委托执行规定 Art 7: within 7 days) under `number`."""
    with transaction.atomic():
        e = _lock(entrustment)
        _require(actor, e.to_court, Cap.ENTRUST_HANDLE)
        if e.kind != Entrustment.Kind.CASE:
            raise Conflict("事项委托不立案（委托执行规定第二条）")
        if e.status not in (Entrustment.Status.SENT, Entrustment.Status.STARTED):
            raise Conflict(f"该委托{e.get_status_display()}")
        number = (number or "").strip()
        if not number or len(number) > 64:
            raise ServiceError("请填写受托法院立案的案号（64字以内）", field="number")
        day = _day(filed_on, e, "filed_on")
        e.delegate_number, e.filed_on, e.status, e.handled_by = number, day, Entrustment.Status.FILED, actor
        e.started_on = e.started_on or day
        e.save()
        audit.record(
            actor,
            "entrust.filed",
            object_type="Entrustment",
            object_id=e.pk,
            after={"number": number, "filed_on": day},
            court=e.to_court,
        )
    return e


# rule
def close_delegated(actor: Any, entrustment: Entrustment) -> Entrustment:
    """The delegating court cancels (销案) its case once the delegate has filed (委托执行规定 Art 2)."""
    with transaction.atomic():
        e = _lock(entrustment)
        _require(actor, e.from_court, Cap.CASE_CLOSE)
        if e.status != Entrustment.Status.FILED:
            raise Conflict("受托法院立案后才能销案")
        case_services.close_case(
            actor,
            e.case,
            mode="withdrawn",
            closed_on=timezone.localdate(),
            details={
                "document_ref": f"{e.case_number}之销案（{e.to_court.name}{e.delegate_number}）",
                "ground": "entrusted",
            },
        )
        e.status, e.done_on = Entrustment.Status.CLOSED, timezone.localdate()
        e.save(update_fields=["status", "done_on"])
        audit.record(
            actor,
            "entrust.closed",
            object_type="Entrustment",
            object_id=e.pk,
            case_id=e.case_id,
            after={"delegate_number": e.delegate_number},
            court=e.from_court,
        )
    return e
