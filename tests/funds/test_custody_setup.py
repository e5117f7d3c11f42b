"""Setting up the court's custody account (执行款专户, issue 12 item 1): service, page and API — field
errors, the permission matrix, court scoping, audit in the same transaction, the prefix rule."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests import factories
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.models import AuditRecord
from zhixing.funds import queries, services
from zhixing.funds.models import CustodyAccount

pytestmark = pytest.mark.django_db

GOOD = {
    "bank_name": "中国工商银行广州天河支行",
    "account_name": "广州市天河区人民法院执行款专户",
    "account_no": "3602000129200123456",
    "sub_prefix": "880106",
}


def test_finance_sets_up_and_changes_the_account_audited(people, courts):
    th = courts["th"]
    acc = services.set_custody_account(people["finance"], th, **GOOD)
    assert (acc.account_no, acc.sub_prefix) == ("3602000129200123456", "880106")
    first = AuditRecord.objects.filter(action="funds.custody_account").get()
    assert first.before is None and first.after["created"] is True and first.actor_id == people["finance"].pk
    # Same values again: nothing written.
    services.set_custody_account(people["finance"], th, **GOOD)
    assert AuditRecord.objects.filter(action="funds.custody_account").count() == 1
    changed = services.set_custody_account(people["director"], th, **{**GOOD, "bank_name": "工行天河支行"})
    assert changed.pk == acc.pk and changed.bank_name == "工行天河支行"
    last = AuditRecord.objects.filter(action="funds.custody_account").order_by("-pk").first()
    assert last.before["bank_name"] == GOOD["bank_name"] and last.after["bank_name"] == "工行天河支行"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("bank_name", "", "请填写“开户银行”"),
        ("account_name", " ", "请填写“户名”"),
        ("account_no", "12AB5678", "“专户账号”只能由数字组成"),
        ("account_no", "1234567", "“专户账号”应为8至30位数字"),
        ("sub_prefix", "8", "“子账号前缀”应为2至8位数字"),
        ("sub_prefix", "88a1", "“子账号前缀”应为2至8位数字"),
        ("account_name", "法院\x00专户", "控制字符"),
    ],
)
def test_bad_fields_name_the_field_and_change_nothing(people, courts, field, value, message):
    with pytest.raises(ServiceError) as exc:
        services.set_custody_account(people["finance"], courts["th"], **{**GOOD, field: value})
    assert exc.value.field == field and message in exc.value.message
    assert (
        not CustodyAccount.objects.exists()
        and not AuditRecord.objects.filter(action="funds.custody_account").exists()
    )


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("finance", True),
        ("director", True),
        ("judge", False),
        ("assistant", False),
        ("clerk", False),
        ("president", False),
        ("operator", False),
        ("bailiff", False),
        ("gz_director", False),  # a higher court sets up its own account, not a subordinate's
        ("yx_director", False),
    ],
)
def test_service_permission_matrix(people, courts, who, allowed):
    if allowed:
        assert services.set_custody_account(people[who], courts["th"], **GOOD).court_id == courts["th"].pk
    else:
        with pytest.raises(NotPermitted):
            services.set_custody_account(people[who], courts["th"], **GOOD)
        assert not CustodyAccount.objects.exists()


def test_prefix_cannot_change_once_case_sub_accounts_exist(people, courts):
    th = courts["th"]
    services.set_custody_account(people["finance"], th, **GOOD)
    services.set_custody_account(people["finance"], th, **{**GOOD, "sub_prefix": "880199"})  # none yet: fine
    case = factories.case(people["clerk"])
    number = services.case_account(case).number
    with pytest.raises(Conflict) as exc:
        services.set_custody_account(people["finance"], th, **{**GOOD, "sub_prefix": "880106"})
    assert exc.value.field == "sub_prefix" and "已开立1个案件子账号" in exc.value.message
    assert CustodyAccount.objects.get(court=th).sub_prefix == "880199"
    assert queries.account_view(case).number == number


def test_account_number_and_overlapping_prefixes_of_other_courts_refused(people, courts):
    services.set_custody_account(
        None, courts["yx"], **{**GOOD, "account_no": "44001000104", "sub_prefix": "8801"}
    )
    with pytest.raises(Conflict) as exc:
        services.set_custody_account(people["finance"], courts["th"], **{**GOOD, "account_no": "44001000104"})
    assert exc.value.field == "account_no" and "越秀区" in exc.value.message
    for prefix in ("880106", "88"):  # starts with yx's prefix / yx's starts with it
        with pytest.raises(Conflict) as exc:
            services.set_custody_account(people["finance"], courts["th"], **{**GOOD, "sub_prefix": prefix})
        assert exc.value.field == "sub_prefix" and "重叠" in exc.value.message
    assert not CustodyAccount.objects.filter(court=courts["th"]).exists()


# -- the page ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("finance", 200),
        ("director", 200),
        ("gz_director", 200),  # their own court's (广州中院) account
        ("judge", 403),
        ("clerk", 403),
        ("president", 403),
        ("operator", 403),
    ],
)
def test_page_matrix(client, people, who, status):
    client.force_login(people[who])
    r = client.get(reverse("funds_custody"))
    assert r.status_code == status
    if status == 200:
        assert people[who].court.name in r.content.decode()


def test_anonymous_is_sent_to_login(client):
    r = client.get(reverse("funds_custody"))
    assert r.status_code == 302 and "/login/" in r["Location"]


def test_page_saves_and_shows_field_errors(client, people, courts):
    client.force_login(people["finance"])
    page = client.get(reverse("funds_custody")).content.decode()
    assert 'id="custody-missing"' in page
    bad = client.post(reverse("funds_custody"), {**GOOD, "account_no": "12"})
    assert bad.status_code == 422
    text = bad.content.decode()
    assert 'data-field="account_no"' in text and "应为8至30位数字" in text
    assert 'value="中国工商银行广州天河支行"' in text  # the user's input is kept
    assert not CustodyAccount.objects.exists()
    ok = client.post(reverse("funds_custody"), GOOD)
    assert ok.status_code == 302
    page = client.get(reverse("funds_custody")).content.decode()
    assert 'id="custody-account-no">3602000129200123456<' in page and "已保存" in page
    assert CustodyAccount.objects.get(court=courts["th"]).sub_prefix == "880106"


def test_page_refuses_prefix_change_with_reason(client, people):
    client.force_login(people["finance"])
    client.post(reverse("funds_custody"), GOOD)
    services.case_account(factories.case(people["clerk"]))
    r = client.post(reverse("funds_custody"), {**GOOD, "sub_prefix": "880107"})
    assert r.status_code == 409 and "子账号前缀不能更改" in r.content.decode()
    assert "readonly" in client.get(reverse("funds_custody")).content.decode()


def test_system_administrator_picks_a_court(client, courts):
    from zhixing.courts.models import Staff

    admin = Staff.objects.create_superuser("sysadmin", password=factories.PASSWORD)
    client.force_login(admin)
    assert client.get(reverse("funds_custody")).status_code == 200
    r = client.post(reverse("funds_custody"), {**GOOD, "court": courts["ft"].pk})
    assert r.status_code == 302
    assert CustodyAccount.objects.get().court_id == courts["ft"].pk


def test_instructions_after_setup(client, people):
    case = factories.case(people["clerk"])
    client.force_login(people["finance"])
    assert 'id="setup-custody"' in client.get(reverse("funds_instructions", args=[case.pk])).content.decode()
    client.post(reverse("funds_custody"), GOOD)
    client.force_login(people["judge"])
    r = client.get(reverse("funds_instructions", args=[case.pk]))
    assert r.status_code == 200 and 'id="instr-account"' in r.content.decode()


# -- the API -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"), [("finance", 200), ("director", 200), ("judge", 403), ("clerk", 403)]
)
def test_api_matrix(client, people, who, status):
    client.force_login(people[who])
    r = client.put("/api/v1/funds/custody", GOOD, content_type="application/json")
    assert r.status_code == status
    if status == 200:
        assert r.json()["sub_prefix"] == "880106" and r.json()["court"] == "粤0106"
        assert client.get("/api/v1/funds/custody").json()["account_no"] == GOOD["account_no"]
    else:
        assert client.get("/api/v1/funds/custody").status_code == 403
        assert not CustodyAccount.objects.exists()


def test_api_errors_name_the_field(client, people):
    client.force_login(people["finance"])
    r = client.put("/api/v1/funds/custody", {**GOOD, "sub_prefix": "x"}, content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "sub_prefix"
    assert client.put("/api/v1/funds/custody", GOOD, content_type="application/json").status_code == 200
    services.case_account(factories.case(people["clerk"]))
    r = client.put("/api/v1/funds/custody", {**GOOD, "sub_prefix": "880107"}, content_type="application/json")
    assert r.status_code == 409 and r.json()["field"] == "sub_prefix"
    assert client.get("/api/v1/funds/custody").json()["case_accounts"] == 1


def test_api_anonymous_refused(client: Any):
    assert client.get("/api/v1/funds/custody").status_code == 401
