"""Organisation debtors in distribution (issue 15 item 4): a partnership or another 其他组织 shares
ordinary claims pro rata (民诉解释 Arts 506, 508 (2022)), an enterprise legal person by seizure date
(Art 514); the plan names the debtor whose property it distributes — every debtor of the case is
considered, not only the first."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests import factories
from zhixing.cases.services import PartyData
from zhixing.core.errors import ServiceError
from zhixing.funds import distribution_rules as dr
from zhixing.funds import services

from .conftest import receive

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
PARTNERSHIP = "广州天河某某投资合伙企业（有限合伙）"
PARTNERSHIP_CODE = "91440106MA5CFG123L"


# -- pure -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "name", "code", "form"),
    [
        ("person", "张三", "", dr.PERSON),
        ("organisation", PARTNERSHIP, PARTNERSHIP_CODE, dr.OTHER_ORG),  # 合伙企业法 Art 15: name says so
        ("organisation", "广州某银行股份有限公司天河支行", "91440106MA5CFG123L", dr.OTHER_ORG),  # a branch
        ("organisation", "某某建材有限公司广州分公司", "", dr.OTHER_ORG),
        ("organisation", "天河区某某五金店", "92440106MA5C12345K", dr.PERSON),  # 个体工商户
        ("organisation", "某某区教育局", "11440106000000000X", dr.OTHER_LEGAL),
        ("organisation", "广州某科技有限公司", "91110000600037341L", dr.ENTERPRISE),
    ],
)
def test_infer_form(kind: str, name: str, code: str, form: str) -> None:
    assert dr.infer_form(kind, name, code) == form


def test_pro_rata_by_form() -> None:
    assert [dr.pro_rata(f) for f in (dr.PERSON, dr.OTHER_ORG, dr.ENTERPRISE, dr.OTHER_LEGAL)] == [
        True,
        True,
        False,
        False,
    ]
    assert dr.pro_rata(dr.LEGACY_ORGANISATION) is False  # plans made before: as they were computed
    with pytest.raises(ValueError):
        dr.pro_rata("club")


def test_partnership_shares_pro_rata_where_an_enterprise_goes_by_seizure_date() -> None:
    claims = [
        dr.ClaimIn("late", dr.ORDINARY, Decimal("600.00"), seized_on=date(2026, 2, 1)),
        dr.ClaimIn("early", dr.ORDINARY, Decimal("400.00"), seized_on=date(2026, 1, 1)),
    ]
    pro = dr.allocate(
        Decimal("500.00"), Decimal("0"), claims, enterprise_debtor=not dr.pro_rata(dr.OTHER_ORG)
    )
    assert (pro.paid("late"), pro.paid("early")) == (Decimal("300.00"), Decimal("200.00"))
    seq = dr.allocate(
        Decimal("500.00"), Decimal("0"), claims, enterprise_debtor=not dr.pro_rata(dr.ENTERPRISE)
    )
    assert (seq.paid("late"), seq.paid("early")) == (Decimal("100.00"), Decimal("400.00"))


# -- service ----------------------------------------------------------------------------------------


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(datetime(2026, 3, 10, 10, 0, tzinfo=TZ), tick=False) as t:
        yield t


@pytest.fixture
def two_debtors(people: dict[str, Any], custody: Any, clock: Any) -> Any:
    applicant = factories.filing().parties[0]
    case = factories.case(
        people["clerk"],
        parties=[
            applicant,
            PartyData(role="debtor", kind="person", name="李四", id_number=factories.VALID_IDS[0]),
            PartyData(
                role="debtor",
                kind="organisation",
                name=PARTNERSHIP,
                credit_code=PARTNERSHIP_CODE,
                legal_representative="王五（执行事务合伙人）",
            ),
        ],
    )
    receive(case, "1000.00", f"P-{case.pk}")
    return case


def _claims(people: dict[str, Any], plan: Any, case: Any) -> None:
    a = case.parties.get(role="applicant")
    services.add_claim(
        people["judge"], plan, {"party_id": a.pk, "amount": "1200.00", "seized_on": "2026-02-01"}
    )
    services.add_claim(
        people["judge"],
        plan,
        {
            "creditor_name": "案外某公司",
            "creditor_id_number": "91440101MA5ABCDE0J",
            "amount": "800.00",
            "seized_on": "2026-01-05",
            "applied_on": "2026-03-09",
            "basis": "（2025）粤0106民初88号",
        },
    )
    plan.refresh_from_db()


def test_several_debtors_need_the_one_whose_property_is_distributed(people, two_debtors):
    with pytest.raises(ServiceError) as err:
        services.create_plan(
            people["judge"], two_debtors, costs="0", first_seizing_court=two_debtors.court.name
        )
    assert err.value.field == "debtor_id"
    assert err.value.message == f"本案有2名被执行人（李四、{PARTNERSHIP}），请选择被分配财产所属的被执行人"
    with pytest.raises(ServiceError) as err:
        services.create_plan(
            people["judge"],
            two_debtors,
            costs="0",
            first_seizing_court=two_debtors.court.name,
            debtor_id=factories.case(people["clerk"]).parties.get(role="debtor").pk,
        )
    assert err.value.field == "debtor_id"


def test_partnership_debtor_distribution_is_pro_rata(people, two_debtors):
    partnership = two_debtors.parties.get(name=PARTNERSHIP)
    plan = services.create_plan(
        people["judge"],
        two_debtors,
        costs="0",
        first_seizing_court=two_debtors.court.name,
        debtor_id=partnership.pk,
    )
    assert (plan.debtor_id, plan.debtor_kind) == (partnership.pk, dr.OTHER_ORG)
    _claims(people, plan, two_debtors)
    # 1,000 over 1,200 + 800 pro rata (not the earlier seizure first); the surplus line is the partnership's
    assert [ln["paid"] for ln in plan.lines] == ["600.00", "400.00", "0.00"]
    assert plan.lines[-1]["party_id"] == partnership.pk


def test_the_judge_may_state_the_form_an_enterprise_goes_by_seizure_date(people, two_debtors):
    partnership = two_debtors.parties.get(name=PARTNERSHIP)
    plan = services.create_plan(
        people["judge"],
        two_debtors,
        costs="0",
        first_seizing_court=two_debtors.court.name,
        debtor_id=partnership.pk,
        debtor_form=dr.ENTERPRISE,
    )
    _claims(people, plan, two_debtors)
    assert [ln["paid"] for ln in plan.lines] == ["200.00", "800.00", "0.00"]  # 2026-01-05 seizure first
    with pytest.raises(ServiceError) as err:
        services.create_plan(
            people["judge"],
            two_debtors,
            costs="0",
            first_seizing_court=two_debtors.court.name,
            debtor_id=partnership.pk,
            debtor_form="x",
        )
    assert err.value.field == "debtor_form"


def test_plan_page_and_api_name_the_debtor_and_the_rule(people, two_debtors, client):
    partnership = two_debtors.parties.get(name=PARTNERSHIP)
    client.force_login(people["judge"])
    money = client.get(reverse("funds_case_money", args=[two_debtors.pk])).content.decode()
    assert 'data-testid="plan-debtor"' in money and PARTNERSHIP in money
    response = client.post(
        f"/api/v1/funds/cases/{two_debtors.pk}/plans",
        {"costs": "0", "first_seizing_court": two_debtors.court.name, "debtor_id": partnership.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["debtor_id"], body["debtor_form"], body["pro_rata"]) == (partnership.pk, "other_org", True)
    page = client.get(reverse("funds_plan", args=[body["id"]])).content.decode()
    assert f'data-testid="plan-debtor">{PARTNERSHIP}<' in page
    assert "民诉法解释第506条、第508条（2022）：按债权比例清偿" in page
