"""The debtor's Parquet snapshots (what DuckDB reads), rebuilt from the stored rows after an import."""

# ruff: noqa: S608  (SQL assembled from the models' own table and column names, never request data)

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from .. import store
from ..amendments import TransactionCorrection
from ..models import Transaction, TravelRecord


def _tx_sql() -> str:
    """The debtor's stored lines as snapshot rows, in SQL (no model instance, no per-value converter):
    a user's correction (services.corrections) replaces the imported values and a line the user left
    out is read as ignored (never counted), the imported line itself unchanged. The time is the stored
    UTC value as text (`store.write_parquet` turns it into local wall-clock time)."""
    t, c = Transaction._meta, TransactionCorrection._meta
    q = connection.ops.quote_name

    def col(model_meta: Any, name: str) -> str:
        return q(model_meta.get_field(name).column)

    tx = {n: "t." + col(t, n) for n in ("id", "occurred_at", "amount", "currency", "direction", "kind")}
    tx |= {n: "t." + col(t, n) for n in ("counterparty", "counterparty_account", "merchant", "summary")}
    tx |= {n: "t." + col(t, n) for n in ("category", "balance", "duplicate_of", "party")}
    cr = {n: "c." + col(c, n) for n in ("direction", "amount", "counterparty", "category", "excluded")}
    fixed = f"{cr['direction']} IS NOT NULL"

    def pick(name: str) -> str:
        return f"CASE WHEN {fixed} THEN {cr[name]} ELSE {tx[name]} END"

    cp, cat = pick("counterparty"), pick("category")
    return (
        f"SELECT {tx['id']}, {tx['party']}, CAST({tx['occurred_at']} AS TEXT),"
        f" CAST({pick('amount')} AS TEXT), {tx['currency']}, {pick('direction')},"
        f" CASE WHEN {fixed} AND {cr['excluded']} THEN 'ignored' ELSE {tx['kind']} END,"
        f" {cp}, {tx['counterparty_account']},"
        f" {cp} || ' ' || {tx['merchant']} || ' ' || {tx['summary']} || ' ' || {cat},"
        f" CAST({tx['balance']} AS TEXT), CASE WHEN {tx['duplicate_of']} IS NULL THEN 0 ELSE 1 END"
        f" FROM {q(t.db_table)} t LEFT JOIN {q(c.db_table)} c ON {'c.' + col(c, 'transaction')} = {tx['id']}"
        f" WHERE {tx['party']} = %s"
    )


def _rows(sql: str, params: list[Any]) -> Iterator[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(5000):
            yield from chunk


def rebuild_snapshot(party_id: int, *, transactions: bool = True) -> None:
    """Rewrite the debtor's Parquet snapshots from the stored rows (local wall-clock times); with
    `transactions=False` only the travel records' (the import wrote the lines' from DuckDB)."""

    def local(dt: datetime) -> str:
        return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M:%S")

    if transactions:
        store.write_parquet(
            _rows(_tx_sql(), [party_id]), store.TX_COLUMNS, store.tx_path(party_id), utc=("ts",)
        )
    trs = TravelRecord.objects.filter(party_id=party_id).values_list(
        "pk", "kind", "start_at", "end_at", "carrier", "seat_class", "country", "amount"
    )
    if not store.travel_path(party_id).exists() and not trs.exists():
        return  # no travel records and no snapshot of them: the readers take a missing file as empty
    store.write_parquet(
        (
            (pk, party_id, k, local(s), local(e), c, sc, co, a if a is not None else Decimal("0"))
            for pk, k, s, e, c, sc, co, a in trs
        ),
        store.TRAVEL_COLUMNS,
        store.travel_path(party_id),
    )
