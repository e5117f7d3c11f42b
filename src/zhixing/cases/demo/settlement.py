"""Demo settlement agreements (执行和解, issue 19 item 4) in 粤0106: one on track (the first instalment
paid, the case suspended at the applicant's request), one with a missed instalment (marked by the sweep;
the command center's demo sweep then raises its alert; the applicant's online resume request pending)
and one fully performed (the case closed as performed). Runs before `command_demo_field`, whose
sweep raises the alert.

The cases chosen have no money performed yet and nothing on their case account (no closing veto), so
the demo's own payments are exactly what the agreements match, whatever else the demo booked.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from zhixing.core.errors import ServiceError
from zhixing.courts.models import Staff
from zhixing.courts.roles import Role

from ..events import closing_vetoes
from ..models import CaseStatus, EnforcementCase, SettlementAgreement
from ..services import record_payment, settlement_requests
from ..services import settlement as settlement_services

CENT = Decimal("0.01")


def _amount(case: EnforcementCase, share: str) -> Decimal:
    return max(Decimal("100.00"), (case.principal * Decimal(share)).quantize(CENT))


def _candidates(today: date) -> list[EnforcementCase]:
    base = EnforcementCase.objects.filter(
        court__code="粤0106",
        status__in=(CaseStatus.IN_PROGRESS, CaseStatus.REGISTERED),
        principal__gte=Decimal("10000"),
        paid_amount=0,
        payments__isnull=True,
        filed_on__lt=today,
    ).select_related("court")
    # Cases against persons first, newest first: the entrustment demo sends whole cases against
    # companies, and the custody-money demo works on the oldest open cases; this demo suspends and
    # closes its cases, so it leaves theirs alone while it can (a small demo falls back to companies).
    persons = list(
        base.filter(parties__role="debtor", parties__kind="person")
        .distinct()
        .order_by("-filed_on", "-pk")[:20]
    )
    others = list(base.exclude(pk__in=[c.pk for c in persons]).order_by("-filed_on", "-pk")[:20])
    rows = persons + others
    return [
        c
        for c in rows
        if not any(r for _, r in closing_vetoes.send(sender=EnforcementCase, case=c, mode="performed"))
    ]


def _pay(case: EnforcementCase, amount: Decimal, on: date, n: int) -> None:
    record_payment(case.pk, amount, on, source="direct", reference=f"DEMO-SETTLE-{case.pk}-{n}")


def seed_settlement_demo() -> int:
    """Returns how many agreements it recorded (0 when it ran before or no suitable case exists)."""
    if SettlementAgreement.objects.exists():
        return 0
    today = timezone.localdate()
    judge = Staff.objects.filter(court__code="粤0106", role=Role.JUDGE, is_active=True).order_by("pk").first()
    found = _candidates(today)
    if judge is None or len(found) < 3:
        return 0
    missed, on_track, done = found[:3]
    made = 0
    try:
        # a missed instalment: half of the first paid, its due day (yesterday) has passed
        start = missed.filed_on
        a = _amount(missed, "0.2")
        settlement_services.record_settlement(
            judge,
            missed,
            parties="申请执行人与被执行人（书面和解协议）",
            signed_on=start,
            document_ref=f"{missed.number}执行和解协议",
            instalments=[(today - timedelta(days=1), a), (today + timedelta(days=30), a)],
            suspend=True,
            suspension_ref=f"{missed.number}之一",
        )
        _pay(missed, (a / 2).quantize(CENT), start, 1)
        settlement_services.sweep_settlements(today)
        # the applicant asked online to resume (申请恢复执行): pending on the judge's settlement page
        applicant = missed.parties.filter(role="applicant").order_by("pk").first()
        if applicant is not None:
            breached = missed.settlements.get()
            settlement_requests.file_resume_request(
                missed,
                breached.pk,
                party_id=applicant.pk,
                grounds="被执行人未按和解协议于约定期限内足额支付第1期款项，仅支付一半，申请恢复执行原判决。",
            )
        made += 1
        # on track: the first instalment paid in time, two to come
        start = on_track.filed_on
        a = _amount(on_track, "0.1")
        settlement_services.record_settlement(
            judge,
            on_track,
            parties="申请执行人与被执行人（当面和解，记入笔录）",
            signed_on=start,
            document_ref=f"{on_track.number}和解笔录",
            instalments=[
                (today - timedelta(days=1), a),
                (today + timedelta(days=20), a),
                (today + timedelta(days=50), a),
            ],
            conditions="被执行人按期履行的，申请执行人放弃迟延履行期间的债务利息",
            suspend=True,
            suspension_ref=f"{on_track.number}之一",
        )
        _pay(on_track, a, start, 1)
        made += 1
        # fully performed: paid, then closed as performed (执行完毕)
        start = done.filed_on
        a = _amount(done, "0.15")
        plan = [(start, a), (today, a)] if start < today else [(today, a + a)]
        agreement = settlement_services.record_settlement(
            judge,
            done,
            parties="申请执行人与被执行人（书面和解协议）",
            signed_on=start,
            document_ref=f"{done.number}执行和解协议",
            instalments=plan,
            keep_controls=False,
        )
        for n, (day, amount) in enumerate(plan, start=1):
            _pay(done, amount, day, n)
        settlement_services.close_performed(
            judge, agreement, closed_on=today, document_ref=f"{done.number}结案通知书"
        )
        made += 1
    except ServiceError:  # a demo case in a state the agreement cannot take: keep what was made
        return made
    return made
