"""失信规定 Art 3: the ground-1 exception reads the asset register (controlled total against what is owed).

The case (principal 100,000.00, performance deadline 2025-12-15) owes 102,887.50 on 2026-03-10: the
principal plus delay interest at 1.75‱ a day for the 85 days from 2025-12-16 (迟延履行利息解释 Art 1).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.models import AuditRecord
from zhixing.credit import queries_record, rules, services
from zhixing.credit.models import Listing, Proposal
from zhixing.credit.services import approval
from zhixing.inquiry.models import Asset
from zhixing.inquiry.models import Partner as InquiryPartner

from .conftest import NOW, debtor, listing_data

pytestmark = pytest.mark.django_db
OWED = Decimal("102887.50")
CONFIRMED = {"guarantee_confirmed": True, "order_confirmed": True, "ability_confirmed": True}


def control(case: Any, amount: str, *, state: str = "frozen", ref: str = "A1", deducted: str = "0") -> Asset:
    bank = InquiryPartner.objects.get(code="BANK-ICBC")
    return Asset.objects.create(
        case=case,
        party=debtor(case),
        partner=bank,
        category=bank.category,
        kind="account" if state == "frozen" else "house",
        ref=ref,
        value=Decimal(amount),
        divisible=state == "frozen",
        state=state,
        frozen_amount=Decimal(amount) if state == "frozen" else Decimal("0"),
        deducted_amount=Decimal(deducted),
        found_at=NOW,
    )


# -- the rule ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("controlled", "owed", "covers"),
    [("0", "0", True), ("100.00", "100.00", True), ("100.01", "100.00", True), ("99.99", "100.00", False)],
)
def test_controlled_covers_is_greater_or_equal(controlled: str, owed: str, covers: bool) -> None:
    assert rules.controlled_covers(Decimal(controlled), Decimal(owed)) is covers


def test_refusal_names_both_figures_and_the_article() -> None:
    assert rules.ground1_refusal(Decimal("120000"), Decimal("102887.5")) == (
        "已控制财产 120,000.00 元 / 尚欠 102,887.50 元：已查封、扣押、冻结的财产足以清偿，"
        "不得以第1项情形（有履行能力而拒不履行）纳入失信名单（失信规定第3条第2项）"
    )


def test_exceptions_table_cites_each_item_and_the_judge_confirms_three() -> None:
    assert list(rules.GROUND1_EXCEPTIONS) == ["guarantee", "controlled", "order", "other"]
    for n, (_, label) in enumerate(rules.GROUND1_EXCEPTIONS.values(), start=1):
        assert f"失信规定第3条第{n}项" in label
    assert rules.GROUND1_JUDGE_CONFIRMS == ("guarantee_confirmed", "order_confirmed", "ability_confirmed")


# -- the record ---------------------------------------------------------------------------------------
def test_record_reads_controlled_total_and_what_is_owed(case: Any) -> None:
    control(case, "30000.00")
    control(case, "500000", state="seized", ref="粤(2020)不动产权第1号")
    r = queries_record.ground1_record(case)
    assert (r.applicable, r.controlled, r.owed, r.covered) == (True, Decimal("530000.00"), OWED, True)
    assert r.figures == "已控制财产 530,000.00 元 / 尚欠 102,887.50 元"


def test_act_performance_case_is_not_read(case: Any) -> None:
    type(case).objects.filter(pk=case.pk).update(obligation="deliver", obligation_detail="交付车辆一辆")
    case.refresh_from_db()
    control(case, "999999.00")
    r = queries_record.ground1_record(case)
    assert (r.applicable, r.covered, r.refusal) == (False, False, "")
    assert r.figures == "行为履行案件，不适用已控制财产核查"


# -- the listing service -------------------------------------------------------------------------------
def test_ground1_refused_with_figures_when_controls_cover(case: Any, people: dict) -> None:
    control(case, "102887.50")
    with pytest.raises(Conflict) as e:
        services.list_debtor(people["judge"], case, debtor(case), listing_data(ground=1, **CONFIRMED))
    assert e.value.field == "ground"
    assert e.value.message.startswith("已控制财产 102,887.50 元 / 尚欠 102,887.50 元：")
    assert not Listing.objects.exists()


def test_register_is_read_before_the_judges_confirmations(case: Any, people: dict) -> None:
    control(case, "200000.00")
    with pytest.raises(Conflict, match="第3条第2项"):
        services.list_debtor(people["judge"], case, debtor(case), listing_data(ground=1))


def test_ground1_listed_when_controls_fall_short_and_figures_kept(case: Any, people: dict) -> None:
    control(case, "102887.49")
    x = services.list_debtor(people["judge"], case, debtor(case), listing_data(ground=1, **CONFIRMED))
    assert (x.controlled_amount, x.owed_amount) == (Decimal("102887.49"), OWED)
    assert x.guarantee_confirmed and x.order_confirmed and x.ability_confirmed
    after = AuditRecord.objects.filter(action="credit.list").get().after
    assert (after["controlled"], after["owed"]) == ("102887.49", "102887.50")


@pytest.mark.parametrize("missing", ["guarantee_confirmed", "order_confirmed", "ability_confirmed"])
def test_judge_confirms_each_exception_the_record_cannot_know(case: Any, people: dict, missing: str) -> None:
    with pytest.raises(ServiceError) as e:
        services.list_debtor(
            people["judge"], case, debtor(case), listing_data(ground=1, **{**CONFIRMED, missing: False})
        )
    assert e.value.field == missing
    assert not Listing.objects.exists()


def test_other_grounds_do_not_read_the_register(case: Any, people: dict) -> None:
    control(case, "500000.00")
    x = services.list_debtor(people["judge"], case, debtor(case), listing_data(ground=4))
    assert x.controlled_amount is None and x.owed_amount is None


# -- API ------------------------------------------------------------------------------------------------
def test_api_shows_the_figures_before_deciding(client: Client, case: Any, people: dict) -> None:
    control(case, "30000.00")
    client.force_login(people["judge"])
    body = client.get(f"/api/v1/credit/cases/{case.pk}/ground1-check").json()
    assert body == {
        "applicable": True,
        "controlled": "30000.00",
        "owed": "102887.50",
        "covered": False,
        "figures": "已控制财产 30,000.00 元 / 尚欠 102,887.50 元",
        "refusal": "",
        "confirm": ["guarantee_confirmed", "order_confirmed", "ability_confirmed"],
    }
    r = client.post(
        f"/api/v1/credit/cases/{case.pk}/listings",
        data=json.dumps({"party_id": debtor(case).pk, "ground": 1, "dishonest_act": "拒不履行", **CONFIRMED}),
        content_type="application/json",
    )
    # The court president signs (ADR 0015): the figures are read again when the decision is made.
    assert r.status_code == 202, r.content
    client.force_login(people["president"])
    assert client.post(f"/api/v1/credit/approvals/{r.json()['id']}/approve").status_code == 200
    x = Listing.objects.get()
    assert (x.controlled_amount, x.owed_amount) == (Decimal("30000.00"), Decimal("102887.50"))


def test_api_refuses_with_the_figures(client: Client, case: Any, people: dict) -> None:
    control(case, "150000.00")
    client.force_login(people["judge"])
    check = client.get(f"/api/v1/credit/cases/{case.pk}/ground1-check").json()
    assert check["covered"] is True and check["confirm"] == []
    r = client.post(
        f"/api/v1/credit/cases/{case.pk}/listings",
        data=json.dumps({"party_id": debtor(case).pk, "ground": 1, "dishonest_act": "拒不履行", **CONFIRMED}),
        content_type="application/json",
    )
    assert r.status_code == 409 and r.json()["field"] == "ground"
    assert "已控制财产 150,000.00 元 / 尚欠 102,887.50 元" in r.json()["detail"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("judge", 200),
        ("director", 200),
        ("clerk", 200),
        ("gz_director", 200),
        ("gd_president", 200),
        ("yx_judge", 404),
        ("ft_director", 404),
    ],
)
def test_ground1_check_permissions(client: Client, case: Any, people: dict, who: str, status: int) -> None:
    client.force_login(people[who])
    assert client.get(f"/api/v1/credit/cases/{case.pk}/ground1-check").status_code == status


def test_ground1_check_anonymous(client: Client, case: Any) -> None:
    assert client.get(f"/api/v1/credit/cases/{case.pk}/ground1-check").status_code == 401


# -- page -------------------------------------------------------------------------------------------------
def test_page_shows_figures_and_confirmations(client: Client, case: Any, people: dict) -> None:
    control(case, "30000.00")
    client.force_login(people["judge"])
    page = client.get(f"/cases/{case.pk}/credit/").content.decode()
    assert "已控制财产 30,000.00 元 / 尚欠 102,887.50 元" in page
    assert 'data-covered="no"' in page and 'data-testid="confirm-order_confirmed"' in page
    r = client.post(
        f"/cases/{case.pk}/credit/list/",
        {"party": debtor(case).pk, "ground": "1", "dishonest_act": "拒不履行", "guarantee_confirmed": "on"},
        follow=True,
    )
    assert "履行顺序不在后" in r.content.decode() and not Listing.objects.exists()
    client.post(
        f"/cases/{case.pk}/credit/list/",
        {
            "party": debtor(case).pk,
            "ground": "1",
            "dishonest_act": "拒不履行",
            "guarantee_confirmed": "on",
            "order_confirmed": "on",
            "ability_confirmed": "on",
        },
    )
    approval.approve(people["president"], Proposal.objects.get())
    page = client.get(f"/cases/{case.pk}/credit/").content.decode()
    assert 'data-testid="listing-figures">已控制财产 30,000.00 元 / 尚欠 102,887.50 元' in page


def test_page_refuses_ground1_when_covered(client: Client, case: Any, people: dict) -> None:
    control(case, "102887.50")
    client.force_login(people["judge"])
    page = client.get(f"/cases/{case.pk}/credit/").content.decode()
    assert 'data-covered="yes"' in page and 'value="1" disabled' in page
    assert rules.ground1_refusal(Decimal("102887.50"), OWED) in page
    assert 'data-testid="confirm-guarantee_confirmed"' not in page
    r = client.post(
        f"/cases/{case.pk}/credit/list/",
        {
            "party": debtor(case).pk,
            "ground": "1",
            "dishonest_act": "拒不履行",
            **dict.fromkeys(CONFIRMED, "on"),
        },
        follow=True,
    )
    assert "办理未成功" in r.content.decode() and "尚欠 102,887.50 元" in r.content.decode()
    assert not Listing.objects.exists()


def test_page_for_another_court_is_404(client: Client, case: Any, people: dict) -> None:
    client.force_login(people["yx_judge"])
    assert client.get(f"/cases/{case.pk}/credit/").status_code == 404
