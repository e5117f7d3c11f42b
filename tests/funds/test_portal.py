"""The remote-payout link is a credential (finding 16): it expires, throttles and locks identity checks,
and every change of the receiving account needs a fresh check from the browser making it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from zhixing.core.models import AuditRecord
from zhixing.funds import services
from zhixing.funds.models import PortalToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def party(case: Any) -> Any:
    return case.parties.get(role="applicant")


@pytest.fixture
def link(case: Any, people: dict[str, Any], party: Any) -> PortalToken:
    return services.issue_token(people["judge"], case, party.pk)


def url(tok: PortalToken) -> str:
    return reverse("funds_portal", args=[tok.token])


def verify(client: Client, tok: PortalToken, id_number: str, photo: str = "live", **extra: Any) -> Any:
    return client.post(url(tok), {"step": "verify", "id_number": id_number, "photo": photo}, **extra)


def set_account(
    client: Client, tok: PortalToken, account_no: str, name: str = "广州某银行股份有限公司"
) -> Any:
    """Confirm (or change) the receiving account; the default name is the applicant's (factories)."""
    return client.post(
        url(tok), {"step": "account", "account_name": name, "account_no": account_no, "bank_name": "工行"}
    )


def test_link_expires_after_the_configured_days_and_is_reissued(client, case, people, party, settings):
    settings.FUNDS_PORTAL_LINK_DAYS = 7
    tok = services.issue_token(people["judge"], case, party.pk)
    assert tok.expires_at - tok.created_at == timedelta(days=7)
    assert services.issue_token(people["judge"], case, party.pk).pk == tok.pk  # still live: same link
    with time_machine.travel(tok.expires_at + timedelta(seconds=1)):
        r = client.get(url(tok))
        assert r.status_code == 410 and "此链接已过期" in r.content.decode()
        assert case.number not in r.content.decode()  # an expired link shows nothing of the case
        assert verify(client, tok, party.credit_code).status_code == 410
        client.force_login(people["judge"])
        money = client.get(reverse("funds_case_money", args=[case.pk])).content.decode()
        assert "此链接已过期" in money and "重新生成链接" in money and tok.token not in money
        client.logout()
        fresh = services.issue_token(people["judge"], case, party.pk)
        assert fresh.pk != tok.pk and fresh.token != tok.token
        assert client.get(url(fresh)).status_code == 200
    tok.refresh_from_db()
    assert tok.verified_at is None


def test_links_issued_before_expiry_existed_are_expired(client, case, party):
    legacy = PortalToken.objects.create(token="legacy-token-without-expiry", case=case, party_id=party.pk)
    assert client.get(url(legacy)).status_code == 410


def test_link_locks_after_repeated_failed_checks(client, link, party, settings, bank):
    settings.FUNDS_PORTAL_MAX_FAILURES = 3
    for left in (2, 1):
        page = verify(client, link, "91440101MA00000000").content.decode()
        assert f"还可尝试{left}次" in page
    r = verify(client, link, party.credit_code, photo="spoof")  # right ID, wrong face: same answer, counted
    assert r.status_code == 410 and "此链接已锁定" in r.content.decode()
    link.refresh_from_db()
    assert link.failed_checks == 3 and link.locked_at is not None
    r = verify(client, link, party.credit_code)  # even the right person must ask for a new link now
    assert r.status_code == 410
    link.refresh_from_db()
    assert link.verified_at is None
    audits = AuditRecord.objects.filter(action="funds.portal_check_failed", object_id=str(link.pk))
    assert [a.after["failed"] for a in audits.order_by("pk")] == ["id_number", "id_number", "face"]


def test_identity_checks_are_throttled_per_link(client, link, settings):
    settings.FUNDS_PORTAL_CHECKS_PER_LINK = 2
    settings.FUNDS_PORTAL_MAX_FAILURES = 100
    assert verify(client, link, "X1").status_code == 200
    assert verify(client, link, "X2").status_code == 200
    other_client = Client(REMOTE_ADDR="10.9.9.9")
    r = verify(other_client, link, "X3")  # another address, the same link
    assert r.status_code == 429 and "请求过于频繁" in r.content.decode()
    assert 1 <= int(r.headers["Retry-After"]) <= 3600  # the link's window (an hour by default)
    link.refresh_from_db()
    assert link.failed_checks == 2  # the throttled attempt never reached the check


