"""One bank transaction id, one amount, whichever message carried it (finding H1).

Single notices are recorded in the durable inbox and booked behind it; batch notices are booked at
once. Both now check the inbox and the receipts: the first message to record a txn id wins, a later
one naming it with another amount answers 409 (the batch books nothing), and the money is booked once
at the first amount. (The PostgreSQL race of the two is in test_notice_amount_conflicts_pg.py.)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from zhixing.core.audit import verify_chain
from zhixing.core.models import AuditRecord
from zhixing.funds import queries, services
from zhixing.funds.models import BankNotice, Receipt, Transaction
from zhixing.funds.services import inbox

from .conftest import BATCH_PATH, signed_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bank_day")]


def transfer(to: str, txn: str, amount: str) -> dict[str, Any]:
    return {
        "txn_id": txn,
        "amount": amount,
        "value_date": "2026-03-10",
        "to_account": to,
        "payer_name": "张三",
    }


def single(client: Any, to: str, txn: str, amount: str, book: bool = False) -> Any:
    return signed_post(
        client, {**transfer(to, txn, amount), "custody_account_no": "44001000106"}, txn, book=book
    )


def batch(client: Any, notices: list[dict[str, Any]], batch_id: str = "NB1") -> Any:
    body = {"batch_id": batch_id, "custody_account_no": "44001000106", "notices": notices}
    return signed_post(client, body, batch_id, path=BATCH_PATH)


def ledger_state(case: Any) -> tuple[Decimal, int, int, int]:
    return (
        queries.balance(case.pk),
        Receipt.objects.count(),
        Transaction.objects.filter(kind="receipt").count(),
        AuditRecord.objects.filter(action="funds.receipt").count(),
    )


def test_single_then_batch_with_another_amount_is_409_and_books_the_first(client, case):
    acc = services.case_account(case).number
    assert single(client, acc, "CONFL1", "5.00").json()["status"] == "received"
    before = ledger_state(case)
    r = batch(client, [transfer(acc, "OK1", "1.00"), transfer(acc, "CONFL1", "500.00")])
    assert r.status_code == 409, r.content
    assert r.json()["field"] == "amount"
    assert r.json()["detail"] == "第2笔来款：同一流水号CONFL1已按5.00元受理，本次金额500.00元不符"
    assert ledger_state(case) == before == (Decimal("0.00"), 0, 0, 0)
    assert list(BankNotice.objects.values_list("txn_id", "amount", "status")) == [
        ("CONFL1", Decimal("5.00"), "received")
    ]  # the batch's other transfer was not recorded either
    assert inbox.drain_all() == 1
    assert ledger_state(case) == (Decimal("5.00"), 1, 1, 1)
    assert BankNotice.objects.get(txn_id="CONFL1").status == "booked"
    assert verify_chain().ok


def test_batch_then_single_with_another_amount_is_409(client, case):
    acc = services.case_account(case).number
    r = batch(client, [transfer(acc, "CONFL2", "500.00")])
    assert r.status_code == 200 and r.json()["booked"] == 1, r.content
    row = BankNotice.objects.get(txn_id="CONFL2")
    assert (row.amount, row.status, row.idempotency_key, row.court_id) == (
        Decimal("500.00"),
        "booked",
        "NB1",
        case.court_id,
    )
    before = ledger_state(case)
    assert before == (Decimal("500.00"), 1, 1, 1)
    r = single(client, acc, "CONFL2", "5.00", book=True)
    assert r.status_code == 409 and r.json()["field"] == "amount", r.content
    assert ledger_state(case) == before and BankNotice.objects.count() == 1
    again = single(client, acc, "CONFL2", "500.00", book=True)  # the bank's retry of the batch's transfer
    assert again.status_code == 200 and again.json()["status"] == "booked"
    assert again.json()["receipt_id"] == Receipt.objects.get().pk
    assert ledger_state(case) == before


def test_single_then_batch_with_the_same_amount_books_once(client, case):
    acc = services.case_account(case).number
    single(client, acc, "SAME1", "5.00")
    r = batch(client, [transfer(acc, "SAME1", "5.00"), transfer(acc, "SAME2", "7.00")])
    assert r.status_code == 200 and r.json()["booked"] == 2, r.content
    assert inbox.drain_all() == 1  # the single notice's row: its receipt is there, nothing more moves
    assert ledger_state(case) == (Decimal("12.00"), 2, 2, 2)
    assert dict(BankNotice.objects.values_list("txn_id", "status")) == {"SAME1": "booked", "SAME2": "booked"}


def test_batch_then_batch_with_another_amount_is_409(client, case):
    acc = services.case_account(case).number
    assert batch(client, [transfer(acc, "BB1", "5.00")], "NB1").status_code == 200
    before = ledger_state(case)
    r = batch(client, [transfer(acc, "BB1", "6.00")], "NB2")
    assert r.status_code == 409 and r.json()["field"] == "amount"
    assert ledger_state(case) == before == (Decimal("5.00"), 1, 1, 1)


def test_single_notice_for_a_txn_booked_by_a_statement_with_another_amount_is_409(client, case, people):
    acc = services.case_account(case).number
    content = f"交易流水号,交易日期,金额,收款子账号\nST1,2026-03-10,5.00,{acc}\n".encode()
    services.import_statement(people["finance"], case.court, content, "s.csv", book_missing=True)
    before = ledger_state(case)
    r = single(client, acc, "ST1", "500.00", book=True)
    assert r.status_code == 409 and r.json()["field"] == "amount", r.content
    assert r.json()["detail"] == "同一流水号ST1已按5.00元入账，本次金额500.00元不符"
    assert BankNotice.objects.count() == 0 and ledger_state(case) == before


def test_unidentified_batch_transfer_is_recorded_as_unidentified(client, case):
    r = batch(client, [transfer("99999", "UN1", "3.00")])
    assert r.status_code == 200 and r.json()["receipts"][0]["status"] == "unidentified"
    assert BankNotice.objects.get(txn_id="UN1").status == "unidentified"
    assert single(client, "99999", "UN1", "4.00").status_code == 409
