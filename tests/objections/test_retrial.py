"""The retrial route after a third-party objection's ruling (CPL-2023 Art 238, R-0.17), frozen in time:

* a retrial application filed instead of a suit keeps the claimed asset blocked as a pending suit does,
  and the finality sweep leaves the objection alone while it is pending;
* dismissed → the ruling is final that day, the block ends and the suspended lot resumes through the
  same consequence row as a suit lost by the objector (`third_party_objection_cleared`);
* retrial ordered → the case is suspended with the ground `retrial` (the existing suspension and its
  event), the asset stays blocked, the lot stays suspended;
* bad input names the field and writes nothing; the window is six months from service (configurable).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests import factories
from tests.inquiry.expiry_support import frozen, seized
from zhixing.auctions.models import Lot
from zhixing.cases.models import EnforcementCase
from zhixing.core import disposal_guards
from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.core.models import AuditRecord
from zhixing.inquiry.models import Asset
from zhixing.measures.models import Consequence
from zhixing.objections import acts, finality, retrial, rules, services
from zhixing.objections.models import Objection

from .conftest import at, objector
from .test_lot_resumption import _at, _suspended

pytestmark = pytest.mark.django_db

COURT = "广东省广州市中级人民法院"


def _rejected_and_served(people: dict[str, Any], o: Objection, panel: list[int], served: str) -> Objection:
    o = services.decide(people["judge"], o, upheld=False, panel_ids=panel, reason="证据不足")
    return services.record_service(people["judge"], o, served)


def test_a_pending_retrial_blocks_like_a_suit_and_dismissal_resumes_the_lot(
    people: dict[str, Any], house: Asset, clock: Any, panel: list[int]
) -> None:
    lot, _, o = _suspended(people, house, clock)
    o = _rejected_and_served(people, o, panel, "2026-04-10")
    _at(clock, date(2026, 4, 20))
    o = retrial.file_retrial(
        people["judge"], o, filed_on="2026-04-20", court=COURT, number="（2026）粤01民申100号"
    )
    assert (o.retrial_state, o.retrial_filed_on, o.retrial_court, o.retrial_number) == (
        "pending",
        date(2026, 4, 20),
        COURT,
        "（2026）粤01民申100号",
    )
    blocked = f"案外人异议{o.number}裁定后已申请再审（审判监督程序），再审审查期间不得处分该财产"
    assert disposal_guards.refusals(house.pk) == [blocked]
    rec = AuditRecord.objects.order_by("-pk").first()
    assert rec is not None and rec.action == "objections.retrial_filed"
    assert rec.after["retrial_court"] == COURT
    # A suit cannot be recorded on top of it; past the 15-day window the sweep leaves it alone.
    with pytest.raises(Conflict):
        services.record_suit(people["judge"], o, filed_on="2026-04-20", number="（2026）粤0106民初1号")
    _at(clock, date(2026, 5, 20))
    assert finality.due(date(2026, 5, 20)) == [] and finality.sweep() == 0
    assert disposal_guards.refusals(house.pk) == [blocked]
    lot.refresh_from_db()
    assert lot.status == Lot.Status.SUSPENDED

    # Dismissed on 06-01: final that day, the block ends and the lot resumes through the table's row.
    _at(clock, date(2026, 6, 1))
    o = retrial.decide_retrial(
        people["judge"], o, granted=False, decided_on="2026-06-01", document_ref="（2026）粤01民申100号裁定"
    )
    assert (o.retrial_state, o.retrial_decided_on, o.final_on) == (
        "dismissed",
        date(2026, 6, 1),
        date(2026, 6, 1),
    )
    assert disposal_guards.refusals(house.pk) == []
    lot.refresh_from_db()
    assert lot.status == Lot.Status.ANNOUNCED
    row = Consequence.objects.get(event="third_party_objection_cleared", case=house.case)
    assert (row.measure, row.action, row.status) == ("lot", "resume_lot", "applied")
    decided = AuditRecord.objects.filter(action="objections.retrial_decided").get()
    assert decided.after["retrial_state"] == "dismissed" and decided.after["suspension"] == ""
    with pytest.raises(Conflict):  # once
        retrial.decide_retrial(people["judge"], o, granted=True, decided_on="2026-06-01", document_ref="x")


def test_retrial_ordered_suspends_the_case_and_keeps_the_asset_blocked(
    people: dict[str, Any], house: Asset, clock: Any, panel: list[int]
) -> None:
    lot, _, o = _suspended(people, house, clock)
    o = _rejected_and_served(people, o, panel, "2026-04-10")
    o = retrial.file_retrial(people["director"], o, filed_on="2026-04-10", court=COURT, number="民申101号")
    _at(clock, date(2026, 5, 6))
    o = retrial.decide_retrial(
        people["judge"], o, granted="granted", decided_on="2026-05-06", document_ref="（2026）粤01民再5号"
    )
    assert (o.retrial_state, o.final_on) == ("granted", None)
    case = EnforcementCase.objects.get(pk=house.case_id)
    susp = case.suspensions.get()
    assert (case.status, susp.ground, susp.start, susp.document_ref) == (
        "suspended",
        "retrial",
        date(2026, 5, 6),
        "（2026）粤01民再5号",
    )
    assert disposal_guards.refusals(house.pk) == [
        f"案外人异议{o.number}所涉原判决、裁定已裁定再审，中止对该财产的执行"
    ]
    lot.refresh_from_db()
    assert lot.status == Lot.Status.SUSPENDED
    rec = AuditRecord.objects.filter(action="objections.retrial_decided").get()
    assert rec.after["suspension"] == "已裁定中止执行（再审）"
    assert AuditRecord.objects.filter(action="case.suspend", case_id=case.pk).count() == 1


def test_an_already_suspended_case_is_left_as_it_is(people: dict[str, Any], panel: list[int]) -> None:
    case = factories.case(people["clerk"])
    flat = seized(case, date(2026, 3, 5), ref="粤(2024)广州市不动产权第0106555号")
    with at(date(2026, 3, 10)):
        o = services.file_third_party(None, case, flat.pk, objector())
        o = _rejected_and_served(people, o, panel, "2026-03-10")
        o = retrial.file_retrial(people["judge"], o, filed_on="2026-03-10", court=COURT, number="民申1号")
        from zhixing.cases import services as cases

        cases.suspend_case(
            people["judge"], case, ground="other", start=date(2026, 3, 10), document_ref="裁定"
        )
        o = retrial.decide_retrial(
            people["judge"], o, granted=True, decided_on="2026-03-10", document_ref="民再1号"
        )
    assert o.retrial_state == "granted"
    rec = AuditRecord.objects.filter(action="objections.retrial_decided").get()
    assert rec.after["suspension"] == "未中止执行：案件已处于中止执行状态"
    assert case.suspensions.count() == 1


def test_bad_input_names_the_field_and_writes_nothing(people: dict[str, Any], panel: list[int]) -> None:
    case = factories.case(people["clerk"])
    flat = seized(case, date(2026, 3, 5), ref="粤(2024)广州市不动产权第0106556号")
    account = frozen(case, "6222000011115555", date(2026, 3, 5))
    with at(date(2026, 3, 10)):
        o = services.file_third_party(None, case, flat.pk, objector())
        with pytest.raises(Conflict):  # not yet ruled and served
            retrial.file_retrial(people["judge"], o, filed_on="2026-03-10", court=COURT, number="民申1号")
        o = _rejected_and_served(people, o, panel, "2026-03-10")
        act = acts.file_act_objection(
            people["clerk"],
            case,
            act_type="freeze",
            act_id=account.pk,
            party_id=case.parties.get(role="debtor").pk,
            grounds="超标的",
        )
        with pytest.raises(Conflict):  # an act objection goes to 复议
            retrial.file_retrial(people["judge"], act, filed_on="2026-03-10", court=COURT, number="民申1号")
    before = AuditRecord.objects.count()
    # Six months from service 03-10 end on Thu 09-10.
    assert rules.retrial_filing_due(date(2026, 3, 10), 6, current_calendar()) == date(2026, 9, 10)
    with at(date(2026, 9, 11)):
        bad = [
            ({"filed_on": "2026-13-01"}, "retrial_filed_on"),
            ({"filed_on": "2026-03-09"}, "retrial_filed_on"),  # before service
            ({"filed_on": "2026-09-12"}, "retrial_filed_on"),  # after today
            ({"filed_on": "2026-09-11"}, "retrial_filed_on"),  # after the six months
            ({"court": " "}, "retrial_court"),
            ({"number": ""}, "retrial_number"),
        ]
        for change, field in bad:
            kw = {"filed_on": "2026-09-10", "court": COURT, "number": "民申1号", **change}
            with pytest.raises(ServiceError) as exc:
                retrial.file_retrial(people["judge"], o, **kw)
            assert exc.value.field == field, (change, exc.value.message)
        o.refresh_from_db()
        assert o.retrial_state == "" and AuditRecord.objects.count() == before
        o = retrial.file_retrial(people["judge"], o, filed_on="2026-09-10", court=COURT, number="民申1号")
        for change, field in [
            ({"granted": "maybe"}, "granted"),
            ({"decided_on": "2026-09-09"}, "retrial_decided_on"),  # before the application
            ({"decided_on": "2026-09-12"}, "retrial_decided_on"),  # after today
            ({"document_ref": " "}, "retrial_document_ref"),
        ]:
            kw = {"granted": False, "decided_on": "2026-09-11", "document_ref": "民申1号裁定", **change}
            with pytest.raises(ServiceError) as exc:
                retrial.decide_retrial(people["judge"], o, **kw)
            assert exc.value.field == field, (change, exc.value.message)
        o.refresh_from_db()
        assert (o.retrial_state, o.final_on) == ("pending", None)


def test_an_objection_already_final_takes_no_retrial(people: dict[str, Any], panel: list[int]) -> None:
    case = factories.case(people["clerk"])
    flat = seized(case, date(2026, 3, 5), ref="粤(2024)广州市不动产权第0106557号")
    with at(date(2026, 3, 10)):
        o = _rejected_and_served(
            people, services.file_third_party(None, case, flat.pk, objector()), panel, "2026-03-10"
        )
    with at(date(2026, 4, 1)):
        assert finality.sweep() == 1
        o.refresh_from_db()
        with pytest.raises(Conflict) as exc:
            retrial.file_retrial(people["judge"], o, filed_on="2026-04-01", court=COURT, number="民申2号")
        assert "申请再审不停止执行" in exc.value.message


def test_the_block_rule_with_a_retrial_and_its_setting() -> None:
    today = date(2026, 5, 1)
    served, due = date(2026, 4, 10), date(2026, 4, 27)
    pending = rules.BlockFacts("rejected", served, due, "", "执异1号", "pending")
    assert (
        rules.block_reason(pending, today)
        == "案外人异议执异1号裁定后已申请再审（审判监督程序），再审审查期间不得处分该财产"
    )
    # The setting off: a rejected ruling past its window no longer blocks; an upheld one still does.
    assert rules.block_reason(pending, today, retrial_blocks=False) == ""
    upheld = rules.BlockFacts("upheld", served, due, "", "执异1号", "pending")
    assert (
        rules.block_reason(upheld, today, retrial_blocks=False)
        == "案外人异议执异1号成立，已中止对该财产的执行"
    )
    granted = rules.BlockFacts("rejected", served, due, "", "执异1号", "granted")
    assert (
        rules.block_reason(granted, today, retrial_blocks=False)
        == "案外人异议执异1号所涉原判决、裁定已裁定再审，中止对该财产的执行"
    )
    for state in ("dismissed",):
        for status in ("rejected", "upheld"):
            assert rules.block_reason(rules.BlockFacts(status, served, due, "", "x", state), today) == ""
    for state in ("pending", "granted", "dismissed"):
        assert rules.final_on(rules.BlockFacts("rejected", served, due, "", "x", state), today) is None
    assert rules.final_on(rules.BlockFacts("rejected", served, due, "", "x", ""), today) == date(2026, 4, 28)


def test_the_setting_turns_the_pending_block_off(
    people: dict[str, Any], panel: list[int], settings: Any
) -> None:
    case = factories.case(people["clerk"])
    flat = seized(case, date(2026, 3, 5), ref="粤(2024)广州市不动产权第0106558号")
    with at(date(2026, 3, 10)):
        o = _rejected_and_served(
            people, services.file_third_party(None, case, flat.pk, objector()), panel, "2026-03-10"
        )
        retrial.file_retrial(people["judge"], o, filed_on="2026-03-10", court=COURT, number="民申3号")
    with at(date(2026, 4, 1)):
        assert len(disposal_guards.refusals(flat.pk)) == 1
        settings.ZHIXING_OBJECTIONS = {"retrial_blocks_disposal": False}
        assert disposal_guards.refusals(flat.pk) == []


def test_the_objection_page_records_the_retrial_and_its_outcome(
    people: dict[str, Any], panel: list[int]
) -> None:
    from django.test import Client
    from django.urls import reverse

    case = factories.case(people["clerk"])
    flat = seized(case, date(2026, 3, 5), ref="粤(2024)广州市不动产权第0106559号")
    judge, clerk = Client(), Client()
    judge.force_login(people["judge"])
    clerk.force_login(people["clerk"])
    with at(date(2026, 3, 10)):
        o = _rejected_and_served(
            people, services.file_third_party(None, case, flat.pk, objector()), panel, "2026-03-10"
        )
        page = judge.get(reverse("objection_detail", args=[o.pk])).content.decode()
        assert 'id="retrial-submit"' in page and 'id="suit-submit"' in page
        url = reverse("objection_act", args=[o.pk, "retrial"])
        form = {"retrial_filed_on": "2026-03-10", "retrial_court": COURT, "retrial_number": "民申9号"}
        assert clerk.post(url, form).status_code == 403
        bad = judge.post(url, {**form, "retrial_court": ""}, follow=True).content.decode()
        assert "请填写再审审查法院" in bad
        assert Objection.objects.get(pk=o.pk).retrial_state == ""
        judge.post(url, form)
        page = judge.get(reverse("objection_detail", args=[o.pk])).content.decode()
        assert "再审申请审查中 · " + COURT in page and 'id="retrial-decide-submit"' in page
        assert 'id="suit-submit"' not in page
        judge.post(
            reverse("objection_act", args=[o.pk, "retrial-decision"]),
            {
                "retrial_outcome": "dismissed",
                "retrial_decided_on": "2026-03-10",
                "retrial_document_ref": "民申9号裁定",
            },
        )
    o.refresh_from_db()
    assert (o.retrial_state, o.final_on, o.retrial_document_ref) == (
        "dismissed",
        date(2026, 3, 10),
        "民申9号裁定",
    )
