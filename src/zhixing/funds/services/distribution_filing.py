"""A party's objection to a distribution plan filed through the objections desk (issue 19).

The objections package lists a plan in its objection period among the acts a party may object to
(执行行为异议); filing routes here, into the plan's own procedure (`distribution_objections`:
SPC-CPL-Interp 509–510 (2022) / 511–512 — written objection within 15 days of the plan's service, the
others told and given 15 days to counter-object, the objector's 15 days to sue, the disputed amount
deposited), never into a second, duplicate objection. The filer is the case's filing staff at the counter
or by API (`actor` staff of the court), or the party itself on the party portal (`actor` None: the portal
has proved the party).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from zhixing.cases.models import EnforcementCase, Party
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.queries import can_write_court

from ..models import DistributionObjection, DistributionPlan
from .distribution_objections import receive_objection

OPEN = (
    DistributionPlan.Status.SERVED,
    DistributionPlan.Status.OBJECTED,
    DistributionPlan.Status.COUNTERED,
    DistributionPlan.Status.SUING,
)


def objectable_plans(case_id: int, today: date) -> list[DistributionPlan]:
    """The case's served plans still within their objection period on `today`."""
    return list(
        DistributionPlan.objects.filter(case_id=case_id, status__in=OPEN, objection_due__gte=today)
        .prefetch_related("claims")
        .order_by("-pk")
    )


# rule
def file_party_objection(
    actor: Any,
    case: EnforcementCase,
    *,
    plan_id: Any,
    party_id: Any,
    claim_id: Any,
    proposed_amount: Any,
    reason: str,
    received_on: Any,
) -> DistributionObjection:
    """A party's written objection to one claim of a plan of `case`. Refused, naming the field, nothing
    written: a plan not of this case or not served (`act_id`), a party not of this case (`party_id`); the
    plan's procedure refuses the rest (a late objection `received_on`, a claim not in the plan `claim_id`,
    an amount equal to the plan's `proposed_amount`)."""
    if actor is not None and not can_write_court(actor, case.court):
        raise NotPermitted("只有本院工作人员可以登记分配方案异议")
    text = str(plan_id or "").strip()
    plan = (
        DistributionPlan.objects.filter(pk=int(text), case_id=case.pk).first()
        if text.isascii() and text.isdigit() and len(text) < 18
        else None
    )
    if plan is None or plan.status not in OPEN:
        raise ServiceError("本案没有该份已送达的财产分配方案", field="act_id")
    ptext = str(party_id or "").strip()
    party = (
        Party.objects.filter(pk=int(ptext), case_id=case.pk).first()
        if ptext.isascii() and ptext.isdigit() and len(ptext) < 18
        else None
    )
    if party is None:
        raise ServiceError("分配方案异议须由本案当事人或参与分配的债权人提出", field="party_id")
    return receive_objection(
        actor,
        plan,
        by_name=party.name,
        claim_id=claim_id,
        proposed_amount=proposed_amount,
        reason=reason,
        received_on=received_on,
        by_debtor=party.role == Party.Role.DEBTOR,
    )
