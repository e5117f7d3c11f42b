"""Hypothesis state machine over a case's money: every service that moves it, in any order.

Rules: single bank notices through the durable inbox (some repeated, some to a wrong sub-account →
不明款), the booker draining it, costs, payouts (propose applicant or refund, approve step by step,
reject, cancel, send — to an account the sandbox bank pays or refuses —, re-send), finance claiming or
returning an unidentified receipt, and the distribution plan's hold (an objection holds the disputed
amount, resolving releases it; the branch has no other hold model).

Invariants after every step: every transaction sums to zero; every account's running balance and
entry count equal its entries; no account that may not be overdrawn is; the money promised to open
payouts never exceeds the case's money (no payout can exceed the payable amount); the custody bank's
ledger balance equals what arrived minus what the bank paid out (payouts paid, receipts returned),
and the bank paid each order at most once, exactly the paid payouts and returns (nothing paid
twice, retries included); each notice received is booked exactly once (one receipt, one posting).
"""

from __future__ import annotations

import contextlib
import itertools
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count, Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from zhixing.core.errors import ServiceError
from zhixing.funds import services
from zhixing.funds.models import (
    NO_OVERDRAFT,
    AccountKind,
    BankNotice,
    DistributionPlan,
    Entry,
    LedgerAccount,
    Payout,
    Receipt,
    Transaction,
)
from zhixing.funds.services import fees, inbox

from .test_payouts import applicant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bank_day")]

AMOUNTS = st.sampled_from(["0.01", "1.00", "99.99", "500.00", "1234.56", "20000.00", "150000.00"])
_txn = itertools.count(1)


