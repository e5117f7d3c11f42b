"""执行款孳息: finance records the bank's interest credit for a period; it is allocated to the cases by
their average daily balance over the period (or kept off the cases), posted to the ledger, audited.

Recording and allocating are two steps: `record_interest_credit` (finance, audited) stores the credit
as pending and queues its allocation after commit; `allocate_interest_credit` (the task, or the periodic
sweep `allocate_pending_credits` after a restart) computes every case's balance-days from the ledger
(day-end balances, China time), splits the amount to the fen (`interest_rules.split_interest`) and posts
one balanced transaction: the bank account is debited with the interest, each case account (or, for the
part not allocated to a case, the INTEREST account) credited with its share. Idempotent on the credit.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from zhixing.core import audit, work
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Role

from .. import conf, formats
from ..interest_rules import balance_days, split_interest
from ..models import AccountKind, Entry, InterestAllocation, InterestCredit
from . import ledger
from .receipts import _amount

__all__ = ["allocate_interest_credit", "allocate_pending_credits", "record_interest_credit"]

ALLOCATE = "funds.interest_allocate"  # the work hook `funds.tasks` installs (core.work)
RECORD_ROLES = {Role.FINANCE}
MAX_PERIOD_DAYS = 400  # a bank settles interest quarterly (or yearly): anything longer is a typo


def record_interest_credit(
    actor: Any,
    *,
    period_start: date,
    period_end: date,
    amount: Any,
    bank_reference: str,
    note: str = "",
) -> InterestCredit:
    """Finance records the interest the bank credited to the court's custody account for a period."""
    court = getattr(actor, "court", None)
    if court is None or getattr(actor, "role", "") not in RECORD_ROLES or not can_write_court(actor, court):
        raise NotPermitted("只有本院财务人员可以登记执行款孳息")
    amt = _amount(amount)
    ref = formats.clean_text(bank_reference, "bank_reference", "银行结息流水号", 64, required=True)
    note = formats.clean_text(note, "note", "说明", 200)
    if period_end < period_start:
        raise ServiceError("计息止日不能早于起日", field="period_end")
    if period_end > timezone.localdate():
        raise ServiceError("计息止日不能晚于今天", field="period_end")
    if (period_end - period_start).days + 1 > MAX_PERIOD_DAYS:
        raise ServiceError(f"计息期间不能超过{MAX_PERIOD_DAYS}天", field="period_start")
    policy = conf.interest_policy()
    with transaction.atomic():
        if InterestCredit.objects.filter(court=court, bank_reference=ref).exists():
            raise Conflict(f"银行结息流水号{ref}已登记", field="bank_reference")
        overlap = InterestCredit.objects.filter(
            court=court, period_start__lte=period_end, period_end__gte=period_start
        ).first()
        if overlap is not None:
            raise Conflict(
                f"计息期间与已登记的{overlap.period_start}至{overlap.period_end}重叠", field="period_start"
            )
        credit = InterestCredit.objects.create(
            court=court,
            period_start=period_start,
            period_end=period_end,
            amount=amt,
            bank_reference=ref,
            policy=policy,
            note=note,
            recorded_by=actor,
        )
        audit.record(
            actor,
            "funds.interest_record",
            object_type="funds.InterestCredit",
            object_id=credit.pk,
            after={"period": [period_start, period_end], "amount": amt, "reference": ref, "policy": policy},
            court=court,
        )
        work.due(ALLOCATE, credit.pk)  # funds.tasks installs the hook; the sweep is the fallback
    return credit


def _day_bounds(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min))


def case_balance_days(court_id: int, start: date, end: date) -> dict[int, Decimal]:
    """Balance-days of every case account of the court over [start, end] (day-end balances)."""
    base = Entry.objects.filter(account__court_id=court_id, account__kind=AccountKind.CASE)
    opening = {
        row["account__case_id"]: -(row["s"] or Decimal(0))
        for row in base.filter(transaction__posted_at__lt=_day_bounds(start))
        .values("account__case_id")
        .annotate(s=Sum("amount"))
    }
    deltas: dict[int, dict[date, Decimal]] = {}
    within = (
        base.filter(
            transaction__posted_at__gte=_day_bounds(start),
            transaction__posted_at__lt=_day_bounds(end + timedelta(days=1)),
        )
        .annotate(day=TruncDate("transaction__posted_at", tzinfo=timezone.get_current_timezone()))
        .values("account__case_id", "day")
        .annotate(s=Sum("amount"))
    )
    for row in within:
        deltas.setdefault(row["account__case_id"], {})[row["day"]] = -(row["s"] or Decimal(0))
    out: dict[int, Decimal] = {}
    for case_id in set(opening) | set(deltas):
        if case_id is None:
            continue
        out[case_id] = balance_days(opening.get(case_id, Decimal(0)), deltas.get(case_id, {}), start, end)
    return out


def allocate_interest_credit(credit_id: int, actor: Any = None) -> InterestCredit:
    """Allocate one pending credit (no-op when already allocated)."""
    with transaction.atomic():
        credit = (
            InterestCredit.objects.select_for_update(of=("self",)).select_related("court").get(pk=credit_id)
        )
        if credit.status == InterestCredit.Status.ALLOCATED:
            return credit
        days = (credit.period_end - credit.period_start).days + 1
        weights = case_balance_days(credit.court_id, credit.period_start, credit.period_end)
        shares = split_interest(credit.amount, weights, to_cases=credit.policy == InterestCredit.Policy.CASES)
        bank = ledger.get_account(credit.court_id, AccountKind.BANK)
        lines = [(bank, credit.amount)]
        for s in shares:
            if s.amount == 0:
                continue
            target = (
                ledger.get_account(credit.court_id, AccountKind.CASE, s.case_id)
                if s.case_id is not None
                else ledger.get_account(credit.court_id, AccountKind.INTEREST)
            )
            lines.append((target, -s.amount))
        if credit.amount > 0:
            ledger.post(
                key=f"interest:{credit.pk}",
                kind="interest",
                court=credit.court_id,
                lines=lines,
                memo=f"执行款孳息 {credit.period_start}至{credit.period_end}（{credit.bank_reference}）",
                actor_name=ledger.actor_label(actor) if actor else "系统",
            )
        InterestAllocation.objects.bulk_create(
            [
                InterestAllocation(
                    credit=credit,
                    case_id=s.case_id,
                    balance_days=s.balance_days,
                    average_balance=(s.balance_days / days).quantize(Decimal("0.01")),
                    amount=s.amount,
                )
                for s in shares
            ]
        )
        credit.status = InterestCredit.Status.ALLOCATED
        credit.allocated_at = timezone.now()
        credit.cases_count = sum(1 for s in shares if s.case_id is not None)
        credit.save(update_fields=["status", "allocated_at", "cases_count"])
        audit.record(
            actor,
            "funds.interest_allocate",
            object_type="funds.InterestCredit",
            object_id=credit.pk,
            before={"status": InterestCredit.Status.PENDING},
            after={
                "status": credit.status,
                "policy": credit.policy,
                "cases": credit.cases_count,
                "to_cases": sum((s.amount for s in shares if s.case_id is not None), Decimal("0.00")),
                "not_to_cases": sum((s.amount for s in shares if s.case_id is None), Decimal("0.00")),
            },
            court=credit.court,
        )
    return credit


def allocate_pending_credits(limit: int = 50) -> int:
    """The sweep: allocate credits still pending (a queued task lost in a restart)."""
    ids = list(
        InterestCredit.objects.filter(status=InterestCredit.Status.PENDING)
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        allocate_interest_credit(pk)
    return len(ids)
