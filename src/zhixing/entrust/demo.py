"""Demo entrustments in every state, for `make run` (`manage.py entrust_demo`, run by `seed_demo`).

The demo province has only 广东 courts, so a whole-case entrustment needs a court of another province:
this creates 湖南省高级人民法院 → 长沙市中级人民法院 → 长沙市岳麓区人民法院 (湘0104) with a clerk
(`cs_clerk`) and a judge (`cs_judge1`), password the demo's. Single matters go from 天河 (粤0106) to 越秀
(粤0104): sent and running, started, reported in progress, done, and one whose start is overdue; whole
cases from 天河 to 岳麓: sent, filed by the delegate, and cancelled (销案) by 天河. Dates of the overdue
and progress rows are moved back (a demo shows clocks that real time would take weeks to reach).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from zhixing.cases.models import CaseStatus, EnforcementCase
from zhixing.core.errors import ServiceError
from zhixing.courts import services as court_services
from zhixing.courts.demo_roster import DEMO_PASSWORD
from zhixing.courts.models import Court, Staff
from zhixing.courts.roles import Role

from . import services
from .models import Entrustment

# The other province's logins this demo adds (not in `courts.demo_roster`, whose courts the case seeder
# fills with cases): (username, full name, role).
DEMO_ACCOUNTS = (("cs_clerk", "岳麓书记员", Role.CLERK.value), ("cs_judge1", "岳麓法官", Role.JUDGE.value))

MATTERS = (
    ("freeze", "冻结被执行人在中国银行广州越秀支行账户内存款"),
    ("inquiry", "查询被执行人在越秀区的不动产登记信息"),
    ("investigation", "调查被执行人在越秀区经营场所的财产状况"),
    ("service", "向住所在越秀区的被执行人送达执行通知书、报告财产令"),
    ("seizure", "查封被执行人名下位于越秀区的房产"),
)
# Matters other courts entrust to 天河 (the demo walk found 天河's inbox empty): (sender, matter, request)
INCOMING = (
    ("yx_judge1", "service", "向住所在天河区的被执行人送达执行通知书、报告财产令"),
    ("yx_judge1", "investigation", "调查被执行人在天河区经营场所的财产状况"),
    ("ft_judge1", "inquiry", "查询被执行人在天河区的不动产登记信息"),
    ("ft_judge1", "freeze", "冻结被执行人在工商银行广州天河支行账户内存款"),
)


def _incoming(today: date) -> list[Entrustment]:
    """天河's inbox: one matter waiting, one whose start is overdue, one started, one done."""
    handler = Staff.objects.filter(court__code="粤0106", role=Role.CLERK).order_by("pk").first()
    if handler is None:
        return []
    made: list[Entrustment] = []
    for username, matter, text in INCOMING:
        judge = Staff.objects.filter(username=username).first()
        if judge is None:
            continue
        case = (
            EnforcementCase.objects.filter(court=judge.court, status=CaseStatus.IN_PROGRESS, handler=judge)
            .exclude(pk__in=Entrustment.objects.values("case_id"))
            .order_by("pk")
            .first()
        )
        if case is None:
            continue
        try:
            made.append(services.send_matter(judge, case, to_court="粤0106", matter=matter, request=text))
        except ServiceError:
            continue
    if len(made) == len(INCOMING):
        back = today - timedelta(days=20)  # sent three weeks ago: past its 15-day start
        Entrustment.objects.filter(pk=made[1].pk).update(
            sent_on=back, start_by=back + timedelta(days=15), report_by=back + timedelta(days=30)
        )
        services.start(handler, made[2])
        services.start(handler, made[3])
        services.report(handler, made[3], text="已冻结被执行人账户存款，冻结裁定已送达银行", done=True)
    return made


