"""Demo money in every state (`manage.py funds_demo_money`, run by `seed_demo` after the custody accounts).

Only the first demo court that has open cases (by id; 天河区法院 in the demo province) and only its
first six open cases with a money claim, by id: the other funds demos (distribution, reconciliation,
payout clocks) use other courts and cases. Everything goes through the product's services, so the
ledger balances:

* receipts booked to cases from a bank notice, a deduction, a manual entry (手工登记) and a claim;
* unidentified receipts 待认领 (one past its claim deadline), claimed, returning, returned;
* payouts 审批中 at each step of the chain, approved, sending (the bank did not answer and automatic
  retries stopped), paid, failed (the payee's account is closed), rejected and cancelled; a refund of
  the surplus to the debtor, paid, and one in approval;
* the sixth case has no money: the browser test pays a transfer into it from the sandbox bank.

Payment orders go to a sandbox custody bank started in this process for the run (the real protocol); the
"sending" payout and "returning" receipt are sent to an address where nothing answers.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.test import override_settings
from django.utils import timezone

from zhixing.cases.models import OPEN_STATUSES, CaseStatus, EnforcementCase
from zhixing.courts.models import Court, Staff
from zhixing.courts.roles import Role

from . import conf, services
from .models import CustodyAccount, Payout, Receipt
from .services.fees import claim_outstanding, fee_due
from .services.returns import send_return

CASES = 6
TAG = "DEMO-M"


@dataclass
class Made:
    court: str = ""
    receipts: int = 0
    payouts: dict[str, int] = field(default_factory=dict)
    cases: list[int] = field(default_factory=list)


def demo_court() -> Court | None:
    """The first court (by id) that has open cases with a money claim."""
    return (
        Court.objects.filter(cases__status__in=OPEN_STATUSES, cases__principal__gt=0)
        .order_by("pk")
        .distinct()
        .first()
    )


def demo_cases(court: Court) -> list[EnforcementCase]:
    return list(
        EnforcementCase.objects.filter(court=court, status__in=OPEN_STATUSES, principal__gt=0)
        .exclude(status=CaseStatus.SUSPENDED)  # money held while suspended: no payout could be proposed
        .select_related("court")
        .order_by("pk")[:CASES]
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def sandbox_bank() -> Iterator[str]:
    """A sandbox custody bank (partners.sandbox) on a loopback port for the run; its base URL."""
    import uvicorn

    from zhixing.partners.sandbox.custody_bank import CustodyBankApp

    app = CustodyBankApp()
    app.bank.notify_url = ""  # the demo books its receipts itself; the bank only pays
    app.bank.add_transfer({"amount": "100000000.00", "txn_id": f"{TAG}-OPENING", "memo": "期初余额"})
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(250):
        if server.started:
            break
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)


def _staff(court: Court) -> dict[str, Any]:
    by_role: dict[str, list[Staff]] = {}
    for s in Staff.objects.filter(court=court, is_active=True).order_by("pk"):
        by_role.setdefault(s.role, []).append(s)
    return by_role


def _y(value: Any) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def part(case: EnforcementCase, share: str) -> Decimal:
    """A share of the case's money claim (the demo's amounts fit any generated case)."""
    claim = Decimal(case.principal) + Decimal(case.adjudged_interest) + Decimal(case.litigation_costs)
    return max(_y(claim * Decimal(share)), Decimal("1.00"))


class Builder:
    def __init__(self, court: Court, today: date, bank_url: str) -> None:
        self.court, self.today, self.bank_url = court, today, bank_url
        self.staff = staff = _staff(court)
        self.judges = staff.get(Role.JUDGE, [])
        self.director = staff[Role.DIRECTOR][0]
        self.finance = staff[Role.FINANCE][0]
        self.custody = CustodyAccount.objects.get(court=court)
        self.made = Made(court=court.name)
        self.seq = 0

    # -- receipts ---------------------------------------------------------------------------------
    def _key(self, what: str) -> str:
        self.seq += 1
        return f"{TAG}-{what}-{self.court.pk}-{self.seq:03d}"

    def notice(self, case: EnforcementCase, amount: Any, days_ago: int, payer: str) -> Receipt:
        number = services.case_account(case).number
        self.made.receipts += 1
        return services.book_incoming(
            services.Incoming(
                txn_id=self._key("N"),
                amount=_y(amount),
                value_date=self.today - timedelta(days=days_ago),
                to_account=number,
                payer_name=payer,
                payer_account="6222020200112233",
                memo="执行款",
                custody_account_no=self.custody.account_no,
            ),
            source="notice",
        )

    def deduction(self, case: EnforcementCase, amount: Any, days_ago: int) -> Receipt:
        self.made.receipts += 1
        return services.book_receipt(
            idempotency_key=f"ded-{self._key('D').lower()}",
            amount=_y(amount),
            value_date=self.today - timedelta(days=days_ago),
            court=self.court,
            case=case,
            payer_name="中国工商银行",
            memo="网络查控扣划",
            source="deduction",
        )

    def manual(self, case: EnforcementCase, amount: Any, days_ago: int, payer: str) -> Receipt:
        self.made.receipts += 1
        return services.book_receipt(
            idempotency_key=self._key("M"),
            amount=_y(amount),
            value_date=self.today - timedelta(days=days_ago),
            court=self.court,
            case=case,
            payer_name=payer,
            memo="被执行人到院交纳（手工登记）",
            source="manual",
            actor=self.finance,
        )

    def unidentified(self, amount: Any, days_ago: int, payer: str, payer_account: str) -> Receipt:
        self.made.receipts += 1
        return services.book_incoming(
            services.Incoming(
                txn_id=self._key("U"),
                amount=_y(amount),
                value_date=self.today - timedelta(days=days_ago),
                to_account="",
                payer_name=payer,
                payer_account=payer_account,
                memo="还款",
                custody_account_no=self.custody.account_no,
            ),
            source="notice",
        )

    # -- payouts ----------------------------------------------------------------------------------
    def proposer(self, case: EnforcementCase) -> Staff:
        handler = case.handler
        if (
            handler is not None
            and handler.role in (Role.JUDGE, Role.ASSISTANT)
            and handler.court_id == case.court_id
        ):
            return handler
        return self.judges[0]

    def propose(
        self, case: EnforcementCase, amount: Any, *, refund: bool = False, account_no: str = ""
    ) -> Payout:
        role = "debtor" if refund else "applicant"
        party = case.parties.filter(role=role).order_by("pk").first()
        assert party is not None
        return services.propose(
            self.proposer(case),
            case,
            party_id=party.pk,
            amount=_y(amount),
            account_name=party.name,
            account_no=account_no or f"62220202{case.pk:06d}{party.pk % 10000:04d}",
            bank_name="中国工商银行广州天河支行",
            purpose=Payout.Purpose.REFUND if refund else Payout.Purpose.APPLICANT,
        )

    def approve(self, p: Payout, steps: int | None = None) -> Payout:
        proposer = p.proposed_by_id
        done = 0
        while p.status == Payout.Status.PROPOSED and (steps is None or done < steps):
            used = set(p.approvals.values_list("approver_id", flat=True)) | {proposer}
            who = next(s for s in self.staff.get(p.chain[p.step], []) if s.pk not in used)
            p = services.decide(who, p.pk, note="同意")
            done += 1
        return p

    def count(self, p: Payout) -> Payout:
        key = p.status if p.purpose == Payout.Purpose.APPLICANT else f"refund_{p.status}"
        self.made.payouts[key] = self.made.payouts.get(key, 0) + 1
        return p

    def send(self, p: Payout) -> Payout:
        with override_settings(FUNDS_BANK_URL=self.bank_url):
            return services.send(self.finance, p.pk)

    def send_unanswered(self, p: Payout) -> Payout:
        """Send to an address where no bank answers until automatic retries stop (finance must look)."""
        with override_settings(FUNDS_BANK_URL=f"http://127.0.0.1:{_free_port()}"):
            for _ in range(conf.send_max_attempts()):
                p = services.send(self.finance, p.pk)
        return p


def build(court: Court, cases: list[EnforcementCase], bank_url: str) -> Made:
    today = timezone.localdate()
    b = Builder(court, today, bank_url)
    c0, c1, c2, c3, c4, _fresh = cases  # the sixth keeps no money (the browser test pays into it)
    b.made.cases = [c.pk for c in cases]

    # c0: a notice, a deduction and a manual entry; part paid out, a proposal waiting for the first step.
    b.notice(c0, part(c0, "0.30") + fee_due(c0), 6, "被执行人")
    b.deduction(c0, part(c0, "0.08"), 4)
    b.manual(c0, part(c0, "0.02"), 2, "被执行人家属")
    b.count(b.send(b.approve(b.propose(c0, part(c0, "0.15")))))
    b.count(b.propose(c0, part(c0, "0.03")))  # 审批中, first step

    # c1: money that arrived 40 days ago (its open payouts are overdue); proposals at every later step,
    # one approved and waiting for finance, one rejected and one withdrawn.
    b.notice(c1, part(c1, "0.80") + fee_due(c1), 40, "被执行人")
    b.count(b.approve(b.propose(c1, part(c1, "0.20")), steps=1))  # waiting for the second step
    b.count(b.approve(b.propose(c1, part(c1, "0.15")), steps=2))  # waiting for the third step
    b.count(b.approve(b.propose(c1, part(c1, "0.10"))))  # approved, not sent
    rej = b.approve(b.propose(c1, part(c1, "0.05")), steps=1)
    nxt = b.staff[rej.chain[rej.step]][0]
    b.count(services.decide(nxt, rej.pk, approve=False, note="收款账户未经当事人确认，请先核实"))
    wd = b.propose(c1, part(c1, "0.05"))
    b.count(services.cancel(wd.proposed_by, wd.pk, reason="申请执行人要求变更收款账户"))

    # c2: an unidentified receipt claimed to it; an order the bank never answered; one the bank refused.
    claimed = b.unidentified(part(c2, "0.50") + fee_due(c2), 5, "被执行人亲属", "6217000011112222")
    services.claim_receipt(b.finance, claimed.pk, c2)
    b.count(b.send_unanswered(b.approve(b.propose(c2, part(c2, "0.20")))))
    b.count(b.send(b.approve(b.propose(c2, part(c2, "0.10"), account_no="0000123456789"))))

    # c3: more than the claim arrived: the applicant is paid in full, the surplus refunded to the debtor.
    owed, fee = claim_outstanding(c3), fee_due(c3)
    b.notice(c3, owed + fee + Decimal("3000.00"), 8, "刘涛桂花")
    b.count(b.send(b.approve(b.propose(c3, owed))))
    b.count(b.send(b.approve(b.propose(c3, "1000.00", refund=True))))
    b.count(b.propose(c3, "2000.00", refund=True))

    # c4: a deduction only, nothing proposed yet: its whole payable amount is free.
    b.deduction(c4, part(c4, "0.25") + fee_due(c4), 1)

    # Court-wide unidentified receipts: waiting (one past its claim deadline), returning, returned.
    b.unidentified("3500.00", 1, "王某某", "6228480012345678")
    b.unidentified("1200.00", 12, "陈某", "6228480087654321")
    stuck = b.unidentified("900.00", 9, "李某", "6228480011223344")
    with override_settings(FUNDS_BANK_URL=f"http://127.0.0.1:{_free_port()}"):
        rec = services.return_receipt(b.finance, stuck.pk, "付款人非本院案件当事人，原路退回")
        for _ in range(conf.send_max_attempts() - 1):
            rec = send_return(rec)
    back = b.unidentified("450.00", 10, "赵某", "6228480099887766")
    with override_settings(FUNDS_BANK_URL=bank_url):
        services.return_receipt(b.finance, back.pk, "付款人误汇，原路退回")
    return b.made


def seed(court: Court | None = None) -> Made | None:
    """Build the demo money once (None when the court has done it already or has too few cases)."""
    court = court or demo_court()
    if court is None or Receipt.objects.filter(court=court, bank_txn_id__icontains=TAG).exists():
        return None
    cases = demo_cases(court)
    if len(cases) < CASES or not CustodyAccount.objects.filter(court=court).exists():
        return None
    with sandbox_bank() as url:
        return build(court, cases, url)
