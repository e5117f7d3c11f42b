"""`next=` on every form that honours it: a path on this site is followed, anything else is not."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.funds.conftest import custody, receive  # noqa: F401 - fixture and helper of the funds tests
from zhixing.cases import services as case_services
from zhixing.cases.models import Extension
from zhixing.core.nexturl import is_same_site_path
from zhixing.funds import services as funds_services
from zhixing.funds.services.accounts import forget_custody_cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


OFF_SITE = [
    "https://evil.example/login/",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "http:/evil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    "/cases/\r\nLocation: https://evil.example/",
    "cases/1/",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_off_site_targets_are_not_paths_of_this_site(target: str) -> None:
    assert is_same_site_path(target) is False


@pytest.mark.parametrize("target", ["/", "/cases/1/?tab=nodes#n", "/funds/approvals/", "/%2F%2Fevil.example"])
def test_same_site_paths_are(target: str) -> None:
    assert is_same_site_path(target) is True


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(("target", "followed"), [*[(t, False) for t in OFF_SITE], ("/cases/", True)])
@pytest.mark.usefixtures("custody")
def test_payout_decision_follows_only_same_site_next(
    people: dict[str, Any], target: str, followed: bool
) -> None:
    forget_custody_cache()  # custody accounts cached by an earlier test's rows
    case = factories.case(people["clerk"])
    receive(case, "500000.00", "T-NEXT")  # more than the fee the case owes
    applicant = case.parties.get(role="applicant")
    payout = funds_services.propose(
        people["judge"], case, party_id=applicant.pk, amount="500.00",
        account_name=applicant.name, account_no="6222020000001",
    )  # fmt: skip
    resp = signed_in(people["judge2"]).post(
        reverse("funds_decide", args=[payout.pk]), {"decision": "approve", "next": target}
    )
    assert resp.status_code == 302
    assert resp["Location"] == (target if followed else reverse("funds_approvals"))


@pytest.mark.parametrize(("target", "followed"), [("//evil.example/", False), ("/", True)])
def test_extension_decision_follows_only_same_site_next(
    people: dict[str, Any], target: str, followed: bool
) -> None:
    case = factories.case(people["clerk"])
    case = case_services.assign_case(people["director"], case, people["judge"], on=case.filed_on)
    case_services.request_extension(people["judge"], case, reason="被执行人房产正在评估拍卖")
    ext = Extension.objects.get(case=case)
    resp = signed_in(people["president"]).post(
        reverse("extension_reject", args=[case.pk, ext.pk]), {"next": target}
    )
    assert resp["Location"] == (target if followed else f"/cases/{case.pk}/")


@pytest.mark.parametrize(("target", "followed"), [*[(t, False) for t in OFF_SITE[:6]], ("/cases/", True)])
def test_sign_in_and_out_follow_only_same_site_next(
    people: dict[str, Any], target: str, followed: bool
) -> None:
    client = Client()
    page = client.get("/login/", {"next": target})
    assert (f'name="next" value="{target}"' in page.content.decode()) is followed
    resp = client.post("/login/", {"username": "th_judge", "password": factories.PASSWORD, "next": target})
    assert resp.status_code == 302
    assert resp["Location"] == (target if followed else reverse("home"))
    out = client.post("/logout/", {"next": target})
    assert out["Location"] == (target if followed else reverse("login"))
