"""Income withholding (扣留、提取收入, CPL-2023 Art 254): order it, lift it — each write audited.

The order is a ruling plus an assistance notice to the income payer (the debtor's employer, a pension
fund, a tenant…). The payer sends the withheld money to the case's own sub-account, where it is booked
like every receipt (`services.receipts`); nothing here posts money.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases.models import EnforcementCase, Party
from zhixing.cases.queries_notice import notice_state
from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Role

from .. import conf, formats
from ..models import IncomeWithholding
from ..withholding_rules import WithholdingProblem, monthly_withholding, notice_refusal, order_problem
from .fees import claim_outstanding
from .receipts import _amount

ORDER_ROLES = {Role.JUDGE, Role.DIRECTOR}
ARTICLE = "民事诉讼法第254条；查封扣押冻结规定第3条第2项"


def can_order(actor: Any, case: EnforcementCase) -> bool:
    return bool(can_write_court(actor, case.court) and getattr(actor, "role", "") in ORDER_ROLES)


def _require(actor: Any, case: EnforcementCase) -> None:
    if not can_order(actor, case):
        raise NotPermitted("只有本院执行法官或执行局局长可以裁定扣留、提取收入")


def _day(value: Any, field: str, label: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError as exc:
        raise ServiceError(f"{label}格式应为YYYY-MM-DD", field=field) from exc


def _dependants(value: Any) -> int:
    try:
        return int(str(value if value not in (None, "") else "0").strip())
    except ValueError as exc:
        raise ServiceError("所扶养家属人数应为整数", field="dependants") from exc


def _debtor(case: EnforcementCase, debtor_id: Any) -> Party:
    try:
        pk = int(str(debtor_id))
    except (TypeError, ValueError):
        pk = 0
    debtor = Party.objects.filter(case=case, role="debtor", pk=pk).first()
    if debtor is None:
        raise ServiceError("请选择本案的被执行人", field="debtor")
    return debtor


def _money(value: Any, field: str, label: str) -> Decimal:
    try:
        return _amount(value)
    except ServiceError as exc:
        raise ServiceError(f"{label}：{exc.message}", field=field) from exc


# rule
def order_withholding(
    actor: Any,
    case: EnforcementCase,
    *,
    debtor: Any,
    payer_name: Any,
    income_kind: Any,
    monthly_income: Any,
    ruling_number: Any,
    start_on: Any,
    living_standard: Any = None,
    dependants: Any = 0,
    payer_account: Any = "",
) -> IncomeWithholding:
    """Rule that the payer withholds part of the debtor's income each month and send it the notice.

    Refused (naming the field, nothing written) before the served notice's performance period has run
    out, when the income does not exceed the living reserve of the debtor and the dependants, or when
    nothing is owed. The monthly amount and the order's limit (what is owed today) are computed here.
    """
    _require(actor, case)
    if case.closing_mode:
        raise Conflict("案件已结案，不能扣留收入", field="case")
    party = _debtor(case, debtor)
    payer = formats.clean_text(payer_name, "payer_name", "协助执行单位", 128, required=True)
    account = formats.clean_text(payer_account, "payer_account", "协助单位付款账号", 64)
    kind = str(income_kind or "")
    if kind not in IncomeWithholding.IncomeKind.values:
        raise ServiceError("请选择收入种类", field="income_kind")
    income = _money(monthly_income, "monthly_income", "每月收入")
    standard = (
        conf.withholding_living_standard()
        if living_standard in (None, "")
        else _money(living_standard, "living_standard", "当地最低生活保障标准")
    )
    persons = _dependants(dependants)
    ruling = formats.clean_text(ruling_number, "ruling_number", "裁定书文号", 96, required=True)
    start = _day(start_on, "start_on", "起扣日期")
    today = timezone.localdate()
    refusal = notice_refusal(*_notice(case), today)
    if refusal:
        raise Conflict(refusal, field="notice")
    if start < today:
        raise ServiceError("起扣日期不能早于今天（裁定只对此后支付的收入生效）", field="start_on")
    owed = claim_outstanding(case, today)
    try:
        order_problem(income, standard, persons, owed)
    except WithholdingProblem as exc:
        raise ServiceError(exc.message, field=exc.field) from exc
    monthly = monthly_withholding(income, standard, persons, owed)
    with transaction.atomic():
        seq = IncomeWithholding.objects.filter(case=case).count() + 1
        order = IncomeWithholding.objects.create(
            court_id=case.court_id,
            case=case,
            debtor=party,
            payer_name=payer,
            payer_account=account,
            income_kind=kind,
            monthly_income=income,
            living_standard=standard,
            dependants=persons,
            monthly_amount=monthly,
            limit=owed,
            ruling_number=ruling,
            notice_number=f"{case.number}之扣{seq}",
            start_on=start,
            ordered_by=actor,
        )
        audit.record(
            actor,
            "funds.withholding_order",
            object_type="funds.IncomeWithholding",
            object_id=order.pk,
            case_id=case.pk,
            after={
                "debtor": party.pk,
                "payer_name": payer,
                "payer_account": account,
                "income_kind": kind,
                "monthly_income": income,
                "living_standard": standard,
                "dependants": persons,
                "monthly_amount": monthly,
                "limit": owed,
                "ruling_number": ruling,
                "notice_number": order.notice_number,
                "start_on": start,
                "article": ARTICLE,
            },
        )
    return order


def _notice(case: EnforcementCase) -> tuple[date | None, date | None]:
    state = notice_state(case.pk)
    return state.served_on, state.period_ends_on


def lift_withholding(actor: Any, order_id: int, *, reason: Any, on: Any = None) -> IncomeWithholding:
    """End an order (performed, the applicant's consent, the debtor left the payer…); the payer is told
    by the lifting notice. A lifted order stays on record with its reason."""
    with transaction.atomic():
        order = (
            IncomeWithholding.objects.select_for_update(of=("self",))
            .select_related("case", "court")
            .filter(pk=order_id)
            .first()
        )
        if order is None:
            raise ServiceError("扣留收入记录不存在", field="order")
        _require(actor, order.case)
        if order.status != IncomeWithholding.Status.ACTIVE:
            raise Conflict("该扣留已解除", field="order")
        why = formats.clean_text(reason, "reason", "解除理由", 200, required=True)
        day = timezone.localdate() if on in (None, "") else _day(on, "on", "解除日期")
        if day < timezone.localdate(order.created_at):
            raise ServiceError("解除日期不能早于裁定日期", field="on")
        if day > timezone.localdate():
            raise ServiceError("解除日期不能晚于今天", field="on")
        order.status = IncomeWithholding.Status.LIFTED
        order.lifted_on = day
        order.lift_reason = why
        order.lifted_by = actor
        order.save(update_fields=["status", "lifted_on", "lift_reason", "lifted_by"])
        audit.record(
            actor,
            "funds.withholding_lift",
            object_type="funds.IncomeWithholding",
            object_id=order.pk,
            case_id=order.case_id,
            before={"status": "active"},
            after={"status": "lifted", "lifted_on": day, "reason": why},
        )
    return order
