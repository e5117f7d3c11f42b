"""Live progress, confirmations and errors beside the field on the inquiry and case pages (ADR 0012)."""

from __future__ import annotations

import html as htmllib
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from tests.funds.test_confirm_pages import confirm_of
from tests.inquiry.conftest import open_case
from zhixing.cases.models import EnforcementCase
from zhixing.inquiry import queries, services
from zhixing.inquiry.models import Asset, InquiryRequest, Partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiet(settings: Any) -> None:
    settings.ZHIXING_INQUIRY = {"kick_on_commit": False}


def judge(people: dict[str, Any]) -> Client:
    c = Client()
    c.force_login(people["judge"])
    return c


def account(case: EnforcementCase, value: str = "51995.59", **kw: Any) -> Asset:
    partner = Partner.objects.get(code="BANK-ICBC")
    return Asset.objects.create(
        case=case,
        party=case.parties.get(role="debtor"),
        partner=partner,
        category=partner.category,
        kind="account",
        value=Decimal(value),
        found_at=datetime.now(ZoneInfo("Asia/Shanghai")),
        **{"ref": "ICBC015388343998", **kw},
    )


def test_round_progress_polls_until_every_request_is_answered(people: dict[str, Any], quiet: None) -> None:
    case = open_case(people)
    batch = services.start_inquiry(people["judge"], case, [c.code for c in queries.categories()])
    n = batch.request_count
    assert n > 1
    c = judge(people)
    url = reverse("inquiry_case_requests", args=[case.pk])
    page = c.get(url).content.decode()
    assert f'hx-get="{url}?was=moving" hx-trigger="every 2s" hx-swap="outerHTML"' in page
    assert f"已反馈 0/{n}" in page and '<progress max="100" value="0"' in page
    assert page.count('data-status="pending"') == n and "联动单位反馈后自动更新" in page
    assert 'id="register"' not in page  # the register comes only when the round ends

    first = InquiryRequest.objects.filter(batch_id=batch.pk).order_by("id").first()
    assert first is not None
    InquiryRequest.objects.filter(pk=first.pk).update(status="done")
    page = c.get(url + "?was=moving").content.decode()
    assert f"已反馈 1/{n}" in page and "every 2s" in page and 'id="register"' not in page

    InquiryRequest.objects.filter(batch_id=batch.pk).update(status="done")
    InquiryRequest.objects.filter(pk=first.pk).update(status="failed")  # a failure is an answer too
    page = c.get(url + "?was=moving").content.decode()
    assert "hx-trigger" not in page.split("</section>")[0]  # polling stops
    assert f"已反馈 {n}/{n}" in page and "本轮查控已全部反馈，财产登记已更新" in page
    assert 'id="register" data-testid="register" hx-swap-oob="true"' in page
    assert 'id="inquiry-facts" hx-swap-oob="true"' in page


def test_full_page_polls_while_a_control_order_is_in_flight(people: dict[str, Any], quiet: None) -> None:
    case = open_case(people)
    c = judge(people)
    page = c.get(reverse("inquiry_case", args=[case.pk])).content.decode()
    assert 'hx-trigger="every 2s"' not in page and 'id="round-progress"' not in page  # nothing in flight
    asset = account(case)
    InquiryRequest.objects.create(
        case=case,
        court=case.court,
        party=asset.party,
        partner=asset.partner,
        action="freeze",
        asset=asset,
        amount=Decimal("10"),
        status="waiting",
        idempotency_key="pg-1",
        notice_number="N1",
    )
    page = c.get(reverse("inquiry_case", args=[case.pk])).content.decode()
    assert 'data-moving="1"' in page and 'hx-trigger="every 2s"' in page


def test_requests_partial_refuses_other_courts(people: dict[str, Any], quiet: None) -> None:
    case = open_case(people)
    url = reverse("inquiry_case_requests", args=[case.pk])
    assert Client().get(url).status_code == 302
    other = Client()
    other.force_login(people["yx_director"])
    assert other.get(url).status_code == 404


