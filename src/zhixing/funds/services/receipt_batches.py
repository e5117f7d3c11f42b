"""Batched bank notices: many incoming transfers booked in one transaction with bulk statements.

The custody bank sends one signed batch notice (`POST /api/v1/funds/bank/notices/batch`, up to
`FUNDS_NOTICE_BATCH_MAX` transfers) when many transfers are pending. `book_incoming_batch()` books
it with the single notice's semantics per transfer — the same ledger postings (`receipt:<txn id>`),
`Receipt` rows, performance records (`funds.receipt:<txn id>`) and audit records — but with a
constant number of statements: one look-up per kind of row, one lock statement per account group,
one INSERT per table, one UPDATE of the balances, one audit head lock per court chain.

Idempotent per bank transaction id: a re-sent batch, a batch overlapping notices already booked
singly (or concurrently), or a transfer repeated inside the batch books nothing twice. The same id
with a different amount is a `Conflict` and the whole batch books nothing (the bank then falls back
to single notices for that batch).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from zhixing.cases.models import Payment
from zhixing.cases.services.performance import PaymentItem, record_payments
from zhixing.core import audit
from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.holidays import current_calendar

from .. import conf
from ..models import AccountKind, CaseAccount, Receipt
from ..rules import claim_due
from . import faults, ledger
from .accounts import (
    court_code_of,
    custody_by_number,
    custody_refs,
    prefix_owner,
    resolve_sub_account,
)
from .receipts import Incoming, _amount, check_incoming


@dataclass(frozen=True)
class BatchResult:
    """The receipt of every transfer in batch order, and how many were new."""

    receipts: list[Receipt]
    booked: int

    @property
    def duplicates(self) -> int:
        return len(self.receipts) - self.booked


@dataclass
class _Line:
    item: Incoming
    key: str
    amount: Decimal
    index: int = 0  # position in the batch, for errors naming ``notices[i]``
    court_id: int = 0
    case_id: int | None = None


def _parse(items: Sequence[Incoming], business_date: date | None = None) -> list[_Line]:
    """Validate every transfer first: a bad one names its position and nothing is booked."""
    limit = conf.notice_batch_max()
    if not items:
        raise ServiceError("批量来款通知中没有来款", field="notices")
    if len(items) > limit:
        raise ServiceError(f"批量来款通知最多{limit}笔，本次{len(items)}笔", field="notices")
    lines = []
    for i, raw in enumerate(items):
        item = check_incoming(raw, business_date=business_date, index=i)
        key = item.txn_id
        if not key:
            raise ServiceError(f"第{i + 1}笔来款缺少银行流水号", field=f"notices[{i}].txn_id")
        try:
            amount = _amount(item.amount)
        except ServiceError as exc:
            raise ServiceError(
                f"第{i + 1}笔来款（{key}）：{exc.message}", field=f"notices[{i}].amount"
            ) from exc
        lines.append(_Line(item, key, amount, i))
    return lines


def _resolve(lines: list[_Line]) -> None:
    """Court and case of every transfer, as `book_incoming` decides them (sub-account wins)."""
    by_no = custody_refs()[0]
    numbers = {"".join(ln.item.to_account.split()) for ln in lines} - {""}
    accounts = {
        a.number: a for a in CaseAccount.objects.select_related("custody").filter(number__in=list(numbers))
    }
    for ln in lines:
        i = ln.index
        number = "".join(ln.item.to_account.split())
        ref = by_no.get(ln.item.custody_account_no) or custody_by_number(ln.item.custody_account_no)
        opened = accounts.get(number)
        owner = prefix_owner(number) or (opened.custody.court_id if opened is not None else None)
        if ref is not None and owner not in (None, ref.court_id):
            raise ServiceError(
                f"第{i + 1}笔来款（{ln.key}）：专户账号{ref.account_no}与收款子账号{number}不属于同一法院",
                field=f"notices[{i}].to_account",
            )
        target: CaseAccount | None = accounts.get(number) if number else None
        if number and target is None:
            target = resolve_sub_account(number)  # a valid number not opened yet opens now (rare)
        if target is not None and not target.closed:
            ln.court_id, ln.case_id = target.custody.court_id, target.case_id
        elif ref is not None:
            ln.court_id = ref.court_id
        elif target is not None:
            ln.court_id = target.custody.court_id  # closed account, no custody named: its court's 不明款
        else:
            raise ServiceError(
                f"第{i + 1}笔来款（{ln.key}）无法识别收款账号：{ln.item.to_account or '（空）'}",
                field=f"notices[{i}].to_account",
            )


def _same(existing: dict[str, Receipt], lines: list[_Line]) -> None:
    for ln in lines:
        done = existing.get(ln.key)
        if done is not None and done.amount != ln.amount:
            raise Conflict(
                f"同一流水号{ln.key}已按{done.amount}元入账，本次金额{ln.amount}元不符", field="amount"
            )


Record = Callable[[list[_Line]], None]


def book_incoming_batch(
    items: Sequence[Incoming],
    source: str = "notice",
    actor: Any = None,
    *,
    business_date: date | None = None,
    record: Record | None = None,
) -> BatchResult:
    """Book a batch of incoming transfers in one transaction; see the module docstring.

    `business_date`: the day the bank signed the batch; each value date is checked against it.
    `record`: called (inside the caller's transaction) with the batch's distinct transfers, court and
    case resolved, before anything is booked — the inbox records a batch notice's transfers there
    (`inbox.receive_batch`) and raises `Conflict` for a txn id it holds with another amount.
    """
    lines = _parse(items, business_date)
    first: dict[str, _Line] = {}
    for ln in lines:
        twin = first.setdefault(ln.key, ln)
        if twin.amount != ln.amount:
            raise Conflict(
                f"批内流水号{ln.key}重复且金额不同（{twin.amount}元与{ln.amount}元）", field="amount"
            )
    unique = list(first.values())
    if record is not None:
        _resolve(unique)
        record(unique)
    existing = {r.bank_txn_id: r for r in Receipt.objects.filter(bank_txn_id__in=list(first))}
    _same(existing, unique)
    new = [ln for ln in unique if ln.key not in existing]
    if record is None:
        _resolve(new)
    specs: list[tuple[int, str, int | None]] = []
    for ln in new:
        specs.append((ln.court_id, AccountKind.BANK, None))
        credit = AccountKind.CASE if ln.case_id else AccountKind.UNIDENTIFIED
        specs.append((ln.court_id, credit, ln.case_id))
    accounts = ledger.accounts_for(specs)
    label = ledger.actor_label(actor)
    postings = []
    for ln in new:
        bank = accounts[ledger.account_key(ln.court_id, AccountKind.BANK)]
        credit_key = ledger.account_key(
            ln.court_id, AccountKind.CASE if ln.case_id else AccountKind.UNIDENTIFIED, ln.case_id
        )
        postings.append(
            ledger.Posting(
                key=f"receipt:{ln.key}",
                kind="receipt",
                court_id=ln.court_id,
                case_id=ln.case_id,
                lines=[(bank, ln.amount), (accounts[credit_key], -ln.amount)],
                memo=f"来款 {ln.item.payer_name} {ln.item.memo}".strip(),
                actor_name=label,
            )
        )
    rows = _receipt_rows(new, source)  # built before the locks are taken
    booked: list[Receipt] = []
    with transaction.atomic():
        created = ledger.post_many(postings) if postings else {}
        # Postings skipped by the ledger were booked by a concurrent twin that committed first.
        twins = [ln.key for ln in new if f"receipt:{ln.key}" not in created]
        if twins:
            existing.update({r.bank_txn_id: r for r in Receipt.objects.filter(bank_txn_id__in=twins)})
            _same(existing, new)
        fresh = [ln for ln in new if f"receipt:{ln.key}" in created]
        booked = _create_receipts([rows[ln.key] for ln in fresh])
        faults.point("receipt_batch.before_commit")
        _perform_and_audit(fresh, booked, source, actor)
    receipts = {**existing, **{r.bank_txn_id: r for r in booked}}
    return BatchResult([receipts[ln.key] for ln in lines], len(booked))


def _receipt_rows(lines: list[_Line], source: str) -> dict[str, Receipt]:
    workdays = conf.claim_workdays()
    rows = {}
    for ln in lines:
        it = ln.item
        rows[ln.key] = Receipt(
            court_id=ln.court_id,
            bank_txn_id=ln.key,
            source=source,
            amount=ln.amount,
            payer_name=it.payer_name[:128],
            payer_account=it.payer_account[:64],
            to_account=it.to_account[:32],
            memo=it.memo[:200],
            value_date=it.value_date,
            case_id=ln.case_id,
            status=Receipt.Status.BOOKED if ln.case_id else Receipt.Status.UNIDENTIFIED,
            claim_due=None if ln.case_id else claim_due(it.value_date, workdays, current_calendar()),
        )
    return rows


def _create_receipts(rows: list[Receipt]) -> list[Receipt]:
    created = Receipt.objects.bulk_create(rows)
    if any(r.pk is None for r in created):  # a backend without RETURNING on bulk insert
        saved = Receipt.objects.filter(bank_txn_id__in=[r.bank_txn_id for r in created])
        ids = dict(saved.values_list("bank_txn_id", "pk"))
        for r in created:
            r.pk = ids[r.bank_txn_id]
    return created


def _perform_and_audit(fresh: list[_Line], booked: list[Receipt], source: str, actor: Any) -> None:
    """Performance records for the case receipts, then one audit run per court chain (in code order)."""
    code = {ln.court_id: court_code_of(ln.court_id) or "" for ln in fresh}
    pay_source = Payment.Source.DEDUCTION if source == "deduction" else Payment.Source.RECEIPT
    record_payments(
        [
            # The debtor performed on the day the money reached the court (迟延履行利息解释 Art 3).
            PaymentItem(
                ln.case_id,
                ln.amount,
                ln.item.value_date,
                pay_source,
                f"funds.receipt:{ln.key}",
                court=code[ln.court_id] or None,
            )
            for ln in fresh
            if ln.case_id is not None
        ],
        actor=actor,
    )
    runs: dict[str, list[dict[str, Any]]] = {}
    for ln, rec in zip(fresh, booked, strict=True):
        runs.setdefault(code[ln.court_id], []).append(
            {
                "action": "funds.receipt",
                "object_type": "funds.Receipt",
                "object_id": rec.pk,
                "case_id": ln.case_id,
                "after": {"txn": ln.key, "amount": ln.amount, "status": rec.status, "source": source},
            }
        )
    for chain in sorted(runs):
        audit.record_many(actor, runs[chain], court=chain or None)
