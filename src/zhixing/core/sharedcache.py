"""The database cache every web process shares when no Redis is configured.

Django's `DatabaseCache` is shared across processes already, but two of its behaviours do not suit
counters that enforce limits:

* `incr` reads the value and writes it back in two statements, so two workers counting the same key
  at once both write the same number and one hit is lost. Here `incr` locks the row (SELECT ... FOR
  UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions take the write lock at BEGIN) and keeps the
  entry's expiry.
* When the table passes MAX_ENTRIES it evicts a share of live entries, and an evicted counter restarts
  its limit from zero (an attacker could evict his own counters by flooding other keys). Here only
  expired entries are removed.

The table is `core.SharedCacheEntry` (created by the core migration, so a fresh database needs no
`createcachetable`).
"""

from __future__ import annotations

import base64
import pickle
from datetime import datetime
from typing import Any

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, models, router, transaction
from django.utils import timezone


class SharedDatabaseCache(DatabaseCache):
    """`DatabaseCache` with an atomic `incr` and no eviction of live entries."""

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        """Add `delta` to the stored number under a row lock; ValueError if the key is missing or expired."""
        cache_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        qn = connection.ops.quote_name
        table = qn(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {qn('value')}, {qn('expires')} FROM {table} WHERE {qn('cache_key')} = %s{lock}",  # noqa: S608
                [cache_key],
            )
            row = cursor.fetchone()
            if row is None or self._expires(connection, row[1]) < timezone.now():
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode()))  # noqa: S301
            value += delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {qn('value')} = %s WHERE {qn('cache_key')} = %s",  # noqa: S608
                [encoded, cache_key],
            )
        return value

    def decr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        return self.incr(key, -delta, version)

    @staticmethod
    def _expires(connection: Any, raw: Any) -> datetime:
        """The stored expiry as an aware datetime, converted the way the backend reads datetimes."""
        expression = models.Expression(output_field=models.DateTimeField())
        for converter in connection.ops.get_db_converters(expression) + expression.get_db_converters(
            connection
        ):
            raw = converter(raw, expression, connection)
        return raw  # type: ignore[no-any-return]

    def _cull(self, db: str, cursor: Any, now: datetime, num: int) -> None:
        """Remove expired entries only: a live counter evicted would restart its limit from zero."""
        connection = connections[db]
        qn = connection.ops.quote_name
        cursor.execute(
            f"DELETE FROM {qn(self._table)} WHERE {qn('expires')} < %s",  # noqa: S608
            [connection.ops.adapt_datetimefield_value(now)],
        )
