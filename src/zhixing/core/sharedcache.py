"""The database cache every web process shares when no Redis is configured.

Django's `DatabaseCache` is shared across processes already, but three of its behaviours do not suit
counters that enforce limits:

* `incr` reads the value and writes it back in two statements, so two workers counting the same key
  at once both write the same number and one hit is lost. Here `incr` locks the row (SELECT ... FOR
  UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions take the write lock at BEGIN) and keeps the
  entry's expiry.
* A first hit costs `incr` (miss) and then `add` (which counts the whole table first). `count` does
  "add 1, creating the entry at 1 when missing or expired" in one locked read and one write (two
  when it starts a counter: expired counters are swept then).
* When the table passes MAX_ENTRIES it evicts a share of live entries, and an evicted counter restarts
  its limit from zero (an attacker could evict his own counters by flooding other keys). Here only
  expired entries are removed.

The table is `core.SharedCacheEntry` (created by the core migration, so a fresh database needs no
`createcachetable`). Counting happens on the caller's connection: inside a transaction that rolls
back, the count rolls back too, so limits are counted before a service's transaction starts.
"""

from __future__ import annotations

import base64
import pickle
from datetime import datetime, timedelta
from typing import Any

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, models, router, transaction
from django.db.models.constants import OnConflict
from django.utils import timezone

from . import plain_statements


