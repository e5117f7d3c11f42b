"""The values of a statement line that count: its correction's where the user corrected it (pure).

The pages, the indicators and the exports all use these; an export also shows each original value
that the correction changed, as the pages do (struck through there, "原为…" in a document).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

DIRECTION_LABELS = {"in": "收入", "out": "支出", "neutral": "不计收支"}


@dataclass(frozen=True)
class Effective:
    """The counted values of one line, and each imported value the correction replaced (None if not)."""

    amount: Decimal
    direction: str
    counterparty: str
    category: str
    corrected: bool = False
    excluded: bool = False
    reason: str = ""
    was_amount: Decimal | None = None
    was_direction: str | None = None
    was_counterparty: str | None = None
    was_category: str | None = None


def correction_of(tx: Any) -> Any:
    """The line's correction or None (without a query when `select_related("correction")` was used)."""
    try:
        return tx.correction
    except tx.__class__.correction.RelatedObjectDoesNotExist:
        return None


def effective(tx: Any) -> Effective:
    """The values the indicators use for `tx`, with the original of each value its correction changed."""
    c = correction_of(tx)
    if c is None:
        return Effective(tx.amount, tx.direction, tx.counterparty, tx.category)
    return Effective(
        amount=c.amount,
        direction=c.direction,
        counterparty=c.counterparty,
        category=c.category,
        corrected=True,
        excluded=c.excluded,
        reason=c.reason,
        was_amount=tx.amount if c.amount != tx.amount else None,
        was_direction=tx.direction if c.direction != tx.direction else None,
        was_counterparty=tx.counterparty if c.counterparty != tx.counterparty else None,
        was_category=tx.category if c.category != tx.category else None,
    )


def amount_text(e: Effective, currency: str) -> str:
    """ "9500.00 CNY（已更正，原为 12000.00；不计入指标）" — the amount cell of a document."""
    text = f"{e.amount} {currency}"
    if not e.corrected:
        return text
    notes = ["已更正"]
    if e.was_amount is not None:
        notes[0] += f"，原为 {e.was_amount}"
    if e.was_direction is not None:
        notes.append(f"原为{DIRECTION_LABELS.get(e.was_direction, e.was_direction)}")
    if e.excluded:
        notes.append("不计入指标")
    return f"{text}（{'；'.join(notes)}）"


def was_text(value: str, was: str | None) -> str:
    """A corrected text with its original: "某公司（原为 某某）"; the value alone when unchanged."""
    return value if was is None else f"{value}（原为 {was or '空'}）".lstrip()
