"""Holds (暂缓发放): a lawful reason to keep a case's money past its payout deadline, placed and lifted.

A hold names its reason (`conf.hold_reasons()`, each with its article), its start and, for a reason
that concerns part of the money, the amount. It pauses the clocks it covers — all of the case's for a
whole-case hold (and those of money arriving while it lasts), else the oldest open ones up to the
amount — and the held money cannot be paid out (`services.payouts.propose`, `sending`). Lifting it
resumes the clocks (`rules_clocks.clock_due`) and records the follow-up deadline.

A suspension (中止执行) places its hold and the resumption lifts it, through the cases domain's
`case_suspended` / `case_resumed` signals (`on_suspended`, `on_resumed`), in the same transaction.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases.models import EnforcementCase, Suspension
from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Role

from .. import conf, formats
from ..models import AccountKind, LedgerAccount, PayoutClock, PayoutHold
from ..rules_clocks import Slot, cover, followup_due
from . import clocks
from .receipts import _amount

HOLD_ROLES = {Role.JUDGE, Role.DIRECTOR}
SUSPENDED = "suspended"
ZERO = Decimal("0.00")


def can_hold(actor: Any, case: EnforcementCase) -> bool:
    return bool(can_write_court(actor, case.court) and getattr(actor, "role", "") in HOLD_ROLES)


def _require(actor: Any, case: EnforcementCase) -> None:
    if not can_hold(actor, case):
        raise NotPermitted("只有本院执行法官或执行局局长可以设置或解除暂缓发放")


def _lock(case_id: int) -> Decimal:
    """Row-lock the case account (if it exists) as every posting does; returns its balance."""
    acc = LedgerAccount.objects.select_for_update().filter(kind=AccountKind.CASE, case_id=case_id).first()
    return acc.natural_balance if acc else ZERO


def _date(value: Any, field: str, label: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError as exc:
        raise ServiceError(f"{label}格式应为YYYY-MM-DD", field=field) from exc


def place_hold(
    actor: Any, case: EnforcementCase, *, reason: str, start: Any, amount: Any = None, note: str = ""
) -> PayoutHold:
    """A judge or the director holds the case's money (or part of it) for a lawful reason."""
    _require(actor, case)
    reasons = conf.hold_reasons()
    r = reasons.get(str(reason or ""))
    if r is None:
        raise ServiceError("请选择暂缓发放的法定事由", field="reason")
    if r.automatic:
        raise ServiceError(f"“{r.label}”的暂缓由案件{r.label}自动设置，随恢复执行自动解除", field="reason")
    return _place(actor, case, reason=r.code, start=start, amount=amount, note=note)


def _place(
    actor: Any,
    case: EnforcementCase,
    *,
    reason: str,
    start: Any,
    amount: Any = None,
    note: str = "",
    suspension_id: int | None = None,
) -> PayoutHold:
    r = conf.hold_reasons()[reason]
    day = _date(start, "start", "开始日期")
    if day > timezone.localdate():
        raise ServiceError("开始日期不能晚于今天", field="start")
    if day < case.filed_on:
        raise ServiceError("开始日期不能早于立案日期", field="start")
    note = formats.clean_text(note, "note", "说明", 200)
    amt: Decimal | None = None
    if str(amount or "").strip():
        if r.whole_case:
            raise ServiceError(f"“{r.label}”暂缓本案全部案款，不填写金额", field="amount")
        amt = _amount(amount)
    with transaction.atomic():
        balance = _lock(case.pk)
        if amt is not None and amt > balance:
            raise Conflict(f"暂缓金额{amt:,.2f}元超过案款余额{balance:,.2f}元", field="amount")
        hold = PayoutHold.objects.create(
            court_id=case.court_id,
            case=case,
            reason=r.code,
            article=r.article[:300],
            amount=amt,
            start=day,
            note=note,
            suspension_id=suspension_id,
            placed_by=actor if getattr(actor, "pk", None) else None,
        )
        open_clocks = PayoutClock.objects.filter(case_id=case.pk).exclude(status=PayoutClock.Status.MET)
        if amt is not None:  # the oldest money not yet held by another hold
            open_clocks = open_clocks.filter(status=PayoutClock.Status.RUNNING)
        slots = [
            Slot(pk, amount_open, (arrived, pk))
            for pk, amount_open, arrived in open_clocks.values_list("pk", "open_amount", "arrived_on")
        ]
        plan = cover(slots, amt)
        covered = list(plan.whole)
        if plan.split is not None:
            covered.append(_split(*plan.split))
        hold.clocks.add(*covered)
        clocks.refresh([case.pk])
        audit.record(
            actor,
            "funds.hold_place",
            object_type="funds.PayoutHold",
            object_id=hold.pk,
            case_id=case.pk,
            after={
                "reason": r.code,
                "article": r.article,
                "amount": amt,
                "start": day,
                "clocks": covered,
                "note": note,
                "suspension": suspension_id,
            },
        )
    return hold


