"""Reconciling the custody account (执行款专户) against the bank's statement of one day.

The ledger side is taken **as of the end of the statement's date, by value date**, because a bank
statement is by value date (起息日): the day the money moved at the bank, not the day our system
learned of it. So a receipt counts on its `value_date` even when its notice (or the statement line
that booked it) arrived days later, and a receipt value-dated after the statement's date does not
count although it may be booked already. Money leaving the account — payouts the bank paid, receipts
returned to their payers (不明款退回), and any other posting to the custody account (reversals, …) —
counts on the Beijing day it was posted, which is the day the bank paid it (the bank's answer is
booked when it arrives). Every receipt counts, whatever became of it later (claimed, returned: the
return is its own movement out), so a clean day reconciles to a difference of 0.00.

`reconcile_statement` saves the day's `Reconciliation` with each difference and its candidates and
raises (or resolves) the court's `ReconciliationAlert`; `settle` recomputes its status after finance
handles a difference (`reconcile_actions`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from zhixing.core import audit, localtime

from .. import reconciliation as rc
from ..models import (
    AccountKind,
    Entry,
    LedgerAccount,
    Payout,
    Receipt,
    Reconciliation,
    ReconciliationAlert,
    ReconciliationItem,
    StatementImport,
)
from ..statement import StatementLine
from .accounts import outside_custody

ZERO = Decimal("0.00")


def window_days() -> int:
    """How many days apart a candidate match may be (setting FUNDS_RECON_WINDOW_DAYS, default 3)."""
    return int(getattr(settings, "FUNDS_RECON_WINDOW_DAYS", 3))


def _end_of(day: date) -> datetime:
    """The first instant after `day` in the platform's zone (Beijing)."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def ledger_balance_on(court_id: int, on: date) -> Decimal:
    """The custody account's ledger balance at the end of `on` by value date (module docstring)."""
    received = Receipt.objects.filter(court_id=court_id, value_date__lte=on).aggregate(s=Sum("amount"))["s"]
    bank = LedgerAccount.objects.filter(court_id=court_id, kind=AccountKind.BANK).values_list("pk", flat=True)
    other = (
        Entry.objects.filter(account_id__in=list(bank), transaction__posted_at__lt=_end_of(on))
        .exclude(transaction__kind="receipt")
        .aggregate(s=Sum("amount"))["s"]
    )
    return (received or ZERO) + (other or ZERO)


def ledger_movements(
    court_id: int, start: date, end: date, amounts: Iterable[Decimal] | None = None
) -> list[rc.Item]:
    """The custody account's movements with a value date in [start, end] (signed, + in, − out),
    each named by the reference the bank's statement shows: the receipt's bank transaction id, the
    payout's or the return's bank payment id, else the posting's key. `amounts`: only these."""
    only = None if amounts is None else list(amounts)
    recs = Receipt.objects.filter(court_id=court_id, value_date__range=(start, end))
    if only is not None:
        recs = recs.filter(amount__in=only)
    items = [
        rc.Item(t, d, a, "来款", n, acct)
        for t, d, a, n, acct in recs.values_list(
            "bank_txn_id", "value_date", "amount", "payer_name", "payer_account"
        ).iterator(chunk_size=20000)
    ]
    lo, hi = _end_of(start - timedelta(days=1)), _end_of(end)
    pays = Payout.objects.filter(
        court_id=court_id, status=Payout.Status.PAID, paid_at__gte=lo, paid_at__lt=hi
    )
    if only is not None:
        pays = pays.filter(amount__in=[-a for a in only])
    for pid, paid_at, amount, name, acct in pays.values_list(
        "bank_payment_id", "paid_at", "amount", "account_name", "account_no"
    ):
        # The Beijing day of the payment (the statement's day), not the UTC day of the stored instant.
        when = localtime.local_date(paid_at) if paid_at else start
        items.append(rc.Item(pid, when, -amount, "发款", name, acct))
    bank = LedgerAccount.objects.filter(court_id=court_id, kind=AccountKind.BANK).values_list("pk", flat=True)
    others = Entry.objects.filter(
        account_id__in=list(bank), transaction__posted_at__gte=lo, transaction__posted_at__lt=hi
    ).exclude(transaction__kind__in=["receipt", "payout"])
    if only is not None:
        others = others.filter(amount__in=only)
    rows = list(others.values_list("amount", "transaction__idempotency_key", "transaction__posted_at"))
    returned = {
        f"return:{pk}": (pid, name, acct)
        for pk, pid, name, acct in Receipt.objects.filter(
            pk__in=[int(k[7:]) for _, k, _ in rows if k.startswith("return:") and k[7:].isdigit()]
        ).values_list("pk", "return_payment_id", "payer_name", "payer_account")
    }
    for amount, key, posted in rows:
        pid, name, acct = returned.get(key, (key, "", ""))
        label = "不明款退回" if key in returned else "专户记账"
        items.append(rc.Item(pid or key, localtime.local_date(posted), amount, label, name, acct))
    return items


