"""The disputed amount of a distribution objection still open stays in the case account (R-7.2.13).

An objection to a distribution plan (SPC-CPL-Interp 509–510 (2022)) puts the part of the plan it would
change in dispute until nobody counter-objects, the objector lets the window to sue pass, or a suit ends
(while it runs the amount is deposited, 提存, and leaves the case account). Two places ask, like the
disposal guard (`disposal.py`): the payable breakdown (a reserved line, so `propose`, the money page and
the API all keep the disputed money back) and the sending of an approved payout (`refuse_disputed`: an
objection filed after the approval still binds).
"""

from __future__ import annotations

from decimal import Decimal

from zhixing.cases.models import EnforcementCase
from zhixing.core.errors import Conflict

from .payable import Reserved, case_balance
from .queries_distribution import disputed_lines


# rule
def disputed_reserved(case: EnforcementCase, purpose: str) -> list[Reserved]:
    """Reserved lines of the payable breakdown: the disputed amount of each open objection."""
    return [
        Reserved("distribution", x.reason, x.amount, f"objection:{x.objection_id}")
        for x in disputed_lines(case)
    ]


# rule
def refuse_disputed(case: EnforcementCase, amount: Decimal) -> None:
    """Refuse sending a payout of `amount` that would reach a disputed amount. Call under the case
    account's lock (as sending does)."""
    lines = disputed_lines(case)
    if not lines:
        return
    disputed = sum((x.amount for x in lines), Decimal("0.00"))
    if amount > case_balance(case.pk) - disputed:
        reasons = "；".join(x.reason for x in lines)
        raise Conflict(
            f"案款中{disputed:,.2f}元为分配方案异议的争议金额（{reasons}），本笔发款{amount:,.2f}元不能发送；"
            "异议处理完毕后再发送，或撤回发款",
            field="payout",
        )
