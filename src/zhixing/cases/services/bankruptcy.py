"""Transfer to bankruptcy review (执转破): the president's decision, with written consent recorded, suspends
every unpaid case of the company in this court (ground `bankruptcy`: the consequence table's
SUSPENDED_BANKRUPTCY row applies in the same transaction through the suspension signal)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.courts.roles import Cap

from ..models import BankruptcyTransfer
from ..queries_bankruptcy import candidate
from ..rules_bankruptcy import check_consent
from .lifecycle import suspend_case


# rule
def transfer_to_bankruptcy(
    actor: Any, *, debtor_key: str, consent_by: str, consent_ref: str, decision_ref: str, receiving_court: str
) -> BankruptcyTransfer:
    """Transfer the company `debtor_key`'s unpaid cases of the actor's court to bankruptcy review."""
    if not actor.can(Cap.BANKRUPTCY_TRANSFER) or actor.court_id is None:
        raise NotPermitted("移送破产审查决定由院长签发（执转破指导意见第五条）")
    problem = check_consent(consent_by, consent_ref)
    if problem:
        raise ServiceError(problem, field="consent_by" if "当事人" in problem else "consent_ref")
    decision_ref, receiving_court = (decision_ref or "").strip(), (receiving_court or "").strip()
    if not decision_ref:
        raise ServiceError("请填写移送破产审查决定书文号", field="decision_ref")
    if not receiving_court:
        raise ServiceError("请填写受移送的法院（被执行人住所地法院）", field="receiving_court")
    c = candidate(actor, (debtor_key or "").strip())
    if c is None or c.result is None:
        raise ServiceError("该被执行人不在本院未执结案件中", field="debtor_key")
    if not c.result.eligible:
        raise Conflict("不符合移送破产审查条件：" + "；".join(c.result.reasons))
    own = [case for case in c.cases if case.court_id == actor.court_id]
    if not own:
        # A higher court reads its subordinates' cases but the transfer is the enforcement court's own.
        raise NotPermitted("只能移送本院的执行案件；上级法院只能查看")
    today = timezone.localdate()
    with transaction.atomic():
        for case in own:
            suspend_case(
                actor,
                case,
                ground="bankruptcy",
                start=today,
                document_ref=decision_ref[:128],
                cap=Cap.BANKRUPTCY_TRANSFER,
            )
        t = BankruptcyTransfer.objects.create(
            court_id=actor.court_id,
            debtor_key=c.key,
            debtor_name=c.name[:200],
            consent_by=consent_by,
            consent_ref=consent_ref.strip()[:200],
            decision_ref=decision_ref[:128],
            receiving_court=receiving_court[:128],
            case_ids=[case.pk for case in own],
            unpaid=c.unpaid,
            known_assets=c.known_assets,
            evidence=c.result.reasons,
            decided_on=today,
            decided_by=actor,
        )
        audit.record(
            actor,
            "case.bankruptcy.transfer",
            object_type="BankruptcyTransfer",
            object_id=t.pk,
            after={
                "debtor": c.name,
                "consent": consent_by,
                "document": decision_ref,
                "cases": t.case_ids,
                "amount": c.unpaid,
            },
            court=actor.court,
        )
    return t
