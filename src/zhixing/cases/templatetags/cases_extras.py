"""Template filters for the staff screens: masked IDs, money, deadline colours, capability checks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.conf import settings

from zhixing.core.identity import mask_id
from zhixing.core.money import yuan

register = template.Library()

COLOR_LABELS = {
    "red": "已超期",
    "yellow": "即将到期",
    "green": "正常",
    "done": "已完成",
    "paused": "暂停计算",
    "cancelled": "已撤销",
}


@register.filter
def mask(value: str | None) -> str:
    """`440106199001011234` → `4401**********1234` (DESIGN invariant 9)."""
    return mask_id(value or "")


@register.filter
def money(value: Decimal | None) -> str:
    """`Decimal("1234.5")` → `1,234.50`; None → `—`."""
    if value is None or value == "":
        return "—"
    return yuan(Decimal(value))


@register.filter
def figure(value: Decimal | int | None) -> str:
    """A metric's term: an amount (Decimal) as `money`, a count as it is."""
    if isinstance(value, Decimal):
        return yuan(value)
    return "—" if value is None else str(value)


@register.filter
def color_label(color: str) -> str:
    return COLOR_LABELS.get(color, "")


@register.filter
def can(user: Any, cap: str) -> bool:
    """`{% if user|can:"case.file" %}` — role capability (court scoping is checked by the view)."""
    return bool(getattr(user, "is_authenticated", False) and user.can(cap))


@register.simple_tag
def demo_mode() -> bool:
    """Whether to show the demo sign-in hint: DEBUG or the ZHIXING_DEMO setting."""
    return bool(settings.DEBUG or getattr(settings, "ZHIXING_DEMO", False))


@register.simple_tag(takes_context=True)
def query_with(context: Any, **changes: Any) -> str:
    """The current query string with some parameters replaced (empty value removes one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def event_hint(code: str) -> str:
    """How the platform completes a node of this code ("" when only a person can)."""
    from zhixing.cases.services.node_events import EVENT_NODES

    return EVENT_NODES.get(code, "")
