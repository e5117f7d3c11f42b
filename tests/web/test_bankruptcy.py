"""Enforcement-to-bankruptcy screening and transfer (执转破, rules.md §11). Frozen at 2026-03-10."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from tests import factories
from zhixing.cases import queries_bankruptcy
from zhixing.cases import services as case_services
from zhixing.cases.models import BankruptcyTransfer, EnforcementCase, Suspension
from zhixing.cases.queries_bankruptcy import candidates, register_valuer
from zhixing.cases.rules_bankruptcy import check_consent, enterprise_legal_person, screen
from zhixing.cases.services.bankruptcy import transfer_to_bankruptcy
from zhixing.core.errors import Conflict, NotPermitted, ServiceError

pytestmark = pytest.mark.django_db
COMPANY = "91440101590000000X"


def test_screen_rule():
    s = screen(enterprise=True, open_cases=2, unpaid=Decimal("300000"), known_assets=Decimal("50000"))
    assert s.eligible and s.reasons == [
        "未执结案件2件",
        "已知财产50000元不足以清偿未履行金额300000元（缺口250000元）",
    ]
    assert not screen(enterprise=True, open_cases=1, unpaid=Decimal("9"), known_assets=Decimal("0")).eligible
    s = screen(enterprise=True, open_cases=3, unpaid=Decimal("100"), known_assets=Decimal("100"))
    assert not s.eligible and s.reasons[-1] == "已知财产100元足以清偿未履行金额100元"
    assert screen(enterprise=False, open_cases=3, unpaid=Decimal("100"), known_assets=Decimal("0")).reasons[
        0
    ] == ("被执行人不是企业法人，不适用执转破")
    assert enterprise_legal_person("91440101590000000X", "广州某贸易有限公司") is True
    assert enterprise_legal_person("91440101590000000X", "广州天河启明投资合伙企业（普通合伙）") is False
    assert enterprise_legal_person("52440101590000000X", "广州某民办学校") is False
    assert check_consent("debtor", "同意书") is None
    assert (
        check_consent("judge", "同意书") == "请选择书面同意移送破产审查的当事人（被执行人或任一申请执行人）"
    )
    assert check_consent("applicant", " ") == "请填写书面同意材料（如：同意移送破产审查申请书）的名称或编号"


def _company_case(clerk: Any, principal: str) -> EnforcementCase:
    return factories.case(
        clerk,
        principal=principal,
        parties=[
            case_services.PartyData(
                role="applicant", kind="person", name="李四", id_number=factories.VALID_IDS[1]
            ),
            case_services.PartyData(
                role="debtor",
                kind="organisation",
                name="广州某贸易有限公司",
                credit_code=COMPANY,
                legal_representative="王五",
            ),
        ],
    )


@pytest.fixture
def company(people: dict[str, Any], frozen: None) -> list[EnforcementCase]:
    return [_company_case(people["clerk"], "200000.00"), _company_case(people["clerk"], "100000.00")]


def test_candidate_found_with_known_assets_and_transferred(people, company, login, monkeypatch):
    # The register's valuers (inquiry's among them) stand in for one that knows 50,000 yuan of assets.
    monkeypatch.setattr(queries_bankruptcy, "_VALUERS", [])
    register_valuer(lambda keys: {COMPANY: Decimal("50000.00")} if COMPANY in keys else {})
    rows = candidates(people["director"])
    assert [(c.key, len(c.cases), c.unpaid, c.known_assets, c.result.eligible) for c in rows] == [
        (COMPANY, 2, Decimal("300000.00"), Decimal("50000.00"), True)
    ]
    page = login(people["president"]).get(reverse("bankruptcy_screening")).content.decode()
    assert "广州某贸易有限公司" in page and "缺口250000.00元" in page
    with pytest.raises(NotPermitted):
        transfer_to_bankruptcy(
            people["judge"],
            debtor_key=COMPANY,
            consent_by="debtor",
            consent_ref="同意书",
            decision_ref="决",
            receiving_court="广州中院",
        )
    with pytest.raises(ServiceError) as exc:
        transfer_to_bankruptcy(
            people["president"],
            debtor_key=COMPANY,
            consent_by="",
            consent_ref="同意书",
            decision_ref="决",
            receiving_court="广州中院",
        )
    assert exc.value.field == "consent_by"
    assert BankruptcyTransfer.objects.count() == 0
    t = transfer_to_bankruptcy(
        people["president"],
        debtor_key=COMPANY,
        consent_by="applicant",
        consent_ref="李四同意移送破产审查申请书",
        decision_ref="（2026）粤0106执移破1号",
        receiving_court="广州市中级人民法院",
    )
    assert sorted(t.case_ids) == sorted(c.pk for c in company)
    for c in company:
        case = EnforcementCase.objects.get(pk=c.pk)
        assert case.status == "suspended"
        assert Suspension.objects.get(case=case).ground == "bankruptcy"
    # Suspended cases are not screened again; a second transfer finds nothing.
    assert candidates(people["director"]) == []
    with pytest.raises((ServiceError, Conflict)):
        transfer_to_bankruptcy(
            people["president"],
            debtor_key=COMPANY,
            consent_by="debtor",
            consent_ref="x",
            decision_ref="y",
            receiving_court="z",
        )


@pytest.mark.parametrize(
    ("who", "get", "post"),
    [
        ("clerk", 403, 403),
        ("judge", 200, 403),
        ("director", 200, 403),
        ("president", 200, 302),
        ("yx_director", 200, 403),
    ],
)
def test_permissions(people, company, login, who, get, post):
    client = login(people[who])
    assert client.get(reverse("bankruptcy_screening")).status_code == get
    r = client.post(
        reverse("bankruptcy_transfer"),
        {
            "debtor_key": COMPANY,
            "consent_by": "debtor",
            "consent_ref": "同意书",
            "decision_ref": "决定书",
            "receiving_court": "广州中院",
        },
    )
    assert r.status_code == post
    assert login(None).get(reverse("bankruptcy_screening")).status_code == 302
