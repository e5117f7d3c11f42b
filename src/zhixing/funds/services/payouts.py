"""Payouts (发款) and refunds (退款): propose → approval chain → (payment order, in `sending.py`).

A payout is proposed by the case's handler, approved step by step by the roles of the chain
(`conf.approval_chain`; one person takes at most one step, never the proposer), and can be stopped at
any stage before its order goes to the bank: the current step's approver rejects it, or the proposer
or the court's leadership withdraws it (`cancel`). Every decision is audited.
"""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from django.db import transaction
from django.urls import reverse

from zhixing.cases import queries as case_queries
from zhixing.cases.models import EnforcementCase, Party
from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.notify import notify, notify_all
from zhixing.courts.models import Court
from zhixing.courts.queries import can_write_court, staff_of_court
from zhixing.courts.roles import Role

from .. import conf, formats
from .. import payable as payable_q
from ..events import payout_settled
from ..models import Payout, PayoutApproval, PortalToken
from ..queries_holds import earliest_open_clock
from . import fees
from .accounts import case_account
from .distribution_money import payout_guard
from .fees import case_balance, committed
from .receipts import _amount

PROPOSER_ROLES = {Role.JUDGE, Role.ASSISTANT, Role.DIRECTOR}
# Besides the proposer, the court's leadership may withdraw a payout not yet sent.
CANCEL_ROLES = {Role.DIRECTOR, Role.PRESIDENT}
OPEN_STATUSES = (Payout.Status.PROPOSED, Payout.Status.APPROVED, Payout.Status.SENDING)
# A payout of these statuses holds its `source` (one per source, database constraint).
LIVE_STATUSES = (*OPEN_STATUSES, Payout.Status.PAID)

__all__ = [
    "LIVE_STATUSES",
    "OPEN_STATUSES",
    "PROPOSER_ROLES",
    "cancel",
    "case_balance",
    "committed",
    "decide",
    "propose",
    "settled",
]


def settled(p: Payout, actor: Any) -> None:
    """Tell the other domains a payout ended (`events.payout_settled`), inside its transaction."""
    payout_settled.send(sender=Payout, payout=p, outcome=p.status, actor=actor)


def _role_label(role: str) -> str:
    return Role(role).label if role in Role.values else role


def chain_problem(chain: list[str], court: Court, proposer: Any) -> str | None:
    """Why the court cannot complete `chain` with different people (None when it can).

    Each step needs its own active staff member of the step's role at the court, other than the
    proposer: a chain naming the director twice cannot be completed by a court with one director.
    """
    unknown = [r for r in chain if r not in Role.values]
    if unknown:
        return f"发款审批链配置了不存在的岗位：{'、'.join(unknown)}，请管理员更正"
    others = staff_of_court(court)
    if getattr(proposer, "pk", None) is not None:
        others = others.exclude(pk=proposer.pk)
    have = Counter(others.values_list("role", flat=True))
    for role, need in Counter(chain).items():
        if have[role] < need:
            return (
                f"本笔发款需{need}名{_role_label(role)}分别审批，本院除提出人外在职的{_role_label(role)}"
                f"只有{have[role]}名，无法完成审批；请调整审批链设置或由他人提出"
            )
    return None


def _portal_account(case: EnforcementCase, party_id: int) -> PortalToken | None:
    """The receiving account the party confirmed most recently on the portal after verification."""
    return (
        PortalToken.objects.filter(case=case, party_id=party_id, confirmed_at__isnull=False)
        .order_by("-confirmed_at", "-pk")
        .first()
    )


