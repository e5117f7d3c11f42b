"""The catalogue's registries and the `register_*` calls every app's `audit_words` module makes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

ValueWords = Mapping[str, str] | Callable[[Any], str | None]

_ACTIONS: dict[str, str] = {}
_COLLAPSE: set[str] = set()
_PREFIXES: list[tuple[str, Callable[[str], str]]] = []
_NAMESPACES: dict[str, str] = {}
_KEYS: dict[tuple[str, str], str] = {}
_VALUES: dict[tuple[str, str], ValueWords] = {}
_MONEY: set[str] = set()

GENERIC_ACTION = "系统操作"
EMPTY = "—"
NONE_LIST = "无"


def _namespaces(namespace: str | Iterable[str]) -> tuple[str, ...]:
    return (namespace,) if isinstance(namespace, str) else tuple(namespace)


def register_actions(words: Mapping[str, str], *, collapse: Iterable[str] = ()) -> None:
    """Words for action codes; `collapse` names the codes that are looks (folded in the trail)."""
    for code, phrase in words.items():
        if not phrase or phrase == code:
            raise ValueError(f"audit action {code!r} needs Chinese words")
        _ACTIONS[code] = phrase
    for code in collapse:
        if code not in _ACTIONS:
            raise ValueError(f"collapse names {code!r}, which has no words")
        _COLLAPSE.add(code)


def register_prefix(prefix: str, words: Callable[[str], str]) -> None:
    """Words for every code starting with `prefix` (codes built at run time, e.g. admin actions)."""
    _PREFIXES.append((prefix, words))
    _PREFIXES.sort(key=lambda p: -len(p[0]))


def register_namespace(namespace: str, noun: str) -> None:
    """The family word of a namespace: an unknown `inquiry.x` reads as `查控操作`."""
    _NAMESPACES[namespace] = noun


def register_keys(labels: Mapping[str, str], *, namespace: str | Iterable[str] = "") -> None:
    for ns in _namespaces(namespace):
        for key, label in labels.items():
            _KEYS[(ns, key)] = label


def register_values(key: str, words: ValueWords, *, namespace: str | Iterable[str] = "") -> None:
    """How a key's values read: a code → words table, or a callable (None = fall back to default)."""
    for ns in _namespaces(namespace):
        _VALUES[(ns, key)] = words


# Names of the ids a record holds (a party's pk → its name), many at a time: `names(values)` gets every
# value of that key found in the records shown and returns words for those it knows (`naming.Naming`).
Names = Callable[[set[Any]], Mapping[Any, str]]
_NAMES: dict[tuple[str, str], Names] = {}


def register_names(key: str, names: Names, *, namespace: str | Iterable[str] = "") -> None:
    """Name the ids the catalogue cannot know (a party's pk → 张三, a document's → 执行通知书).

    `names` is called once per page with all the values of `key` its records hold (ints, or strings
    where the record keeps a code), and returns words for those it knows; any other value reads as the
    catalogue's default. One query per registered source and page (`naming.Naming`), never one per value.
    """
    for ns in _namespaces(namespace):
        _NAMES[(ns, key)] = names


def register_money_keys(*keys: str) -> None:
    _MONEY.update(keys)


def field_words(model: Any, name: str) -> dict[str, str]:
    """A model field's choices as a code → words table for `register_values` (`{}` without choices)."""
    field = model._meta.get_field(name)
    return {str(k): str(v) for k, v in getattr(field, "flatchoices", ())}
