"""Nodes close themselves (issue 11 item 7): inquiry filed, freeze/seizure confirmed; the asset row shows
the control order in flight and offers no control until it is answered (page and API)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.inquiry.conftest import open_case
from tests.inquiry.test_controls import account, answer, house
from zhixing.cases import services as case_services
from zhixing.cases.models import CaseStatus, EnforcementCase, Node, NodeType
from zhixing.core.models import AuditRecord
from zhixing.inquiry import services
from zhixing.inquiry.models import InquiryBatch, InquiryRequest

pytestmark = pytest.mark.django_db
S = InquiryRequest.Status


def node(case: EnforcementCase, code: str) -> Node:
    return Node.objects.get(case=case, node_type__code=code)


def add(people: dict[str, Any], case: EnforcementCase, code: str) -> Node:
    return case_services.add_node(people["judge"], case, NodeType.objects.get(code=code))


def event_audits(case: EnforcementCase) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(case_id=case.pk, action="node.complete_by_event").order_by("id"))


# -- inquiry filed ------------------------------------------------------------------------------------


def test_one_click_inquiry_completes_the_network_inquiry_node_with_its_link(
    people: dict[str, Any], case: EnforcementCase
) -> None:
    assert node(case, "network_inquiry").status == Node.Status.PENDING
    batch = services.start_inquiry(people["judge"], case, ["deposit"])
    n = node(case, "network_inquiry")
    assert n.status == Node.Status.DONE
    assert n.completed_by == people["judge"]
    assert n.event == "inquiry.filed"
    assert n.link_url == f"/inquiry/cases/{case.pk}/?batch={batch.pk}#requests"
    assert n.link_label == f"查控批次#{batch.pk}（1项请求）"
    assert n.document_ref == n.link_label
    [rec] = event_audits(case)
    assert rec.after["node"] == "network_inquiry"
    assert rec.after["link"] == n.link_url
    # The case's next due date moved past the completed node.
    case.refresh_from_db()
    pending = Node.objects.filter(case=case, status=Node.Status.PENDING).order_by("due_on").first()
    assert case.next_due_on == pending.due_on


def test_a_second_inquiry_is_a_no_op_for_the_node(people: dict[str, Any], case: EnforcementCase) -> None:
    first = services.start_inquiry(people["judge"], case, ["deposit"])
    done = node(case, "network_inquiry")
    services.start_inquiry(people["judge"], case, ["deposit"])
    again = node(case, "network_inquiry")
    assert (again.link_label, again.completed_on) == (f"查控批次#{first.pk}（1项请求）", done.completed_on)
    assert len(event_audits(case)) == 1


def test_a_node_completed_by_hand_stays_as_it_was(people: dict[str, Any], case: EnforcementCase) -> None:
    case_services.complete_node(people["judge"], node(case, "network_inquiry"), document_ref="线下查控记录")
    services.start_inquiry(people["judge"], case, ["deposit"])
    n = node(case, "network_inquiry")
    assert (n.document_ref, n.event, n.link_url) == ("线下查控记录", "", "")
    assert event_audits(case) == []


def test_centralised_inquiry_completes_each_accepted_case(people: dict[str, Any], quiet: None) -> None:
    a, b = open_case(people), open_case(people)
    case_services.complete_node(people["judge"], node(b, "network_inquiry"), document_ref="手工")
    result = services.centralised_inquiry(people["judge"], [a, b], ["deposit"])
    assert result.refused == []
    na = node(a, "network_inquiry")
    assert na.status == Node.Status.DONE
    assert na.link_label == f"查控批次#{result.batch.pk}（集中查控）"
    assert na.link_url == f"/inquiry/cases/{a.pk}/?batch={result.batch.pk}#requests"
    assert node(b, "network_inquiry").document_ref == "手工"
    assert len(event_audits(a)) == 1 and event_audits(b) == []


def test_dormant_case_round_touches_no_node(people: dict[str, Any], case: EnforcementCase) -> None:
    """A closed case's nodes are cancelled: the event finds nothing pending."""
    EnforcementCase.objects.filter(pk=case.pk).update(status=CaseStatus.DORMANT)
    Node.objects.filter(case=case, status=Node.Status.PENDING).update(status=Node.Status.CANCELLED)
    case.refresh_from_db()
    services.start_inquiry(people["judge"], case, ["deposit"])
    assert node(case, "network_inquiry").status == Node.Status.CANCELLED
    assert event_audits(case) == []


