"""The disposal guard on payouts (`zhixing.core.disposal_guards`): money in the case account that came
from disposing of an asset (a booked deduction of a frozen account; a sold lot's price, from the proceeds
sources registered with core) may not be paid out while a guard refuses that asset's disposal — e.g. a
third party's objection under CPL-2023 Art 238 is pending or its window to sue is open.

Two places ask, each inside its own transaction: the payable breakdown (a reserved line, so `propose`,
the money page and the API all keep that money back) and the sending of an approved payout
(`refuse_blocked`, since a guard can arrive after approval).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from zhixing.cases.models import EnforcementCase
from zhixing.core import disposal_guards
from zhixing.core.errors import Conflict
from zhixing.inquiry import queries as inquiry_queries

from .payable import Reserved, case_balance

ZERO = Decimal("0.00")


def blocked_proceeds(case: EnforcementCase) -> list[tuple[int, Decimal, list[str]]]:
    """(asset id, proceeds in the account, reasons) for every asset whose disposal is refused now."""
    by_asset = dict(inquiry_queries.deducted_proceeds(case.pk))
    for asset_id, amount in disposal_guards.proceeds(case.pk).items():
        by_asset[asset_id] = by_asset.get(asset_id, ZERO) + amount
    out = []
    for asset_id, amount in sorted(by_asset.items()):
        reasons = disposal_guards.refusals(asset_id)
        if reasons and amount > 0:
            out.append((asset_id, amount, reasons))
    return out


def disposal_reserved(case: EnforcementCase, purpose: str) -> Iterable[Reserved]:
    """Reserved lines of the payable breakdown: each blocked asset's proceeds."""
    return [
        Reserved(
            "disposal",
            f"财产#{asset_id}的处分所得款暂不得发放（{'；'.join(reasons)}）",
            amount,
            f"asset:{asset_id}",
        )
        for asset_id, amount, reasons in blocked_proceeds(case)
    ]


def refuse_blocked(case: EnforcementCase, amount: Decimal) -> None:
    """Refuse a payout of `amount` that would reach a blocked asset's proceeds.

    Call under the case account's lock (as sending does)."""
    blocked = blocked_proceeds(case)
    if not blocked:
        return
    held = sum((a for _, a, _ in blocked), ZERO)
    balance = case_balance(case.pk)
    if amount > balance - held:
        reasons = "；".join(dict.fromkeys(r for _, _, rs in blocked for r in rs))
        raise Conflict(
            f"案款中{held:,.2f}元为被阻止处分财产的处分所得款（{reasons}），本笔发款{amount:,.2f}元不能发送",
            field="payout",
        )