def _xiang() -> tuple[Court, Staff]:
    hn = Court.objects.filter(code="湘").first() or court_services.create_court(
        None, code="湘", name="湖南省高级人民法院", level="high", parent=None
    )
    cs = Court.objects.filter(code="湘01").first() or court_services.create_court(
        None, code="湘01", name="长沙市中级人民法院", level="intermediate", parent=hn
    )
    yl = Court.objects.filter(code="湘0104").first() or court_services.create_court(
        None, code="湘0104", name="长沙市岳麓区人民法院", level="basic", parent=cs
    )
    clerk = Staff.objects.filter(username="cs_clerk").first()
    if clerk is None:
        clerk = court_services.create_staff(
            None,
            username="cs_clerk",
            full_name="岳麓书记员",
            password=DEMO_PASSWORD,
            court=yl,
            role=Role.CLERK,
        )
        court_services.create_staff(
            None,
            username="cs_judge1",
            full_name="岳麓法官",
            password=DEMO_PASSWORD,
            court=yl,
            role=Role.JUDGE,
        )
    return yl, clerk


def seed() -> int:
    """Returns how many entrustments it made (0 when it ran before or the demo courts are missing)."""
    if Entrustment.objects.exists():
        return 0
    judge = Staff.objects.filter(username="th_judge1").first()
    yx = Staff.objects.filter(court__code="粤0104", role=Role.CLERK).order_by("pk").first()
    if judge is None or yx is None:
        return 0
    _yl, cs_clerk = _xiang()
    cases = list(
        EnforcementCase.objects.filter(court=judge.court, status=CaseStatus.IN_PROGRESS, handler=judge)
        .select_related("court")
        .order_by("pk")[:8]
    )
    made: list[Entrustment] = []
    today = timezone.localdate()
    for case, (matter, text) in zip(cases, MATTERS, strict=False):
        try:
            made.append(services.send_matter(judge, case, to_court="粤0104", matter=matter, request=text))
        except ServiceError:
            continue
    # States: [0] running, [1] started, [2] started + progress after 30 days, [3] done, [4] start overdue.
    if len(made) >= 5:
        services.start(yx, made[1])
        back = today - timedelta(days=35)
        Entrustment.objects.filter(pk__in=[made[2].pk, made[4].pk]).update(
            sent_on=back, start_by=back + timedelta(days=15), report_by=back + timedelta(days=30)
        )
        made[2].refresh_from_db()
        services.start(yx, made[2], on=back + timedelta(days=3))
        services.report(yx, made[2], text="已到现场调查，经营场所已停业，正在调取租赁合同", done=False)
        services.start(yx, made[3])
        services.report(yx, made[3], text="已向被执行人直接送达，被执行人签收", done=True)
    # Whole cases: ones against companies only. Cancelling a case (销案) withdraws its measures through the
    # consequence table, and the credit demo exposes persons' cases: these never touch its exposures.
    whole_cases = list(
        EnforcementCase.objects.filter(court=judge.court, status=CaseStatus.IN_PROGRESS)
        .exclude(pk__in=[c.pk for c in cases[:5]])
        .exclude(parties__role="debtor", parties__kind="person")
        .select_related("court")
        .order_by("pk")
    )
    sent = 0
    for case in whole_cases:  # until three are sent: which cases may go depends on the demo's day
        if sent == 3:
            break
        try:
            made.append(
                services.send_case(judge, case, to_court="湘0104", request="被执行人在长沙有房产和经营场所")
            )
            sent += 1
        except ServiceError:
            continue
    whole = [e for e in made if e.kind == Entrustment.Kind.CASE]
    if len(whole) >= 2:
        # Sent (the first of three; single matters are sent too), filed, and filed then cancelled (销案).
        filed = whole[1:] if len(whole) >= 3 else whole
        for e in filed:
            services.record_filing(cs_clerk, e, number=f"（{today.year}）湘0104执{e.pk}号")
        # A case with money on its account cannot be cancelled: then the other filed one is tried.
        for e in reversed(filed):
            try:
                services.close_delegated(judge, e)
                break
            except ServiceError:
                continue
    made.extend(_incoming(today))
    return len(made)
