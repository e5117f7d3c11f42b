"""The import's faster paths give exactly what the ORM path gave: the debtor's Parquet snapshot built
in SQL (corrections applied, UTC → local time in DuckDB) and the stored times adapted once per hour."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import duckdb
import pytest
from django.db import connection
from django.utils import timezone

from zhixing.analytics import store
from zhixing.analytics.models import Transaction
from zhixing.analytics.services import corrections, snapshots, statement_rows

from .conftest import FIXTURES, load


def _orm_rows(party_id: int) -> list[tuple[Any, ...]]:
    """The snapshot rows as the ORM path built them before (values_list, localtime, per-row Python)."""
    out = []
    for r in Transaction.objects.filter(party_id=party_id).values_list(
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
    ):
        pk, at, amt, cur, d, k, cp, acc, mer, summ, cat, bal, dup, c_dir, c_amt, c_cp, c_cat, c_excl = r
        if c_dir is not None:
            d, amt, cp, cat = c_dir, c_amt, c_cp, c_cat
            k = "ignored" if c_excl else k
        local = timezone.localtime(at).replace(tzinfo=None)
        text = f"{cp} {mer} {summ} {cat}"
        out.append((pk, party_id, local, amt, cur, d, k, cp or None, acc or None, text, bal, dup is not None))
    return sorted(out)


def _parquet_rows(party_id: int) -> list[tuple[Any, ...]]:
    return duckdb.sql(f"SELECT * FROM '{store.tx_path(party_id)}' ORDER BY row_id").fetchall()


def test_snapshot_from_sql_equals_the_orm_rows(
    debtor: Any, people: dict[str, Any], presets: dict[str, Any]
) -> None:
    data = (FIXTURES / "cmb_sample.csv").read_bytes()
    job = load(debtor, people["judge"], presets["cmb"], data)
    load(debtor, people["judge"], presets["cmb"], data)  # the same file again: every line a duplicate
    lines = list(Transaction.objects.filter(job=job).order_by("row_no"))
    corrections.correct_transaction(
        people["clerk"],
        lines[0],
        direction="out",
        amount="-9500",
        counterparty="广州某科技有限公司",
        category="工资",
        excluded=False,
        reason="银行记反",
    )
    corrections.correct_transaction(
        people["clerk"],
        lines[1],
        direction="in",
        amount="1",
        counterparty="",
        category="",
        excluded=True,
        reason="重复入账",
    )
    party = debtor.party.pk
    snapshots.rebuild_snapshot(party)
    got = _parquet_rows(party)
    assert len(got) == 2 * len(lines) and sum(1 for r in got if r[-1]) == len(lines)
    assert got == _orm_rows(party)
    first = next(r for r in got if r[0] == lines[0].pk)
    assert (first[3], first[5], first[7], first[6]) == (
        Decimal("-9500.00"),
        "out",
        "广州某科技有限公司",
        "normal",
    )
    second = next(r for r in got if r[0] == lines[1].pk)
    assert (second[5], second[6], second[7]) == ("in", "ignored", None)
    assert first[2] == timezone.localtime(lines[0].occurred_at).replace(tzinfo=None)


@pytest.mark.parametrize(
    "zone", ["Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe"]
)
def test_time_adapter_equals_the_backend_adapter(zone: str) -> None:
    """Every half hour of two years (each DST change of these zones, Lord Howe's half-hour one), with
    seconds and microseconds: the per-hour offset gives what `make_aware` + the adapter give."""
    tz = zoneinfo.ZoneInfo(zone)
    fast = statement_rows._time_adapter(tz)
    at = datetime(2023, 1, 1, 0, 0, 0)
    checked = 0
    while at < datetime(2025, 1, 1):
        for t in (at, at + timedelta(minutes=29, seconds=59, microseconds=999_999), at.replace(fold=1)):
            assert fast(t) == connection.ops.adapt_datetimefield_value(timezone.make_aware(t, tz)), t
            checked += 1
        at += timedelta(minutes=30)
    assert checked == 3 * 2 * 24 * 731
