"""A targeted query (定向查询): one partner category, one debtor, the identifiers of a concrete lead.

An analysis lead (a car with its plate, an employer, a securities account...) is checked against the
one register that covers it instead of a full round. The request is an ordinary `InquiryRequest` row
(persisted, retryable, sent over the signed protocol by the same dispatcher; DESIGN invariant 6), with
the lead's identifier in `target_ref`; its answer lands in the asset register like any query's and
`signals.queries_settled` tells the domains above that it is settled.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases.models import EnforcementCase, Party
from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError

from .. import access, queries_targeted
from ..models import Action, InquiryRequest
from .requests import case_problem, debtor_problem, kick, new_key

REFUSED = "只有本院承办人员或指挥中心可以发起定向查询；上级法院只能查看"


def targeted_query(
    actor: Any,
    case: EnforcementCase,
    party: Party,
    category_code: str,
    *,
    target_ref: str = "",
    reason: str = "",
) -> InquiryRequest:
    """File one query of `party` at the partner covering `category_code` (dispatched after commit)."""
    if not access.can_request(actor, case.court):
        raise NotPermitted(REFUSED)
    if party.case_id != case.pk or party.role != Party.Role.DEBTOR:
        raise ServiceError("只能查询本案的被执行人", field="party")
    if problem := case_problem(case, query=True):
        raise Conflict(problem)
    if problem := debtor_problem(party):
        raise ServiceError(problem, field="debtor")
    partner = queries_targeted.query_partner(category_code)
    if partner is None:
        raise ServiceError(f"没有可查询“{category_code}”类财产的联动单位", field="category")
    target_ref = (target_ref or "").strip()
    if len(target_ref) > 64:
        raise ServiceError("定向查询标识不能超过64个字符", field="target_ref")
    key = new_key()
    with transaction.atomic():
        req = InquiryRequest.objects.create(
            case=case,
            court_id=case.court_id,
            party=party,
            partner=partner,
            action=Action.QUERY,
            reason=(reason or "定向查询")[:200],
            target_ref=target_ref,
            status=InquiryRequest.Status.PENDING,
            idempotency_key=key,
            notice_number=f"{case.number}查{key[:8]}",
            due_at=timezone.now(),
            requested_by=actor,
        )
        audit.record(
            actor,
            "inquiry.targeted",
            object_type="InquiryRequest",
            object_id=req.pk,
            case_id=case.pk,
            after={
                "debtor": party.pk,
                "partner": partner.code,
                "category": category_code,
                "target": target_ref,
                "reason": req.reason,
            },
        )
        kick()
    return req
