"""Cases API: the performance schedule (履行明细) and the parties' payment-order agreement.

GET  /api/v1/cases/{id}/schedule?on=YYYY-MM-DD — dated payments allocated in the legal (or agreed) order,
     the doubled delay interest accruing between them, the suspensions and excluded periods with
     whether each stops the interest (迟延履行利息解释 Art 3(3)) and, for a 执恢 case, the original's.
POST /api/v1/cases/{id}/payment-order — record the parties' agreed order (Art 4 "另有约定").
POST /api/v1/cases/{id}/judgment-terms — the instrument's acceleration clause, currency (and the central
     parity rate when the applicant asks for RMB, Art 5) and 迟延履行金 (民诉解释 Art 505).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Schema, Status
from pydantic import Field

from . import services
from .api_support import _ok, _readable_case, _user, _writable_case, router
from .queries_schedule import CaseSchedule, case_schedule
from .schedule import BUCKET_LABELS, Bucket
from .schemas import Id, ISODate, Text128
from .schemas_out import money_text


class ScheduleRowOut(Schema):
    paid_on: date
    case_number: str = Field(description="该笔款项所在案件（执恢案件含原案件的款项）")
    amount: str
    days: int = Field(description="自上一笔起计息天数（已扣除不计息期间）")
    accrued: str = Field(description="该期间新增的加倍部分债务利息")
    to_costs: str
    to_interest: str
    to_principal: str
    to_doubled: str
    surplus: str
    owed_costs: str
    owed_interest: str
    owed_principal: str
    owed_doubled: str
    owed_total: str


class PeriodOut(Schema):
    label: str
    start: date
    end: date | None
    excludes_interest: bool
    article: str
    reason: str
    case_number: str


class InstalmentOut(Schema):
    seq: int
    due_on: date = Field(description="该期履行期限届满日")
    amount: str
    expired: bool = Field(description="截至计算日该期履行期限是否已届满（届满后方可执行，并计加倍利息）")


class ScheduleOut(Schema):
    case_id: int
    on: date
    order: list[str] = Field(
        description="清偿顺序：costs 执行费用、interest 一般债务利息、principal 本金、doubled 加倍部分"
    )
    order_label: str
    agreement: str | None = Field(description="当事人清偿顺序约定的文书；无约定为 null（法定顺序）")
    carried_from: list[str] = Field(description="执恢案件所承接的原案件案号（由最早起）")
    delay_days: int
    doubled_total: str = Field(description="截至计算日累计的加倍部分债务利息（含已清偿部分）")
    owed_costs: str
    owed_interest: str
    owed_principal: str
    owed_doubled: str
    owed_total: str
    surplus: str
    interest_rate: str | None = Field(description="执行依据确定的一般债务利息年利率（%）；无为 null")
    interest_from: date | None = Field(description="按年利率计付利息的起算日（含）")
    running_interest: str = Field(description="截至计算日按年利率累计的一般债务利息（含已清偿部分）")
    interest_total: str = Field(description="一般债务利息合计：判决确定的固定数额 + 按年利率累计部分")
    not_due: str = Field(description="尚未到期的分期履行金额（不得执行，执行工作规定第16条）")
    enforceable_total: str = Field(description="截至计算日可执行的尚欠合计（尚欠合计 − 未到期分期）")
    instalments: list[InstalmentOut]
    acceleration: bool = Field(description="执行依据载有加速到期条款（任何一期未履行，剩余全部债务即到期）")
    accelerated_on: date | None = Field(
        description="未按期足额履行的一期的届满日：剩余全部分期自该日到期；未加速为 null"
    )
    currency: str = Field(description="本明细的计算币种（ISO 4217）")
    instrument_currency: str = Field(description="执行依据确定的债务币种")
    fx_rate: str | None = Field(
        description="折合人民币所用的起算日中间价（1单位外币折合人民币元）；未折合为 null"
    )
    doubled_foreign: str | None = Field(
        description="以执行依据外币计算的加倍部分债务利息（申请执行人未主张以人民币计算时）；否则为 null"
    )
    late_performance_fee: str = Field(description="非金钱给付义务的迟延履行金（计入尚欠本金）")
    rows: list[ScheduleRowOut]
    periods: list[PeriodOut]


class JudgmentTermsIn(Schema):
    acceleration: bool = Field(False, description="分期加速到期条款")
    currency: str = Field("CNY", max_length=3, description="债务币种，ISO 4217，如 USD")
    fx_rate: str = Field("", max_length=20, description="起算日人民币对该外币中间价；折合人民币时必填")
    fx_in_rmb: bool = Field(False, description="申请执行人主张以人民币计算加倍部分债务利息")
    late_fee_loss: str = Field("", max_length=20, description="非金钱给付义务迟延履行造成的损失（元）")
    late_fee_decided: str = Field("", max_length=20, description="没有造成损失时法院确定的迟延履行金（元）")
    document_ref: Text128


class PaymentOrderIn(Schema):
    order: str = Field("", max_length=64, description="如 doubled,costs,interest,principal；空字符串撤回约定")
    agreed_on: ISODate
    document_ref: Text128


def schedule_out(case_id: int, cs: CaseSchedule) -> dict[str, Any]:
    s = cs.schedule
    rows = []
    for r, number in zip(s.rows, cs.row_cases, strict=True):
        rows.append(
            {
                "paid_on": r.paid_on,
                "case_number": number,
                "amount": money_text(r.amount),
                "days": r.days,
                "accrued": money_text(r.accrued),
                **{f"to_{b.value}": money_text(r.paid[b]) for b in Bucket},
                "surplus": money_text(r.surplus),
                **{f"owed_{b.value}": money_text(r.owed[b]) for b in Bucket},
                "owed_total": money_text(r.total_owed),
            }
        )
    return {
        "case_id": case_id,
        "on": s.until,
        "order": [b.value for b in s.order],
        "order_label": cs.order_label,
        "agreement": cs.agreement.document_ref if cs.agreement else None,
        "carried_from": [c.number for c in cs.chain[:-1]],
        "delay_days": s.delay_days,
        "doubled_total": money_text(s.doubled_total),
        **{f"owed_{b.value}": money_text(s.owed[b]) for b in Bucket},
        "owed_total": money_text(s.total_owed),
        "surplus": money_text(s.surplus),
        "interest_rate": str(cs.running.rate_percent) if cs.running else None,
        "interest_from": cs.running.start if cs.running else None,
        "running_interest": money_text(s.running_total),
        "interest_total": money_text(s.interest_total),
        "not_due": money_text(s.not_due),
        "enforceable_total": money_text(s.enforceable_owed),
        "instalments": [
            {"seq": n, "due_on": d, "amount": money_text(a), "expired": e}
            for n, d, a, e in cs.instalments_due
        ],
        "acceleration": cs.acceleration,
        "accelerated_on": s.accelerated_on,
        "currency": cs.currency,
        "instrument_currency": cs.instrument_currency,
        "fx_rate": str(cs.fx_rate) if cs.fx_rate is not None else None,
        "doubled_foreign": money_text(cs.doubled_foreign) if cs.doubled_foreign is not None else None,
        "late_performance_fee": money_text(cs.late_fee),
        "rows": rows,
        "periods": [
            {
                "label": p.label,
                "start": p.start,
                "end": p.end,
                "excludes_interest": p.excluded,
                "article": p.article,
                "reason": p.reason,
                "case_number": p.case_number,
            }
            for p in cs.periods
        ],
    }


@router.get(
    "/cases/{case_id}/schedule", response=_ok(ScheduleOut), summary="履行明细与迟延履行利息（按日计算）"
)
def case_schedule_api(request: HttpRequest, case_id: Path[Id], on: Query[ISODate | None] = None) -> Any:
    case = _readable_case(_user(request), case_id)
    return schedule_out(case.pk, case_schedule(case, on or timezone.localdate()))


@router.post(
    "/cases/{case_id}/payment-order", response=_ok(ScheduleOut, 201), summary="登记当事人清偿顺序约定"
)
def record_payment_order(request: HttpRequest, payload: PaymentOrderIn, case_id: Path[Id]) -> Any:
    user = _user(request)
    case = _writable_case(user, case_id)
    services.record_payment_order(
        user, case, order=payload.order, agreed_on=payload.agreed_on, document_ref=payload.document_ref
    )
    return Status(201, schedule_out(case.pk, case_schedule(case, timezone.localdate())))


@router.post(
    "/cases/{case_id}/judgment-terms",
    response=_ok(ScheduleOut, 201),
    summary="登记执行依据的履行条款（加速到期、外币、迟延履行金）",
)
def record_judgment_terms(request: HttpRequest, payload: JudgmentTermsIn, case_id: Path[Id]) -> Any:
    user = _user(request)
    case = _writable_case(user, case_id)
    services.record_judgment_terms(user, case, services.JudgmentTerms(**payload.dict()))
    case.refresh_from_db()
    return Status(201, schedule_out(case.pk, case_schedule(case, timezone.localdate())))


__all__ = ["BUCKET_LABELS", "schedule_out"]
