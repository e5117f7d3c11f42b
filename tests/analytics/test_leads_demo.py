"""The demo seeding (`manage.py analytics_demo`, run by `make run`'s seed_demo): leads in every state,
and a vehicle lead whose targeted query the sandbox answers with the car (the e2e path's first step)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import factories
from tests.inquiry.conftest import open_case
from zhixing.analytics import demo
from zhixing.analytics.demo import STRANGER_PLATE as STRANGER
from zhixing.analytics.models import ImportJob, PropertyLead, StatementPreset, TransactionCorrection
from zhixing.cases.services import PartyData
from zhixing.inquiry.models import Asset, InquiryRequest
from zhixing.partners.sandbox.holdings import holdings

# The demo's own sandbox runs in a thread of this process; the ORM is used from the test's thread only.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
TZ = ZoneInfo("Asia/Shanghai")


def debtor_case(people: dict[str, Any], id_number: str) -> Any:
    applicant = factories.filing().parties[0]
    debtor = PartyData(role="debtor", kind="person", name="李四", id_number=id_number)
    return open_case(people, parties=[applicant, debtor])


def test_demo_has_leads_in_every_state_and_finds_the_car(
    people: dict[str, Any], presets: dict[str, Any]
) -> None:
    with time_machine.travel(datetime(2026, 3, 10, 10, tzinfo=TZ), tick=True):
        first = debtor_case(people, factories.VALID_IDS[2])
        debtor_case(people, factories.VALID_IDS[1])
        result = demo.seed(out=lambda _m: None, judge="th_judge")
    assert result is not None
    assert set(result.states) == {"new", "requested", "found", "not_found", "field", "verified"}
    car = PropertyLead.objects.get(state="found", kind="vehicle")
    plate = holdings("MPS-VEHICLE", factories.VALID_IDS[2])[0].ref
    assert car.target == plate and car.party.case_id == first.pk
    asset = Asset.objects.get(pk=car.asset_id)
    assert (asset.kind, asset.ref, asset.state, asset.case_id) == ("vehicle", plate, "none", first.pk)
    requested = PropertyLead.objects.get(state="requested")
    assert InquiryRequest.objects.get(pk=requested.request_id).status == "pending"  # the worker sends it
    field = PropertyLead.objects.get(state="field")
    assert field.due_on == date(2026, 3, 17)
    # The rows page has a corrected row and the layout page a court copy (issue 16).
    corr = TransactionCorrection.objects.get()
    assert (
        corr.excluded and corr.transaction.party.case_id == first.pk and STRANGER in corr.transaction.summary
    )
    copy = StatementPreset.objects.get(code="cmb-payee")
    assert (copy.court_id, copy.counterparty_column, copy.builtin) == (
        people["judge"].court_id,
        "对方户名",
        False,
    )
    # issue 16 #3: the overlapping export lists each decision with its reason
    overlap = ImportJob.objects.get(file_name__contains="重叠")
    decisions = [d["decision"] for d in overlap.dedup_decisions]
    assert (overlap.imported, overlap.duplicates) == (2, 8)
    assert decisions == ["duplicate"] * 8 + ["distinct"]


def test_demo_skips_without_its_judge(db: Any) -> None:
    said: list[str] = []
    assert demo.seed(out=said.append, judge="nobody") is None
    assert said == ["没有演示账号 nobody，跳过履行能力分析演示数据"]
