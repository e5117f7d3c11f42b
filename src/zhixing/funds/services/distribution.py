"""Distribution plans (财产分配方案): the draft, its claims (参与分配) and the computed shares.

The objection lifecycle is in `distribution_objections`, the Excel import in `distribution_import`,
the tie to the case's money (payouts, paid) in `distribution_money`. Rules: `funds.distribution_rules`.

The plan's steps share their checks (`distribution_checks`); its claims are in `distribution_claims`
and its computed shares in `distribution_shares`, re-exported here with the plan's creation.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from zhixing.cases import queries as case_queries
from zhixing.cases.models import EnforcementCase, Party
from zhixing.core.errors import Conflict, ServiceError
from zhixing.inquiry.queries_seizure import first_seizure

from .. import distribution_rules as dr
from ..models import DistributionPlan
from . import fees
from .distribution_checks import (
    CLAIM_FIELDS,
    OPEN,
    PLAN_ROLES,
    S,
    available,
    check_actor,
    day,
    lock,
    money,
    record,
)
from .distribution_claims import _legacy, add_claim, clean_claim, remove_claim
from .distribution_shares import allocation, claim_inputs, recompute

__all__ = [
    "CLAIM_FIELDS",
    "OPEN",
    "PLAN_ROLES",
    "S",
    "add_claim",
    "allocation",
    "available",
    "check_actor",
    "choose_debtor",
    "claim_inputs",
    "clean_claim",
    "create_plan",
    "day",
    "lock",
    "money",
    "recompute",
    "record",
    "remove_claim",
]


# rule
def choose_debtor(case: EnforcementCase, debtor_id: Any, form: str) -> tuple[Party | None, str]:
    """The debtor whose property is distributed and its legal form — every debtor of the case is
    considered: with several, the judge names the one; the form decides how ordinary claims share
    (`distribution_rules.DEBTOR_FORMS`); without one, the form the case's record suggests."""
    debtors = [p for p in case_queries.case_parties(case) if p.role == Party.Role.DEBTOR]
    raw = str(debtor_id or "").strip()
    if raw:
        debtor = next((p for p in debtors if str(p.pk) == raw), None)
        if debtor is None:
            raise ServiceError("所选被执行人不是本案的被执行人", field="debtor_id")
    elif len(debtors) > 1:
        names = "、".join(p.name for p in debtors)
        raise ServiceError(
            f"本案有{len(debtors)}名被执行人（{names}），请选择被分配财产所属的被执行人", field="debtor_id"
        )
    else:
        debtor = debtors[0] if debtors else None
    form = (form or "").strip()
    if debtor is None:
        return None, form or dr.ENTERPRISE
    suggested = dr.infer_form(debtor.kind, debtor.name, debtor.credit_code)
    if not form:
        return debtor, suggested
    if form not in dr.DEBTOR_FORMS:
        raise ServiceError(f"被执行人类型无效：{form}", field="debtor_form")
    if (debtor.kind == Party.Kind.PERSON) != (form == dr.PERSON) and suggested != dr.PERSON:
        raise ServiceError(
            f"被执行人{debtor.name}为{debtor.get_kind_display()}，类型不能选“{dr.DEBTOR_FORMS[form][0]}”",
            field="debtor_form",
        )
    return debtor, form


def create_plan(
    actor: Any,
    case: EnforcementCase,
    *,
    proceeds: Any = "",
    costs: Any = "",
    cutoff_on: Any = None,
    first_seizing_court: str = "",
    claims: list[dict[str, Any]] | None = None,
    debtor_id: Any = "",
    debtor_form: str = "",
) -> DistributionPlan:
    """A draft plan over the case's money (never more than its balance), by the first-seizing court."""
    check_actor(actor, case)
    avail = available(case)
    total = avail if str(proceeds or "").strip() == "" else money(proceeds, "proceeds", "分配财产总额")
    if total <= 0:
        raise Conflict(f"本案案款余额为{avail:,.2f}元，没有可分配的款项", field="proceeds")
    if total > avail:
        raise Conflict(f"分配财产总额{total:,.2f}元超过本案案款余额{avail:,.2f}元", field="proceeds")
    cost = min(fees.outstanding_fee(case), total) if str(costs or "").strip() == "" else None
    if cost is None:
        cost = money(costs, "costs", "执行费用", allow_zero=True)
    if cost > total:
        raise ServiceError("执行费用不能超过分配财产总额", field="costs")
    fact = first_seizure(case.pk)
    if fact is not None:
        if not fact.first:
            raise Conflict(
                f"本案对被执行财产为轮候查封（{fact.label}），应由首先查封的法院主持分配（执行工作规定第五十六条）",
                field="first_seizing_court",
            )
        first, basis = case.court.name, f"查控记录：{fact.label}"
    else:
        first = (first_seizing_court or "").strip()
        refusal = dr.seizure_refusal(case.court.name, first)
        if refusal:
            raise Conflict(refusal, field="first_seizing_court")
        basis = "承办人登记（本案无查控记录）"
    cutoff = day(cutoff_on, "cutoff_on", "参与分配截止日")
    debtor, form = choose_debtor(case, debtor_id, debtor_form)
    with transaction.atomic():
        fees.lock_case_account(case)
        live = DistributionPlan.objects.filter(case_id=case.pk, status__in=OPEN).first()
        if live is not None:
            raise Conflict(f"本案已有进行中的分配方案#{live.pk}（{live.get_status_display()}）", field="plan")
        plan = DistributionPlan.objects.create(
            court_id=case.court_id,
            case=case,
            proceeds=total,
            costs=cost,
            debtor=debtor,
            debtor_kind=form,
            first_seizing_court=first,
            seizure_basis=basis,
            cutoff_on=cutoff,
        )
        record(
            actor,
            "create",
            plan,
            proceeds=total,
            costs=cost,
            first_seizing_court=first,
            debtor=debtor.name if debtor else "",
            debtor_form=form,
        )
        for i, c in enumerate(claims or []):
            add_claim(actor, plan, _legacy(c), row=f"第{i + 1}项债权：", prefix=f"claims[{i}].")
        recompute(plan)
    return plan
