"""Issue 14 item 6: the 失信决定书 and 限制消费令 signed by the court president, served on the debtor, with
every period that runs from service counted from it; pages, API and the permission matrix."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client, override_settings

from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.models import AuditRecord, Notification
from zhixing.core.workdays import WorkCalendar
from zhixing.credit import queries, rules
from zhixing.credit.models import Listing, Proposal, Restriction
from zhixing.credit.rules import CODE_BITS
from zhixing.credit.services import approval

from .conftest import ADULT_ID, debtor, listing_data

SH = ZoneInfo("Asia/Shanghai")
RAIL = CODE_BITS["soft_sleeper"] | CODE_BITS["hsr"]


def mask() -> int:
    queries.reset_index()
    return queries.current_index().mask_of(ADULT_ID)


def proposed(people: dict[str, Any], case: Any, **kw: Any) -> Proposal:
    return approval.propose_listing(people["judge"], case, debtor(case), listing_data(**kw))


# -- rules: pure functions, at the edges -------------------------------------------------------------
CAL = WorkCalendar()


@pytest.mark.parametrize(
    ("method", "on", "served"),
    [
        ("personal", date(2026, 9, 25), date(2026, 9, 25)),
        ("post", date(2026, 9, 25), date(2026, 9, 25)),
        ("electronic", date(2026, 9, 25), date(2026, 9, 25)),
        ("publication", date(2026, 1, 31), date(2026, 3, 2)),  # CPL Art 95: 30 days after publication
        ("publication", date(2026, 8, 26), date(2026, 9, 25)),
    ],
)
def test_deemed_service(method: str, on: date, served: date) -> None:
    assert rules.deemed_served_on(method, on) == served


def test_unknown_service_method_is_refused() -> None:
    with pytest.raises(ValueError, match="送达方式无效"):
        rules.deemed_served_on("pigeon", date(2026, 3, 10))


@pytest.mark.parametrize(
    ("served", "due"),
    [
        (date(2026, 9, 20), date(2026, 9, 30)),  # the 10th day is a working day
        (date(2026, 9, 21), date(2026, 10, 8)),  # 10th day 1 October: runs past the National Day holiday
        (date(2026, 9, 25), date(2026, 10, 8)),  # 10th day 5 October (holiday)
        (date(2026, 2, 5), date(2026, 2, 24)),  # 10th day 15 February: Spring Festival to 23 February
    ],
)
def test_exit_reconsideration_runs_from_service_past_holidays(served: date, due: date) -> None:
    p = rules.service_periods("exit", "personal", served, 0, served, CAL)
    assert (p.served_on, p.reconsideration_due, p.effective_on, p.publish_on) == (served, due, None, None)


def test_exit_reconsideration_from_service_by_publication() -> None:
    p = rules.service_periods("exit", "publication", date(2026, 8, 26), 0, date(2026, 8, 20), CAL)
    assert (p.served_on, p.reconsideration_due) == (date(2026, 9, 25), date(2026, 10, 8))


@pytest.mark.parametrize(
    ("served", "grace", "effective"),
    [
        (date(2026, 3, 12), 0, date(2026, 3, 12)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # month end
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
    ],
)
def test_consumption_binds_from_service_after_grace(served: date, grace: int, effective: date) -> None:
    p = rules.service_periods("consumption", "personal", served, grace, date(2026, 1, 1), CAL)
    assert (p.effective_on, p.publish_on, p.reconsideration_due) == (effective, None, None)


def test_listing_publication_counts_grace_from_service() -> None:
    decided = date(2026, 3, 10)
    assert rules.listing_publish_on(decided, None, 0) == decided  # Art 5(3): effective the day made
    assert rules.listing_publish_on(decided, date(2026, 3, 20), 0) == decided
    assert rules.listing_publish_on(decided, None, 2) == date(2026, 5, 10)  # provisional
    assert rules.listing_publish_on(decided, date(2026, 3, 20), 2) == date(2026, 5, 20)


def test_approval_defaults_and_configuration() -> None:
    assert rules.PRESIDENT_APPROVAL_DEFAULT == {"listing": True, "consumption": True}
    assert approval.approval_required("listing") and approval.approval_required("consumption")
    assert not approval.approval_required("exit")
    conf = {"president_approval": {"listing": False, "exit": True}}
    with override_settings(ZHIXING_CREDIT_DECISIONS=conf):
        assert not approval.approval_required("listing") and approval.approval_required("consumption")
        assert not approval.approval_required("exit")  # the judge's decision (rules.md §3.5)


# -- the flow: propose, approve, serve --------------------------------------------------------------
def test_proposal_lists_nothing_until_the_president_signs(case: Any, people: dict) -> None:
    p = proposed(people, case, grace_months=0)
    assert (p.status, p.kind, p.proposed_by, p.court_id) == (
        "pending",
        "listing",
        people["judge"],
        case.court_id,
    )
    assert not Listing.objects.exists() and not Restriction.objects.exists() and mask() == 0
    assert p.summary == (
        "纳入失信名单：第4项 违反财产报告制度；具体行为：拒不报告财产；期限：2年；宽限期：不设；同时限制消费"
    )
    # The president is told, with a link to the approval page.
    n = Notification.objects.get(recipient_id=people["president"].pk)
    assert (n.kind, n.url) == ("credit.proposal", f"/credit/approvals/{p.pk}/")

    p = approval.approve(people["president"], p)
    x = Listing.objects.get()
    assert (p.status, p.listing, p.document_number) == ("approved", x, x.document_number)
    assert (p.approver, p.approver_name, p.decided_on) == (
        people["president"],
        people["president"].full_name,
        date(2026, 3, 10),
    )
    assert (x.decided_on, x.publish_on, x.registered, x.created_by) == (
        date(2026, 3, 10),
        date(2026, 3, 10),
        True,
        people["judge"],
    )
    # The listing is in screening at once; the 限制消费令 waits for service.
    assert mask() == CODE_BITS["blacklist"]
    r = Restriction.objects.get()
    assert (r.kind, r.proposal, r.awaiting_service, r.registered) == ("consumption", p, True, False)

    with time_machine.travel(datetime(2026, 3, 12, 9, tzinfo=SH), tick=False):
        p = approval.record_service(people["judge"], p, method="personal", on=date(2026, 3, 12))
        assert (p.service_method, p.service_act_on, p.served_on) == (
            "personal",
            date(2026, 3, 12),
            date(2026, 3, 12),
        )
        r.refresh_from_db()
        assert (r.effective_on, r.awaiting_service, r.registered) == (date(2026, 3, 12), False, True)
        assert mask() & RAIL == RAIL and mask() & CODE_BITS["exit"] == 0
    codes = list(AuditRecord.objects.filter(action__startswith="credit.").values_list("action", flat=True))
    assert codes[:1] == ["credit.propose"] and "credit.approve" in codes and codes[-1] == "credit.served"


def test_served_by_publication_binds_thirty_days_later(case: Any, people: dict) -> None:
    p = approval.propose_consumption(
        people["judge"], case, debtor(case), items=[1, 9], bound_persons=[], grace_months=0
    )
    assert p.summary == "限制消费令（依职权）：第1、9项；宽限期：不设"
    p = approval.approve(people["president"], p)
    assert p.document_number == case.number
    p = approval.record_service(people["judge"], p, method="publication", on=date(2026, 3, 10))
    assert p.served_on == date(2026, 4, 9)
    r = Restriction.objects.get()
    assert (r.effective_on, r.registered, r.awaiting_service) == (date(2026, 4, 9), False, False)
    assert mask() == 0
    from zhixing.credit.services import scan_credit

    with time_machine.travel(datetime(2026, 4, 9, 1, tzinfo=SH), tick=False):
        scan_credit()
        assert mask() & RAIL == RAIL


def test_grace_counts_from_service_for_publication(case: Any, people: dict) -> None:
    p = approval.approve(people["president"], proposed(people, case, grace_months=1))
    x = Listing.objects.get()
    assert (x.publish_on, x.registered) == (date(2026, 4, 10), False)  # provisional, from the decision
    with time_machine.travel(datetime(2026, 3, 16, 9, tzinfo=SH), tick=False):
        approval.record_service(people["judge"], p, method="post", on=date(2026, 3, 16))
    x.refresh_from_db()
    r = Restriction.objects.get()
    assert (x.publish_on, r.effective_on) == (date(2026, 4, 16), date(2026, 4, 16))
    assert mask() == 0


def test_rejection_issues_nothing(case: Any, people: dict) -> None:
    p = proposed(people, case)
    with pytest.raises(ServiceError, match="请填写不予批准的理由"):
        approval.reject(people["president"], p, reason=" ")
    p = approval.reject(people["president"], p, reason="证据不足")
    assert (p.status, p.reject_reason) == ("rejected", "证据不足")
    assert not Listing.objects.exists() and mask() == 0
    with pytest.raises(Conflict, match="该决定已不予批准"):
        approval.approve(people["president"], p)
    with pytest.raises(Conflict, match="尚未经院长签发"):
        approval.record_service(people["judge"], p, method="personal", on=date(2026, 3, 10))


def test_proposal_refusals_are_raised_when_proposing(case: Any, people: dict) -> None:
    with pytest.raises(ServiceError, match="请选择失信情形"):
        approval.propose_listing(people["judge"], case, debtor(case), listing_data(ground=None))
    proposed(people, case)
    with pytest.raises(Conflict, match="已有待院长审批的同类决定"):
        proposed(people, case)
    with pytest.raises(ServiceError, match="请选择限制消费事项"):
        approval.propose_consumption(people["judge"], case, debtor(case), items=[], bound_persons=[])
    assert Proposal.objects.count() == 1


@pytest.mark.parametrize("who", ["judge", "director", "clerk", "gd_president", "yx_director"])
def test_only_the_president_of_the_court_signs(case: Any, people: dict, who: str) -> None:
    p = proposed(people, case)
    with pytest.raises(NotPermitted):
        approval.approve(people[who], p)
    with pytest.raises(NotPermitted):
        approval.reject(people[who], p, reason="x")
    assert Proposal.objects.get().status == "pending" and not Listing.objects.exists()


def test_only_a_deciding_judge_proposes_and_records_service(case: Any, people: dict) -> None:
    for who in ("president", "clerk", "yx_judge"):
        with pytest.raises(NotPermitted):
            approval.propose_listing(people[who], case, debtor(case), listing_data())
    p = approval.approve(people["president"], proposed(people, case))
    for who in ("president", "clerk", "yx_judge"):
        with pytest.raises(NotPermitted):
            approval.record_service(people[who], p, method="personal", on=date(2026, 3, 10))


def test_service_date_checks(case: Any, people: dict) -> None:
    p = approval.approve(people["president"], proposed(people, case))
    with pytest.raises(ServiceError, match="请选择送达方式"):
        approval.record_service(people["judge"], p, method="", on=date(2026, 3, 10))
    with pytest.raises(ServiceError, match="送达日期不能晚于今天"):
        approval.record_service(people["judge"], p, method="personal", on=date(2026, 3, 11))
    with pytest.raises(ServiceError, match="不能早于签发日期"):
        approval.record_service(people["judge"], p, method="personal", on=date(2026, 3, 9))
    approval.record_service(people["judge"], p, method="residence", on=date(2026, 3, 10))
    with pytest.raises(Conflict, match="已登记送达"):
        approval.record_service(people["judge"], p, method="personal", on=date(2026, 3, 10))


# -- documents -----------------------------------------------------------------------------------------
def test_documents_carry_the_signer_and_service(
    client: Client, case: Any, people: dict, stored_word: Any
) -> None:
    p = approval.approve(
        people["president"],
        approval.propose_consumption(people["judge"], case, debtor(case), items=[1, 2], bound_persons=[]),
    )
    approval.record_service(people["judge"], p, method="personal", on=date(2026, 3, 10))
    client.force_login(people["judge"])
    html = client.get(f"/credit/consumption-orders/{p.pk}/").content.decode()
    assert "限 制 消 费 令" in html and f"签发人：院长 {people['president'].full_name}" in html
    assert "直接送达，2026年03月10日（2026年03月10日视为送达）" in html
    assert 'data-testid="stored-none"' in html  # no Word file until one is made and stored
    text = stored_word(client, case.pk, "consumption_order", str(p.pk))
    assert f"签发人：院长 {people['president'].full_name}" in text and "{{" not in text
    assert "（1）乘坐交通工具时" in text and "自本令送达之日起生效" in text


# -- pages: the president's list and approval, the judge's service form ----------------------------------
PAGE_ROLES = ["president", "judge", "director", "clerk", "gd_president", "yx_director", None]


@pytest.mark.parametrize("who", PAGE_ROLES)
def test_proposals_page_matrix(client: Client, case: Any, people: dict, who: str | None) -> None:
    p = proposed(people, case)
    if who:
        client.force_login(people[who])
    r = client.get("/credit/approvals/")
    if who is None:
        assert r.status_code == 302 and "/login/" in r["Location"]
    elif who in ("president", "gd_president"):  # each president sees his own court's proposals only
        assert r.status_code == 200
        assert (f'href="/credit/approvals/{p.pk}/"' in r.content.decode()) == (who == "president")
    else:
        assert r.status_code == 403


@pytest.mark.parametrize("who", PAGE_ROLES)
def test_proposal_page_and_approve_matrix(client: Client, case: Any, people: dict, who: str | None) -> None:
    p = proposed(people, case)
    if who:
        client.force_login(people[who])
    page = client.get(f"/credit/approvals/{p.pk}/")
    post = client.post(f"/credit/approvals/{p.pk}/approve/")
    p.refresh_from_db()
    if who is None:
        assert (page.status_code, post.status_code) == (302, 302) and "/login/" in post["Location"]
    elif who == "yx_director":  # another court: nothing to see
        assert (page.status_code, post.status_code) == (404, 404)
    elif who == "president":
        assert page.status_code == 200 and 'data-testid="approve-form"' in page.content.decode()
        assert post.status_code == 302 and p.status == "approved"
    else:  # reads the case, may not sign
        assert page.status_code == 200 and 'data-testid="approve-form"' not in page.content.decode()
        assert post.status_code == 403
    assert (p.status == "approved") == (who == "president")


@pytest.mark.parametrize("who", ["judge", "president", "clerk", "yx_judge", None])
def test_service_action_matrix(client: Client, case: Any, people: dict, who: str | None) -> None:
    p = approval.approve(people["president"], proposed(people, case))
    if who:
        client.force_login(people[who])
    r = client.post(
        f"/cases/{case.pk}/credit/served/",
        {"proposal": p.pk, "method": "personal", "served_on": "2026-03-10"},
    )
    p.refresh_from_db()
    expected = {"judge": 302, "president": 403, "clerk": 403, "yx_judge": 404, None: 302}[who]
    assert r.status_code == expected and (p.served_on is not None) == (who == "judge")


def test_documents_matrix(client: Client, case: Any, people: dict) -> None:
    p = approval.approve(
        people["president"],
        approval.propose_consumption(people["judge"], case, debtor(case), items=[1], bound_persons=[]),
    )
    assert client.get(f"/credit/consumption-orders/{p.pk}/").status_code == 302
    client.force_login(people["yx_judge"])
    assert client.get(f"/credit/consumption-orders/{p.pk}/").status_code == 404
    client.force_login(people["clerk"])
    assert client.get(f"/credit/consumption-orders/{p.pk}/").status_code == 200


def test_worklist_item_for_the_president(case: Any, people: dict) -> None:
    from zhixing.credit import worklist

    proposed(people, case)
    items = {i.key: (i.count, i.url) for i in worklist.approvals(people["president"])}
    assert items == {"approvals": (1, "/credit/approvals/")}
    assert (
        worklist.approvals(people["judge"]) == [] and worklist.approvals(people["gd_president"])[0].count == 0
    )


# -- API ------------------------------------------------------------------------------------------------
def _post(client: Client, url: str, body: dict | None = None) -> Any:
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def test_api_flow(client: Client, case: Any, people: dict) -> None:
    client.force_login(people["judge"])
    r = _post(
        client,
        f"/api/v1/credit/cases/{case.pk}/approvals/consumption",
        {"party_id": debtor(case).pk, "items": [1, 9]},
    )
    assert r.status_code == 201, r.content
    pid = r.json()["id"]
    assert (r.json()["status"], r.json()["kind"]) == ("pending", "consumption")
    client.force_login(people["president"])
    assert [x["id"] for x in client.get("/api/v1/credit/approvals").json()] == [pid]
    r = _post(client, f"/api/v1/credit/approvals/{pid}/approve")
    assert r.status_code == 200 and r.json()["approver_name"] == people["president"].full_name
    client.force_login(people["judge"])
    r = _post(client, f"/api/v1/credit/approvals/{pid}/served", {"method": "electronic", "on": "2026-03-10"})
    assert r.status_code == 200 and r.json()["served_on"] == "2026-03-10"
    assert mask() & RAIL == RAIL


@pytest.mark.parametrize(
    ("who", "propose", "listing", "approve", "serve"),
    [
        ("judge", 201, 200, 403, 409),
        ("director", 201, 200, 403, 409),
        ("president", 403, 200, 200, 403),
        ("clerk", 403, 200, 403, 403),
        ("gd_president", 403, 200, 403, 403),
        ("yx_judge", 404, 404, 404, 404),
    ],
)
def test_api_matrix(
    client: Client, case: Any, people: dict, who: str, propose: int, listing: int, approve: int, serve: int
) -> None:
    p = proposed(people, case)
    Proposal.objects.filter(pk=p.pk).update(status="pending")
    client.force_login(people[who])
    body = {"party_id": debtor(case).pk, "items": [1]}
    assert _post(client, f"/api/v1/credit/cases/{case.pk}/approvals/consumption", body).status_code == propose
    assert client.get(f"/api/v1/credit/approvals/{p.pk}").status_code == listing
    assert _post(client, f"/api/v1/credit/approvals/{p.pk}/approve").status_code == approve
    served = _post(
        client, f"/api/v1/credit/approvals/{p.pk}/served", {"method": "personal", "on": "2026-03-10"}
    )
    assert served.status_code == serve
    mine = client.get("/api/v1/credit/approvals")
    assert mine.status_code == (200 if who.endswith("president") else 403)
    if who == "gd_president":
        assert mine.json() == []  # the higher court's president signs his own court's decisions only


def test_api_anonymous(client: Client, case: Any, people: dict) -> None:
    p = proposed(people, case)
    assert client.get("/api/v1/credit/approvals").status_code == 401
    assert _post(client, f"/api/v1/credit/approvals/{p.pk}/approve").status_code == 401
    assert client.get(f"/api/v1/credit/approvals/{p.pk}").status_code == 401


# -- demo data ---------------------------------------------------------------------------------------------
def test_demo_decisions(people: dict, courts: dict) -> None:
    from tests import factories
    from zhixing.cases import services as case_services
    from zhixing.credit import demo_decisions
    from zhixing.credit.models import BorderNotice

    from .conftest import debtor_case

    judge = factories.staff(courts["th"], "judge", username="th_judge1")
    for seq in range(4):
        c = debtor_case(
            people["clerk"],
            name=f"演示{seq}",
            id_number=factories.make_id(date(1980, 1, 2 + seq), seq=300 + seq),
            served=False,  # the demo serves the enforcement notice itself before its decisions
        )
        case_services.assign_case(people["director"], c, judge)
    assert demo_decisions.seed() == 4
    assert sorted(Proposal.objects.values_list("kind", "status")) == [
        ("consumption", "approved"),
        ("listing", "approved"),
        ("listing", "pending"),
    ]
    served = Proposal.objects.get(kind="listing", status="approved")
    assert (served.service_method, served.served_on, served.approver_name) == (
        "personal",
        date(2026, 3, 10),
        people["president"].full_name,
    )
    [n] = BorderNotice.objects.all()
    assert (n.status, n.action, n.partner.code, n.partner.kind) == ("done", "control", "BORDER-GD", "border")
    assert n.restriction.served_on == date(2026, 3, 10)
    assert demo_decisions.seed() == 0  # a second run adds nothing


def test_exit_decision_served_by_publication_counts_its_reconsideration_from_the_deemed_day(
    case: Any, people: dict
) -> None:
    from zhixing.credit import services

    [r] = services.restrict_exit(
        people["judge"], case, debtor(case), initiation="application", bound_persons=[]
    )
    with pytest.raises(ServiceError, match="请选择送达方式"):
        services.record_exit_service(people["judge"], r, served_on=date(2026, 3, 10), method="fax")
    r = services.record_exit_service(people["judge"], r, served_on=date(2026, 3, 10), method="publication")
    # Published 10 March → deemed served 9 April → 10 days → 19 April, a Sunday → Monday 20 April.
    assert (r.service_method, r.served_on, r.reconsideration_due) == (
        "publication",
        date(2026, 4, 9),
        date(2026, 4, 20),
    )
