"""The plan tied to the case's money: payouts follow the plan in force, a final plan offers a payout per
line (through the payout service and its approvals), and the plan is paid when every line is."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases.models import EnforcementCase
from zhixing.core.errors import Conflict, ServiceError

from ..models import DistributionPlan, Payout
from ..queries_distribution import in_force, line_payouts, payable_lines
from .distribution_checks import S, check_actor, lock, record


def payout_guard(case: EnforcementCase, party_id: int, amount: Decimal) -> None:
    """Refuse a payout that does not follow the case's plan in force (called by `payouts.propose`).

    Before the plan is final nothing is paid; once final, a payout must match a line not yet paid:
    the same party and exactly the line's amount."""
    plan = in_force(case.pk)
    if plan is None:
        return
    if plan.status != S.FINAL:
        raise Conflict(
            f"本案财产分配方案#{plan.pk}{plan.get_status_display()}，方案生效前不能发款",
            field="amount",
        )
    taken = line_payouts(plan)
    open_lines = [ln for i, ln in payable_lines(plan) if i not in taken]
    if any(ln["party_id"] == party_id and Decimal(str(ln["paid"])) == amount for ln in open_lines):
        return
    mine = [f"{Decimal(str(ln['paid'])):,.2f}" for ln in open_lines if ln["party_id"] == party_id]
    hint = (
        f"该收款人按方案未发放的金额为{'、'.join(mine)}元" if mine else "该收款人在方案中没有未发放的分配额"
    )
    raise Conflict(f"本案按财产分配方案#{plan.pk}发款：{hint}", field="amount")


def propose_line(
    actor: Any,
    plan: DistributionPlan,
    line: Any,
    *,
    account_name: str,
    account_no: str,
    bank_name: str = "",
) -> Payout:
    """Propose the payout of one line of a final plan (the surplus line refunds the debtor)."""
    from .payouts import propose

    check_actor(actor, plan.case)
    if plan.status != S.FINAL:
        raise Conflict("方案生效后才能按方案发款", field="plan")
    text = "" if line is None else str(line).strip()
    index = int(text) if text.isascii() and text.isdigit() and len(text) < 6 else -1
    lines = dict(payable_lines(plan))
    if index not in lines:
        raise ServiceError("请选择方案中的分配项", field="line")
    if index in line_payouts(plan):
        raise Conflict("该分配项已提出发款", field="line")
    ln = lines[index]
    purpose = Payout.Purpose.REFUND if ln.get("rank") == "surplus" else Payout.Purpose.APPLICANT
    return propose(
        actor,
        plan.case,
        party_id=int(ln["party_id"]),
        amount=ln["paid"],
        account_name=account_name,
        account_no=account_no,
        bank_name=bank_name,
        purpose=purpose,
    )


def mark_paid(actor: Any, plan: DistributionPlan) -> DistributionPlan:
    """Every line of the final plan paid by the bank: the plan is done (发放完毕)."""
    check_actor(actor, plan.case)
    with transaction.atomic():
        plan = lock(plan)
        if plan.status != S.FINAL:
            raise Conflict("只有已生效的方案才能确认发放完毕", field="plan")
        outside = [
            ln["creditor"]
            for ln in plan.lines
            if not ln.get("party_id") and Decimal(str(ln.get("paid") or "0")) > 0
        ]
        if outside:
            raise Conflict(
                f"案外债权人{'、'.join(outside)}的分配额尚不能通过本系统发放，请经其执行法院办理后再确认",
                field="plan",
            )
        paid = line_payouts(plan)
        missing = [
            ln["creditor"]
            for i, ln in payable_lines(plan)
            if i not in paid or paid[i].status != Payout.Status.PAID
        ]
        if missing:
            raise Conflict(f"尚未发放完毕：{'、'.join(missing)}", field="plan")
        plan.status = S.PAID
        plan.save(update_fields=["status"])
        record(actor, "paid", plan, on=timezone.localdate(), payouts=[p.pk for p in paid.values()])
    return plan
