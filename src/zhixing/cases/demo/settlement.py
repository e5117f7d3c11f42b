"""Demo settlement agreements (执行和解, issue 19 item 4) in 粤0106: one on track (the first instalment
paid, the case suspended at the applicant's request), one with a missed instalment (marked by the sweep;
the command center's demo sweep then raises its alert) and one fully performed (the case closed as
performed). Runs before `command_demo_field`, whose sweep raises the alert."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from zhixing.core.errors import ServiceError
from zhixing.courts.roles import Cap

from ..models import CaseStatus, EnforcementCase, SettlementAgreement
from ..services import record_payment
from ..services import settlement as settlement_services


def _amount(case: EnforcementCase, share: str) -> Decimal:
    owed = case.principal - case.paid_amount
    return max(Decimal("100.00"), (owed * Decimal(share)).quantize(Decimal("0.01")))


def seed_settlement_demo() -> int:
    """Returns how many agreements it recorded (0 when it ran before or no suitable case exists)."""
    if SettlementAgreement.objects.exists():
        return 0
    today = timezone.localdate()
    cases = [
        c
        for c in EnforcementCase.objects.filter(
            court__code="粤0106",
            status=CaseStatus.IN_PROGRESS,
            handler__isnull=False,
            principal__gte=Decimal("10000"),
            filed_on__lte=today - timedelta(days=70),
        )
        .select_related("court", "handler")
        .order_by("pk")[:40]
        if c.handler is not None and c.handler.can(Cap.CASE_SUSPEND) and c.handler.can(Cap.CASE_CLOSE)
    ][:3]
    if len(cases) < 3:
        return 0
    on_track, missed, done = cases
    made = 0
    try:
        a1 = _amount(on_track, "0.1")
        settlement_services.record_settlement(
            on_track.handler,
            on_track,
            parties="申请执行人与被执行人（当面和解）",
            signed_on=today - timedelta(days=40),
            document_ref=f"{on_track.number}和解笔录",
            instalments=[
                (today - timedelta(days=10), a1),
                (today + timedelta(days=20), a1),
                (today + timedelta(days=50), a1),
            ],
            conditions="被执行人按期履行的，申请执行人放弃迟延履行利息",
            suspend=True,
            suspension_ref=f"{on_track.number}之一",
        )
        record_payment(
            on_track.pk,
            a1,
            today - timedelta(days=12),
            source="direct",
            reference=f"DEMO-SETTLE-{on_track.pk}-1",
        )
        made += 1
        a2 = _amount(missed, "0.2")
        settlement_services.record_settlement(
            missed.handler,
            missed,
            parties="申请执行人与被执行人（书面和解协议）",
            signed_on=today - timedelta(days=60),
            document_ref=f"{missed.number}执行和解协议",
            instalments=[(today - timedelta(days=30), a2), (today + timedelta(days=30), a2)],
            suspend=True,
            suspension_ref=f"{missed.number}之一",
        )
        record_payment(
            missed.pk,
            (a2 / 2).quantize(Decimal("0.01")),
            today - timedelta(days=31),
            source="direct",
            reference=f"DEMO-SETTLE-{missed.pk}-1",
        )
        settlement_services.sweep_settlements(today)
        made += 1
        a3 = _amount(done, "0.15")
        agreement = settlement_services.record_settlement(
            done.handler,
            done,
            parties="申请执行人与被执行人（书面和解协议）",
            signed_on=today - timedelta(days=50),
            document_ref=f"{done.number}执行和解协议",
            instalments=[(today - timedelta(days=40), a3), (today - timedelta(days=20), a3)],
            keep_controls=False,
        )
        record_payment(
            done.pk, a3, today - timedelta(days=41), source="direct", reference=f"DEMO-SETTLE-{done.pk}-1"
        )
        record_payment(
            done.pk, a3, today - timedelta(days=20), source="direct", reference=f"DEMO-SETTLE-{done.pk}-2"
        )
        settlement_services.close_performed(
            done.handler, agreement, closed_on=today, document_ref=f"{done.number}结案通知书"
        )
        made += 1
    except ServiceError:  # a demo case in a state the agreement cannot take: keep what was made
        return made
    return made
