"""Payouts (发款) and refunds (退款): propose → approval chain → payment order → bank confirmation.

Money is reserved when the order is sent (Dr case / Cr payable, refused if the case balance is short)
and leaves the custody account only when the bank confirms (Dr payable / Cr bank). The order carries
the payout's `order_key`; a crash after sending leaves the payout `sending`, and `resume_sending()`
re-sends the same key — the bank answers with the same payment, so nothing is paid twice.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases import queries as case_queries
from zhixing.cases.models import EnforcementCase, Party, Payment
from zhixing.cases.services import record_payment
from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Role

from .. import conf
from ..adapters import custody_bank
from ..models import AccountKind, LedgerAccount, Payout, PayoutApproval, PortalToken, Receipt
from ..rules import payout_due
from . import faults, fees, ledger
from .accounts import case_account
from .receipts import _amount

PROPOSER_ROLES = {Role.JUDGE, Role.ASSISTANT, Role.DIRECTOR}
SENDER_ROLES = {Role.FINANCE}
OPEN_STATUSES = (Payout.Status.PROPOSED, Payout.Status.APPROVED, Payout.Status.SENDING)


def case_balance(case_id: int) -> Decimal:
    acc = LedgerAccount.objects.filter(kind=AccountKind.CASE, case_id=case_id).first()
    return acc.natural_balance if acc else Decimal("0.00")


def committed(case_id: int, exclude: int | None = None) -> Decimal:
    """Money already promised by open proposals not yet reserved in the ledger."""
    qs = Payout.objects.filter(case_id=case_id, status__in=(Payout.Status.PROPOSED, Payout.Status.APPROVED))
    if exclude:
        qs = qs.exclude(pk=exclude)
    return sum((p.amount for p in qs), Decimal("0.00"))


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
    if not account_no.strip():
        # Remote payout: the account the party confirmed on the portal after face verification.
        tok = PortalToken.objects.filter(case=case, party_id=party_id, confirmed_at__isnull=False).first()
        if tok is not None:
            account_name, account_no, bank_name = tok.account_name, tok.account_no, tok.bank_name
    if not account_no.strip() or not account_name.strip():
        raise ServiceError("请填写收款户名和账号", field="account_no")
    role = Party.Role.APPLICANT if purpose == Payout.Purpose.APPLICANT else Party.Role.DEBTOR
    party = next((p for p in case_queries.case_parties(case) if p.pk == party_id and p.role == role), None)
    if party is None:
        raise ServiceError(f"收款人不是本案的{role.label}", field="party_id")
    if case_account(case).closed:
        raise Conflict("案款账户已销户", field="case")
    with transaction.atomic():
        acc = ledger.get_account(case.court_id, AccountKind.CASE, case.pk)
        LedgerAccount.objects.select_for_update().filter(pk=acc.pk).first()
        free = case_balance(case.pk) - committed(case.pk) - fees.outstanding_fee(case)
        if purpose == Payout.Purpose.REFUND:
            free -= fees.claim_outstanding(case)
        if amt > free:
            raise Conflict(f"发款金额{amt}元超过可发金额{max(free, Decimal('0')):.2f}元", field="amount")
        mismatch = account_name.strip() != party.name
        arrived = (
            Receipt.objects.filter(case_id=case.pk)
            .order_by("value_date")
            .values_list("value_date", flat=True)
            .first()
        )
        payout = Payout.objects.create(
            court_id=case.court_id,
            case=case,
            party_id=party.pk,
            purpose=purpose,
            amount=amt,
            account_name=account_name.strip(),
            account_no="".join(account_no.split()),
            bank_name=bank_name.strip(),
            name_mismatch=mismatch,
            chain=conf.approval_chain(mismatch),
            proposed_by=actor,
            funds_arrived_on=arrived,
            due_on=payout_due(arrived, conf.payout_limit(), current_calendar()) if arrived else None,
            order_key=f"payout-{uuid.uuid4().hex}",
        )
        audit.record(
            actor,
            "funds.payout_propose",
            object_type="funds.Payout",
            object_id=payout.pk,
            case_id=case.pk,
            after={"amount": amt, "party": party.pk, "account_no": payout.account_no, "mismatch": mismatch},
        )
    return payout


def decide(actor: Any, payout_id: int, *, approve: bool = True) -> Payout:
    """One approval step: the step's role, own court, not the proposer, one step per person."""
    with transaction.atomic():
        p = Payout.objects.select_for_update(of=("self",)).select_related("court").get(pk=payout_id)
        if p.status != Payout.Status.PROPOSED:
            raise Conflict("该发款不在审批中", field="payout")
        need = p.chain[p.step]
        if not can_write_court(actor, p.court) or getattr(actor, "role", "") != need:
            raise NotPermitted(f"本级审批需由本院{Role(need).label}办理")
        if actor.pk == p.proposed_by_id:
            raise NotPermitted("不能审批自己提出的发款")
        if PayoutApproval.objects.filter(payout=p, approver=actor).exists():
            raise NotPermitted("同一人不能审批同一笔发款的多个环节")
        PayoutApproval.objects.create(payout=p, step=p.step, role=need, approver=actor, approve=approve)
        before = p.status
        if not approve:
            p.status = Payout.Status.REJECTED
        else:
            p.step += 1
            if p.step >= len(p.chain):
                p.status = Payout.Status.APPROVED
        p.save(update_fields=["status", "step"])
        audit.record(
            actor,
            "funds.payout_decide",
            object_type="funds.Payout",
            object_id=p.pk,
            case_id=p.case_id,
            before={"status": before},
            after={"status": p.status, "step": p.step, "approve": approve},
        )
    return p


