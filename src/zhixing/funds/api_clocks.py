"""Payout clocks and holds over the JSON API (/api/v1/funds/...): read a case's clocks and holds,
place and lift a hold, list overdue clocks. Court scoping as on the pages: an unreadable case or hold
is a 404, a role that may not hold money a 403 (`NotPermitted`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from zhixing.cases import queries as case_queries
from zhixing.courts.queries import can_read_court
from zhixing.courts.roles import Role

from . import formats, queries_holds
from .models import PayoutHold
from .services import holds

router = Router(tags=["执行案款"])
OVERDUE_ROLES = {Role.FINANCE, Role.DIRECTOR, Role.PRESIDENT}  # as the finance and director pages


class PayoutClockOut(Schema):
    id: int
    receipt_id: int
    bank_txn_id: str
    amount: str
    open_amount: str = Field(description="仍在案款账户中的本笔来款金额")
    arrived_on: date
    due_on: date | None = Field(description="发款期限；暂缓期间为空")
    status: str
    status_display: str
    color: str = Field(description="green/yellow/red/paused/done")
    days_overdue: int
    hold_ids: list[int]


class HoldOut(Schema):
    id: int
    case_id: int
    reason: str
    reason_display: str
    article: str
    amount: str | None = Field(description="为空表示本案全部案款")
    start: date
    end: date | None
    followup_due: date | None
    note: str


class HeldLineOut(Schema):
    hold_id: int
    reason: str
    label: str
    amount: str
    whole_case: bool


class CaseClocksOut(Schema):
    case_id: int
    held_total: str
    held_lines: list[HeldLineOut]
    clocks: list[PayoutClockOut]
    holds: list[HoldOut]


class HoldIn(Schema):
    reason: str
    start: date
    amount: str | None = None
    note: formats.CheckedText = ""


class LiftIn(Schema):
    end: date
    note: formats.CheckedText = ""


class OverdueOut(Schema):
    total: int
    amount: str
    clocks: list[PayoutClockOut]


def _clock(c: Any) -> dict[str, Any]:
    return {
        "id": c.pk,
        "receipt_id": c.receipt_id,
        "bank_txn_id": c.receipt.bank_txn_id,
        "amount": str(c.amount),
        "open_amount": str(c.open_amount),
        "arrived_on": c.arrived_on,
        "due_on": c.due_on,
        "status": c.status,
        "status_display": c.get_status_display(),
        "color": c.color,
        "days_overdue": c.late_days,
        "hold_ids": [h.pk for h in c.holds.all()],
    }


def _hold(h: PayoutHold) -> dict[str, Any]:
    return {
        "id": h.pk,
        "case_id": h.case_id,
        "reason": h.reason,
        "reason_display": queries_holds.reason_label(h.reason),
        "article": h.article,
        "amount": None if h.amount is None else str(h.amount),
        "start": h.start,
        "end": h.end,
        "followup_due": h.followup_due,
        "note": h.note,
    }


def _case(request: HttpRequest, case_id: int) -> Any:
    case = case_queries.get_case(request.user, case_id)
    if case is None:
        raise HttpError(404, "案件不存在或无权查看")
    return case


@router.get("/funds/cases/{case_id}/clocks", response=CaseClocksOut, summary="案件来款发款期限与暂缓发放")
def case_clocks(request: HttpRequest, case_id: int) -> Any:
    case = _case(request, case_id)
    lines = queries_holds.held_lines(case)
    return {
        "case_id": case.pk,
        "held_total": str(queries_holds.held_amount(case)),
        "held_lines": [
            {
                "hold_id": x.hold_id,
                "reason": x.reason,
                "label": x.label,
                "amount": str(x.amount),
                "whole_case": x.whole_case,
            }
            for x in lines
        ],
        "clocks": [_clock(c) for c in queries_holds.case_clocks(case, timezone.localdate())],
        "holds": [_hold(h) for h in queries_holds.case_holds(case)],
    }


@router.post("/funds/cases/{case_id}/holds", response={201: HoldOut}, summary="设置暂缓发放")
def place_hold(request: HttpRequest, case_id: int, payload: HoldIn) -> Any:
    case = _case(request, case_id)
    h = holds.place_hold(
        request.user,
        case,
        reason=payload.reason,
        start=payload.start,
        amount=payload.amount,
        note=payload.note,
    )
    return Status(201, _hold(h))


@router.post("/funds/holds/{hold_id}/lift", response=HoldOut, summary="解除暂缓发放")
def lift_hold(request: HttpRequest, hold_id: int, payload: LiftIn) -> Any:
    h = PayoutHold.objects.select_related("court").filter(pk=hold_id).first()
    if h is None or not can_read_court(request.user, h.court):
        raise HttpError(404, "暂缓记录不存在或无权查看")
    return _hold(holds.lift_hold(request.user, h.pk, end=payload.end, note=payload.note))


@router.get("/funds/clocks/overdue", response=OverdueOut, summary="超期未发放来款（本院及下级法院）")
def overdue(request: HttpRequest) -> Any:
    if getattr(request.user, "role", "") not in OVERDUE_ROLES:
        raise HttpError(403, "只有财务人员和院局领导可以查看超期未发放来款")
    o = queries_holds.overdue_clocks(request.user, timezone.localdate())
    return {"total": o.total, "amount": str(o.amount), "clocks": [_clock(c) for c in o.rows]}
