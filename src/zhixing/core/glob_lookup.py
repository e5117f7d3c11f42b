"""`__glob`: SQLite's GLOB on a text field, for a cheap superset filter before an exact check in Python.

Django's `__regex` on SQLite calls a Python function for every row it tests (`_sqlite_regexp`, ≈ 2 µs a
call with its pattern-cache look-up), so a regular expression over a debtor's thousands of statement lines
costs milliseconds; GLOB is SQLite's own C matcher: case-sensitive, `*` and `?` wildcards and `[...]`
character classes (ranges included, Unicode characters read as characters). PostgreSQL has no GLOB: its
`__regex` is already native, so callers use this on SQLite only (`available`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Lookup, TextField


class Glob(Lookup):
    lookup_name = "glob"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        if connection.vendor != "sqlite":
            raise NotImplementedError("__glob is SQLite's; use __regex elsewhere (core.glob_lookup)")
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} GLOB {rhs}", (*lhs_params, *rhs_params)


CharField.register_lookup(Glob)
TextField.register_lookup(Glob)


def available(connection: Any) -> bool:
    """True where `__glob` runs (SQLite)."""
    return bool(connection.vendor == "sqlite")
