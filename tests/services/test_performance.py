"""Money performed on a case: record_payment keeps paid_amount and the dated payments that stop interest."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from tests import factories
from zhixing.cases import queries, services
from zhixing.cases.models import Payment
from zhixing.core.audit import verify_chain
from zhixing.core.errors import ServiceError

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(people):
    return factories.case(people["clerk"])


def test_record_is_idempotent_and_audited(case):
    assert services.record_payment(
        case.pk, Decimal("100.00"), date(2026, 3, 1), source="receipt", reference="r1"
    )
    assert not services.record_payment(
        case.pk, Decimal("100.00"), date(2026, 3, 1), source="receipt", reference="r1"
    )
    case.refresh_from_db()
    assert case.paid_amount == Decimal("100.00")
    assert Payment.objects.count() == 1
    assert verify_chain().ok


@pytest.mark.parametrize(
    ("amount", "source", "reference", "field"),
    [
        (Decimal("0"), "receipt", "x", "amount"),
        (Decimal("1.234"), "receipt", "x", "amount"),
        (Decimal("-5"), "receipt", "x", "amount"),
        (Decimal("5"), "gift", "x", "source"),
        (Decimal("5"), "receipt", "", "reference"),
    ],
)
def test_bad_input_names_field_and_changes_nothing(case, amount, source, reference, field):
    with pytest.raises(ServiceError) as err:
        services.record_payment(case.pk, amount, date(2026, 3, 1), source=source, reference=reference)
    assert err.value.field == field
    case.refresh_from_db()
    assert case.paid_amount == 0 and Payment.objects.count() == 0


def test_reversal_cancels_latest_payments_for_interest(case):
    services.record_payment(case.pk, Decimal("300.00"), date(2026, 3, 1), source="receipt", reference="a")
    services.record_payment(case.pk, Decimal("200.00"), date(2026, 4, 1), source="receipt", reference="b")
    services.record_payment(case.pk, Decimal("-250.00"), date(2026, 5, 1), source="reversal", reference="c")
    case.refresh_from_db()
    assert case.paid_amount == Decimal("250.00")
    assert queries.case_payments(case) == [(date(2026, 3, 1), Decimal("250.00"))]


def test_case_page_interest_counts_dated_payments(client, people, case):
    """Principal 100,000, deadline from the factory; half paid on a date stops half the interest from then.

    The payment goes to the application fee first (legal order), so it carries the fee on top of half.
    """
    before = client_detail(client, people, case, "2026-06-30")
    services.record_payment(
        case.pk,
        case.principal / 2 + case.application_fee,
        case.performance_deadline,
        source="direct",
        reference="half",
    )
    after = client_detail(client, people, case, "2026-06-30")
    assert Decimal(after) * 2 == Decimal(before)


def client_detail(client, people, case, on):
    client.force_login(people["clerk"])
    r = client.get(f"/api/v1/cases/{case.pk}?on={on}")
    assert r.status_code == 200, r.content
    return r.json()["claim"]["delay_interest"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_payments_lose_nothing(people):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is tested on PostgreSQL")
    case = factories.case(people["clerk"])

    def pay(i: int) -> None:
        try:
            services.record_payment(
                case.pk, Decimal("1.00"), date(2026, 3, 1), source="receipt", reference=f"c{i}"
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=pay, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    case.refresh_from_db()
    assert case.paid_amount == Decimal("16.00")


def test_case_page_lists_payments(client, people, case):
    services.record_payment(
        case.pk, Decimal("1200.50"), date(2026, 3, 9), source="receipt", reference="bank:77"
    )
    client.force_login(people["clerk"])
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="payments"' in html
    assert "2026-03-09" in html and "案款到账" in html and "1,200.50" in html and "bank:77" in html
    assert 'id="claim-paid">1,200.50<' in html
