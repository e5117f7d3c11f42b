"""Statement import (finance) and daily reconciliation with its Excel export."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from zhixing.core import audit, spreadsheet
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.models import Court
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Role

from .. import statement as st
from ..models import StatementImport, StatementLayout
from ..reconciliation import Item, Report, reconcile
from .accounts import outside_custody
from .receipts import Incoming, book_incoming


def resolve_layout(court: Court, layout: str | int | None) -> st.sl.LayoutSpec | None:
    """A built-in layout by code (``builtin:…``) or one of the court's saved layouts by id; None: default."""
    if layout in (None, ""):
        return None
    text = str(layout)
    if text in st.sl.BUILTIN:
        return st.sl.BUILTIN[text].spec
    small = text.isascii() and text.isdigit() and len(text) < 18  # an id past 64 bits names no layout
    saved = StatementLayout.objects.filter(court=court, pk=int(text)).first() if small else None
    if saved is None:
        raise ServiceError("请选择本院的对账单版式", field="layout")
    return saved.spec()


def import_statement(
    actor: Any,
    court: Court,
    content: bytes,
    filename: str,
    mapping: Mapping[str, str] | None = None,
    *,
    layout: str | int | None = None,
    book_missing: bool = False,
    source: str = "upload",
    statement_date: date | None = None,
    closing_balance: Decimal | None = None,
) -> StatementImport:
    """Validate the whole file first (a bad file changes nothing); then save it and reconcile it.

    `layout` is a built-in layout code or a saved layout's id (`mapping` is the old per-upload column
    mapping, still accepted by the API). With `book_missing`, incoming lines the ledger does not know
    and for which it has no candidate either are booked as receipts first (the statement as a second
    channel for lost notices); otherwise they are differences for finance to book or match. A line
    naming a sub-account of another court's custody account is never booked (the statement is of this
    court's account): it stays a difference whose memo gives the reason (`reconcile_statement`). The bank
    fetch (`source="bank"`, actor None) names its `statement_date` and `closing_balance` and may be
    empty (a day without movements).
    """
    if actor is not None and not (
        can_write_court(actor, court) and getattr(actor, "role", "") == Role.FINANCE
    ):
        raise NotPermitted("只有本院财务人员可以导入银行对账单")
    spec = resolve_layout(court, layout)
    try:
        lines = st.parse(st.rows_from_file(content, filename, spec.encoding if spec else ""), mapping, spec)
    except st.StatementError as exc:
        raise ServiceError(str(exc), field="file") from exc
    if not lines and statement_date is None:
        raise ServiceError("对账单没有交易明细", field="file")
    custody = getattr(court, "custody_account", None)
    if custody is None:
        raise ServiceError("本院尚未设置执行款专户", field="custody")
    day = statement_date or max(ln.value_date for ln in lines)
    from .reconcile import missing_without_candidates, reconcile_statement

    booked = 0
    with transaction.atomic():
        for line in missing_without_candidates(court.pk, lines) if book_missing else []:
            if outside_custody(court.pk, line.to_account):
                continue  # another court's sub-account: a difference with its reason, never booked here
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
            booked += 1
        if closing_balance is None:
            closing_balance = next((ln.balance for ln in reversed(lines) if ln.balance is not None), None)
        imp = StatementImport.objects.create(
            court=court,
            statement_date=day,
            closing_balance=closing_balance,
            lines=[
                [
                    ln.txn_id,
                    ln.value_date.isoformat(),
                    str(ln.amount),
                    ln.memo,
                    ln.payer_name,
                    ln.payer_account,
                    ln.to_account,
                ]
                for ln in lines
            ],
            booked=booked,
            imported_by=getattr(actor, "username", "") or "系统",
        )
        audit.record(
            actor,
            "funds.statement_import",
            object_type="funds.StatementImport",
            object_id=imp.pk,
            after={"file": filename, "lines": len(lines), "booked": booked, "source": source},
            court=court,
        )
        reconcile_statement(imp, source)
    return imp


def statement_items(imp: StatementImport) -> list[Item]:
    """The bank side of an import (lines saved before the payer columns were kept have 4 cells)."""
    out = []
    for cells in imp.lines:
        t, d, a, m = cells[:4]
        name, acct = (cells[4], cells[5]) if len(cells) >= 6 else ("", "")
        out.append(Item(t, date.fromisoformat(d), Decimal(a), m, name, acct))
    return out


def ledger_items(court_id: int, on: date) -> list[Item]:
    """The ledger's custody-bank movements of one day (see `reconcile.ledger_movements`)."""
    from .reconcile import ledger_movements

    return ledger_movements(court_id, on, on)


def reconcile_import(imp: StatementImport) -> Report:
    """The day's report (for the Excel export): ledger as of the statement's date against the bank."""
    from .reconcile import ledger_balance_on, ledger_movements

    return reconcile(
        imp.statement_date,
        statement_items(imp),
        ledger_movements(imp.court_id, imp.statement_date, imp.statement_date),
        ledger_balance_on(imp.court_id, imp.statement_date),
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
