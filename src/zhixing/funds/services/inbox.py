"""The durable inbox of single bank notices: acknowledge once recorded, book in batches behind it.

Banks notify one transfer per request. Booking each one on its own (ledger locks, receipt, payment
record, audit head per request) caps the single-notice path at about 150/s; booking them in batches
does not. So a single notice is handled in two steps:

1. **Receive** (`receive_notice`, in the request): the signature was checked by the caller (the API),
   here the body is checked exactly as before (`receipts.check_incoming`: text, amount, value-date
   window) and the court is found from the custody account number or the sub-account's prefix (the
   per-process custody cache: no query). Then ONE statement, ``INSERT … SELECT … WHERE NOT EXISTS (a
   receipt of that txn id with another amount) ON CONFLICT (txn_id) DO NOTHING RETURNING id``, in
   autocommit: the row is committed (on PostgreSQL with
   ``synchronous_commit=on`` it is on disk; on SQLite the insert runs with ``synchronous=FULL``) before
   the bank gets its 200. A repeated notice (same txn id) inserts nothing and answers the same
   acknowledgment with its current status; the same txn id with another amount — in the inbox (a
   single or batch notice, `inbox_batches`) or booked by a statement line or deduction — is a 409 at once.
   Bad notices still get their error synchronously (401 signature, 422 naming the field, 422 for an
   account naming no court); a sub-account naming no open case account is not an error — at booking
   it becomes the court's unidentified receipt (不明款), as before.
2. **Book** (`drain`, in the background): received rows are taken in arrival order, at most
   `FUNDS_NOTICE_BATCH_MAX` at a time, with ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL (several
   booker threads and machines each take different rows; SQLite's IMMEDIATE transactions admit one
   writer, so there is a single drainer at a time there), booked through
   `receipt_batches.book_incoming_batch` in the same transaction, and marked booked/unidentified.
   A notice whose txn id was booked before by another path (batch notice, statement import,
   deduction) with the same amount is simply marked booked; with another amount it is marked
   `conflict` with the reason (no money moves). If a batch is refused (`ServiceError`), it is split in
   halves until the refused notice is alone, so one bad notice never holds up the others.

Exactly once: a row is committed before the acknowledgment (never lost); the booking and the row's
status change commit together, and the ledger's unique key ``receipt:<txn id>`` refuses a second
posting whoever tries (a crash between booking and marking rolls both back; a second booker books
nothing). Triggered right after the insert commits (`core.work.due` → the hook `funds.tasks` installs:
a Huey task, at most one per web process per `FUNDS_INBOX_KICK_MS`; the task keeps draining until the
inbox has been empty for that long, so a notice whose kick was skipped is still taken) and by a
periodic task every minute as a safety net.

Audit: a notice is audited **when it is booked**, in the booking transaction: the batch service
appends one ``funds.receipt`` record per new receipt (with the txn id, amount, status and source
``notice``), one run per court chain. A notice refused at booking (conflict) gets a
``funds.notice_conflict`` record. The acknowledgment itself is not audited separately: the inbox row
is the bank-signed record of what arrived and when (`received_at`, the message's Idempotency-Key);
auditing it would take the court's chain head on every request and serialise the courts' notices again.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone

from zhixing.core import audit, work
from zhixing.core.errors import Conflict, ServiceError

from .. import conf
from ..models import BankNotice, Receipt
from .accounts import court_code_of, custody_by_number, custody_refs, resolve_sub_account, sub_account_owner
from .receipt_batches import book_incoming_batch
from .receipts import Incoming, _amount, check_incoming

KICK = "funds.inbox"


@dataclass(frozen=True)
class Ack:
    """What the bank is told: its notice is recorded (and how far booking has got)."""

    notice_id: int
    txn_id: str
    status: str
    receipt_id: int | None = None
    case_id: int | None = None


def _custody_of(item: Incoming) -> tuple[int, str]:
    """(court id, custody account number) of a notice, from the cache unless the number is unknown."""
    ref = custody_by_number(item.custody_account_no)
    if ref is None and not item.to_account:
        raise ServiceError("来款未指明专户账号或子账号", field="to_account")
    if ref is not None and sub_account_owner(item.to_account) not in (None, ref.court_id):
        raise ServiceError(
            f"专户账号{ref.account_no}与收款子账号{''.join(item.to_account.split())}不属于同一法院，"
            "通知不予受理，请银行核对后重发",
            field="to_account",
        )
    if ref is None:
        number = "".join(item.to_account.split())
        by_prefix = [r for r in custody_refs()[0].values() if number.startswith(r.sub_prefix)]
        if by_prefix:
            ref = max(by_prefix, key=lambda r: len(r.sub_prefix))
        else:
            acc = resolve_sub_account(number)  # an account opened under a prefix since changed
            if acc is None:
                raise ServiceError(f"无法识别的收款账号：{item.to_account}", field="to_account")
            ref = custody_refs()[1].get(acc.custody.court_id)
            if ref is None:
                raise ServiceError(f"无法识别的收款账号：{item.to_account}", field="to_account")
    return ref.court_id, ref.account_no


_COLUMNS = (
    "txn_id",
    "court",
    "custody_account_no",
    "amount",
    "value_date",
    "to_account",
    "payer_name",
    "payer_account",
    "memo",
    "idempotency_key",
    "status",
    "error",
    "received_at",
)


def _insert(row: BankNotice) -> int | None:
    """INSERT the row unless its txn id is there, or a receipt holds the txn id with another amount
    (booked by a statement line or deduction); its id, or None (see `_repeat`). One statement."""
    fields = [f for name in _COLUMNS if isinstance(f := BankNotice._meta.get_field(name), Field)]
    cols = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    params = [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields]
    table = connection.ops.quote_name(BankNotice._meta.db_table)
    # Table and column names come from the model (quoted); every value is a bound parameter.
    receipts = connection.ops.quote_name(Receipt._meta.db_table)
    # INSERT … SELECT: PostgreSQL types a bare parameter in a select list as text, so cast each one.
    typed = connection.vendor == "postgresql"
    values = ", ".join(f"CAST(%s AS {f.db_type(connection)})" if typed else "%s" for f in fields)
    sql = (
        f"INSERT INTO {table} ({cols}) SELECT {values} "  # noqa: S608
        f"WHERE NOT EXISTS (SELECT 1 FROM {receipts} WHERE bank_txn_id = %s AND amount <> %s) "
        "ON CONFLICT (txn_id) DO NOTHING RETURNING id"
    )
    amount = BankNotice._meta.get_field("amount")
    params += [row.txn_id, amount.get_db_prep_save(row.amount, connection)]
    durable = connection.vendor == "sqlite" and not connection.in_atomic_block
    with connection.cursor() as cur:
        if durable:
            # WAL with synchronous=NORMAL may lose the last commits on power loss: not for an ack.
            cur.execute("PRAGMA synchronous=FULL")
        try:
            cur.execute(sql, params)
            got = cur.fetchone()
        finally:
            if durable:
                cur.execute("PRAGMA synchronous=NORMAL")
    return int(got[0]) if got else None


def receive_notice(item: Incoming, *, business_date: date | None, idempotency_key: str = "") -> Ack:
    """Record a single bank notice durably (see the module docstring); the acknowledgment to give.

    Raises `ServiceError` (422, the field named) for a bad notice and `Conflict` (409) for a txn id
    already received with another amount; nothing is recorded then.
    """
    item = check_incoming(item, business_date=business_date)
    if not item.txn_id:
        raise ServiceError("缺少幂等键（银行流水号）", field="txn_id")
    amount = _amount(item.amount)
    court_id, custody_no = _custody_of(item)
    row = BankNotice(
        txn_id=item.txn_id,
        court_id=court_id,
        custody_account_no=custody_no,
        amount=amount,
        value_date=item.value_date,
        to_account=item.to_account,
        payer_name=item.payer_name,
        payer_account=item.payer_account,
        memo=item.memo,
        idempotency_key=(idempotency_key or item.txn_id)[:128],
        status=BankNotice.Status.RECEIVED,
        received_at=timezone.now(),
    )
    pk = _insert(row)
    if pk is not None:
        work.due(KICK)  # after commit: at once in autocommit
        return Ack(pk, row.txn_id, row.status)
    return _repeat(item.txn_id, amount)


def _repeat(txn_id: str, amount: Decimal) -> Ack:
    done = BankNotice.objects.filter(txn_id=txn_id).first()
    if done is None:  # not inserted: a receipt holds the txn id with another amount
        booked = Receipt.objects.filter(bank_txn_id=txn_id).values_list("amount", flat=True).first()
        raise Conflict(f"同一流水号{txn_id}已按{booked}元入账，本次金额{amount}元不符", field="amount")
    if done.amount != amount:
        raise Conflict(f"同一流水号{txn_id}已按{done.amount}元受理，本次金额{amount}元不符", field="amount")
    return status_of(done)


def status_of(notice: BankNotice) -> Ack:
    """The acknowledgment of a recorded notice, with its receipt once booked."""
    rec = None
    if notice.status != BankNotice.Status.RECEIVED:
        rec = Receipt.objects.filter(bank_txn_id=notice.txn_id).only("pk", "case_id").first()
    return Ack(
        notice.pk,
        notice.txn_id,
        notice.status,
        rec.pk if rec else None,
        rec.case_id if rec else None,
    )


def _incoming(row: BankNotice) -> Incoming:
    return Incoming(
        txn_id=row.txn_id,
        amount=row.amount,
        value_date=row.value_date,
        to_account=row.to_account,
        payer_name=row.payer_name,
        payer_account=row.payer_account,
        memo=row.memo,
        custody_account_no=row.custody_account_no,
    )


Outcome = dict[int, tuple[str, str]]  # notice id → (status, reason)


def _book_group(rows: Sequence[BankNotice], out: Outcome) -> None:
    """Book `rows` as one batch; a refused batch is split until the refused notice is alone."""
    if not rows:
        return
    try:
        with transaction.atomic():
            result = book_incoming_batch([_incoming(r) for r in rows], source="notice")
    except ServiceError as exc:
        if len(rows) == 1:
            out[rows[0].pk] = (BankNotice.Status.CONFLICT, exc.message[:200])
            return
        mid = len(rows) // 2
        _book_group(rows[:mid], out)
        _book_group(rows[mid:], out)
        return
    for row, rec in zip(rows, result.receipts, strict=True):
        booked = rec.status == Receipt.Status.BOOKED and rec.case_id is not None
        out[row.pk] = (BankNotice.Status.BOOKED if booked else BankNotice.Status.UNIDENTIFIED, "")


def _pending(limit: int) -> list[BankNotice]:
    qs = BankNotice.objects.filter(status=BankNotice.Status.RECEIVED).order_by("pk")
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True)
    return list(qs[:limit])


def drain(limit: int | None = None) -> int:
    """Book one batch of received notices (see the module docstring); how many were taken."""
    limit = limit or conf.notice_batch_max()
    with transaction.atomic():
        rows = _pending(limit)
        if not rows:
            return 0
        known = dict(
            Receipt.objects.filter(bank_txn_id__in=[r.txn_id for r in rows]).values_list(
                "bank_txn_id", "amount"
            )
        )
        out: Outcome = {}
        clean = []
        for r in rows:
            if r.txn_id in known and known[r.txn_id] != r.amount:
                out[r.pk] = (
                    BankNotice.Status.CONFLICT,
                    f"同一流水号{r.txn_id}已按{known[r.txn_id]}元入账，本次金额{r.amount}元不符",
                )
            else:
                clean.append(r)
        _book_group(clean, out)
        now = timezone.now()
        groups: dict[tuple[str, str], list[int]] = {}
        for pk, outcome in out.items():
            groups.setdefault(outcome, []).append(pk)
        for (status, reason), pks in groups.items():
            BankNotice.objects.filter(pk__in=pks).update(status=status, error=reason, booked_at=now)
        _audit_conflicts([r for r in rows if out[r.pk][0] == BankNotice.Status.CONFLICT], out)
    return len(rows)


def _audit_conflicts(rows: list[BankNotice], out: Outcome) -> None:
    for r in rows:
        audit.record(
            None,
            "funds.notice_conflict",
            object_type="funds.BankNotice",
            object_id=r.pk,
            after={"txn": r.txn_id, "amount": r.amount, "reason": out[r.pk][1]},
            court=court_code_of(r.court_id) or None,
        )


def drain_all(limit: int | None = None) -> int:
    """Book everything received so far (the periodic safety net and `manage.py`): how many."""
    total = 0
    while True:
        n = drain(limit)
        total += n
        if not n:
            return total


def drain_until_quiet(window: float) -> int:
    """Book until the inbox has stayed empty for `window` seconds since this call began.

    The kick of a web process is skipped while its previous kick is younger than `window`; the notice
    whose kick was skipped committed before that earlier kick's task ends, because the task's last
    look at an empty inbox comes at least `window` after it started. After a partial batch the task
    waits `window` before the next one, so under load it books batches of what arrived meanwhile
    (a batch of 100 costs about a fifth of the CPU per notice of a batch of 20), adding at most
    `window` to a notice's time to booking.
    """
    start = time.monotonic()
    limit = conf.notice_batch_max()
    total = 0
    while True:
        n = drain(limit)
        total += n
        if n >= limit:
            continue
        if n:
            time.sleep(window)
            continue
        left = window - (time.monotonic() - start)
        if left <= 0:
            return total
        time.sleep(min(left, 0.01))


def pending_count() -> int:
    return BankNotice.objects.filter(status=BankNotice.Status.RECEIVED).count()
