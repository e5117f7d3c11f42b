"""Irreversible money actions ask first, with the figures (issue 13, ADR 0012): 同意发款, 发送, 撤回."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.urls import reverse

from .conftest import receive
from .test_payouts import approve_all, propose

pytestmark = pytest.mark.django_db


def confirm_of(page: str, marker: str) -> str:
    """The data-confirm text on the element (or its form) that carries `marker`."""
    for m in re.finditer(r"<(form|button)\b[^>]*>", page):
        tag = m.group(0)
        if marker in tag or marker in page[m.end() : m.end() + 400].split("</form>")[0]:
            got = re.search(r'data-confirm="([^"]*)"', tag)
            if got:
                return html.unescape(got.group(1))
    raise AssertionError(f"no data-confirm near {marker}")


def test_approve_asks_with_payee_account_and_amount(client: Any, people: dict[str, Any], case: Any) -> None:
    receive(case, "120000.00", "CF1")
    p = propose(case, people, amount="12000.00")
    client.force_login(people["judge2"])
    page = client.get(reverse("funds_approvals")).content.decode()
    text = confirm_of(page, 'value="approve"')
    assert text == (
        f"同意向{p.account_name}（账号 6222020000001）发款 12,000.00 元"
        f"（{case.number}，{p.get_purpose_display()}）："
        "本级审批意见提交后不能撤回，末级同意后即发送支付指令。"
    )
    # 驳回 on the same form does not ask (nothing irreversible), only the 同意 button carries it.
    assert 'value="reject" class="small secondary reject-btn">' in page


def test_send_asks_with_account_and_amount(client: Any, people: dict[str, Any], case: Any) -> None:
    receive(case, "120000.00", "CF2")
    p = approve_all(propose(case, people, amount="12000.00"), people)
    client.force_login(people["finance"])
    page = client.get(reverse("funds_finance")).content.decode()
    text = confirm_of(page, f'action="{reverse("funds_send", args=[p.pk])}"')
    assert text == (
        f"将向 {p.account_name}（开户行未填 6222020000001）支付 12,000.00 元（{case.number}）："
        "支付指令发出后资金划转不可撤销。"
    )


def test_cancel_asks_with_the_payout(client: Any, people: dict[str, Any], case: Any) -> None:
    receive(case, "120000.00", "CF3")
    p = propose(case, people, amount="12000.00")
    client.force_login(people["judge"])
    page = client.get(reverse("funds_case_money", args=[case.pk])).content.decode()
    text = confirm_of(page, f'action="{reverse("funds_cancel", args=[p.pk])}"')
    assert text == (
        f"将撤回发款#{p.pk}（{p.account_name}，12,000.00 元）："
        "已作出的审批意见作废，撤回后不能恢复，须重新提出发款。"
    )


def test_refused_proposal_shows_beside_its_field_with_what_was_typed(
    client: Any, people: dict[str, Any], case: Any
) -> None:
    receive(case, "90000.00", "CF4")
    client.force_login(people["judge"])
    applicant = case.parties.get(role="applicant")
    resp = client.post(
        reverse("funds_propose", args=[case.pk]),
        {
            "party_id": applicant.pk,
            "purpose": "applicant",
            "amount": "90000.00",
            "account_name": "名" * 70,
            "account_no": "6222020000001",
            "bank_name": "工商银行",
        },
    )
    assert resp["Location"] == reverse("funds_case_money", args=[case.pk]) + "#propose-form"
    page = client.get(resp["Location"]).content.decode()
    form = page.split('id="propose-form"')[1].split("</form>")[0]
    field = form.split('name="account_name"')[1].split("</label>")[0]
    assert f'value="{"名" * 70}"' in field and 'aria-invalid="true"' in field
    assert "“收款户名”不能超过60个字符（现为70个）" in field
    assert 'value="6222020000001"' in form and 'value="工商银行"' in form
    assert 'id="funds-error"' not in page  # beside the field, not in a box at the page top
