"""The debtor's asset report (财产报告): the reporting period the 报告财产令 fixes, and each report received.

* `open_report_period` — called by `services.notice.record_notice_service` in its transaction when the
  notice carries the order (a money case): the period's last day (configuration
  ``ZHIXING_CASES["asset_report_days"]`` from the deemed day of service, CPL Art 85) is kept on the notice,
  and the case gets the node "财产报告" due that day (the node type's budget is the configuration's maximum;
  the period caps it through `Node.due_cap`, so every recompute keeps it).
* `record_asset_report` — one debtor's written report: the day received, the period it covers (财产调查规定
  Art 6: from one year before the day the order was received to the report), a short summary, and whether
  it came after the period (flagged only; the fines of CPL-2023 Art 252 are the coercive measures' part).
  When every debtor of the case has reported, the node completes itself on the last report's day, with a
  link to the reports (`node_events.complete_node_from_event`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Cap

from .. import conf
from ..models import AssetReport, EnforcementCase, EnforcementNotice, Node, NodeType, Party
from ..rules import asset_report_due_on, asset_report_late, asset_report_window
from .deadlines import recompute_case_deadlines
from .node_events import ASSET_REPORT, complete_node_from_event

__all__ = ["open_report_period", "record_asset_report"]

SUMMARY_MAX = 500


# rule
def open_report_period(notice: EnforcementNotice, case: EnforcementCase) -> date | None:
    """The reporting period of the order served with `notice` (already saved with its `served_on`): its last
    day on the notice and the case's "财产报告" node. None when the notice carries no order."""
    if not notice.asset_report_order or notice.served_on is None:
        return None
    due = asset_report_due_on(notice.served_on, conf.asset_report_days(), current_calendar())
    notice.report_due_on = due
    notice.save(update_fields=["report_due_on"])
    nt = NodeType.objects.filter(code=ASSET_REPORT, active=True).first()
    if nt is not None and not Node.objects.filter(case_id=case.pk, node_type=nt).exists():
        Node.objects.create(
            case=case,
            node_type=nt,
            court_id=case.court_id,
            handler=case.handler,
            started_on=notice.served_on,
            due_cap=due,
        )
        recompute_case_deadlines(case)
    return due


# rule
def record_asset_report(
    actor: Any, case: EnforcementCase, *, debtor_id: int, received_on: date, summary: str
) -> AssetReport:
    """Record debtor `debtor_id`'s written asset report received on `received_on`."""
    if not can_write_court(actor, case.court):
        raise NotPermitted("只能办理本院案件；上级法院只能查看")
    if not actor.can(Cap.NODE_COMPLETE):
        raise NotPermitted("您的岗位无权登记财产报告")
    summary = (summary or "").strip()
    if not summary:
        raise ServiceError("请填写财产报告的内容摘要", field="summary")
    if len(summary) > SUMMARY_MAX:
        raise ServiceError(f"内容摘要不能超过{SUMMARY_MAX}字", field="summary")
    if received_on > timezone.localdate():
        raise ServiceError("收到日期不能晚于今天", field="received_on")
    with transaction.atomic():
        case = (
            EnforcementCase.objects.select_for_update(of=("self",), no_key=True)
            .select_related("court")
            .get(pk=case.pk)
        )
        if not case.is_open:
            raise Conflict("案件已结案，不能登记财产报告", field="case")
        notice = EnforcementNotice.objects.filter(case_id=case.pk).first()
        if notice is None or not notice.asset_report_order or notice.served_on is None:
            raise Conflict("本案尚未送达报告财产令，不能登记财产报告", field="case")
        if received_on < notice.issued_on:
            raise ServiceError("收到日期不能早于报告财产令的发出日期", field="received_on")
        debtor = Party.objects.filter(pk=debtor_id, case_id=case.pk, role=Party.Role.DEBTOR).first()
        if debtor is None:
            raise ServiceError("请选择本案的被执行人", field="debtor")
        if AssetReport.objects.filter(case_id=case.pk, debtor_id=debtor.pk).exists():
            raise Conflict(
                "该被执行人已提交财产报告；财产变动后的补充报告请添加节点“被执行人补充报告财产”",
                field="debtor",
            )
        due = notice.report_due_on or asset_report_due_on(
            notice.served_on, conf.asset_report_days(), current_calendar()
        )
        start, end = asset_report_window(notice.served_on, received_on)
        late = asset_report_late(received_on, due)
        report = AssetReport.objects.create(
            case=case,
            court_id=case.court_id,
            debtor=debtor,
            received_on=received_on,
            period_from=start,
            period_to=end,
            due_on=due,
            late=late,
            summary=summary,
            recorded_by=actor,
        )
        audit.record(
            actor,
            "case.asset_report",
            object_type="AssetReport",
            object_id=report.pk,
            case_id=case.pk,
            after={
                "debtor": debtor.name,
                "received_on": received_on,
                "report_period": f"{start:%Y-%m-%d}至{end:%Y-%m-%d}",
                "report_due_on": due,
                "report_late": late,
            },
        )
        debtors = set(case.parties.filter(role=Party.Role.DEBTOR).values_list("pk", flat=True))
        reported = set(AssetReport.objects.filter(case_id=case.pk).values_list("debtor_id", flat=True))
        if debtors <= reported:  # every debtor has reported: the node closes on this (the last) report's day
            complete_node_from_event(
                case.pk,
                ASSET_REPORT,
                event="case.asset_report",
                link_url=reverse("case_detail", args=[case.pk]) + "#asset-reports",
                link_label="财产报告",
                document_ref=f"{case.number}财产报告",
                on=received_on,
                actor=actor,
            )
    return report
