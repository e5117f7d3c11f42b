"""Payout clocks end to end under frozen time: per-receipt deadlines, FIFO settlement, holds, suspension,
the scan over every account, payouts refusing held money."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from zhixing.cases import services as case_services
from zhixing.cases.events import payments_recorded
from zhixing.core.audit import verify_chain
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.models import AuditRecord
from zhixing.funds import queries_holds, services
from zhixing.funds.models import PayoutClock, PayoutHold
from zhixing.funds.services import clocks, holds

from .conftest import receive
from .test_payouts import approve_all, propose

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
D = Decimal


def at(y: int, m: int, d: int) -> Any:
    return time_machine.travel(datetime(y, m, d, 10, 0, tzinfo=SH), tick=False)


@pytest.fixture
def mar20() -> Iterator[None]:
    with at(2026, 3, 20):
        yield


def clock_of(txn: str, part: int = 0) -> PayoutClock:
    return PayoutClock.objects.get(receipt__bank_txn_id=txn, part=part)


def state(txn: str, part: int = 0) -> tuple[str, Decimal, date | None]:
    c = clock_of(txn, part)
    return c.status, c.open_amount, c.due_on


# -- each receipt its own clock ------------------------------------------------------------------------


def test_each_receipt_has_its_own_deadline_not_the_first_ever_one(case, people, mar20):
    receive(case, "100.00", "R1", on=date(2026, 3, 5))
    receive(case, "5000.00", "R2", on=date(2026, 3, 9))
    assert state("R1") == ("running", D("100.00"), date(2026, 4, 4))
    assert state("R2") == ("running", D("5000.00"), date(2026, 4, 8))
    services.book_costs(people["judge"], case, "100.00", "评估费")
    assert state("R1")[:2] == ("met", D("0.00"))
    assert clock_of("R1").met_on == date(2026, 3, 20)
    # the issue: money arriving 2026-03-09 was "due 2025-02-09"; a payout now works against 04-08
    p = propose(case, people, amount="1000.00")
    assert (p.funds_arrived_on, p.due_on) == (date(2026, 3, 9), date(2026, 4, 8))


def test_partial_outflows_settle_the_oldest_clocks_first(case, people, mar20):
    receive(case, "100.00", "A", on=date(2026, 3, 1))
    receive(case, "200.00", "B", on=date(2026, 3, 5))
    receive(case, "300.00", "C", on=date(2026, 3, 9))
    services.book_costs(people["judge"], case, "150.00", "保管费")
    assert [state(t)[:2] for t in "ABC"] == [
        ("met", D("0")),
        ("running", D("150.00")),
        ("running", D("300.00")),
    ]
    services.book_costs(people["judge"], case, "150.00", "拍卖辅助费")
    assert [state(t)[:2] for t in "ABC"] == [("met", D("0")), ("met", D("0")), ("running", D("300.00"))]


def test_a_payout_sent_settles_clocks_with_its_fee(case, people, bank):
    with at(2026, 3, 10):
        receive(case, "120000.00", "P1", on=date(2026, 3, 10))
        receive(case, "30000.00", "P2", on=date(2026, 3, 10))
        p = approve_all(propose(case, people, amount="50000.00"), people)
        services.send(people["finance"], p.pk)
    # 50,000 + fee 1,400 leave the case: the first receipt's clock keeps 68,600
    assert state("P1")[:2] == ("running", D("68600.00"))
    assert state("P2")[:2] == ("running", D("30000.00"))


def test_claimed_unidentified_receipt_runs_from_the_claim_day(case, people):
    with at(2026, 3, 2):
        rec = services.book_receipt(
            idempotency_key="U1", amount="800.00", value_date=date(2026, 3, 2), court=case.court
        )
        assert rec.status == "unidentified"
        assert not PayoutClock.objects.exists()
    with at(2026, 3, 6):
        services.claim_receipt(people["finance"], rec.pk, case)
    assert clock_of("U1").arrived_on == date(2026, 3, 6)
    assert clock_of("U1").due_on == date(2026, 4, 5)


# -- holds ---------------------------------------------------------------------------------------------


def test_amount_hold_pauses_the_oldest_money_and_lifting_resumes_it(case, people):
    with at(2026, 3, 19):
        receive(case, "10000.00", "H1", on=date(2026, 3, 9))
        h = holds.place_hold(
            people["judge"], case, reason="disputed", start=date(2026, 3, 19), amount="8000.00", note="异议"
        )
        # exactly 8,000 is paused (split off as a part of the same receipt); 2,000 keeps running
        assert state("H1", part=1) == ("held", D("8000.00"), None)
        assert state("H1") == ("running", D("2000.00"), date(2026, 4, 8))
        assert queries_holds.held_amount(case) == D("8000.00")
        line = queries_holds.held_lines(case)[0]
        assert (line.reason, line.label, line.amount, line.whole_case) == (
            "disputed",
            "款项存在争议",
            D("8000.00"),
            False,
        )
    with at(2026, 3, 20):
        receive(case, "5000.00", "H2", on=date(2026, 3, 20))
        assert state("H2") == ("running", D("5000.00"), date(2026, 4, 19))  # not covered by an amount hold
        with pytest.raises(Conflict, match="依法暂缓发放：款项存在争议"):
            propose(case, people, amount="9000.00")
    with at(2026, 4, 1):
        h = holds.lift_hold(people["director"], h.pk, end=date(2026, 4, 1), note="异议撤回")
    assert (h.end, h.followup_due) == (date(2026, 4, 1), date(2026, 4, 11))
    # 20 days were left on 03-19: the held part resumes to 04-21 (later than the 10-day follow-up)
    assert state("H1", part=1) == ("running", D("8000.00"), date(2026, 4, 21))
    assert state("H1") == ("running", D("2000.00"), date(2026, 4, 8))
    assert queries_holds.held_amount(case) == D("0.00")
    actions = list(
        AuditRecord.objects.filter(action__startswith="funds.hold").values_list("action", flat=True)
    )
    assert actions == ["funds.hold_place", "funds.hold_lift"]
    assert verify_chain().ok


def test_a_small_hold_never_stops_the_clock_of_the_rest(case, people, mar20):
    receive(case, "1000000.00", "BIG", on=date(2026, 3, 9))
    holds.place_hold(people["judge"], case, reason="disputed", start=date(2026, 3, 10), amount="50.00")
    assert state("BIG") == ("running", D("999950.00"), date(2026, 4, 8))
    assert state("BIG", part=1) == ("held", D("50.00"), None)
    # a payout of the rest settles the running part; the held 50 stays
    services.book_costs(people["judge"], case, "999950.00", "费用")
    assert state("BIG")[:2] == ("met", D("0.00"))
    assert state("BIG", part=1)[:2] == ("held", D("50.00"))


def test_payout_paid_while_a_hold_lasts_takes_the_unheld_money(case, people, mar20):
    receive(case, "100.00", "X1", on=date(2026, 3, 1))
    receive(case, "300.00", "X2", on=date(2026, 3, 5))
    holds.place_hold(
        people["judge"], case, reason="frozen_elsewhere", start=date(2026, 3, 10), amount="100.00"
    )
    services.book_costs(people["judge"], case, "200.00", "公告费")
    assert state("X1")[:2] == ("held", D("100.00"))
    assert state("X2")[:2] == ("running", D("100.00"))


def test_whole_case_hold_covers_money_arriving_while_it_lasts(case, people):
    with at(2026, 3, 10):
        receive(case, "1000.00", "W1", on=date(2026, 3, 9))
        h = holds.place_hold(people["judge"], case, reason="distribution", start=date(2026, 3, 10))
        with pytest.raises(ServiceError, match="不填写金额"):
            holds.place_hold(
                people["judge"], case, reason="distribution", start=date(2026, 3, 10), amount="5"
            )
    with at(2026, 3, 25):
        receive(case, "2000.00", "W2", on=date(2026, 3, 25))
        assert state("W2") == ("held", D("2000.00"), None)
        assert queries_holds.held_amount(case) == D("3000.00")
    with at(2026, 5, 10):
        holds.lift_hold(people["judge"], h.pk, end=date(2026, 5, 10))
    assert state("W1")[2] == date(2026, 6, 8)  # 29 days left on 03-10
    assert state("W2")[2] == date(2026, 6, 9)  # full 30 days from the lift


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"reason": "nonsense", "start": "2026-03-10"}, "reason"),
        ({"reason": "suspended", "start": "2026-03-10"}, "reason"),
        ({"reason": "disputed", "start": "2026-13-01"}, "start"),
        ({"reason": "disputed", "start": "2026-03-21"}, "start"),  # future
        ({"reason": "disputed", "start": "2026-01-01"}, "start"),  # before filing
        ({"reason": "disputed", "start": "2026-03-10", "amount": "-5"}, "amount"),
        ({"reason": "disputed", "start": "2026-03-10", "amount": "999999"}, "amount"),
        ({"reason": "disputed", "start": "2026-03-10", "note": "x" * 201}, "note"),
    ],
)
def test_bad_hold_input_names_the_field_and_changes_nothing(case, people, mar20, kwargs, field):
    receive(case, "100.00", "B1", on=date(2026, 3, 9))
    with pytest.raises(ServiceError) as exc:
        holds.place_hold(people["judge"], case, **kwargs)
    assert exc.value.field == field
    assert not PayoutHold.objects.exists()
    assert state("B1")[0] == "running"


def test_lift_refusals(case, people, mar20):
    h = holds.place_hold(people["judge"], case, reason="unreachable", start=date(2026, 3, 10))
    with pytest.raises(ServiceError) as exc:
        holds.lift_hold(people["judge"], h.pk, end=date(2026, 3, 9))
    assert exc.value.field == "end"
    holds.lift_hold(people["judge"], h.pk, end=date(2026, 3, 20))
    with pytest.raises(Conflict, match="已于2026-03-20解除"):
        holds.lift_hold(people["judge"], h.pk, end=date(2026, 3, 20))
    with pytest.raises(NotPermitted):
        holds.lift_hold(people["finance"], h.pk, end=date(2026, 3, 20))


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("judge", True),
        ("director", True),
        ("assistant", False),
        ("clerk", False),
        ("finance", False),
        ("president", False),
        ("gz_director", False),
        ("yx_director", False),
    ],
)
def test_who_may_hold(case, people, mar20, who, allowed):
    if allowed:
        assert holds.place_hold(people[who], case, reason="disputed", start=date(2026, 3, 10)).pk
    else:
        with pytest.raises(NotPermitted):
            holds.place_hold(people[who], case, reason="disputed", start=date(2026, 3, 10))


def test_a_hold_placed_after_approval_stops_the_order(case, people, bank):
    with at(2026, 3, 10):
        receive(case, "120000.00", "S1", on=date(2026, 3, 10))
        p = approve_all(propose(case, people, amount="50000.00"), people)
        h = holds.place_hold(people["judge"], case, reason="distribution", start=date(2026, 3, 10))
        with pytest.raises(Conflict, match="依法暂缓发放"):
            services.send(people["finance"], p.pk)
        assert len(bank.app.bank.payments) == 0
        holds.lift_hold(people["judge"], h.pk, end=date(2026, 3, 10))
        assert services.send(people["finance"], p.pk).status == "paid"


# -- suspension and resumption -------------------------------------------------------------------------


def test_suspension_holds_and_resumption_lifts_automatically(case, people):
    with at(2026, 3, 15):
        receive(case, "1000.00", "Z1", on=date(2026, 3, 9))
        case_services.suspend_case(
            people["judge"],
            case,
            ground="objection",
            start=date(2026, 3, 15),
            document_ref="（2026）粤0106执1号之一",
        )
        hold = PayoutHold.objects.get(case=case)
        assert (hold.reason, hold.amount, hold.start, hold.end) == (
            "suspended",
            None,
            date(2026, 3, 15),
            None,
        )
        assert "267" in hold.article
        assert state("Z1") == ("held", D("1000.00"), None)
        with pytest.raises(ServiceError, match="恢复执行自动解除"):
            holds.lift_hold(people["judge"], hold.pk, end=date(2026, 3, 15))
    with at(2026, 3, 20):
        receive(case, "500.00", "Z2", on=date(2026, 3, 20))
        assert state("Z2")[0] == "held"
    with at(2026, 4, 10):
        case.refresh_from_db()
        case_services.resume_execution(
            people["judge"], case, on=date(2026, 4, 10), document_ref="恢复通知1号"
        )
    hold.refresh_from_db()
    assert (hold.end, hold.followup_due) == (date(2026, 4, 10), date(2026, 4, 20))
    assert state("Z1")[2] == date(2026, 5, 4)  # 24 days left on 03-15
    assert state("Z2")[2] == date(2026, 5, 10)  # arrived while suspended: 30 days from resumption


# -- the scan ------------------------------------------------------------------------------------------


def test_scan_covers_every_account_marks_overdue_once_and_backfills(people, custody):
    cases = [factories.case(people["clerk"]) for _ in range(5)]
    with at(2026, 3, 9):
        for i, c in enumerate(cases[:4]):
            receive(c, "1000.00", f"N{i}", on=date(2026, 3, 9))
        # a receipt booked before clocks existed (no receiver): the scan gives it its clock
        payments_recorded.disconnect(dispatch_uid="funds.clocks_payments")
        try:
            receive(cases[4], "1000.00", "N4", on=date(2026, 3, 9))
        finally:
            payments_recorded.connect(clocks.on_payments, dispatch_uid="funds.clocks_payments")
        assert not PayoutClock.objects.filter(receipt__bank_txn_id="N4").exists()
    with at(2026, 4, 8):
        r = clocks.scan(batch=2)
        assert (r.cases, r.created, r.overdue) == (5, 1, 0)
    seen: list[int] = []
    with at(2026, 4, 9):
        r = clocks.scan(batch=2, progress=seen.append)
        assert (r.cases, r.overdue, r.newly_overdue) == (5, 5, 5)
        assert seen == [2, 4, 5]
        assert set(PayoutClock.objects.values_list("overdue_since", flat=True)) == {date(2026, 4, 9)}
        r = clocks.scan(batch=2)
        assert (r.overdue, r.newly_overdue) == (5, 0)
    assert AuditRecord.objects.filter(action="funds.clock_overdue").count() == 5
    assert verify_chain().ok


def test_scan_resettles_a_clock_whose_money_left_unannounced(case, people, mar20):
    receive(case, "100.00", "Q1", on=date(2026, 3, 9))
    PayoutClock.objects.filter(receipt__bank_txn_id="Q1").update(open_amount=D("1.00"), status="met")
    clocks.scan()
    assert state("Q1") == ("running", D("100.00"), date(2026, 4, 8))


def test_overdue_clears_when_paid(case, people):
    with at(2026, 4, 9):
        receive(case, "100.00", "O1", on=date(2026, 3, 9))
        clocks.scan()
        assert clock_of("O1").overdue_since == date(2026, 4, 9)
        services.book_costs(people["judge"], case, "100.00", "费用")
        c = clock_of("O1")
        assert (c.status, c.overdue_since, c.met_on) == ("met", None, date(2026, 4, 9))


def test_periodic_task_and_command_run_the_scan(case, people, capsys):
    from django.core.management import call_command

    from zhixing.funds import tasks

    with at(2026, 4, 9):
        receive(case, "100.00", "T1", on=date(2026, 3, 9))
        tasks.funds_scan_clocks()
        assert clock_of("T1").overdue_since == date(2026, 4, 9)
        call_command("funds_scan_clocks", batch=1)
    out = capsys.readouterr().out
    assert "已扫描 1 件案件" in out and "超期1个（本次新超期0个）" in out


# -- random operations: the clocks always hold exactly the case's money --------------------------------

_ops = st.lists(
    st.tuples(
        st.sampled_from(["receipt", "costs", "hold", "lift", "lodge", "release"]),
        st.integers(min_value=1, max_value=300000).map(lambda n: (D(n) / 100).quantize(D("0.01"))),
    ),
    min_size=1,
    max_size=20,
)
_k = itertools.count()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_ops)
def test_random_operations_keep_clocks_equal_to_the_balance(case, people, steps):
    from django.db import transaction

    from zhixing.funds import queries
    from zhixing.funds.services import ledger

    court = case.court
    with at(2026, 3, 20):
        for op, amt in steps:
            k = next(_k)
            try:
                if op == "receipt":
                    receive(case, str(amt), f"RS{k}", on=date(2026, 3, 1 + k % 19))
                elif op == "costs":
                    services.book_costs(people["judge"], case, str(amt), "费用")
                elif op == "hold":
                    holds.place_hold(
                        people["judge"], case, reason="disputed", start=date(2026, 3, 10), amount=amt
                    )
                elif op == "lift":
                    h = PayoutHold.objects.filter(case=case, end__isnull=True).first()
                    if h:
                        holds.lift_hold(people["judge"], h.pk, end=date(2026, 3, 15))
                elif op in ("lodge", "release"):  # a distribution objection's 提存 and its release
                    sign = 1 if op == "lodge" else -1
                    with transaction.atomic():
                        ledger.post(
                            key=f"lodge-{k}",
                            kind="hold",
                            court=court,
                            case_id=case.pk,
                            lines=[
                                (ledger.get_account(court, "case", case.pk), sign * amt),
                                (ledger.get_account(court, "held", case.pk), -sign * amt),
                            ],
                        )
            except (Conflict, ServiceError):
                pass  # refused: nothing changed
            rows = list(PayoutClock.objects.filter(case=case))
            assert sum((c.open_amount for c in rows), D("0")) == max(queries.balance(case.pk), D("0"))
            for c in rows:
                assert D("0") <= c.open_amount <= c.amount
                assert (c.status == "held") is (c.due_on is None) or c.status == "met"
                assert (c.status == "met") is (c.open_amount == 0)
