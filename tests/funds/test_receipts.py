"""Receipts: signed bank notices, deductions, unidentified receipts, statement import, idempotency."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook

from tests import factories
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.funds import queries, services
from zhixing.funds.models import AccountKind, BankNotice, LedgerAccount, Receipt, StatementImport, Transaction
from zhixing.funds.services import faults, inbox

from .conftest import receive, signed_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bank_day")]

HEADER = "交易流水号,交易日期,金额,对方户名,对方账号,收款子账号,摘要,余额\n"


def notice(case_acc: Any, txn: str, amount: str = "5000.00", **kw: Any) -> dict[str, Any]:
    return {
        "txn_id": txn,
        "amount": amount,
        "value_date": "2026-03-10",
        "to_account": case_acc,
        "payer_name": "张三",
        "payer_account": "6222",
        "memo": "还款",
        "custody_account_no": "44001000106",
        **kw,
    }


def test_sub_account_is_lazy_and_checked(case):
    acc = services.case_account(case)
    assert acc.number.startswith("880106") and int(acc.number) % 97 == 1
    assert services.case_account(case).pk == acc.pk


def test_signed_notice_books_to_case_once(client, case):
    acc = services.case_account(case).number
    r1 = signed_post(client, notice(acc, "N1"), "N1")
    assert r1.status_code == 200, r1.content
    # Acknowledged once recorded in the inbox; booked right behind it.
    assert r1.json()["status"] == "received" and r1.json()["txn_id"] == "N1"
    r2 = signed_post(client, notice(acc, "N1"), "N1")  # retry: the same notice, now booked
    assert r2.status_code == 200 and r2.json()["notice_id"] == r1.json()["notice_id"]
    assert r2.json()["status"] == "booked" and r2.json()["case_id"] == case.pk
    assert r2.json()["receipt_id"] == Receipt.objects.get(bank_txn_id="N1").pk
    assert queries.balance(case.pk) == Decimal("5000.00")
    assert Transaction.objects.filter(kind="receipt").count() == 1
    # The money is performed on the case once, dated the bank's value date.
    case.refresh_from_db()
    assert case.paid_amount == Decimal("5000.00")
    assert [(p.paid_on, p.amount, p.source) for p in case.payments.all()] == [
        (date(2026, 3, 10), Decimal("5000.00"), "receipt")
    ]


def test_bad_signature_rejected(client, case):
    acc = services.case_account(case).number
    r = signed_post(client, notice(acc, "N2"), "N2", secret="wrong")
    assert r.status_code == 401
    assert Receipt.objects.count() == 0


def test_same_txn_different_amount_is_conflict(client, case):
    acc = services.case_account(case).number
    signed_post(client, notice(acc, "N3"), "N3")
    r = signed_post(client, notice(acc, "N3", amount="6000.00"), "N3")
    assert r.status_code == 409
    assert queries.balance(case.pk) == Decimal("5000.00")


def test_bad_amount_in_notice(client, case):
    acc = services.case_account(case).number
    r = signed_post(client, notice(acc, "N4", amount="1.001"), "N4")
    assert r.status_code == 422 and r.json()["field"] == "amount"
    assert Receipt.objects.count() == 0


def test_wrong_check_digit_goes_to_unidentified(client, case, people):
    acc = services.case_account(case).number
    wrong = acc[:-2] + ("00" if acc[-2:] != "00" else "01")
    signed_post(client, notice(wrong, "N5"), "N5")
    assert BankNotice.objects.get(txn_id="N5").status == "unidentified"
    rec = Receipt.objects.get(bank_txn_id="N5")
    assert rec.claim_due == date(2026, 3, 13)  # 3 working days after Tue 2026-03-10
    unid = LedgerAccount.objects.get(kind=AccountKind.UNIDENTIFIED, court=case.court)
    assert unid.natural_balance == Decimal("5000.00")
    with pytest.raises(NotPermitted):
        services.claim_receipt(people["judge"], rec.pk, case)
    case.refresh_from_db()
    assert case.paid_amount == Decimal("0.00")  # unidentified money is nobody's performance yet
    services.claim_receipt(people["finance"], rec.pk, case)
    assert queries.balance(case.pk) == Decimal("5000.00")
    case.refresh_from_db()
    assert case.paid_amount == Decimal("5000.00")
    assert [(p.paid_on, p.source) for p in case.payments.all()] == [(date(2026, 3, 10), "claim")]
    unid.refresh_from_db()
    assert unid.balance == 0
    with pytest.raises(Conflict):
        services.claim_receipt(people["finance"], rec.pk, case)


def test_return_unidentified(case, people, bank):
    rec = services.book_receipt(
        idempotency_key="U1",
        amount="300.00",
        value_date=date(2026, 3, 10),
        court=case.court,
        source="manual",
        payer_name="李四",
        payer_account="6222020200001234",
    )
    assert rec.status == "unidentified"
    with pytest.raises(ServiceError):
        services.return_receipt(people["finance"], rec.pk, "")
    rec = services.return_receipt(people["finance"], rec.pk, "付款人汇错")
    assert rec.status == "returned" and rec.return_payment_id.startswith("PAY")
    # A real payment order went to the payer's account, keyed by the receipt's order key.
    paid = bank.app.bank.payments[rec.return_order_key]
    assert (paid["status"], paid["amount"], paid["account_no"]) == ("paid", "300.00", "6222020200001234")
    bank_acc = LedgerAccount.objects.get(kind=AccountKind.BANK, court=case.court)
    assert bank_acc.balance == 0


def test_closed_or_unknown_account_is_unidentified(case):
    acc = services.case_account(case)
    rec = services.book_receipt(
        idempotency_key="U2",
        amount="10.00",
        value_date=date(2026, 3, 10),
        court=case.court,
        to_account="99999999",
    )
    assert rec.status == "unidentified"
    assert acc.number


def test_deduction_book_receipt_idempotent(case):
    a = services.book_receipt(
        idempotency_key="deduction:7", amount=Decimal("1234.56"), value_date=date(2026, 3, 11), case=case
    )
    b = services.book_receipt(
        idempotency_key="deduction:7", amount=Decimal("1234.56"), value_date=date(2026, 3, 11), case=case
    )
    assert a.pk == b.pk and queries.balance(case.pk) == Decimal("1234.56")
    case.refresh_from_db()
    assert case.paid_amount == Decimal("1234.56")
    assert [p.source for p in case.payments.all()] == ["deduction"]


def test_crash_between_notice_and_booking_then_redelivery(client, case):
    acc = services.case_account(case).number
    faults.arm("receipt_batch.before_commit")
    r = signed_post(client, notice(acc, "N6"), "N6", book=False)
    assert r.status_code == 200 and r.json()["status"] == "received"  # recorded: the ack is given
    with pytest.raises(faults.Crash):
        inbox.drain()  # the booker crashes before its commit
    assert Receipt.objects.count() == 0 and Transaction.objects.count() == 0  # nothing half-booked
    assert BankNotice.objects.get(txn_id="N6").status == "received"  # and nothing lost
    faults.disarm()
    r = signed_post(client, notice(acc, "N6"), "N6")  # a redelivery answers the same notice
    assert r.status_code == 200 and r.json()["notice_id"] == BankNotice.objects.get().pk
    assert inbox.drain_all() == 0
    assert queries.balance(case.pk) == Decimal("5000.00")
    assert Transaction.objects.filter(kind="receipt").count() == 1


def _csv(lines: list[str]) -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode("utf-8")


def test_statement_import_books_missing_lines_and_skips_noticed(client, case, people):
    acc = services.case_account(case).number
    signed_post(client, notice(acc, "S1", amount="100.00"), "S1")
    content = _csv(
        [
            f"S1,2026-03-10,100.00,张三,6222,{acc},还款,100.00",
            f"S2,2026/03/10,200.50,张三,6222,{acc},还款,300.50",
            "S3,20260310,50.00,李四,6223,12345,不明,350.50",
            "P9,2026-03-10,-10.00,某某,6666,,发款,340.50",
        ]
    )
    imp = services.import_statement(people["finance"], case.court, content, "stmt.csv", book_missing=True)
    assert imp.booked == 2
    assert queries.balance(case.pk) == Decimal("300.50")
    assert Receipt.objects.get(bank_txn_id="S3").status == "unidentified"
    # importing the same file again books nothing more
    services.import_statement(people["finance"], case.court, content, "stmt.csv", book_missing=True)
    assert Receipt.objects.count() == 3
    report = services.reconcile_import(imp)
    assert report.bank_balance == Decimal("340.50")
    assert [d.item.ref for d in report.differences] == ["P9"]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("S9,10-03-2026,1.00,a,b,c,d,1", "日期"),
        ("S9,2026-03-10,abc,a,b,c,d,1", "不是数字"),
        ("S9,2026-03-10,1.001,a,b,c,d,1", "两位小数"),
        ("S1,2026-03-10,1.00,a,b,c,d,1", "重复"),
    ],
)
def test_bad_statement_rejected_whole(case, people, line, reason):
    content = _csv(["S1,2026-03-10,100.00,张三,6222,x,还款,100.00", line])
    with pytest.raises(ServiceError) as exc:
        services.import_statement(people["finance"], case.court, content, "bad.csv")
    assert "第3行" in exc.value.message and reason in exc.value.message
    assert Receipt.objects.count() == 0 and StatementImport.objects.count() == 0


def test_wrong_columns_rejected(case, people):
    with pytest.raises(ServiceError) as exc:
        services.import_statement(
            people["finance"], case.court, "流水,日期,钱\n1,2026-03-10,1\n".encode(), "x.csv"
        )
    assert "第1行" in exc.value.message and "交易流水号" in exc.value.message


def test_excel_with_custom_mapping(case, people):
    acc = services.case_account(case).number
    wb = Workbook()
    ws = wb.active
    ws.append(["流水", "日期", "交易金额", "子账号"])
    ws.append(["X1", date(2026, 3, 10), "88.80", acc])
    buf = io.BytesIO()
    wb.save(buf)
    mapping = {"txn_id": "流水", "date": "日期", "amount": "交易金额", "to_account": "子账号"}
    imp = services.import_statement(
        people["finance"], case.court, buf.getvalue(), "s.xlsx", mapping, book_missing=True
    )
    assert imp.booked == 1 and queries.balance(case.pk) == Decimal("88.80")


def test_statement_import_needs_finance(case, people):
    with pytest.raises(NotPermitted):
        services.import_statement(people["judge"], case.court, _csv([]), "x.csv")


def test_backfill_command(people, custody, courts):
    cases = [factories.case(people["clerk"]) for _ in range(3)]
    from django.core.management import call_command

    call_command("funds_backfill_accounts")
    from zhixing.funds.models import CaseAccount

    assert CaseAccount.objects.filter(case__in=cases).count() == 3
    assert receive(cases[0], "1.00", "B1").status == "booked"


def test_finance_claims_with_the_case_number_typed_in_half_width_brackets(client, case, people):
    """The 不明款 claim form takes the 案号 as a clerk types it: (2026) and （2026） name the same case."""
    acc = services.case_account(case).number
    wrong = acc[:-2] + ("00" if acc[-2:] != "00" else "01")
    signed_post(client, notice(wrong, "N9"), "N9")
    rec = Receipt.objects.get(bank_txn_id="N9")
    typed = case.number.replace("（", "(").replace("）", ")")
    assert typed != case.number
    client.force_login(people["finance"])
    client.post(reverse("funds_claim", args=[rec.pk]), {"case_number": f" {typed} "})
    assert queries.balance(case.pk) == Decimal("5000.00")
    assert [p.source for p in case.payments.all()] == ["claim"]
