"""Documents fixtures: one case that has the data of every standard document (frozen 2026-03-10 Beijing)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import factories
from tests.credit.conftest import debtor, debtor_case, listing_data
from tests.funds.conftest import custody, receive  # noqa: F401  (fixture)
from zhixing.cases.choices import ClosingMode
from zhixing.cases.models import EnforcementCase
from zhixing.credit import services as credit
from zhixing.funds import services as funds
from zhixing.funds.services.accounts import forget_custody_cache
from zhixing.inquiry.models import Asset, Partner
from zhixing.inquiry.services import controls

NOW = datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    forget_custody_cache()


@pytest.fixture
def quiet_inquiry(settings: Any) -> None:
    settings.ZHIXING_INQUIRY = {"kick_on_commit": False}


def _asset(case: EnforcementCase, partner_code: str, kind: str, ref: str, value: str) -> Asset:
    partner = Partner.objects.get(code=partner_code)
    return Asset.objects.create(
        case=case,
        party=debtor(case),
        partner=partner,
        category=partner.category,
        kind=kind,
        ref=ref,
        value=Decimal(value),
        found_at=NOW,
    )


@pytest.fixture
def full(people: dict[str, Any], custody: Any, quiet_inquiry: None) -> dict[str, Any]:  # noqa: F811
    """A served, assigned case with a listing, a signed consumption order, a freeze and a seizure request,
    a seized house, a distribution plan; and a second case closed as dormant (终本)."""
    from zhixing.cases import services as case_services

    case = debtor_case(people["clerk"])
    case = case_services.assign_case(people["director"], case, people["judge"], on=date(2026, 3, 5))
    proposal = credit.approval.propose_consumption(
        people["judge"], case, debtor(case), items=[1, 2, 3], bound_persons=[]
    )
    credit.approval.approve(people["president"], proposal)
    listing = credit.list_debtor(people["judge"], case, debtor(case), listing_data())
    account = _asset(case, "BANK-ICBC", "account", "6222020200001234567", "50000")
    freeze = controls.request_control(people["judge"], account, "freeze", amount="30000")
    house = _asset(case, "REG-ESTATE", "house", "粤（2024）广州市不动产权第0012345号", "40000")
    seize = controls.request_control(people["judge"], house, "seize")
    Asset.objects.filter(pk=house.pk).update(
        state=Asset.State.SEIZED, control_start=date(2026, 3, 6), control_expires=date(2029, 3, 5)
    )
    receive(case, "1000.00", "V-DOC-1")
    plan = funds.create_plan(people["judge"], case, costs="0", first_seizing_court=case.court.name)
    funds.add_claim(
        people["judge"], plan, {"party_id": case.parties.get(role="applicant").pk, "amount": "600"}
    )
    plan.refresh_from_db()
    dormant = debtor_case(
        people["clerk"], name="李四", id_number=factories.make_id(date(1981, 5, 6), seq=222)
    )
    # The closing itself is the cases domain's (tested there); here only its recorded outcome matters.
    EnforcementCase.objects.filter(pk=dormant.pk).update(
        status="closed",
        closing_mode=ClosingMode.DORMANT,
        closed_on=date(2026, 3, 9),
        closing_details={"findings": "经网络查控未发现可供执行的财产，被执行人下落不明"},
    )
    dormant.refresh_from_db()
    return {
        "case": case,
        "listing": listing,
        "proposal": proposal,
        "freeze": freeze,
        "seize": seize,
        "house": house,
        "plan": plan,
        "dormant": dormant,
    }


from tests.documents.eservice_fixtures import gateways, sandbox_server, smtp_sink  # noqa: E402, F401  (e-service)
