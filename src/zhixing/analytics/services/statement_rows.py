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
from datetime import datetime
from functools import partial
from typing import Any

from django.db import connection, models
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
    """(column index, the backend's adapter for its field type) for the typed columns: what
    `bulk_create` applies to each value (the others are sent as they are)."""
    ops = connection.ops
    out: list[tuple[int, Callable[[Any], Any]]] = []
    for i, name in enumerate(FIELDS):
        field = _field(name)
        if isinstance(field, models.DateTimeField):
            out.append((i, ops.adapt_datetimefield_value))
        elif isinstance(field, models.DecimalField):
            adapt = partial(_decimal, ops.adapt_decimalfield_value, field.max_digits, field.decimal_places)
            out.append((i, adapt))
    return out


def _decimal(adapt: Callable[..., Any], digits: int | None, places: int | None, value: Any) -> Any:
    return None if value is None else adapt(value, digits, places)


def _write(rows: Iterable[Sequence[Any]]) -> int:
    """Insert rows (values in `FIELDS` order, Python values) into the transaction table."""
    meta = Transaction._meta
    quote = connection.ops.quote_name
    columns = [quote(str(_field(name).column)) for name in FIELDS]
    typed = _adapters()
    n = 0

    def adapted(row: Sequence[Any]) -> list[Any]:
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
        chunk: list[list[Any]] = []
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


def _row(job: ImportJob, line: Line, occurrence: int, duplicate_of: int | None, tz: Any) -> tuple[Any, ...]:
    at = line.occurred_at  # a statement's wall-clock time, in the platform's time zone
    return (
        job.pk,
        job.party_id,
        line.row_no,
        timezone.make_aware(at, tz) if isinstance(at, datetime) and timezone.is_naive(at) else at,
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
    tz = timezone.get_current_timezone()
    _write(_row(job, ln, d.ordinal, None, tz) for ln, d in first)
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

    _write(_row(job, ln, d.ordinal, repeats(d), tz) for ln, d in dups)
    job.dedup_decisions = [d.as_dict() for d in decisions if d.decision]
    job.imported, job.duplicates = len(first), len(dups)
    job.ignored = sum(1 for ln, _ in first if ln.kind == Transaction.Kind.IGNORED)
