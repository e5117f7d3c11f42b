"""Demo for issue 15: a judgment with running interest and instalments, against a partnership and its
partner (two debtors), filed in 天河 — the case page shows the running interest, the instalments and what
is enforceable today; the funds page offers the debtor and its form for a distribution plan."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from zhixing.cases.models import EnforcementCase
from zhixing.cases.services import FilingData, PartyData, assign_case, file_case
from zhixing.courts.models import Court, Staff
from zhixing.courts.roles import Role

from .people import credit_code, resident_id
from .replay import business_day

NEW_CASES = 1


def seed_fidelity_demo(today: date | None = None) -> EnforcementCase | None:
    """File the demo case in 粤0106 (None when the court or its staff are missing)."""
    today = today or timezone.localdate()
    court = Court.objects.filter(code="粤0106").first()
    clerk = Staff.objects.filter(court=court, role=Role.CLERK, is_active=True).order_by("pk").first()
    director = Staff.objects.filter(court=court, role=Role.DIRECTOR, is_active=True).order_by("pk").first()
    judge = Staff.objects.filter(court=court, role=Role.JUDGE, is_active=True).order_by("pk").first()
    if court is None or clerk is None or director is None or judge is None:
        return None
    effective = today - timedelta(days=150)
    first_due, last_due = today - timedelta(days=120), today + timedelta(days=60)
    data = FilingData(
        case_type="执",
        applied_on=today - timedelta(days=30),
        filed_on=today - timedelta(days=28),
        instrument_type="civil_judgment",
        issuing_body=court.name,
        basis_number=f"（{effective.year}）{court.code}民初7715号",
        effective_on=effective,
        performance_deadline=last_due,
        principal="300000.00",
        litigation_costs="0",
        interest_rate="3.45",
        interest_from=effective,
        instalments=[
            (first_due, "100000.00"),
            (last_due - timedelta(days=90), "100000.00"),
            (last_due, "100000.00"),
        ],
        parties=[
            PartyData(
                role="applicant",
                kind="organisation",
                name="广州珠江设备租赁有限公司",
                credit_code=credit_code("91", "440106", "MA5FDK001"),
                legal_representative="林志远",
            ),
            PartyData(
                role="debtor",
                kind="organisation",
                name="广州天河启明投资合伙企业（普通合伙）",
                credit_code=credit_code("91", "440106", "MA5FDK002"),
                legal_representative="陈启明（执行事务合伙人）",
            ),
            PartyData(
                role="debtor",
                kind="person",
                name="陈启明",
                id_number=resident_id("440106", date(1979, 4, 12), 35),
            ),
        ],
        confirm_duplicate=True,
    )
    with business_day(data.filed_on):
        case = file_case(clerk, court, data)
        return assign_case(director, case, judge, on=data.filed_on)
