"""Copying a layout (复制版式): any layout the court may use becomes an editable layout of its own.

A built-in, platform-wide or shared layout is read-only for the court; copying it (optionally with
some fields changed, e.g. the adjustments a preview needed) gives the court its own layout to adapt.
The copy is saved through `save_preset` (same checks, `analytics.preset.save` audit) and the copy
itself is recorded as `analytics.preset.copy` with its source, in the same transaction.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from zhixing.core import audit
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.roles import Cap

from .. import queries
from ..models import StatementPreset
from .layouts import PRESET_FIELDS, save_preset

COPY_REFUSED = "只有本院负责流水分析的工作人员可以复制版式"


def _free(user: Any, field: str, base: str, limit: int) -> str:
    """`base`, or `base` with a number, that no layout the court may use already has."""
    for n in range(1, 100):
        suffix = "" if n == 1 else (f"-{n}" if field == "code" else f"（{n}）")
        candidate = base[: limit - len(suffix)] + suffix
        if not queries.preset_clashes(user, StatementPreset(**{field: candidate}), field):
            return candidate
    raise ServiceError(f"无法为副本生成不重复的{'代码' if field == 'code' else '名称'}", field=field)


def copy_preset(
    user: Any,
    source: StatementPreset,
    *,
    changes: dict[str, Any] | None = None,
    name: str = "",
    code: str = "",
) -> StatementPreset:
    """A new layout of the user's court with `source`'s fields, then `changes`; audited.

    `name`/`code` default to the source's with "（本院副本）"/"-copy" and a number if taken.
    """
    if getattr(user, "court", None) is None or not user.can(Cap.ANALYTICS_PRESET):
        raise NotPermitted(COPY_REFUSED)
    if queries.preset(user, source.pk) is None:  # another court's own layout is not even visible
        raise ServiceError("版式预设不存在", field="preset")
    data = {f: getattr(source, f) for f in PRESET_FIELDS}
    data.update({k: v for k, v in (changes or {}).items() if k in PRESET_FIELDS})
    data["shared"] = False
    data["name"] = name.strip() or _free(user, "name", f"{source.name}（本院副本）", 64)
    data["code"] = code.strip() or _free(user, "code", f"{source.code}-copy", 32)
    with transaction.atomic():
        copy = save_preset(user, data)
        audit.record(
            user,
            "analytics.preset.copy",
            object_type="StatementPreset",
            object_id=copy.pk,
            court=user.court,
            after={"source": source.pk, "name": copy.name, "changes": sorted((changes or {}).keys())},
        )
    return copy
