"""Payee accounts are validated wherever they are entered (finding 22), and the funds pages only read
(finding 24, funds part): opening a case's money page writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse

from tests import factories
from zhixing.core.errors import ServiceError
from zhixing.core.models import AuditRecord
from zhixing.funds import formats, queries, services
from zhixing.funds.models import CaseAccount, Payout

from .conftest import receive
from .test_payouts import applicant

pytestmark = pytest.mark.django_db

CASES = [
    ("account_no", "6222abcd0000", "“收款账号”只能由数字组成"),
    ("account_no", "６２２２０２００００", "“收款账号”只能由数字组成"),  # full-width digits
    ("account_no", "1234567", "“收款账号”应为8至30位数字（现为7位）"),
    ("account_no", "9" * 31, "“收款账号”应为8至30位数字（现为31位）"),
    ("account_no", "62220200\x0000", "“收款账号”含有不允许的控制字符（U+0000）"),
    ("account_name", "名" * 10000, "“收款户名”不能超过60个字符（现为10000个）"),
    ("account_name", "张\u0007三", "“收款户名”含有不允许的控制字符（U+0007）"),
    ("account_name", "张\n三", "“收款户名”含有不允许的控制字符（U+000A）"),
    ("bank_name", "行" * 65, "“开户行”不能超过64个字符（现为65个）"),
]


def payload(case: Any, **kw: Any) -> dict[str, Any]:
    a = applicant(case)
    return {"party_id": a.pk, "amount": "10.00", "account_name": a.name, "account_no": "6222020000001", **kw}


@pytest.mark.parametrize(("field", "value", "message"), CASES)
def test_service_refuses_bad_accounts_naming_the_field(case, people, field, value, message):
    receive(case, "90000.00", "F1")
    with pytest.raises(ServiceError) as err:
        services.propose(people["judge"], case, **payload(case, **{field: value}))
    assert (err.value.field, err.value.message) == (field, message)
    assert Payout.objects.count() == 0


@pytest.mark.parametrize(("field", "value", "message"), CASES)
def test_api_refuses_bad_accounts_with_422(client, case, people, field, value, message):
    receive(case, "90000.00", "F2")
    client.force_login(people["judge"])
    r = client.post(
        f"/api/v1/funds/cases/{case.pk}/payouts",
        payload(case, **{field: value}),
        content_type="application/json",
    )
    assert r.status_code == 422
    assert (r.json()["field"], r.json()["detail"]) == (field, message)
    assert Payout.objects.count() == 0


def test_form_shows_the_error_and_changes_nothing(client, case, people):
    receive(case, "90000.00", "F3")
    client.force_login(people["judge"])
    r = client.post(
        reverse("funds_propose", args=[case.pk]), payload(case, account_name="名" * 10000), follow=True
    )
    assert r.status_code == 200
    assert "“收款户名”不能超过60个字符（现为10000个）" in r.content.decode()
    r = client.post(reverse("funds_propose", args=[case.pk]), payload(case, party_id="abc"), follow=True)
    assert r.status_code == 200 and "请选择收款人" in r.content.decode()
    assert Payout.objects.count() == 0


def test_account_numbers_keep_only_their_digits():
    assert formats.account_number(" 6222 0200 0000 1234 ") == "6222020000001234"
    assert formats.account_number("1" * 8) == "1" * 8 and formats.account_number("1" * 30) == "1" * 30
    assert formats.account_name("  广州某银行股份有限公司 ") == "广州某银行股份有限公司"


# -- GETs read -----------------------------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label != "sessions"}


@pytest.mark.parametrize("who", ["judge", "finance", "gz_director"])
def test_opening_the_money_pages_writes_nothing(client, case, people, who):
    assert not CaseAccount.objects.filter(case=case).exists()
    expected = queries.account_view(case)
    assert expected is not None and not expected.opened
    client.force_login(people[who])
    before, audits = row_counts(), AuditRecord.objects.count()
    for name in ("funds_case_money", "funds_instructions"):
        r = client.get(reverse(name, args=[case.pk]))
        assert r.status_code == 200 and expected.number in r.content.decode()
    api = client.get(f"/api/v1/funds/cases/{case.pk}")
    assert api.status_code == 200 and api.json()["account_number"] == expected.number
    assert row_counts() == before and AuditRecord.objects.count() == audits


def test_the_shown_number_is_the_one_the_first_write_opens(case, people):
    shown = queries.account_view(case)
    assert shown is not None
    receive(case, "100.00", "G1")  # a transfer to the shown number opens the account
    acc = CaseAccount.objects.get(case=case)
    assert acc.number == shown.number
    view = queries.account_view(case)
    assert view is not None and view.opened


def test_money_page_without_custody_account_says_so(client, people, courts):
    other = factories.case(people["clerk"])  # no custody account registered in this test
    client.force_login(people["judge"])
    r = client.get(reverse("funds_case_money", args=[other.pk]))
    assert r.status_code == 200 and "本院尚未设置执行款专户" in r.content.decode()
    # Not a permission matter (issue 12): the instructions page says why, and who can set the account up.
    page = client.get(reverse("funds_instructions", args=[other.pk]))
    assert page.status_code == 200 and "尚未设置执行款专户" in page.content.decode()
    assert 'id="setup-custody"' not in page.content.decode()  # a judge cannot set it up
    client.force_login(people["finance"])
    page = client.get(reverse("funds_instructions", args=[other.pk]))
    assert page.status_code == 200 and 'id="setup-custody"' in page.content.decode()
