"""Reading a batch request: the line format (text/plain, or a JSON array of strings) or the original JSON.

Bad input is refused before any screening work, naming `ids` or the item (``ids[3]``); the limit is
checked before items are parsed. An item holding a control character (a tab, NUL, …: no ID number has
one) is never trimmed into an ID: a JSON item is refused (422 naming ``ids[i]``), a text line is
reported invalid with reason ``control`` (`screening.batch_lines`).
"""

from __future__ import annotations

import json

from pydantic import ValidationError as PydanticError

from zhixing.core.asgi_routes import JSON_TYPE
from zhixing.core.errors import ServiceError

from ..api_screening import UnsupportedType
from ..rules import control_char
from ..schemas import MAX_BATCH, BatchIn
from ..screening import count_lines
from .wire import BadJson, Invalid

TEXT_TYPES = ("text/plain", "text/csv")


def too_many(n: int) -> ServiceError:
    return ServiceError(f"每批最多{MAX_BATCH}个身份号码，本批{n}个，请分批查询", field="ids", code="too_many")


def control_refused(values: list[str], name: str) -> None:
    """ServiceError (422) naming ``name[i]`` for the first item holding a control character."""
    if control_char("".join(values)) is None:  # one scan of them all (the usual case)
        return
    for i, value in enumerate(values):
        bad = control_char(value)
        if bad:
            raise ServiceError(f"参数“{name}[{i}]”含有不允许的控制字符（{bad}）", field=f"{name}[{i}]")


def read_batch(content_type: str, body: bytes) -> tuple[bytes | None, list[str] | None]:
    """(body, None) for the line format, (None, legacy ids) for ``{"ids": [...]}``.

    A JSON array of strings is turned into the line format (one item per line). Bad input raises a
    ServiceError naming `ids` before any screening work; the limit is checked before parsing items.
    """
    ctype = content_type.split(";")[0].strip().lower()
    if ctype in TEXT_TYPES:
        n = count_lines(body)
        if n > MAX_BATCH:
            raise too_many(n)
        return body, None
    if ctype not in (JSON_TYPE, ""):
        raise UnsupportedType(
            "不支持的请求格式：请使用 application/json 或 text/plain（每行一个身份号码）",
            field="ids",
            code="unsupported",
        )
    try:
        data = json.loads(body or b"null")
    except (ValueError, RecursionError):  # RecursionError: nested past the parser's depth ("[[[[…")
        raise BadJson() from None
    if isinstance(data, list):
        if len(data) > MAX_BATCH:
            raise too_many(len(data))
        if any(t is not str for t in set(map(type, data))):  # (JSON gives no str subclass)
            i = next(i for i, item in enumerate(data) if not isinstance(item, str))
            raise ServiceError(f"第{i + 1}项应为身份号码文本", field=f"ids[{i}]")
        control_refused(data, "ids")
        return "\n".join(data).encode("utf-8", "surrogatepass"), None
    if isinstance(data, dict) and isinstance(data.get("ids"), list) and len(data["ids"]) > MAX_BATCH:
        raise too_many(len(data["ids"]))
    try:
        ids = BatchIn.model_validate(data).ids
    except PydanticError as exc:
        raise Invalid([dict(e) for e in exc.errors(include_url=False)]) from None
    control_refused(ids, "ids")
    return None, ids
