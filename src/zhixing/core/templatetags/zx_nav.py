"""The main menu, the worklist panel and the bell's settings, for base.html and the home pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from zhixing.core import navigation, worklist

register = template.Library()


@register.inclusion_tag("core/_menu.html", takes_context=True)
def main_menu(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    path = getattr(request, "path", "") or ""
    return {"menu": navigation.menu_for(user, path)}


@register.inclusion_tag("core/_worklist.html", takes_context=True)
def worklist_panel(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    groups = worklist.groups_for(user)
    return {"groups": groups, "total": sum(g.total for g in groups)}


@register.simple_tag
def notify_poll_seconds() -> int:
    """How often the bell asks for new notifications when the WebSocket is not available."""
    return int(getattr(settings, "ZHIXING_NOTIFY_POLL_SECONDS", 30))