def test_freeze_amount_is_prefilled_with_the_claim_capped_by_the_balance(
    people: dict[str, Any], quiet: None
) -> None:
    case = open_case(people)
    small = account(case, "1000.00")
    _, _, room = queries.case_headroom(case)
    assert room > Decimal("1000.00")
    page = judge(people).get(reverse("inquiry_case", args=[case.pk])).content.decode()
    field = page.split(f'data-testid="freeze-amount-{small.pk}"')[1].split(">")[0]
    assert 'value="1000.00"' in field
    big = account(case, str(room + 5000), ref="ICBC-BIG")
    page = judge(people).get(reverse("inquiry_case", args=[case.pk])).content.decode()
    field = page.split(f'data-testid="freeze-amount-{big.pk}"')[1].split(">")[0]
    assert f'value="{room:.2f}"' in field


def test_refused_freeze_shows_beside_the_field_and_returns_to_the_row(
    people: dict[str, Any], quiet: None
) -> None:
    case = open_case(people)
    asset = account(case)
    c = judge(people)
    resp = c.post(reverse("inquiry_control", args=[asset.pk]), {"action": "freeze", "amount": "-3"})
    assert resp.status_code == 302
    assert resp["Location"] == reverse("inquiry_case", args=[case.pk]) + f"#asset-{asset.pk}"
    page = c.get(resp["Location"]).content.decode()
    field = page.split(f'data-testid="freeze-amount-{asset.pk}"')[1].split("</form>")[0]
    assert 'value="-3"' in field and 'aria-invalid="true"' in field
    assert f'<span class="field-error" id="freeze-error-{asset.pk}"' in field
    assert "冻结金额不能为负数" in field
    assert 'id="messages"' not in page  # not at the page top as well
    page = c.get(resp["Location"]).content.decode()  # shown once: a reload is a clean form
    assert f"freeze-error-{asset.pk}" not in page and InquiryRequest.objects.count() == 0


def test_deduct_and_release_ask_with_the_figures(people: dict[str, Any], quiet: None) -> None:
    case = open_case(people)
    asset = account(case, state="frozen", frozen_amount=Decimal("12000.00"), seizure_rank=None)
    page = judge(people).get(reverse("inquiry_case", args=[case.pk])).content.decode()
    assert confirm_of(page, f'id="deduct-form-{asset.pk}"') == (
        f"将从{asset.partner.name}账户 ICBC015388343998 扣划已冻结的 12,000.00 元至法院执行款专户，"
        "资金划出后不能退回账户，操作不可撤销。"
    )
    assert confirm_of(page, f'id="release-form-{asset.pk}"') == (
        "将解除对账户 ICBC015388343998 的已冻结（已冻结 12,000.00 元）：解除后被执行人即可处分该财产，"
        "如需再控制须重新申请，操作不可撤销。"
    )


def test_close_asks_with_the_amount_still_owed_and_errors_sit_beside_their_field(
    people: dict[str, Any], quiet: None
) -> None:
    case = open_case(people)
    c = judge(people)
    page = c.get(reverse("case_detail", args=[case.pk])).content.decode()
    owed = htmllib.unescape(page.split('id="claim-owed">')[1].split("<")[0])
    assert confirm_of(page, 'data-testid="form-close"') == (
        f"将对 {case.number} 按所选方式结案（尚需执行金额 {owed} 元）：结案后案件只读，节点与执行期限停止，"
        "结案信息报送上级法院，操作不可撤销；如需继续执行须另行恢复执行立案。"
    )
    page = c.post(
        reverse("case_close", args=[case.pk]),
        {"mode": "performed", "closed_on": "2026-03-10", "performed__how": "voluntary"},
    ).content.decode()
    row = page.split('data-field="performed__document_ref"')[1].split("</ul>")[0]
    assert 'aria-invalid="true"' in row and "请填写“结案通知书文号”" in row  # formerrors.js focuses it
    assert 'id="action-close" open' in page


def test_page_scripts_are_served_by_the_platform(people: dict[str, Any], quiet: None) -> None:
    page = judge(people).get(reverse("home")).content.decode()
    for name in ("confirm.js", "downloads.js", "formerrors.js"):
        assert f'<script src="/static/zhixing/{name}"></script>' in page
    assert "cdn" not in page.lower()
