"""Saving a court's statement layouts (对账单版式) — finance of that court only, audited.

Every field is checked before anything is written; an error names the field by its label
(`ServiceError(field=...)`). Column names are single-line text (`formats.clean_text`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from zhixing.core import audit
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.models import Court
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Role

from .. import formats
from .. import statement_layouts as sl
from ..models import StatementLayout

COLUMN_FIELDS = [f"{f}_column" for f in sl.FIELD_LABELS]
TEXT_FIELDS = ["name", "bank_name", "direction_in", "direction_out", *COLUMN_FIELDS]


def _require_finance(actor: Any, court: Court) -> None:
    if not (can_write_court(actor, court) and getattr(actor, "role", "") == Role.FINANCE):
        raise NotPermitted("只有本院财务人员可以维护对账单版式")


def clean_layout(data: Mapping[str, Any]) -> dict[str, Any]:
    """The layout's fields, checked; raises `ServiceError` on the first bad field."""
    out: dict[str, Any] = {}
    labels = {
        "name": "版式名称",
        "bank_name": "银行",
        "direction_in": "收入方向取值",
        "direction_out": "支出方向取值",
    }
    labels |= {f"{f}_column": f"{label}列" for f, label in sl.FIELD_LABELS.items()}
    for name in TEXT_FIELDS:
        out[name] = formats.clean_text(data.get(name, ""), name, labels[name], 64, required=name == "name")
    raw = str(data.get("header_row", "1") or "").strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6 or not 1 <= int(raw) <= sl.HEADER_ROW_MAX:
        raise ServiceError(f"“表头行号”应为1至{sl.HEADER_ROW_MAX}的整数", field="header_row")
    out["header_row"] = int(raw)
    for name, label, allowed in (
        ("encoding", "字符编码", sl.ENCODINGS),
        ("date_format", "日期格式", sl.DATE_FORMATS),
        ("amount_mode", "金额方向", sl.AMOUNT_MODES),
    ):
        value = str(data.get(name, "") or "")
        if value not in allowed:
            raise ServiceError(f"请选择“{label}”", field=name)
        out[name] = value
    spec_fields = {f: out[f"{f}_column"] for f in sl.FIELD_LABELS}
    for f in ("txn_id", "date", *sl.MODE_FIELDS[out["amount_mode"]]):
        if not spec_fields[f]:
            mode = sl.AMOUNT_MODES[out["amount_mode"]]
            raise ServiceError(f"请填写“{sl.FIELD_LABELS[f]}列”（{mode}时必填）", field=f"{f}_column")
    if out["amount_mode"] == sl.DIRECTION:
        for name in ("direction_in", "direction_out"):
            if not sl.split_values(out[name]):
                raise ServiceError(f"请填写“{labels[name]}”", field=name)
        if set(sl.split_values(out["direction_in"])) & set(sl.split_values(out["direction_out"])):
            raise ServiceError("收入方向取值与支出方向取值不能相同", field="direction_out")
    named = [c for c in spec_fields.values() if c]
    dup = next((c for c in named if named.count(c) > 1), None)
    if dup:
        raise ServiceError(f"列名“{dup}”被指定给了多个字段", field="txn_id_column")
    return out


def save_layout(
    actor: Any, court: Court, data: Mapping[str, Any], layout_id: int | None = None
) -> StatementLayout:
    """Create (or, with `layout_id`, change) one of the court's layouts."""
    _require_finance(actor, court)
    values = clean_layout(data)
    with transaction.atomic():
        layout = None
        if layout_id is not None:
            layout = StatementLayout.objects.select_for_update().filter(pk=layout_id, court=court).first()
            if layout is None:
                raise ServiceError("对账单版式不存在", field="layout")
        clash = StatementLayout.objects.filter(court=court, name=values["name"])
        if layout is not None:
            clash = clash.exclude(pk=layout.pk)
        if clash.exists():
            raise ServiceError(f"本院已有名为“{values['name']}”的版式", field="name")
        before = None if layout is None else {k: getattr(layout, k) for k in values}
        if layout is None:
            layout = StatementLayout(court=court)
        for k, v in values.items():
            setattr(layout, k, v)
        layout.updated_by = getattr(actor, "username", "")
        layout.save()
        audit.record(
            actor,
            "funds.layout_save",
            object_type="funds.StatementLayout",
            object_id=layout.pk,
            before=before,
            after=values,
            court=court,
        )
    return layout


def delete_layout(actor: Any, court: Court, layout_id: int) -> None:
    _require_finance(actor, court)
    with transaction.atomic():
        layout = StatementLayout.objects.select_for_update().filter(pk=layout_id, court=court).first()
        if layout is None:
            raise ServiceError("对账单版式不存在", field="layout")
        audit.record(
            actor,
            "funds.layout_delete",
            object_type="funds.StatementLayout",
            object_id=layout.pk,
            before={"name": layout.name},
            court=court,
        )
        layout.delete()
