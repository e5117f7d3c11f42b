"""Information-only inquiry answers (population, exit-entry, tax, social insurance, marriage...) as words.

A partner answers an information query with a flat JSON object (docs/partner-protocol.md):
`{"passport": true, "exits_last_year": 2}`, `{"married": false}`, `{"former_names": []}`,
`{"housing_fund": "7166.29"}`. The register shows each field as a labelled Chinese field
(护照：有; 婚姻状况：未婚; 曾用名：无; 住房公积金余额：7,166.29元) through the table below: one row
per field, its label and its formatter. A field missing from the table is still shown in words
(`其他信息：…`), never as `key=value`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from zhixing.core.audit_catalogue import format_value


@dataclass(frozen=True)
class InfoField:
    label: str
    text: str

    def __str__(self) -> str:
        return f"{self.label}：{self.text}"


def yes_no(yes: str, no: str) -> Callable[[Any], str]:
    def fmt(value: Any) -> str:
        if value is None or value == "":
            return "未知"
        return yes if value in (True, "true", "True", 1, "1") else no

    return fmt


def yuan(value: Any) -> str:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return f"{amount.quantize(Decimal('0.01')):,}元" if amount.is_finite() else str(value)


def names(value: Any) -> str:
    if not value:
        return "无"
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)


def count(unit: str) -> Callable[[Any], str]:
    def fmt(value: Any) -> str:
        try:
            n = int(value)
        except (TypeError, ValueError):
            return str(value)
        return f"{n}{unit}" if n else "无"

    return fmt


def text(value: Any) -> str:
    return str(value) if value not in (None, "") else "无"


# field -> (label, formatter); the order here is the order on the page.
FIELDS: dict[str, tuple[str, Callable[[Any], str]]] = {
    "name": ("姓名", text),
    "former_names": ("曾用名", names),
    "household_address": ("户籍地址", text),
    "passport": ("护照", yes_no("有", "无")),
    "exits_last_year": ("近一年出境", count("次")),
    "annual_income": ("年收入", yuan),
    "employer": ("参保单位", text),
    "housing_fund": ("住房公积金余额", yuan),
    "married": ("婚姻状况", yes_no("已婚", "未婚")),
    "policies": ("保险保单", count("份")),
}


def info_fields(details: Mapping[str, Any] | None) -> list[InfoField]:
    """The answer's fields in words, known fields in table order, then any other field."""
    if not isinstance(details, Mapping):
        return []
    out = [InfoField(label, fmt(details[key])) for key, (label, fmt) in FIELDS.items() if key in details]
    out += [
        InfoField("其他信息", format_value(str(key), value, "inquiry"))
        for key, value in details.items()
        if key not in FIELDS
    ]
    return out
