"""The JSON body of a signed bank notice (single or batch), read with exact types.

The partner protocol (docs/partner-protocol.md) sends every field of a transfer as a JSON string:
ids, account numbers, the amount ("100.00") and the value date ("2026-03-10"). A body is read as
it was written, never coerced: a number, list, object or boolean where a string belongs, a JSON
float or exponent as the amount, or an object with a key twice (which value counts would depend
on the parser: a money difference with the bank's own software) is refused with a 422 naming the
field (``notices[i].<field>`` in a batch); nothing is recorded or booked. Optional text fields may
be absent or null. Fields the platform does not read are ignored.

Pure module: no database.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from zhixing.core.errors import ServiceError

from .services.receipts import INCOMING_TEXT, Incoming

_LABELS = {name: label for name, label, _longest in INCOMING_TEXT} | {
    "amount": "金额",
    "value_date": "到账日期",
}
_REQUIRED = ("txn_id", "amount", "value_date")
_OPTIONAL = ("to_account", "payer_name", "payer_account", "memo", "custody_account_no")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_JSON_TYPES = {dict: "对象", list: "数组", bool: "布尔值", int: "数字", float: "数字", type(None): "null"}


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise _DuplicateKey(key)
        obj[key] = value
    return obj


def loads(body: bytes) -> Any:
    """The body parsed; a duplicated key in any object is a 422 naming it, bad JSON a 422 on `body`."""
    try:
        return json.loads(body, object_pairs_hook=_unique_keys)
    except _DuplicateKey as exc:
        raise ServiceError(f"来款通知中字段“{exc.key}”重复出现，无法确定其取值", field=exc.key) from None
    except (ValueError, RecursionError) as exc:  # RecursionError: nested past the parser's depth
        raise ServiceError(f"来款通知格式错误：{exc}", field="body") from exc


def _kind(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def incoming(data: Any, *, index: int | None = None, custody_account_no: str = "") -> Incoming:
    """One transfer of a notice, every field of its exact JSON type (module docstring)."""
    where = "" if index is None else f"notices[{index}]."
    prefix = "" if index is None else f"第{index + 1}笔来款："
    if not isinstance(data, dict):
        raise ServiceError(f"{prefix}来款应为JSON对象，收到{_kind(data)}", field=where.rstrip(".") or "body")
    got: dict[str, str] = {}
    for name in (*_REQUIRED, *_OPTIONAL):
        value = data.get(name)
        if value is None and name in _OPTIONAL:
            got[name] = ""
            continue
        if name not in data:
            raise ServiceError(f"{prefix}缺少“{_LABELS[name]}”（{name}）", field=f"{where}{name}")
        if not isinstance(value, str):
            raise ServiceError(
                f"{prefix}“{_LABELS[name]}”应为文本（JSON字符串），收到{_kind(value)}", field=f"{where}{name}"
            )
        got[name] = value
    day = got["value_date"].strip()
    try:
        if not _ISO_DAY.fullmatch(day):
            raise ValueError(day)
        value_date = date.fromisoformat(day)
    except ValueError:
        raise ServiceError(
            f"{prefix}到账日期“{got['value_date'][:20]}”应为YYYY-MM-DD格式的日期", field=f"{where}value_date"
        ) from None
    return Incoming(
        txn_id=got["txn_id"],
        amount=got["amount"],
        value_date=value_date,
        to_account=got["to_account"],
        payer_name=got["payer_name"],
        payer_account=got["payer_account"],
        memo=got["memo"],
        custody_account_no=got["custody_account_no"] or custody_account_no,
    )


def batch(data: Any) -> tuple[str, list[Incoming]]:
    """The batch id and transfers of a batch notice, each transfer as `incoming` reads it."""
    if not isinstance(data, dict):
        raise ServiceError(f"批量来款通知应为JSON对象，收到{_kind(data)}", field="body")
    for name, label in (("batch_id", "批次号"), ("custody_account_no", "专户账号")):
        if data.get(name) is not None and not isinstance(data[name], str):
            raise ServiceError(
                f"批量来款通知的“{label}”应为文本（JSON字符串），收到{_kind(data[name])}", field=name
            )
    raw = data.get("notices")
    if not isinstance(raw, list):
        raise ServiceError("批量来款通知格式错误：notices 应为数组", field="notices")
    custody = data.get("custody_account_no") or ""
    return data.get("batch_id") or "", [
        incoming(one, index=i, custody_account_no=custody) for i, one in enumerate(raw)
    ]
