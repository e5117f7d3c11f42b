"""Storing a statement's validated lines: de-duplication decisions, then `Transaction` rows in bulk.

Called by `imports.run_import` inside its transaction (the job's status, its audit record and these
rows commit together or not at all). The rows are written as plain tuples — `executemany` in large
chunks on SQLite, `COPY … FROM STDIN` on PostgreSQL — with each value adapted by the database backend's
own adapters for its field type, which is what the ORM's `bulk_create` sends, without building a model
instance and compiling SQL per row (that was about a third of the import's time, docs/analytics.md
"Performance"). Duplicates are decided for the whole file at once (`dedup.decide` against the debtor's
stored occurrence keys), stored after the lines they repeat, and linked to them.
"""

# ruff: noqa: S608  (SQL assembled from the model's own table and column names, never request data)

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone

from .. import dedup
from ..models import ImportJob, Transaction
from ..parsing import Line

CHUNK = 20_000
FIELDS = (
    "job",
    "party",
    "row_no",
    "occurred_at",
    "amount",
    "currency",
    "original_amount",
    "fx_rate",
    "direction",
    "kind",
    "counterparty",
    "counterparty_account",
    "merchant",
    "summary",
    "category",
    "balance",
    "txn_id",
    "status",
    "line_hash",
    "duplicate_of",
    "occurrence",
)


def stored_keys(party_id: int) -> dict[str, dedup.Stored]:
    """Occurrence keys of the debtor's stored lines (duplicates excluded), as `dedup.decide` needs."""
    out: dict[str, dedup.Stored] = {}
    rows = Transaction.objects.filter(party_id=party_id, duplicate_of__isnull=True).values_list(
        "pk",
        "job_id",
        "row_no",
        "occurred_at",
        "amount",
        "original_amount",
        "currency",
        "direction",
        "counterparty",
        "txn_id",
        "occurrence",
    )
    for pk, job_id, row_no, at, amount, original, currency, direction, cp, txn_id, nth in rows.iterator(
        chunk_size=5000
    ):
        at_local = timezone.localtime(at).replace(tzinfo=None) if timezone.is_aware(at) else at
        content = dedup.content_key(at_local, amount, original, currency, direction, cp, txn_id)
        out.setdefault(dedup.occurrence_key(content, nth), dedup.Stored(pk, job_id, row_no))
    return out


def _field(name: str) -> models.Field[Any, Any]:
    field = Transaction._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def _adapters() -> list[tuple[int, Callable[[Any], Any]]]:
    """(column index, the backend's adapter for its field type) for the decimal columns where the
    backend's adapter is not the identity: what `bulk_create` applies to each value (the others are
    sent as they are; the time is adapted by `_row`, see `_time_adapter`)."""
    ops = connection.ops
    if type(ops).adapt_decimalfield_value is BaseDatabaseOperations.adapt_decimalfield_value:
        return []
    out: list[tuple[int, Callable[[Any], Any]]] = []
    for i, name in enumerate(FIELDS):
        field = _field(name)
        if isinstance(field, models.DecimalField):
            adapt = partial(_decimal, ops.adapt_decimalfield_value, field.max_digits, field.decimal_places)
            out.append((i, adapt))
    return out


def _decimal(adapt: Callable[..., Any], digits: int | None, places: int | None, value: Any) -> Any:
    return None if value is None else adapt(value, digits, places)


CHECKS = [timedelta(hours=h) for h in range(0, 24, 3)] + [timedelta(hours=24, microseconds=-1)]


def day_shift(day: datetime, tz: Any, db_tz: Any) -> timedelta | None:
    """What turns a wall-clock time in `tz` on `day` (midnight, naive) into the same instant's
    wall-clock time in `db_tz`, where it is the same all day (at every third hour and the day's last
    instant); None on a day with a time-zone change."""
    seen = {
        (t.replace(tzinfo=tz).astimezone(db_tz).replace(tzinfo=None) - t) for t in (day + c for c in CHECKS)
    }
    return seen.pop() if len(seen) == 1 else None


def _time_adapter(tz: Any) -> Callable[[Any], Any]:
    """`ops.adapt_datetimefield_value(make_aware(at, tz))` for a statement's naive wall-clock time.

    On SQLite (which stores the UTC time as text) the UTC offset is looked up once per day of the
    statement rather than per line: where the offset is the same at every third hour of that day and
    at its last instant (every day but the few with a time-zone change; no zone changes twice within
    three hours), `at - offset` is exactly what `make_aware` + `make_naive(…, connection.timezone)`
    give; a line of any other day takes the full path.
    """
    ops = connection.ops

    def full(at: Any) -> Any:
        if isinstance(at, datetime) and timezone.is_naive(at):
            at = timezone.make_aware(at, tz)
        return ops.adapt_datetimefield_value(at)

    if connection.vendor != "sqlite" or not settings.USE_TZ:
        return full
    db_tz = connection.timezone
    offsets: dict[tuple[int, int, int], timedelta | None] = {}

    def offset(day: datetime) -> timedelta | None:
        return day_shift(day, tz, db_tz)

    def fast(at: Any) -> Any:
        if type(at) is not datetime or at.tzinfo is not None or at.fold:
            return full(at)
        key = (at.year, at.month, at.day)
        if key not in offsets:
            offsets[key] = offset(datetime(at.year, at.month, at.day))
        shift = offsets[key]
        return full(at) if shift is None else str(at + shift)

    return fast


