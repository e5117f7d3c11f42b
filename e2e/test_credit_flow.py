"""Credit punishment end to end: list → public query (masked) → partner refuses a ticket → debtor pays →
the periodic scan removes the listing within 3 working days → the public page no longer shows the debtor."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from e2e.conftest import accept_confirm, login
from tests import factories
from zhixing.cases import services as case_services
from zhixing.credit import queries, services
from zhixing.credit.models import Listing, Proposal
from zhixing.credit.services import approval

TZ = ZoneInfo("Asia/Shanghai")
DEBTOR_ID = factories.make_id(date(1980, 5, 6), seq=111)


def _reference_data() -> None:
    """Transactional tests flush the database; put the cases reference data (a data migration) back."""
    from django.apps import apps

    importlib.import_module("zhixing.cases.migrations.0003_reference_data").load(apps, None)


@pytest.fixture
def world(transactional_db: Any) -> Iterator[dict[str, Any]]:
    _reference_data()
    queries.reset_index()
    with time_machine.travel(datetime(2026, 3, 10, 10, tzinfo=TZ), tick=True):
        courts = factories.province()
        clerk = factories.staff(courts["th"], "clerk", username="e2e_clerk")
        judge = factories.staff(courts["th"], "judge", username="e2e_judge")
        case = factories.case(
            clerk,
            parties=[
                case_services.PartyData(
                    role="applicant",
                    kind="organisation",
                    name="广州某银行股份有限公司",
                    credit_code=factories.VALID_CREDIT,
                    legal_representative="陈行长",
                ),
                case_services.PartyData(role="debtor", kind="person", name="张三", id_number=DEBTOR_ID),
            ],
        )
        factories.serve_notice(case)  # the enforcement notice served on filing (失信规定 Art 5(1))
        _, key = services.create_partner(None, name="国铁集团12306", kind="railway")
        yield {"judge": judge, "case": case, "key": key}
    queries.reset_index()


def test_credit_flow(page: Any, world: dict[str, Any]) -> None:
    case = world["case"]
    login(page, "e2e_judge", factories.PASSWORD)

    # 1. The judge lists the debtor on ground (4) with a decision document.
    page.goto(f"/cases/{case.pk}/credit/")
    form = page.locator('[data-testid="list-form"]')
    form.locator('[data-testid="ground"]').select_option("4")
    form.locator('[data-testid="dishonest-act"]').fill("拒不报告财产")
    form.locator('[data-testid="list-submit"]').click()
    accept_confirm(page, "纳入失信被执行人名单")
    page.wait_for_selector('[data-testid="proposal"][data-status="pending"]')
    assert "纳入失信被执行人名单" in page.inner_text("#messages")
    # The court president signs it (ADR 0015; his pages are walked in test_credit_decision_walk.py).
    signed = approval.approve(
        factories.staff(case.court, "president", username="e2e_president"), Proposal.objects.get()
    )
    approval.record_service(world["judge"], signed, method="personal", on=date(2026, 3, 10))
    page.reload()
    page.wait_for_selector('[data-testid="listed"]')
    page.click('[data-testid="decision-link"]')
    page.wait_for_selector('[data-testid="decision"]')
    assert "决 定 书" in page.inner_text('[data-testid="decision"]')

    # 2. The public page finds the debtor, ID masked.
    page.goto("/public/blacklist/?q=zhangsan")
    row = page.locator('[data-testid="public-row"]')
    assert row.count() == 1
    assert page.inner_text('[data-testid="public-id"]') == DEBTOR_ID[:4] + "*" * 14
    assert DEBTOR_ID not in page.content()

    # 3. The railway partner's check refuses a high-speed-train ticket.
    r = page.request.post(
        "/api/v1/screening/check", data={"id": DEBTOR_ID}, headers={"X-Partner-Key": world["key"]}
    )
    body = r.json()
    assert r.status == 200 and body["restricted"] is True and "hsr" in body["restrictions"]
    assert body["cases"][0]["case_number"] == case.number

    # 4. The debtor pays: the case closes as performed (cases service).
    case_services.close_case(
        world["judge"],
        case,
        mode="performed",
        closed_on=date(2026, 3, 10),
        details={"document_ref": "（2026）粤0106执结1号", "performed_amount": "100000", "how": "voluntary"},
    )

    # 5. A ground-(4) listing has a 2-year term: the closing does not delete it (失信规定 Art 10(2) excludes
    # fixed-term listings from the Art 10(1) triggers) and neither does the scan; the court deletes it
    # early because the debtor performed (Art 2(2)).
    listing = Listing.objects.get(case=case)
    assert listing.status == "active"
    with time_machine.travel(datetime(2026, 3, 12, 9, tzinfo=TZ), tick=False):
        assert services.scan_credit().removed == 0
    services.remove_listing(world["judge"], listing, trigger="early", note="已全部履行")
    listing.refresh_from_db()
    assert listing.status == "removed" and listing.removal_trigger == "early"

    # 6. The public page no longer shows the debtor; the partner check clears.
    page.goto("/public/blacklist/?q=zhangsan")
    page.wait_for_selector('[data-testid="public-empty"]')
    r = page.request.post(
        "/api/v1/screening/check", data={"id": DEBTOR_ID}, headers={"X-Partner-Key": world["key"]}
    )
    assert r.json()["restricted"] is False


def test_applicant_request_recorded_in_the_page_is_removed_by_the_scan(
    page: Any, world: dict[str, Any]
) -> None:
    """The judge records the applicant's written request (Art 10(1)(3)); the director sees the due date;
    the scan deletes the listing within 3 working days."""
    case = world["case"]
    listing = services.list_debtor(
        world["judge"],
        case,
        case.parties.get(role="debtor"),
        # Ground (1), no fixed term: the Art 10(1) triggers apply to it (Art 10(2) excludes grounds 2–6).
        services.ListingData(
            ground=1,
            dishonest_act="有履行能力而拒不履行",
            guarantee_confirmed=True,
            order_confirmed=True,
            ability_confirmed=True,
        ),
    )
    factories.staff(case.court, "director", username="e2e_director")
    login(page, "e2e_judge", factories.PASSWORD)
    page.goto(f"/cases/{case.pk}/credit/")
    form = page.locator('[data-testid="trigger-form"]')
    form.locator('[data-testid="trigger"]').select_option("applicant_request")
    form.locator('[data-testid="trigger-on"]').fill("2026-03-10")
    form.locator('[data-testid="trigger-submit"]').click()
    page.wait_for_selector('[data-testid="removal-due"]')
    assert "2026-03-13" in page.inner_text('[data-testid="removal-due"]')
    assert "系统将自动删除" in page.inner_text("#messages")

    page.context.clear_cookies()
    login(page, "e2e_director", factories.PASSWORD)
    page.goto("/credit/supervision/")
    row = page.locator('[data-testid="removal-row"]')
    assert row.count() == 1 and row.get_attribute("data-overdue") == "0"

    with time_machine.travel(datetime(2026, 3, 11, 9, tzinfo=TZ), tick=False):
        assert services.scan_credit().removed == 1
    listing.refresh_from_db()
    assert listing.status == "removed" and listing.removed_on == date(2026, 3, 11)
    page.goto("/public/blacklist/?q=zhangsan")
    page.wait_for_selector('[data-testid="public-empty"]')
