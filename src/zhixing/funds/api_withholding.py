"""Income withholding over the JSON API (/api/v1/funds/...): a case's orders with what each has brought
in, ordering one, lifting one (CPL-2023 Art 254). Court scoping as on the pages: an unreadable case or
order is a 404; a role that may not order is a 403 (`NotPermitted`); a refusal names its field (422)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from zhixing.cases import queries as case_queries
from zhixing.courts.queries import readable_object

from . import formats, queries_withholding
from .models import IncomeWithholding
from .services import withholding

router = Router(tags=["执行案款"])


class WithholdingOut(Schema):
    id: int
    case_id: int
    debtor_id: int
    debtor: str
    payer_name: str
    payer_account: str
    income_kind: str
    monthly_income: str
    living_standard: str = Field(description="当地最低生活保障标准（元/人/月）")
    dependants: int
    living_reserve: str = Field(description="每月保留的生活必需费用（元）")
    monthly_amount: str = Field(description="每月扣留金额（元）")
    limit: str = Field(description="扣留总额上限：裁定时尚欠金额（元）")
    received: str = Field(description="协助单位已汇入本案的扣留款（元）")
    remaining: str
    receipts: int
    ruling_number: str
    notice_number: str
    start_on: date
    status: str
    state: str = Field(description="扣留中 / 已扣足 / 已解除")
    lifted_on: date | None
    lift_reason: str


class WithholdingIn(Schema):
    debtor: int
    payer_name: formats.CheckedText
    income_kind: str = Field(description="wages / pension / service / rent / other")
    monthly_income: str
    ruling_number: formats.CheckedText
    start_on: date
    living_standard: str | None = Field(None, description="为空时取本院配置的默认标准")
    dependants: int = 0
    payer_account: formats.CheckedText = ""


class WithholdingLiftIn(Schema):
    reason: formats.CheckedText


def _out(row: queries_withholding.WithholdingRow) -> dict[str, Any]:
    o = row.order
    return {
        "id": o.pk,
        "case_id": o.case_id,
        "debtor_id": o.debtor_id,
        "debtor": o.debtor.name,
        "payer_name": o.payer_name,
        "payer_account": o.payer_account,
        "income_kind": o.income_kind,
        "monthly_income": str(o.monthly_income),
        "living_standard": str(o.living_standard),
        "dependants": o.dependants,
        "living_reserve": str(row.reserve),
        "monthly_amount": str(o.monthly_amount),
        "limit": str(o.limit),
        "received": str(row.received),
        "remaining": str(row.remaining),
        "receipts": row.receipts,
        "ruling_number": o.ruling_number,
        "notice_number": o.notice_number,
        "start_on": o.start_on,
        "status": o.status,
        "state": row.state_label,
        "lifted_on": o.lifted_on,
        "lift_reason": o.lift_reason,
    }


def _case(request: HttpRequest, case_id: int) -> Any:
    case = case_queries.get_case(request.user, case_id)
    if case is None:
        raise HttpError(404, "案件不存在或无权查看")
    return case


@router.get(
    "/funds/cases/{case_id}/withholdings",
    response=list[WithholdingOut],
    summary="案件扣留收入（民诉法第254条）",
)
def case_withholdings(request: HttpRequest, case_id: int) -> Any:
    return [_out(r) for r in queries_withholding.case_withholdings(_case(request, case_id))]


@router.post("/funds/cases/{case_id}/withholdings", response={201: WithholdingOut}, summary="裁定扣留收入")
def order_withholding(request: HttpRequest, case_id: int, payload: WithholdingIn) -> Any:
    case = _case(request, case_id)
    order = withholding.order_withholding(request.user, case, **payload.dict())
    return Status(201, _out(queries_withholding.withholding_row(order)))


@router.post("/funds/withholdings/{order_id}/lift", response=WithholdingOut, summary="解除扣留收入")
def lift_withholding(request: HttpRequest, order_id: int, payload: WithholdingLiftIn) -> Any:
    row = readable_object(request.user, IncomeWithholding, order_id)
    if row is None:
        raise HttpError(404, "扣留记录不存在或无权查看")
    order = withholding.lift_withholding(request.user, row.pk, reason=payload.reason)
    return _out(queries_withholding.withholding_row(order))
