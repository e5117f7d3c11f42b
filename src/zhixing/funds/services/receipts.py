"""Receipts: bank notices, statement lines and deductions book once per bank transaction id.

A transfer to an open case sub-account books to that case (Dr custody bank / Cr case). Anything else
books to the court's unidentified-receipts account (不明款) with a claim deadline; finance claims it to a
case or returns it. `book_receipt()` is the entry point other domains use (e.g. the inquiry domain's
deductions), keyed by an idempotency key so a retry never books twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from zhixing.cases.models import EnforcementCase, Payment
from zhixing.cases.services import record_payment
from zhixing.core import audit, localtime
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.core.money import AmountError, parse_amount
from zhixing.courts.models import Court
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Role

from .. import conf, formats
from ..models import AccountKind, CaseAccount, Receipt
from ..rules import claim_due, value_date_window
from . import faults, ledger
from .accounts import case_account, court_code_of, custody_by_number, outside_custody, resolve_sub_account


@dataclass(frozen=True)
class Incoming:
    """One incoming transfer as the bank (notice or statement line) describes it."""

    txn_id: str
    amount: Any
    value_date: date
    to_account: str = ""
    payer_name: str = ""
    payer_account: str = ""
    memo: str = ""
    custody_account_no: str = ""


logger = logging.getLogger(__name__)

# The text an incoming transfer carries: field, label, longest accepted (the columns' widths).
INCOMING_TEXT = (
    ("txn_id", "银行流水号", 128),
    ("to_account", "收款子账号", 32),
    ("payer_name", "付款人户名", 128),
    ("payer_account", "付款账号", 64),
    ("memo", "附言", 200),
    ("custody_account_no", "专户账号", 32),
)


def check_incoming(
    item: Incoming, *, business_date: date | None = None, index: int | None = None
) -> Incoming:
    """The transfer with every text field checked, and its value date if the bank sent it now.

    Text: no control characters (PostgreSQL rejects NUL) and no longer than its column — a 422 on the
    field (``notices[i].<field>`` for transfer `index` of a batch) and nothing booked. With
    `business_date` (the day the bank signed the notice) the value date must lie in
    `rules.value_date_window`: not after the next working day(s) of the bank's cut-off, not more than
    `FUNDS_NOTICE_MAX_AGE_DAYS` back.
    """
    where = "" if index is None else f"notices[{index}]."
    label_prefix = "" if index is None else f"第{index + 1}笔来款："
    cleaned = {}
    for name, label, longest in INCOMING_TEXT:
        try:
            cleaned[name] = formats.clean_text(getattr(item, name), f"{where}{name}", label, longest)
        except ServiceError as exc:
            raise ServiceError(label_prefix + exc.message, field=exc.field) from None
    if business_date is not None:
        earliest, latest = value_date_window(
            business_date,
            current_calendar(),
            ahead_workdays=conf.notice_ahead_workdays(),
            max_age_days=conf.notice_max_age_days(),
        )
        if not earliest <= item.value_date <= latest:
            raise ServiceError(
                f"{label_prefix}到账日期{item.value_date:%Y-%m-%d}不在银行营业日{business_date:%Y-%m-%d}"
                f"允许的范围内（{earliest:%Y-%m-%d}至{latest:%Y-%m-%d}）",
                field=f"{where}value_date",
            )
    return Incoming(amount=item.amount, value_date=item.value_date, **cleaned)


def _amount(value: Any) -> Decimal:
    try:
        return parse_amount(value, field="金额", allow_zero=False)
    except AmountError as exc:
        raise ServiceError(str(exc), field="amount") from exc


def book_receipt(
    *,
    idempotency_key: str,
    amount: Any,
    value_date: date,
    court: Court | int | None = None,
    case: EnforcementCase | None = None,
    to_account: str = "",
    payer_name: str = "",
    payer_account: str = "",
    memo: str = "",
    source: str = "deduction",
    actor: Any = None,
) -> Receipt:
    """Book money that arrived in the custody account, once per `idempotency_key`.

    Give `case` when the payer is known (a deduction for a case), else `to_account` (the sub-account
    number the payer used); with neither, or a number that names no open case account, the money is
    an unidentified receipt of `court`.
    """
    amt = _amount(amount)
    key = (idempotency_key or "").strip()
    if not key:
        raise ServiceError("缺少幂等键（银行流水号）", field="idempotency_key")
    target: CaseAccount | None = None
    if case is not None:
        target = case_account(case)
    elif to_account:
        target = resolve_sub_account(to_account)
    court_id = court if isinstance(court, int) or court is None else court.pk
    item = check_incoming(Incoming(key, amt, value_date, to_account, payer_name, payer_account, memo))
    return _book(item, amt, court_id, target, source, actor)


def _book(
    item: Incoming, amt: Decimal, court_id: int | None, target: CaseAccount | None, source: str, actor: Any
) -> Receipt:
    """Book one receipt whose amount, court and target are resolved (shared by notices and callers)."""
    key, value_date = item.txn_id, item.value_date
    payer_name, payer_account, to_account, memo = (
        item.payer_name,
        item.payer_account,
        item.to_account,
        item.memo,
    )
    # No "already booked?" read up front: `ledger.post` re-checks the key under the account locks
    # anyway, so a first delivery (the common case) saves a query and a retry still books nothing.
    if target is not None and target.closed:
        # A closed sub-account receives nothing: the money is 不明款 of the custody account's court.
        court_id, target = court_id or target.custody.court_id, None
    if target is not None:
        court_id = target.custody.court_id
    elif court_id is None:
        done = Receipt.objects.filter(bank_txn_id=key).first()  # a retry of something booked before
        if done is not None:
            return _same(done, amt)
        raise ServiceError("无法确定收款法院：子账号无效且未指明专户", field="to_account")
    if target is not None:
        status, case_id, due = Receipt.Status.BOOKED, target.case_id, None
        credit_kind = AccountKind.CASE
    else:
        status, case_id = Receipt.Status.UNIDENTIFIED, None
        due = claim_due(value_date, conf.claim_workdays(), current_calendar())
        credit_kind = AccountKind.UNIDENTIFIED
    chain = court_code_of(court_id)  # cached: the audit chain without a query
    bank, credit = ledger.get_accounts(court_id, [(AccountKind.BANK, None), (credit_kind, case_id)])
    with transaction.atomic():
        _txn, created = ledger.post(
            key=f"receipt:{key}",
            kind="receipt",
            court=court_id,
            case_id=case_id,
            lines=[(bank, amt), (credit, -amt)],
            memo=f"来款 {payer_name} {memo}".strip(),
            actor_name=ledger.actor_label(actor),
        )
        if not created:
            return _same(Receipt.objects.get(bank_txn_id=key), amt)
        faults.point("receipt.before_commit")
        rec = Receipt.objects.create(
            court_id=court_id,
            bank_txn_id=key,
            source=source,
            amount=amt,
            payer_name=payer_name[:128],
            payer_account=payer_account[:64],
            to_account=to_account[:32],
            memo=memo[:200],
            value_date=value_date,
            case_id=case_id,
            status=status,
            claim_due=due,
        )
        if case_id is not None:
            # The debtor performed on the day the money reached the court (迟延履行利息解释 Art 3).
            record_payment(
                case_id,
                amt,
                value_date,
                source=Payment.Source.DEDUCTION if source == "deduction" else Payment.Source.RECEIPT,
                reference=f"funds.receipt:{key}",
                actor=actor,
                court=chain,
            )
        audit.record(
            actor,
            "funds.receipt",
            object_type="funds.Receipt",
            object_id=rec.pk,
            case_id=case_id,
            after={"txn": key, "amount": amt, "status": status, "source": source},
            court=chain,
        )
    return rec


def _same(done: Receipt, amt: Decimal) -> Receipt:
    if done.amount != amt:
        raise Conflict(
            f"同一流水号{done.bank_txn_id}已按{done.amount}元入账，本次金额{amt}元不符", field="amount"
        )
    return done


def book_incoming(
    item: Incoming, source: str, actor: Any = None, *, business_date: date | None = None
) -> Receipt:
    """A bank notice or statement line: the court is the custody account's (or the sub-account's).

    A line naming a custody account and a sub-account of another court's custody account is refused
    (`ServiceError` on `to_account`): money in one court's account never books into another's case.

    Give `business_date` for a bank notice (the day the bank signed it): its value date is checked.
    """
    item = check_incoming(item, business_date=business_date)
    ref = custody_by_number(item.custody_account_no)
    court_id = ref.court_id if ref else None
    if court_id is None and not item.to_account:
        raise ServiceError("来款未指明专户账号或子账号", field="to_account")
    if court_id is not None and (outside := outside_custody(court_id, item.to_account)):
        # Checked before the sub-account is resolved: resolving would open the other court's account.
        raise ServiceError(outside, field="to_account")
    target = resolve_sub_account(item.to_account) if item.to_account else None
    if court_id is None and target is None:
        raise ServiceError(f"无法识别的收款账号：{item.to_account}", field="to_account")
    key = (item.txn_id or "").strip()
    if not key:
        raise ServiceError("缺少幂等键（银行流水号）", field="idempotency_key")
    return _book(
        Incoming(
            key, item.amount, item.value_date, item.to_account, item.payer_name, item.payer_account, item.memo
        ),
        _amount(item.amount),
        court_id,
        target,
        source,
        actor,
    )


def require_finance(actor: Any, court_id: int) -> None:
    """Only the court's finance staff claim or return unidentified receipts."""
    court = Court.objects.get(pk=court_id)
    if not (can_write_court(actor, court) and getattr(actor, "role", "") == Role.FINANCE):
        raise NotPermitted("只有本院财务人员可以认领或退回不明款")


