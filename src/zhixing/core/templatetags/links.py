"""`{% stored_link url label user %}`: a stored on-site link as a link only for who may open it."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from zhixing.core.link_access import may_open

register = template.Library()


@register.simple_tag
def stored_link(url: str, label: str, user: Any, testid: str = "") -> str:
    """`<a href=url>label</a>` when `user` may open the page (`core.link_access`), else the label as
    plain text marked 无权查看 (the page behind it would answer 无权访问)."""
    if may_open(user, url):
        return format_html('<a data-testid="{}" href="{}">{}</a>', testid or "stored-link", url, label)
    return format_html(
        '<span class="muted" data-testid="{}" title="您的岗位无权查看该记录">{}</span>',
        (testid or "stored-link") + "-text",
        label,
    )
