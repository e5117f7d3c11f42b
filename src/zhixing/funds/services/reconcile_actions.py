"""What finance does with a reconciliation's differences, and the daily reconciliation run.

* `confirm_match` — a difference and one of its candidates are the same money (a deduction booked
  under the inquiry's key shows at the bank under the bank's id; a payment dated a day later): both
  sides are marked matched, audited, and the day's status recomputed.
* `book_line` — a statement line the ledger lacks is booked through the receipt service (as the lost
  bank notice would have been: to the case of its sub-account, else as 不明款).
* `reconcile_day` / `reconcile_all` — the daily task: for each court with a custody account, fetch
  each statement day's statement from the custody bank (`days_to_reconcile`), import it with the
  sandbox bank's built-in layout and reconcile it; a statement that cannot be fetched raises an
  "unavailable" alert instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.courts.models import Court
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Role

from .. import reconciliation as rc
from .. import statement_layouts as sl
from ..adapters import custody_bank
from ..models import CustodyAccount, Reconciliation, ReconciliationAlert, ReconciliationItem
from .receipts import Incoming, book_incoming
from .reconcile import settle

Item = ReconciliationItem


def _finance_of(actor: Any, court: Court) -> None:
    if not (can_write_court(actor, court) and getattr(actor, "role", "") == Role.FINANCE):
        raise NotPermitted("只有本院财务人员可以处理对账差异")


def _open_item(actor: Any, item_id: int) -> ReconciliationItem:
    item = (
        Item.objects.select_for_update(of=("self",))
        .select_related("reconciliation", "reconciliation__court")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise ServiceError("对账差异不存在", field="item")
    _finance_of(actor, item.reconciliation.court)
    if item.status != Item.Status.OPEN:
        raise Conflict(f"该差异已处理（{item.get_status_display()}）", field="item")
    return item


def confirm_match(actor: Any, item_id: int, ref: str) -> Reconciliation:
    """Finance confirms that difference `item_id` and its candidate `ref` are the same money."""
    with transaction.atomic():
        item = _open_item(actor, item_id)
        if item.side == Item.Side.AMOUNT:
            raise ServiceError("金额不符的差异不能确认匹配，请先更正账簿", field="ref")
        cand = next((c for c in item.candidates if c.get("ref") == ref), None)
        if cand is None:
            raise ServiceError("请从候选匹配中选择一笔", field="ref")
        court_id = item.reconciliation.court_id
        other_side = Item.Side.LEDGER_ONLY if item.side == Item.Side.BANK_ONLY else Item.Side.BANK_ONLY
        taken = (
            Item.objects.filter(
                reconciliation__court_id=court_id, side=item.side, status=Item.Status.MATCHED, matched_ref=ref
            )
            .values_list("ref", flat=True)
            .first()
        )
        if taken:
            raise Conflict(f"候选记录{ref}已与{taken}确认匹配", field="ref")
        now, who = timezone.now(), getattr(actor, "username", "")
        item.status, item.matched_ref, item.matched_date = (
            Item.Status.MATCHED,
            ref,
            date.fromisoformat(cand["date"]),
        )
        item.resolved_by, item.resolved_at = who, now
        item.save(update_fields=["status", "matched_ref", "matched_date", "resolved_by", "resolved_at"])
        # The candidate's own difference (this day's or another day's) is the same pair.
        twins = list(
            Item.objects.select_related("reconciliation").filter(
                reconciliation__court_id=court_id, side=other_side, ref=ref, status=Item.Status.OPEN
            )
        )
        Item.objects.filter(pk__in=[t.pk for t in twins]).update(
            status=Item.Status.MATCHED,
            matched_ref=item.ref,
            matched_date=item.value_date,
            resolved_by=who,
            resolved_at=now,
        )
        audit.record(
            actor,
            "funds.reconcile_match",
            object_type="funds.ReconciliationItem",
            object_id=item.pk,
            before={"status": "open"},
            after={"status": "matched", "ref": item.ref, "matched_ref": ref, "amount": item.amount},
            court=item.reconciliation.court,
        )
        for other in {t.reconciliation_id for t in twins} - {item.reconciliation_id}:
            settle(Reconciliation.objects.get(pk=other), actor=actor)
        return settle(item.reconciliation, actor=actor)


def book_line(actor: Any, item_id: int) -> Reconciliation:
    """Book a statement line the ledger lacks as the receipt its lost notice would have been."""
    with transaction.atomic():
        item = _open_item(actor, item_id)
        if item.side != Item.Side.BANK_ONLY or item.amount <= 0:
            raise ServiceError("只有银行有、账簿无的来款可以补记入账", field="item")
        custody = CustodyAccount.objects.filter(court_id=item.reconciliation.court_id).first()
        if custody is None:
            raise ServiceError("本院尚未设置执行款专户", field="custody")
        receipt = book_incoming(
            Incoming(
                txn_id=item.ref,
                amount=item.amount,
                value_date=item.value_date,
                to_account=item.to_account,
                payer_name=item.counterparty,
                payer_account=item.account,
                memo=f"对账补记 {item.memo}".strip()[:200],
                custody_account_no=custody.account_no,
            ),
            source="statement",
            actor=actor,
        )
        item.status, item.resolved_by, item.resolved_at = (
            Item.Status.BOOKED,
            getattr(actor, "username", ""),
            timezone.now(),
        )
        item.save(update_fields=["status", "resolved_by", "resolved_at"])
        audit.record(
            actor,
            "funds.reconcile_book",
            object_type="funds.ReconciliationItem",
            object_id=item.pk,
            before={"status": "open"},
            after={
                "status": "booked",
                "receipt": receipt.pk,
                "receipt_status": receipt.status,
                "amount": item.amount,
            },
            court=item.reconciliation.court,
        )
        return settle(item.reconciliation, actor=actor)


def raise_unavailable(court: Court, on: date, reason: str) -> ReconciliationAlert:
    """An alert that the day's statement could not be fetched (once per court and day while open)."""
    with transaction.atomic():
        alert = ReconciliationAlert.objects.filter(
            court=court,
            statement_date=on,
            kind=ReconciliationAlert.Kind.UNAVAILABLE,
            resolved_at__isnull=True,
        ).first()
        if alert is None:
            alert = ReconciliationAlert.objects.create(
                court=court,
                statement_date=on,
                kind=ReconciliationAlert.Kind.UNAVAILABLE,
                message=f"{on:%Y-%m-%d} 未能从托管银行取得对账单：{reason}"[:200],
            )
            audit.record(
                None,
                "funds.reconcile_unavailable",
                object_type="funds.ReconciliationAlert",
                object_id=alert.pk,
                after={"date": on.isoformat(), "reason": reason[:200]},
                court=court,
            )
    return alert