class SharedDatabaseCache(DatabaseCache):
    """`DatabaseCache` with an atomic `incr`, a one-step `count` and no eviction of live entries."""

    _table: str  # set by BaseDatabaseCache.__init__ (the table name, LOCATION)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        """Add `delta` to the stored number under a row lock; ValueError if the key is missing or expired."""
        value = self._bump(self.make_and_validate_key(key, version=version), delta, None)
        if value is None:
            raise ValueError(f"Key '{key}' not found")
        return value

    def decr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        return self.incr(key, -delta, version)

    def count(self, key: Any, timeout: int, version: int | None = None, delta: int = 1) -> int:
        """Count `delta` more under `key`: `delta` when it is missing or expired (then it expires in
        `timeout` s)."""
        return int(self._bump(self.make_and_validate_key(key, version=version), delta, timeout))

    def _bump(self, cache_key: str, delta: int, create_timeout: int | None) -> Any:
        """Add `delta` under a row lock. A missing or expired entry: None, or created at `delta` with
        `create_timeout`; creating a row also deletes the expired ones (nothing else culls counters).

        No savepoint and no exception path (a concurrent first insert is ignored and the row then
        locked and updated), so a count costs one locked read and one or two writes, inside or
        outside the caller's transaction; plain statements (`core.plain_statements`), a limit is
        counted for every screening group.
        """
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        ops = connection.ops
        qn = ops.quote_name
        table, key_col, value_col, expires_col = qn(self._table), qn("cache_key"), qn("value"), qn("expires")
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        insert = (
            f"{ops.insert_statement(on_conflict=OnConflict.IGNORE)} {table} ({key_col}, {value_col}, "
            f"{expires_col}) VALUES (%s, %s, %s) {ops.on_conflict_suffix_sql([], OnConflict.IGNORE, [], [])}"
        )
        # Expired counters are swept when a counter starts; rows another worker has locked are skipped
        # (it is counting on them), so two sweeps never wait for each other.
        if connection.features.has_select_for_update_skip_locked:
            sweep = (
                f"DELETE FROM {table} WHERE {key_col} IN (SELECT {key_col} FROM {table} "  # noqa: S608
                f"WHERE {expires_col} < %s FOR UPDATE SKIP LOCKED)"
            )
        else:
            sweep = f"DELETE FROM {table} WHERE {expires_col} < %s"  # noqa: S608
        with transaction.atomic(using=db, savepoint=False):
            for attempt in range(2):
                row = plain_statements.fetch_one(
                    f"SELECT {value_col}, {expires_col} FROM {table} WHERE {key_col} = %s{lock}",  # noqa: S608
                    [cache_key],
                    using=db,
                )
                now = timezone.now()
                if row is not None and self._expires(connection, row[1]) >= now:
                    value = self._decode(connection, row[0]) + delta
                    plain_statements.execute(
                        f"UPDATE {table} SET {value_col} = %s WHERE {key_col} = %s",  # noqa: S608
                        [self._encode(value), cache_key],
                        using=db,
                    )
                    return value
                if create_timeout is None:
                    return None
                expires = ops.adapt_datetimefield_value(
                    (now + timedelta(seconds=create_timeout)).replace(microsecond=0)
                )
                if row is not None:  # expired: a new window
                    plain_statements.execute(
                        f"UPDATE {table} SET {value_col} = %s, {expires_col} = %s WHERE {key_col} = %s",  # noqa: S608
                        [self._encode(delta), expires, cache_key],
                        using=db,
                    )
                    return delta
                if attempt == 0:
                    plain_statements.execute(
                        sweep, [ops.adapt_datetimefield_value(now.replace(microsecond=0))], using=db
                    )
                if plain_statements.execute(insert, [cache_key, self._encode(delta), expires], using=db) == 1:
                    return delta
                # Another worker inserted it first: lock that row and count on it.
        raise RuntimeError(f"cache entry {cache_key!r} could not be counted")

    # -- leases (zhixing.core.leases): a key held by one token until it expires --------------------

    def claim(self, key: Any, token: str, timeout: float, *, renew_only: bool = False) -> bool:
        """Hold `key` for `token` for `timeout` seconds: True when it was free, expired, or already
        `token`'s (then the expiry moves on). With `renew_only`, a missing or expired entry is not taken
        (a holder that lost its lease must not win it back silently). One locked read and one write.

        Runs in its own transaction when the caller has none: call it outside a service's transaction,
        or the claim is seen by other workers only when that transaction commits.
        """
        cache_key = self.make_and_validate_key(key)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        ops = connection.ops
        qn = ops.quote_name
        table, key_col, value_col, expires_col = qn(self._table), qn("cache_key"), qn("value"), qn("expires")
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        insert = (
            f"{ops.insert_statement(on_conflict=OnConflict.IGNORE)} {table} ({key_col}, {value_col}, "
            f"{expires_col}) VALUES (%s, %s, %s) {ops.on_conflict_suffix_sql([], OnConflict.IGNORE, [], [])}"
        )
        with transaction.atomic(using=db, savepoint=False), connection.cursor() as cursor:
            for _attempt in range(2):
                cursor.execute(
                    f"SELECT {value_col}, {expires_col} FROM {table} WHERE {key_col} = %s{lock}",  # noqa: S608
                    [cache_key],
                )
                row = cursor.fetchone()
                now = timezone.now()
                live = row is not None and self._expires(connection, row[1]) >= now
                mine = live and self._decode(connection, row[0]) == token  # type: ignore[index]
                if (live and not mine) or (renew_only and not mine):
                    return False
                expires = ops.adapt_datetimefield_value(now + timedelta(seconds=timeout))
                if row is not None:
                    cursor.execute(
                        f"UPDATE {table} SET {value_col} = %s, {expires_col} = %s WHERE {key_col} = %s",  # noqa: S608
                        [self._encode(token), expires, cache_key],
                    )
                    return True
                cursor.execute(insert, [cache_key, self._encode(token), expires])
                if cursor.rowcount == 1:
                    return True
                # Another worker inserted it first: read it again (it holds it, unless it expired).
        return False

    def release(self, key: Any, token: str) -> bool:
        """Free `key` if `token` holds it (a lease that expired and was taken by another stays theirs)."""
        cache_key = self.make_and_validate_key(key)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        qn = connection.ops.quote_name
        table, key_col, value_col = qn(self._table), qn("cache_key"), qn("value")
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db, savepoint=False), connection.cursor() as cursor:
            cursor.execute(f"SELECT {value_col} FROM {table} WHERE {key_col} = %s{lock}", [cache_key])  # noqa: S608
            row = cursor.fetchone()
            if row is None or self._decode(connection, row[0]) != token:
                return False
            cursor.execute(f"DELETE FROM {table} WHERE {key_col} = %s", [cache_key])  # noqa: S608
            return True

    def _encode(self, value: Any) -> str:
        return base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")

    @staticmethod
    def _decode(connection: Any, raw: Any) -> Any:
        return pickle.loads(base64.b64decode(connection.ops.process_clob(raw).encode()))  # noqa: S301

    @staticmethod
    def _expires(connection: Any, raw: Any) -> datetime:
        """The stored expiry as an aware datetime, converted the way the backend reads datetimes."""
        expression, converters = _expiry_converters(connection)
        for converter in converters:
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


_CONVERTERS: dict[str, tuple[Any, list[Any]]] = {}


def _expiry_converters(connection: Any) -> tuple[Any, list[Any]]:
    """A DateTimeField expression and the converters a backend reads it with (built once per database:
    a model field costs ~30 µs to construct, once per count before)."""
    found = _CONVERTERS.get(connection.alias)
    if found is None:
        expression = models.Expression(output_field=models.DateTimeField())
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        found = _CONVERTERS[connection.alias] = (expression, converters)
    return found
