"""Pages and endpoints: permission matrix, query budgets, deadline warnings under frozen time."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests import factories
from zhixing.documents.models import Document as Stored
from zhixing.funds import services

from .conftest import receive

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")

READERS = {
    "judge": 200,
    "finance": 200,
    "clerk": 200,
    "director": 200,
    "gz_director": 200,
    "gd_president": 200,
    "yx_director": 404,
    "ft_director": 404,
}


def as_user(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client


@pytest.mark.parametrize(("who", "status"), READERS.items())
@pytest.mark.parametrize("name", ["funds_case_money", "funds_instructions"])
def test_case_pages_matrix(client, people, case, who, status, name):
    receive(case, "100.00", "V1")
    r = as_user(client, people[who]).get(reverse(name, args=[case.pk]))
    assert r.status_code == status
    if status == 200:
        assert services.case_account(case).number in r.content.decode()


@pytest.mark.parametrize(
    "name", ["funds_case_money", "funds_instructions", "funds_finance", "funds_director", "funds_approvals"]
)
def test_anonymous_redirected_to_login(client, case, name):
    args = [case.pk] if name in ("funds_case_money", "funds_instructions") else []
    r = client.get(reverse(name, args=args))
    assert r.status_code == 302 and "/login/" in r["Location"]


@pytest.mark.parametrize(
    ("who", "status", "sees_th"),
    [
        ("finance", 200, True),
        ("director", 200, True),
        ("gz_director", 200, True),
        ("gd_president", 200, True),
        ("yx_director", 200, False),
        ("judge", 403, False),
        ("clerk", 403, False),
    ],
)
def test_finance_page_matrix(client, people, case, who, status, sees_th):
    services.book_receipt(
        idempotency_key="FQ1", amount="77.00", value_date=date(2026, 3, 10), court=case.court
    )
    r = as_user(client, people[who]).get(reverse("funds_finance"))
    assert r.status_code == status
    if status == 200:
        assert ("FQ1" in r.content.decode()) is sees_th


@pytest.mark.parametrize(
    ("who", "status", "sees_th"),
    [
        ("director", 200, True),
        ("gz_director", 200, True),
        ("gd_president", 200, True),
        ("president", 200, True),
        ("yx_director", 200, False),
        ("finance", 403, False),
        ("judge", 403, False),
    ],
)
def test_director_page_matrix(client, people, case, who, status, sees_th):
    r = as_user(client, people[who]).get(reverse("funds_director"))
    assert r.status_code == status
    if status == 200:
        assert ('data-court="粤0106"' in r.content.decode()) is sees_th


@pytest.mark.parametrize(
    ("who", "status"), [("judge", 302), ("gz_director", 403), ("yx_director", 404), ("finance", 403)]
)
def test_propose_via_page_matrix(client, people, case, who, status):
    receive(case, "90000.00", "V2")
    a = case.parties.get(role="applicant")
    r = as_user(client, people[who]).post(
        reverse("funds_propose", args=[case.pk]),
        {"party_id": a.pk, "amount": "100.00", "account_name": a.name, "account_no": "62220000"},
    )
    assert r.status_code == status


@pytest.mark.parametrize(("who", "status"), [("judge", 200), ("gz_director", 200), ("yx_director", 404)])
def test_api_case_funds_matrix(client, people, case, who, status):
    receive(case, "100.00", "V3")
    r = as_user(client, people[who]).get(f"/api/v1/funds/cases/{case.pk}")
    assert r.status_code == status
    if status == 200:
        assert r.json()["balance"] == "100.00"


def test_api_anonymous_refused(client, case):
    assert client.get(f"/api/v1/funds/cases/{case.pk}").status_code == 401


def test_reconciliation_page_and_excel(client, people, case):
    content = ("交易流水号,交易日期,金额\nR1,2026-03-10,10.00\n").encode()
    imp = services.import_statement(people["finance"], case.court, content, "s.csv")
    # The statement's reconciliation page (the import redirects to it once reconciled).
    r = as_user(client, people["finance"]).get(reverse("funds_reconciliation", args=[imp.pk]), follow=True)
    assert r.status_code == 200
    x = client.get(reverse("funds_reconciliation", args=[imp.pk]) + "?format=xlsx")
    assert x.status_code == 200 and x.content[:2] == b"PK"
    assert (
        as_user(client, people["yx_director"]).get(reverse("funds_reconciliation", args=[imp.pk])).status_code
        == 404  # another court's import is as absent as one that does not exist
    )


def _fill(case: Any, people: dict[str, Any], n: int) -> None:
    for i in range(n):
        services.book_receipt(
            idempotency_key=f"QB{n}-{i}", amount="5.00", value_date=date(2026, 3, 10), court=case.court
        )
        c = factories.case(people["clerk"])
        receive(c, "100.00", f"QC{n}-{i}", on=date(2026, 1, 5))


@pytest.mark.parametrize("name", ["funds_finance", "funds_director"])
def test_list_pages_query_budget(client, people, case, django_assert_max_num_queries, name):
    as_user(client, people["director"])
    _fill(case, people, 2)
    with django_assert_max_num_queries(25) as small:
        client.get(reverse(name))
    _fill(case, people, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        r = client.get(reverse(name))
    assert r.status_code == 200


def test_case_money_query_budget(client, people, case, django_assert_max_num_queries):
    """The money page (breakdown, clocks, holds, payouts) costs a fixed number of queries, not one per row."""
    for i in range(3):
        receive(case, "1.00", f"QM{i}")
    as_user(client, people["judge"])
    # 59: each of the page's two breakdowns asks the auctions proceeds source and the disputed distribution
    # shares once (issue 19).
    with django_assert_max_num_queries(59) as small:
        assert client.get(reverse("funds_case_money", args=[case.pk])).status_code == 200
    for i in range(3, 30):
        receive(case, "1.00", f"QM{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("funds_case_money", args=[case.pk])).status_code == 200


def test_unidentified_warning_turns_red_after_three_working_days(client, people, case):
    services.book_receipt(idempotency_key="W1", amount="9.00", value_date=date(2026, 3, 10), court=case.court)
    as_user(client, people["finance"])
    with time_machine.travel(datetime(2026, 3, 12, 10, tzinfo=SH)):
        assert 'class="row-yellow"' in client.get(reverse("funds_finance")).content.decode()
    with time_machine.travel(datetime(2026, 3, 16, 10, tzinfo=SH)):
        assert 'class="row-red"' in client.get(reverse("funds_finance")).content.decode()


def test_overdue_payout_red_on_director_page(client, people, case, settings):
    settings.FUNDS_PAYOUT_DAYS = 5
    settings.FUNDS_PAYOUT_WORKDAYS = True
    receive(case, "900.00", "W2", on=date(2026, 9, 29))
    as_user(client, people["director"])
    with time_machine.travel(datetime(2026, 10, 9, 10, tzinfo=SH)):  # holiday week: due 2026-10-12
        assert case.number not in client.get(reverse("funds_director")).content.decode()
    with time_machine.travel(datetime(2026, 10, 14, 10, tzinfo=SH)):
        page = client.get(reverse("funds_director")).content.decode()
        assert case.number in page and "2026-10-12" in page


def test_portal_token_and_face_check(client, people, case, bank):
    a = case.parties.get(role="applicant")
    tok = services.issue_token(people["judge"], case, a.pk)
    url = reverse("funds_portal", args=[tok.token])
    assert client.get(url).status_code == 200
    assert client.get(reverse("funds_portal", args=["nope"])).status_code == 404
    spoof = client.post(url, {"step": "verify", "id_number": a.credit_code, "photo": "spoof"})
    wrong = client.post(url, {"step": "verify", "id_number": "wrong", "photo": "live"})
    # A wrong face and a wrong ID number get the same answer: the page is no ID-number oracle.
    assert "身份核验未通过" in spoof.content.decode() and "还可尝试4次" in spoof.content.decode()
    assert "身份核验未通过" in wrong.content.decode() and "还可尝试3次" in wrong.content.decode()
    client.post(url, {"step": "verify", "id_number": a.credit_code, "photo": "live"})
    client.post(
        url, {"step": "account", "account_name": a.name, "account_no": "6222 0000 1111", "bank_name": "工行"}
    )
    tok.refresh_from_db()
    assert tok.verified_at and tok.account_no == "622200001111"
    receive(case, "90000.00", "PT1")
    p = services.propose(people["judge"], case, party_id=a.pk, amount="10.00", account_name="", account_no="")
    assert (p.account_no, p.account_name, p.name_mismatch) == ("622200001111", a.name, False)


def test_plan_pages_and_docx(client, people, case, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    receive(case, "1000.00", "P1")
    plan = services.create_plan(
        people["judge"],
        case,
        proceeds="1000.00",
        costs="100.00",
        first_seizing_court=case.court.name,
        claims=[
            {
                "creditor": "甲银行",
                "creditor_id_number": factories.VALID_CREDIT,
                "amount": "2000.00",
                "priority": True,
                "priority_date": "2020-01-01",
            },
            {
                "creditor": "乙",
                "creditor_id_number": factories.VALID_IDS[0],
                "amount": "500.00",
                "basis": "（2025）粤0104民初5号",
            },
        ],
    )
    as_user(client, people["judge"])
    assert "甲银行" in client.get(reverse("funds_plan", args=[plan.pk])).content.decode()
    # Its Word file is a stored document of the documents capability (no per-page render any more).
    page = reverse("funds_plan", args=[plan.pk])
    form = {"kind": "distribution_plan", "source": str(plan.pk), "next": page}
    assert client.post(f"/cases/{case.pk}/documents/generate/", form)["Location"] == page
    stored = Stored.objects.get(case=case, kind="distribution_plan", source=str(plan.pk))
    assert f'href="/documents/{stored.pk}/word/"' in client.get(page).content.decode()
    d = client.get(f"/documents/{stored.pk}/word/")
    assert d.status_code == 200 and d.content[:2] == b"PK"
    assert (
        as_user(client, people["yx_director"]).get(reverse("funds_plan", args=[plan.pk])).status_code == 404
    )


def test_api_payout_errors_name_the_field(client, people, case):
    receive(case, "90000.00", "AP1")
    a = case.parties.get(role="applicant")
    as_user(client, people["judge"])
    url = f"/api/v1/funds/cases/{case.pk}/payouts"
    bad = client.post(
        url,
        {"party_id": a.pk, "amount": "10.001", "account_name": a.name, "account_no": "62220000"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["field"] == "amount"
    neg = client.post(
        url,
        {"party_id": a.pk, "amount": "-1", "account_name": a.name, "account_no": "62220000"},
        content_type="application/json",
    )
    assert neg.status_code == 422 and neg.json()["field"] == "amount"
    ok = client.post(
        url,
        {"party_id": a.pk, "amount": "10.00", "account_name": a.name, "account_no": "62220000"},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["chain"] == ["judge", "director", "president"]
    own = client.post(
        f"/api/v1/funds/payouts/{ok.json()['id']}/decide", {"approve": True}, content_type="application/json"
    )
    assert own.status_code == 403  # the proposer cannot approve
    as_user(client, people["yx_director"])
    assert (
        client.post(
            f"/api/v1/funds/payouts/{ok.json()['id']}/decide",
            {"approve": True},
            content_type="application/json",
        ).status_code
        == 404
    )
