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

* A counter is ONE statement where the database can (SQLite ≥ 3.35, PostgreSQL): an UPSERT … RETURNING
  that starts the window, restarts an expired one or adds to a live one. For that a counter's value is
  stored as text SQL can add to (``i:<n>``; never a pickle's base64, which has no colon), and `get`
  reads both forms. A counter still holding a pickled number (written before) is counted the former
  way, in a locked read and a write, until its window ends.

The table is `core.SharedCacheEntry` (created by the core migration, so a fresh database needs no
`createcachetable`). Counting happens on the caller's connection: inside a transaction that rolls
back, the count rolls back too, so limits are counted before a service's transaction starts.
"""

from __future__ import annotations

import base64
import pickle
from dataclasses import dataclass
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
        `timeout` s). One UPSERT … RETURNING where the database has it (`_upsert`)."""
        cache_key = self.make_and_validate_key(key, version=version)
        value = self._upsert(cache_key, delta, timeout)
        if value is None:
            value = self._bump(cache_key, delta, timeout)
        return int(value)

    def _upsert(self, cache_key: str, delta: int, timeout: int) -> int | None:
        """The counter after adding `delta`, in one statement; None when the database cannot do it or the
        live entry holds a pickled number (then `_bump` counts it). Starting a window also sweeps the
        expired entries (nothing else culls counters), as `_bump` does."""
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        sql = _statements(self._table, connection)
        if sql.upsert is None:
            return None
        ops = connection.ops
        now = timezone.now()
        at = ops.adapt_datetimefield_value(now)
        expires = ops.adapt_datetimefield_value((now + timedelta(seconds=timeout)).replace(microsecond=0))
        row = plain_statements.fetch_one(
            sql.upsert, [cache_key, f"{COUNTER_PREFIX}{delta}", expires, at, delta, at, at], using=db
        )
        if row is None:
            return None
        value = int(ops.process_clob(row[0])[len(COUNTER_PREFIX) :])
        if value == delta:  # a new window (counts only grow): sweep the expired counters
            plain_statements.execute(
                sql.sweep, [ops.adapt_datetimefield_value(now.replace(microsecond=0))], using=db
            )
        return value

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        """`DatabaseCache.get_many` that also reads counters stored as ``i:<n>`` (`_decode`)."""
        if not keys:
            return {}
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}
        db = router.db_for_read(self.cache_model_class)
        connection = connections[db]
        qn = connection.ops.quote_name
        marks = ", ".join(["%s"] * len(key_map))
        rows = plain_statements.fetch(
            f"SELECT {qn('cache_key')}, {qn('value')}, {qn('expires')} FROM {qn(self._table)} "  # noqa: S608
            f"WHERE {qn('cache_key')} IN ({marks})",
            list(key_map),
            using=db,
        )
        result = {}
        expired = []
        now = timezone.now()
        for key, value, expires in rows:
            if self._expires(connection, expires) < now:
                expired.append(key)
            else:
                result[key_map.get(key)] = self._decode(connection, value)
        self._base_delete_many(expired)  # type: ignore[attr-defined]
        return result

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
        sql = _statements(self._table, connection)
        with transaction.atomic(using=db, savepoint=False):
            for attempt in range(2):
                row = plain_statements.fetch_one(sql.select, [cache_key], using=db)
                now = timezone.now()
                if row is not None and self._expires(connection, row[1]) >= now:
                    value = self._decode(connection, row[0]) + delta
                    plain_statements.execute(sql.update, [_counter(value), cache_key], using=db)
                    return value
                if create_timeout is None:
                    return None
                expires = ops.adapt_datetimefield_value(
                    (now + timedelta(seconds=create_timeout)).replace(microsecond=0)
                )
                if row is not None:  # expired: a new window
                    plain_statements.execute(sql.restart, [_counter(delta), expires, cache_key], using=db)
                    return delta
                if attempt == 0:
                    plain_statements.execute(
                        sql.sweep, [ops.adapt_datetimefield_value(now.replace(microsecond=0))], using=db
                    )
                if plain_statements.execute(sql.insert, [cache_key, _counter(delta), expires], using=db) == 1:
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
        text = connection.ops.process_clob(raw)
        if text.startswith(COUNTER_PREFIX):  # a counter (`_counter`)
            return int(text[len(COUNTER_PREFIX) :])
        return pickle.loads(base64.b64decode(text.encode()))  # noqa: S301

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


