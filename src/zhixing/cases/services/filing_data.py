"""What a filing clerk submits (`FilingData`) and its validation: amounts, the obligation and its
fee, running interest, instalments, the parties — a clear error naming the field, nothing written."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from zhixing.core.errors import ServiceError
from zhixing.core.money import AmountError, parse_amount

from ..conf import no_money_application_fee
from ..fees import NO_MONEY_FEE_MAX, NO_MONEY_FEE_MIN, case_application_fee
from ..models import (
    CaseType,
    InstrumentType,
    Obligation,
    Party,
)
from ..queries_preservation import PRESERVATION_CODE
from ..rules import performance_period_expired
from .parties import PartyData, validate_party


@dataclass
class FilingData:
    """An application for enforcement as entered by the clerk."""

    case_type: str
    applied_on: date
    filed_on: date
    instrument_type: str
    issuing_body: str
    basis_number: str
    effective_on: date
    performance_deadline: date
    principal: Any
    parties: list[PartyData]
    adjudged_interest: Any = "0"
    litigation_costs: Any = "0"
    # 执行内容: money, or an act (交付特定物, 迁出房屋, 完成指定行为) described in `obligation_detail`.
    obligation: str = Obligation.MONEY
    obligation_detail: str = ""
    # The fee of a case without a money amount (50–500 yuan, Art 14(1)); empty = the configured default.
    application_fee: Any = ""
    # 一般债务利息 at a running rate: annual rate in percent ("" = none) and the day it runs from.
    interest_rate: Any = ""
    interest_from: date | None = None
    # 分期履行: (deadline, amount) of each instalment; they add up to principal + litigation costs and the
    # last deadline is `performance_deadline`. Empty = one performance period.
    instalments: list[tuple[date, Any]] = field(default_factory=list)
    confirm_duplicate: bool = False
    # The duplicates the user was shown and confirmed (None: any); a case filed meanwhile is not covered.
    confirmed_duplicates: list[str] | None = None
    # 执保 (property preservation): the lawsuit whose preservation ruling (the basis) the case carries out.
    lawsuit_number: str = ""
    # 执: a preservation case (its number) chosen at filing to carry into this case (诉执衔接); empty =
    # any open 执保 case of the court whose lawsuit number is this basis and whose parties match.
    preservation_case: str = ""


def _money(value: Any, field_name: str, label: str) -> Decimal:
    try:
        return parse_amount(value, field=label)
    except AmountError as exc:
        raise ServiceError(str(exc), field=field_name) from exc


def _obligation(data: FilingData, amounts: dict[str, Decimal]) -> tuple[str, str, Decimal]:
    """(obligation, detail, application fee): a money case claims a principal; an act case names the act."""
    if data.obligation not in Obligation.values:
        raise ServiceError("请选择执行内容（金钱给付或行为履行）", field="obligation")
    detail = (data.obligation_detail or "").strip()
    if len(detail) > 200:
        raise ServiceError("履行内容不能超过200字", field="obligation_detail")
    amount = sum(amounts.values(), Decimal(0))
    if data.obligation == Obligation.MONEY:
        if amounts["principal"] <= 0:
            raise ServiceError("金钱给付案件的本金须大于0（执行标的额须大于0）", field="principal")
        return data.obligation, detail, case_application_fee(data.obligation, amount, Decimal(0))
    if not detail:
        raise ServiceError(
            f"行为履行案件（{Obligation(data.obligation).label}）须写明应交付的物、应迁出的房屋或应完成的行为",
            field="obligation_detail",
        )
    flat = no_money_application_fee()
    if str(data.application_fee or "").strip():
        flat = _money(data.application_fee, "application_fee", "申请执行费")
        if not NO_MONEY_FEE_MIN <= flat <= NO_MONEY_FEE_MAX:
            raise ServiceError(
                f"无执行金额案件的申请执行费须在{NO_MONEY_FEE_MIN:.0f}至{NO_MONEY_FEE_MAX:.0f}元之间"
                "（诉讼费用交纳办法第14条）",
                field="application_fee",
            )
    return data.obligation, detail, case_application_fee(data.obligation, amount, flat)


MONEY_FIELDS = ("principal", "adjudged_interest", "litigation_costs")
MAX_INSTALMENTS = 120
MAX_RATE = Decimal("100")


def _running_interest(data: FilingData) -> dict[str, Any]:
    """The running general interest (annual rate from a date), or nothing."""
    raw = str(data.interest_rate or "").strip()
    if not raw:
        if data.interest_from is not None:
            raise ServiceError("填写了利息起算日，请填写年利率", field="interest_rate")
        return {}
    try:
        rate = Decimal(raw.rstrip("%").strip())
    except ArithmeticError:
        raise ServiceError(f"年利率应为数字（百分比），如3.45，现为“{raw}”", field="interest_rate") from None
    if not rate.is_finite() or not Decimal(0) < rate <= MAX_RATE:
        raise ServiceError("年利率须大于0且不超过100（百分比）", field="interest_rate")
    if rate.as_tuple().exponent < -4:  # type: ignore[operator]
        raise ServiceError("年利率最多保留四位小数", field="interest_rate")
    if data.obligation != Obligation.MONEY:
        raise ServiceError("只有金钱给付案件可以计付利息", field="interest_rate")
    if data.interest_from is None:
        raise ServiceError("按年利率计付利息的，请填写利息起算日", field="interest_from")
    if data.interest_from > data.filed_on:
        raise ServiceError("利息起算日不能晚于立案日期", field="interest_from")
    return {"interest_rate": rate, "interest_from": data.interest_from}


# rule
def _instalments(data: FilingData, amounts: dict[str, Any]) -> list[tuple[date, Decimal]]:
    """The instalments, checked: ascending deadlines from the effective date, adding up to principal +
    litigation costs, the last one the performance deadline (迟延履行利息解释 Art 2)."""
    if not data.instalments:
        return []
    if data.obligation != Obligation.MONEY:
        raise ServiceError("只有金钱给付案件可以分期履行", field="instalments")
    if len(data.instalments) > MAX_INSTALMENTS:
        raise ServiceError(f"分期不能超过{MAX_INSTALMENTS}期", field="instalments")
    out: list[tuple[date, Decimal]] = []
    for i, (due_on, raw) in enumerate(data.instalments, start=1):
        amount = _money(raw, "instalments", f"第{i}期金额")
        if amount <= 0:
            raise ServiceError(f"第{i}期金额须大于0", field="instalments")
        if due_on < data.effective_on:
            raise ServiceError(f"第{i}期履行期限届满日不能早于执行依据生效日期", field="instalments")
        if out and due_on <= out[-1][0]:
            raise ServiceError(f"第{i}期履行期限届满日须晚于第{i - 1}期", field="instalments")
        out.append((due_on, amount))
    total = amounts["principal"] + amounts["litigation_costs"]
    if sum((a for _, a in out), Decimal(0)) != total:
        raise ServiceError(
            f"各期金额之和{sum((a for _, a in out), Decimal(0))}元须等于本金与诉讼费用之和{total}元",
            field="instalments",
        )
    if out[-1][0] != data.performance_deadline:
        raise ServiceError(
            f"分期履行的，履行期限届满日须为最后一期的届满日{out[-1][0].isoformat()}",
            field="performance_deadline",
        )
    return out


def _validate(
    data: FilingData, today: date
) -> tuple[CaseType, InstrumentType, dict[str, Decimal], list[dict[str, Any]]]:
    case_type = CaseType.objects.filter(code=data.case_type, active=True).first()
    if case_type is None:
        raise ServiceError(f"案件类型“{data.case_type}”不存在或已停用", field="case_type")
    preserving = case_type.code == PRESERVATION_CODE
    if preserving:
        lawsuit = (data.lawsuit_number or "").strip()
        if not lawsuit or len(lawsuit) > 64:
            raise ServiceError("保全案件须填写作出保全裁定的诉讼案号（不超过64字）", field="lawsuit_number")
        if (data.preservation_case or "").strip():
            raise ServiceError("保全案件不能再转入其他保全案件", field="preservation_case")
    instrument = InstrumentType.objects.filter(code=data.instrument_type).first()
    if instrument is None:
        raise ServiceError(f"执行依据类型“{data.instrument_type}”不存在", field="instrument_type")
    if data.filed_on > today:
        raise ServiceError("立案日期不能晚于今天", field="filed_on")
    if data.applied_on > data.filed_on:
        raise ServiceError("申请执行日期不能晚于立案日期", field="applied_on")
    if data.effective_on > today:
        raise ServiceError("执行依据生效日期不能晚于今天", field="effective_on")
    if data.performance_deadline < data.effective_on:
        raise ServiceError("履行期限届满日不能早于执行依据生效日期", field="performance_deadline")
    if data.applied_on < data.effective_on:
        raise ServiceError("申请执行日期不能早于执行依据生效日期", field="applied_on")
    first_due = data.instalments[0][0] if data.instalments else data.performance_deadline
    # A preservation ruling is enforced at once (CPL-2023 Art 103): no performance period to wait for.
    if not preserving and not performance_period_expired(first_due, data.effective_on, data.applied_on):
        what = "第1期履行期限届满日" if data.instalments else "履行期限届满日"
        raise ServiceError(
            f"{what}{first_due.isoformat()}尚未届满：申请执行须在履行期限届满之后"
            f"（申请执行日期{data.applied_on.isoformat()}；执行工作规定第16条）",
            field="instalments" if data.instalments else "performance_deadline",
        )
    for name, value, limit in (
        ("issuing_body", data.issuing_body, 64),
        ("basis_number", data.basis_number, 64),
    ):
        if not (value or "").strip() or len(value) > limit:
            raise ServiceError(
                f"{'作出机关' if name == 'issuing_body' else '执行依据文号'}不能为空且不超过{limit}字",
                field=name,
            )
    amounts = {
        "principal": _money(data.principal, "principal", "本金"),
        "adjudged_interest": _money(data.adjudged_interest, "adjudged_interest", "判决利息"),
        "litigation_costs": _money(data.litigation_costs, "litigation_costs", "诉讼费用"),
    }
    amounts.update(_running_interest(data))
    parties = [validate_party(i, p, today) for i, p in enumerate(data.parties)]
    if not any(p["role"] == Party.Role.APPLICANT for p in parties):
        raise ServiceError("至少需要一名申请执行人", field="parties")
    if not any(p["role"] == Party.Role.DEBTOR for p in parties):
        raise ServiceError("至少需要一名被执行人", field="parties")
    ids: list[str] = [p["key"] for p in parties]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise ServiceError(f"同一身份号码重复出现：{', '.join(sorted(dupes))}", field="parties")
    return case_type, instrument, amounts, parties
