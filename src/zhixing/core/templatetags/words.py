"""Template filters that turn codes into words (the one catalogue: `zhixing.core.audit_catalogue`).

{% load words %}
{{ r.bank_txn_id|human_ref }}        ded-f6319…c2e1a9 → 扣划 · 尾号c2e1a9
{{ r.source|word:"funds:source" }}   deduction → 扣划   (namespace:key, or just key)
{{ rec.action|action_words }}        inquiry.view.register → 查看财产登记信息
{{ rec|audit_summary }}              an AuditRecord's detail as labelled fields
"""

from __future__ import annotations

from typing import Any

from django import template

from zhixing.core import audit_catalogue as catalogue

register = template.Library()


@register.filter
def human_ref(value: Any) -> str:
    return catalogue.human_ref(value)


@register.filter
def word(value: Any, key: str) -> str:
    """A value in words by the catalogue's table for `key` (`"funds:source"` names the namespace)."""
    namespace, _, name = key.rpartition(":")
    return catalogue.format_value(name, value, namespace)


@register.filter
def action_words(code: Any) -> str:
    return catalogue.action_label(str(code or ""))


@register.filter
def audit_summary(record: Any) -> str:
    return catalogue.summary(record.action, record.before, record.after) or "—"
