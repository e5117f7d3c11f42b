"""PostgreSQL: concurrent receipts and payouts on one case; a killed process loses and doubles nothing."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

from zhixing.core.audit import verify_chain
from zhixing.core.errors import Conflict
from zhixing.funds import queries, services
from zhixing.funds.models import LedgerAccount, Payout, Receipt, Transaction

from .conftest import receive
from .test_ledger import assert_books
from .test_payouts import approve_all, propose

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.postgres]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def only_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency needs PostgreSQL (SQLite serialises writers itself)")


def run_threads(fns: list[Any]) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(fns))

    def wrap(fn: Any) -> None:
        try:
            barrier.wait()
            fn()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrap, args=(f,)) for f in fns]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_concurrent_receipts_and_payouts_keep_balances_exact(case, people, bank):
    receive(case, "20000.00", "C0")
    payouts = [approve_all(propose(case, people, "3000.00"), people) for _ in range(6)]  # 18,000 + fee 1,400
    bank_before = len(bank.app.bank.payments)

    def receipts(k: int) -> Any:
        return lambda: [receive(case, "10.00", f"C{k}-{i}") for i in range(10)]

    def sender(p: Payout) -> Any:
        def go() -> None:
            with contextlib.suppress(Conflict):
                services.send(people["finance"], p.pk)

        return go

    errors = run_threads(
        [receipts(k) for k in range(6)] + [sender(p) for p in payouts] + [sender(payouts[0])]
    )
    assert errors == []
    paid = Payout.objects.filter(status="paid").count()
    assert len(bank.app.bank.payments) - bank_before == paid
    assert Transaction.objects.filter(idempotency_key=f"payout-reserve:{payouts[0].pk}").count() == 1
    assert queries.balance(case.pk) == Decimal("20000.00") + Decimal("600.00") - Decimal(
        "1400.00"
    ) - paid * Decimal("3000.00")
    assert queries.balance(case.pk) >= 0
    assert_books([case.pk])
    assert verify_chain().ok


def test_many_threads_same_notice_book_once(case):
    acc = services.case_account(case).number
    item = services.Incoming(txn_id="SAME", amount="50.00", value_date=date(2026, 3, 10), to_account=acc)
    errors = run_threads([lambda: services.book_incoming(item, "notice") for _ in range(8)])
    assert errors == []
    assert Receipt.objects.filter(bank_txn_id="SAME").count() == 1
    assert queries.balance(case.pk) == Decimal("50.00")


def test_concurrent_withdrawals_never_overdraw(case, people):
    receive(case, "100.00", "W0")
    errors = run_threads(
        [lambda: services.book_costs(people["judge"], case, "30.00", f"x{i}") for i in range(8)]
    )
    assert len(errors) == 5 and all(isinstance(e, Conflict) for e in errors)  # 3 × 30 fit into 100
    acc = LedgerAccount.objects.get(kind="case", case=case)
    assert acc.natural_balance == Decimal("10.00")
    assert_books([case.pk])


def _subprocess(code: str, crash_at: str = "", **env: str) -> int:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    full_env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}", **env}
    full_env.pop("ZHIXING_FUNDS_CRASH_AT", None)
    if crash_at:
        full_env["ZHIXING_FUNDS_CRASH_AT"] = crash_at
    prelude = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'zhixing.config.settings'); "
        "django.setup(); from django.conf import settings; "
        "settings.FUNDS_BANK_URL = os.environ.get('BANK', ''); "
    )
    return subprocess.run(
        [sys.executable, "-c", prelude + code], env=full_env, cwd=ROOT, timeout=60
    ).returncode


def test_sigkill_between_payment_order_and_confirmation(case, people, bank):
    receive(case, "50000.00", "K0")
    p = approve_all(propose(case, people, "10000.00"), people)
    code = f"from zhixing.funds.services import send; send(None, {p.pk})"
    rc = _subprocess(code, crash_at="payout.after_order", BANK=bank.url)
    assert rc == -9  # SIGKILL after the bank executed the order, before booking
    p.refresh_from_db()
    assert p.status == "sending" and len([k for k in bank.app.bank.payments if k.startswith("payout-")]) == 1
    assert (
        _subprocess("from zhixing.funds.services import resume_sending; resume_sending()", BANK=bank.url) == 0
    )
    p.refresh_from_db()
    assert p.status == "paid"
    assert len([k for k in bank.app.bank.payments if k.startswith("payout-")]) == 1
    assert queries.balance(case.pk) == Decimal("50000.00") - Decimal("1400.00") - Decimal("10000.00")
    assert_books([case.pk])


def test_sigkill_between_notice_and_booking(case):
    acc = services.case_account(case).number
    code = (
        "from datetime import date; from zhixing.funds import services; "
        f"services.book_incoming(services.Incoming(txn_id='KN1', amount='70.00', value_date=date(2026,3,10), "
        f"to_account='{acc}'), 'notice')"
    )
    assert _subprocess(code, crash_at="receipt.before_commit") == -9
    assert Receipt.objects.count() == 0 and Transaction.objects.count() == 0
    assert _subprocess(code) == 0  # the bank redelivers the notice
    assert _subprocess(code) == 0  # and once more: still booked once
    assert Receipt.objects.count() == 1 and queries.balance(case.pk) == Decimal("70.00")


def test_concurrent_batches_and_single_notices_overlap_book_once(case, people, courts):
    from tests import factories
    from zhixing.cases.models import Payment
    from zhixing.courts.roles import Role

    th_cases = [case, factories.case(people["clerk"]), factories.case(people["clerk"])]
    yx_case = factories.case(factories.staff(courts["yx"], Role.CLERK, username="yx_clerk_b"))
    numbers = [services.case_account(c).number for c in th_cases]
    yx_number = services.case_account(yx_case).number
    day = date(2026, 3, 10)

    def item(i: int) -> services.Incoming:
        return services.Incoming(f"P{i}", "100.00", day, to_account=numbers[i % 3])

    yx_items = [services.Incoming(f"Y{i}", "5.00", day, to_account=yx_number) for i in range(20)]
    jobs = [
        lambda: services.book_incoming_batch([item(i) for i in range(0, 20)]),
        lambda: services.book_incoming_batch([item(i) for i in range(10, 30)]),
        lambda: services.book_incoming_batch([item(i) for i in range(29, -1, -1)]),  # re-sent, reversed
        lambda: services.book_incoming_batch(yx_items),
        *[(lambda i=i: services.book_incoming(item(i), "notice")) for i in (5, 15, 25, 5)],
    ]
    assert run_threads(jobs) == []
    assert Receipt.objects.filter(bank_txn_id__startswith="P").count() == 30
    assert [queries.balance(c.pk) for c in th_cases] == [Decimal("1000.00")] * 3
    assert queries.balance(yx_case.pk) == Decimal("100.00")
    assert Payment.objects.count() == 50
    assert_books([c.pk for c in th_cases] + [yx_case.pk])
    report = verify_chain()
    assert report.ok and {"粤0106", "粤0104"} <= set(report.chains)
