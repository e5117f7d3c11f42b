"""Batched bank notices: one signed message, one transaction, the single notice's semantics per transfer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from zhixing.cases.models import Payment
from zhixing.core.audit import verify_chain
from zhixing.core.models import AuditRecord
from zhixing.funds import queries, services
from zhixing.funds.models import AccountKind, Entry, LedgerAccount, Receipt, Transaction
from zhixing.funds.services import faults

from .conftest import BATCH_PATH, receive, signed_post
from .test_ledger import assert_books

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bank_day")]
DAY = date(2026, 3, 10)


def transfer(to_account: str, txn: str, amount: str = "100.00", **kw: Any) -> dict[str, Any]:
    return {"txn_id": txn, "amount": amount, "value_date": DAY.isoformat(), "to_account": to_account, **kw}


def batch(notices: list[dict[str, Any]], batch_id: str = "B1") -> dict[str, Any]:
    return {"batch_id": batch_id, "custody_account_no": "44001000106", "notices": notices}


def post_batch(client: Any, notices: list[dict[str, Any]], batch_id: str = "B1") -> Any:
    return signed_post(client, batch(notices, batch_id), batch_id, path=BATCH_PATH)


def assert_running_balances() -> None:
    """Every entry's `balance_after` is the running sum of its account's entries in id order."""
    for acc in LedgerAccount.objects.all():
        total = Decimal("0")
        rows = Entry.objects.filter(account=acc).order_by("pk").values_list("amount", "balance_after")
        for amount, after in rows:
            total += amount
            assert after == total, acc.key


@pytest.fixture
def two_cases(people: Any, custody: Any) -> list[Any]:
    return [factories.case(people["clerk"]), factories.case(people["clerk"])]


def test_batch_books_every_transfer_once_with_running_balances(client, two_cases):
    a, b = (services.case_account(c).number for c in two_cases)
    r = post_batch(
        client,
        [
            transfer(a, "T1", "100.00", payer_name="张三"),
            transfer(b, "T2", "250.50"),
            transfer(a, "T3", "30.00"),
            transfer("99999", "T4", "7.00"),  # names no case account: 不明款 of the custody's court
        ],
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["batch_id"], body["booked"], body["duplicates"]) == ("B1", 4, 0)
    assert [(x["txn_id"], x["status"], x["case_id"]) for x in body["receipts"]] == [
        ("T1", "booked", two_cases[0].pk),
        ("T2", "booked", two_cases[1].pk),
        ("T3", "booked", two_cases[0].pk),
        ("T4", "unidentified", None),
    ]
    assert queries.balance(two_cases[0].pk) == Decimal("130.00")
    assert queries.balance(two_cases[1].pk) == Decimal("250.50")
    bank = LedgerAccount.objects.get(kind=AccountKind.BANK)
    assert (bank.balance, bank.entry_count) == (Decimal("387.50"), 4)
    assert LedgerAccount.objects.get(kind=AccountKind.UNIDENTIFIED).natural_balance == Decimal("7.00")
    t4 = Receipt.objects.get(bank_txn_id="T4")
    assert t4.claim_due == date(2026, 3, 13)  # 3 working days, as for a single notice
    assert Receipt.objects.get(bank_txn_id="T1").payer_name == "张三"
    # Performance on the cases, dated the bank's value date, once per receipt.
    for case in two_cases:
        case.refresh_from_db()
    assert (two_cases[0].paid_amount, two_cases[1].paid_amount) == (Decimal("130.00"), Decimal("250.50"))
    assert sorted(Payment.objects.values_list("reference", "paid_on")) == [
        ("funds.receipt:T1", DAY),
        ("funds.receipt:T2", DAY),
        ("funds.receipt:T3", DAY),
    ]
    # One audit record per receipt and per payment, all in 天河's chain.
    recs = AuditRecord.objects.filter(action__in=["funds.receipt", "case.payment"])
    assert sorted(recs.values_list("action", "chain")) == sorted(
        [("funds.receipt", "粤0106")] * 4 + [("case.payment", "粤0106")] * 3
    )
    assert verify_chain().ok
    assert_books([c.pk for c in two_cases])
    assert_running_balances()


def test_resent_batch_books_nothing_twice(client, two_cases):
    a = services.case_account(two_cases[0]).number
    first = post_batch(client, [transfer(a, "R1"), transfer(a, "R2")]).json()
    n_txn, n_audit = Transaction.objects.count(), AuditRecord.objects.count()
    again = post_batch(client, [transfer(a, "R1"), transfer(a, "R2")])
    assert again.status_code == 200
    assert (again.json()["booked"], again.json()["duplicates"]) == (0, 2)
    assert [x["receipt_id"] for x in again.json()["receipts"]] == [x["receipt_id"] for x in first["receipts"]]
    assert (Transaction.objects.count(), AuditRecord.objects.count()) == (n_txn, n_audit)
    assert queries.balance(two_cases[0].pk) == Decimal("200.00")


def test_batch_overlapping_a_single_notice_already_booked(client, two_cases):
    single = receive(two_cases[0], "100.00", "S1")
    a = services.case_account(two_cases[0]).number
    r = post_batch(client, [transfer(a, "S1"), transfer(a, "S2", "50.00")])
    assert (r.json()["booked"], r.json()["duplicates"]) == (1, 1)
    assert r.json()["receipts"][0]["receipt_id"] == single.pk
    assert queries.balance(two_cases[0].pk) == Decimal("150.00")
    assert Payment.objects.filter(reference="funds.receipt:S1").count() == 1
    assert_books([two_cases[0].pk])


def test_repeat_inside_batch_books_once(client, two_cases):
    a = services.case_account(two_cases[0]).number
    r = post_batch(client, [transfer(a, "D1"), transfer(a, "D1")])
    assert r.status_code == 200 and r.json()["booked"] == 1
    assert r.json()["receipts"][0]["receipt_id"] == r.json()["receipts"][1]["receipt_id"]
    assert queries.balance(two_cases[0].pk) == Decimal("100.00")


@pytest.mark.parametrize("earlier", ["single", "same_batch"])
def test_same_txn_different_amount_rejects_whole_batch(client, two_cases, earlier):
    a = services.case_account(two_cases[0]).number
    notices = [transfer(a, "OK1"), transfer(a, "X1", "60.00")]
    if earlier == "single":
        receive(two_cases[0], "50.00", "X1")
    else:
        notices.append(transfer(a, "X1", "70.00"))
    before = (Receipt.objects.count(), Transaction.objects.count(), AuditRecord.objects.count())
    r = post_batch(client, notices)
    assert r.status_code == 409 and r.json()["field"] == "amount"
    assert "X1" in r.json()["detail"]
    assert (Receipt.objects.count(), Transaction.objects.count(), AuditRecord.objects.count()) == before


def test_bad_transfer_is_named_and_nothing_is_booked(client, two_cases):
    a = services.case_account(two_cases[0]).number
    r = post_batch(client, [transfer(a, "G1"), transfer(a, "G2", "1.001")])
    assert r.status_code == 422
    assert r.json()["field"] == "notices[1].amount" and "第2笔" in r.json()["detail"]
    r = post_batch(client, [transfer(a, "G1"), {"txn_id": "G3", "amount": "1.00"}])  # no value date
    assert r.status_code == 422 and r.json()["field"] == "notices[1].value_date"
    assert Receipt.objects.count() == 0 and Transaction.objects.count() == 0


def test_batch_size_is_limited(client, two_cases, settings):
    settings.FUNDS_NOTICE_BATCH_MAX = 2
    a = services.case_account(two_cases[0]).number
    r = post_batch(client, [transfer(a, f"L{i}") for i in range(3)])
    assert r.status_code == 422 and r.json()["field"] == "notices" and "最多2笔" in r.json()["detail"]
    assert post_batch(client, []).status_code == 422
    assert Receipt.objects.count() == 0


def test_unsigned_batch_is_refused(client, two_cases):
    a = services.case_account(two_cases[0]).number
    r = signed_post(client, batch([transfer(a, "U1")]), "B1", secret="wrong", path=BATCH_PATH)
    assert r.status_code == 401 and Receipt.objects.count() == 0


def test_crash_before_commit_books_nothing_and_resend_books_all(client, two_cases):
    a = services.case_account(two_cases[0]).number
    items = [services.Incoming(f"K{i}", "10.00", DAY, to_account=a) for i in range(3)]
    faults.arm("receipt_batch.before_commit")
    with pytest.raises(faults.Crash):
        services.book_incoming_batch(items)
    assert Receipt.objects.count() == 0 and Transaction.objects.count() == 0 and Payment.objects.count() == 0
    assert services.book_incoming_batch(items).booked == 3
    assert queries.balance(two_cases[0].pk) == Decimal("30.00")


def test_unopened_sub_account_opens_and_closed_one_is_unidentified(client, people, custody):
    fresh = factories.case(people["clerk"])
    closed = factories.case(people["clerk"])
    from zhixing.funds.rules import sub_account_number

    number = sub_account_number("880106", fresh.pk)  # valid number, account not opened yet
    acc = services.case_account(closed)
    type(acc).objects.filter(pk=acc.pk).update(closed=True)
    r = post_batch(client, [transfer(number, "O1"), transfer(acc.number, "O2")])
    assert [x["status"] for x in r.json()["receipts"]] == ["booked", "unidentified"]
    assert queries.balance(fresh.pk) == Decimal("100.00")


def test_statement_count_does_not_grow_with_the_batch(two_cases, people):
    cases = two_cases + [factories.case(people["clerk"]) for _ in range(4)]
    numbers = [services.case_account(c).number for c in cases]

    def run(prefix: str, n: int) -> int:
        items = [services.Incoming(f"{prefix}{i}", "1.00", DAY, to_account=numbers[i % 6]) for i in range(n)]
        with CaptureQueriesContext(connection) as q:
            assert services.book_incoming_batch(items).booked == n
        return len(q.captured_queries)

    run("W", 6)  # every ledger account exists from here on
    # 19 statements (+4 savepoints of the test's own transaction) for 6 or 30 transfers alike (SQLite
    # splits an INSERT past 999 parameters, so larger batches add a statement there, not on PostgreSQL).
    # 23, plus 2 for the consequence table's "which of these cases hold a measure" (zhixing.measures),
    # plus 2 for the receipts' payout clocks (one SELECT of the receipts without one, one INSERT),
    # plus 1 for credit's listings of these cases, whose published 履行情况 follows the payments (issue 14),
    # plus 1 for the command center's courts of these cases, whose situation figures it refreshes (issue 21),
    # plus 1 adding the payments to their court's running total of the month (one UPDATE per court).
    assert run("A", 6) == run("B", 30) == 30
    assert_running_balances()
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_sandbox_bank_batches_pending_notices_and_the_platform_books_them(live_server, two_cases, bank):
    import json
    import urllib.request

    numbers = [services.case_account(c).number for c in two_cases]
    b = bank.app.bank
    b.notify_url = live_server.url + "/api/v1/funds/bank/notices"
    b.custody_account_no, b.batch_min = "44001000106", 5
    for i in range(12):
        b.add_transfer({"txn_id": f"LB{i}", "amount": "10.00", "to_account": numbers[i % 2]})
    req = urllib.request.Request(bank.url + "/notices/redeliver", data=b"{}", method="POST")
    with urllib.request.urlopen(req, timeout=30) as resp:
        assert json.loads(resp.read()) == {"pending": 12, "delivered": 12}
    assert b.batches_sent == 1
    assert Receipt.objects.filter(bank_txn_id__startswith="LB").count() == 12
    assert [queries.balance(c.pk) for c in two_cases] == [Decimal("60.00"), Decimal("60.00")]
    assert verify_chain().ok


def test_single_notice_path_statement_budget(client, two_cases):
    """The single notice path acknowledges after ONE statement: the inbox INSERT (no custody look-up,
    it is cached; no pre-read; no audit chain). It was 18 statements when each notice booked itself;
    the booking now runs in batches behind the acknowledgment (services/inbox.py)."""
    a = services.case_account(two_cases[0]).number
    assert signed_post(client, transfer(a, "Q0", custody_account_no="44001000106"), "Q0").status_code == 200
    with CaptureQueriesContext(connection) as q:
        r = signed_post(client, transfer(a, "Q1", custody_account_no="44001000106"), "Q1", book=False)
    assert r.status_code == 200 and r.json()["status"] == "received"
    sql = [x["sql"] for x in q.captured_queries]
    assert len(sql) == 1 and sql[0].startswith('INSERT INTO "funds_banknotice"')
    assert "ON CONFLICT" in sql[0] and "NOT EXISTS" in sql[0]  # and no receipt with another amount
    # The repeat: the INSERT finds the txn id, one read answers the same acknowledgment.
    with CaptureQueriesContext(connection) as q:
        r2 = signed_post(client, transfer(a, "Q1", custody_account_no="44001000106"), "Q1", book=False)
    assert r2.json()["notice_id"] == r.json()["notice_id"] and len(q.captured_queries) == 2


def test_record_payments_matches_record_payment_semantics(two_cases):
    from zhixing.cases.services import record_payment
    from zhixing.cases.services.performance import PaymentItem, record_payments
    from zhixing.core.errors import ServiceError

    a, b = two_cases
    record_payment(a.pk, Decimal("5.00"), DAY, source="receipt", reference="ref-0")
    items = [
        PaymentItem(a.pk, Decimal("5.00"), DAY, "receipt", "ref-0"),  # already recorded
        PaymentItem(a.pk, Decimal("1.50"), DAY, "receipt", "ref-1"),
        PaymentItem(b.pk, Decimal("2.25"), DAY, "receipt", "ref-2", court="粤0106"),
        PaymentItem(a.pk, Decimal("1.50"), DAY, "receipt", "ref-1"),  # repeated in the batch
    ]
    assert record_payments(items) == [False, True, True, False]
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.paid_amount, b.paid_amount) == (Decimal("6.50"), Decimal("2.25"))
    assert AuditRecord.objects.filter(action="case.payment").count() == 3
    bad = [
        PaymentItem(b.pk, Decimal("1.00"), DAY, "receipt", "ref-3"),
        PaymentItem(b.pk, Decimal("1.001"), DAY, "receipt", "ref-4"),
    ]
    with pytest.raises(ServiceError, match="第2笔") as exc:
        record_payments(bad)
    assert exc.value.field == "amount"
    with pytest.raises(ServiceError, match="案件不存在"):
        record_payments([PaymentItem(10**9, Decimal("1.00"), DAY, "receipt", "ref-5")])
    assert not Payment.objects.filter(reference__in=["ref-3", "ref-4", "ref-5"]).exists()
    b.refresh_from_db()
    assert b.paid_amount == Decimal("2.25")
    assert verify_chain().ok


def test_custody_cache_reloads_on_an_unknown_number(client, courts, custody):
    from zhixing.funds.models import CustodyAccount
    from zhixing.funds.services.accounts import custody_refs

    assert "44001000199" not in custody_refs()[0]  # cached now
    # Registered by another process (this one's cache does not know it yet).
    CustodyAccount.objects.create(
        court=courts["ft"],
        bank_name="沙箱托管银行",
        account_name="番禺",
        account_no="44001000199",
        sub_prefix="880199",
    )
    r = signed_post(client, transfer("", "CC1", custody_account_no="44001000199"), "CC1")
    assert r.status_code == 200 and r.json()["status"] == "received"
    assert Receipt.objects.get(bank_txn_id="CC1").status == "unidentified"
    assert Receipt.objects.get(bank_txn_id="CC1").court_id == courts["ft"].pk


def test_closed_sub_account_without_custody_number_is_unidentified_of_its_court(two_cases):
    acc = services.case_account(two_cases[0])
    type(acc).objects.filter(pk=acc.pk).update(closed=True)
    item = services.Incoming("CL1", "10.00", DAY, to_account=acc.number)
    single = services.book_incoming(item, "notice")
    batched = services.book_incoming_batch([services.Incoming("CL2", "10.00", DAY, to_account=acc.number)])
    for rec in (single, batched.receipts[0]):
        assert (rec.status, rec.court_id, rec.case_id) == ("unidentified", two_cases[0].court_id, None)
    assert services.book_incoming(item, "notice") == single  # a retry
