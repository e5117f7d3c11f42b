"""Cases API: the debtors' asset reports (财产报告) in answer to the 报告财产令 (CPL-2023 Art 252).

GET  /api/v1/cases/{id}/asset-reports — the order's reporting period and every report received.
POST /api/v1/cases/{id}/asset-reports — record one debtor's report (day received + summary); the period it
     covers and whether it is late are computed; the last debtor's report completes the "财产报告" node.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Path, Schema, Status
from pydantic import Field

from . import services
from .api_support import _ok, _readable_case, _user, _writable_case, router
from .models import AssetReport
from .queries_asset_reports import report_state
from .schemas import Id, ISODate


class AssetReportOut(Schema):
    id: int
    debtor_id: int
    debtor: str
    received_on: date
    period_from: date = Field(description="收到报告财产令之日前一年的当日（财产调查规定第6条）")
    period_to: date = Field(description="提交报告之日（当前财产情况）")
    due_on: date = Field(description="报告财产令指定的报告期间最后一日")
    late: bool = Field(description="逾期报告（收到日期晚于报告期限）")
    summary: str


class AssetReportsOut(Schema):
    case_id: int
    ordered: bool = Field(description="报告财产令已随执行通知书送达")
    served_on: date | None
    due_on: date | None = Field(description="报告期限届满日")
    missing: list[str] = Field(description="尚未报告的被执行人")
    reports: list[AssetReportOut]


class AssetReportIn(Schema):
    debtor_id: int = Field(description="本案被执行人的当事人 id")
    received_on: ISODate = Field(description="法院收到书面报告之日")
    summary: str = Field(description="内容摘要", max_length=500)


def _report(r: AssetReport) -> dict[str, Any]:
    return {
        "id": r.pk,
        "debtor_id": r.debtor_id,
        "debtor": r.debtor.name,
        "received_on": r.received_on,
        "period_from": r.period_from,
        "period_to": r.period_to,
        "due_on": r.due_on,
        "late": r.late,
        "summary": r.summary,
    }


def _out(case_id: int) -> dict[str, Any]:
    s = report_state(case_id)
    return {
        "case_id": case_id,
        "ordered": s.ordered,
        "served_on": s.served_on,
        "due_on": s.due_on,
        "missing": [p.name for p in s.missing],
        "reports": [_report(r) for r in s.reports],
    }


@router.get("/cases/{case_id}/asset-reports", response=_ok(AssetReportsOut), summary="被执行人财产报告")
def case_asset_reports(request: HttpRequest, case_id: Path[Id]) -> Any:
    case = _readable_case(_user(request), case_id)
    return _out(case.pk)


@router.post(
    "/cases/{case_id}/asset-reports", response=_ok(AssetReportOut, 201), summary="登记被执行人财产报告"
)
def add_asset_report(request: HttpRequest, payload: AssetReportIn, case_id: Path[Id]) -> Any:
    user = _user(request)
    case = _writable_case(user, case_id)
    r = services.record_asset_report(
        user, case, debtor_id=payload.debtor_id, received_on=payload.received_on, summary=payload.summary
    )
    return Status(201, _report(r))
