"""Credit services: listing, exceptions, restrictions, multi-case listings, removal on time."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import factories
from zhixing.cases import services as case_services
from zhixing.core.audit import verify_chain
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.models import AuditRecord
from zhixing.credit import queries, services
from zhixing.credit.models import ChangeEvent, Listing, RestrictedSubject, Restriction
from zhixing.credit.rules import CODE_BITS

from .conftest import (
    ADULT_ID,
    MINOR_ID,
    OTHER_ID,
    debtor,
    debtor_case,
    delivered,
    listing_data,
    open_listing_data,
    org_case,
)


def close_performed(judge: Any, case: Any, on: date = date(2026, 3, 10)) -> None:
    case_services.close_case(
        judge,
        case,
        mode="performed",
        closed_on=on,
        details={"document_ref": "（2026）粤0106执结1号", "performed_amount": "100000", "how": "voluntary"},
    )


def test_list_debtor_creates_listing_restriction_register_and_audit(case: Any, people: dict) -> None:
    n = AuditRecord.objects.count()
    x = services.list_debtor(people["judge"], case, debtor(case), listing_data())
    assert x.status == "active" and x.document_number == f"{case.number}之1"
    assert x.expires_on == date(2028, 3, 9) and x.publish_on == date(2026, 3, 10)
    assert x.sex == "M" and x.age == 45 and x.subject_key == ADULT_ID
    r = Restriction.objects.get(case=case)
    assert r.kind == "consumption" and r.items == list(range(1, 10)) and r.listing_id == x.pk
    subject = RestrictedSubject.objects.get(subject_key=ADULT_ID)
    assert subject.mask & CODE_BITS["blacklist"] and subject.mask & CODE_BITS["flight"]
    assert ChangeEvent.objects.count() >= 1
    assert AuditRecord.objects.count() > n and verify_chain().ok
    assert queries.current_index().mask_of(ADULT_ID) == subject.mask


def test_listing_needs_a_ground(case: Any, people: dict) -> None:
    with pytest.raises(ServiceError) as e:
        services.list_debtor(people["judge"], case, debtor(case), listing_data(ground=None))
    assert e.value.field == "ground"
    assert not Listing.objects.exists() and not Restriction.objects.exists()


def test_minor_is_never_listed(people: dict) -> None:
    c = debtor_case(people["clerk"], name="小明", id_number=MINOR_ID)
    with pytest.raises(Conflict, match="未成年人"):
        services.list_debtor(people["judge"], c, debtor(c), listing_data())
    assert not Listing.objects.exists() and not Restriction.objects.exists()


def test_minor_recomputed_from_id_even_if_flag_is_stale(people: dict) -> None:
    c = debtor_case(people["clerk"], name="小明", id_number=MINOR_ID)
    p = debtor(c)
    p.is_minor = False  # a stale flag must not let a minor through
    with pytest.raises(Conflict, match="未成年人"):
        services.list_debtor(people["judge"], c, p, listing_data())


def test_ground_one_needs_guarantee_confirmation(case: Any, people: dict) -> None:
    with pytest.raises(ServiceError) as e:
        services.list_debtor(people["judge"], case, debtor(case), listing_data(ground=1))
    assert e.value.field == "guarantee_confirmed"
    x = services.list_debtor(
        people["judge"],
        case,
        debtor(case),
        listing_data(ground=1, guarantee_confirmed=True, order_confirmed=True, ability_confirmed=True),
    )
    assert x.expires_on is None and x.guarantee_confirmed


def test_extension_only_for_serious_fixed_term(case: Any, people: dict) -> None:
    with pytest.raises(ServiceError):
        services.list_debtor(people["judge"], case, debtor(case), listing_data(extension_years=1))
    x = services.list_debtor(
        people["judge"], case, debtor(case), listing_data(serious=True, extension_years=1)
    )
    assert x.expires_on == date(2029, 3, 9)
    x = services.extend_listing(people["judge"], x, years=2, reason="多次失信")
    assert x.expires_on == date(2031, 3, 9)
    with pytest.raises(ServiceError):
        services.extend_listing(people["judge"], x, years=1, reason="再次")


@pytest.mark.parametrize("who", ["clerk", "assistant", "president", "gz_director", "yx_judge"])
def test_only_own_court_judge_or_director_lists(case: Any, people: dict, who: str) -> None:
    with pytest.raises(NotPermitted):
        services.list_debtor(people[who], case, debtor(case), listing_data())


def test_director_may_list(case: Any, people: dict) -> None:
    assert services.list_debtor(people["director"], case, debtor(case), listing_data()).pk


def test_twice_in_same_case_is_a_conflict(listed: Any, case: Any, people: dict) -> None:
    with pytest.raises(Conflict):
        services.list_debtor(people["judge"], case, debtor(case), listing_data())


def test_application_deadline_and_grant(case: Any, people: dict) -> None:
    app = services.record_application(people["judge"], case, debtor(case), received_on=date(2026, 3, 1))
    assert app.decision_due == date(2026, 3, 16)
    x = services.list_debtor(
        people["judge"], case, debtor(case), listing_data(initiation="application", application=app)
    )
    app.refresh_from_db()
    assert app.status == "granted" and x.initiation == "application"


def test_grace_period_keeps_listing_out_of_register_until_scan(case: Any, people: dict) -> None:
    x = services.list_debtor(people["judge"], case, debtor(case), listing_data(grace_months=1))
    assert x.publish_on == date(2026, 4, 10)
    assert queries.current_index().mask_of(ADULT_ID) == 0
    assert queries.public_search(queries.parse_public_query("张三")) == []
    with time_machine.travel(datetime(2026, 4, 10, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        res = services.scan_credit()
        assert res.published >= 1
        assert queries.current_index().mask_of(ADULT_ID) & CODE_BITS["blacklist"]
        assert [r.pk for r in queries.public_search(queries.parse_public_query("张三"))] == [x.pk]


def test_organisation_binds_representatives(people: dict) -> None:
    c = org_case(people["clerk"])
    rep = factories.make_id(date(1970, 1, 1), seq=333)
    rows = services.restrict_consumption(
        people["judge"],
        c,
        debtor(c),
        items=[1, 9],
        bound_persons=[services.BoundPerson(bound="legal_rep", name="王五", id_number=rep)],
    )
    assert {r.bound for r in rows} == {"debtor", "legal_rep"}
    assert queries.current_index().mask_of(rep) & CODE_BITS["hsr"]


def test_organisation_bound_person_with_bad_id_changes_nothing(people: dict) -> None:
    c = org_case(people["clerk"])
    with pytest.raises(ServiceError) as e:
        services.restrict_consumption(
            people["judge"],
            c,
            debtor(c),
            items=[1],
            bound_persons=[
                services.BoundPerson(bound="controller", name="赵六", id_number="440106197001011230")
            ],
        )
    assert e.value.field == "bound_persons[0].id_number"
    assert not Restriction.objects.exists()


def test_person_listed_in_two_cases_stays_restricted_until_last_removal(people: dict) -> None:
    a = debtor_case(people["clerk"])
    b = debtor_case(people["clerk"])
    # Ground 1 (no term): the Art 10(1) trigger "performed" deletes it (Art 10(2) excludes grounds 2–6).
    la = services.list_debtor(people["judge"], a, debtor(a), open_listing_data())
    lb = services.list_debtor(people["judge"], b, debtor(b), open_listing_data(dishonest_act="另案拒不履行"))
    services.remove_listing(people["judge"], la, trigger="performed")
    assert queries.current_index().mask_of(ADULT_ID) & CODE_BITS["blacklist"]
    assert [x.pk for x in queries.public_search(queries.parse_public_query("张三", ADULT_ID))] == [lb.pk]
    services.remove_listing(people["judge"], lb, trigger="performed")
    assert queries.current_index().mask_of(ADULT_ID) == 0
    assert RestrictedSubject.objects.get(subject_key=ADULT_ID).mask == 0


def test_case_closed_as_performed_is_removed_at_closing(listed_open: Any, case: Any, people: dict) -> None:
    """The consequence table (zhixing.measures) removes it in the closing's transaction; the scan, a
    catch-up for cases closed before, finds nothing left."""
    close_performed(people["judge"], case)
    listed_open.refresh_from_db()
    assert listed_open.status == "removed" and listed_open.removal_trigger == "performed"
    assert services.scan_credit().removed == 0
    assert listed_open.removal_due == date(2026, 3, 13) and listed_open.removed_on <= listed_open.removal_due
    assert not Restriction.objects.filter(status="active").exists()
    assert queries.current_index().mask_of(ADULT_ID) == 0


def test_expired_term_is_removed(listed: Any) -> None:
    with time_machine.travel(datetime(2028, 3, 10, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        assert services.scan_credit().removed == 1
    listed.refresh_from_db()
    assert listed.removal_trigger == "expired" and listed.removal_due == date(2028, 3, 14)


def test_recorded_trigger_is_red_until_the_scan_deletes_it(listed_open: Any, people: dict) -> None:
    services.record_trigger(
        people["judge"], listed_open, trigger="applicant_request", trigger_on=date(2026, 3, 10)
    )
    # The scan did not run for days (worker down): the director sees the overdue removal in red.
    with time_machine.travel(datetime(2026, 3, 16, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        rows = queries.supervision_rows(people["director"])["removals"]
        assert rows == [(Listing.objects.get(pk=listed_open.pk), True)]
        res = services.scan_credit()
        assert (res.removed, res.overdue) == (1, 0)
        assert queries.supervision_rows(people["director"])["removals"] == []
    listed_open.refresh_from_db()
    assert listed_open.status == "removed" and listed_open.removal_due == date(2026, 3, 13)
    assert listed_open.removed_on == date(2026, 3, 16)  # late, and recorded as such


def test_removal_bad_trigger_changes_nothing(listed: Any, people: dict) -> None:
    with pytest.raises(ServiceError):
        services.remove_listing(people["judge"], listed, trigger="because")
    listed.refresh_from_db()
    assert listed.status == "active"


def test_exit_restriction_and_lift_keeps_other_case(people: dict) -> None:
    a = debtor_case(people["clerk"])
    b = debtor_case(people["clerk"])
    ra = services.restrict_exit(people["judge"], a, debtor(a), initiation="application", bound_persons=[])[0]
    services.restrict_exit(people["judge"], b, debtor(b), initiation="ex_officio", bound_persons=[])
    services.lift_restriction(people["judge"], ra, trigger="guarantee")
    assert queries.current_index().mask_of(ADULT_ID) == CODE_BITS["exit"]
    with pytest.raises(Conflict):
        services.lift_restriction(people["judge"], ra, trigger="guarantee")


def test_exit_restriction_of_a_unit_needs_persons(people: dict) -> None:
    c = org_case(people["clerk"])
    with pytest.raises(ServiceError) as e:
        services.restrict_exit(people["judge"], c, debtor(c), initiation="application", bound_persons=[])
    assert e.value.field == "bound_persons"


def test_private_consumption_decision(listed: Any, people: dict) -> None:
    r = Restriction.objects.get(listing=listed)
    pc = services.decide_private_consumption(
        people["judge"],
        r,
        applied_on=date(2026, 3, 9),
        purpose="就医乘坐飞机",
        granted=True,
        reason="提供医院证明",
    )
    assert pc.granted and r.private_applications.count() == 1


def test_correction_deadlines(listed: Any, people: dict) -> None:
    c = services.file_correction(
        people["judge"], listed, ground="inaccurate", detail="失信行为描述有误", received_on=date(2026, 3, 9)
    )
    assert c.review_due == date(2026, 3, 24)
    c = services.decide_correction(people["judge"], c, upheld=True)
    assert c.fix_due == date(2026, 3, 13)
    services.apply_correction(people["judge"], c, changes={"dishonest_act": "拒不报告财产（已更正）"})
    assert Listing.objects.get(pk=listed.pk).dishonest_act.endswith("已更正）")
    c2 = services.file_correction(
        people["judge"], listed, ground="should_delete", detail="已履行", received_on=date(2026, 3, 10)
    )
    c2 = services.decide_correction(people["judge"], c2, upheld=False, served_on=date(2026, 3, 10))
    assert c2.reconsideration_due == date(2026, 3, 20)


def test_exposure_targets_media_of_registration_area(listed: Any, people: dict) -> None:
    local, _ = services.create_partner(None, name="天河电视台", kind="media", area_code=ADULT_ID[:6])
    services.create_partner(None, name="北京某报", kind="media", area_code=OTHER_ID[:6])
    notices = services.expose(people["judge"], listed)
    assert [n.partner_id for n in notices] == [local.pk]
    with pytest.raises(Conflict, match="待推送"):  # not delivered yet: nothing to count
        services.report_impressions(local, notices[0].pk, 1)
    delivered(notices[0])
    assert notices[0].area_code == "440106" and "天河" in notices[0].area_name
    n = services.report_impressions(local, notices[0].pk, 1200)
    assert n.impressions == 1200
    with pytest.raises(Conflict):
        services.report_impressions(local, notices[0].pk, 10)


def test_statistics(listed_open: Any, case: Any, people: dict) -> None:
    # "Paid after listing" is read from the case's dated payments (issue 14 item 9), not the closing mode.
    from zhixing.cases.services.performance import record_payment

    record_payment(case.pk, case.claim_amount, date(2026, 3, 10), source="direct", reference="st-1")
    close_performed(people["judge"], case)
    services.scan_credit()
    s = queries.statistics(people["director"])
    assert s["listed"] == 1 and s["removed"] == 1 and s["paid_after_listing"] == 1
    assert (s["paid_in_full_after_listing"], s["paid_after_listing_amount"]) == (1, case.claim_amount)
