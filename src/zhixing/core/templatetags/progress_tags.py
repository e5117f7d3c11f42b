"""`{% progress_bar p %}`: a `zhixing.core.progress.Progress` as an accessible bar with its words."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("core/widgets/progress.html")
def progress_bar(progress: Any, label: str = "进度", testid: str = "") -> dict[str, Any]:
    return {"p": progress, "label": label, "testid": testid}
