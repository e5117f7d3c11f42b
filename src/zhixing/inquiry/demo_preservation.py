"""Demo of 诉执衔接 (`manage.py inquiry_demo_preservation`, run by `seed_demo`): in 粤0106, a preservation
case (执保) holding a seized house and a frozen account, and a second one whose seizure was carried into the
enforcement case filed after judgment (its register shows 诉讼保全转入 with the original date). Filing goes
through the real service (the carrying too); the seizures are set directly, as the other control demos do
(the partner's answers would take days). Idempotent: does nothing when a preservation case exists."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhixing.cases import services as case_services
from zhixing.cases.models import EnforcementCase, Preservation
from zhixing.courts.models import Court, Staff
from zhixing.courts.roles import Role

from . import rules
from .models import Asset, Partner

# The cases `seed` files: two 执保 cases and the enforcement case one of them is carried into.
NEW_CASES = 3


def _person_id(birth: date, seq: int) -> str:
    """A resident ID number with its ISO 7064 MOD 11-2 check digit (GB 11643)."""
    body = f"440106{birth:%Y%m%d}{seq:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


def _parties(debtor: str, debtor_id: str) -> list[case_services.PartyData]:
    return [
        case_services.PartyData(
            role="applicant",
            kind="organisation",
            name="广州市天河建材贸易有限公司",
            credit_code="91440101MA5CYX5W0N",
            legal_representative="周经理",
        ),
        case_services.PartyData(role="debtor", kind="person", name=debtor, id_number=debtor_id),
    ]


def _preservation(clerk: Staff, n: int, debtor: str, debtor_id: str, filed: date) -> EnforcementCase:
    data = case_services.FilingData(
        case_type="执保",
        applied_on=filed,
        filed_on=filed,
        instrument_type="civil_ruling",
        issuing_body="广州市天河区人民法院",
        basis_number=f"（{filed.year}）粤0106民初{n}号之一",
        lawsuit_number=f"（{filed.year}）粤0106民初{n}号",
        effective_on=filed,
        performance_deadline=filed,
        principal="380000.00",
        parties=_parties(debtor, debtor_id),
    )
    assert clerk.court is not None
    return case_services.file_case(clerk, clerk.court, data)


def _seized(case: EnforcementCase, code: str, ref: str, kind: str, value: str, start: date) -> Asset:
    partner = Partner.objects.select_related("category").get(code=code)
    funds = kind == Asset.Kind.ACCOUNT
    start_expiry = rules.control_expiry(start, partner.category.asset_kind)
    return Asset.objects.create(
        case=case,
        party=case.parties.get(role="debtor"),
        partner=partner,
        category=partner.category,
        kind=kind,
        ref=ref,
        description="诉讼保全查封" if not funds else "诉讼保全冻结",
        value=Decimal(value),
        divisible=funds,
        state=Asset.State.FROZEN if funds else Asset.State.SEIZED,
        frozen_amount=Decimal(value) if funds else Decimal("0"),
        seizure_rank=None if funds else 1,
        registered_on=None if funds else start,
        effective_on=start,
        control_start=start,
        control_expires=start_expiry,
        found_at=timezone.now() - timedelta(days=(timezone.localdate() - start).days + 1),
    )


def seed(today: date | None = None) -> int:
    """The demo preservation cases; returns how many 执保 cases were filed (0 when they exist already)."""
    if Preservation.objects.exists():
        return 0
    today = today or timezone.localdate()
    court = Court.objects.filter(code="粤0106").first()
    clerk, director, judge = (
        Staff.objects.filter(court=court, role=role, is_active=True).order_by("username").first()
        for role in (Role.CLERK, Role.DIRECTOR, Role.JUDGE)
    )
    if clerk is None or director is None or judge is None:
        return 0
    with transaction.atomic():
        waiting = _preservation(
            clerk, 8801, "刘保全", _person_id(date(1982, 5, 6), 321), today - timedelta(days=40)
        )
        _seized(
            waiting,
            "REG-ESTATE",
            "粤(2024)广州市不动产权第0106881号",
            "house",
            "1650000.00",
            today - timedelta(days=38),
        )
        _seized(
            waiting, "BANK-ICBC", "3602000119200088011", "account", "86000.00", today - timedelta(days=38)
        )
        case_services.assign_case(director, waiting, judge, on=today - timedelta(days=39))
        carried = _preservation(
            clerk, 8802, "陈转执", _person_id(date(1979, 11, 2), 512), today - timedelta(days=300)
        )
        _seized(
            carried,
            "REG-ESTATE",
            "粤(2023)广州市不动产权第0106882号",
            "house",
            "2100000.00",
            today - timedelta(days=298),
        )
        data = case_services.FilingData(
            case_type="执",
            applied_on=today - timedelta(days=3),
            filed_on=today - timedelta(days=2),
            instrument_type="civil_judgment",
            issuing_body="广州市天河区人民法院",
            basis_number=f"（{carried.year}）粤0106民初8802号",
            effective_on=today - timedelta(days=40),
            performance_deadline=today - timedelta(days=25),
            principal="380000.00",
            litigation_costs="7000.00",
            parties=_parties("陈转执", _person_id(date(1979, 11, 2), 512)),
        )
        assert clerk.court is not None
        case = case_services.file_case(clerk, clerk.court, data)
        case_services.assign_case(director, case, judge, on=today - timedelta(days=2))
    return 2
