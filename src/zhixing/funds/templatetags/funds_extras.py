from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from zhixing.core.money import yuan as _yuan

from .. import labels

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)


@register.filter
def yuan(value: Any) -> str:
    """An amount with thousands separators and 2 places (1234567.8 → 1,234,567.80); None → "—"."""
    if value is None or value == "":
        return "—"
    try:
        return _yuan(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


@register.filter
def source_label(code: str) -> str:
    """Receipt source in Chinese (notice → 银行来款通知…)."""
    return labels.source_label(code)


@register.filter
def role_label(role: str) -> str:
    return labels.role_label(role)


@register.filter
def neg(value: Any) -> Any:
    """−value (ledger entries are debit-positive; the money page shows credits as income)."""
    try:
        return -Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value


@register.filter
def next_approver(payout: Any) -> str:
    """The role (in Chinese) that approves a proposed payout next; "" otherwise."""
    chain = getattr(payout, "chain", None) or []
    step = getattr(payout, "step", 0)
    if getattr(payout, "status", "") != "proposed" or step >= len(chain):
        return ""
    return labels.role_label(chain[step])