def test_identity_checks_are_throttled_per_client(client, case, people, party, settings):
    settings.FUNDS_PORTAL_CHECKS_PER_CLIENT = 2
    other_case = factories.case(people["clerk"])
    links = [
        services.issue_token(people["judge"], case, party.pk),
        services.issue_token(people["judge"], other_case, other_case.parties.get(role="applicant").pk),
    ]
    assert verify(client, links[0], "X1").status_code == 200
    assert verify(client, links[1], "X2").status_code == 200
    assert verify(client, links[1], "X3").status_code == 429  # the same address, any link
    assert verify(Client(REMOTE_ADDR="10.9.9.8"), links[1], "X4").status_code == 200


def test_changing_the_account_needs_a_fresh_check_each_time(client, link, party, bank):
    assert set_account(client, link, "6222020000001111").status_code == 200  # not verified: refused
    link.refresh_from_db()
    assert link.confirmed_at is None
    verify(client, link, party.credit_code)
    set_account(client, link, "6222 0200 0000 1111")
    link.refresh_from_db()
    assert (link.account_no, link.account_name) == ("6222020000001111", party.name)
    # The check was used up by that confirmation: a change needs a new one.
    page = set_account(client, link, "6222020000009999", name="别人").content.decode()
    assert "请先完成人脸身份核验" in page
    link.refresh_from_db()
    assert link.account_no == "6222020000001111"
    verify(client, link, party.credit_code)
    set_account(client, link, "6222020000009999")
    link.refresh_from_db()
    assert link.account_no == "6222020000009999"
    change = AuditRecord.objects.filter(action="funds.portal_account").order_by("-pk").first()
    assert (
        change.before["account_no"] == "6222020000001111" and change.after["account_no"] == "6222020000009999"
    )


def test_a_check_is_valid_only_in_its_browser_and_its_window(client, link, party, settings, bank):
    settings.FUNDS_PORTAL_VERIFY_MINUTES = 15
    verify(client, link, party.credit_code)
    intruder = Client()  # holds the link, not the session that passed the check
    page = set_account(intruder, link, "6222020000007777", name="别人").content.decode()
    assert "请先完成人脸身份核验" in page
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert "请先完成人脸身份核验" in set_account(client, link, "6222020000007777").content.decode()
    link.refresh_from_db()
    assert link.confirmed_at is None


@pytest.mark.parametrize(
    ("account_no", "name", "message"),
    [
        ("6222abcd0000", "", "“收款账号”只能由数字组成"),
        ("1234567", "", "“收款账号”应为8至30位数字（现为7位）"),
        ("1" * 31, "", "“收款账号”应为8至30位数字（现为31位）"),
        ("62220200000011", "甲" * 61, "“收款户名”不能超过60个字符（现为61个）"),
    ],
)
def test_portal_account_is_validated(client, link, party, bank, account_no, name, message):
    verify(client, link, party.credit_code)
    page = set_account(client, link, account_no, **({"name": name} if name else {})).content.decode()
    assert message in page
    link.refresh_from_db()
    assert link.confirmed_at is None
    assert set_account(client, link, "62220200000011").status_code == 302  # the check was not used up


def test_a_control_character_in_the_portal_form_is_refused_at_the_door(client, link, party, bank):
    """A NUL never reaches the portal's own checks: the input guard answers 400 naming the field."""
    verify(client, link, party.credit_code)
    response = set_account(client, link, "62220200000011", name="张\x00三")
    assert response.status_code == 400
    assert "account_name" in response.content.decode()
    link.refresh_from_db()
    assert link.confirmed_at is None
    assert set_account(client, link, "62220200000011").status_code == 302  # the check was not used up
