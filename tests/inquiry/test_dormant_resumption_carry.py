"""Resumption (执恢) carries the original's found property and controls: the car the 终本 re-inquiry found
is on the resumed case's register and can be seized there; closed or released property stays behind."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.inquiry.test_dormant import conf, make_dormant, run  # noqa: F401  (fixture)
from zhixing.cases import services as case_services
from zhixing.core.models import AuditRecord
from zhixing.inquiry import queries, queries_dormant, services
from zhixing.inquiry.models import Asset, DormantRound, InquiryRequest, Partner

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def test_resumed_case_shows_the_car_found_by_the_reinquiry(people: dict[str, Any], conf: None) -> None:  # noqa: F811
    case = make_dormant(people)
    run(date(2026, 10, 11))
    rnd = DormantRound.objects.get(case=case)
    InquiryRequest.objects.filter(batch_id=rnd.batch_id).update(status="done", outcome={"found": 1})
    police = Partner.objects.get(code="MPS-VEHICLE")
    debtor = case.parties.get(role="debtor")
    found_at = datetime(2026, 10, 11, 12, tzinfo=SH)
    car = Asset.objects.create(
        case=case,
        party=debtor,
        partner=police,
        category=police.category,
        kind="vehicle",
        ref="粤A12345",
        value=80000,
        divisible=False,
        found_at=found_at,
    )
    old = Asset.objects.create(
        case=case,
        party=debtor,
        partner=police,
        category=police.category,
        kind="vehicle",
        ref="粤A00000",
        state="released",
        found_at=found_at - timedelta(days=300),
    )
    assert services.settle_rounds() == 1
    assert queries_dormant.case_lead(case).found == 1
    with time_machine.travel(datetime(2026, 10, 12, 10, tzinfo=SH), tick=False):
        resumed = case_services.resume_case(
            people["judge"], case, applied_on=date(2026, 10, 12), reason="终本定期查询发现车辆"
        )
        car.refresh_from_db()
        old.refresh_from_db()
        assert (car.case_id, old.case_id) == (resumed.pk, case.pk)
        assert car.party_id == resumed.parties.get(role="debtor").pk
        rows = [r.asset.ref for d in queries.register(resumed) for r in d.rows]
        assert rows == ["粤A12345"]
        assert queries_dormant.case_lead(case) is None  # the lead is answered by the resumed case
        seize = services.request_control(people["judge"], car, "seize")
    assert (seize.case_id, seize.action) == (resumed.pk, "seize")
    moved = AuditRecord.objects.get(action="inquiry.carry_over")
    assert (moved.case_id, moved.after["ref"], moved.before["case"]) == (resumed.pk, "粤A12345", case.number)
