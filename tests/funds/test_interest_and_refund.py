"""The surplus refund keeps the doubled delay interest; the custody account's interest (执行款孳息) is
allocated by average daily balance, to the fen, posted and audited; pages and API show both."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests import factories
from zhixing.core.audit import verify_chain
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.models import AuditRecord
from zhixing.funds import queries, queries_interest, services
from zhixing.funds.interest_rules import balance_days, split_interest
from zhixing.funds.models import AccountKind, InterestAllocation, InterestCredit, LedgerAccount
from zhixing.funds.services.interest import (
    allocate_interest_credit,
    allocate_pending_credits,
    record_interest_credit,
)
from zhixing.funds.tasks import allocate_interest

from .conftest import receive

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(d: date) -> Any:
    return time_machine.travel(datetime(d.year, d.month, d.day, 10, tzinfo=SH), tick=False)


# -- pure ------------------------------------------------------------------------------------------


def test_balance_days_counts_day_end_balances():
    start, end = date(2026, 3, 1), date(2026, 3, 31)
    assert balance_days(Decimal(100), {}, start, end) == Decimal(3100)
    assert balance_days(Decimal(0), {date(2026, 3, 16): Decimal(30)}, start, end) == Decimal(480)
    moves = {date(2026, 3, 1): Decimal(10), date(2026, 3, 2): Decimal(-10), date(2026, 4, 1): Decimal(99)}
    assert balance_days(Decimal(0), moves, start, end) == Decimal(10)
    with pytest.raises(ValueError):
        balance_days(Decimal(0), {}, end, start)


def test_split_interest_largest_remainder_to_the_fen():
    shares = split_interest(Decimal("100.00"), {7: Decimal(310000), 3: Decimal(480000)}, to_cases=True)
    assert [(s.case_id, s.amount) for s in shares] == [(3, Decimal("60.76")), (7, Decimal("39.24"))]
    assert sum(s.amount for s in shares) == Decimal("100.00")


def test_split_interest_to_the_state_or_without_balances():
    (s,) = split_interest(Decimal("5.00"), {1: Decimal(10)}, to_cases=False)
    assert (s.case_id, s.amount) == (None, Decimal("5.00"))
    (s,) = split_interest(Decimal("5.00"), {1: Decimal(0)}, to_cases=True)
    assert (s.case_id, s.amount) == (None, Decimal("5.00"))
    with pytest.raises(ValueError):
        split_interest(Decimal("-1"), {}, to_cases=True)


# -- refund ----------------------------------------------------------------------------------------


def _refund(people: dict[str, Any], case: Any, amount: str) -> Any:
    d = case.parties.get(role="debtor")
    return services.propose(
        people["judge"],
        case,
        party_id=d.pk,
        amount=amount,
        account_name=d.name,
        account_no="6222000200",
        purpose="refund",
    )


def test_debtor_cannot_be_over_refunded(case, people):
    # principal 100,000, deadline 2025-12-15; 105,000 received on 2026-03-10
    with at(date(2026, 3, 10)):
        receive(case, "105000.00", "RF1")
    with at(date(2026, 4, 1)):
        r = queries_interest.refundable(case, date(2026, 4, 1))
        # 85 days × 17.50 = 1,487.50 doubled; fee 1,400 still to settle
        assert (r.balance, r.fee, r.claim, r.doubled, r.owed_to_applicant, r.refundable) == (
            Decimal("105000.00"),
            Decimal("1400.00"),
            Decimal("100000.00"),
            Decimal("1487.50"),
            Decimal("101487.50"),
            Decimal("2112.50"),
        )
        # what the old arithmetic allowed (balance − fee − claim) is refused now
        with pytest.raises(Conflict) as err:
            _refund(people, case, "3600.00")
        assert err.value.field == "amount" and "2,112.50" in err.value.message
        with pytest.raises(Conflict):
            _refund(people, case, "2112.51")
        p = _refund(people, case, "2112.50")
        assert p.status == "proposed"
        # nothing more once it is promised
        assert queries_interest.refundable(case, date(2026, 4, 1)).refundable == Decimal("0.00")
        with pytest.raises(Conflict):
            _refund(people, case, "0.01")


def test_refundable_grows_no_further_once_the_principal_is_covered(case, people):
    with at(date(2026, 3, 10)):
        receive(case, "105000.00", "RF2")
    for later in (date(2026, 4, 1), date(2026, 9, 30)):
        with at(later):
            assert queries_interest.refundable(case, later).refundable == Decimal("2112.50")


def test_no_surplus_while_the_debt_is_unpaid(case, people):
    with at(date(2026, 3, 10)):
        receive(case, "50000.00", "RF3")
    with at(date(2026, 4, 1)):
        assert queries_interest.refundable(case, date(2026, 4, 1)).refundable == Decimal("0.00")
        with pytest.raises(Conflict):
            _refund(people, case, "1.00")


@pytest.mark.parametrize(("who", "status"), [("judge", 200), ("gz_director", 200), ("yx_director", 404)])
def test_refundable_api_and_page(client, people, case, who, status):
    with at(date(2026, 3, 10)):
        receive(case, "105000.00", "RF4")
    with at(date(2026, 4, 1)):
        client.force_login(people[who])
        r = client.get(f"/api/v1/funds/cases/{case.pk}/refundable")
        assert r.status_code == status
        if status == 200:
            assert (r.json()["doubled_interest"], r.json()["refundable"]) == ("1487.50", "2112.50")
            page = client.get(reverse("funds_case_money", args=[case.pk])).content.decode()
            assert 'data-testid="refundable">2,112.50<' in page
            assert 'data-testid="refund-doubled">1,487.50<' in page


# -- custody interest ------------------------------------------------------------------------------


@pytest.fixture
def two_cases(people: dict[str, Any], case: Any) -> tuple[Any, Any]:
    other = factories.case(people["clerk"])
    with at(date(2026, 3, 1)):
        receive(case, "10000.00", "IA1", on=date(2026, 3, 1))
    with at(date(2026, 3, 16)):
        receive(other, "30000.00", "IB1", on=date(2026, 3, 16))
    return case, other


def _record(
    people: dict[str, Any], ref: str = "JX2026Q1", amount: str = "100.00", **kw: Any
) -> InterestCredit:
    with at(date(2026, 4, 2)):
        return record_interest_credit(
            people["finance"],
            period_start=kw.get("start", date(2026, 3, 1)),
            period_end=kw.get("end", date(2026, 3, 31)),
            amount=amount,
            bank_reference=ref,
        )


def test_interest_allocated_by_average_daily_balance(people, two_cases):
    a, b = two_cases
    bank_before = LedgerAccount.objects.get(court=a.court, kind=AccountKind.BANK).balance
    credit = _record(people)
    assert credit.status == "pending" and credit.policy == "cases"
    allocate_interest_credit(credit.pk)
    credit.refresh_from_db()
    assert (credit.status, credit.cases_count) == ("allocated", 2)
    got = {x.case_id: (x.average_balance, x.amount) for x in InterestAllocation.objects.filter(credit=credit)}
    # A: 10,000 × 31 days; B: 30,000 × 16 days → 39.24 / 60.76 (the last fen to the larger remainder)
    assert got == {
        a.pk: (Decimal("10000.00"), Decimal("39.24")),
        b.pk: (Decimal("15483.87"), Decimal("60.76")),
    }
    assert queries.balance(a.pk) == Decimal("10039.24") and queries.balance(b.pk) == Decimal("30060.76")
    bank_after = LedgerAccount.objects.get(court=a.court, kind=AccountKind.BANK).balance
    assert bank_after - bank_before == Decimal("100.00")
    assert (
        AuditRecord.objects.filter(action__in=("funds.interest_record", "funds.interest_allocate")).count()
        == 2
    )
    assert verify_chain().broken_at is None
    # allocating again changes nothing
    allocate_interest_credit(credit.pk)
    assert InterestAllocation.objects.filter(credit=credit).count() == 2
    assert queries.balance(a.pk) == Decimal("10039.24")


def test_state_policy_keeps_it_off_the_cases(people, two_cases, settings):
    settings.FUNDS_INTEREST_POLICY = "state"
    a, _ = two_cases
    credit = _record(people)
    allocate_interest.call_local(credit.pk)  # the task: load by id, call the service
    (alloc,) = InterestAllocation.objects.filter(credit=credit)
    assert (alloc.case_id, alloc.amount) == (None, Decimal("100.00"))
    assert queries.balance(a.pk) == Decimal("10000.00")
    assert LedgerAccount.objects.get(court=a.court, kind=AccountKind.INTEREST).natural_balance == Decimal(
        "100.00"
    )


def test_sweep_allocates_pending_credits(people, two_cases):
    _record(people, "S1")
    assert allocate_pending_credits() == 1
    assert allocate_pending_credits() == 0


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"start": date(2026, 3, 31), "end": date(2026, 3, 1)}, "period_end"),
        ({"end": date(2026, 5, 1)}, "period_end"),
        ({"start": date(2025, 1, 1)}, "period_start"),
        ({"ref": ""}, "bank_reference"),
    ],
)
def test_bad_credit_refused_naming_the_field(people, custody, kw, field):
    with pytest.raises(ServiceError) as err:
        _record(people, kw.pop("ref", "R-bad"), **kw)
    assert err.value.field == field
    assert not InterestCredit.objects.exists()


def test_duplicate_and_overlapping_credits_refused(people, custody):
    _record(people, "D1")
    with pytest.raises(Conflict) as err:
        _record(people, "D1", start=date(2026, 4, 1), end=date(2026, 4, 1))
    assert err.value.field == "bank_reference"
    with pytest.raises(Conflict) as err:
        _record(people, "D2", start=date(2026, 3, 31), end=date(2026, 4, 1))
    assert err.value.field == "period_start"


@pytest.mark.parametrize("who", ["judge", "director", "clerk", "gz_director", "yx_director"])
def test_only_finance_records_interest(people, custody, who):
    with pytest.raises(NotPermitted), at(date(2026, 4, 2)):
        record_interest_credit(
            people[who],
            period_start=date(2026, 3, 1),
            period_end=date(2026, 3, 31),
            amount="1",
            bank_reference="X",
        )


@pytest.mark.parametrize(
    ("who", "status"),
    [("finance", 302), ("judge", 403), ("director", 403), ("gz_director", 403), ("yx_director", 403)],
)
def test_record_interest_page_matrix(client, people, two_cases, who, status):
    client.force_login(people[who])
    with at(date(2026, 4, 2)):
        r = client.post(
            reverse("funds_record_interest"),
            {
                "period_start": "2026-03-01",
                "period_end": "2026-03-31",
                "amount": "100.00",
                "bank_reference": "P1",
            },
        )
    assert r.status_code == status
    assert InterestCredit.objects.count() == (1 if status == 302 else 0)


def test_interest_shown_on_finance_and_case_pages_and_api(client, people, two_cases):
    a, _ = two_cases
    allocate_interest_credit(_record(people).pk)
    client.force_login(people["finance"])
    with at(date(2026, 4, 2)):
        page = client.get(reverse("funds_finance")).content.decode()
        assert 'data-testid="interest-credits"' in page and "JX2026Q1" in page and "39.24" in page
        money = client.get(reverse("funds_case_money", args=[a.pk])).content.decode()
        assert 'data-testid="interest-allocations"' in money and "10,000.00" in money and "39.24" in money
        rows = client.get("/api/v1/funds/interest-credits").json()
        assert rows[0]["status"] == "allocated" and len(rows[0]["allocations"]) == 2
        mine = client.get(f"/api/v1/funds/cases/{a.pk}/interest").json()
        assert [(m["average_balance"], m["amount"]) for m in mine] == [("10000.00", "39.24")]
        client.force_login(people["yx_director"])
        assert client.get("/api/v1/funds/interest-credits").json() == []
        assert client.get(f"/api/v1/funds/cases/{a.pk}/interest").status_code == 404


@pytest.mark.parametrize(("who", "status"), [("finance", 201), ("judge", 403), ("gz_director", 403)])
def test_record_interest_api_matrix(client, people, two_cases, who, status):
    client.force_login(people[who])
    with at(date(2026, 4, 2)):
        r = client.post(
            "/api/v1/funds/interest-credits",
            {
                "period_start": "2026-03-01",
                "period_end": "2026-03-31",
                "amount": "100.00",
                "bank_reference": "A1",
            },
            content_type="application/json",
        )
    assert r.status_code == status


# -- demo ------------------------------------------------------------------------------------------


def test_demo_shows_every_state(people, custody, client):
    from django.core.management import call_command

    from zhixing.cases.models import EnforcementCase
    from zhixing.cases.queries_schedule import case_schedule

    with at(date(2026, 6, 30)):
        call_command("funds_demo_interest", verbosity=0)
        call_command("funds_demo_interest", verbosity=0)  # a second run does nothing
        court = people["judge"].court
        mine = list(
            EnforcementCase.objects.filter(court=court, basis_number__contains="民初8").order_by("pk")
        )
        assert len(mine) == 5
        sched, agreed, original, resumed, over = mine
        s = case_schedule(sched, date(2026, 6, 30))
        assert len(s.schedule.rows) == 3
        assert [p.excluded for p in s.periods] == [True, False]
        assert case_schedule(agreed, date(2026, 6, 30)).agreement is not None
        r = case_schedule(resumed, date(2026, 6, 30))
        assert resumed.origin_id == original.pk and resumed.application_fee == 0
        assert r.row_cases == [original.number, original.number, resumed.number]
        assert queries_interest.refundable(over, date(2026, 6, 30)).refundable > 0
        credit = InterestCredit.objects.get(court=court)
        assert credit.status == "allocated" and credit.cases_count == 4
        client.force_login(people["judge"])
        page = client.get(reverse("case_detail", args=[resumed.pk])).content.decode()
        assert 'data-testid="schedule-carried"' in page


def test_recording_says_the_allocation_is_due(people, custody, django_capture_on_commit_callbacks):
    from zhixing.core import work
    from zhixing.funds.services.interest import ALLOCATE

    assert work.installed(ALLOCATE) is allocate_interest  # installed at app ready
    seen: list[int] = []
    work.install(ALLOCATE, seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            credit = _record(people, "H1")
    finally:
        work.install(ALLOCATE, allocate_interest)
    assert seen == [credit.pk]