def _split(clock_id: int, held: Decimal) -> int:
    """Split `held` off an open clock as a new part of the same receipt (same arrival and holds)."""
    c = PayoutClock.objects.select_for_update().get(pk=clock_id)
    last = (
        PayoutClock.objects.filter(receipt_id=c.receipt_id).order_by("-part").values_list("part", flat=True)
    )
    part = PayoutClock.objects.create(
        court_id=c.court_id,
        case_id=c.case_id,
        receipt_id=c.receipt_id,
        part=(last.first() or 0) + 1,
        amount=held,
        open_amount=held,
        arrived_on=c.arrived_on,
        due_on=c.due_on,
        status=c.status,
    )
    part.holds.add(*c.holds.all())
    c.amount -= held
    c.open_amount -= held
    c.save(update_fields=["amount", "open_amount"])
    return part.pk


def lift_hold(actor: Any, hold_id: int, *, end: Any, note: str = "") -> PayoutHold:
    """The cause has ended: the clocks run again; the follow-up deadline is recorded."""
    hold = PayoutHold.objects.select_related("case__court").filter(pk=hold_id).first()
    if hold is None:
        raise ServiceError("暂缓记录不存在", field="hold")
    _require(actor, hold.case)
    if hold.reason == SUSPENDED:
        raise ServiceError("中止执行的暂缓随案件恢复执行自动解除", field="hold")
    return _lift(actor, hold, end=end, note=note)


def _lift(actor: Any, hold: PayoutHold, *, end: Any, note: str = "") -> PayoutHold:
    day = _date(end, "end", "解除日期")
    note = formats.clean_text(note, "note", "解除说明", 200)
    with transaction.atomic():
        _lock(hold.case_id)
        hold = PayoutHold.objects.select_for_update().get(pk=hold.pk)
        if hold.end is not None:
            raise Conflict(f"该暂缓已于{hold.end:%Y-%m-%d}解除", field="hold")
        if day < hold.start or day > timezone.localdate():
            raise ServiceError("解除日期须在开始日期与今天之间", field="end")
        hold.end, hold.lift_note = day, note
        hold.followup_due = followup_due(day, conf.follow_up(), current_calendar())
        hold.lifted_by = actor if getattr(actor, "pk", None) else None
        hold.save(update_fields=["end", "lift_note", "followup_due", "lifted_by"])
        clocks.refresh([hold.case_id])
        audit.record(
            actor,
            "funds.hold_lift",
            object_type="funds.PayoutHold",
            object_id=hold.pk,
            case_id=hold.case_id,
            before={"end": None},
            after={"end": day, "followup_due": hold.followup_due, "note": note},
        )
    return hold


# -- suspension and resumption (cases.events) ------------------------------------------------------


def on_suspended(
    sender: Any, case: EnforcementCase, ground: str = "", actor: Any = None, **kwargs: Any
) -> None:
    """`case_suspended`: hold all the case's money from the suspension's start (CPL-2023 Art 267)."""
    susp = Suspension.objects.filter(case_id=case.pk, end__isnull=True).order_by("-start", "-pk").first()
    if susp is None or PayoutHold.objects.filter(suspension_id=susp.pk).exists():
        return
    _place(
        actor,
        case,
        reason=SUSPENDED,
        start=susp.start,
        note=f"中止执行裁定 {susp.document_ref}"[:200],
        suspension_id=susp.pk,
    )


def on_resumed(sender: Any, case: EnforcementCase, actor: Any = None, **kwargs: Any) -> None:
    """`case_resumed`: lift the suspension's hold on the resumption day; the clocks run again."""
    for hold in PayoutHold.objects.filter(case_id=case.pk, reason=SUSPENDED, end__isnull=True).order_by("pk"):
        susp = Suspension.objects.filter(pk=hold.suspension_id or 0).first()
        end = susp.end if susp is not None and susp.end else timezone.localdate()
        ref = susp.resume_document_ref if susp is not None else ""
        _lift(actor, hold, end=max(end, hold.start), note=f"恢复执行 {ref}".strip())