def reconcile_day(court: Court, on: date) -> Reconciliation | None:
    """Fetch the custody bank's statement of `on` and reconcile it; None when it could not be fetched.
    A day already reconciled from the bank is not fetched again."""
    from .statements import import_statement

    done = Reconciliation.objects.filter(
        court=court, statement_date=on, source=Reconciliation.Source.BANK
    ).first()
    if done is not None:
        return done
    custody = court.custody_account
    try:
        stmt = custody_bank.fetch_statement(custody.account_no, custody.sub_prefix, on)
        imp = import_statement(
            None,
            court,
            stmt.content,
            stmt.filename,
            layout=str(getattr(settings, "FUNDS_BANK_STATEMENT_LAYOUT", sl.SANDBOX)),
            source=Reconciliation.Source.BANK,
            statement_date=on,
            closing_balance=stmt.closing_balance,
        )
    except (custody_bank.BankUnavailable, custody_bank.StatementUnavailable) as exc:
        raise_unavailable(court, on, str(exc))
        return None
    except ServiceError as exc:
        raise_unavailable(court, on, exc.message)
        return None
    return imp.reconciliation


@dataclass
class DailyResult:
    days: list[date] = field(default_factory=list)
    reconciled: int = 0
    with_differences: int = 0
    unavailable: int = 0


def daily_plan(today: date) -> list[tuple[Court, date]]:
    """(court, day) pairs the daily run reconciles on `today` (courts with a custody account)."""
    days = rc.days_to_reconcile(today, current_calendar().is_workday)
    courts = list(
        Court.objects.filter(custody_account__isnull=False).select_related("custody_account").order_by("pk")
    )
    return [(c, d) for c in courts for d in days]


def reconcile_all(
    today: date, plan: list[tuple[Court, date]] | None = None, on_step: Callable[[], Any] | None = None
) -> DailyResult:
    """The daily run (Huey task and `manage.py funds_reconcile`); `on_step` is called per (court, day)."""
    result = DailyResult(days=sorted({d for _, d in plan}) if plan is not None else [])
    if plan is None:
        plan = daily_plan(today)
        result.days = sorted({d for _, d in plan})
    for court, day in plan:
        rec = reconcile_day(court, day)
        if rec is None:
            result.unavailable += 1
        else:
            result.reconciled += 1
            result.with_differences += rec.status == Reconciliation.Status.DIFFERENCES
        if on_step is not None:
            on_step()
    return result
