"""Words for audit detail: key labels, value words, and the rendering of a record's before/after."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ..localtime import MINUTE_FORMAT, format_datetime
from .actions import _namespace
from .naming import Naming
from .registry import _KEYS, _MONEY, _VALUES, EMPTY, NONE_LIST, ValueWords

# -- detail -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One labelled field of an audit record's detail: `履行方式` / `自动履行`."""

    label: str
    text: str

    def __str__(self) -> str:
        return f"{self.label}：{self.text}"


def key_label(key: str, namespace: str = "") -> str:
    label = _KEYS.get((namespace, key)) or _KEYS.get(("", key))
    if label:
        return label
    if key.isdigit():
        return f"第{key}项"
    return "其他信息"


def has_key_label(key: str, namespace: str = "") -> bool:
    return (namespace, key) in _KEYS or ("", key) in _KEYS


def _yuan(value: Any) -> str | None:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite():
        return None
    return f"{amount.quantize(Decimal('0.01')):,}元"


_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?$")


def _datetime_text(value: str) -> str | None:
    if not _ISO_DATETIME.match(value):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return format_datetime(moment, MINUTE_FORMAT) if moment.tzinfo else moment.strftime("%Y-%m-%d %H:%M")


# Values that are the platform's own plumbing, not words for a reader (walk finding 5): an internal
# reference key (`node:2869:overdue`, `funds.receipt:DEMO-M-N-4-004`), a page address (`/cases/300/…`),
# a storage path (`documents/3f/3ff9….docx`). A field holding one is left out of the record's words.
_INTERNAL = re.compile(
    r"^[a-z][a-z_.-]*:[\w.:-]+$"  # namespace:key[:more]
    r"|^/[\w./?=&#%-]*$"  # an address inside the platform
    r"|^[\w-]+/(?:[0-9a-f]{2}/)?[0-9a-f]{16,}(?:\.\w+)?$"  # content-addressed storage
)


def is_internal(value: Any) -> bool:
    return isinstance(value, str) and bool(_INTERNAL.match(value.strip()))


def _words_for(key: str, namespace: str) -> ValueWords | None:
    return _VALUES.get((namespace, key)) or _VALUES.get(("", key))


def format_value(key: str, value: Any, namespace: str = "", naming: Naming | None = None) -> str:
    """One detail value as words: registered names of ids first (`naming`, made for the page's records;
    without it each id is named on its own), then the words tables and formatters, then the general rules."""
    if not isinstance(value, dict | list):
        found = (naming or Naming()).name(key, value, namespace)
        if found is not None:
            return found
    words = _words_for(key, namespace)
    if words is not None:
        if callable(words):
            text = words(value)
            if text is not None:
                return text
        elif isinstance(value, str | int | bool) and str(value) in words:
            return words[str(value)]
        elif isinstance(value, bool) and ("true" if value else "false") in words:
            return words["true" if value else "false"]
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if key in _MONEY and not isinstance(value, dict | list):
        text = _yuan(value)
        if text is not None:
            return text
    if isinstance(value, dict):
        return "，".join(str(f) for f in _fields(value, namespace, naming)) or NONE_LIST
    if isinstance(value, list | tuple):
        if not value:
            return NONE_LIST
        if all(isinstance(v, dict) for v in value):
            return "；".join(_item(v, namespace, naming) for v in value)
        return "、".join(format_value(key, v, namespace, naming) for v in value)
    if isinstance(value, datetime):
        return _datetime_text(value.isoformat()) or str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return _datetime_text(value) or value
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def _item(value: dict[str, Any], namespace: str, naming: Naming | None) -> str:
    """One element of a list of records: `第26行：原因：金额为空`."""
    rest = {k: v for k, v in value.items() if k != "row"}
    body = "，".join(str(f) for f in _fields(rest, namespace, naming))
    if "row" in value:
        return f"第{value['row']}行：{body}" if body else f"第{value['row']}行"
    return body or NONE_LIST


def _fields(detail: Mapping[str, Any], namespace: str, naming: Naming | None) -> list[Field]:
    return [
        Field(key_label(str(k), namespace), format_value(str(k), v, namespace, naming))
        for k, v in detail.items()
        if v is not None
    ]


def describe(action: str, before: Any, after: Any, naming: Naming | None = None) -> list[Field]:
    """The labelled fields of a record: changed keys read `旧 → 新`, added keys their value.

    `naming` names the ids (a handler id → the judge's name): a page of records makes one for all of
    them (`Naming(records)`, one query per kind of id); without it, one for this record.
    """
    ns = _namespace(action)
    naming = naming or Naming([(action, before, after)])
    b = before if isinstance(before, dict) else ({} if before is None else {"detail": before})
    a = after if isinstance(after, dict) else ({} if after is None else {"detail": after})
    fields: list[Field] = []
    for key in dict.fromkeys([*b, *a]):
        label = key_label(str(key), ns)
        if key in b and key in a:
            old = format_value(str(key), b[key], ns, naming)
            new = format_value(str(key), a[key], ns, naming)
            if is_internal(old) or is_internal(new):  # words still the raw key: not for the reader
                continue
            fields.append(Field(label, f"{old} → {new}" if old != new else new))
        elif key in a:
            text = format_value(str(key), a[key], ns, naming)
            if a[key] is not None and not is_internal(text):
                fields.append(Field(label, text))
        elif not is_internal(text := format_value(str(key), b[key], ns, naming)):
            fields.append(Field(label, f"{text} → {EMPTY}"))
    return fields


def summary(action: str, before: Any, after: Any, naming: Naming | None = None) -> str:
    """`describe()` as one line: `状态：已立案待分案 → 执行中；承办人：李法官`."""
    return "；".join(str(f) for f in describe(action, before, after, naming))
