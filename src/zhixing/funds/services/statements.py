"""Statement import (finance) and daily reconciliation with its Excel export."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from zhixing.core import audit, localtime, spreadsheet
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.models import Court
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Role

from .. import statement as st
from ..models import AccountKind, LedgerAccount, Payout, Receipt, StatementImport
from ..reconciliation import Item, Report, reconcile
from .receipts import Incoming, book_incoming


def import_statement(
    actor: Any, court: Court, content: bytes, filename: str, mapping: Mapping[str, str] | None = None
) -> StatementImport:
    """Validate the whole file first; then book every incoming line not yet booked, in one transaction."""
    if not (can_write_court(actor, court) and getattr(actor, "role", "") == Role.FINANCE):
        raise NotPermitted("只有本院财务人员可以导入银行对账单")
    try:
        lines = st.parse(st.rows_from_file(content, filename), mapping)
    except st.StatementError as exc:
        raise ServiceError(str(exc), field="file") from exc
    if not lines:
        raise ServiceError("对账单没有交易明细", field="file")
    custody = getattr(court, "custody_account", None)
    if custody is None:
        raise ServiceError("本院尚未设置执行款专户", field="custody")
    booked = 0
    with transaction.atomic():
        for line in lines:
            if line.amount <= 0:
                continue
            before = Receipt.objects.filter(bank_txn_id=line.txn_id).exists()
            book_incoming(
                Incoming(
                    txn_id=line.txn_id,
                    amount=line.amount,
                    value_date=line.value_date,
                    to_account=line.to_account,
                    payer_name=line.payer_name,
                    payer_account=line.payer_account,
                    memo=line.memo,
                    custody_account_no=custody.account_no,
                ),
                source="statement",
                actor=actor,
            )
            booked += not before
        last_balance = next((ln.balance for ln in reversed(lines) if ln.balance is not None), None)
        imp = StatementImport.objects.create(
            court=court,
            statement_date=max(ln.value_date for ln in lines),
            closing_balance=last_balance,
            lines=[[ln.txn_id, ln.value_date.isoformat(), str(ln.amount), ln.memo] for ln in lines],
            booked=booked,
            imported_by=getattr(actor, "username", ""),
        )
        audit.record(
            actor,
            "funds.statement_import",
            object_type="funds.StatementImport",
            object_id=imp.pk,
            after={"file": filename, "lines": len(lines), "booked": booked},
        )
    return imp


def ledger_items(court_id: int, on: date) -> list[Item]:
    """The ledger's custody-bank movements of one day: receipts in, returns and payouts out."""
    items = [
        Item(t, on, a, "来款")
        for t, a in Receipt.objects.filter(court_id=court_id, value_date=on)
        .values_list("bank_txn_id", "amount")
        .iterator(chunk_size=20000)
    ]
    for pid, paid_at, amount in Payout.objects.filter(
        court_id=court_id, status=Payout.Status.PAID, paid_at__date=on
    ).values_list("bank_payment_id", "paid_at", "amount"):
        # The Beijing day of the payment (the statement's day), not the UTC day of the stored instant.
        items.append(Item(pid, localtime.local_date(paid_at) if paid_at else on, -amount, "发款"))
    return items


def reconcile_import(imp: StatementImport) -> Report:
    bank = [Item(t, date.fromisoformat(d), Decimal(a), m) for t, d, a, m in imp.lines]
    acc = LedgerAccount.objects.filter(kind=AccountKind.BANK, court_id=imp.court_id).first()
    return reconcile(
        imp.statement_date,
        bank,
        ledger_items(imp.court_id, imp.statement_date),
        acc.balance if acc else Decimal("0.00"),
        imp.closing_balance,
    )


_SIDES = {"bank_only": "银行有、账簿无", "ledger_only": "账簿有、银行无", "amount": "金额不符"}


def report_xlsx(report: Report) -> bytes:
    book = spreadsheet.XlsxBook()  # neutralises formula-leading text (bank references, candidates)
    ws = book.sheet("对账结果")
    ws.append(["对账日期", report.statement_date.isoformat()])
    ws.append(["账簿专户余额", str(report.ledger_balance)])
    ws.append(["银行日终余额", "" if report.bank_balance is None else str(report.bank_balance)])
    ws.append(["余额差额", "" if report.balance_difference is None else str(report.balance_difference)])
    ws.append(["已勾对笔数", report.matched])
    ws.append([])
    ws.append(["差异类型", "流水号", "日期", "金额", "对方金额", "候选匹配"])
    for d in report.differences:
        ws.append(
            [
                _SIDES[d.side],
                d.item.ref,
                d.item.value_date.isoformat(),
                str(d.item.amount),
                "" if d.other_amount is None else str(d.other_amount),
                "；".join(f"{c.ref} {c.amount}" for c in d.candidates),
            ]
        )
    return book.to_bytes()
