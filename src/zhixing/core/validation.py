"""The API's 422 body for a failed validation: Chinese messages naming the field.

Used by the ninja API's exception handler (`zhixing.config.api`) and by the ASGI screening gateway in
front of Django (`zhixing.credit.gateway`), so both answer a bad body alike.
"""

from __future__ import annotations

from typing import Any

# Where ninja puts a parameter, and the names our handlers give their parameter models: not field names.
_LOC_PREFIXES = {"body", "query", "path", "header", "cookie", "form", "file", "payload", "q"}

# Chinese texts for pydantic's error types (placeholders come from the error's `ctx`).
_MESSAGES = {
    "missing": "为必填项",
    "string_type": "应为文本",
    "string_too_long": "不能超过{max_length}个字符",
    "string_too_short": "不能少于{min_length}个字符",
    "string_unicode": "含有无效的Unicode字符",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "greater_than_equal": "不能小于{ge}",
    "greater_than": "须大于{gt}",
    "less_than_equal": "不能大于{le}",
    "less_than": "须小于{lt}",
    "enum": "应为以下之一：{expected}",
    "literal_error": "应为以下之一：{expected}",
    "list_type": "应为数组",
    "too_long": "最多{max_length}项",
    "too_short": "至少{min_length}项",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "date_type": "应为YYYY-MM-DD格式的日期",
    "date_parsing": "应为YYYY-MM-DD格式的日期",
    "date_from_datetime_parsing": "应为YYYY-MM-DD格式的日期",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "json_invalid": "不是有效的JSON",
    "extra_forbidden": "不是可接受的参数",
}


def _field(loc: Any) -> str:
    """`("body", "payload", "parties", 0, "id_number")` → `parties[0].id_number`.

    A bad key of a mapping names the mapping (the key itself may be garbage).
    """
    parts = list(loc or ())
    while parts and isinstance(parts[0], str) and parts[0] in _LOC_PREFIXES:
        parts.pop(0)
    if "[key]" in parts:
        parts = parts[: max(parts.index("[key]") - 1, 0)]
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += f".{p}" if out else str(p)
    return out


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "value_error" and ctx.get("error") is not None:
        return str(ctx["error"])
    template = _MESSAGES.get(kind)
    if template is None:
        return "格式错误"
    if "expected" in ctx:
        ctx = {**ctx, "expected": str(ctx["expected"]).replace(" or ", "、").replace(", ", "、")}
    try:
        return template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return template


def validation_body(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """The 422 body of a validation failure ."""
    first = errors[0] if errors else {}
    field = _field(first.get("loc"))
    detail = f"参数“{field or '请求'}”{_message(first)}" if first else "请求参数无效"
    return {
        "detail": detail,
        "field": field or None,
        "code": "invalid",
        "errors": [{"field": _field(e.get("loc")) or None, "detail": _message(e)} for e in errors],
    }
