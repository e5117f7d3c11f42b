"""Credit pages: permission matrix, actions through forms, public pages never leak an ID, query budgets."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zhixing.credit import services
from zhixing.credit.models import Listing, Proposal, Restriction

from .conftest import ADULT_ID, MINOR_ID, debtor, debtor_case, open_listing_data

ROLES = [
    "judge",
    "assistant",
    "clerk",
    "bailiff",
    "operator",
    "finance",
    "director",
    "president",
    "gz_director",
    "gd_president",
    "yx_director",
    "yx_judge",
    "ft_director",
    None,
]
READERS = {
    "judge",
    "assistant",
    "clerk",
    "bailiff",
    "operator",
    "finance",
    "director",
    "president",
    "gz_director",
    "gd_president",
}
WRITERS = {"judge", "director"}
SUPERVISORS = {
    "operator",
    "director",
    "president",
    "gz_director",
    "gd_president",
    "yx_director",
    "ft_director",
}


def as_(client: Client, people: dict, who: str | None) -> Client:
    if who:
        client.force_login(people[who])
    return client


@pytest.mark.parametrize("who", ROLES)
def test_case_credit_page_matrix(client: Client, case: Any, people: dict, who: str | None) -> None:
    r = as_(client, people, who).get(f"/cases/{case.pk}/credit/")
    if who is None:
        assert r.status_code == 302 and "/login/" in r["Location"]
    elif who in READERS:
        assert r.status_code == 200
        assert (b'data-testid="list-form"' in r.content) == (who in WRITERS)
    else:
        assert r.status_code == 404


@pytest.mark.parametrize("who", ROLES)
def test_list_action_matrix(client: Client, case: Any, people: dict, who: str | None) -> None:
    r = as_(client, people, who).post(
        f"/cases/{case.pk}/credit/list/",
        {"party": debtor(case).pk, "ground": "4", "dishonest_act": "拒不报告财产"},
    )
    # The president signs the decision (ADR 0015): the judge's form files a proposal, nothing is listed yet.
    proposed = Proposal.objects.filter(kind="listing", status="pending").exists()
    assert not Listing.objects.exists()
    if who in WRITERS:
        assert r.status_code == 302 and proposed
    else:
        assert not proposed
        assert r.status_code == (302 if who is None else 403 if who in READERS else 404)


@pytest.mark.parametrize("who", ROLES)
def test_supervision_and_statistics_matrix(client: Client, people: dict, who: str | None) -> None:
    as_(client, people, who)
    for url in ("/credit/supervision/", "/credit/statistics/"):
        r = client.get(url)
        if who is None:
            assert r.status_code == 302
        else:
            assert r.status_code == (200 if who in SUPERVISORS else 403), (url, who)


@pytest.mark.parametrize("who", [w for w in ROLES if w is not None])
def test_credit_capabilities_come_from_the_shared_role_table(people: dict, who: str) -> None:
    # courts/roles.py is the one capability table; the credit pages and services read it via user.can().
    from zhixing.courts.roles import ROLE_CAPS, Cap

    user = people[who]
    assert user.can(Cap.CREDIT_DECIDE) == (user.role in {"judge", "director"})
    assert user.can(Cap.CREDIT_SUPERVISE) == (user.role in {"director", "president", "operator"})
    assert (Cap.CREDIT_DECIDE in ROLE_CAPS[user.role]) == user.can(Cap.CREDIT_DECIDE)
    user.is_active = False
    assert not user.can(Cap.CREDIT_DECIDE) and not user.can(Cap.CREDIT_SUPERVISE)


@pytest.mark.parametrize("who", ROLES)
def test_trigger_and_exit_actions_matrix(client: Client, case: Any, people: dict, who: str | None) -> None:
    x = services.list_debtor(people["judge"], case, debtor(case), open_listing_data(dishonest_act="a"))
    r = services.restrict_exit(
        people["judge"], case, debtor(case), initiation="application", bound_persons=[]
    )[0]
    as_(client, people, who)
    a = client.post(
        f"/cases/{case.pk}/credit/trigger/",
        {"listing": x.pk, "trigger": "applicant_request", "trigger_on": "2026-03-10"},
    )
    b = client.post(f"/cases/{case.pk}/credit/exit_served/", {"restriction": r.pk, "served_on": "2026-03-10"})
    x.refresh_from_db()
    r.refresh_from_db()
    if who in WRITERS:
        assert (a.status_code, b.status_code) == (302, 302)
        assert x.removal_trigger == "applicant_request" and r.served_on is not None
    else:
        expected = 302 if who is None else 403 if who in READERS else 404
        assert (a.status_code, b.status_code) == (expected, expected)
        assert x.removal_trigger == "" and r.served_on is None


def test_listing_a_minor_through_the_form_changes_nothing(client: Client, people: dict) -> None:
    c = debtor_case(people["clerk"], name="小明", id_number=MINOR_ID)
    client.force_login(people["judge"])
    r = client.post(
        f"/cases/{c.pk}/credit/list/",
        {"party": debtor(c).pk, "ground": "4", "dishonest_act": "x"},
        follow=True,
    )
    assert "未成年人" in r.content.decode() and "未作任何更改" in r.content.decode()
    assert not Listing.objects.exists() and not Restriction.objects.exists()


def test_listing_without_ground_through_the_form(client: Client, case: Any, people: dict) -> None:
    client.force_login(people["judge"])
    r = client.post(
        f"/cases/{case.pk}/credit/list/", {"party": debtor(case).pk, "dishonest_act": "x"}, follow=True
    )
    assert "请选择失信情形" in r.content.decode()
    assert not Listing.objects.exists()


def test_full_page_flow_and_decision_document(
    client: Client, case: Any, people: dict, stored_word: Any
) -> None:
    client.force_login(people["judge"])
    client.post(
        f"/cases/{case.pk}/credit/list/",
        {
            "party": debtor(case).pk,
            "ground": "1",
            "dishonest_act": "有能力拒不履行",
            "guarantee_confirmed": "on",
            "order_confirmed": "on",
            "ability_confirmed": "on",
            "grace_months": "0",
        },
    )
    # The president signs it from his approval page (ADR 0015); the decision bears his name.
    assert not Listing.objects.exists()
    proposal = Proposal.objects.get()
    client.force_login(people["president"])
    assert client.post(f"/credit/approvals/{proposal.pk}/approve/").status_code == 302
    client.force_login(people["judge"])
    x = Listing.objects.get()
    page = client.get(f"/cases/{case.pk}/credit/").content.decode()
    assert x.document_number in page and 'data-testid="listed"' in page
    html = client.get(f"/credit/decisions/{x.pk}/").content.decode()
    assert "决 定 书" in html and "无固定期限" in html
    assert 'data-testid="stored-none"' in html  # the Word/PDF are stored documents, made on demand
    text = stored_word(client, case.pk, "listing_decision", str(x.pk))
    assert x.document_number in text and "张三" in text and "{{" not in text
    assert f"签发人：院长 {people['president'].full_name}" in text
    client.post(f"/cases/{case.pk}/credit/remove/", {"listing": x.pk, "trigger": "applicant_request"})
    x.refresh_from_db()
    assert x.status == "removed"


def test_other_court_cannot_open_decision(client: Client, listed: Any, people: dict) -> None:
    client.force_login(people["yx_judge"])
    assert client.get(f"/credit/decisions/{listed.pk}/").status_code == 404


# -- public pages ----------------------------------------------------------------------
def test_public_pages_never_show_full_id(client: Client, listed: Any, people: dict) -> None:
    services.expose(people["judge"], listed)
    for url, params in [
        ("/public/blacklist/", {"q": "张三"}),
        ("/public/blacklist/", {"q": "张三", "id": ADULT_ID}),
        ("/public/blacklist/", {"q": "zhangsan"}),
        ("/public/exposure/", {}),
        ("/api/v1/public/blacklist", {"q": "张三", "id": ADULT_ID}),
    ]:
        r = client.get(url, params)
        text = r.content.decode()
        if "/api/" in url:
            assert ADULT_ID not in text
            text = json.dumps(r.json(), ensure_ascii=False)
        assert r.status_code == 200, url
        assert "张三" in text, url
        assert ADULT_ID not in text, url
        assert ADULT_ID[:4] + "*" * 14 in text, url
        assert ADULT_ID[4:8] not in text and ADULT_ID[-4:] not in text, url


def test_public_page_errors_and_rate_limit(client: Client, listed: Any) -> None:
    assert "至少输入" in client.get("/public/blacklist/", {"q": "张"}).content.decode()
    for _ in range(30):
        client.get("/public/blacklist/", {"q": "张三"}, REMOTE_ADDR="10.1.1.1")
    r = client.get("/public/blacklist/", {"q": "张三"}, REMOTE_ADDR="10.1.1.1")
    assert r.status_code == 429 and "频繁" in r.content.decode()


# -- query budgets ----------------------------------------------------------------------
def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_budgets_do_not_grow_with_rows(client: Client, people: dict) -> None:
    client.force_login(people["director"])
    c = debtor_case(people["clerk"])
    x = services.list_debtor(people["judge"], c, debtor(c), open_listing_data(dishonest_act="a"))
    services.record_trigger(people["judge"], x, trigger="applicant_request", trigger_on=x.decided_on)
    base = {
        u: _count(client, u)
        for u in ("/credit/supervision/", f"/cases/{c.pk}/credit/", "/credit/statistics/")
    }
    for i in range(5):
        from datetime import date

        from tests import factories

        d = debtor_case(
            people["clerk"], name=f"王{i}某", id_number=factories.make_id(date(1981, 1, 1), seq=500 + i)
        )
        y = services.list_debtor(people["judge"], d, debtor(d), open_listing_data(dishonest_act="a"))
        services.record_trigger(people["judge"], y, trigger="applicant_request", trigger_on=y.decided_on)
        services.expose(people["judge"], y)
    for url, n in base.items():
        assert _count(client, url) <= n + 1, url
    assert base["/credit/supervision/"] <= 12
    # + 2 × 3: the per-client and the global public limit, each a counter in the shared database cache
    # (locked read, sweep, write).
    assert _count(client, "/public/exposure/") <= 6 + 2 * 3


def test_partner_admin_shows_key_once_and_stores_only_its_hash(client: Client, courts: Any) -> None:
    from tests import factories
    from zhixing.credit.models import Partner
    from zhixing.credit.services.partners import digest

    admin = factories.staff(None, "director", username="root", is_superuser=True)
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    r = client.post(
        "/admin/credit/partner/add/",
        {"name": "某航空公司", "kind": "airline", "rate_per_minute": "600", "area_code": ""},
        follow=True,
    )
    assert r.status_code == 200
    partner = Partner.objects.get()
    text = r.content.decode()
    key = text.split("接口密钥（仅显示这一次，请立即妥善交付合作单位）：")[1].split("　")[0].strip()
    assert key.startswith("zxp_") and digest(key) == partner.key_digest
    page = client.get(f"/admin/credit/partner/{partner.pk}/change/").content.decode()
    assert key not in page and partner.key_digest not in page


def test_partner_admin_switches_privacy_mode_on_and_rotates_the_key(client: Client, courts: Any) -> None:
    from tests import factories
    from zhixing.core.models import AuditRecord
    from zhixing.credit.models import Partner, PrivacyTable
    from zhixing.credit.services.partners import create_partner

    admin = factories.staff(None, "director", username="root2", is_superuser=True)
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    partner, _key = create_partner(None, name="某铁路公司", kind="railway", rate_per_minute=600, area_code="")
    old_key = partner.hmac_key
    url = "/admin/credit/partner/"
    r = client.post(url, {"action": "privacy_on", "_selected_action": [partner.pk]}, follow=True)
    assert "某铁路公司：隐私模式比对表准备中" in r.content.decode()
    table = PrivacyTable.objects.get(partner=partner)
    assert table.status == "building"
    r = client.post(url, {"action": "privacy_rotate", "_selected_action": [partner.pk]}, follow=True)
    partner = Partner.objects.get(pk=partner.pk)
    assert partner.hmac_key != old_key and partner.hmac_key in r.content.decode()
    assert list(
        AuditRecord.objects.filter(action__startswith="screening.privacy").values_list("action", flat=True)
    ) == ["screening.privacy_only", "screening.privacy_enable", "screening.privacy_rotate"]
    assert partner.privacy_mode is True  # from now on only the privacy endpoints
