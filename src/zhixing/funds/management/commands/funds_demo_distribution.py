"""``manage.py funds_demo_distribution``: distribution plans (参与分配) in every stage for the demo.

Runs after ``funds_demo_custody`` (from ``seed_demo``). Uses running cases of the third basic court by
id (福田 in the demo province), so it does not touch the cases other demos use. Each case first gets
money booked through the receipts service (a deduction), then a plan is made and taken through the
lifecycle with dates relative to today, so every period shown is live: a draft, a served plan in its
objection period, an objected plan, a counter-objected plan in its suit window, a plan whose objection
suit runs (money held), an amended plan (its new version served again), a final plan with a payout
proposed, and a paid plan. Running it again does nothing. Refused in production.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from zhixing.cases.models import EnforcementCase
from zhixing.core.errors import ServiceError
from zhixing.courts.models import Court, CourtLevel, Staff
from zhixing.courts.roles import Role
from zhixing.funds.adapters.custody_bank import PaymentResult
from zhixing.funds.models import DistributionPlan, Payout
from zhixing.funds.services import book_receipt, decide
from zhixing.funds.services import distribution as dist
from zhixing.funds.services import distribution_money as money
from zhixing.funds.services import distribution_objections as obj
from zhixing.funds.services import distribution_suits as suits
from zhixing.funds.services.sending import _reserve, book_result

OUTSIDE = (("深圳市某建材有限公司", "91440300MA5F8K2L74"), ("李四", "440304199001010011"))
STAGES = ("draft", "served", "objected", "countered", "suing", "amended", "final", "paid")


def demo_court() -> Court | None:
    basic = list(Court.objects.filter(level=CourtLevel.BASIC).order_by("pk")[:3])
    return basic[2] if len(basic) == 3 else None


class Command(BaseCommand):
    help = "为演示法院生成各阶段的财产分配方案（仅限演示环境）"

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境不能生成演示分配方案")
        court = demo_court()
        if court is None or DistributionPlan.objects.filter(court=court).exists():
            return
        judge = Staff.objects.filter(court=court, role=Role.JUDGE, is_active=True).order_by("pk").first()
        if judge is None:
            return
        self.today = timezone.localdate()
        self.court, self.judge = court, judge
        cases = EnforcementCase.objects.filter(court=court, status="in_progress").order_by("-pk")
        made = 0
        stages = iter(STAGES)
        stage = next(stages, None)
        for case in cases:
            if stage is None:
                break
            if (
                not case.parties.filter(role="applicant").exists()
                or not case.parties.filter(role="debtor").exists()
            ):
                continue
            try:
                with transaction.atomic():  # a case that cannot take this stage keeps no money or plan
                    getattr(self, f"_{stage}")(case)
            except ServiceError as exc:  # e.g. the case's controls say another court seized first
                if opts.get("verbosity", 1) > 1:
                    self.stdout.write(f"跳过{case.number}：{exc.message}")
                continue
            made += 1
            stage = next(stages, None)
        if opts.get("verbosity", 1):
            self.stdout.write(f"已生成演示分配方案 {made} 个（{court.name}）")

    # -- building blocks ------------------------------------------------------------------------------

    def d(self, days_ago: int) -> date:
        return self.today - timedelta(days=days_ago)

    def _plan(
        self, case: EnforcementCase, amount: str = "300000.00", outside: bool = True
    ) -> DistributionPlan:
        book_receipt(
            idempotency_key=f"DEMO-DIST-{case.pk}",
            amount=amount,
            value_date=self.today,
            case=case,
            payer_name="被执行人财产拍卖款",
            memo="演示：拍卖成交款",
            source="deduction",
        )
        plan = dist.create_plan(self.judge, case, first_seizing_court=self.court.name)
        applicant = case.parties.filter(role="applicant").order_by("pk").first()
        assert applicant is not None
        dist.add_claim(
            self.judge,
            plan,
            {
                "party_id": applicant.pk,
                "kind": "ordinary",
                "amount": "260000.00" if outside else "900000.00",
                "applied_on": case.filed_on,
                "basis": case.basis_number,
                "evidence": "执行依据",
            },
        )
        if not outside:
            plan.refresh_from_db()
            return plan
        name, number = OUTSIDE[0]
        dist.add_claim(
            self.judge,
            plan,
            {
                "creditor_name": name,
                "creditor_id_number": number,
                "kind": "secured",
                "rank": 1,
                "security_date": "2024-05-20",
                "amount": "80000.00",
                "applied_on": self.d(70),
                "evidence": "不动产抵押登记证明",
            },
        )
        name, number = OUTSIDE[1]
        dist.add_claim(
            self.judge,
            plan,
            {
                "creditor_name": name,
                "creditor_id_number": number,
                "kind": "ordinary",
                "amount": "90000.00",
                "applied_on": self.d(65),
                "basis": "（2025）粤0304民初777号",
                "evidence": "民事判决书",
            },
        )
        plan.refresh_from_db()
        return plan

    def _object(self, plan: DistributionPlan, on: date, by: str = "李四") -> Any:
        claim = plan.claims.get(kind="secured")
        return obj.record_objection(
            self.judge,
            plan,
            by_name=by,
            claim_id=claim.pk,
            proposed_amount="0.00",
            reason="抵押权设立晚于查封，不得优先受偿",
            received_on=on,
            notified_on=on,
        )

    def _counter(self, plan: DistributionPlan, o: Any, received: date, notified: date) -> None:
        obj.record_counter(
            self.judge,
            plan,
            o.pk,
            by_name=OUTSIDE[0][0],
            received_on=received,
            notified_on=notified,
            reason="抵押登记早于查封，异议不成立",
        )

    # -- one method per stage -------------------------------------------------------------------------

    def _draft(self, case: EnforcementCase) -> None:
        self._plan(case)

    def _served(self, case: EnforcementCase) -> None:
        obj.serve_plan(self.judge, self._plan(case), self.d(3))

    def _objected(self, case: EnforcementCase) -> None:
        plan = self._plan(case)
        obj.serve_plan(self.judge, plan, self.d(5))
        self._object(plan, self.d(2))

    def _countered(self, case: EnforcementCase) -> None:
        plan = self._plan(case)
        obj.serve_plan(self.judge, plan, self.d(10))
        o = self._object(plan, self.d(8))
        self._counter(plan, o, self.d(3), self.d(2))

    def _suing(self, case: EnforcementCase) -> None:
        plan = self._plan(case)
        obj.serve_plan(self.judge, plan, self.d(20))
        o = self._object(plan, self.d(18))
        self._counter(plan, o, self.d(15), self.d(14))
        suits.record_suit(self.judge, plan, o.pk, sued_on=self.d(10), suit_number="（2026）粤0304民初1234号")

    def _amended(self, case: EnforcementCase) -> None:
        plan = self._plan(case)
        obj.serve_plan(self.judge, plan, self.d(60))
        self._object(plan, self.d(55))
        new = suits.conclude(self.judge, plan, self.today)
        obj.serve_plan(self.judge, new, self.d(1))

    def _final(self, case: EnforcementCase) -> None:
        plan = self._plan(case)
        obj.serve_plan(self.judge, plan, self.d(45))
        plan = suits.conclude(self.judge, plan, self.today)
        self._propose(plan)

    def _paid(self, case: EnforcementCase) -> None:
        plan = self._plan(case, outside=False)  # outside creditors are not paid through case payouts yet
        obj.serve_plan(self.judge, plan, self.d(50))
        plan = suits.conclude(self.judge, plan, self.today)
        p = self._propose(plan)
        self._approve(p)
        # The sandbox bank is not running while the demo is seeded: book its answer as it would send it.
        _reserve(None, p.pk)
        book_result(p.pk, PaymentResult(payment_id=f"DEMO-PAY-{p.pk}", status="paid"))
        money.mark_paid(self.judge, plan)

    def _propose(self, plan: DistributionPlan) -> Payout:
        index, line = next(
            (i, ln) for i, ln in enumerate(plan.lines) if ln.get("party_id") and ln["rank"] != "surplus"
        )
        return money.propose_line(
            self.judge,
            plan,
            index,
            account_name=line["creditor"],
            account_no="6222020200112233445",
            bank_name="中国工商银行深圳福田支行",
        )

    def _approve(self, p: Payout) -> None:
        approve: Callable[[Staff], Any] = lambda s: decide(s, p.pk, approve=True, note="演示审批")  # noqa: E731
        used = {pk for pk in (p.proposed_by_id,) if pk is not None}
        for role in p.chain:
            s = Staff.objects.filter(court=self.court, role=role, is_active=True).exclude(pk__in=used).first()
            if s is None:
                return
            approve(s)
            used.add(s.pk)
