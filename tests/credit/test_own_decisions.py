"""Issue 14 item 6 where the president's signature is switched off (ADR 0015; `president_approval`).

The judge's own 纳入失信决定书 and 限制消费令 are still signed decisions (a `Proposal` he proposes and signs
in one transaction, his 职务 on the document), so their service on the debtor is recorded and every
period that runs from service is counted from it: the 限制消费令 binds from service, not from the
decision.
Frozen time: the credit conftest freezes 2026-03-10 (a Tuesday).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from zhixing.core.errors import ServiceError
from zhixing.core.models import AuditRecord, Notification
from zhixing.credit import queries
from zhixing.credit.models import Listing, Proposal, Restriction
from zhixing.credit.rules import CODE_BITS
from zhixing.credit.services import approval, own_decisions, scan_credit

from .conftest import ADULT_ID, debtor, listing_data

SH = ZoneInfo("Asia/Shanghai")
RAIL = CODE_BITS["soft_sleeper"] | CODE_BITS["hsr"]
OFF = {"president_approval": {"listing": False, "consumption": False}}


def mask() -> int:
    queries.reset_index()
    return queries.current_index().mask_of(ADULT_ID)


@pytest.fixture
def no_president(settings: Any) -> None:
    settings.ZHIXING_CREDIT_DECISIONS = OFF


def test_the_judges_own_order_binds_from_service_by_publication(case: Any, people: dict) -> None:
    judge = people["judge"]
    n = AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    p = own_decisions.decide_consumption(judge, case, debtor(case), items=[1, 9], bound_persons=[])
    assert (p.status, p.kind, p.proposed_by, p.approver, p.signer_title, p.decided_on) == (
        "approved",
        "consumption",
        judge,
        judge,
        "执行法官",
        date(2026, 3, 10),
    )
    assert p.signer == f"执行法官 {judge.full_name}"
    # One audit record for the row and its signature; nobody is asked to approve or told.
    assert list(AuditRecord.objects.filter(pk__gt=n).values_list("action", flat=True)) == [
        "credit.restrict_consumption",
        "credit.sign_own",
    ]
    rec = AuditRecord.objects.get(pk__gt=n, action="credit.sign_own")
    assert (rec.after["signer_title"], rec.after["decision"]) == ("执行法官", "consumption")
    assert not Notification.objects.filter(kind__startswith="credit.proposal").exists()
    r = Restriction.objects.get()
    assert (r.proposal, r.awaiting_service, r.registered) == (p, True, False) and mask() == 0
    # Served by publication on 10 March → deemed served 9 April (CPL-2021 Art 95): binds from then.
    p = approval.record_service(judge, p, method="publication", on=date(2026, 3, 10))
    r.refresh_from_db()
    assert (p.served_on, r.effective_on, r.awaiting_service, r.registered) == (
        date(2026, 4, 9),
        date(2026, 4, 9),
        False,
        False,
    )
    with time_machine.travel(datetime(2026, 4, 8, 23, tzinfo=SH), tick=False):
        scan_credit()
        assert mask() == 0  # the day before: free
    with time_machine.travel(datetime(2026, 4, 9, 1, tzinfo=SH), tick=False):
        scan_credit()
        assert mask() & RAIL == RAIL


def test_the_judges_own_listing_with_a_grace_counts_it_from_service(case: Any, people: dict) -> None:
    p = own_decisions.decide_listing(people["judge"], case, debtor(case), listing_data(grace_months=1))
    x = Listing.objects.get()
    assert (p.listing, p.document_number, x.decided_on) == (x, x.document_number, date(2026, 3, 10))
    assert (x.publish_on, x.registered) == (date(2026, 4, 10), False)  # provisional, from the decision
    with time_machine.travel(datetime(2026, 3, 16, 9, tzinfo=SH), tick=False):
        approval.record_service(people["judge"], p, method="post", on=date(2026, 3, 16))
    x.refresh_from_db()
    r = Restriction.objects.get()
    assert (x.publish_on, r.effective_on, r.proposal) == (date(2026, 4, 16), date(2026, 4, 16), p)


def test_refusals_write_nothing(case: Any, people: dict) -> None:
    n = AuditRecord.objects.count()
    with pytest.raises(ServiceError) as err:
        own_decisions.decide_consumption(people["judge"], case, debtor(case), items=[], bound_persons=[])
    assert err.value.field == "items"
    with pytest.raises(ServiceError):
        own_decisions.decide_listing(people["judge"], case, debtor(case), listing_data(ground=9))
    assert not Proposal.objects.exists() and not Restriction.objects.exists() and not Listing.objects.exists()
    assert AuditRecord.objects.count() == n


def test_pages_issue_signed_by_the_judge_then_record_service(
    client: Client, case: Any, people: dict, no_president: None
) -> None:
    judge = people["judge"]
    client.force_login(judge)
    page = client.get(f"/cases/{case.pk}/credit/").content.decode()
    assert "作出纳入决定" in page and "提请院长审批" not in page
    party = debtor(case)
    r = client.post(
        f"/cases/{case.pk}/credit/consumption/",
        {"party": party.pk, "items": ["1", "9"], "initiation": "application"},
        follow=True,
    )
    assert "自送达之日起生效；请送达被执行人并登记送达" in r.content.decode()
    p = Proposal.objects.get()
    assert (p.status, p.approver, p.signer_title) == ("approved", judge, "执行法官")
    page = client.get(f"/cases/{case.pk}/credit/").content.decode()
    assert f"签发人：执行法官 {judge.full_name}" in page and 'data-testid="service-form"' in page
    order = client.get(f"/credit/consumption-orders/{p.pk}/").content.decode()
    assert f"签发人：执行法官 {judge.full_name}" in order and "尚未送达" in order
    client.post(
        f"/cases/{case.pk}/credit/served/",
        {"proposal": p.pk, "method": "personal", "served_on": "2026-03-10"},
    )
    p.refresh_from_db()
    assert (p.service_method, p.served_on) == ("personal", date(2026, 3, 10))
    assert Restriction.objects.get().registered and mask() & RAIL == RAIL


def test_api_listing_without_the_president_is_signed_and_awaits_service(
    client: Client, case: Any, people: dict, no_president: None
) -> None:
    client.force_login(people["judge"])
    r = client.post(
        f"/api/v1/credit/cases/{case.pk}/listings",
        {"party_id": debtor(case).pk, "ground": 4, "dishonest_act": "拒不报告财产"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    x = Listing.objects.get()
    p = Proposal.objects.get()
    assert (r.json()["id"], p.listing, p.signer_title, p.served_on) == (x.pk, x, "执行法官", None)
    decision = client.get(f"/credit/decisions/{x.pk}/").content.decode()
    assert f"签发人：执行法官 {people['judge'].full_name}" in decision
    r = client.post(
        f"/api/v1/credit/approvals/{p.pk}/served",
        {"method": "electronic", "on": "2026-03-10"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert Restriction.objects.get().awaiting_service is False
