"""Posting to the double-entry ledger: balanced, idempotent, append-only, running balances under locks.

`post()` must run inside the caller's `transaction.atomic()` (with its audit record). It locks the
accounts it touches — per-case accounts first, then the court-wide ones, each group in id order, so
concurrent postings never deadlock and the hot court-wide rows are held as briefly as possible — then
re-checks the idempotency key (a concurrent twin committed first → its transaction is returned),
refuses an overdraft of any account that may not go negative, appends the entries and moves the
running balances.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction

from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.money import FEN
from zhixing.core.system_actor import actor_name
from zhixing.courts.models import Court

from ..events import case_money_moved
from ..models import NO_OVERDRAFT, AccountKind, Entry, LedgerAccount, Transaction

_COURT_WIDE = {AccountKind.BANK, AccountKind.UNIDENTIFIED, AccountKind.DEPOSITS}


def account_key(court_id: int, kind: str, case_id: int | None = None, party_id: int | None = None) -> str:
    return f"{kind}/{court_id}/{case_id or 0}/{party_id or 0}"


def get_account(
    court: Court | int, kind: str, case_id: int | None = None, party_id: int | None = None
) -> LedgerAccount:
    """The ledger account, created on first use (safe against a concurrent creator)."""
    court_id = court if isinstance(court, int) else court.pk
    if kind in _COURT_WIDE:
        case_id = None
    key = account_key(court_id, kind, case_id, party_id)
    found = LedgerAccount.objects.filter(key=key).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return LedgerAccount.objects.create(
                key=key, court_id=court_id, kind=kind, case_id=case_id, party_id=party_id
            )
    except IntegrityError:
        return LedgerAccount.objects.get(key=key)


def get_accounts(court_id: int, specs: list[tuple[str, int | None]]) -> list[LedgerAccount]:
    """Several accounts of one court, fetched in one query (created on first use)."""
    keys = [account_key(court_id, k, None if k in _COURT_WIDE else c) for k, c in specs]
    found = {a.key: a for a in LedgerAccount.objects.filter(key__in=keys)}
    return [found.get(key) or get_account(court_id, k, c) for key, (k, c) in zip(keys, specs, strict=True)]


def accounts_for(specs: Sequence[tuple[int, str, int | None]]) -> dict[str, LedgerAccount]:
    """Many accounts (court id, kind, case id) by key, in one query; missing ones bulk-created first."""
    keys = {account_key(c, k, None if k in _COURT_WIDE else case): (c, k, case) for c, k, case in specs}
    found = {a.key: a for a in LedgerAccount.objects.filter(key__in=list(keys))}
    missing = [key for key in keys if key not in found]
    if missing:
        LedgerAccount.objects.bulk_create(
            [
                LedgerAccount(
                    key=key,
                    court_id=keys[key][0],
                    kind=keys[key][1],
                    case_id=None if keys[key][1] in _COURT_WIDE else keys[key][2],
                )
                # In key order: two batches inserting the same new accounts in different orders would each
                # wait on the other's uncommitted index entry (a deadlock PostgreSQL breaks by failing one).
                for key in sorted(missing)
            ],
            ignore_conflicts=True,  # a concurrent creator won: read its row below
        )
        found.update({a.key: a for a in LedgerAccount.objects.filter(key__in=missing)})
    return found


def _lock(ids: list[int]) -> dict[int, LedgerAccount]:
    if not ids:
        return {}
    return {a.pk: a for a in LedgerAccount.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


def post(
    *,
    key: str,
    kind: str,
    court: Court | int,
    lines: Sequence[tuple[LedgerAccount, Decimal]],
    case_id: int | None = None,
    memo: str = "",
    actor_name: str = "",
    reverses: Transaction | None = None,
) -> tuple[Transaction, bool]:
    """Post one balanced transaction; returns (transaction, created). Same `key` again → no-op."""
    if not connection.in_atomic_block:
        raise RuntimeError("ledger.post must run inside transaction.atomic()")
    totals: dict[int, Decimal] = {}
    by_id: dict[int, LedgerAccount] = {}
    for acc, amount in lines:
        if not amount.is_finite() or amount != amount.quantize(FEN):
            raise ServiceError("记账金额必须精确到分", field="amount")
        totals[acc.pk] = totals.get(acc.pk, Decimal("0")) + amount
        by_id[acc.pk] = acc
    if sum(totals.values(), Decimal("0")) != 0:
        raise ServiceError("借贷不平衡，拒绝记账", field="amount")
    private = sorted(i for i, a in by_id.items() if a.kind not in _COURT_WIDE)
    shared = sorted(i for i, a in by_id.items() if a.kind in _COURT_WIDE)
    # Lock before re-checking the key: a concurrent twin holding these rows commits first and is seen.
    locked = _lock(private) if private else _lock(shared)
    existing = Transaction.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing, False
    if private:
        locked.update(_lock(shared))
    new_balances: dict[int, Decimal] = {}
    for acc_id, delta in totals.items():
        acc = locked[acc_id]
        new = acc.balance + delta
        natural = new if acc.kind == AccountKind.BANK else -new
        if acc.kind in NO_OVERDRAFT and natural < 0:
            raise Conflict(
                f"{acc.get_kind_display()}余额不足：当前{_natural(acc):.2f}元，本次需{abs(delta):.2f}元",
                field="amount",
            )
        new_balances[acc_id] = new
    txn = Transaction.objects.create(
        idempotency_key=key,
        kind=kind,
        court_id=court if isinstance(court, int) else court.pk,
        case_id=case_id,
        memo=memo[:200],
        reverses=reverses,
        actor_name=actor_name[:64],
    )
    running = {i: locked[i].balance for i in totals}
    entries = []
    for acc, amount in lines:
        running[acc.pk] += amount
        entries.append(
            Entry(transaction=txn, account_id=acc.pk, amount=amount, balance_after=running[acc.pk])
        )
    Entry.objects.bulk_create(entries)
    counts: dict[int, int] = {}
    for acc, _ in lines:
        counts[acc.pk] = counts.get(acc.pk, 0) + 1
    # One UPDATE for all accounts (the rows are locked; plain values, not F() expressions).
    moved = []
    for acc_id in private + shared:
        acc = locked[acc_id]
        acc.balance, acc.entry_count = new_balances[acc_id], acc.entry_count + counts[acc_id]
        moved.append(acc)
    LedgerAccount.objects.bulk_update(moved, ["balance", "entry_count"])
    cases = sorted({a.case_id for a in moved if a.kind == AccountKind.CASE and a.case_id})
    if cases:  # the payout clocks of these cases re-settle (services.clocks)
        case_money_moved.send(sender=Transaction, case_ids=cases, kind=kind)
    return txn, True


@dataclass(frozen=True)
class Posting:
    """One balanced transaction for `post_many` (the arguments of `post`)."""

    key: str
    kind: str
    court_id: int
    lines: Sequence[tuple[LedgerAccount, Decimal]]
    case_id: int | None = None
    memo: str = ""
    actor_name: str = ""


def _check_lines(lines: Sequence[tuple[LedgerAccount, Decimal]], totals: dict[int, Decimal]) -> None:
    own = Decimal("0")
    for acc, amount in lines:
        if not amount.is_finite() or amount != amount.quantize(FEN):
            raise ServiceError("记账金额必须精确到分", field="amount")
        totals[acc.pk] = totals.get(acc.pk, Decimal("0")) + amount
        own += amount
    if own != 0:
        raise ServiceError("借贷不平衡，拒绝记账", field="amount")


def post_many(postings: Sequence[Posting]) -> dict[str, Transaction]:
    """Post many balanced transactions at once; returns the newly created ones by key.

    The bulk twin of `post()` with the same guarantees: every touched account is locked once — the
    per-case accounts first, then the court-wide ones, each in id order, the order `post()` uses, so
    batches and single postings never deadlock; keys already posted (a retry, or a concurrent twin
    that committed while we waited for the locks) are skipped; overdrafts are refused; then one
    INSERT of the transactions, one of the entries (running `balance_after` in posting order) and one
    UPDATE of the balances. Must run inside the caller's `transaction.atomic()`.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("ledger.post_many must run inside transaction.atomic()")
    by_id: dict[int, LedgerAccount] = {}
    keys: set[str] = set()
    for p in postings:
        if p.key in keys:
            raise ServiceError(f"同一批记账中幂等键{p.key}重复", field="key")
        keys.add(p.key)
        _check_lines(p.lines, {})
        by_id.update({acc.pk: acc for acc, _ in p.lines})
    private = sorted(i for i, a in by_id.items() if a.kind not in _COURT_WIDE)
    shared = sorted(i for i, a in by_id.items() if a.kind in _COURT_WIDE)
    locked = _lock(private)
    locked.update(_lock(shared))
    # Keys are checked only once every account is locked: a twin posting of the same key that resolved
    # to other per-case accounts (say, a sub-account closed in between) still shares the court-wide
    # ones, so it has committed by now and is seen.
    done = set(
        Transaction.objects.filter(idempotency_key__in=list(keys)).values_list("idempotency_key", flat=True)
    )
    todo = [p for p in postings if p.key not in done]
    if not todo:
        return {}
    running = {i: a.balance for i, a in locked.items()}
    counts: dict[int, int] = {}
    rows: list[list[tuple[int, Decimal, Decimal]]] = []
    for p in todo:
        deltas: dict[int, Decimal] = {}
        _check_lines(p.lines, deltas)
        for acc_id, delta in deltas.items():
            acc = locked[acc_id]
            new = running[acc_id] + delta
            natural = new if acc.kind == AccountKind.BANK else -new
            if acc.kind in NO_OVERDRAFT and natural < 0:
                raise Conflict(
                    f"{acc.get_kind_display()}余额不足：本次需{abs(delta):.2f}元（凭证{p.key}）",
                    field="amount",
                )
        mine = []
        for acc, amount in p.lines:
            running[acc.pk] += amount
            counts[acc.pk] = counts.get(acc.pk, 0) + 1
            mine.append((acc.pk, amount, running[acc.pk]))
        rows.append(mine)
    txns = Transaction.objects.bulk_create(
        [
            Transaction(
                idempotency_key=p.key,
                kind=p.kind,
                court_id=p.court_id,
                case_id=p.case_id,
                memo=p.memo[:200],
                actor_name=p.actor_name[:64],
            )
            for p in todo
        ]
    )
    if any(t.pk is None for t in txns):  # a backend without RETURNING on bulk insert
        ids = dict(
            Transaction.objects.filter(idempotency_key__in=[p.key for p in todo]).values_list(
                "idempotency_key", "pk"
            )
        )
        for t in txns:
            t.pk = ids[t.idempotency_key]
    Entry.objects.bulk_create(
        [
            Entry(transaction_id=t.pk, account_id=acc_id, amount=amount, balance_after=after)
            for t, mine in zip(txns, rows, strict=True)
            for acc_id, amount, after in mine
        ]
    )
    moved = []
    for acc_id in sorted(counts):
        acc = locked[acc_id]
        acc.balance, acc.entry_count = running[acc_id], acc.entry_count + counts[acc_id]
        moved.append(acc)
    _set_balances(moved)
    return {t.idempotency_key: t for t in txns}