def _money(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def test_ledger_state_machine(case: Any, people: dict[str, Any], bank: Any) -> None:
    number = services.case_account(case).number
    wrong = number[:-2] + ("00" if number[-2:] != "00" else "01")
    debtor = case.parties.get(role="debtor")
    chain_by_role = {
        "judge": people["judge2"],
        "director": people["director"],
        "president": people["president"],
    }

    class Money(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.sp = transaction.savepoint()
            self.sent: dict[str, Decimal] = {}  # txn id → amount, every notice the bank sent
            self.payouts: list[int] = []
            self.plan: int | None = None
            bank.app.bank.payments.clear()

        def teardown(self) -> None:
            transaction.savepoint_rollback(self.sp)

        # -- receipts through the inbox -------------------------------------------------------------------
        @rule(amount=AMOUNTS, unidentified=st.booleans(), repeat=st.booleans(), drain=st.booleans())
        def notice(self, amount: str, unidentified: bool, repeat: bool, drain: bool) -> None:
            txn = f"SM{next(_txn)}"
            item = services.Incoming(
                txn_id=txn,
                amount=amount,
                value_date=date(2026, 3, 10),
                to_account=wrong if unidentified else number,
                payer_name="张三",
                payer_account="6222020200001234",
                custody_account_no="44001000106",
            )
            first = inbox.receive_notice(item, business_date=date(2026, 3, 10))
            if repeat:  # the bank did not see our 200 and sends it again
                assert (
                    inbox.receive_notice(item, business_date=date(2026, 3, 10)).notice_id == first.notice_id
                )
            self.sent[txn] = _money(amount)
            if drain:
                inbox.drain()

        @rule()
        def drain(self) -> None:
            inbox.drain_all()

        # -- costs ----------------------------------------------------------------------------------------
        @rule(amount=AMOUNTS)
        def costs(self, amount: str) -> None:
            with contextlib.suppress(ServiceError):
                fees.book_costs(people["judge"], case, amount, "评估费", idempotency_key=f"inv-{next(_txn)}")

        # -- payouts --------------------------------------------------------------------------------------
        @initialize(amount=st.sampled_from(["5000.00", "120000.00", "400000.00"]))
        def money_arrives(self, amount: str) -> None:
            self.notice(amount, unidentified=False, repeat=False, drain=True)

        @rule(
            share=st.sampled_from(["0.01", "0.5", "1", "1.0001"]),
            refund=st.booleans(),
            refused_account=st.booleans(),
        )
        def propose(self, share: str, refund: bool, refused_account: bool) -> None:
            """A payout of a share of the payable amount (all of it, or a cent more: refused)."""
            party = debtor if refund else applicant(case)
            free = fees.case_balance(case.pk) - fees.committed(case.pk) - fees.outstanding_fee(case)
            if refund:
                free -= fees.claim_outstanding(case)
            amount = max((free * Decimal(share)).quantize(Decimal("0.01")), Decimal("0.01"))
            try:
                p = services.propose(
                    people["judge"],
                    case,
                    party_id=party.pk,
                    amount=amount,
                    account_name=party.name,
                    account_no=("0000" if refused_account else "6222") + "020000001",
                    purpose="refund" if refund else "applicant",
                )
            except ServiceError:
                assert amount > free or share == "1.0001" or free <= 0 or refund
                return
            assert amount <= free  # nothing above the payable amount is ever accepted
            self.payouts.append(p.pk)

        @rule(
            share=st.sampled_from(["0.5", "1"]),
            refund=st.booleans(),
            refused_account=st.booleans(),
            twice=st.booleans(),
        )
        def pay(self, share: str, refund: bool, refused_account: bool, twice: bool) -> None:
            """The whole way at once: propose, every approval, send (the bank pays or refuses)."""
            before = len(self.payouts)
            self.propose(share, refund, refused_account)
            if len(self.payouts) > before:
                self.approve(len(self.payouts) - 1, every_step=True, then_send=False)
                self.send(len(self.payouts) - 1, twice=twice)

        def _pick(self, i: int) -> Payout:
            return Payout.objects.get(pk=self.payouts[i % len(self.payouts)])

        @precondition(lambda self: self.payouts)
        @rule(i=st.integers(0, 50), every_step=st.booleans(), then_send=st.booleans())
        def approve(self, i: int, every_step: bool, then_send: bool) -> None:
            p = self._pick(i)
            while p.status == "proposed":
                try:
                    p = services.decide(chain_by_role[p.chain[p.step]], p.pk)
                except ServiceError:
                    return
                if not every_step:
                    return
            if then_send:
                self.send(i, twice=False)

        @precondition(lambda self: self.payouts)
        @rule(i=st.integers(0, 50))
        def reject(self, i: int) -> None:
            p = self._pick(i)
            try:
                who = chain_by_role[p.chain[p.step]] if p.step < len(p.chain) else people["director"]
                services.decide(who, p.pk, approve=False, note="材料不全")
            except ServiceError:
                pass

        @precondition(lambda self: self.payouts)
        @rule(i=st.integers(0, 50))
        def cancel(self, i: int) -> None:
            with contextlib.suppress(ServiceError):
                services.cancel(people["judge"], self._pick(i).pk, reason="当事人申请暂缓")

        @precondition(lambda self: self.payouts)
        @rule(i=st.integers(0, 50), twice=st.booleans())
        def send(self, i: int, twice: bool) -> None:
            pk = self._pick(i).pk
            for _ in range(2 if twice else 1):  # finance clicks again: the bank pays once
                with contextlib.suppress(ServiceError):
                    services.send(people["finance"], pk)

        # -- unidentified receipts: claim or return -------------------------------------------------------
        def _unidentified(self) -> Receipt | None:
            return (
                Receipt.objects.filter(status="unidentified", bank_txn_id__startswith="SM")
                .order_by("pk")
                .first()
            )

        @rule(back=st.booleans())
        def settle_unidentified(self, back: bool) -> None:
            rec = self._unidentified()
            if rec is None:
                return
            try:
                if back:
                    services.return_receipt(people["finance"], rec.pk, reason="付款人汇错账户")
                else:
                    services.claim_receipt(people["finance"], rec.pk, case)
            except ServiceError:
                pass

        # -- distribution: the objection holds the disputed amount, resolving releases it -----------------
        @precondition(lambda self: self.plan is None)
        @rule(disputed=AMOUNTS)
        def objection(self, disputed: str) -> None:
            try:
                plan = services.create_plan(
                    people["judge"],
                    case,
                    proceeds="1000.00",
                    costs="0",
                    claims=[{"creditor": "甲", "amount": "800.00"}],
                )
                plan = services.serve_plan(people["judge"], plan, date(2026, 3, 10))
                self.plan = plan.pk
                services.record_objection(
                    people["judge"], plan, received_on=date(2026, 3, 12), disputed=disputed
                )
            except ServiceError:
                pass

        @precondition(lambda self: self.plan is not None)
        @rule()
        def resolve(self) -> None:
            services.resolve_plan(people["judge"], DistributionPlan.objects.get(pk=self.plan))

        # -- invariants -----------------------------------------------------------------------------------
        @invariant()
        def ledger_balances(self) -> None:
            unbalanced = Entry.objects.values("transaction").annotate(s=Sum("amount")).exclude(s=0)
            assert not unbalanced.exists()
            for acc in LedgerAccount.objects.annotate(total=Sum("entries__amount"), n=Count("entries")):
                assert (acc.balance, acc.entry_count) == (_money(acc.total), acc.n), acc
                if acc.kind in NO_OVERDRAFT:
                    assert acc.natural_balance >= 0, acc

        @invariant()
        def promised_within_the_money(self) -> None:
            assert fees.uncommitted(case) >= 0

        @invariant()
        def bank_pays_each_order_once(self) -> None:
            paid = list(Payout.objects.filter(status="paid").values_list("order_key", "amount"))
            returned = list(
                Receipt.objects.filter(status="returned").values_list("return_order_key", "amount")
            )
            at_bank = {k: p for k, p in bank.app.bank.payments.items() if p["status"] == "paid"}
            assert sorted(at_bank) == sorted(k for k, _ in paid + returned)
            for key, amount in paid + returned:
                assert Decimal(at_bank[key]["amount"]) == amount
            for p in Payout.objects.all():
                keys = [f"payout-paid:{p.pk}", f"payout-failed:{p.pk}", f"payout-reserve:{p.pk}"]
                assert Transaction.objects.filter(idempotency_key__in=keys[:2]).count() <= 1
            arrived = sum(Receipt.objects.values_list("amount", flat=True), Decimal("0"))
            out = sum((a for _, a in paid + returned), Decimal("0"))
            custody = LedgerAccount.objects.filter(kind=AccountKind.BANK, court=case.court).first()
            assert (custody.natural_balance if custody else Decimal("0.00")) == arrived - out

        @invariant()
        def notices_booked_once(self) -> None:
            booked = BankNotice.objects.exclude(status="received").values_list("txn_id", flat=True)
            for txn in booked:
                assert Receipt.objects.filter(bank_txn_id=txn).count() == 1
                assert Transaction.objects.filter(idempotency_key=f"receipt:{txn}").count() == 1
            assert BankNotice.objects.count() == len(self.sent)
            for txn, amount in self.sent.items():
                assert Receipt.objects.filter(bank_txn_id=txn).exclude(amount=amount).count() == 0

        def check_drained(self) -> None:
            inbox.drain_all()
            assert not BankNotice.objects.filter(status="received").exists()
            assert Receipt.objects.filter(bank_txn_id__in=list(self.sent)).count() == len(self.sent)

    Money.TestCase.settings = settings(
        max_examples=15,  # ~35 s on the shared 2-core machine (limit: 60 s)
        stateful_step_count=18,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )

    class Drained(Money):
        def teardown(self) -> None:
            self.check_drained()
            super().teardown()

    run_state_machine_as_test(Drained, settings=Money.TestCase.settings)
