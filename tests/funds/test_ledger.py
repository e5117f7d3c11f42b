"""Ledger invariants: balanced, running totals equal sums, never negative, append-only (model and DB)."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhixing.core.errors import Conflict
from zhixing.funds import queries, services
from zhixing.funds.models import AppendOnlyError, Entry, LedgerAccount, Transaction
from zhixing.funds.services import ledger

from .conftest import receive

pytestmark = pytest.mark.django_db
_n = itertools.count()


def assert_books(case_ids: list[int]) -> None:
    for t in Transaction.objects.all():
        assert sum(t.entries.values_list("amount", flat=True)) == 0
    for acc in LedgerAccount.objects.all():
        s = sum(acc.entries.values_list("amount", flat=True), Decimal("0"))
        assert acc.balance == s, acc.key
        assert acc.entry_count == acc.entries.count()
        if acc.kind != "fees" and acc.kind != "costs":
            assert acc.natural_balance >= 0, acc.key
    for cid in case_ids:
        assert queries.balance(cid) == queries.balance_by_sum(cid)


ops = st.lists(
    st.tuples(
        st.sampled_from(["receipt", "costs", "reverse", "hold", "unidentified", "claim"]),
        st.integers(min_value=1, max_value=500000).map(
            lambda n: (Decimal(n) / 100).quantize(Decimal("0.01"))
        ),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops)
def test_random_operations_keep_books_balanced(case, people, steps):
    court = case.court
    for op, amt in steps:
        k = next(_n)
        try:
            if op == "receipt":
                receive(case, str(amt), f"H{k}")
            elif op == "costs":
                services.book_costs(people["judge"], case, str(amt), "评估费")
            elif op == "unidentified":
                services.book_receipt(
                    idempotency_key=f"HU{k}", amount=amt, value_date=date(2026, 3, 10), court=court
                )
            elif op == "claim":
                from zhixing.funds.models import Receipt

                r = Receipt.objects.filter(status="unidentified").first()
                if r:
                    services.claim_receipt(people["finance"], r.pk, case)
            elif op == "hold":
                with transaction.atomic():
                    ledger.post(
                        key=f"hold-{k}",
                        kind="hold",
                        court=court,
                        case_id=case.pk,
                        lines=[
                            (ledger.get_account(court, "case", case.pk), amt),
                            (ledger.get_account(court, "held", case.pk), -amt),
                        ],
                    )
            elif op == "reverse":
                last = (
                    Transaction.objects.filter(
                        reverses__isnull=True, reversed_by__isnull=True, kind__in=["receipt", "costs", "hold"]
                    )
                    .order_by("-pk")
                    .first()
                )
                if last:
                    with transaction.atomic():
                        ledger.reverse(last, key=f"rev-{last.pk}", memo="冲正")
        except Conflict:
            pass  # an overdraft refused: nothing booked
        assert_books([case.pk])


def test_overdraft_refused_and_nothing_booked(case, people):
    receive(case, "10.00", "O1")
    with pytest.raises(Conflict):
        services.book_costs(people["judge"], case, "10.01", "x")
    assert queries.balance(case.pk) == Decimal("10.00")
    assert Transaction.objects.count() == 1


def test_unbalanced_post_refused(case):
    court = case.court
    with pytest.raises(Exception, match="借贷不平衡"), transaction.atomic():
        ledger.post(
            key="bad", kind="x", court=court, lines=[(ledger.get_account(court, "bank"), Decimal("1.00"))]
        )


def test_entries_cannot_be_edited_or_deleted(case):
    receive(case, "10.00", "A1")
    e = Entry.objects.first()
    assert e is not None
    e.amount = Decimal("99.00")
    with pytest.raises(AppendOnlyError):
        e.save()
    with pytest.raises(AppendOnlyError):
        e.delete()
    with pytest.raises(AppendOnlyError):
        Entry.objects.filter(pk=e.pk).update(amount=Decimal("1.00"))
    with pytest.raises(AppendOnlyError):
        Transaction.objects.all().delete()


def test_database_trigger_refuses_raw_update(case):
    receive(case, "10.00", "A2")
    with pytest.raises(Exception, match="只能追加"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE funds_entry SET amount = 0")
    if connection.vendor == "postgresql":
        with pytest.raises(Exception, match="只能追加"), transaction.atomic(), connection.cursor() as cur:
            cur.execute("DELETE FROM funds_entry")
    assert Entry.objects.filter(amount=0).count() == 0
