"""Fast inserts for the hot paths (request creation, result intake): one `executemany` per batch.

At a million rows `bulk_create` spends more time building model instances and SQL than the database
spends inserting. Rows here are plain tuples; values that need the database's representation (dates,
JSON, decimals) are prepared through the model's own fields with `prep`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.db import connection, models


def prep(model: type[models.Model], field: str, value: Any) -> Any:
    """`value` as the database stores it in `model.field` (done once per distinct value by callers)."""
    f = cast(models.Field, model._meta.get_field(field))  # type: ignore[type-arg]
    return f.get_db_prep_save(value, connection)


def insert(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    skip_conflicts: bool = False,
) -> None:
    if not rows:
        return
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    cols = ", ".join(ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    tail = " ON CONFLICT DO NOTHING" if skip_conflicts else ""
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks}){tail}", rows)  # noqa: S608
