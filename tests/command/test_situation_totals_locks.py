"""Lock order of the situation screens' running totals (`command.totals`): every transaction takes the
`SituationTotal` rows in ascending order across all its `add` calls, so two writers bumping overlapping
courts in opposite orders never deadlock on PostgreSQL (the cluster soak's deadlock between two consumers
booking bank notices); a row that could only be taken out of order while another transaction holds it is
not waited for but reported for a recount, and the recount after the commit makes the figure exact."""

from __future__ import annotations

import threading
import time
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from tests import factories
from zhixing.cases import services
from zhixing.command import situation, totals
from zhixing.command.models import SituationTotal

START = date(2026, 3, 1)


def _totals(court_ids: list[int], value: str = "0") -> None:
    SituationTotal.objects.bulk_create(
        [
            SituationTotal(
                court_id=c,
                period_start=START,
                key=totals.RECEIVED,
                value=Decimal(value),
                reconciled_at=timezone.now(),
            )
            for c in court_ids
        ]
    )


def _value(court_id: int) -> Decimal:
    return SituationTotal.objects.get(court_id=court_id, period_start=START, key=totals.RECEIVED).value


@pytest.mark.django_db
def test_on_sqlite_and_postgres_a_lone_writer_adds_every_key_in_any_call_order(
    courts: dict[str, Any],
) -> None:
    ids = sorted(c.pk for c in courts.values())[:4]
    _totals(ids)
    with transaction.atomic():
        # Descending across calls: no other writer holds a row, so every delta lands (SKIP LOCKED takes a
        # free row; SQLite has no row locks).
        for n, court_id in enumerate(reversed(ids)):
            assert totals.add({court_id: Decimal(n + 1)}, START) == set()
        assert totals.add({ids[0]: Decimal("0.50"), ids[-1]: Decimal("0.25")}, START) == set()
    assert [_value(c) for c in ids] == [Decimal("4.50"), Decimal("3"), Decimal("2"), Decimal("1.25")]


@pytest.mark.django_db(transaction=True)  # real transactions: the test's own is not wrapped around them
def test_the_lock_mark_follows_the_transaction_and_its_savepoints(courts: dict[str, Any]) -> None:
    ids = sorted(c.pk for c in courts.values())[:3]
    _totals(ids)
    period = START.isoformat()
    assert totals._mark() is None  # outside a transaction: nothing held
    with transaction.atomic():
        totals.add({ids[0]: Decimal(1)}, START)
        assert totals._mark().high == (ids[0], period, totals.RECEIVED)  # type: ignore[union-attr]
        try:
            with transaction.atomic():
                totals.add({ids[2]: Decimal(1)}, START)
                assert totals._mark().high == (ids[2], period, totals.RECEIVED)  # type: ignore[union-attr]
                raise RuntimeError("roll the savepoint back")
        except RuntimeError:
            pass
        # The mark was registered before the savepoint: kept (over-estimating is safe: no wait out of order).
        assert totals._mark().high == (ids[2], period, totals.RECEIVED)  # type: ignore[union-attr]
    with transaction.atomic():
        assert totals._mark() is None  # a new transaction starts with nothing held
        try:
            with transaction.atomic():
                totals.add({ids[1]: Decimal(1)}, START)
                raise RuntimeError("roll back the savepoint that took the first lock")
        except RuntimeError:
            pass
        assert totals._mark() is None  # its locks were released with it: forgotten
    assert [_value(c) for c in ids] == [Decimal(1), Decimal(0), Decimal(0)]


# -- PostgreSQL: real row locks between connections ------------------------------------------------------


@pytest.fixture
def only_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency needs PostgreSQL (SQLite serialises writers itself)")


