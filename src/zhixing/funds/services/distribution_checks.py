"""What every step on a distribution plan shares: who may act, the plan's row lock, its audit record,
its money and date inputs, and the money available to distribute."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from zhixing.cases.models import EnforcementCase
from zhixing.core import audit
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.core.money import AmountError, parse_amount
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Role

from ..models import DistributionPlan
from . import fees

PLAN_ROLES = {Role.JUDGE, Role.DIRECTOR}
S = DistributionPlan.Status
OPEN = (S.DRAFT, S.SERVED, S.OBJECTED, S.COUNTERED, S.SUING, S.FINAL)
CLAIM_FIELDS = (
    "party_id",
    "creditor_name",
    "creditor_id_number",
    "kind",
    "rank",
    "amount",
    "security_date",
    "seized_on",
    "applied_on",
    "basis",
    "evidence",
)


def check_actor(actor: Any, case: EnforcementCase) -> None:
    if not can_write_court(actor, case.court) or getattr(actor, "role", "") not in PLAN_ROLES:
        raise NotPermitted("只有本院执行法官或局长可以办理财产分配")


def record(actor: Any, action: str, plan: DistributionPlan, **after: Any) -> None:
    audit.record(
        actor,
        f"funds.plan_{action}",
        object_type="funds.DistributionPlan",
        object_id=plan.pk,
        case_id=plan.case_id,
        after=after,
    )


def lock(plan: DistributionPlan) -> DistributionPlan:
    return (
        DistributionPlan.objects.select_for_update(of=("self",))
        .select_related("case", "court")
        .get(pk=plan.pk)
    )


def money(value: Any, field: str, label: str, *, allow_zero: bool = False) -> Decimal:
    try:
        return parse_amount(value, field=label, allow_zero=allow_zero)
    except AmountError as exc:
        raise ServiceError(str(exc), field=field) from exc


def day(value: Any, field: str, label: str, *, required: bool = False) -> date | None:
    if value in (None, ""):
        if required:
            raise ServiceError(f"请填写{label}", field=field)
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ServiceError(f"{label}格式应为YYYY-MM-DD：{value}", field=field) from exc


def available(case: EnforcementCase) -> Decimal:
    """What a plan may distribute: the case balance less payouts already promised."""
    return fees.case_balance(case.pk) - fees.committed(case.pk)
