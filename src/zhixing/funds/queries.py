"""Reads for case funds: the money page, finance queues, approvals, overdue payouts, director totals."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Min, Q, Sum

from zhixing.cases.models import EnforcementCase
from zhixing.core.holidays import current_calendar
from zhixing.courts.models import Court
from zhixing.courts.queries import court_scope_q, readable_courts

from .models import (
    AccountKind,
    CaseAccount,
    CustodyAccount,
    DistributionPlan,
    Entry,
    LedgerAccount,
    Payout,
    PayoutClock,
    Receipt,
)
from .rules import sub_account_number, warning_level

ZERO = Decimal("0.00")
# Payouts that no longer count against the payout deadline.
CLOSED_PAYOUTS = (Payout.Status.PAID, Payout.Status.REJECTED, Payout.Status.CANCELLED)


@dataclass
class CaseMoney:
    received: Decimal = ZERO
    fees: Decimal = ZERO
    costs: Decimal = ZERO
    paid: Decimal = ZERO
    sending: Decimal = ZERO
    held: Decimal = ZERO
    balance: Decimal = ZERO
    entries: list[Entry] = field(default_factory=list)
    entry_count: int = 0


def balance(case_id: int) -> Decimal:
    """O(1): the running balance row of the case account."""
    row = list(
        LedgerAccount.objects.filter(kind=AccountKind.CASE, case_id=case_id).values_list(
            "balance", flat=True
        )[:1]
    )
    return -row[0] if row else ZERO


def balance_by_sum(case_id: int) -> Decimal:
    """The naive way (sum over every entry); used to check the running total and as a baseline."""
    qs = Entry.objects.filter(account__kind=AccountKind.CASE, account__case_id=case_id)
    if connection.vendor == "postgresql":
        return -(qs.aggregate(s=Sum("amount"))["s"] or ZERO)
    # SQLite sums decimals as floating point: add the exact values here instead.
    return -sum(qs.values_list("amount", flat=True), ZERO)


def _q(value: Decimal | None) -> Decimal:
    """An aggregate rounded back to the fen (SQLite's SUM over decimals is floating point)."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


def case_money(case: EnforcementCase, limit: int = 200) -> CaseMoney:
    accounts = {
        a.kind: a
        for a in LedgerAccount.objects.filter(case_id=case.pk).exclude(
            kind__in=(AccountKind.PAYABLE, AccountKind.REFUND)
        )
    }
    sums = {
        k: -_q(v)
        for k, v in LedgerAccount.objects.filter(
            case_id=case.pk, kind__in=(AccountKind.PAYABLE, AccountKind.REFUND, AccountKind.REWARD)
        )
        .values_list("kind")
        .annotate(s=Sum("balance"))
    }
    received = _q(Receipt.objects.filter(case_id=case.pk).aggregate(s=Sum("amount"))["s"])
    paid = _q(
        Payout.objects.filter(case_id=case.pk, status=Payout.Status.PAID)
        .exclude(purpose=Payout.Purpose.DEPOSIT)  # bidders' money, never on the case account
        .aggregate(s=Sum("amount"))["s"]
    )
    case_acc = accounts.get(AccountKind.CASE)
    entries: list[Entry] = []
    if case_acc is not None:
        entries = list(
            Entry.objects.filter(account=case_acc).select_related("transaction").order_by("-pk")[:limit]
        )

    def nat(kind: str) -> Decimal:
        a = accounts.get(kind)
        return a.natural_balance if a else ZERO

    return CaseMoney(
        received=received,
        fees=nat(AccountKind.FEES),
        costs=nat(AccountKind.COSTS),
        paid=paid,
        sending=sum(sums.values(), ZERO),
        held=nat(AccountKind.HELD),
        balance=nat(AccountKind.CASE),
        entries=entries,
        entry_count=case_acc.entry_count if case_acc else 0,
    )


def case_account_of(case: EnforcementCase) -> CaseAccount | None:
    return CaseAccount.objects.select_related("custody").filter(case_id=case.pk).first()


@dataclass(frozen=True)
class AccountView:
    """What a page shows of a case's sub-account, whether or not it has been opened yet.

    The number is fixed by the court's custody account and the case id (`rules.sub_account_number`),
    so it can be shown — and paid into — before the account row exists: a transfer naming it opens
    it, and so does the first write that needs it (`services.case_account`). Reading never writes.
    """

    number: str
    custody: CustodyAccount
    opened: bool
    closed: bool = False


def account_view(case: EnforcementCase) -> AccountView | None:
    """The case's sub-account as it is or will be; None when the court has no custody account."""
    acc = case_account_of(case)
    if acc is not None:
        return AccountView(acc.number, acc.custody, True, acc.closed)
    custody = CustodyAccount.objects.filter(court_id=case.court_id).first()
    if custody is None:
        return None
    return AccountView(sub_account_number(custody.sub_prefix, case.pk), custody, False)


def money_held(case_id: int) -> tuple[Decimal, Decimal, Decimal, int]:
    """What the court still holds for a case: (balance, in transit to payees, held, open payouts)."""
    by_kind: dict[str, Decimal] = {}
    for kind, bal in LedgerAccount.objects.filter(
        case_id=case_id,
        kind__in=(
            AccountKind.CASE,
            AccountKind.PAYABLE,
            AccountKind.REFUND,
            AccountKind.REWARD,
            AccountKind.HELD,
        ),
    ).values_list("kind", "balance"):
        by_kind[kind] = by_kind.get(kind, ZERO) - bal  # all credit-normal
    open_payouts = Payout.objects.filter(
        case_id=case_id, status__in=(Payout.Status.PROPOSED, Payout.Status.APPROVED, Payout.Status.SENDING)
    ).count()
    in_transit = sum(
        (by_kind.get(k, ZERO) for k in (AccountKind.PAYABLE, AccountKind.REFUND, AccountKind.REWARD)), ZERO
    )
    return by_kind.get(AccountKind.CASE, ZERO), in_transit, by_kind.get(AccountKind.HELD, ZERO), open_payouts


def closing_veto(sender: Any, case: EnforcementCase, **kwargs: Any) -> str | None:
    """Receiver of `cases.services.lifecycle.closing_vetoes`: a case may not close holding money.

    Money on the case account, orders at the bank, amounts held (提存) and payouts not yet finished
    must be paid out, refunded or withdrawn first. Returns the Chinese reason, or None.
    """
    balance, in_transit, held, open_payouts = money_held(case.pk)
    parts = []
    if balance:
        parts.append(f"案款余额{balance:,.2f}元")
    if in_transit:
        parts.append(f"已发送银行待确认的发款{in_transit:,.2f}元")
    if held:
        parts.append(f"提存款{held:,.2f}元")
    if open_payouts:
        parts.append(f"{open_payouts}笔发款尚未办结")
    if not parts:
        return None
    return f"案款账户尚有款项未处理（{'，'.join(parts)}），请先发放、退还或撤回后再结案"


def case_receipts(case: EnforcementCase) -> list[Receipt]:
    return list(Receipt.objects.filter(case_id=case.pk).order_by("-value_date", "-pk")[:200])


def case_payouts(case: EnforcementCase) -> list[Payout]:
    return list(Payout.objects.filter(case_id=case.pk).select_related("proposed_by").order_by("-pk"))


def case_plans(case: EnforcementCase) -> list[DistributionPlan]:
    return list(DistributionPlan.objects.filter(case_id=case.pk).order_by("-pk"))


def unidentified_queue(user: Any, today: date) -> list[Receipt]:
    rows = list(
        Receipt.objects.filter(court_scope_q(user), status=Receipt.Status.UNIDENTIFIED)
        .select_related("court")
        .order_by("claim_due", "pk")[:500]
    )
    cal = current_calendar()
    for r in rows:
        r.color = warning_level(r.claim_due, today, cal, yellow_workdays=1)  # type: ignore[attr-defined]
    return rows


def returns_in_flight(user: Any) -> list[Receipt]:
    """Unidentified receipts whose return order went to the bank and awaits its answer (退回中)."""
    return list(
        Receipt.objects.filter(court_scope_q(user), status=Receipt.Status.RETURNING)
        .select_related("court")
        .order_by("pk")[:500]
    )


def payouts_to_send(user: Any) -> list[Payout]:
    return list(
        Payout.objects.filter(court_scope_q(user), status__in=(Payout.Status.APPROVED, Payout.Status.SENDING))
        .select_related("case", "court")
        .order_by("pk")[:500]
    )


def approvals_for(user: Any) -> list[Payout]:
    """Proposals waiting for this user's role at their court (not their own)."""
    court = getattr(user, "court", None)
    if court is None:
        return []
    rows = Payout.objects.filter(court=court, status=Payout.Status.PROPOSED).exclude(proposed_by=user)
    rows = rows.select_related("case", "proposed_by").order_by("pk")[:500]
    return [p for p in rows if p.chain[p.step] == user.role]


def overdue_payouts(user: Any, today: date) -> list[Payout]:
    rows = list(
        Payout.objects.filter(court_scope_q(user), due_on__lt=today)
        .exclude(status__in=CLOSED_PAYOUTS)
        .select_related("case", "court")
        .order_by("due_on")[:500]
    )
    return rows


@dataclass
class OverdueCase:
    case_id: int
    number: str
    court: str
    balance: Decimal
    arrived_on: date
    due_on: date


def overdue_cases(user: Any, today: date, limit: int = 500) -> list[OverdueCase]:
    """Cases holding money past its payout deadline, most overdue first (the first `limit` shown).

    Read from the payout clocks (one per receipt, `queries_holds`), which the scan keeps for every
    account: `balance` is the money overdue, `arrived_on`/`due_on` those of its oldest receipt.
    """
    rows = (
        PayoutClock.objects.filter(court_scope_q(user), status=PayoutClock.Status.RUNNING, due_on__lt=today)
        .values("case_id", "case__number", "court__name")
        .annotate(s=Sum("open_amount"), arrived=Min("arrived_on"), due=Min("due_on"))
        .order_by("due", "case_id")[:limit]
    )
    return [
        OverdueCase(r["case_id"], r["case__number"], r["court__name"], _q(r["s"]), r["arrived"], r["due"])
        for r in rows
    ]


@dataclass
class CourtTotals:
    court: Court
    held: Decimal
    cases_with_money: int
    unidentified: Decimal
    unidentified_count: int
    paid: Decimal
    overdue: int = 0


def director_totals(user: Any, today: date) -> list[CourtTotals]:
    courts = list(readable_courts(user))
    ids = [c.pk for c in courts]
    held: dict[int, dict[str, Any]] = {
        r["court_id"]: dict(r)
        for r in LedgerAccount.objects.filter(court_id__in=ids, kind=AccountKind.CASE)
        .values("court_id")
        .annotate(s=Sum("balance"), n=Count("pk", filter=Q(balance__lt=0)))
    }
    unid: dict[int, dict[str, Any]] = {
        r["court_id"]: dict(r)
        for r in Receipt.objects.filter(court_id__in=ids, status=Receipt.Status.UNIDENTIFIED)
        .values("court_id")
        .annotate(s=Sum("amount"), n=Count("pk"))
    }
    paid = dict(
        Payout.objects.filter(court_id__in=ids, status=Payout.Status.PAID)
        .values_list("court_id")
        .annotate(s=Sum("amount"))
    )
    over = dict(
        Payout.objects.filter(court_id__in=ids, due_on__lt=today)
        .exclude(status__in=CLOSED_PAYOUTS)
        .values_list("court_id")
        .annotate(n=Count("pk"))
    )
    none: dict[str, Any] = {}
    return [
        CourtTotals(
            court=c,
            held=-_q(held.get(c.pk, none).get("s")),
            cases_with_money=held.get(c.pk, none).get("n") or 0,
            unidentified=_q(unid.get(c.pk, none).get("s")),
            unidentified_count=unid.get(c.pk, none).get("n") or 0,
            paid=_q(paid.get(c.pk)),
            overdue=over.get(c.pk) or 0,
        )
        for c in courts
    ]


def bank_notice(txn_id: str) -> Any:
    """The single bank notice recorded in the inbox under this bank txn id, with its court (or None)."""
    from .models import BankNotice

    return BankNotice.objects.select_related("court").filter(txn_id=txn_id).first()


def bank_receipt_of_case(key: str, case_id: int) -> Decimal | None:
    """The amount the custody bank itself (a notice or statement line) booked to this case under this
    bank txn id, or None (auctions: a balance the buyer paid into the case's sub-account)."""
    return (
        Receipt.objects.filter(
            bank_txn_id=key, case_id=case_id, status=Receipt.Status.BOOKED, source__in=("notice", "statement")
        )
        .values_list("amount", flat=True)
        .first()
    )


def receipt_booked(key: str) -> bool:
    """Whether a receipt was booked under this bank transaction / idempotency key (one query)."""
    return Receipt.objects.filter(bank_txn_id=key).exists()