def write_chunks(chunks: Iterable[Sequence[Sequence[Any]]], same: dict[str, Any] | None = None) -> int:
    """Insert chunks of rows whose values are what the database takes as they are (the time and
    every decimal as text, in `FIELDS` order) into the transaction table: one `executemany` a chunk
    on SQLite, one `COPY` on PostgreSQL.

    `same` (SQLite only): the fields whose value every row shares (a text, an integer or None), left
    out of the rows and written into the statement as literals: Python's sqlite3 binds each value
    separately (≈ 0.15 µs each), and a statement's file fills a third of the columns alike (its job
    and debtor, no link, no foreign amount, the same currency, empty columns)."""
    same = same or {}
    if connection.vendor == "postgresql":
        assert not same, "the COPY path takes whole rows"
        return _write((row for chunk in chunks for row in chunk), adapt=False)
    meta = Transaction._meta
    quote = connection.ops.quote_name
    columns = [quote(str(_field(name).column)) for name in FIELDS]
    values = [_literal(same[name]) if name in same else "%s" for name in FIELDS]
    sql = f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}) VALUES ({', '.join(values)})"
    n = 0
    with connection.cursor() as cursor:
        for chunk in chunks:
            cursor.executemany(sql, chunk)
            n += len(chunk)
    return n


def _literal(value: Any) -> str:
    """A value as an SQLite literal that stores exactly what binding it would (the column's affinity
    applies to both alike); '%' doubled for Django's placeholder conversion."""
    if value is None:
        return "NULL"
    if type(value) is int:
        return str(value)
    if type(value) is str:
        return "'" + value.replace("'", "''").replace("%", "%%") + "'"
    raise TypeError(f"no literal for {type(value).__name__}")


def _write(rows: Iterable[Sequence[Any]], *, adapt: bool = True) -> int:
    """Insert rows (values in `FIELDS` order, Python values, the time already adapted; with
    `adapt=False` every decimal is already its text) into the transaction table."""
    meta = Transaction._meta
    quote = connection.ops.quote_name
    columns = [quote(str(_field(name).column)) for name in FIELDS]
    typed = _adapters() if adapt else []
    n = 0

    def adapted(row: Sequence[Any]) -> Sequence[Any]:
        if not typed:
            return row
        out = list(row)
        for i, adapt in typed:
            out[i] = adapt(out[i])
        return out

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg's own cursor: COPY streams the rows in one statement
            with raw.copy(f"COPY {quote(meta.db_table)} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(adapted(row))
                    n += 1
            return n
        sql = (
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)})"
            f" VALUES ({', '.join(['%s'] * len(columns))})"
        )
        chunk: list[Sequence[Any]] = []
        for row in rows:
            chunk.append(adapted(row))
            if len(chunk) >= CHUNK:
                cursor.executemany(sql, chunk)
                n += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            n += len(chunk)
    return n


def _row(
    job: ImportJob, line: Line, occurrence: int, duplicate_of: int | None, when: Callable[[Any], Any]
) -> tuple[Any, ...]:
    return (
        job.pk,
        job.party_id,
        line.row_no,
        when(line.occurred_at),  # a statement's wall-clock time in the platform's zone, adapted
        line.amount,
        line.currency,
        line.original_amount,
        line.fx_rate,
        line.direction,
        line.kind,
        line.counterparty,
        line.counterparty_account,
        line.merchant,
        line.summary,
        line.category,
        line.balance,
        line.txn_id,
        line.status,
        line.line_hash,
        duplicate_of,
        occurrence,
    )


def store_statement(job: ImportJob, lines: list[Line], notes: list[dict[str, Any]]) -> None:
    """Store every valid line; duplicates are stored too, linked to the line they repeat (dedup.py).

    Sets the job's `imported`, `duplicates`, `ignored` and `dedup_decisions`; adds the id-reuse notes.
    """
    decisions = dedup.decide(lines, stored_keys(job.party_id))  # type: ignore[arg-type]
    notes.extend(dedup.id_reuse_notes(lines, decisions))  # type: ignore[arg-type]
    first = [(ln, d) for ln, d in zip(lines, decisions, strict=True) if d.decision != dedup.DUPLICATE]
    dups = [(ln, d) for ln, d in zip(lines, decisions, strict=True) if d.decision == dedup.DUPLICATE]
    when = _time_adapter(timezone.get_current_timezone())
    _write(_row(job, ln, d.ordinal, None, when) for ln, d in first)
    by_row: dict[int, int] = {}
    if dups:
        by_row = dict(Transaction.objects.filter(job=job).values_list("row_no", "pk"))
    stored_of = {d.row_no: d.of_pk for d in decisions if d.of_pk is not None}

    def repeats(d: dedup.Decision) -> int | None:
        # a line listed twice in this file points at its first listing, or at the stored line that
        # first listing repeats (a re-imported file that itself lists a line twice)
        if d.of_pk is not None:
            return d.of_pk
        row = int(d.of_row or 0)
        return by_row.get(row, stored_of.get(row))

    _write(_row(job, ln, d.ordinal, repeats(d), when) for ln, d in dups)
    job.dedup_decisions = [d.as_dict() for d in decisions if d.decision]
    job.imported, job.duplicates = len(first), len(dups)
    job.ignored = sum(1 for ln, _ in first if ln.kind == Transaction.Kind.IGNORED)
