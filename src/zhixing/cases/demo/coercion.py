"""Demo coercive measures (issue 20) in 粤0106, in every state the case page shows: a fine awaiting the
president, a detention approved with its decision, in custody and the family told (review period running),
a summons by force approved and under way, a search refused, and a refusal-crime referral with its
evidence bundle's digest."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from zhixing.core.errors import ServiceError
from zhixing.courts.models import Staff
from zhixing.courts.roles import Role

from .. import evidence
from ..models import CaseStatus, CoerciveMeasure, EnforcementCase, Party
from ..services import coercion


def seed_coercion_demo() -> int:
    """Returns how many measures it recorded (0 when it ran before or the court has no president)."""
    if CoerciveMeasure.objects.exists():
        return 0
    president = Staff.objects.filter(court__code="粤0106", role=Role.PRESIDENT).order_by("pk").first()
    cases = list(
        EnforcementCase.objects.filter(
            court__code="粤0106", status=CaseStatus.IN_PROGRESS, handler__isnull=False
        )
        .select_related("court", "handler")
        .order_by("-pk")[:4]
    )
    if president is None or len(cases) < 4:
        return 0
    now = timezone.now()
    made = 0
    try:
        a, b, c, d = cases
        da = _person(a)
        if da is not None:
            coercion.propose_measure(
                a.handler, a, kind="fine", party_id=da.pk, act="拒不报告财产情况", amount="20000"
            )
            made += 1
        db = _person(b)
        if db is not None:
            m = coercion.propose_measure(
                b.handler,
                b,
                kind="detention",
                party_id=db.pk,
                act="违反限制消费令乘坐飞机",
                days="15",
                custody="广州市公安局天河区分局拘留所",
            )
            m = coercion.decide_measure(president, m, approve=True)
            coercion.record_service(b.handler, m, served_on=timezone.localdate())
            coercion.record_start(b.handler, m, started_at=now - timedelta(hours=5))
            coercion.record_family_notice(b.handler, m, notified_at=now - timedelta(hours=3))
            fine = coercion.propose_measure(
                b.handler, b, kind="fine", party_id=db.pk, act="拒不报告财产情况", amount="50000"
            )
            coercion.decide_measure(president, fine, approve=True)
            bundle = evidence.bundle(b, db, ["3.4"])
            coercion.refer_refusal(
                b.handler,
                b,
                party_id=db.pk,
                situations=["3.4"],
                facts="经罚款、拘留后仍拒不报告财产，违反限制消费令乘坐飞机",
                receiver="广州市公安局天河区分局",
                referred_on=timezone.localdate(),
                evidence_sha256=bundle.sha256,
                evidence_files=bundle.files,
            )
            made += 2
        dc = _person(c)
        if dc is not None:
            m = coercion.propose_measure(
                c.handler, c, kind="summons", party_id=dc.pk, act="两次传唤无正当理由拒不到庭", hours="8"
            )
            m = coercion.decide_measure(president, m, approve=True)
            coercion.record_start(c.handler, m, started_at=now - timedelta(hours=1))
            made += 1
        dd = Party.objects.filter(case_id=d.pk, role=Party.Role.DEBTOR).order_by("pk").first()
        if dd is not None:
            m = coercion.propose_measure(
                d.handler, d, kind="search", party_id=dd.pk, act="隐匿财产拒不交出", place="被执行人住所"
            )
            coercion.decide_measure(
                president, m, approve=False, note="现有证据不足以证明隐匿财产，请补充调查"
            )
            made += 1
    except ServiceError:
        pass
    return made


def _person(case: EnforcementCase) -> Party | None:
    return (
        Party.objects.filter(case_id=case.pk, role=Party.Role.DEBTOR, kind=Party.Kind.PERSON)
        .order_by("pk")
        .first()
    )
