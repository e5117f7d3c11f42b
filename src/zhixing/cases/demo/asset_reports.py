"""Demo asset reports (财产报告, issue 15 R-0.8): in 粤0106, on two cases whose 报告财产令 was served, one
report received on the last day of the period (in time) and one after it (late, red on the case page)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from zhixing.core.errors import ServiceError

from ..models import AssetReport, CaseStatus, EnforcementNotice, Party
from ..services import record_asset_report

SUMMARIES = (
    "银行存款2笔合计约3.2万元；名下小型汽车1辆；收到执行通知前一年内无转让、赠与",
    "无银行存款；名下房产1套已抵押；一年内将一辆汽车转让给亲属（已注明受让人）",
)


def seed_asset_report_demo() -> int:
    """Returns how many reports it recorded (0 when it ran before or nothing was served)."""
    today = timezone.localdate()
    notices = list(
        EnforcementNotice.objects.filter(
            court__code="粤0106",
            asset_report_order=True,
            report_due_on__lt=today,
            case__status=CaseStatus.IN_PROGRESS,
            case__handler__isnull=False,
        )
        .exclude(case_id__in=AssetReport.objects.values("case_id"))
        .select_related("case", "case__court", "case__handler")
        .order_by("-pk")[:2]
    )
    made = 0
    for i, n in enumerate(notices):
        assert n.report_due_on is not None
        debtor = Party.objects.filter(case_id=n.case_id, role=Party.Role.DEBTOR).order_by("pk").first()
        received = n.report_due_on if i == 0 else min(today, n.report_due_on + timedelta(days=3))
        if debtor is None:
            continue
        try:
            record_asset_report(
                n.case.handler, n.case, debtor_id=debtor.pk, received_on=received, summary=SUMMARIES[i]
            )
        except ServiceError:
            continue
        made += 1
    return made
