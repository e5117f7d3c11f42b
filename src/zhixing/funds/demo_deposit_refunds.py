"""Demo auction-deposit refunds in every state (`manage.py funds_demo_deposit_refunds`, run by `seed_demo`
after `auctions_demo`, whose closed lots ordered the refunds of their losing bidders).

Through the product's services, by the court's finance officer: the refund orders are spread over the
states finance sees — 待补录账户 (the deposit's account not yet entered), 待审批 (an account finance
typed waits for another pair of eyes: the director, the demo courts having one finance officer), 已审批待发送,
已支付 (sent to a sandbox custody bank started for the run, which paid) and 银行退回 (the account is
closed, the deposit stays held). Deposit refunds need one approval, not the payouts' chain: they return
the bidder's own money (docs/funds.md).
"""

from __future__ import annotations

from collections import defaultdict

from django.test import override_settings

from zhixing.courts.queries import staff_of_court
from zhixing.courts.roles import Role

from . import services
from .demo_money import sandbox_bank
from .models import Payout
from .services import deposit_refunds

# The order the states are given in, so even a court with two refunds shows a paid one and one to do.
STATES = ("paid", "to_approve", "no_account", "failed", "approved")


def seed() -> dict[str, int]:
    """Move the refund orders nobody has touched yet into the demo states; returns counts by state."""
    waiting = Payout.objects.filter(
        purpose=Payout.Purpose.DEPOSIT, status=Payout.Status.PROPOSED, account_no=""
    ).order_by("court_id", "pk")
    by_court: dict[int, list[Payout]] = defaultdict(list)
    for p in waiting.select_related("court"):
        by_court[p.court_id].append(p)
    made: dict[str, int] = {}
    for refunds in by_court.values():
        finance = next(
            (s for s in staff_of_court(refunds[0].court).order_by("pk") if s.role == Role.FINANCE), None
        )
        if finance is None:
            continue
        plan = list(zip(refunds, STATES, strict=False))
        for p, state in plan:
            if state == "no_account":
                continue
            number = f"0000{p.pk:010d}" if state == "failed" else f"62220204{p.pk:010d}"
            deposit_refunds.set_refund_account(
                finance,
                p.pk,
                account_name=p.account_name,
                account_no=number,
                bank_name="中国建设银行广州分行",
            )
        # The accounts were typed by finance: the director approves them (one finance officer per court).
        director = next(
            (s for s in staff_of_court(refunds[0].court).order_by("pk") if s.role == Role.DIRECTOR), None
        )
        approve = [p.pk for p, state in plan if state in ("paid", "failed", "approved")]
        if director is not None:
            deposit_refunds.approve_refunds(director, approve)
        to_send = [p.pk for p, state in plan if state in ("paid", "failed")]
        if to_send:
            with sandbox_bank() as url, override_settings(FUNDS_BANK_URL=url):
                for pk in to_send:
                    services.send(finance, pk)
        for _, state in plan:
            made[state] = made.get(state, 0) + 1
    return made
