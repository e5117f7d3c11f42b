"""Demo 执转破 (issue 20): in 粤0106 two company debtors each get a second unpaid case from another creditor
(filed through the filing service), so the screening page lists them with their evidence; the president
transfers the second to bankruptcy review with the applicant's written consent (its cases suspended)."""

from __future__ import annotations

import contextlib
from datetime import timedelta

from django.utils import timezone

from zhixing.core.errors import ServiceError
from zhixing.courts.models import Staff
from zhixing.courts.roles import Role

from ..models import BankruptcyTransfer, CaseStatus, Party
from ..queries_bankruptcy import candidates
from ..services import FilingData, PartyData, file_case
from ..services.bankruptcy import transfer_to_bankruptcy

CREDITORS = (
    ("广州市粤峰建材供应有限公司", "914401015900000011"),
    ("广州市顺达物流有限公司", "914401015900000024"),
)
# A company of its own per court, sued by both creditors, that the screening keeps listing: the demo
# walk found the page empty, because the first candidate's cases were closed by the demos run after
# this one (a settlement performed, money paid). (court, debtor, credit code, legal rep, principals)
FRESH = (
    ("粤0106", "广州市恒泰精密制造有限公司", "91440106MA5D8K7Q3F", "黄志明", ("380000.00", "215000.00")),
    ("粤0104", "广州市宏景装饰工程有限公司", "91440104MA5C6R2W1D", "罗嘉伟", ("296000.00", "148500.00")),
)


def _filing(clerk: Staff, i: int, principal: str, creditor: tuple[str, str], debtor: PartyData) -> FilingData:
    today = timezone.localdate()
    court = clerk.court
    assert court is not None
    return FilingData(
        case_type="执",
        applied_on=today - timedelta(days=20 + 3 * (i % 10)),
        filed_on=today - timedelta(days=18 + 3 * (i % 10)),
        instrument_type="civil_judgment",
        issuing_body=court.name,
        basis_number=f"（{today.year - 1}）{court.code}民初{9100 + i}号",
        effective_on=today - timedelta(days=90),
        performance_deadline=today - timedelta(days=75),
        principal=principal,
        parties=[
            PartyData(
                role="applicant",
                kind="organisation",
                name=creditor[0],
                credit_code=creditor[1],
                legal_representative="赵经理",
            ),
            debtor,
        ],
        confirm_duplicate=True,
    )


def _fresh_candidates() -> int:
    """Each FRESH company sued twice in its court, nothing of it in the register: listed as a candidate."""
    made = 0
    for code, name, credit_code, rep, principals in FRESH:
        clerk = Staff.objects.filter(court__code=code, role=Role.CLERK).order_by("pk").first()
        if clerk is None or clerk.court is None:
            continue
        debtor = PartyData(
            role="debtor", kind="organisation", name=name, credit_code=credit_code, legal_representative=rep
        )
        for i, (principal, creditor) in enumerate(zip(principals, CREDITORS, strict=True)):
            try:
                file_case(clerk, clerk.court, _filing(clerk, 10 + i, principal, creditor, debtor))
            except ServiceError:
                continue
            made += 1
    return made


def seed_bankruptcy_demo() -> int:
    """Returns how many second cases it filed (0 when it ran before or the court lacks the people)."""
    if BankruptcyTransfer.objects.exists():
        return 0
    clerk = Staff.objects.filter(court__code="粤0106", role=Role.CLERK).order_by("pk").first()
    president = Staff.objects.filter(court__code="粤0106", role=Role.PRESIDENT).order_by("pk").first()
    if clerk is None or president is None or clerk.court is None:
        return 0
    debtors = list(
        Party.objects.filter(
            case__court=clerk.court,
            case__status=CaseStatus.IN_PROGRESS,
            role=Party.Role.DEBTOR,
            kind=Party.Kind.ORGANISATION,
            credit_code__startswith="91",
        )
        .exclude(name__contains="合伙")
        # Suspending a case withdraws its exposures (consequence table); the credit demo exposes persons.
        .exclude(case__parties__role="debtor", case__parties__kind="person")
        .select_related("case")
        .order_by("-case__principal", "pk")[:2]
    )
    today = timezone.localdate()
    made = 0
    for i, (d, (creditor, code)) in enumerate(zip(debtors, CREDITORS, strict=False)):
        data = FilingData(
            case_type="执",
            applied_on=today - timedelta(days=20),
            filed_on=today - timedelta(days=18),
            instrument_type="civil_judgment",
            issuing_body=clerk.court.name,
            basis_number=f"（{today.year - 1}）粤0106民初{9100 + i}号",
            effective_on=today - timedelta(days=90),
            performance_deadline=today - timedelta(days=75),
            principal="260000.00",
            parties=[
                PartyData(
                    role="applicant",
                    kind="organisation",
                    name=creditor,
                    credit_code=code,
                    legal_representative="赵经理",
                ),
                PartyData(
                    role="debtor",
                    kind="organisation",
                    name=d.name,
                    credit_code=d.credit_code,
                    legal_representative=d.legal_representative or "法定代表人",
                ),
            ],
            confirm_duplicate=True,
        )
        try:
            file_case(clerk, clerk.court, data)
        except ServiceError:
            continue
        made += 1
    rows = [c for c in candidates(president) if c.result and c.result.eligible]
    if len(rows) >= 2:
        with contextlib.suppress(ServiceError):
            transfer_to_bankruptcy(
                president,
                debtor_key=rows[1].key,
                consent_by="applicant",
                consent_ref=f"{CREDITORS[1][0]}同意移送破产审查申请书",
                decision_ref=f"（{today.year}）粤0106执移破1号",
                receiving_court="广州市中级人民法院",
            )
    return made + _fresh_candidates()
