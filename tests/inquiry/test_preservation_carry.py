"""诉执衔接: a preservation case's (执保) seizures pass to the enforcement case filed for the same parties
and basis, keeping their rank, dates, term and renewal history; bad links are field errors."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import factories
from tests.inquiry.conftest import open_case
from tests.inquiry.test_controls import answer, house
from zhixing.cases import queries_preservation
from zhixing.cases.models import EnforcementCase, Preservation
from zhixing.core.errors import ServiceError
from zhixing.core.models import AuditRecord
from zhixing.inquiry import queries, services
from zhixing.inquiry.models import Asset, InquiryRequest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quiet")]
SH = ZoneInfo("Asia/Shanghai")
LAWSUIT = "（2026）粤0106民初500号"


def at(day: date) -> Any:
    return time_machine.travel(datetime(day.year, day.month, day.day, 10, tzinfo=SH), tick=False)


def preservation(people: dict[str, Any], **overrides: Any) -> EnforcementCase:
    data: dict[str, Any] = {
        "case_type": "执保",
        "instrument_type": "civil_ruling",
        "basis_number": LAWSUIT.replace("号", "号之一"),
        "lawsuit_number": LAWSUIT,
        "applied_on": date(2026, 3, 2),
        "filed_on": date(2026, 3, 3),
        "effective_on": date(2026, 3, 2),
        "performance_deadline": date(2026, 3, 2),  # enforced at once: no period to wait for
    }
    data.update(overrides)
    return open_case(people, **data)


def seize(people: dict[str, Any], asset: Asset, rank: int) -> None:
    req = services.request_control(people["judge"], asset, "seize", reason="唯一房产，不可分割")
    req = services.approve(people["director"], req)
    answer(req, rank=rank, queued=rank > 1)


def test_seizure_passes_with_rank_dates_and_renewal(people: dict[str, Any]) -> None:
    with at(date(2026, 3, 5)):
        pres = preservation(people)
        h = house(pres, "3000000")
        seize(people, h, 1)
        h.refresh_from_db()
        original = (h.state, h.seizure_rank, h.registered_on, h.effective_on, h.control_start)
        assert original[:2] == (Asset.State.SEIZED, 1)
    with at(date(2026, 3, 20)):
        # Another court seizes the same house later: it queues behind the preservation seizure.
        yx = factories.staff(people["yx_judge"].court, "clerk")
        other = factories.case(yx)
        later = house(other, "3000000")
        Asset.objects.filter(pk=later.pk).update(
            state=Asset.State.QUEUED, seizure_rank=2, registered_on=date(2026, 3, 20)
        )
    with at(date(2028, 12, 1)):  # the term runs to 2029-03: renewed before it lapses
        renewal = services.request_control(people["judge"], h, "renew")
        assert renewal.status == InquiryRequest.Status.PENDING  # renewals need no approval
        answer(renewal)
        h.refresh_from_db()
        renewed_to = h.control_expires
        assert renewed_to is not None and renewed_to.year == 2032
    with at(date(2028, 12, 10)):
        case = factories.case(
            people["clerk"],
            basis_number="(2026)粤0106民初500号",  # half-width brackets match too
            applied_on=date(2028, 12, 9),
            filed_on=date(2028, 12, 10),
            effective_on=date(2028, 6, 1),
            performance_deadline=date(2028, 6, 15),
        )
    h.refresh_from_db()
    assert (h.case_id, h.party_id) == (case.pk, case.parties.get(role="debtor").pk)
    assert (h.state, h.seizure_rank, h.registered_on, h.effective_on, h.control_start) == original
    assert (h.control_expires, h.preserved_in) == (renewed_to, pres.number)
    assert list(InquiryRequest.objects.filter(asset=h).values_list("action", "case_id")) == [
        ("seize", pres.pk),
        ("renew", pres.pk),
    ]
    # Still ahead of the other court's later seizure.
    later.refresh_from_db()
    assert (later.seizure_rank, later.state) == (2, Asset.State.QUEUED)
    assert [r.asset.pk for d in queries.register(case) for r in d.rows] == [h.pk]
    pres.refresh_from_db()
    link = Preservation.objects.get(case=pres)
    assert (pres.status, pres.closed_on, link.carried_into_id, link.carried_on) == (
        "closed",
        date(2028, 12, 10),
        case.pk,
        date(2028, 12, 10),
    )
    carried = AuditRecord.objects.get(action="case.preservation_carried")
    assert (carried.case_id, carried.after["preservation"]) == (case.pk, pres.number)
    moved = AuditRecord.objects.get(action="inquiry.preservation_carried")
    assert (moved.object_id, moved.after["seizure_rank"]) == (str(h.pk), 1)
    filed = AuditRecord.objects.get(action="case.file", case_id=case.pk)
    assert filed.after["preservations_carried"] == [pres.number]
    assert [r.number for r in queries_preservation.carried_into(case)] == [pres.number]
    assert queries_preservation.open_preservations(people["clerk"].court) == []


def test_bad_links_change_nothing(people: dict[str, Any]) -> None:
    with at(date(2026, 3, 5)):
        pres = preservation(people)
        other_parties = preservation(
            people,
            lawsuit_number="（2026）粤0106民初501号",
            basis_number="（2026）粤0106民初501号之一",
            parties=[
                factories.services.PartyData(
                    role="applicant", kind="person", name="王五", id_number=factories.VALID_IDS[0]
                ),
                factories.services.PartyData(
                    role="debtor", kind="person", name="张三", id_number=factories.VALID_IDS[2]
                ),
            ],
        )
        before = (EnforcementCase.objects.count(), AuditRecord.objects.count())
        with pytest.raises(ServiceError, match=r"申请执行人.*不是本案的申请执行人") as exc:
            factories.case(people["clerk"], preservation_case=other_parties.number)
        assert exc.value.field == "preservation_case"
        with pytest.raises(ServiceError, match="本院没有保全案件") as exc:
            factories.case(people["clerk"], preservation_case="（2026）粤0106执保999号")
        assert exc.value.field == "preservation_case"
        with pytest.raises(ServiceError, match="诉讼案号") as exc:
            factories.case(people["clerk"], case_type="执保", instrument_type="civil_ruling")
        assert exc.value.field == "lawsuit_number"
        assert (EnforcementCase.objects.count(), AuditRecord.objects.count()) == before
        # A basis that matches the lawsuit but not the parties carries nothing.
        stranger = factories.case(
            people["clerk"],
            basis_number="（2026）粤0106民初501号",
            confirm_duplicate=True,
        )
        assert Preservation.objects.get(case=other_parties).carried_into_id is None
        first = factories.case(people["clerk"], preservation_case=pres.number)
        assert Preservation.objects.get(case=pres).carried_into_id == first.pk
        before = (EnforcementCase.objects.count(), AuditRecord.objects.count())
        with pytest.raises(ServiceError, match=f"已于2026-03-05转入{first.number}") as exc:
            factories.case(people["clerk"], preservation_case=pres.number)
        assert exc.value.field == "preservation_case"
        assert (EnforcementCase.objects.count(), AuditRecord.objects.count()) == before
        assert stranger.pk != first.pk
