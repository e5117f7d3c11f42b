"""``manage.py funds_demo_interest``: delay interest and custody interest shown on real demo cases.

In the fourth demo court (by id; 天河 in the standard demo) it files its own cases, so no other demo's
cases change:

* a money case with three dated partial payments (through the custody account) and two suspensions —
  one for a retrial (stops the doubled interest, 迟延履行利息解释 Art 3(3)) and one the applicant agreed
  to (does not) — so its schedule shows the legal payment order and an excluded period;
* a case with the parties' agreed payment order (doubled interest first);
* an original case with two payments, closed after a settlement, and its 执恢 case (the settlement was
  not performed) with one more
  payment: the resumed case's schedule continues the original's, with no second application fee;
* a case the debtor over-paid, whose money page shows the surplus refundable to the debtor after the
  doubled interest is kept for the applicant;
* an interest credit of the court's custody account for the last quarter, recorded by the court's
  finance user and allocated to the cases by their average daily balance.

Runs after `funds_demo_custody` (the custody account must exist); running it again does nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhixing.cases import services as case_services
from zhixing.cases.demo.people import credit_code, resident_id
from zhixing.cases.models import EnforcementCase
from zhixing.courts.models import Court
from zhixing.courts.queries import staff_of_court
from zhixing.courts.roles import Role

from ...models import InterestCredit
from ...services import book_receipt
from ...services.interest import allocate_interest_credit, record_interest_credit

DEMO_REF = "DEMO-JX-Q"
NEW_CASES = 5  # the cases it files (seed_demo's test counts them)
LESSORS = (
    "广州市恒信融资租赁有限公司",
    "广州市汇达融资租赁有限公司",
    "广州市瑞丰融资租赁有限公司",
    "广州市宏泰融资租赁有限公司",
    "广州市鼎盛融资租赁有限公司",
)


class Command(BaseCommand):
    help = "在第四个演示法院生成迟延履行利息明细、执恢承接、余款退还与执行款孳息分配的演示数据"

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境不能生成演示数据")
        courts = list(Court.objects.order_by("pk")[:4])
        if len(courts) < 4:
            raise CommandError("演示法院不足四个，请先运行 seed_demo")
        court = courts[3]
        if InterestCredit.objects.filter(court=court, bank_reference__startswith=DEMO_REF).exists():
            return
        people = {s.role: s for s in reversed(list(staff_of_court(court)))}
        missing = [r for r in (Role.CLERK, Role.JUDGE, Role.FINANCE) if r not in people]
        if missing:
            raise CommandError(f"{court.name}缺少演示人员：{'、'.join(missing)}")
        today = timezone.localdate()
        Demo(court, people, today).run()
        if opts.get("verbosity", 1):
            self.stdout.write(f"已在{court.name}生成利息与孳息演示数据")


class Demo:
    def __init__(self, court: Court, people: dict[str, Any], today: date) -> None:
        self.court, self.people, self.today = court, people, today
        self.n = 0

    def day(self, ago: int) -> date:
        return self.today - timedelta(days=ago)

    def file(self, principal: str, *, deadline_ago: int, filed_ago: int, **kw: Any) -> EnforcementCase:
        self.n += 1
        n = self.n
        parties = [
            case_services.PartyData(
                role="applicant",
                kind="organisation",
                name=LESSORS[(n - 1) % len(LESSORS)],
                credit_code=credit_code("91", "440106", f"MA5LX{n:03d}X"),
                legal_representative="梁志强",
            ),
            case_services.PartyData(
                role="debtor",
                kind="person",
                name=["黄志明", "陈晓燕", "林国栋", "吴丽华", "郑建国"][(n - 1) % 5],
                id_number=resident_id("440106", date(1980, 1 + n % 12, 10 + n), 400 + n),
            ),
        ]
        data = case_services.FilingData(
            case_type="执",
            applied_on=self.day(filed_ago + 2),
            filed_on=self.day(filed_ago),
            instrument_type="civil_judgment",
            issuing_body=self.court.name,
            basis_number=f"（{self.today.year - 1}）{self.court.code}民初8{n:03d}号",
            effective_on=self.day(deadline_ago + 15),
            performance_deadline=self.day(deadline_ago),
            principal=principal,
            parties=parties,
            **kw,
        )
        return case_services.file_case(self.people[Role.CLERK], self.court, data)

    def pay(self, case: EnforcementCase, amount: str, ago: int, tag: str) -> None:
        debtor = case.parties.get(role="debtor")
        book_receipt(
            idempotency_key=f"demo-int-{case.pk}-{tag}",
            amount=amount,
            value_date=self.day(ago),
            court=self.court,
            case=case,
            payer_name=debtor.name,
            memo="被执行人分期履行",
            source="deduction",
        )

    def run(self) -> None:
        judge = self.people[Role.JUDGE]
        # 1. partial payments, a retrial suspension (excluded) and an agreed postponement (not excluded)
        sched = self.file("200000.00", deadline_ago=200, filed_ago=150, adjudged_interest="8000.00")
        self.pay(sched, "30000.00", 140, "a")
        case_services.suspend_case(
            judge,
            sched,
            ground="retrial",
            start=self.day(120),
            document_ref=f"{sched.number}之一（再审中止）",
        )
        case_services.resume_execution(
            judge, sched, on=self.day(90), document_ref="恢复执行通知书（再审维持）"
        )
        self.pay(sched, "50000.00", 80, "b")
        case_services.suspend_case(
            judge,
            sched,
            ground="applicant_agrees",
            start=self.day(60),
            document_ref=f"{sched.number}之二（申请人同意延期）",
        )
        case_services.resume_execution(judge, sched, on=self.day(45), document_ref="恢复执行通知书")
        self.pay(sched, "20000.00", 20, "c")

        # 2. an agreed order: the doubled interest first
        agreed = self.file("80000.00", deadline_ago=120, filed_ago=100)
        case_services.record_payment_order(
            judge,
            agreed,
            order="doubled,costs,interest,principal",
            agreed_on=self.day(95),
            document_ref="执行和解协议（清偿顺序）",
        )
        self.pay(agreed, "20000.00", 90, "a")
        self.pay(agreed, "15000.00", 30, "b")

        # 3. 执恢: the original's payments carried, no second fee
        original = self.file("150000.00", deadline_ago=300, filed_ago=280)
        # paid directly to the applicant (当事人直接履行): the original's account holds nothing at closing
        for amount, ago, tag in (("40000.00", 250, "a"), ("10000.00", 200, "b")):
            case_services.record_payment(
                original.pk,
                Decimal(amount),
                self.day(ago),
                source="direct",
                reference=f"demo-int-direct-{original.pk}-{tag}",
                actor=judge,
                note="被执行人直接向申请人履行",
            )
        case_services.close_case(
            judge,
            original,
            mode="terminated",
            closed_on=self.day(180),
            details={
                "document_ref": f"{original.number}之一（达成执行和解，终结执行）",
                "ground": "other",
                "served_on": self.day(180).isoformat(),
            },
        )
        resumed = case_services.resume_case(
            judge, original, applied_on=self.day(10), reason="和解协议未履行完毕，申请人申请恢复执行"
        )
        self.pay(resumed, "25000.00", 3, "a")

        # 4. over-paid: the surplus refundable after the doubled part is kept for the applicant
        over = self.file("50000.00", deadline_ago=100, filed_ago=80)
        self.pay(over, "55000.00", 60, "a")

        # 5. the custody account's interest for the last quarter
        credit = record_interest_credit(
            self.people[Role.FINANCE],
            period_start=self.day(89),
            period_end=self.today,
            amount="386.52",
            bank_reference=f"{DEMO_REF}{self.today:%Y%m%d}",
            note="银行季度结息",
        )
        allocate_interest_credit(credit.pk)