def _reserve(actor: Any, payout_id: int) -> Payout | None:
    """Settle fees, reserve the money and mark the payout `sending` (committed before the HTTP call)."""
    with transaction.atomic():
        p = Payout.objects.select_for_update(of=("self",)).select_related("case").get(pk=payout_id)
        if p.status == Payout.Status.SENDING:
            return p
        if p.status != Payout.Status.APPROVED:
            return None
        fee = fees.settle_fee(actor, p.case, audited=False) if p.purpose == Payout.Purpose.APPLICANT else 0
        target = AccountKind.PAYABLE if p.purpose == Payout.Purpose.APPLICANT else AccountKind.REFUND
        ledger.post(
            key=f"payout-reserve:{p.pk}",
            kind="payout",
            court=p.court_id,
            case_id=p.case_id,
            lines=[
                (ledger.get_account(p.court_id, AccountKind.CASE, p.case_id), p.amount),
                (ledger.get_account(p.court_id, target, p.case_id, p.party_id), -p.amount),
            ],
            memo=f"发款指令 {p.account_name}",
            actor_name=ledger.actor_label(actor),
        )
        p.status, p.sent_at = Payout.Status.SENDING, timezone.now()
        p.save(update_fields=["status", "sent_at"])
        audit.record(
            actor,
            "funds.payout_send",
            object_type="funds.Payout",
            object_id=p.pk,
            case_id=p.case_id,
            before={"status": "approved"},
            after={"status": "sending", "order_key": p.order_key, "fee_settled": fee},
        )
    return p


def send(actor: Any, payout_id: int) -> Payout:
    """Send (or re-send) the payment order and book the bank's answer."""
    p = Payout.objects.select_related("court").get(pk=payout_id)
    if actor is not None and not (can_write_court(actor, p.court) and actor.role in SENDER_ROLES):
        raise NotPermitted("只有本院财务人员可以发送支付指令")
    reserved = _reserve(actor, payout_id)
    if reserved is None:
        raise Conflict("该发款尚未审批完成或已处理", field="payout")
    faults.point("payout.before_order")
    try:
        result = custody_bank.send_payment(
            reserved.order_key,
            amount=f"{reserved.amount:.2f}",
            account_name=reserved.account_name,
            account_no=reserved.account_no,
            bank_name=reserved.bank_name,
            memo=f"案款发放 {reserved.case.number}",
        )
    except custody_bank.BankUnavailable:
        return reserved  # stays `sending`; resume_sending() retries with the same key
    faults.point("payout.after_order")
    return book_result(payout_id, result)


def book_result(payout_id: int, result: custody_bank.PaymentResult) -> Payout:
    """Book the bank's confirmation (paid) or failure (money back to the case) once."""
    with transaction.atomic():
        p = Payout.objects.select_for_update().get(pk=payout_id)
        if p.status != Payout.Status.SENDING or result.status not in ("paid", "failed"):
            return p
        target = AccountKind.PAYABLE if p.purpose == Payout.Purpose.APPLICANT else AccountKind.REFUND
        held = ledger.get_account(p.court_id, target, p.case_id, p.party_id)
        if result.status == "paid":
            ledger.post(
                key=f"payout-paid:{p.pk}",
                kind="payout",
                court=p.court_id,
                case_id=p.case_id,
                lines=[(held, p.amount), (ledger.get_account(p.court_id, AccountKind.BANK), -p.amount)],
                memo=f"银行已付 {result.payment_id}",
            )
            p.status, p.paid_at = Payout.Status.PAID, timezone.now()
            if p.purpose == Payout.Purpose.REFUND:
                # A surplus refunded to the debtor was never performed on the claim.
                record_payment(
                    p.case_id,
                    -p.amount,
                    timezone.localdate(),
                    source=Payment.Source.REVERSAL,
                    reference=f"funds.refund:{p.pk}",
                    note="退还被执行人余款",
                )
        else:
            ledger.post(
                key=f"payout-failed:{p.pk}",
                kind="payout",
                court=p.court_id,
                case_id=p.case_id,
                lines=[
                    (held, p.amount),
                    (ledger.get_account(p.court_id, AccountKind.CASE, p.case_id), -p.amount),
                ],
                memo=f"银行退回：{result.reason}",
            )
            p.status, p.fail_reason = Payout.Status.FAILED, result.reason[:200]
        p.bank_payment_id = result.payment_id
        p.save(update_fields=["status", "paid_at", "fail_reason", "bank_payment_id"])
        audit.record(
            None,
            "funds.payout_result",
            object_type="funds.Payout",
            object_id=p.pk,
            case_id=p.case_id,
            before={"status": "sending"},
            after={"status": p.status, "payment": result.payment_id},
        )
    return p


def resume_sending(limit: int = 200) -> int:
    """After a restart: re-send every order left `sending` (same key → the bank pays once)."""
    done = 0
    for pk in Payout.objects.filter(status=Payout.Status.SENDING).values_list("pk", flat=True)[:limit]:
        p = send(None, pk)
        done += p.status != Payout.Status.SENDING
    return done
