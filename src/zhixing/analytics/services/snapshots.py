"""The debtor's Parquet snapshots (what DuckDB reads), rebuilt from the stored rows after an import."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from .. import store
from ..models import Transaction, TravelRecord


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
    )
    store.write_parquet(
        (
            (
                pk,
                party_id,
                local(at),
                amt,
                cur,
                d,
                k,
                cp,
                acc,
                f"{cp} {mer} {summ} {cat}",
                bal,
                dup is not None,
            )
            for pk, at, amt, cur, d, k, cp, acc, mer, summ, cat, bal, dup in txs.iterator(chunk_size=5000)
        ),
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