def _tell_next(p: Payout, actor: Any) -> None:
    """Notify whoever the payout now waits for: the current step's approvers, or finance to send it."""
    money = f"{p.amount:,.2f}元"
    source = f"funds.Payout:{p.pk}"
    if p.status == Payout.Status.PROPOSED:
        role = p.chain[p.step]
        decided = set(PayoutApproval.objects.filter(payout=p).values_list("approver_id", flat=True))
        notify_all(
            (
                s
                for s in staff_of_court(p.court)
                if s.role == role and s.pk != p.proposed_by_id and s.pk not in decided and s.pk != actor.pk
            ),
            "funds.approval",
            f"{p.case.number}的发款{money}等待您（{_role_label(role)}）审批",
            reverse("funds_approvals"),
            source=f"{source}:{p.step}",
            once=True,
        )
    elif p.status == Payout.Status.APPROVED:
        notify_all(
            (s for s in staff_of_court(p.court) if s.role == Role.FINANCE and s.pk != actor.pk),
            "funds.to_send",
            f"{p.case.number}的发款{money}已审批通过，待发送支付指令",
            reverse("funds_finance") + "#to-send",
            source=source,
            once=True,
        )
        if p.proposed_by is None:
            return
        notify(
            p.proposed_by,
            "funds.approved",
            f"您提出的{p.case.number}发款{money}已审批通过",
            reverse("funds_case_money", args=[p.case_id]),
            source=source,
            once=True,
        )
    elif p.status == Payout.Status.REJECTED and p.proposed_by is not None:
        notify(
            p.proposed_by,
            "funds.rejected",
            f"您提出的{p.case.number}发款{money}未获批准：{p.cancel_reason}",
            reverse("funds_case_money", args=[p.case_id]),
            source=source,
            once=True,
        )


def propose(
    actor: Any,
    case: EnforcementCase,
    *,
    party_id: int,
    amount: Any,
    account_name: str,
    account_no: str,
    bank_name: str = "",
    purpose: str = Payout.Purpose.APPLICANT,
) -> Payout:
    if not can_write_court(actor, case.court) or getattr(actor, "role", "") not in PROPOSER_ROLES:
        raise NotPermitted("只有本院执行法官、法官助理或局长可以提出发款")
    amt = _amount(amount)
    # Rewards and deposit refunds are proposed by their own services (rewards, deposit_refunds), each
    # tied to the record it settles; here only what is paid to a party of the case.
    if purpose not in (Payout.Purpose.APPLICANT, Payout.Purpose.REFUND):
        raise ServiceError("发款类型无效", field="purpose")
    role = Party.Role.APPLICANT if purpose == Payout.Purpose.APPLICANT else Party.Role.DEBTOR
    party = next((p for p in case_queries.case_parties(case) if p.pk == party_id and p.role == role), None)
    if party is None:
        raise ServiceError(f"收款人不是本案的{role.label}", field="party_id")
    if not str(account_no or "").strip():
        # Remote payout: the account the party confirmed on the portal after face verification.
        tok = _portal_account(case, party_id)
        if tok is not None:
            account_name, account_no, bank_name = tok.account_name, tok.account_no, tok.bank_name
    name = formats.account_name(account_name)
    number = formats.account_number(account_no)
    bank = formats.bank_name(bank_name)
    mismatch = name != party.name
    chain = conf.approval_chain(mismatch)
    problem = chain_problem(chain, case.court, actor)
    if problem:
        raise Conflict(problem, field="account_name" if mismatch else "payout")
    if case_account(case).closed:
        raise Conflict("案款账户已销户", field="case")
    with transaction.atomic():
        fees.lock_case_account(case)
        payout_guard(case, party.pk, amt)  # a plan in force decides who gets what (参与分配)
        # The same number the money page shows (`payable.payable_breakdown`), read under the lock.
        breakdown = payable_q.payable_breakdown(case, purpose)
        if amt > breakdown.payable:
            held = "，".join(f"{r.reason.split('（')[0]}{r.amount:,.2f}元" for r in breakdown.reserved)
            raise Conflict(
                f"发款金额{amt:,.2f}元超过可发金额{breakdown.payable:,.2f}元"
                f"（案款余额{breakdown.balance:,.2f}元" + (f"，预留：{held}" if held else "") + "）",
                field="amount",
            )
        # The deadline this payout works against: the oldest receipt whose money is still running.
        clock = earliest_open_clock(case.pk)
        payout = Payout.objects.create(
            court_id=case.court_id,
            case=case,
            party_id=party.pk,
            purpose=purpose,
            amount=amt,
            account_name=name,
            account_no=number,
            bank_name=bank,
            name_mismatch=mismatch,
            chain=chain,
            proposed_by=actor,
            funds_arrived_on=clock.arrived_on if clock else None,
            due_on=clock.due_on if clock else None,
            order_key=f"payout-{uuid.uuid4().hex}",
        )
        audit.record(
            actor,
            "funds.payout_propose",
            object_type="funds.Payout",
            object_id=payout.pk,
            case_id=case.pk,
            after={
                "amount": amt,
                "party": party.pk,
                "account_no": payout.account_no,
                "mismatch": mismatch,
                "chain": chain,
            },
        )
        _tell_next(payout, actor)
    return payout


