"""`{% export_button table="…" %}`: a link to the current page as .xlsx (`?export=xlsx`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html

from zhixing.core.export_tables import TABLE_PARAM
from zhixing.core.exports import EXPORT_FORMAT, EXPORT_PARAM, max_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def export_url(context: Any, table: str = "", **extra: Any) -> str:
    """The current URL's query with `export=xlsx` (paging cursor dropped: the export takes every row)."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else {}
    for key in (EXPORT_PARAM, TABLE_PARAM, "cursor", "before", "page"):
        params.pop(key, None)  # type: ignore[union-attr]
    for key, value in extra.items():
        if value not in (None, ""):
            params[key] = value  # type: ignore[index]
    params[EXPORT_PARAM] = EXPORT_FORMAT  # type: ignore[index]
    if table:
        params[TABLE_PARAM] = table  # type: ignore[index]
    return "?" + params.urlencode()  # type: ignore[union-attr]


@register.simple_tag(takes_context=True)
def export_button(
    context: Any, table: str = "", label: str = "导出Excel", title: str = "", **extra: Any
) -> str:
    """The export link; `table` names the table that follows it, `title` the file's name (default:
    the heading above it)."""
    return format_html(
        '<a class="btn secondary export-xlsx" href="{}" data-export="{}" data-title="{}" download '
        'title="按当前筛选导出，最多{}行">{}</a>',
        export_url(context, table, **extra),
        table,
        title,
        max_rows(),
        label,
    )


@register.filter
def sum_of(rows: Any, attr: str) -> Decimal:
    """The sum of `attr` over `rows` (objects or dicts; None counts 0), for a list's totals footer."""
    total = Decimal("0")
    for row in rows or ():
        value = row.get(attr) if isinstance(row, dict) else getattr(row, attr, None)
        total += Decimal(value or 0)
    return total
