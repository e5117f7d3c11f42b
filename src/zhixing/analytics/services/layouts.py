"""Statement layouts (版式预设): installing the built-in ones, and a court's own layouts.

A court's staff who hold `Cap.ANALYTICS_PRESET` define, change and delete their own court's layouts;
a higher court may share its layouts with the courts below it (they use them, read-only). Built-in
and other platform-wide layouts (no court) are changed only by an administrator in admin (audited by
`AuditedModelAdmin`). Every write here is audited in its transaction.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.courts.queries import readable_courts
from zhixing.courts.roles import Cap

from .. import queries
from ..columns import column_key
from ..dates import check_pattern, check_time_pattern
from ..models import StatementPreset
from ..presets import BUILTIN
from ..readers import MAX_COLUMNS
from ..totals import check_regex

# What a court may set on its layout; who owns it (`court`) and `builtin` are never taken from input.
FIELDS = {
    f.name: f for f in StatementPreset._meta.concrete_fields if f.name not in ("id", "court", "builtin")
}
PRESET_FIELDS = list(FIELDS)


def install_builtin_presets() -> int:
    """Create the built-in presets that are missing (idempotent); returns how many were added."""
    added = 0
    with transaction.atomic():
        for code, fields in BUILTIN.items():
            _, created = StatementPreset.objects.get_or_create(
                code=code, court=None, defaults={**fields, "builtin": True}
            )
            if created:
                added += 1
                audit.record(None, "analytics.preset.install", object_type="StatementPreset", object_id=code)
    return added


def _snapshot(p: StatementPreset) -> dict[str, Any]:
    return {"court": p.court_id, **{k: getattr(p, k) for k in PRESET_FIELDS}}


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # a tab may be a delimiter; nothing else invisible


# The text encodings a statement export comes in. A layout names one of these (any of Python's spellings
# of it): Python also knows codecs that are not text encodings of a file, and some of them (punycode,
# idna) take quadratic time on a crafted file.
TEXT_ENCODINGS = (
    "utf-8",
    "utf-8-sig",
    "gbk",
    "gb18030",
    "gb2312",
    "big5",
    "big5hkscs",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "latin-1",
    "cp1252",
    "iso8859-15",
    "shift_jis",
    "euc_jp",
    "euc_kr",
)
_KNOWN = {codecs.lookup(e).name for e in TEXT_ENCODINGS}


def check_fields(obj: StatementPreset) -> None:
    """What each field must be for the file to be read with it, for a saved layout and for a preview's
    edits alike: no control character (a tab only as the delimiter), one character as the delimiter, a
    text encoding, usable date/time formats and patterns (`_check_reading`). ServiceError naming the field."""
    for name, model_field in FIELDS.items():
        value = getattr(obj, name)
        if isinstance(value, str) and _CONTROL.search(value):
            raise ServiceError(f"{model_field.verbose_name}含有不可见的控制字符", field=name)
    if len(obj.delimiter or ",") != 1:
        raise ServiceError("分隔符须为一个字符（如 , ; | 或制表符）", field="delimiter")
    try:
        known = codecs.lookup(obj.encoding or "utf-8").name in _KNOWN
    except LookupError:
        known = False
    if not known:
        raise ServiceError(
            f"未知的字符编码：{obj.encoding}（可选：{'、'.join(TEXT_ENCODINGS)}）", field="encoding"
        )
    _check_reading(obj)


def _check(user: Any, obj: StatementPreset) -> None:
    """The layout as a whole: the columns an import needs, a known encoding, unique words."""
    check_fields(obj)
    if not obj.date_column:
        raise ServiceError("请填写日期列", field="date_column")
    if not obj.amount_column and not (obj.in_column and obj.out_column):
        raise ServiceError("请填写金额列，或同时填写收入金额列与支出金额列", field="amount_column")
    if not obj.header_row and not obj.header_marker and not obj.headerless:
        raise ServiceError("请填写表头行号或表头标志", field="header_marker")
    try:
        obj.full_clean(exclude=["court"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        name, errors = next(iter(exc.message_dict.items()))
        label = FIELDS[name].verbose_name if name in FIELDS else "版式"
        raise ServiceError(f"{label}：{' '.join(errors)}", field=name) from None
    for field, label in (("code", "代码"), ("name", "名称")):
        if queries.preset_clashes(user, obj, field):
            raise ServiceError(f"{label}“{getattr(obj, field)}”已被本院可用的其他版式使用", field=field)
    if obj.shared and not readable_courts(user).exclude(pk=user.court.pk).exists():
        raise ServiceError("本院没有下级法院，不能共享版式", field="shared")


def _check_reading(obj: StatementPreset) -> None:
    """Date/time formats, the keyword rule and the period/totals patterns are usable as written."""
    for name in ("date_format", "time_format"):
        value = getattr(obj, name).strip()
        setattr(obj, name, value)
        if value:
            try:
                check_pattern(value) if name == "date_format" else check_time_pattern(value)
            except ValueError as exc:
                raise ServiceError(f"{FIELDS[name].verbose_name}：{exc}", field=name) from None
    keywords = obj.direction_keywords_in.strip() or obj.direction_keywords_out.strip()
    by_keywords = keywords and obj.amount_column and not obj.direction_column
    if by_keywords and not (obj.direction_text_column or obj.summary_column):
        message = "按关键词判断收支时，请填写“收支关键词所在列”或“摘要列”"
        raise ServiceError(message, field="direction_text_column")
    if obj.headerless and obj.header_marker and not obj.header_row:
        raise ServiceError("没有表头行的文件不按表头标志查找，请清空“表头标志”", field="header_marker")
    if obj.headerless:
        for name, field in FIELDS.items():
            key = column_key(str(getattr(obj, name) or "")) if name.endswith("_column") else ""
            if key.isascii() and key.isdigit() and (len(key) > 4 or int(key) > MAX_COLUMNS):
                raise ServiceError(f"{field.verbose_name}：列序号超过{MAX_COLUMNS}列的上限", field=name)
    for name, groups in (
        ("period_pattern", 2),
        ("total_in_pattern", 1),
        ("total_out_pattern", 1),
        ("total_count_pattern", 1),
    ):
        value = getattr(obj, name)
        if value:
            try:
                check_regex(value, groups)
            except ValueError as exc:
                raise ServiceError(f"{FIELDS[name].verbose_name}：{exc}", field=name) from None
    if not obj.amount_sign:
        obj.amount_sign = StatementPreset.Sign.IN_POSITIVE


def save_preset(user: Any, data: dict[str, Any], preset: StatementPreset | None = None) -> StatementPreset:
    """Create a layout of the user's court, or change one of its own layouts; audited."""
    if getattr(user, "court", None) is None or not user.can(Cap.ANALYTICS_PRESET):
        raise NotPermitted("只有本院负责流水分析的工作人员可以维护版式预设")
    if preset is not None and not queries.preset_editable(user, preset):
        raise NotPermitted("只能修改本院定义的版式；内置版式与上级法院共享的版式为只读")
    with transaction.atomic():
        before = None
        if preset is not None:
            preset = StatementPreset.objects.select_for_update().get(pk=preset.pk)
            before = _snapshot(preset)
        obj = preset or StatementPreset(court=user.court)
        for k, v in data.items():
            if k in PRESET_FIELDS:  # an empty value (None from the API) is the field's default
                setattr(obj, k, FIELDS[k].get_default() if v is None else v)
        obj.builtin = False
        _check(user, obj)
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError:  # a colleague saved the same name or code a moment ago
            raise ServiceError("名称或代码已被本院其他版式使用", field="code") from None
        audit.record(
            user,
            "analytics.preset.save",
            object_type="StatementPreset",
            object_id=obj.pk,
            court=user.court,
            before=before,
            after=_snapshot(obj),
        )
    return obj


def delete_preset(user: Any, preset: StatementPreset) -> None:
    """Delete one of the court's own layouts that no import used (imports keep their layout)."""
    if not queries.preset_editable(user, preset):
        raise NotPermitted("只能删除本院定义的版式；内置版式与上级法院共享的版式为只读")
    with transaction.atomic():
        preset = StatementPreset.objects.select_for_update().get(pk=preset.pk)
        if queries.preset_in_use(preset):
            raise Conflict("已有导入任务使用该版式，不能删除（可修改后继续使用）", field="preset")
        before = _snapshot(preset)
        pk = preset.pk
        preset.delete()
        audit.record(
            user,
            "analytics.preset.delete",
            object_type="StatementPreset",
            object_id=pk,
            court=user.court,
            before=before,
        )