def claim_receipt(actor: Any, receipt_id: int, case: EnforcementCase) -> Receipt:
    """Finance claims an unidentified receipt to a case of the same court."""
    with transaction.atomic():
        rec = Receipt.objects.select_for_update().get(pk=receipt_id)
        require_finance(actor, rec.court_id)
        if rec.status != Receipt.Status.UNIDENTIFIED:
            raise Conflict("该来款不是待认领的不明款", field="receipt")
        if case.court_id != rec.court_id:
            raise ServiceError("只能认领到本院案件", field="case")
        acc = case_account(case)
        if acc.closed:
            raise Conflict("该案款账户已销户", field="case")
        ledger.post(
            key=f"claim:{rec.pk}",
            kind="claim",
            court=rec.court_id,
            case_id=case.pk,
            lines=[
                (ledger.get_account(rec.court_id, AccountKind.UNIDENTIFIED), rec.amount),
                (ledger.get_account(rec.court_id, AccountKind.CASE, case.pk), -rec.amount),
            ],
            memo=f"不明款认领 {rec.bank_txn_id}",
            actor_name=ledger.actor_label(actor),
        )
        rec.status, rec.case = Receipt.Status.CLAIMED, case
        rec.save(update_fields=["status", "case"])
        record_payment(
            case.pk,
            rec.amount,
            rec.value_date,
            source=Payment.Source.CLAIM,
            reference=f"funds.claim:{rec.pk}",
            actor=actor,
        )
        audit.record(
            actor,
            "funds.claim",
            object_type="funds.Receipt",
            object_id=rec.pk,
            case_id=case.pk,
            before={"status": "unidentified"},
            after={"status": "claimed"},
        )
    return rec


# rule
def book_deductions(limit: int = 500) -> int:
    """Book every confirmed online deduction (网络扣划) into its case account.

    The inquiry capability records each confirmed deduction as a receivable with an idempotency key;
    booking uses that key, so a crash between booking and marking the receivable booked re-books
    nothing on the next run.
    """
    from zhixing.inquiry import queries as inquiry_queries
    from zhixing.inquiry import services as inquiry_services

    count = 0
    for rec in inquiry_queries.unbooked_deductions(limit):
        try:
            receipt = book_receipt(
                idempotency_key=rec.idempotency_key,
                amount=rec.amount,
                value_date=localtime.local_date(rec.created_at),  # Beijing day, not UTC
                court=rec.case.court,
                case=rec.case,
                payer_name=rec.payer_bank,
                memo="网络查控扣划",
                source="deduction",
            )
        except ServiceError as exc:
            # E.g. the court has no custody account yet: leave it unbooked and keep going with the rest.
            logger.warning("deduction %s not booked: %s", rec.idempotency_key, exc.message)
            continue
        inquiry_services.mark_deduction_booked(None, rec.pk, receipt.bank_txn_id)
        count += 1
    return count
