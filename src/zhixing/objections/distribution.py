"""A distribution plan (财产分配方案) among the acts a party may object to (issue 19).

The funds domain already runs the plan's own objection procedure (SPC-CPL-Interp 509–510 (2022) /
511–512: written objection within 15 days of the plan's service, the other creditors and the debtor told
and given 15 days to counter-object, the objector's 15 days to sue, the disputed amount withheld and,
once sued on, deposited). The objections desk lists every plan still in its objection period next to
the freezes, seizures, listings and reference prices; filing one routes into that procedure
(`funds.services.distribution_filing.file_party_objection`) — no 执异 case is numbered and no second
objection record is made. The disputed amount is then kept out of every payout (`funds.disputed`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from zhixing.cases.models import EnforcementCase
from zhixing.core.errors import NotPermitted
from zhixing.funds.services.distribution_filing import file_party_objection, objectable_plans

from . import access

ACT_TYPE = "distribution"


def choices(case: EnforcementCase, today: date) -> list[tuple[int, str]]:
    """(plan id, label) of the case's plans open to objection on `today`."""
    return [
        (p.pk, f"财产分配方案#{p.pk}（第{p.version}版，异议期至{p.objection_due:%Y-%m-%d}）")
        for p in objectable_plans(case.pk, today)
        if p.objection_due is not None
    ]


def claim_choices(case: EnforcementCase, today: date) -> list[tuple[int, str]]:
    """(claim id, label) of every claim in those plans: what an objection asks to change."""
    return [
        (c.pk, f"方案#{p.pk} {c.creditor_name} {c.get_kind_display()} {c.amount:,.2f}元")
        for p in objectable_plans(case.pk, today)
        for c in p.claims.all()
    ]


# rule
def file(
    actor: Any,
    case: EnforcementCase,
    *,
    plan_id: Any,
    party_id: Any,
    claim_id: Any,
    proposed_amount: Any,
    grounds: str,
    received_on: Any = None,
) -> Any:
    """Route a party's objection to a plan into the funds procedure: at the counter or by API (`actor` the
    court's filing staff) or on the party portal (`actor` None). Returns the plan's objection record;
    every refusal names its field and writes nothing (see `file_party_objection`)."""
    if actor is not None and not access.can_file(actor, case.court):
        raise NotPermitted("只有本院立案人员可以登记分配方案异议")
    return file_party_objection(
        actor,
        case,
        plan_id=plan_id,
        party_id=party_id,
        claim_id=claim_id,
        proposed_amount=proposed_amount,
        reason=grounds,
        received_on=received_on or timezone.localdate(),
    )
