"""The audit catalogue: Chinese words for every audit action code, detail key and value.

Audit records carry machine codes (`inquiry.view.register`) and raw detail (`{"how": "voluntary"}`,
`[{"row": 26, "reason": ...}]`). People read words: `查看登记信息`, `履行方式：自动履行`, `第26行：…`.
This module is the one registry of those words and the one renderer of audit detail.

`core` imports no domain package (import-linter), so each app registers its own words from its
`AppConfig.ready()` by importing its `audit_words` module, which calls:

* `register_actions({"case.file": "立案", ...}, collapse=[...])` — one phrase per action code;
  codes in `collapse` are looks (page views) that the trail folds into "查看登记信息 ×12".
* `register_prefix("admin.action.", fn)` — words for a family of codes built at run time.
* `register_namespace("inquiry", "查控")` — the generic phrase for an unknown code of that family.
* `register_keys({"how": "履行方式"}, namespace="cases")` — labels of detail keys; a namespace (the
  part of the action code before the first dot, or a tuple of them) overrides the global label.
* `register_values("how", {"voluntary": "自动履行"})` or a callable — how a key's values read.
* `register_money_keys("amount", ...)` — values shown as `7,166.29元`.

`action_label(code)` never returns the code: an unknown one reads as a generic phrase
(`查控操作` / `系统操作`), and the catalogue test plus the runtime test guard fail on it
(see docs/audit.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from .localtime import MINUTE_FORMAT, format_datetime

__all__ = [
    "Field",
    "action_label",
    "collapsible",
    "describe",
    "format_value",
    "has_words",
    "human_ref",
    "key_label",
    "register_actions",
    "register_keys",
    "register_lookup",
    "register_money_keys",
    "register_namespace",
    "register_prefix",
    "register_ref_prefix",
    "register_values",
    "summary",
    "unknown_action",
]

ValueWords = Mapping[str, str] | Callable[[Any], str | None]
Resolver = Callable[[str, Any], str | None]

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


_LOOKUPS: dict[tuple[str, str], Callable[[Any], str | None]] = {}


def register_lookup(
    key: str, lookup: Callable[[Any], str | None], *, namespace: str | Iterable[str] = ""
) -> None:
    """Name an id the catalogue cannot know (a handler id → the judge's name), one value at a time.

    Used where no caller-side resolver is given (the audit admin); a page showing many records
    should pass its own batched `resolve` to `describe()`/`summary()` instead.
    """
    for ns in _namespaces(namespace):
        _LOOKUPS[(ns, key)] = lookup


def register_money_keys(*keys: str) -> None:
    _MONEY.update(keys)


# -- actions ------------------------------------------------------------------------------------------


def _namespace(action: str) -> str:
    return action.split(".", 1)[0] if action else ""


def has_words(action: str) -> bool:
    if action in _ACTIONS:
        return True
    return any(action.startswith(prefix) for prefix, _ in _PREFIXES)


def unknown_action(action: str) -> bool:
    return not has_words(action)


def action_label(action: str) -> str:
    """The Chinese phrase of an action code; never the code itself."""
    phrase = _ACTIONS.get(action)
    if phrase:
        return phrase
    for prefix, words in _PREFIXES:
        if action.startswith(prefix):
            return words(action)
    noun = _NAMESPACES.get(_namespace(action))
    return f"{noun}操作" if noun else GENERIC_ACTION


def collapsible(action: str) -> bool:
    return action in _COLLAPSE


def collapse_codes() -> frozenset[str]:
    return frozenset(_COLLAPSE)


def known_actions() -> dict[str, str]:
    return dict(_ACTIONS)


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


def _words_for(key: str, namespace: str) -> ValueWords | None:
    return _VALUES.get((namespace, key)) or _VALUES.get(("", key))


def format_value(key: str, value: Any, namespace: str = "", resolve: Resolver | None = None) -> str:
    """One detail value as words: tables and formatters first, then the general rules."""
    if resolve is not None and not isinstance(value, dict | list):
        found = resolve(key, value)
        if found is not None:
            return found
    if resolve is None and not isinstance(value, dict | list):
        lookup = _LOOKUPS.get((namespace, key)) or _LOOKUPS.get(("", key))
        if lookup is not None and value not in (None, ""):
            found = lookup(value)
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
        return "，".join(str(f) for f in _fields(value, namespace, resolve)) or NONE_LIST
    if isinstance(value, list | tuple):
        if not value:
            return NONE_LIST
        if all(isinstance(v, dict) for v in value):
            return "；".join(_item(v, namespace, resolve) for v in value)
        return "、".join(format_value(key, v, namespace, resolve) for v in value)
    if isinstance(value, datetime):
        return _datetime_text(value.isoformat()) or str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return _datetime_text(value) or value
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def _item(value: dict[str, Any], namespace: str, resolve: Resolver | None) -> str:
    """One element of a list of records: `第26行：原因：金额为空`."""
    rest = {k: v for k, v in value.items() if k != "row"}
    body = "，".join(str(f) for f in _fields(rest, namespace, resolve))
    if "row" in value:
        return f"第{value['row']}行：{body}" if body else f"第{value['row']}行"
    return body or NONE_LIST


def _fields(detail: Mapping[str, Any], namespace: str, resolve: Resolver | None) -> list[Field]:
    return [
        Field(key_label(str(k), namespace), format_value(str(k), v, namespace, resolve))
        for k, v in detail.items()
        if v is not None
    ]


def describe(action: str, before: Any, after: Any, resolve: Resolver | None = None) -> list[Field]:
    """The labelled fields of a record: changed keys read `旧 → 新`, added keys their value.

    `resolve(key, value)` lets the caller name ids it can look up (a handler id → a judge's name);
    it returns None to leave a value to the catalogue.
    """
    ns = _namespace(action)
    b = before if isinstance(before, dict) else ({} if before is None else {"detail": before})
    a = after if isinstance(after, dict) else ({} if after is None else {"detail": after})
    fields: list[Field] = []
    for key in dict.fromkeys([*b, *a]):
        label = key_label(str(key), ns)
        if key in b and key in a:
            old = format_value(str(key), b[key], ns, resolve)
            new = format_value(str(key), a[key], ns, resolve)
            fields.append(Field(label, f"{old} → {new}" if old != new else new))
        elif key in a:
            if a[key] is not None:
                fields.append(Field(label, format_value(str(key), a[key], ns, resolve)))
        else:
            fields.append(Field(label, f"{format_value(str(key), b[key], ns, resolve)} → {EMPTY}"))
    return fields


def summary(action: str, before: Any, after: Any, resolve: Resolver | None = None) -> str:
    """`describe()` as one line: `状态：已立案待分案 → 执行中；承办人：李法官`."""
    return "；".join(str(f) for f in describe(action, before, after, resolve))


# -- references ----------------------------------------------------------------------------------------

_REF_PREFIXES: dict[str, str] = {}


def register_ref_prefix(prefix: str, word: str) -> None:
    """Internal references starting with `prefix` read as `word` (`ded-…` → 扣划)."""
    _REF_PREFIXES[prefix.lower()] = word


def human_ref(value: Any, tail: int = 6) -> str:
    """A machine reference as people read it: `ded-f6319…c2e1a9` → `扣划 · 尾号c2e1a9`.

    Known internal prefixes become their word; a long reference shows only its last `tail` characters
    (how a clerk reads a bank serial number aloud); a short one stays as it is.
    """
    text = str(value or "").strip()
    if not text:
        return EMPTY
    lowered = text.lower()
    for prefix, word in sorted(_REF_PREFIXES.items(), key=lambda p: -len(p[0])):
        if lowered.startswith(prefix):
            rest = text[len(prefix) :]
            return f"{word} · 尾号{rest[-tail:]}" if rest else word
    if len(text) > 16:
        return f"尾号{text[-tail:]}"
    return text


# -- words every app shares ---------------------------------------------------------------------------

register_keys(
    {
        "detail": "详情",
        "amount": "金额",
        "status": "状态",
        "reason": "理由",
        "note": "备注",
        "name": "名称",
        "code": "代码",
        "date": "日期",
        "on": "日期",
        "start": "开始日期",
        "end": "结束日期",
        "days": "天数",
        "error": "错误",
        "errors": "错误",
        "total": "合计",
        "rows": "行数",
        "row": "行号",
        "level": "级别",
        "kind": "类型",
        "role": "角色",
        "court": "法院",
        "username": "用户名",
        "selected": "所选记录",
        "admin_message": "管理后台说明",
        "file": "文件",
        "filter": "筛选条件",
        "what": "内容",
        "why": "原因",
        "source": "来源",
        "ref": "编号",
        "reference": "参考号",
        "document": "文书",
        "number": "编号",
        "count": "数量",
        "year": "年份",
        "today": "当日",
        "event": "事件",
        "state": "状态",
        "step": "环节",
        "result": "结果",
        "results": "结果",
        "attempts": "尝试次数",
        "channel": "渠道",
        "via": "途径",
        "party": "当事人",
        "case": "案件",
        "cases": "案件",
        "type": "类型",
        "id": "编号",
        "pk": "编号",
    }
)
register_values(
    "level",
    {
        "info": "提示",
        "warning": "警告",
        "error": "错误",
        "higher": "高级人民法院",
        "intermediate": "中级人民法院",
        "basic": "基层人民法院",
    },
)
register_values(
    "encoding", {"": "自动识别", "utf-8": "UTF-8 编码", "gbk": "GBK 编码", "gb18030": "GB18030 编码"}
)
register_values("via", {"web": "网页", "api": "接口", "admin": "管理后台", "system": "系统"})
register_values("channel", {"web": "网页", "api": "接口", "admin": "管理后台", "system": "系统"})
register_actions(
    {
        "admin.add": "管理后台新增记录",
        "admin.change": "管理后台修改记录",
        "admin.delete": "管理后台删除记录",
        "calendar.load_year": "载入年度节假日安排",
        "export.xlsx": "导出Excel表格",
    }
)
register_prefix("admin.action.", lambda code: "管理后台批量操作")
register_namespace("admin", "管理后台")
register_namespace("calendar", "节假日")
register_namespace("export", "导出")
register_keys(
    {"table": "表格", "title": "表格名称", "rows": "行数", "capped": "超出上限被截断", "filters": "筛选条件"},
    namespace=("export",),
)
