"""Demo of issue 19's notices and interested persons (run at the end of `demo.seed`).

States added on the first basic court's act objections:
* a notice not recorded past its 3 days (逾期未通知) — the third-party "overdue" objection, filed 20 days ago;
* a notice recorded by the clerk (书面通知) on every decided act objection;
* a ruling not served past its service deadline (逾期未送达) — the "rejected_unserved" act objection;
* a filing told electronically at once: a case whose parties all consented to e-service (门户消息);
* an interested person (利害关系人, not a party) objecting to a freeze at the counter, under review.
Writes go through the services; only past dates are moved, with one audited demo record each.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases.parties import Party
from zhixing.core import audit
from zhixing.core.holidays import current_calendar
from zhixing.courts.models import Staff
from zhixing.documents import eservice
from zhixing.inquiry.models import Asset

from . import acts, notices, rules
from .models import Objection
from .services import ObjectorData

INTERESTED = ("广州某物流有限公司", "91440101MA5CX12346", "被冻结账户中的款项系本公司委托被执行人代收的运费")


def _moved(obj: Objection, **fields: Any) -> None:
    """Move an objection's past dates (a demo write, audited as such)."""
    with transaction.atomic():
        Objection.objects.filter(pk=obj.pk).update(**fields)
        audit.record(
            None,
            "objections.demo",
            object_type="objections.Objection",
            object_id=obj.pk,
            case_id=obj.case_id,
            after={k: v for k, v in fields.items() if k in ("notify_due", "service_due", "served_on")},
            court=obj.court,
        )


def seed(court_code: str, clerk: Staff, judge: Staff, used: set[int]) -> int:
    """The notice states over the objections `demo.seed` made, plus two new act objections on freezes
    not in `used`; returns how many objections it filed."""
    today = timezone.localdate()
    cal = current_calendar()
    mine = Objection.objects.filter(court__code=court_code).select_related("court", "case")
    for obj in mine.order_by("pk"):
        if obj.kind == Objection.Kind.THIRD_PARTY and obj.status == Objection.Status.PENDING:
            if obj.received_on < today - timedelta(days=10):  # the "overdue" one: nobody told either
                _moved(obj, notify_due=rules.notify_due(obj.received_on, cal))
            continue
        if obj.kind != Objection.Kind.ACT or obj.notified_on is not None:
            continue
        if obj.status == Objection.Status.REJECTED and obj.served_on is None:  # 逾期未送达
            decided = today - timedelta(days=9)
            _moved(
                obj,
                decided_on=decided,
                service_due=rules.ruling_service_due(decided, notices.ruling_service_days(), cal),
                notify_due=rules.notify_due(obj.received_on, cal),
            )
            obj.refresh_from_db()
        if obj.status != Objection.Status.PENDING:
            notices.record_notice(clerk, obj, notified_on=obj.received_on, method="书面通知（当面送交）")
    frozen = [
        a
        for a in Asset.objects.filter(case__court__code=court_code, state=Asset.State.FROZEN)
        .select_related("case", "case__court")
        .order_by("pk")[:80]
        if a.pk not in used and a.party_id is not None
    ]
    taken = set(Objection.objects.values_list("case_id", flat=True))
    frozen = [a for a in frozen if a.case_id not in taken]
    made = 0
    if frozen:  # every party consented to e-service: told at once through the portal
        a = frozen.pop(0)
        for i, party in enumerate(Party.objects.filter(case_id=a.case_id).order_by("pk")):
            eservice.confirm_address(
                clerk,
                a.case,
                party.pk,
                phone=f"1390020{(a.case_id * 10 + i) % 10000:04d}",
                portal=True,
                electronic_consent=True,
            )
        acts.file_act_objection(
            clerk,
            a.case,
            act_type="freeze",
            act_id=a.pk,
            party_id=a.party_id,
            grounds="冻结的款项系被执行人的最低生活保障金",
        )
        made += 1
    if frozen:  # an interested person, not a party, at the counter
        a = frozen.pop(0)
        name, number, claim = INTERESTED
        if number not in {p.id_number or p.credit_code for p in a.case.parties.all()}:
            acts.file_act_objection(
                clerk,
                a.case,
                act_type="freeze",
                act_id=a.pk,
                grounds="冻结本公司代收款项，损害本公司合法权益",
                received_on=today - timedelta(days=1),
                interested=ObjectorData(name, number, claim, "", "13800000001"),
            )
            made += 1
    return made
