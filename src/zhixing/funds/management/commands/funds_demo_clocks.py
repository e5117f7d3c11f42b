"""``manage.py funds_demo_clocks``: payout clocks in every state on the second demo court's cases.

`seed_demo` runs it after `funds_demo_custody`. Each state gets its own open case of the second court
(the second court by id that has cases in progress; its cases in progress filed at least 75 days
ago, ordered by id), so the money page, the
finance page and the director page show real clocks on first start: running, due soon, overdue (one
partly paid), held for each lawful reason (the suspension through the case's own suspension), held then
lifted, and met. Everything goes through the services (receipts, costs, holds, suspension), audited;
the scan then marks what is overdue. Refused in production; running it again does nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhixing.cases import services as case_services
from zhixing.cases.models import CaseStatus, EnforcementCase
from zhixing.courts.models import Court, Staff
from zhixing.courts.roles import Role
from zhixing.funds import services
from zhixing.funds.models import Receipt
from zhixing.funds.services import clocks, holds

PREFIX = "DEMO-CLOCK-"
# (state, receipts as (days ago, amount), then what happens)
PLAN: list[tuple[str, list[tuple[int, str]]]] = [
    # overdue and partly paid (60 days), due soon (27), running (5): costs settle the oldest first
    ("mixed", [(60, "50000.00"), (27, "12500.00"), (5, "86000.00")]),
    ("overdue", [(45, "230000.00")]),
    ("distribution", [(20, "180000.00")]),
    ("suspended", [(10, "64000.00")]),
    ("unreachable", [(50, "26800.00")]),
    # the oldest 30,000 disputed, the next 45,000 frozen by another case
    ("disputed_frozen", [(25, "80000.00"), (12, "45000.00")]),
    # one receipt met (costs), the other held and lifted again
    ("met_lifted", [(70, "15000.00"), (40, "38000.00")]),
]


class Command(BaseCommand):
    help = "在第二个演示法院的案件上生成各种状态的发款期限与暂缓发放（仅限演示环境）"

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境（ZHIXING_PRODUCTION=1）不能生成演示数据")
        if Receipt.objects.filter(bank_txn_id__startswith=PREFIX).exists():
            return
        today = timezone.localdate()
        with_cases = EnforcementCase.objects.filter(status=CaseStatus.IN_PROGRESS).values("court_id")
        courts = list(Court.objects.filter(pk__in=with_cases).order_by("pk")[:2])
        if len(courts) < 2:
            return
        court = courts[1]  # the second demo court with cases (the first is the other demos')
        judge = Staff.objects.filter(court=court, role=Role.JUDGE, is_active=True).order_by("pk").first()
        if judge is None or not hasattr(court, "custody_account"):
            return
        # The oldest cases take the plans with the oldest receipts: a receipt never predates its case's
        # filing, and the demo's case ages move with today's date (too few cases 75 days old some days).
        cases = list(
            EnforcementCase.objects.filter(court=court, status=CaseStatus.IN_PROGRESS).order_by(
                "filed_on", "pk"
            )
        )
        plans = sorted(PLAN, key=lambda p: -max(ago for ago, _ in p[1]))
        done = 0
        for case, (state, receipts) in zip(cases, plans, strict=False):
            if case.filed_on > today - timedelta(days=max(ago for ago, _ in receipts) + 5):
                continue
            for i, (ago, amount) in enumerate(receipts):
                services.book_receipt(
                    idempotency_key=f"{PREFIX}{case.pk}-{i}",
                    amount=amount,
                    value_date=today - timedelta(days=ago),
                    case=case,
                    payer_name="演示付款人",
                    memo="演示来款",
                    source="manual",
                )
            self._apply(state, case, judge, today)
            done += 1
        clocks.scan(today)
        if opts.get("verbosity", 1):
            self.stdout.write(f"已在{court.name}的{done}件案件上生成发款期限演示数据")

    def _apply(self, state: str, case: EnforcementCase, judge: Staff, today: date) -> None:
        ago = lambda n: today - timedelta(days=n)  # noqa: E731
        if state == "mixed":
            services.book_costs(judge, case, "20000.00", "评估费（演示）")
        elif state == "distribution":
            holds.place_hold(judge, case, reason="distribution", start=ago(10), note="多个债权人申请参与分配")
        elif state == "suspended":
            case_services.suspend_case(
                judge, case, ground="other", start=ago(3), document_ref=f"{case.number}之一（演示）"
            )
        elif state == "unreachable":
            holds.place_hold(
                judge, case, reason="unreachable", start=ago(31), note="申请执行人电话停机，拟提存"
            )
        elif state == "disputed_frozen":
            holds.place_hold(
                judge, case, reason="disputed", start=ago(8), amount="30000.00", note="分配方案异议"
            )
            holds.place_hold(
                judge,
                case,
                reason="frozen_elsewhere",
                start=ago(5),
                amount="45000.00",
                note="（2026）粤执保1号冻结",
            )
        elif state == "met_lifted":
            services.book_costs(judge, case, "15000.00", "拍卖辅助费（演示）")
            h = holds.place_hold(judge, case, reason="disputed", start=ago(35), note="案外人主张权利")
            holds.lift_hold(judge, h.pk, end=ago(5), note="异议已驳回")
