"""Demo income withholding (CPL-2023 Art 254, rule R-0.9), run by `seed_demo` through
`manage.py funds_demo_withholding`: on the first demo money court, the first open money case after the six
of `demo_money`, its notice served on the filing day (so its period has run out), one order of the
debtor's wages with this month's transfer from the employer booked to the case account, and one order of
rent income lifted because the tenancy ended. Through the product's services; running it again adds
nothing."""

from __future__ import annotations

from django.utils import timezone

from zhixing.cases.models import OPEN_STATUSES, CaseStatus, EnforcementCase
from zhixing.cases.services import issue_and_serve_notice
from zhixing.core.errors import ServiceError

from . import services
from .demo_money import CASES, demo_court
from .models import CustodyAccount, IncomeWithholding
from .services import withholding

EMPLOYER = "广州市天河某软件科技有限公司"
EMPLOYER_ACCOUNT = "3602000109200123456"


def seed() -> IncomeWithholding | None:
    """The active order (None when done before or no case qualifies)."""
    court = demo_court()
    if court is None or IncomeWithholding.objects.filter(court=court).exists():
        return None
    custody = CustodyAccount.objects.filter(court=court).first()
    if custody is None:
        return None
    candidates = (
        EnforcementCase.objects.filter(court=court, status__in=OPEN_STATUSES, principal__gt=0)
        .exclude(status=CaseStatus.SUSPENDED)
        .filter(handler__isnull=False, handler__is_active=True, handler__role="judge")
        .select_related("court", "handler")
        .order_by("pk")[CASES : CASES + 10]
    )
    today = timezone.localdate()
    for case in candidates:
        debtor = case.parties.filter(role="debtor").order_by("pk").first()
        if debtor is None or (today - case.filed_on).days < 15:
            continue
        try:
            issue_and_serve_notice(case.handler, case, on=case.filed_on)
            rent = withholding.order_withholding(
                case.handler,
                case,
                debtor=debtor.pk,
                payer_name="广州某物业租赁有限公司",
                income_kind="rent",
                monthly_income="3500.00",
                living_standard="1166.00",
                dependants=0,
                ruling_number=f"{case.number}之一",
                start_on=today,
            )
            withholding.lift_withholding(case.handler, rent.pk, reason="租赁合同已解除，承租人不再支付租金")
            order = withholding.order_withholding(
                case.handler,
                case,
                debtor=debtor.pk,
                payer_name=EMPLOYER,
                payer_account=EMPLOYER_ACCOUNT,
                income_kind="wages",
                monthly_income="12000.00",
                living_standard="1166.00",
                dependants=1,
                ruling_number=f"{case.number}之二",
                start_on=today,
            )
        except ServiceError:
            continue
        services.book_incoming(
            services.Incoming(
                txn_id=f"DEMO-W-{case.pk}-001",
                amount=order.monthly_amount,
                value_date=today,
                to_account=services.case_account(case).number,
                payer_name=EMPLOYER,
                payer_account=EMPLOYER_ACCOUNT,
                memo=f"{order.notice_number} 扣留工资",
                custody_account_no=custody.account_no,
            ),
            source="notice",
        )
        return order
    return None
