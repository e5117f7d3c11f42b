"""Demo rewards (悬赏) in every state, each paid the way the product pays it (seed_demo, portal_demo_public).

* 悬赏中 — offered, no tip yet (given by `demo_public.seed` on its first case);
* 发放审批中 — a recovering tip's reward proposed as a payout, waiting for its first approval step;
* 已发放 — the payout approved by the whole chain and sent by finance to a sandbox custody bank started
  for the run: the bank paid, so the offer is paid;
* 悬赏中 again — a reward payout an approver rejected (the payee's identity was not verified): the
  offer is payable again, the rejected payout stays on the case's money page;
* 已撤回 — an offer withdrawn.

Every step goes through the services (the handler proposes, other staff approve, finance sends).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.test import override_settings

from zhixing.cases.models import EnforcementCase
from zhixing.core.errors import ServiceError
from zhixing.courts.queries import staff_of_court
from zhixing.courts.roles import Role
from zhixing.funds import services as funds
from zhixing.funds.demo_money import sandbox_bank
from zhixing.funds.models import Payout

from . import rewards, tips_services
from .models import RewardOffer, Tip

AMOUNT = Decimal("2000.00")


def _recovered_tip(case: EnforcementCase, n: int) -> Tip:
    tip = tips_services.submit(
        tips_services.TipData(
            case_number=case.number,
            kind=Tip.Kind.ASSETS,
            content="被执行人在某银行有定期存款。",
            reporter_name=f"热心群众{n}",
            reporter_phone=f"1380013{n:04d}",
        )
    )
    tips_services.act(case.handler, tip.pk, "已冻结并扣划该存款")
    return tips_services.close(case.handler, tip.pk, Tip.Outcome.RECOVERED)


def _propose(case: EnforcementCase, n: int) -> Payout:
    offer = rewards.offer(case.handler, case, amount=AMOUNT, terms="提供财产线索并执行到位的，给予悬赏金")
    tip = _recovered_tip(case, n)
    row = rewards.pay(case.handler, offer.pk, tip.pk, account_no=f"62220203{case.pk:06d}{n:04d}")
    assert row.payout_id is not None
    return Payout.objects.get(pk=row.payout_id)


def _approve(p: Payout, steps: int | None = None) -> Payout:
    staff = list(staff_of_court(p.court).order_by("pk"))
    done = 0
    while p.status == Payout.Status.PROPOSED and (steps is None or done < steps):
        used = set(p.approvals.values_list("approver_id", flat=True)) | {p.proposed_by_id}
        who = next(s for s in staff if s.role == p.chain[p.step] and s.pk not in used)
        p = funds.decide(who, p.pk, note="同意")
        done += 1
    return p


def _finance(p: Payout) -> Any:
    return next(s for s in staff_of_court(p.court).order_by("pk") if s.role == Role.FINANCE)


def seed(cases: list[EnforcementCase]) -> dict[str, int]:
    """Rewards paid, paying, reopened and withdrawn on `cases` (each with payable money and a judge
    handling it); returns the count by the offer's final status."""
    made: dict[str, int] = {}

    def count(status: str) -> None:
        made[status] = made.get(status, 0) + 1

    plan = ["paid", "paying", "reopened", "withdrawn"]
    for n, (case, state) in enumerate(zip(cases, plan, strict=False), start=20):
        try:
            if state == "withdrawn":
                offer = rewards.offer(
                    case.handler, case, amount=AMOUNT, terms="提供被执行人下落线索的，给予悬赏"
                )
                rewards.withdraw(case.handler, offer.pk)
                count(RewardOffer.Status.WITHDRAWN)
                continue
            p = _propose(case, n)
            if state == "paid":
                p = _approve(p)
                with sandbox_bank() as url, override_settings(FUNDS_BANK_URL=url):
                    funds.send(_finance(p), p.pk)
            elif state == "paying":
                pass  # waits for its first approver (the approvals page of a judge of the court)
            else:
                approver = next(
                    s
                    for s in staff_of_court(p.court).order_by("pk")
                    if s.role == p.chain[p.step] and s.pk != p.proposed_by_id
                )
                funds.decide(approver, p.pk, approve=False, note="举报人身份及收款账户未经核实")
            count(
                RewardOffer.objects.get(case=case, payout_id=p.pk).status
                if state != "reopened"
                else "reopened"
            )
        except (ServiceError, StopIteration):
            continue
    return made
