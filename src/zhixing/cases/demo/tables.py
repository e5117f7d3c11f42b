"""Bulk rows: executemany on SQLite, COPY on PostgreSQL, and the load-time database settings."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.management.base import CommandError
from django.db import connection, models
from django.db.models import Max


def _layout(model: type[models.Model], names: Sequence[str]) -> tuple[list[str], tuple[Any, ...]]:
    """Columns for `names` (attnames) plus every other concrete field at its default, so a field another
    engineer adds with a default does not break the bulk path."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    unknown = set(names) - fields.keys()
    if unknown:
        raise CommandError(f"{model.__name__} has no field(s) {sorted(unknown)}; update seed_demo")
    extra = [f for attname, f in fields.items() if attname not in names]
    for f in extra:
        if not f.has_default() and not f.null:
            raise CommandError(f"{model.__name__}.{f.name} has no default; the bulk seeder must fill it")
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in extra)
    columns: list[str] = []
    for f in [fields[n] for n in names] + extra:
        if not f.column:  # never for a concrete field; keeps the row layout and the columns in step
            raise CommandError(f"{model.__name__}.{f.name} has no column")
        columns.append(f.column)
    return columns, defaults


class Table:
    """Rows for one model, written with executemany (SQLite) or COPY (PostgreSQL)."""

    def __init__(self, model: type[models.Model], names: Sequence[str]) -> None:
        self.model = model
        self.columns, self.defaults = _layout(model, names)
        self.rows: list[tuple[Any, ...]] = []
        self.next_pk = (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1

    def pk(self) -> int:
        self.next_pk += 1
        return self.next_pk - 1

    def add(self, *values: Any) -> None:
        self.rows.append(values + self.defaults)

    def flush(self) -> int:
        rows, self.rows = self.rows, []
        if not rows:
            return 0
        qn = connection.ops.quote_name
        table, cols = qn(self.model._meta.db_table), ", ".join(qn(c) for c in self.columns)
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                # Table and column names come from the model's metadata, quoted; values are parameters.
                cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)  # noqa: S608
        return len(rows)


@contextmanager
def bulk_load_settings() -> Iterator[None]:
    """Faster, less durable writes for the load only (a crashed demo load is simply re-run)."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("PRAGMA cache_size")
            cache_size = cur.fetchone()[0]
            cur.execute("PRAGMA synchronous=OFF")
            cur.execute("PRAGMA cache_size=-1048576")  # 1 GiB page cache
            cur.execute("PRAGMA temp_store=MEMORY")
        elif connection.vendor == "postgresql":
            cur.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            if connection.vendor == "sqlite":
                cur.execute("PRAGMA synchronous=NORMAL")
                cur.execute(f"PRAGMA cache_size={int(cache_size)}")
                cur.execute("PRAGMA temp_store=DEFAULT")
                # Full statistics: approximate ones (analysis_limit) misled the planner at 1 M cases.
                cur.execute("ANALYZE")
                cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            elif connection.vendor == "postgresql":
                cur.execute("SET synchronous_commit TO DEFAULT")
                if connection.get_autocommit():  # VACUUM cannot run inside a transaction
                    cur.execute("VACUUM (ANALYZE)")  # visibility map for index-only scans, and statistics
                else:
                    cur.execute("ANALYZE")
