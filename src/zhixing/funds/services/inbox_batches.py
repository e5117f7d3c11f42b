"""Batch notices go through the durable inbox too: one record per bank transaction id, whoever sent it.

A single notice is recorded in the inbox (`inbox.receive_notice`) and booked behind it; a batch
notice is booked at once (`receipt_batches.book_incoming_batch`). Both must agree on what a txn id
is worth, under concurrency: the first message to record a txn id wins and a later one naming it
with another amount answers 409, nothing booked. So `receive_batch`, in the batch's transaction and
before anything is booked, inserts an inbox row for each of its transfers (``INSERT … ON CONFLICT
(txn_id) DO NOTHING RETURNING txn_id``, in txn-id order so two batches never wait on each other in
a cycle) and compares the amount of every txn id the inbox already holds. The unique txn id is the
lock: a single notice arriving while the batch is uncommitted waits on its row and then answers 409
(another amount) or the batch's booking (same amount); a batch arriving after a single notice was
acknowledged sees its row. The rows the batch inserted are marked booked/unidentified in the same
transaction; a row it found still `received` (a single notice not yet drained) is left to the
drainer, which finds the receipt and marks it booked (updating it here could wait on a drainer that
waits on this batch's ledger locks).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone

from zhixing.core.errors import Conflict

from ..models import BankNotice, Receipt
from .accounts import custody_no_of
from .inbox import _COLUMNS
from .receipt_batches import BatchResult, _Line, book_incoming_batch
from .receipts import Incoming


def _insert_many(rows: list[BankNotice]) -> set[str]:
    """INSERT the rows whose txn id the inbox lacks; the txn ids inserted. One statement."""
    if not rows:
        return set()
    fields = [f for name in _COLUMNS if isinstance(f := BankNotice._meta.get_field(name), Field)]
    cols = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    one = f"({', '.join(['%s'] * len(fields))})"
    params = [f.get_db_prep_save(getattr(row, f.attname), connection) for row in rows for f in fields]
    table = connection.ops.quote_name(BankNotice._meta.db_table)
    txn = connection.ops.quote_name(str(BankNotice._meta.get_field("txn_id").column))
    # Table and column names come from the model (quoted); every value is a bound parameter.
    sql = (
        f"INSERT INTO {table} ({cols}) VALUES {', '.join([one] * len(rows))} "  # noqa: S608
        f"ON CONFLICT (txn_id) DO NOTHING RETURNING {txn}"
    )
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return {str(r[0]) for r in cur.fetchall()}


def receive_batch(
    items: Sequence[Incoming], *, business_date: date | None, idempotency_key: str = ""
) -> BatchResult:
    """Book a batch notice (see the module docstring): its transfers recorded in the inbox first."""
    inserted: set[str] = set()

    def record(lines: list[_Line]) -> None:
        at = timezone.now()
        rows = [
            BankNotice(
                txn_id=ln.key,
                court_id=ln.court_id,
                custody_account_no=ln.item.custody_account_no or custody_no_of(ln.court_id),
                amount=ln.amount,
                value_date=ln.item.value_date,
                to_account=ln.item.to_account,
                payer_name=ln.item.payer_name,
                payer_account=ln.item.payer_account,
                memo=ln.item.memo,
                idempotency_key=(idempotency_key or ln.key)[:128],
                status=BankNotice.Status.RECEIVED,
                received_at=at,
            )
            for ln in sorted(lines, key=lambda ln: ln.key)
        ]
        inserted.update(_insert_many(rows))
        known = dict(
            BankNotice.objects.filter(
                txn_id__in=[ln.key for ln in lines if ln.key not in inserted]
            ).values_list("txn_id", "amount")
        )
        for ln in lines:
            if ln.key in known and known[ln.key] != ln.amount:
                was, now = known[ln.key], ln.amount
                raise Conflict(
                    f"第{ln.index + 1}笔来款：同一流水号{ln.key}已按{was}元受理，本次金额{now}元不符",
                    field="amount",
                )

    with transaction.atomic():
        result = book_incoming_batch(items, source="notice", business_date=business_date, record=record)
        mine = [r for r in result.receipts if r.bank_txn_id in inserted]
        booked = [r.bank_txn_id for r in mine if r.status == Receipt.Status.BOOKED and r.case_id is not None]
        now = timezone.now()
        BankNotice.objects.filter(txn_id__in=booked).update(status=BankNotice.Status.BOOKED, booked_at=now)
        rest = [r.bank_txn_id for r in mine if r.bank_txn_id not in set(booked)]
        BankNotice.objects.filter(txn_id__in=rest).update(
            status=BankNotice.Status.UNIDENTIFIED, booked_at=now
        )
    return result
