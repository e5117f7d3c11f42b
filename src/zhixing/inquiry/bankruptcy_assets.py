"""inquiry's part of the 执转破 screening (`zhixing.cases.queries_bankruptcy`): the value of a company's
assets found in the register, across its cases (one asset counted once: same institution and reference)."""

from __future__ import annotations

from decimal import Decimal

from .models import Asset


def known_assets(keys: list[str]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    seen: set[tuple[str, int, str]] = set()
    rows = (
        Asset.objects.filter(party__credit_code__in=keys)
        .exclude(state__in=(Asset.State.LAPSED, Asset.State.RELEASED))
        .values_list("party__credit_code", "partner_id", "ref", "value", "deducted_amount")
    )
    for key, partner, ref, value, deducted in rows:
        if (key, partner, ref) in seen or value is None:
            continue
        seen.add((key, partner, ref))
        # money already deducted was paid to a case: it no longer answers for the other debts
        out[key] = out.get(key, Decimal("0")) + max(value - (deducted or Decimal("0")), Decimal("0"))
    return out


def install() -> None:
    from zhixing.cases.queries_bankruptcy import register_valuer

    register_valuer(known_assets)
