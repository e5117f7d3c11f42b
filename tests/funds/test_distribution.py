"""Distribution plans at service level: claims, balance cap, first seizure, the whole objection
lifecycle in frozen time (periods rolled past holidays), the deposit during the suit, amendment,
final, payouts that must follow the plan, and the audit of every step."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from zhixing.core.audit import AuditRecord
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.funds import queries, queries_distribution, services
from zhixing.funds.models import DistributionObjection, DistributionPlan, Payout

from .conftest import receive

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
OUTSIDE_ID = "91440101MA59XXXXXX"
S = DistributionPlan.Status


def at(day: date) -> Any:
    return time_machine.travel(datetime(day.year, day.month, day.day, 10, 0, tzinfo=TZ), tick=False)


@pytest.fixture
def clock() -> Iterator[Any]:
    with at(date(2026, 3, 10)) as t:
        yield t


def move(t: Any, day: date) -> None:
    t.move_to(datetime(day.year, day.month, day.day, 10, 0, tzinfo=TZ))


def applicant(case: Any) -> Any:
    return case.parties.get(role="applicant")


def outside_id() -> str:
    from tests.factories import VALID_CREDIT

    return VALID_CREDIT


def funded_plan(case: Any, people: Any, amount: str = "1000.00") -> DistributionPlan:
    receive(case, amount, f"D-{case.pk}-{amount}")
    plan = services.create_plan(people["judge"], case, costs="0", first_seizing_court=case.court.name)
    services.add_claim(people["judge"], plan, {"party_id": applicant(case).pk, "amount": "600.00"})
    services.add_claim(
        people["judge"],
        plan,
        {
            "creditor_name": "案外某公司",
            "creditor_id_number": outside_id(),
            "amount": "400.00",
            "applied_on": "2026-03-09",
            "basis": "（2025）粤0104民初5号",
        },
    )
    plan.refresh_from_db()
    return plan


def paid(plan: DistributionPlan) -> list[str]:
    plan.refresh_from_db()
    return [ln["paid"] for ln in plan.lines]


def test_plan_never_exceeds_the_case_balance(case, people, clock) -> None:
    with pytest.raises(Conflict) as exc:
        services.create_plan(people["judge"], case, proceeds="5000000", first_seizing_court=case.court.name)
    assert (
        exc.value.message == "分配财产总额5,000,000.00元超过本案案款余额0.00元"
        and exc.value.field == "proceeds"
    )
    receive(case, "1000.00", "B1")
    with pytest.raises(Conflict) as exc:
        services.create_plan(people["judge"], case, proceeds="5000000", first_seizing_court=case.court.name)
    assert exc.value.message == "分配财产总额5,000,000.00元超过本案案款余额1,000.00元"
    assert not DistributionPlan.objects.exists()
    plan = services.create_plan(people["judge"], case, first_seizing_court=case.court.name)
    assert plan.proceeds == Decimal("1000.00")  # default: the whole balance
    with pytest.raises(Conflict):  # one open plan per case
        services.create_plan(people["judge"], case, first_seizing_court=case.court.name)


def test_first_seizing_court_distributes(case, people, clock) -> None:
    receive(case, "100.00", "B2")
    with pytest.raises(Conflict) as exc:
        services.create_plan(people["judge"], case)
    assert exc.value.field == "first_seizing_court" and "首先查封" in exc.value.message
    with pytest.raises(Conflict) as exc:
        services.create_plan(people["judge"], case, first_seizing_court="广州市越秀区人民法院")
    assert "应由该院主持分配" in exc.value.message


def test_queued_seizure_on_record_refuses(case, people, clock) -> None:
    from zhixing.inquiry.models import Asset, Partner

    partner = Partner.objects.first()
    if partner is None:
        pytest.skip("no partner seeded")
    Asset.objects.create(
        case=case,
        party=case.parties.get(role="debtor"),
        partner=partner,
        category=partner.category,
        kind="house",
        ref="粤(2020)不动产权第9号",
        value=Decimal("1"),
        state="queued",
        seizure_rank=2,
        found_at=datetime(2026, 3, 1, tzinfo=TZ),
    )
    receive(case, "100.00", "B3")
    with pytest.raises(Conflict) as exc:
        services.create_plan(people["judge"], case, first_seizing_court=case.court.name)
    assert "轮候查封" in exc.value.message and "第2顺位" in exc.value.message
    Asset.objects.filter(case=case).update(state="seized", seizure_rank=1)
    plan = services.create_plan(people["judge"], case)
    assert plan.first_seizing_court == case.court.name and "首封" in plan.seizure_basis


def test_claim_fields_are_checked(case, people, clock) -> None:
    receive(case, "100.00", "B4")
    plan = services.create_plan(
        people["judge"], case, first_seizing_court=case.court.name, cutoff_on="2026-03-09"
    )
    cases = [
        ({"amount": "1"}, "creditor_name"),
        ({"creditor_name": "某人", "amount": "1"}, "creditor_id_number"),
        ({"creditor_name": "某人", "creditor_id_number": "123", "amount": "1"}, "creditor_id_number"),
        ({"party_id": applicant(case).pk, "amount": "x"}, "amount"),
        ({"party_id": applicant(case).pk, "amount": "1", "kind": "weird"}, "kind"),
        ({"party_id": applicant(case).pk, "amount": "1", "rank": "0"}, "rank"),
        ({"party_id": applicant(case).pk, "amount": "1", "kind": "secured"}, "security_date"),
        ({"party_id": case.parties.get(role="debtor").pk, "amount": "1"}, "party_id"),
        ({"party_id": applicant(case).pk, "amount": "1", "applied_on": "2026-03-10"}, "applied_on"),
        # an outside ordinary creditor needs an enforcement basis (民诉解释 Art 506)
        (
            {
                "creditor_name": "某人",
                "creditor_id_number": outside_id(),
                "amount": "1",
                "applied_on": "2026-03-09",
            },
            "basis",
        ),
        ({"party_id": applicant(case).pk, "amount": "1", "applied_on": "2026-03-01"}, "applied_on"),
        ({"party_id": applicant(case).pk, "amount": "1", "applied_on": "3/1"}, "applied_on"),
    ]
    for data, field in cases:
        with pytest.raises(ServiceError) as exc:
            services.add_claim(people["judge"], plan, data)
        assert exc.value.field == field, (data, exc.value.message)
    assert plan.claims.count() == 0
    with pytest.raises(NotPermitted):
        services.add_claim(people["finance"], plan, {"party_id": applicant(case).pk, "amount": "1"})
    with pytest.raises(NotPermitted):
        services.add_claim(people["yx_judge"], plan, {"party_id": applicant(case).pk, "amount": "1"})


def test_full_lifecycle_with_suit_deposit_amendment_and_payouts(case, people, clock) -> None:
    judge = people["judge"]
    plan = funded_plan(case, people)
    assert paid(plan) == ["600.00", "400.00", "0.00"]
    move(clock, date(2026, 4, 16))
    plan = services.serve_plan(judge, plan, "2026-04-16")
    assert plan.status == S.SERVED and plan.objection_due == date(2026, 5, 6)  # 5-1..5-5 holiday
    assert plan.cutoff_on == date(2026, 4, 16)
    with pytest.raises(Conflict):  # claims closed once served
        services.add_claim(judge, plan, {"party_id": applicant(case).pk, "amount": "1"})
    # payouts are refused while the plan is in force but not final
    with pytest.raises(Conflict) as exc:
        services.propose(
            judge,
            case,
            party_id=applicant(case).pk,
            amount="600.00",
            account_name=applicant(case).name,
            account_no="6222000011112222",
        )
    assert "方案生效前不能发款" in exc.value.message
    move(clock, date(2026, 4, 20))
    claim_a = plan.claims.get(party=applicant(case))
    o1 = services.record_objection(
        judge,
        plan,
        by_name="案外某公司",
        claim_id=claim_a.pk,
        proposed_amount="300.00",
        reason="部分债权已清偿",
        received_on="2026-04-20",
    )
    assert o1.counter_due == date(2026, 5, 6) and o1.disputed == Decimal("300.00")  # 600 → 300 if upheld
    o2 = services.record_objection(
        judge,
        plan,
        by_name="张三",
        by_debtor=True,
        claim_id=claim_a.pk,
        proposed_amount="0",
        reason="债权不成立",
        received_on="2026-04-20",
    )
    assert o2.disputed == Decimal("600.00")
    plan.refresh_from_db()
    assert plan.status == S.OBJECTED and plan.counter_objection_due == date(2026, 5, 6)
    move(clock, date(2026, 4, 27))
    services.record_counter(
        judge, plan, o1.pk, by_name=applicant(case).name, received_on="2026-04-25", notified_on="2026-04-27"
    )
    o1.refresh_from_db()
    assert o1.state == DistributionObjection.State.COUNTERED and o1.suit_due == date(2026, 5, 12)
    plan.refresh_from_db()
    assert plan.status == S.COUNTERED
    move(clock, date(2026, 5, 8))
    with pytest.raises(Conflict):  # periods still running
        services.conclude(judge, plan)
    with pytest.raises(ServiceError) as overlong:  # never cut short in silence
        services.record_suit(judge, plan, o1.pk, sued_on="2026-05-08", suit_number="号" * 65)
    assert (overlong.value.field, overlong.value.message) == (
        "suit_number",
        "“诉讼案号”不能超过64个字符（现为65个字符）",
    )
    services.record_suit(judge, plan, o1.pk, sued_on="2026-05-08", suit_number="（2026）粤0106民初88号")
    plan.refresh_from_db()
    assert plan.status == S.SUING and plan.held_amount == Decimal("300.00")
    assert queries.case_money(case).held == Decimal("300.00")
    move(clock, date(2026, 6, 1))
    services.record_judgment(judge, plan, o1.pk, upheld=True, result_on="2026-06-01")
    new = services.conclude(judge, plan)
    plan.refresh_from_db()
    assert plan.status == S.AMENDED and new.version == 2 and new.previous_id == plan.pk
    o2.refresh_from_db()
    assert o2.state == DistributionObjection.State.ACCEPTED
    # o1 upheld (300) then o2 accepted (0): the later objection on the same claim wins
    assert [ln["creditor"] for ln in new.lines][:1] == ["案外某公司"]
    assert paid(new) == ["400.00", "600.00"]  # applicant excluded; surplus to the debtor
    new = services.serve_plan(judge, new, "2026-06-01")
    assert new.objection_due == date(2026, 6, 16)
    move(clock, date(2026, 6, 17))
    final = services.conclude(judge, new)
    assert final.status == S.FINAL and final.finalised_on == date(2026, 6, 17)
    debtor = case.parties.get(role="debtor")
    with pytest.raises(Conflict) as exc:
        services.propose(
            judge,
            case,
            party_id=debtor.pk,
            amount="500.00",
            purpose="refund",
            account_name=debtor.name,
            account_no="6222000011113333",
        )
    assert "600.00" in exc.value.message
    with pytest.raises(ServiceError) as exc:  # an outside creditor is not paid through a case payout
        services.propose_line(judge, final, 0, account_name="案外某公司", account_no="6222000011113333")
    assert exc.value.field == "line"
    with pytest.raises(Conflict) as exc:
        services.mark_paid(judge, final)
    assert "案外某公司" in exc.value.message
    actions = set(AuditRecord.objects.filter(case_id=case.pk).values_list("action", flat=True))
    assert {
        "funds.plan_create",
        "funds.plan_claim_add",
        "funds.plan_serve",
        "funds.plan_objection",
        "funds.plan_counter",
        "funds.plan_suit",
        "funds.plan_judgment",
        "funds.plan_amend",
        "funds.plan_final",
    } <= actions


def test_disputed_amount_is_held_during_the_suit(case, people, clock) -> None:
    judge = people["judge"]
    receive(case, "500.00", "H1")
    plan = services.create_plan(judge, case, costs="0", first_seizing_court=case.court.name)
    services.add_claim(judge, plan, {"party_id": applicant(case).pk, "amount": "600.00"})
    services.add_claim(
        judge,
        plan,
        {
            "creditor_name": "案外某公司",
            "creditor_id_number": outside_id(),
            "amount": "400.00",
            "basis": "（2025）粤0104民初5号",
        },
    )
    assert paid(plan) == ["300.00", "200.00", "0.00"]
    move(clock, date(2026, 3, 11))
    services.serve_plan(judge, plan, "2026-03-11")
    o = services.record_objection(
        judge,
        plan,
        by_name="案外某公司",
        claim_id=plan.claims.first().pk,
        proposed_amount="100",
        reason="虚构债权",
        received_on="2026-03-11",
    )
    assert o.disputed == Decimal("200.00")  # applicant 300 → 100 if upheld (outside 200 → 400)
    services.record_counter(judge, plan, o.pk, by_name=applicant(case).name, received_on="2026-03-11")
    with pytest.raises(ServiceError):  # the objector cannot counter their own objection
        services.record_counter(judge, plan, o.pk, by_name="案外某公司", received_on="2026-03-11")
    services.record_suit(judge, plan, o.pk, sued_on="2026-03-11", suit_number="（2026）粤0106民初9号")
    m = queries.case_money(case)
    assert m.held == Decimal("200.00") and m.balance == Decimal("300.00")
    held = queries_distribution.held_lines(case)
    assert [(h.amount, h.objection_id) for h in held] == [(Decimal("200.00"), o.pk)]
    assert "（2026）粤0106民初9号" in held[0].reason
    plan.refresh_from_db()
    assert plan.held_amount == Decimal("200.00")
    services.record_judgment(judge, plan, o.pk, upheld=False, result_on="2026-03-11")
    m = queries.case_money(case)
    assert m.held == Decimal("0.00") and m.balance == Decimal("500.00")
    assert queries_distribution.held_lines(case) == []
    move(clock, date(2026, 3, 27))  # 3-26 objection_due
    final = services.conclude(judge, plan)
    assert final.pk == plan.pk and final.status == S.FINAL  # dismissed: the original plan stands


def test_late_steps_are_refused_and_lapsed_suit_keeps_the_plan(case, people, clock) -> None:
    judge = people["judge"]
    plan = funded_plan(case, people)
    services.serve_plan(judge, plan, "2026-03-10")
    plan.refresh_from_db()
    assert plan.objection_due == date(2026, 3, 25)
    claim = plan.claims.first()
    move(clock, date(2026, 3, 26))
    with pytest.raises(Conflict) as exc:
        services.record_objection(
            judge,
            plan,
            by_name="甲",
            claim_id=claim.pk,
            proposed_amount="1",
            reason="x",
            received_on="2026-03-26",
        )
    assert "2026-03-25" in exc.value.message and exc.value.field == "received_on"
    o = services.record_objection(
        judge,
        plan,
        by_name="甲",
        claim_id=claim.pk,
        proposed_amount="1",
        reason="x",
        received_on="2026-03-25",
    )
    with pytest.raises(ServiceError):  # same amount as the plan
        services.record_objection(
            judge,
            plan,
            by_name="甲",
            claim_id=claim.pk,
            proposed_amount="600",
            reason="x",
            received_on="2026-03-25",
        )
    with pytest.raises(ServiceError) as exc:
        services.record_objection(
            judge,
            plan,
            by_name="甲",
            claim_id="999999",
            proposed_amount="1",
            reason="x",
            received_on="2026-03-25",
        )
    assert exc.value.field == "claim_id"
    assert o.counter_due == date(2026, 4, 9)
    move(clock, date(2026, 4, 10))
    with pytest.raises(Conflict):
        services.record_counter(judge, plan, o.pk, by_name="乙", received_on="2026-04-10")
    services.record_counter(
        judge, plan, o.pk, by_name="乙", received_on="2026-04-09", notified_on="2026-04-10"
    )
    o.refresh_from_db()
    assert o.suit_due == date(2026, 4, 27)  # 4-25 is a Saturday: rolled to Monday
    move(clock, date(2026, 4, 28))
    with pytest.raises(Conflict):
        services.record_suit(judge, plan, o.pk, sued_on="2026-04-28", suit_number="x")
    with pytest.raises(ServiceError) as exc:
        services.record_suit(judge, plan, o.pk, sued_on="2026-05-01", suit_number="x")
    assert "不能晚于今天" in exc.value.message
    final = services.conclude(judge, plan)
    o.refresh_from_db()
    assert final.status == S.FINAL and o.state == DistributionObjection.State.LAPSED
    assert paid(final) == ["600.00", "400.00", "0.00"]


def test_payouts_follow_the_final_plan_and_paid_needs_every_line(case, people, clock) -> None:
    judge = people["judge"]
    receive(case, "2000.00", "P1")
    plan = services.create_plan(judge, case, first_seizing_court=case.court.name)
    assert plan.costs == Decimal("1400.00")  # the application fee still due comes first (50 + 1.5% of 90,000)
    services.add_claim(judge, plan, {"party_id": applicant(case).pk, "amount": "600.00"})
    services.serve_plan(judge, plan, "2026-03-10")
    move(clock, date(2026, 3, 26))
    services.conclude(judge, plan)
    a = applicant(case)
    with pytest.raises(Conflict) as exc:
        services.propose(
            judge, case, party_id=a.pk, amount="599.00", account_name=a.name, account_no="6222000011112222"
        )
    assert exc.value.message == f"本案按财产分配方案#{plan.pk}发款：该收款人按方案未发放的金额为600.00元"
    p = services.propose(
        judge, case, party_id=a.pk, amount="600.00", account_name=a.name, account_no="6222000011112222"
    )
    with pytest.raises(Conflict) as exc:
        services.propose(
            judge, case, party_id=a.pk, amount="600.00", account_name=a.name, account_no="6222000011112222"
        )
    assert "没有未发放的分配额" in exc.value.message
    with pytest.raises(Conflict) as exc:
        services.mark_paid(judge, plan)
    assert "尚未发放完毕" in exc.value.message
    with pytest.raises(Conflict):  # the line already has its payout
        services.propose_line(judge, plan, 0, account_name=a.name, account_no="6222000011112222")
    Payout.objects.filter(pk=p.pk).update(status=Payout.Status.PAID)
    plan = services.mark_paid(judge, plan)
    assert plan.status == S.PAID
    # a paid plan no longer binds the case's payouts
    assert queries_distribution.in_force(case.pk) is None


def test_permissions(case, people, clock) -> None:
    plan = funded_plan(case, people)
    for who in ("finance", "clerk", "assistant", "yx_director", "gz_director"):
        with pytest.raises(NotPermitted):
            services.serve_plan(people[who], plan, "2026-03-10")
    services.serve_plan(people["director"], plan, "2026-03-10")