def test_a_rolled_back_inquiry_leaves_the_node_open(people: dict[str, Any], case: EnforcementCase) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        services.start_inquiry(people["judge"], case, ["deposit"])
        raise RuntimeError("the caller's transaction fails after the inquiry")
    assert node(case, "network_inquiry").status == Node.Status.PENDING
    assert not InquiryBatch.objects.exists()


# -- freeze / seizure confirmed -------------------------------------------------------------------------


def test_confirmed_freeze_completes_the_control_node_with_the_request_link(
    people: dict[str, Any], case: EnforcementCase
) -> None:
    acct = account(case, "5000", "62220001")
    add(people, case, "control")
    req = services.approve(
        people["director"], services.request_control(people["judge"], acct, "freeze", amount="100")
    )
    assert node(case, "control").status == Node.Status.PENDING  # approved, not yet confirmed
    answer(req, frozen="100")
    n = node(case, "control")
    assert n.status == Node.Status.DONE
    assert n.completed_by is None  # the partner's answer: the system completes it
    assert n.event == "inquiry.freeze.confirmed"
    assert n.link_url == reverse("inquiry_notice", args=[req.pk])
    assert n.link_label == f"冻结请求#{req.pk}（协助执行通知书）"
    assert n.document_ref == req.notice_number
    # The same answer again changes nothing (the request is done; the node stays as it was).
    answer(req, frozen="100")
    assert len(event_audits(case)) == 1


def test_a_freeze_that_froze_nothing_leaves_the_node_open(
    people: dict[str, Any], case: EnforcementCase
) -> None:
    acct = account(case, "5000", "62220002")
    add(people, case, "control")
    req = services.approve(
        people["director"], services.request_control(people["judge"], acct, "freeze", amount="100")
    )
    answer(req, frozen="0", partial=True)
    assert node(case, "control").status == Node.Status.PENDING


def test_a_confirmed_seizure_completes_the_earliest_pending_control_node(
    people: dict[str, Any], case: EnforcementCase
) -> None:
    first, second = add(people, case, "control"), add(people, case, "control")
    req = services.request_control(people["judge"], house(case, "1000"), "seize")
    req = services.approve(people["director"], req)
    answer(req, rank=2)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Node.Status.DONE and first.event == "inquiry.seize.confirmed"
    assert second.status == Node.Status.PENDING


def test_a_confirmed_freeze_without_a_pending_node_creates_none(
    people: dict[str, Any], case: EnforcementCase
) -> None:
    acct = account(case, "5000", "62220003")
    req = services.approve(
        people["director"], services.request_control(people["judge"], acct, "freeze", amount="10")
    )
    answer(req, frozen="10")
    assert not Node.objects.filter(case=case, node_type__code="control").exists()
    assert event_audits(case) == []


# -- the flow page and the cases API show the link -------------------------------------------------------


def test_flow_page_and_api_show_the_link(people: dict[str, Any], case: EnforcementCase) -> None:
    batch = services.start_inquiry(people["judge"], case, ["deposit"])
    client = Client()
    client.force_login(people["judge"])
    html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="node-link-network_inquiry"' in html
    assert (
        f'href="/inquiry/cases/{case.pk}/?batch={batch.pk}#requests">查控批次#{batch.pk}（1项请求）</a>'
        in html
    )
    assert 'data-testid="node-hint-investigation"' not in html  # only platform-completed nodes carry a hint
    data = client.get(f"/api/v1/cases/{case.pk}").json()
    body = data.get("data", data)
    [n] = [n for n in body["nodes"] if n["type"] == "network_inquiry"]
    assert (n["event"], n["link_url"], n["link_label"]) == (
        "inquiry.filed",
        f"/inquiry/cases/{case.pk}/?batch={batch.pk}#requests",
        f"查控批次#{batch.pk}（1项请求）",
    )


def test_pending_event_node_says_how_it_completes(people: dict[str, Any], case: EnforcementCase) -> None:
    client = Client()
    client.force_login(people["judge"])
    html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "发起网络查控后自动完成；在平台外办理的，可手动办理" in html
    assert 'data-testid="form-complete-network_inquiry"' in html  # manual completion still offered


# -- the asset row shows the control order in flight ----------------------------------------------------


def _row(html: str, asset_id: int) -> str:
    start = html.index(f'id="asset-{asset_id}"')
    return html[start : html.index("</tr>", start)]


