"""Leads travel: an analysis lead becomes a targeted inquiry query or a field-verification node, and
shows its outcome from the inquiry answer (the sandbox finds the car) or the field result."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import factories
from tests.inquiry.conftest import Sandbox, sandbox, sandbox_process  # noqa: F401 - fixtures
from zhixing.analytics import queries, services
from zhixing.analytics.models import PropertyLead
from zhixing.cases import services as case_services
from zhixing.cases.models import Node
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.models import AuditRecord
from zhixing.inquiry import services as inquiry_services
from zhixing.inquiry.models import Asset, InquiryRequest

from .conftest import load
from .leadflows import DEBTOR_ID, PLATE, STRANGER_PLATE, statement

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 10, 10, tzinfo=TZ)
L = PropertyLead.State


def make_world(people: dict[str, Any], presets: dict[str, Any], **filing: Any) -> dict[str, Any]:
    """An open 天河 case against the test debtor, its statement imported and its profile computed."""
    debtor = factories.filing().parties[1]
    debtor.id_number = DEBTOR_ID
    case = factories.case(people["clerk"], parties=[factories.filing().parties[0], debtor], **filing)
    case = case_services.assign_case(people["director"], case, people["judge"], on=date(2026, 3, 5))
    party = next(p for p in case.parties.all() if p.role == "debtor")
    ref = queries.debtor(people["judge"], case.pk, party.pk)
    assert ref is not None
    load(ref, people["judge"], presets["cmb"], statement())
    prof = services.compute_profile(people["judge"], ref, start=date(2025, 1, 1), end=date(2026, 3, 1))
    leads = {(lead.kind, lead.target): lead for lead in queries.leads_of(prof)}
    return {"ref": ref, "case": case, "profile": prof, "leads": leads}


@pytest.fixture
def world(people: dict[str, Any], presets: dict[str, Any], sandbox: Sandbox) -> dict[str, Any]:  # noqa: F811
    with time_machine.travel(NOW, tick=False):
        return make_world(people, presets)


def lead(world: dict[str, Any], kind: str, target: str = "") -> PropertyLead:
    found = [x for (k, t), x in world["leads"].items() if k == kind and (not target or t == target)]
    assert len(found) == 1, (kind, target, list(world["leads"]))
    return found[0]


def test_profile_finds_a_lead_of_each_route(world: dict[str, Any]) -> None:
    kinds = sorted((k, t) for k, t in world["leads"])
    assert kinds == [
        ("employer", "广州某科技有限公司"),
        ("rent", ""),
        ("vehicle", STRANGER_PLATE),
        ("vehicle", PLATE),
    ]
    car = lead(world, "vehicle", PLATE)
    assert (car.state, car.months, str(car.total), car.lead_type) == ("new", 5, "425.00", "车辆")


def test_vehicle_lead_becomes_a_targeted_query_and_the_sandbox_finds_the_car(
    world: dict[str, Any], people: dict[str, Any]
) -> None:
    car = lead(world, "vehicle", PLATE)
    with time_machine.travel(NOW, tick=False):
        followed = services.follow_lead(people["judge"], car)
    assert followed.state == L.REQUESTED
    req = InquiryRequest.objects.get(pk=followed.request_id)
    assert (req.action, req.partner.code, req.target_ref, req.status, req.batch_id) == (
        "query",
        "MPS-VEHICLE",
        PLATE,
        "pending",
        None,
    )
    assert req.reason.startswith("车辆线索") and f"#{car.pk}" in req.reason
    assert AuditRecord.objects.filter(action="inquiry.targeted", object_id=str(req.pk)).count() == 1
    assert AuditRecord.objects.filter(action="analytics.lead.follow", object_id=str(car.pk)).count() == 1

    inquiry_services.dispatch_due()

    car.refresh_from_db()
    asset = Asset.objects.get(case=world["case"], ref=PLATE)
    assert (car.state, car.asset_id) == (L.FOUND, asset.pk)
    assert car.outcome == f"已查得：车辆 {PLATE} 大众帕萨特"
    assert (asset.kind, asset.state, str(asset.value)) == ("vehicle", "none", "88813.00")
    # Only the lead's car: the debtor's other car (粤C03885) was not asked for.
    assert list(Asset.objects.filter(case=world["case"]).values_list("ref", flat=True)) == [PLATE]
    settle = AuditRecord.objects.get(action="analytics.lead.settle", object_id=str(car.pk))
    assert settle.after["state"] == "found"


def test_found_car_can_be_seized(world: dict[str, Any], people: dict[str, Any]) -> None:
    car = lead(world, "vehicle", PLATE)
    with time_machine.travel(NOW, tick=False):
        services.follow_lead(people["judge"], car)
    inquiry_services.dispatch_due()
    asset = Asset.objects.get(case=world["case"], ref=PLATE)
    inquiry_services.request_control(people["judge"], asset, "seize")
    for req in InquiryRequest.objects.filter(action="seize", status="awaiting_approval"):
        inquiry_services.approve(people["director"], req)
    inquiry_services.dispatch_due()
    asset.refresh_from_db()
    assert asset.state == Asset.State.SEIZED


def test_a_plate_the_debtor_does_not_hold_is_not_found(world: dict[str, Any], people: dict[str, Any]) -> None:
    other = lead(world, "vehicle", STRANGER_PLATE)
    with time_machine.travel(NOW, tick=False):
        services.follow_lead(people["judge"], other)
    inquiry_services.dispatch_due()
    other.refresh_from_db()
    assert (other.state, other.asset_id, other.outcome) == (L.NOT_FOUND, None, "联动单位反馈未查得")
    assert not Asset.objects.filter(case=world["case"], kind="vehicle").exists()


def test_employer_lead_goes_to_social_insurance(world: dict[str, Any], people: dict[str, Any]) -> None:
    with time_machine.travel(NOW, tick=False):
        job = services.follow_lead(people["judge"], lead(world, "employer"))
    req = InquiryRequest.objects.get(pk=job.request_id)
    assert (req.partner.code, req.target_ref) == ("MOHRSS-SI", "广州某科技有限公司")
    inquiry_services.dispatch_due()
    job.refresh_from_db()
    assert job.state == L.FOUND
    assert job.outcome == "已查得：参保单位：佛山某陶瓷有限公司；住房公积金余额：16,226.38元"


@pytest.mark.parametrize(("urgent", "due"), [(False, date(2026, 3, 17)), (True, date(2026, 3, 13))])
def test_uncovered_lead_becomes_a_field_verification_node(
    world: dict[str, Any], people: dict[str, Any], urgent: bool, due: date
) -> None:
    rent = lead(world, "rent")
    with time_machine.travel(NOW, tick=False):
        followed = services.follow_lead(people["judge"], rent, urgent=urgent)
    node = Node.objects.select_related("node_type").get(pk=followed.node_id)
    assert node.node_type.code == ("verify_lead_urgent" if urgent else "verify_lead")
    assert (followed.state, followed.due_on, node.due_on, node.started_on) == (
        L.FIELD,
        due,
        due,
        date(2026, 3, 10),
    )
    assert followed.request_id is None
    assert not InquiryRequest.objects.filter(case=world["case"]).exists()

    with time_machine.travel(datetime(2026, 3, 12, 10, tzinfo=TZ), tick=False):
        done = services.record_field_result(
            people["judge"], followed, found=True, document_ref="（2026）粤0106执核1号", note="房东证实其居住"
        )
    node.refresh_from_db()
    assert (done.state, node.status, node.completed_on) == (L.VERIFIED, "done", date(2026, 3, 12))
    assert done.outcome == "实地核查属实：房东证实其居住"


def test_field_result_not_found(world: dict[str, Any], people: dict[str, Any]) -> None:
    rent = lead(world, "rent")
    with time_machine.travel(NOW, tick=False):
        services.follow_lead(people["judge"], rent)
        done = services.record_field_result(
            people["judge"], rent, found=False, document_ref="核1号", note="人去楼空"
        )
    assert (done.state, done.outcome) == (L.NOT_FOUND, "实地核查未发现财产：人去楼空")


def test_field_result_needs_a_note_and_changes_nothing(world: dict[str, Any], people: dict[str, Any]) -> None:
    rent = lead(world, "rent")
    with time_machine.travel(NOW, tick=False):
        services.follow_lead(people["judge"], rent)
        with pytest.raises(ServiceError) as err:
            services.record_field_result(people["judge"], rent, found=True, document_ref="核1号", note=" ")
    assert err.value.field == "note"
    rent.refresh_from_db()
    assert rent.state == L.FIELD


def test_a_lead_is_followed_once(world: dict[str, Any], people: dict[str, Any]) -> None:
    car = lead(world, "vehicle", PLATE)
    with time_machine.travel(NOW, tick=False):
        services.follow_lead(people["judge"], car)
        with pytest.raises(Conflict):
            services.follow_lead(people["judge"], car)
    assert InquiryRequest.objects.filter(case=world["case"]).count() == 1


def test_no_partner_means_field_verification(world: dict[str, Any], people: dict[str, Any]) -> None:
    """A court network without a vehicle register: the vehicle lead is verified in the field."""
    from zhixing.inquiry.models import Partner

    Partner.objects.filter(category__code="vehicle").update(active=False)
    car = lead(world, "vehicle", PLATE)
    with time_machine.travel(NOW, tick=False):
        followed = services.follow_lead(people["judge"], car)
    assert (followed.state, followed.due_on) == (L.FIELD, date(2026, 3, 17))


def test_failed_query_keeps_the_lead_requested_and_it_may_be_asked_again(
    world: dict[str, Any], people: dict[str, Any], settings: Any
) -> None:
    settings.ZHIXING_INQUIRY = {**settings.ZHIXING_INQUIRY, "max_attempts": 1}
    with time_machine.travel(NOW, tick=False):
        car = services.follow_lead(people["judge"], lead(world, "vehicle", PLATE))
    InquiryRequest.objects.filter(pk=car.request_id).update(status="sending", attempts=1)
    from zhixing.inquiry.services import feedback, jobs

    feedback.retry_later(jobs.load([int(car.request_id or 0)]), "连接超时")
    car.refresh_from_db()
    assert car.state == L.REQUESTED and car.outcome.startswith("查询失败：连接超时")
    with time_machine.travel(NOW, tick=False):
        again = services.follow_lead(people["judge"], car)
    assert again.state == L.REQUESTED and again.request_id != car.request_id


@pytest.mark.parametrize("who", ["clerk", "bailiff", "finance", "gz_director", "yx_judge"])
def test_who_may_not_follow(world: dict[str, Any], people: dict[str, Any], who: str) -> None:
    with pytest.raises(NotPermitted):
        services.follow_lead(people[who], lead(world, "vehicle", PLATE))
    assert not InquiryRequest.objects.filter(case=world["case"]).exists()
