"""Credit decisions the judge signs himself, where the configuration needs no president (ADR 0015).

`ZHIXING_CREDIT_DECISIONS["president_approval"]` may switch the president's signature off for the 纳入失信
决定书 or the 限制消费令 (the defaults follow 善意文明执行意见 and 限制消费规定 Art 5: on). The judge's own
decision is then still a signed `Proposal` — proposed and signed by him in one transaction, with his
职务 on the document — so its service on the debtor is recorded the same way (`approval.record_service`)
and every period that runs from service is counted from it: the 限制消费令 binds from service (after
any grace counted from service) and a listing with a grace is published when the grace, counted from
service, has run out. Same refusals as a proposal; nothing is written when one is raised.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from zhixing.cases.models import EnforcementCase, Party

from ..models import Proposal
from . import approval
from .listing import ListingData
from .restrictions import BoundPerson

JUDGE_TITLE = "执行法官"


def _title(actor: Any) -> str:
    display = getattr(actor, "get_role_display", None)
    return str(display()) if callable(display) and display() else JUDGE_TITLE


def decide_listing(actor: Any, case: EnforcementCase, party: Party, data: ListingData) -> Proposal:
    """The judge's own 纳入失信决定书: the listing is made now and signed by him; service to follow."""
    with transaction.atomic():
        p = approval.propose_listing(actor, case, party, data, own=True)
        return approval.issue_signed(actor, p, _title(actor), "credit.sign_own")


def decide_consumption(
    actor: Any,
    case: EnforcementCase,
    party: Party,
    *,
    items: list[int],
    bound_persons: list[BoundPerson],
    grace_months: int = 0,
    initiation: str = "ex_officio",
) -> Proposal:
    """The judge's own 限制消费令: issued now, signed by him, binding from its service."""
    with transaction.atomic():
        p = approval.propose_consumption(
            actor,
            case,
            party,
            items=items,
            bound_persons=bound_persons,
            grace_months=grace_months,
            initiation=initiation,
            own=True,
        )
        return approval.issue_signed(actor, p, _title(actor), "credit.sign_own")