@pytest.mark.parametrize(
    ("approve", "status", "label"),
    [(False, S.AWAITING_APPROVAL, "待审批"), (True, S.PENDING, "待发送"), (True, S.WAITING, "等待反馈")],
)
def test_asset_row_shows_the_request_in_flight_and_no_control_button(
    people: dict[str, Any], case: EnforcementCase, approve: bool, status: str, label: str
) -> None:
    acct = account(case, "5000", "62220004")
    req = services.request_control(people["judge"], acct, "freeze", amount="300")
    if approve:
        services.approve(people["director"], req)
    InquiryRequest.objects.filter(pk=req.pk).update(status=status)
    client = Client()
    client.force_login(people["judge"])
    row = _row(client.get(reverse("inquiry_case", args=[case.pk])).content.decode(), acct.pk)
    assert f'data-pending="{status}"' in row
    assert f"冻结 300.00元 · {label}" in row
    assert f'href="{reverse("inquiry_notice", args=[req.pk])}">请求#{req.pk}</a>' in row
    assert f'data-testid="freeze-{acct.pk}"' not in row
    assert "<button" not in row
    assert "控制请求办理中" in row
    [a] = client.get(f"/api/v1/inquiry/cases/{case.pk}/assets").json()
    assert a["state"] == "none"
    assert a["control_locked"] is True
    assert a["pending_request"] == {
        "id": req.pk,
        "action": "freeze",
        "status": status,
        "status_display": label,
        "amount": "300.00",
        "notice_url": reverse("inquiry_notice", args=[req.pk]),
    }


def test_asset_row_unlocks_when_the_answer_lands(people: dict[str, Any], case: EnforcementCase) -> None:
    acct = account(case, "5000", "62220005")
    req = services.approve(
        people["director"], services.request_control(people["judge"], acct, "freeze", amount="300")
    )
    answer(req, frozen="300")
    client = Client()
    client.force_login(people["judge"])
    row = _row(client.get(reverse("inquiry_case", args=[case.pk])).content.decode(), acct.pk)
    assert "data-pending" not in row
    assert "已冻结" in row
    assert f'data-testid="freeze-{acct.pk}"' in row  # a further freeze is offered again
    [a] = client.get(f"/api/v1/inquiry/cases/{case.pk}/assets").json()
    assert (a["state"], a["control_locked"], a["pending_request"]) == ("frozen", False, None)


def test_register_reads_in_flight_requests_in_one_query(
    people: dict[str, Any], case: EnforcementCase, django_assert_max_num_queries: Any
) -> None:
    from zhixing.inquiry import queries

    for i in range(5):
        services.request_control(people["judge"], account(case, "5000", f"6222100{i}"), "freeze", amount="10")
    # 4, plus 2 for the case's suspensions and excluded periods: the assets were found after the
    # application, so each row carries its 执行程序解释 Art 10(2) date — 2 whatever the rows.
    with django_assert_max_num_queries(6):
        rows = [r for d in queries.register(case) for r in d.rows]
    assert [r.pending is not None for r in rows] == [True] * 5


def test_rejected_request_unlocks_the_row(people: dict[str, Any], case: EnforcementCase) -> None:
    acct = account(case, "5000", "62220006")
    req = services.request_control(people["judge"], acct, "freeze", amount="300")
    services.reject(people["director"], req, "理由不足")
    client = Client()
    client.force_login(people["judge"])
    [a] = client.get(f"/api/v1/inquiry/cases/{case.pk}/assets").json()
    assert (a["control_locked"], a["pending_request"]) == (False, None)


def test_manual_completion_still_works_on_event_nodes(people: dict[str, Any], case: EnforcementCase) -> None:
    n = add(people, case, "control")
    case_services.complete_node(people["judge"], n, document_ref="线下查封裁定")
    n.refresh_from_db()
    assert (n.status, n.event, n.document_ref) == (Node.Status.DONE, "", "线下查封裁定")


def test_a_passport_holder_can_be_searched(people: dict[str, Any], quiet: None) -> None:
    """A foreign debtor is searched by the passport number, checked by its own rules (not a resident ID)."""
    from zhixing.cases.models import Party
    from zhixing.inquiry.services.requests import debtor_problem

    case = open_case(people)
    party = case.parties.get(role="debtor")
    Party.objects.filter(pk=party.pk).update(id_type="passport", id_number="E12345678", nationality="USA")
    party.refresh_from_db()
    assert debtor_problem(party) == ""
    Party.objects.filter(pk=party.pk).update(nationality="")
    party.refresh_from_db()
    assert "不能网络查控" in debtor_problem(party)
