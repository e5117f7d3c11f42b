"""rules.md §3 at its edges (issue 15, coverage of §3.2–3.5): the periods, the minor on the 18th
birthday, the fixed term's last day, the consumption restriction without a term, and how a 限制消费令
is started (限制消费规定 Art 4)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from tests import factories
from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.models import AuditRecord
from zhixing.core.workdays import WorkCalendar
from zhixing.credit import queries, rules, services
from zhixing.credit.models import Listing, Proposal, Restriction
from zhixing.credit.rules import CODE_BITS
from zhixing.credit.services import approval

from .conftest import ADULT_ID, debtor, debtor_case, listing_data

SH = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar()


def on(y: int, m: int, d: int) -> Any:
    return time_machine.travel(datetime(y, m, d, 9, tzinfo=SH), tick=False)


# -- 失信规定 Art 5(2): the applicant's application is decided within 15 days
def test_application_decision_due_counts_calendar_days_and_rolls_past_rest_days() -> None:
    assert rules.application_decision_due(date(2026, 3, 1), CAL) == date(2026, 3, 16)  # Monday
    assert rules.application_decision_due(date(2026, 3, 13), CAL) == date(2026, 3, 30)  # Sat 28 → Mon 30
    assert rules.application_decision_due(date(2026, 2, 5), CAL) == date(2026, 2, 24)  # Spring Festival
    assert rules.application_decision_due(date(2026, 9, 22), CAL) == date(2026, 10, 8)  # National Day


def test_a_pending_application_is_red_after_its_due_day(case: Any, people: dict) -> None:
    app = services.record_application(people["judge"], case, debtor(case), received_on=date(2026, 2, 5))
    assert app.decision_due == date(2026, 2, 24)
    assert queries.supervision_rows(people["director"], date(2026, 2, 24))["applications"] == [(app, False)]
    assert queries.supervision_rows(people["director"], date(2026, 2, 25))["applications"] == [(app, True)]
    services.reject_application(people["judge"], app, reason="被执行人已提供担保")
    assert queries.supervision_rows(people["director"], date(2026, 2, 25))["applications"] == []


# -- 失信规定 Art 4: a minor is never listed — refused the day before the 18th birthday, listed on it
def test_listing_on_the_eighteenth_birthday_and_not_the_day_before(people: dict) -> None:
    younger = debtor_case(
        people["clerk"], name="小李", id_number=factories.make_id(date(2008, 3, 11), seq=135)
    )
    with pytest.raises(Conflict, match="未成年人"):
        services.list_debtor(people["judge"], younger, debtor(younger), listing_data())
    assert not Listing.objects.exists() and not Restriction.objects.exists()
    adult = debtor_case(people["clerk"], name="小王", id_number=factories.make_id(date(2008, 3, 10), seq=135))
    x = services.list_debtor(people["judge"], adult, debtor(adult), listing_data())
    assert (x.status, x.age) == ("active", 18)


# -- 失信规定 Art 10(2): a fixed-term listing stays through its last day, deleted in 3 working days after
def test_a_fixed_term_listing_stays_on_its_last_day_and_goes_the_day_after(listed: Listing) -> None:
    assert listed.expires_on == date(2028, 3, 9)  # decided 2026-03-10: two years, last day included
    with on(2028, 3, 9):
        assert services.scan_credit().removed == 0
    assert Listing.objects.get(pk=listed.pk).status == "active"
    with on(2028, 3, 10):
        assert services.scan_credit().removed == 1
    x = Listing.objects.get(pk=listed.pk)
    assert (x.status, x.removal_trigger, x.trigger_on) == ("removed", "expired", date(2028, 3, 9))
    assert (x.removal_due, x.removed_on) == (date(2028, 3, 14), date(2028, 3, 10))


# -- 失信规定 Art 9: a wrongful listing is revoked within 3 working days
def test_a_wrongful_listing_is_revoked_within_three_working_days(listed: Listing, people: dict) -> None:
    with on(2026, 3, 13):  # Friday: three working days run to Wednesday
        services.remove_listing(people["judge"], listed, trigger="wrongful", note="不符合纳入条件")
    x = Listing.objects.get(pk=listed.pk)
    assert (x.status, x.trigger_on, x.removal_due, x.removed_on) == (
        "revoked",
        date(2026, 3, 13),
        date(2026, 3, 18),
        date(2026, 3, 13),
    )
    assert queries.current_index().mask_of(ADULT_ID) & CODE_BITS["blacklist"] == 0


# -- 限制消费规定 Art 3(1): nine items, item 1 split by carrier, item 9 the G-series / EMU first class
def test_the_nine_items_and_their_screening_codes() -> None:
    assert list(rules.CONSUMPTION_ITEMS) == list(range(1, 10))
    assert rules.ITEM_CODES[1] == ("flight", "soft_sleeper", "ship")
    assert "G字头动车组列车全部座位" in rules.CONSUMPTION_ITEMS[9]
    assert "其他动车组列车一等以上座位" in rules.CONSUMPTION_ITEMS[9]
    assert rules.codes_of(rules.items_mask([9])) == ("hsr",)
    everything = rules.items_mask(list(rules.ALL_ITEMS))
    assert not everything & (CODE_BITS["exit"] | CODE_BITS["blacklist"])  # not consumption
    assert rules.partner_mask("railway") == CODE_BITS["soft_sleeper"] | CODE_BITS["hsr"]


# -- 限制消费规定: no fixed term — the order stays until performed or lifted
def test_a_consumption_restriction_has_no_term(case: Any, people: dict) -> None:
    (r,) = services.restrict_consumption(
        people["judge"], case, debtor(case), items=[1, 9], bound_persons=[], initiation="application"
    )
    with on(2036, 3, 10):  # ten years on, scans and all
        services.scan_credit()
        queries.reset_index()
        assert queries.current_index().mask_of(ADULT_ID) == rules.items_mask([1, 9])
    assert Restriction.objects.get(pk=r.pk).status == "active"
    services.lift_restriction(people["judge"], r, trigger="applicant_consent")  # Art 9: may lift
    queries.reset_index()
    assert queries.current_index().mask_of(ADULT_ID) == 0


# -- 限制消费规定 Art 4: on the applicant's written application, or ex officio when necessary
def test_initiation_rule() -> None:
    assert rules.initiation_refusal("application") == rules.initiation_refusal("ex_officio") == ""
    assert "限制消费规定第4条" in rules.initiation_refusal("")
    assert "执行程序解释第23条" in rules.initiation_refusal("court")


@pytest.mark.parametrize("bad", ["", "applicant", "APPLICATION"])
def test_a_consumption_order_without_a_valid_initiation_writes_nothing(
    case: Any, people: dict, bad: str
) -> None:
    n = AuditRecord.objects.count()
    with pytest.raises(ServiceError) as e:
        services.restrict_consumption(
            people["judge"], case, debtor(case), items=[1], bound_persons=[], initiation=bad
        )
    assert e.value.field == "initiation"
    with pytest.raises(ServiceError) as e:
        approval.propose_consumption(
            people["judge"], case, debtor(case), items=[1], bound_persons=[], initiation=bad
        )
    assert e.value.field == "initiation"
    with pytest.raises(ServiceError) as e:
        services.restrict_exit(people["judge"], case, debtor(case), initiation=bad, bound_persons=[])
    assert e.value.field == "initiation"
    assert not Restriction.objects.exists() and not Proposal.objects.exists()
    assert AuditRecord.objects.count() == n


def test_the_initiation_is_recorded_on_the_order_and_through_the_presidents_signature(
    case: Any, people: dict
) -> None:
    services.restrict_consumption(
        people["judge"], case, debtor(case), items=[2], bound_persons=[], initiation="application"
    )
    rec = AuditRecord.objects.filter(action="credit.restrict_consumption").get()
    assert rec.after["initiation"] == "application"
    other = debtor_case(people["clerk"], name="李雷", id_number=factories.make_id(date(1975, 1, 2), seq=246))
    p = approval.propose_consumption(
        people["judge"], other, debtor(other), items=[1, 9], bound_persons=[], initiation="ex_officio"
    )
    assert (
        p.summary == "限制消费令（依职权）：第1、9项；宽限期：不设" and p.data["initiation"] == "ex_officio"
    )
    approval.approve(people["president"], p)
    rec = AuditRecord.objects.filter(action="credit.restrict_consumption").order_by("-pk").first()
    assert rec is not None and rec.after["initiation"] == "ex_officio"


def test_a_listings_restriction_follows_the_listings_initiation(case: Any, people: dict) -> None:
    app = services.record_application(people["judge"], case, debtor(case), received_on=date(2026, 3, 9))
    services.list_debtor(
        people["judge"], case, debtor(case), listing_data(initiation="application", application=app)
    )
    rec = AuditRecord.objects.filter(action="credit.restrict_consumption").get()
    assert rec.after["initiation"] == "application" and rec.after["items"] == list(range(1, 10))


def test_the_api_proposes_with_the_initiation(client: Client, case: Any, people: dict) -> None:
    client.force_login(people["judge"])
    url = f"/api/v1/credit/cases/{case.pk}/approvals/consumption"
    body = {"party_id": debtor(case).pk, "items": [1], "initiation": "court"}
    r = client.post(url, body, content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "initiation"
    body["initiation"] = "application"
    r = client.post(url, body, content_type="application/json")
    assert r.status_code == 201, r.content
    assert Proposal.objects.get().data["initiation"] == "application"


def test_the_page_form_asks_for_the_initiation(client: Client, case: Any, people: dict) -> None:
    client.force_login(people["judge"])
    html = client.get(f"/cases/{case.pk}/credit/").content.decode()
    assert 'aria-label="限制消费启动方式"' in html
    r = client.post(
        f"/cases/{case.pk}/credit/consumption/",
        {"party": debtor(case).pk, "items": ["1"], "initiation": "application"},
    )
    assert r.status_code in (200, 302)
    assert Proposal.objects.get().data["initiation"] == "application"  # the president signs by default


# -- 善意文明执行意见: the grace period — 1 to 3 months by default, the maximum is configuration
def test_grace_beyond_the_configured_maximum_is_refused_and_nothing_written(case: Any, people: dict) -> None:
    with pytest.raises(ServiceError) as e:
        services.list_debtor(people["judge"], case, debtor(case), listing_data(grace_months=4))
    assert e.value.field == "grace_months" and "1至3个月" in e.value.message
    with pytest.raises(ServiceError) as e:
        services.restrict_consumption(
            people["judge"], case, debtor(case), items=[1], bound_persons=[], grace_months=4
        )
    assert e.value.field == "grace_months"
    assert not Listing.objects.exists() and not Restriction.objects.exists()


def test_a_configured_maximum_widens_or_closes_the_grace(case: Any, people: dict, settings: Any) -> None:
    settings.ZHIXING_CREDIT_DECISIONS = {"grace_months_max": 0}
    with pytest.raises(ServiceError, match="不设宽限期"):
        approval.propose_listing(people["judge"], case, debtor(case), listing_data(grace_months=1))
    settings.ZHIXING_CREDIT_DECISIONS = {"grace_months_max": 6}
    x = services.list_debtor(people["judge"], case, debtor(case), listing_data(grace_months=6))
    assert x.publish_on == date(2026, 9, 10) and not x.registered


def test_the_form_offers_the_configured_grace(client: Client, case: Any, people: dict, settings: Any) -> None:
    client.force_login(people["judge"])
    html = client.get(f"/cases/{case.pk}/credit/").content.decode()
    assert '<option value="3">3个月</option>' in html and "4个月" not in html
    settings.ZHIXING_CREDIT_DECISIONS = {"grace_months_max": 1}
    html = client.get(f"/cases/{case.pk}/credit/").content.decode()
    assert '<option value="1">1个月</option>' in html and "2个月" not in html


# -- 失信规定 Art 1: only a debtor of the case, and only while the instrument is not performed
def test_only_the_cases_debtor_of_an_unperformed_case_is_listed(case: Any, people: dict) -> None:
    applicant = case.parties.get(role="applicant")
    with pytest.raises(ServiceError) as e:
        services.list_debtor(people["judge"], case, applicant, listing_data())
    assert e.value.field == "party"
    from zhixing.cases import services as case_services

    case_services.close_case(
        people["judge"],
        case,
        mode="performed",
        closed_on=date(2026, 3, 10),
        details={"document_ref": "（2026）粤0106执结1号", "performed_amount": "100000", "how": "voluntary"},
    )
    case.refresh_from_db()
    with pytest.raises(Conflict, match="不能纳入失信名单"):
        services.list_debtor(people["judge"], case, debtor(case), listing_data())
    assert not Listing.objects.exists()


# -- 限制消费规定 Art 3(2): a unit's order binds its legal representative, principal, responsible person and
# actual controller; a natural-person debtor's order binds nobody else --------------------------------------
def test_a_units_order_binds_its_actual_controller_and_a_persons_binds_nobody_else(people: dict) -> None:
    from .conftest import org_case

    c = org_case(people["clerk"])
    controller = factories.make_id(date(1968, 8, 8), seq=777)
    rows = services.restrict_consumption(
        people["judge"],
        c,
        debtor(c),
        items=[1],
        bound_persons=[services.BoundPerson(bound="controller", name="赵六", id_number=controller)],
    )
    assert sorted(r.bound for r in rows) == ["controller", "debtor", "legal_rep"]
    assert queries.current_index().mask_of(controller) == rules.items_mask([1])
    p = debtor_case(people["clerk"], name="李雷", id_number=factories.make_id(date(1975, 1, 2), seq=246))
    with pytest.raises(ServiceError) as e:
        services.restrict_consumption(
            people["judge"],
            p,
            debtor(p),
            items=[1],
            bound_persons=[services.BoundPerson(bound="controller", name="赵六", id_number=controller)],
        )
    assert e.value.field == "bound_persons"


# -- 限制消费规定 Art 5: the order states its period, items and legal consequences, signed by the president
def test_the_order_states_period_items_and_consequences(
    client: Client, case: Any, people: dict, stored_word: Any
) -> None:
    p = approval.approve(
        people["president"],
        approval.propose_consumption(people["judge"], case, debtor(case), items=[9], bound_persons=[]),
    )
    client.force_login(people["judge"])
    text = stored_word(client, case.pk, "consumption_order", str(p.pk))
    assert "（9）乘坐G字头动车组列车全部座位" in text and "（1）" not in text
    assert "至被执行人履行完毕生效法律文书确定的义务或本院依法解除之日止" in text
    assert "罚款、拘留" in text and f"签发人：院长 {people['president'].full_name}" in text


# -- 限制消费规定 Art 1(2) over Art 9: the discretionary lifts do not free a debtor still listed
def test_listed_lift_rule() -> None:
    assert rules.listed_lift_refusal("consumption", True, "guarantee") != ""
    assert rules.listed_lift_refusal("consumption", True, "applicant_consent") != ""
    assert rules.listed_lift_refusal("consumption", True, "performed") == ""  # Art 9: must lift
    assert rules.listed_lift_refusal("consumption", True, "personnel_change") == ""  # 善意文明意见 Art 17
    assert rules.listed_lift_refusal("consumption", False, "guarantee") == ""
    assert rules.listed_lift_refusal("exit", True, "guarantee") == ""


@pytest.mark.parametrize("trigger", ["guarantee", "applicant_consent"])
def test_a_listed_debtors_restriction_is_not_lifted_on_a_guarantee_until_the_listing_goes(
    listed_open: Listing, people: dict, trigger: str
) -> None:
    r = Restriction.objects.get(listing=listed_open)
    with pytest.raises(Conflict, match="第1条第2款") as e:
        services.lift_restriction(people["judge"], r, trigger=trigger)
    assert e.value.field == "trigger" and Restriction.objects.get(pk=r.pk).status == "active"
    assert queries.current_index().mask_of(ADULT_ID) & CODE_BITS["flight"]
    services.remove_listing(people["judge"], listed_open, trigger="applicant_request")
    assert Restriction.objects.get(pk=r.pk).status == "active"  # the deletion lifts nothing by itself
    services.lift_restriction(people["judge"], r, trigger=trigger)
    queries.reset_index()
    assert queries.current_index().mask_of(ADULT_ID) == 0


# -- 失信规定 Art 12: the 复议 does not suspend the listing
def test_the_listing_stays_published_while_the_higher_court_reviews(listed: Listing, people: dict) -> None:
    c = services.file_correction(
        people["judge"], listed, ground="should_not_list", detail="不应纳入", received_on=date(2026, 3, 10)
    )
    c = services.decide_correction(people["judge"], c, upheld=False, served_on=date(2026, 3, 10))
    assert c.reconsideration_due == date(2026, 3, 20)
    with on(2026, 3, 20):  # the last day of the 10 days
        c = services.file_correction_reconsideration(people["gz_director"], c, filed_on=date(2026, 3, 20))
    assert (c.status, c.higher_review_due) == (
        "reconsidering",
        date(2026, 4, 7),
    )  # 4 April + Qingming 4–6 April → Tue 7
    x = Listing.objects.get(pk=listed.pk)
    assert (x.status, x.registered) == ("active", True)
    assert queries.current_index().mask_of(ADULT_ID) & CODE_BITS["blacklist"]


# -- 失信规定 Art 5(3): the decision states the reason and, with a term, the term
def test_the_decision_states_the_ground_and_the_term(client: Client, listed: Listing, people: dict) -> None:
    client.force_login(people["judge"])
    html = client.get(f"/credit/decisions/{listed.pk}/").content.decode()
    assert "违反财产报告制度" in html and "拒不报告财产" in html
    assert "纳入期限：自2026年03月10日起至2028年03月09日止" in html