def decide(actor: Any, payout_id: int, *, approve: bool = True, note: str = "") -> Payout:
    """One approval step: the step's role, own court, not the proposer.

    Approving: one person approves at most one step. Rejecting: whoever holds the current step's role
    may stop the payout, even one who approved an earlier step (stopping never needs four eyes); a
    rejection says why (the proposer is told the reason, and may propose again).
    """
    note = formats.clean_text(
        note, "note", "驳回理由" if not approve else "审批意见", 200, required=not approve
    )
    with transaction.atomic():
        p = Payout.objects.select_for_update(of=("self",)).select_related("court").get(pk=payout_id)
        if p.status != Payout.Status.PROPOSED:
            raise Conflict(f"该发款{p.get_status_display()}，不在审批中", field="payout")
        need = p.chain[p.step]
        if not can_write_court(actor, p.court) or getattr(actor, "role", "") != need:
            raise NotPermitted(f"本级审批需由本院{_role_label(need)}办理")
        if actor.pk == p.proposed_by_id:
            raise NotPermitted("不能审批自己提出的发款")
        if approve and PayoutApproval.objects.filter(payout=p, approver=actor).exists():
            raise NotPermitted("同一人不能审批同一笔发款的多个环节")
        if approve and not p.account_no:
            raise Conflict("收款账户尚未登记，请先核对来款流水并填写原汇款账户", field="account_no")
        PayoutApproval.objects.create(
            payout=p, step=p.step, role=need, approver=actor, approve=approve, note=note
        )
        before = p.status
        if not approve:
            p.status, p.cancel_reason = Payout.Status.REJECTED, note
        else:
            p.step += 1
            if p.step >= len(p.chain):
                p.status = Payout.Status.APPROVED
        p.save(update_fields=["status", "step", "cancel_reason"])
        audit.record(
            actor,
            "funds.payout_decide",
            object_type="funds.Payout",
            object_id=p.pk,
            case_id=p.case_id,
            before={"status": before},
            after={"status": p.status, "step": p.step, "approve": approve, "note": note},
        )
        _tell_next(p, actor)
        if not approve:
            settled(p, actor)
    return p


def cancel(actor: Any, payout_id: int, *, reason: str) -> Payout:
    """Withdraw a payout that is still in approval or approved but not yet sent to the bank.

    The proposer or the court's director or president may; the reason is required and audited. The
    money it promised becomes free again (nothing was reserved in the ledger before sending).
    """
    reason = formats.clean_text(reason, "reason", "撤回理由", 200, required=True)
    with transaction.atomic():
        p = Payout.objects.select_for_update(of=("self",)).select_related("court").get(pk=payout_id)
        allowed = can_write_court(actor, p.court) and (
            actor.pk == p.proposed_by_id or getattr(actor, "role", "") in CANCEL_ROLES
        )
        if not allowed:
            raise NotPermitted("只有发款提出人或本院执行局局长、院长可以撤回发款")
        if p.status not in (Payout.Status.PROPOSED, Payout.Status.APPROVED):
            raise Conflict(f"该发款{p.get_status_display()}，不能撤回", field="payout")
        before = p.status
        p.status, p.cancel_reason, p.cancelled_by = Payout.Status.CANCELLED, reason, actor
        p.save(update_fields=["status", "cancel_reason", "cancelled_by"])
        audit.record(
            actor,
            "funds.payout_cancel",
            object_type="funds.Payout",
            object_id=p.pk,
            case_id=p.case_id,
            before={"status": before, "step": p.step},
            after={"status": p.status, "reason": reason},
        )
        settled(p, actor)
    return p