def _bank_items(imp: StatementImport) -> list[rc.Item]:
    from .statements import statement_items

    return statement_items(imp)


def missing_without_candidates(court_id: int, lines: Sequence[StatementLine]) -> list[StatementLine]:
    """Incoming lines the ledger knows neither by reference nor by a candidate of the same amount."""
    incoming = [ln for ln in lines if ln.amount > 0]
    if not incoming:
        return []
    known = set(
        Receipt.objects.filter(bank_txn_id__in=[ln.txn_id for ln in incoming]).values_list(
            "bank_txn_id", flat=True
        )
    )
    todo = [ln for ln in incoming if ln.txn_id not in known]
    if not todo:
        return []
    w = window_days()
    start, end = (
        min(ln.value_date for ln in todo) - timedelta(w),
        max(ln.value_date for ln in todo) + timedelta(w),
    )
    pool = ledger_movements(court_id, start, end, {ln.amount for ln in todo})
    return [
        ln
        for ln in todo
        if not rc.rank_candidates(rc.Item(ln.txn_id, ln.value_date, ln.amount, "", ln.payer_name), pool, w, 1)
    ]


def _cand(items: Iterable[rc.Item]) -> list[dict[str, str]]:
    return [
        {
            "ref": c.ref,
            "date": c.value_date.isoformat(),
            "amount": f"{c.amount:.2f}",
            "party": c.party,
            "label": c.label,
        }
        for c in items
    ]