COUNTER_PREFIX = "i:"  # a counter's stored value: "i:<n>" (base64 has no colon: never a pickle)


def _counter(value: int) -> str:
    return f"{COUNTER_PREFIX}{int(value)}"


@dataclass(frozen=True)
class _Statements:
    select: str  # value and expiry of one key, row-locked where the database can
    update: str
    restart: str  # a new window on an expired entry
    insert: str  # a new entry (ignored when another worker inserted it first)
    sweep: str  # the expired entries
    upsert: str | None  # count in one statement (None: the database cannot)


_STATEMENTS: dict[tuple[str, str], _Statements] = {}


def _statements(table_name: str, connection: Any) -> _Statements:
    """The counter's statements for a database, built once (they were formatted on every count)."""
    found = _STATEMENTS.get((table_name, connection.alias))
    if found is not None:
        return found
    ops, features = connection.ops, connection.features
    qn = ops.quote_name
    table, key_col, value_col, expires_col = qn(table_name), qn("cache_key"), qn("value"), qn("expires")
    lock = " FOR UPDATE" if features.has_select_for_update else ""
    insert = (
        f"{ops.insert_statement(on_conflict=OnConflict.IGNORE)} {table} ({key_col}, {value_col}, "
        f"{expires_col}) VALUES (%s, %s, %s) {ops.on_conflict_suffix_sql([], OnConflict.IGNORE, [], [])}"
    )
    # Expired counters are swept when a counter starts; rows another worker has locked are skipped
    # (it is counting on them), so two sweeps never wait for each other.
    if features.has_select_for_update_skip_locked:
        sweep = (
            f"DELETE FROM {table} WHERE {key_col} IN (SELECT {key_col} FROM {table} "  # noqa: S608
            f"WHERE {expires_col} < %s FOR UPDATE SKIP LOCKED)"
        )
    else:
        sweep = f"DELETE FROM {table} WHERE {expires_col} < %s"  # noqa: S608
    upsert = None
    if features.supports_update_conflicts_with_target and features.can_return_columns_from_insert:
        # A live "i:<n>" entry gets n + delta; a missing or expired one starts at delta; a live pickled
        # number is left alone (no row returned: `_bump` counts it).
        old_value, old_expires = f"{table}.{value_col}", f"{table}.{expires_col}"
        prefix = f"'{COUNTER_PREFIX}'"
        upsert = (
            f"INSERT INTO {table} ({key_col}, {value_col}, {expires_col}) VALUES (%s, %s, %s) "  # noqa: S608
            f"ON CONFLICT ({key_col}) DO UPDATE SET "
            f"{value_col} = CASE WHEN {old_expires} < %s THEN excluded.{value_col} ELSE {prefix} || "
            f"CAST(CAST(SUBSTR({old_value}, {len(COUNTER_PREFIX) + 1}) AS BIGINT) + %s AS TEXT) END, "
            f"{expires_col} = CASE WHEN {old_expires} < %s THEN excluded.{expires_col} "
            f"ELSE {old_expires} END "
            f"WHERE {old_expires} < %s OR SUBSTR({old_value}, 1, {len(COUNTER_PREFIX)}) = {prefix} "
            f"RETURNING {value_col}"
        )
    found = _STATEMENTS[(table_name, connection.alias)] = _Statements(
        select=f"SELECT {value_col}, {expires_col} FROM {table} WHERE {key_col} = %s{lock}",  # noqa: S608
        update=f"UPDATE {table} SET {value_col} = %s WHERE {key_col} = %s",  # noqa: S608
        restart=f"UPDATE {table} SET {value_col} = %s, {expires_col} = %s WHERE {key_col} = %s",  # noqa: S608
        insert=insert,
        sweep=sweep,
        upsert=upsert,
    )
    return found


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
