"""Names for the ids audit records hold, fetched for a whole page of records at once.

A record keeps ids (`{"party": 154, "asset": 230}`) because names change and ids do not; people read
names (`被执行人：王五`, `财产：存款 6222…0368`). Each app registers, per detail key, a function that
names many values at once (`registry.register_names`). `Naming(records)` gathers every value of every
registered key in the records (at any depth: lists, nested details), calls each function ONCE with
them, and answers `name(namespace, key, value)` from what came back. A page of 200 records then costs
one query per kind of id it shows, not one per value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .actions import _namespace
from .registry import _NAMES, Names


def names_for(key: str, namespace: str) -> Names | None:
    return _NAMES.get((namespace, key)) or _NAMES.get(("", key))


def _nameable(value: Any) -> bool:
    return isinstance(value, int | str) and not isinstance(value, bool) and value != ""


class Naming:
    """The registered names of every id in `records` ((action, before, after) triples)."""

    def __init__(self, records: Iterable[tuple[str, Any, Any]] = ()) -> None:
        wanted: dict[Names, set[Any]] = {}
        for action, before, after in records:
            ns = _namespace(action)
            for part in (before, after):
                self._gather(part, ns, wanted)
        self._known: dict[Names, Mapping[Any, str]] = {
            names: names(values) for names, values in wanted.items() if values
        }

    def _gather(self, value: Any, ns: str, wanted: dict[Names, set[Any]]) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                names = names_for(str(key), ns)
                if names is not None:
                    found = wanted.setdefault(names, set())
                    for v in inner if isinstance(inner, list) else [inner]:
                        if _nameable(v):
                            found.add(v)
                if isinstance(inner, dict | list):
                    self._gather(inner, ns, wanted)
        elif isinstance(value, list):
            for inner in value:
                self._gather(inner, ns, wanted)

    def name(self, key: str, value: Any, namespace: str) -> str | None:
        """The registered name of `value` under `key`, or None (the catalogue's default applies)."""
        names = names_for(key, namespace)
        if names is None or not _nameable(value):
            return None
        known = self._known.get(names)
        if known is None:  # a value outside the records this was made for (one record's page: the admin)
            known = names({value})
        return known.get(value)
