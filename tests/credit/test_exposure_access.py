"""Exposure notices on the case's credit page and the staff API: states, reasons, who may do what.

No partner is contacted here (delivery is `test_exposure_delivery.py`): notices are put into each state
the way the dispatcher leaves them, through `delivery.apply_answer`.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zhixing.credit import services
from zhixing.credit.models import ExposureNotice, Listing
from zhixing.credit.services import delivery

from .conftest import ADULT_ID, debtor, debtor_case, listing_data
from .test_pages import READERS, ROLES, WRITERS, as_

pytestmark = pytest.mark.django_db
N = ExposureNotice.Status


def answer(n: ExposureNotice, reply: dict[str, Any] | None, error: str = "") -> ExposureNotice:
    delivery.claim(100, only=[n.pk])
    delivery.apply_answer(n.pk, n.idempotency_key, reply, error)
    n.refresh_from_db()
    return n


@pytest.fixture
def exposed(case: Any, people: dict) -> Listing:
    for code, area in (("MEDIA-GZTV", "4401"), ("MEDIA-GDAPP", "44"), ("MEDIA-THRM", ADULT_ID[:6])):
        services.create_partner(None, name=code, kind="media", area_code=area, code=code)
    x = services.list_debtor(people["judge"], case, debtor(case), listing_data())
    services.expose(people["judge"], x)
    return x


def notice(x: Listing, code: str) -> ExposureNotice:
    return ExposureNotice.objects.get(listing=x, partner__code=code)


def test_page_shows_each_state_with_reason_and_impressions(
    client: Client, exposed: Listing, people: dict
) -> None:
    sent = answer(notice(exposed, "MEDIA-GZTV"), {"status": "done", "result": {"ref": "GZ-1"}})
    services.report_impressions(sent.partner, sent.pk, 4321)
    answer(
        notice(exposed, "MEDIA-GDAPP"), {"status": "error", "reason": "当日推送额度已满", "retryable": False}
    )
    client.force_login(people["judge"])
    page = client.get(f"/cases/{exposed.case_id}/credit/").content.decode()
    assert page.count('data-status="sent"') == 2 and 'data-testid="exposure-impressions">4321' in page
    assert "媒体拒收：当日推送额度已满" in page and page.count('data-testid="resend"') == 2
    assert page.count('data-status="queued"') == 2  # MEDIA-THRM: in the debtor's card and the case's list


def test_api_lists_the_notices(client: Client, exposed: Listing, people: dict) -> None:
    answer(notice(exposed, "MEDIA-GDAPP"), None, "连接失败或超时（ConnectionRefusedError）")
    client.force_login(people["clerk"])
    rows = {
        r["partner_code"]: r for r in client.get(f"/api/v1/credit/cases/{exposed.case_id}/exposures").json()
    }
    assert set(rows) == {"MEDIA-GZTV", "MEDIA-GDAPP", "MEDIA-THRM"}
    app = rows["MEDIA-GDAPP"]
    assert (app["status"], app["status_label"], app["attempts"]) == ("queued", "待推送", 1)
    assert app["reason"].startswith("第1次推送未成功：连接失败或超时（ConnectionRefusedError）；将于")
    assert rows["MEDIA-GZTV"]["area_code"] == "440106" and rows["MEDIA-GZTV"]["impressions"] == 0


@pytest.mark.parametrize("who", ROLES)
def test_withdraw_and_resend_page_actions_matrix(
    client: Client, exposed: Listing, people: dict, who: str | None
) -> None:
    refused = answer(
        notice(exposed, "MEDIA-GDAPP"), {"status": "error", "reason": "不覆盖", "retryable": False}
    )
    as_(client, people, who)
    a = client.post(f"/cases/{exposed.case_id}/credit/resend_exposure/", {"notice": refused.pk})
    refused.refresh_from_db()
    b = client.post(
        f"/cases/{exposed.case_id}/credit/withdraw_exposure/", {"listing": exposed.pk, "reason": "已删除"}
    )
    withdrawn = ExposureNotice.objects.filter(
        listing=exposed, status__in=[N.WITHDRAWN, N.WITHDRAWING]
    ).count()
    if who in WRITERS:
        assert (a.status_code, b.status_code) == (302, 302)
        assert withdrawn == 3
    else:
        assert refused.status == N.REFUSED and withdrawn == 0
        expected = 302 if who is None else 403 if who in READERS else 404
        assert (a.status_code, b.status_code) == (expected, expected)


@pytest.mark.parametrize(
    ("who", "read", "write"),
    [
        ("judge", 200, 200),
        ("director", 200, 200),
        ("clerk", 200, 403),
        ("assistant", 200, 403),
        ("gz_director", 200, 403),
        ("gd_president", 200, 403),
        ("yx_judge", 404, 404),
        ("ft_director", 404, 404),
    ],
)
def test_staff_exposure_api_matrix(
    client: Client, exposed: Listing, people: dict, who: str, read: int, write: int
) -> None:
    refused = answer(
        notice(exposed, "MEDIA-GDAPP"), {"status": "error", "reason": "不覆盖", "retryable": False}
    )
    client.force_login(people[who])
    assert client.get(f"/api/v1/credit/cases/{exposed.case_id}/exposures").status_code == read
    r = client.post(f"/api/v1/credit/exposures/{refused.pk}/resend")
    assert r.status_code == write, r.content
    r = client.post(
        f"/api/v1/credit/listings/{exposed.pk}/exposures/withdraw",
        data=json.dumps({"reason": "已删除"}),
        content_type="application/json",
    )
    assert r.status_code == write, r.content
    if write == 200:
        assert r.json() == {"withdrawn": 3}
    r = client.post(
        f"/api/v1/credit/listings/{exposed.pk}/expose", data=json.dumps({}), content_type="application/json"
    )
    assert r.status_code == write, r.content


def test_staff_exposure_api_anonymous(client: Client, exposed: Listing) -> None:
    assert client.get(f"/api/v1/credit/cases/{exposed.case_id}/exposures").status_code == 401
    assert client.post(f"/api/v1/credit/listings/{exposed.pk}/exposures/withdraw").status_code == 401


def test_resend_only_refused_or_failed(client: Client, exposed: Listing, people: dict) -> None:
    client.force_login(people["judge"])
    r = client.post(f"/api/v1/credit/exposures/{notice(exposed, 'MEDIA-GZTV').pk}/resend")
    assert r.status_code == 409 and r.json()["field"] == "notice"


def test_expose_api_targets_and_withdraw_api_needs_reason(client: Client, case: Any, people: dict) -> None:
    services.create_partner(None, name="广州台", kind="media", area_code="4401", code="MEDIA-GZTV")
    services.create_partner(None, name="深圳报", kind="media", area_code="4403", code="MEDIA-SZNEWS")
    x = services.list_debtor(people["judge"], case, debtor(case), listing_data())
    client.force_login(people["judge"])
    r = client.post(
        f"/api/v1/credit/listings/{x.pk}/expose", data=json.dumps({}), content_type="application/json"
    )
    assert [n["partner_code"] for n in r.json()] == ["MEDIA-GZTV"] and r.json()[0]["status"] == "queued"
    r = client.post(
        f"/api/v1/credit/listings/{x.pk}/exposures/withdraw",
        data=json.dumps({"reason": ""}),
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["field"] == "reason"


def test_case_page_query_budget_does_not_grow_with_notices(client: Client, people: dict) -> None:
    for code, area in (("MEDIA-A", "44"), ("MEDIA-B", "")):
        services.create_partner(None, name=code, kind="media", area_code=area, code=code)
    c = debtor_case(people["clerk"])
    x = services.list_debtor(people["judge"], c, debtor(c), listing_data())
    client.force_login(people["judge"])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/cases/{c.pk}/credit/").status_code == 200
        return len(ctx.captured_queries)

    services.expose(people["judge"], x)
    base = count()
    for i in range(5):
        services.create_partner(None, name=f"媒体{i}", kind="media", area_code="4401", code=f"MEDIA-X{i}")
    services.expose(people["judge"], x)
    assert ExposureNotice.objects.filter(listing=x).count() == 7
    assert count() <= base


def test_removing_a_listing_withdraws_its_live_notices_in_the_same_transaction(
    client: Client, exposed: Listing, people: dict
) -> None:
    """The consequence table (zhixing.measures, 失信信息删除 × 媒体曝光 → 删除, automatic) withdraws
    them with the removal; the page has nothing left to offer for a removed listing."""
    answer(notice(exposed, "MEDIA-GZTV"), {"status": "done", "result": {"ref": "GZ-1"}})
    services.remove_listing(people["judge"], exposed, trigger="early")  # fixed term: Art 2(2)
    rows = dict(ExposureNotice.objects.filter(listing=exposed).values_list("partner__code", "status"))
    assert rows == {"MEDIA-GZTV": N.WITHDRAWING, "MEDIA-GDAPP": N.WITHDRAWN, "MEDIA-THRM": N.WITHDRAWN}
    client.force_login(people["judge"])
    page = client.get(f"/cases/{exposed.case_id}/credit/").content.decode()
    assert 'data-testid="withdraw-removed"' not in page


def test_a_withdrawal_reason_holding_a_nul_names_the_field(
    client: Client, exposed: Listing, people: dict
) -> None:
    """Found by the API fuzzer: "\\u0000" in the JSON body is a NUL once parsed (a 500 on PostgreSQL)."""
    client.force_login(people["judge"])
    r = client.post(
        f"/api/v1/credit/listings/{exposed.pk}/exposures/withdraw",
        data='{"reason": "已删除\\u0000"}',
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["field"] == "reason", r.content