def reconcile_statement(imp: StatementImport, source: str = "upload") -> Reconciliation:
    """Reconcile one imported statement (inside the import's transaction); returns the saved result."""
    day, court_id, w = imp.statement_date, imp.court_id, window_days()
    bank = _bank_items(imp)
    report = rc.reconcile(
        day,
        bank,
        ledger_movements(court_id, day, day),
        ledger_balance_on(court_id, day),
        imp.closing_balance,
        w,
    )
    bank_only = [d for d in report.differences if d.side == "bank_only"]
    if bank_only:  # candidates on the days around, too (a deduction booked the day before, …)
        today_refs = {i.ref for i in bank} | {d.item.ref for d in report.differences}
        pool = [
            i
            for i in ledger_movements(
                court_id, day - timedelta(w), day + timedelta(w), {d.item.amount for d in bank_only}
            )
            if i.value_date != day and i.ref not in today_refs
        ]
        for d in bank_only:
            d.candidates = rc.rank_candidates(d.item, [*d.candidates, *pool], w)
    # A difference finance already matched on an earlier import of this day stays matched.
    earlier = {
        (side, ref): (mref, mdate, by)
        for side, ref, mref, mdate, by in ReconciliationItem.objects.filter(
            reconciliation__court_id=court_id,
            status=ReconciliationItem.Status.MATCHED,
            ref__in=[d.item.ref for d in report.differences],
        ).values_list("side", "ref", "matched_ref", "matched_date", "resolved_by")
    }
    rec = Reconciliation.objects.create(
        court_id=court_id,
        statement=imp,
        statement_date=day,
        source=source,
        status=Reconciliation.Status.DIFFERENCES,
        ledger_balance=report.ledger_balance,
        bank_balance=report.bank_balance,
        matched=report.matched,
        difference_count=len(report.differences),
    )
    sub_accounts = {c[0]: str(c[6])[:32] for c in imp.lines if len(c) >= 7} if bank_only else {}
    rows = []
    for d in report.differences:
        mref, mdate, by = earlier.get((d.side, d.item.ref), ("", None, ""))
        to_account = sub_accounts.get(d.item.ref, "") if d.side == "bank_only" else ""
        memo = d.item.label
        if outside := outside_custody(court_id, to_account):
            memo = f"{outside}；摘要：{memo}" if memo else outside
        rows.append(
            ReconciliationItem(
                reconciliation=rec,
                side=d.side,
                ref=d.item.ref[:128],
                value_date=d.item.value_date,
                amount=d.item.amount,
                other_amount=d.other_amount,
                counterparty=d.item.party[:128],
                account=d.item.account[:64],
                to_account=to_account,
                memo=memo[:200],
                candidates=_cand(d.candidates),
                status=ReconciliationItem.Status.MATCHED if mref else ReconciliationItem.Status.OPEN,
                matched_ref=mref,
                matched_date=mdate,
                resolved_by=by,
                resolved_at=timezone.now() if mref else None,
            )
        )
    ReconciliationItem.objects.bulk_create(rows)
    settle(rec, recompute_balance=False)
    audit.record(
        None,
        "funds.reconcile",
        object_type="funds.Reconciliation",
        object_id=rec.pk,
        after={
            "date": day.isoformat(),
            "status": rec.status,
            "differences": rec.difference_count,
            "ledger_balance": rec.ledger_balance,
            "bank_balance": rec.bank_balance,
            "source": source,
        },
        court=imp.court,
    )
    return rec


def settle(rec: Reconciliation, *, recompute_balance: bool = True, actor: Any = None) -> Reconciliation:
    """Recompute the reconciliation's status (and the ledger balance as of its date), and raise or
    resolve the court's alert for that day. Runs inside the caller's transaction."""
    if recompute_balance:
        rec.ledger_balance = ledger_balance_on(rec.court_id, rec.statement_date)
    items = list(rec.items.all())
    result = rc.settle(rec.statement_date, rec.ledger_balance, rec.bank_balance, items)
    was = rec.status
    rec.status, rec.unexplained, rec.open_count = result.status, result.unexplained, result.open_count
    if result.status == Reconciliation.Status.CONFIRMED and was != result.status:
        rec.confirmed_by, rec.confirmed_at = (getattr(actor, "username", "") or "系统"), timezone.now()
    rec.save(
        update_fields=[
            "ledger_balance",
            "status",
            "unexplained",
            "open_count",
            "confirmed_by",
            "confirmed_at",
        ]
    )
    open_alerts = ReconciliationAlert.objects.filter(
        court_id=rec.court_id,
        statement_date=rec.statement_date,
        kind=ReconciliationAlert.Kind.DIFFERENCES,
        resolved_at__isnull=True,
    )
    if result.status == Reconciliation.Status.DIFFERENCES:
        message = f"{rec.statement_date:%Y-%m-%d} 银行对账有{result.open_count}笔差异未处理"
        if result.unexplained:
            message += f"，余额差额{result.unexplained:,.2f}元未能解释"
        if not open_alerts.update(reconciliation=rec, message=message[:200]):
            ReconciliationAlert.objects.create(
                court_id=rec.court_id,
                reconciliation=rec,
                statement_date=rec.statement_date,
                kind=ReconciliationAlert.Kind.DIFFERENCES,
                message=message[:200],
            )
    else:
        open_alerts.update(resolved_at=timezone.now())
        ReconciliationAlert.objects.filter(
            court_id=rec.court_id,
            statement_date=rec.statement_date,
            kind=ReconciliationAlert.Kind.UNAVAILABLE,
            resolved_at__isnull=True,
        ).update(resolved_at=timezone.now())
    return rec
