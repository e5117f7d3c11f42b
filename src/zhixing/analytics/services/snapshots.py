"""The debtor's Parquet snapshots (what DuckDB reads), rebuilt from the stored rows after an import."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from .. import store
from ..models import Transaction, TravelRecord


def _tx_row(party_id: int, at: str, r: tuple[Any, ...]) -> tuple[Any, ...]:
    """One snapshot row; a user's correction (services.corrections) replaces the imported values and
    a line the user left out is read as ignored (never counted), the imported line itself unchanged."""
    pk, _, amt, cur, d, k, cp, acc, mer, summ, cat, bal, dup, c_dir, c_amt, c_cp, c_cat, c_excl = r
    if c_dir is not None:
        d, amt, cp, cat = c_dir, c_amt, c_cp, c_cat
        k = "ignored" if c_excl else k
    return (pk, party_id, at, amt, cur, d, k, cp, acc, f"{cp} {mer} {summ} {cat}", bal, dup is not None)


def rebuild_snapshot(party_id: int) -> None:
    """Rewrite the debtor's Parquet snapshots from the stored rows (local wall-clock times)."""

    def local(dt: datetime) -> str:
        return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M:%S")

    txs = Transaction.objects.filter(party_id=party_id).values_list(
        "pk",
        "occurred_at",
        "amount",
        "currency",
        "direction",
        "kind",
        "counterparty",
        "counterparty_account",
        "merchant",
        "summary",
        "category",
        "balance",
        "duplicate_of_id",
        "correction__direction",
        "correction__amount",
        "correction__counterparty",
        "correction__category",
        "correction__excluded",
    )
    store.write_parquet(
        (_tx_row(party_id, local(r[1]), r) for r in txs.iterator(chunk_size=5000)),
        store.TX_COLUMNS,
        store.tx_path(party_id),
    )
    trs = TravelRecord.objects.filter(party_id=party_id).values_list(
        "pk", "kind", "start_at", "end_at", "carrier", "seat_class", "country", "amount"
    )
    store.write_parquet(
        (
            (pk, party_id, k, local(s), local(e), c, sc, co, a if a is not None else Decimal("0"))
            for pk, k, s, e, c, sc, co, a in trs
        ),
        store.TRAVEL_COLUMNS,
        store.travel_path(party_id),
    )