def _set_balances(moved: list[LedgerAccount]) -> None:
    """One UPDATE of many locked accounts' balances and counts (plain values, not F() expressions)."""
    if connection.vendor != "postgresql":
        LedgerAccount.objects.bulk_update(moved, ["balance", "entry_count"])
        return
    # A join with unnest()ed arrays: bulk_update's CASE WHEN per row costs O(rows²) on both sides.
    table = LedgerAccount._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            f'UPDATE "{table}" AS a SET balance = v.balance, entry_count = v.entry_count '  # noqa: S608
            "FROM unnest(%s::bigint[], %s::numeric[], %s::integer[]) AS v(id, balance, entry_count) "
            "WHERE a.id = v.id",
            [[a.pk for a in moved], [a.balance for a in moved], [a.entry_count for a in moved]],
        )


def _natural(acc: LedgerAccount) -> Decimal:
    return acc.natural_balance


def reverse(original: Transaction, *, key: str, memo: str, actor_name: str = "") -> tuple[Transaction, bool]:
    """A correction: a new transaction with every entry negated (never an edit)."""
    lines: list[tuple[Any, Decimal]] = [
        (e.account, -e.amount) for e in original.entries.select_related("account").order_by("pk")
    ]
    return post(
        key=key,
        kind="reversal",
        court=original.court_id,
        case_id=original.case_id,
        lines=lines,
        memo=memo or f"冲正凭证#{original.pk}",
        actor_name=actor_name,
        reverses=original,
    )


def actor_label(actor: Any) -> str:
    return actor_name(actor)