@pytest.mark.usefixtures("only_postgres")
@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_two_writers_bumping_overlapping_courts_in_opposite_orders_never_deadlock(
    courts: dict[str, Any],
) -> None:
    """Each transaction adds to the courts one call at a time (as a drain booking a split batch in halves,
    or a statement import line by line) — one writer ascending, the other descending — many times. Before
    the fix (each call sorted, calls in event order) PostgreSQL aborted one of them with a deadlock within
    the first rounds."""
    ids = sorted(c.pk for c in courts.values())[:4]
    assert len(ids) == 4
    _totals(ids)
    rounds = 40
    errors: list[BaseException] = []
    applied = [dict.fromkeys(ids, 0), dict.fromkeys(ids, 0)]
    deferred = [dict.fromkeys(ids, 0), dict.fromkeys(ids, 0)]
    barrier = threading.Barrier(2)

    def writer(n: int, order: list[int]) -> None:
        try:
            for _ in range(rounds):
                barrier.wait(timeout=30)  # both transactions start together: the most overlap
                with transaction.atomic():
                    # Halves first (two courts in one call, that call's keys given in the writer's order),
                    # then each court alone again: three calls per transaction, in the writer's order.
                    calls = [
                        {c: Decimal(1) for c in order[:2]},
                        {c: Decimal(1) for c in order[2:]},
                        *({c: Decimal(1)} for c in order),
                    ]
                    for call in calls:
                        missed = totals.add(call, START)
                        for c in call:
                            (deferred if c in missed else applied)[n][c] += 1
                        time.sleep(0.002)  # hold the rows a moment, as a booking does between events
        except BaseException as exc:
            errors.append(exc)
            barrier.abort()
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=writer, args=(0, ids)),
        threading.Thread(target=writer, args=(1, list(reversed(ids)))),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    # Every delta either landed exactly once or was reported for a recount: none lost, none doubled.
    for c in ids:
        assert _value(c) == applied[0][c] + applied[1][c]
        assert applied[0][c] + applied[1][c] + deferred[0][c] + deferred[1][c] == 2 * rounds * 2
    assert sum(sum(d.values()) for d in applied) > 0


@pytest.mark.usefixtures("only_postgres")
@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_a_row_held_by_another_transaction_out_of_order_is_recounted_after_the_commit(
    people: dict[str, Any], frozen: None
) -> None:
    ft_clerk = factories.staff(people["ft_director"].court, "clerk", username="ft_clerk_locks")
    low, high = sorted([factories.case(people["clerk"]), factories.case(ft_clerk)], key=lambda c: c.court_id)
    situation.refresh([low.court_id, high.court_id])  # the month's totals exist (0.00)
    today = timezone.localdate()
    start = situation.period_start(today)
    holding, release = threading.Event(), threading.Event()

    def holder() -> None:  # another transaction holding the lower court's row (no payment behind it)
        try:
            with transaction.atomic():
                totals.add({low.court_id: Decimal("1.00")}, start)
                holding.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=holder)
    thread.start()
    assert holding.wait(timeout=30)
    with transaction.atomic():
        began = time.monotonic()
        # Two payment events in one transaction: the higher court's first, then the lower court's, whose
        # row is taken out of order and is not free: not waited for, not added, recounted after the commit.
        services.record_payment(high.pk, Decimal("5.00"), today, source="direct", reference="lk-h")
        services.record_payment(low.pk, Decimal("2.00"), today, source="direct", reference="lk-l")
        assert time.monotonic() - began < 5  # the holder keeps its row for up to 30 s
        assert _value_at(low.court_id, start) == Decimal("0.00")
        release.set()
        thread.join(timeout=30)
    # The commit's refresh read the higher court's total and recounted the lower court from its payments
    # (under the row lock, after the holder's commit): exact, the holder's paymentless 1.00 corrected.
    assert _value_at(high.court_id, start) == Decimal("5.00")
    assert _value_at(low.court_id, start) == Decimal("2.00")
    entries = situation.cached([low.court_id, high.court_id])
    assert (entries[low.court_id]["figures"]["received"], entries[high.court_id]["figures"]["received"]) == (
        "2.00",
        "5.00",
    )


def _value_at(court_id: int, start: date) -> Decimal:
    return SituationTotal.objects.get(court_id=court_id, period_start=start, key=totals.RECEIVED).value
