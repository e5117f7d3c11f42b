"""Cases API: the enforcement notice (执行通知书) of a case.

GET  /api/v1/cases/{id}/notice — the notice (issued, served, the period it fixes) and its texts.
POST /api/v1/cases/{id}/notice — issue it (once per case; with the asset report order in a money case).
POST /api/v1/cases/{id}/notice/service — record its service (method + day of the act); completes the
     case's `notice` node and starts the performance period (credit refuses listings and restrictions
     before: 失信规定 Art 5(1), 限消规定 Art 1(1)).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Path, Schema, Status
from pydantic import Field

from . import services
from .api_support import NotFound, _ok, _readable_case, _user, _writable_case, router
from .documents_notice import notice_context
from .models import EnforcementNotice
from .schemas import Id, ISODate


class NoticeOut(Schema):
    case_id: int
    document_number: str
    issued_on: date
    performance_days: int = Field(description="自送达之日起的履行日数（0 为立即履行）")
    listing_warning: bool = Field(description="载明纳入失信名单的风险提示（失信规定第5条第1款）")
    asset_report_order: bool = Field(description="同时发出报告财产令（财产调查规定第3条）")
    service_method: str | None
    service_act_on: date | None
    served_on: date | None = Field(description="视为送达之日")
    period_ends_on: date | None = Field(description="通知书指定的履行期间届满日")
    performance: str
    delay_warning: str
    listing_warning_text: str
    asset_report_text: str


class NoticeServiceIn(Schema):
    method: str = Field(description="personal/residence/electronic/post/entrusted/publication", max_length=16)
    act_on: ISODate = Field(description="送达行为之日（公告送达为公告刊登之日）")


def _out(n: EnforcementNotice) -> dict[str, Any]:
    d = notice_context(n)
    return {
        "case_id": n.case_id,
        "document_number": n.document_number,
        "issued_on": n.issued_on,
        "performance_days": n.performance_days,
        "listing_warning": n.listing_warning,
        "asset_report_order": n.asset_report_order,
        "service_method": n.service_method or None,
        "service_act_on": n.service_act_on,
        "served_on": n.served_on,
        "period_ends_on": n.period_ends_on,
        "performance": d["performance"],
        "delay_warning": d["delay_warning"],
        "listing_warning_text": d["listing_warning"],
        "asset_report_text": d["asset_report"],
    }


def _notice(case_id: int) -> EnforcementNotice:
    n = EnforcementNotice.objects.select_related("case", "court").filter(case_id=case_id).first()
    if n is None:
        raise NotFound("本案尚未制作执行通知书")
    return n


@router.get("/cases/{case_id}/notice", response=_ok(NoticeOut), summary="执行通知书")
def case_notice(request: HttpRequest, case_id: Path[Id]) -> Any:
    case = _readable_case(_user(request), case_id)
    return _out(_notice(case.pk))


@router.post(
    "/cases/{case_id}/notice", response=_ok(NoticeOut, 201), summary="制作执行通知书（含报告财产令）"
)
def issue_notice(request: HttpRequest, case_id: Path[Id]) -> Any:
    user = _user(request)
    case = _writable_case(user, case_id)
    services.issue_notice(user, case)
    return Status(201, _out(_notice(case.pk)))


@router.post("/cases/{case_id}/notice/service", response=_ok(NoticeOut), summary="登记执行通知书送达")
def serve_notice(request: HttpRequest, payload: NoticeServiceIn, case_id: Path[Id]) -> Any:
    user = _user(request)
    case = _writable_case(user, case_id)
    services.record_notice_service(user, case, method=payload.method, act_on=payload.act_on)
    return _out(_notice(case.pk))
