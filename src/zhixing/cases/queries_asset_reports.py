"""Read side of the debtor's asset reports (财产报告) of a case: the reports, the order's period, who is due.

# rule: R-0.8
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zhixing.core.holidays import current_calendar

from . import conf
from .models import AssetReport, EnforcementNotice, Party
from .rules import asset_report_due_on


@dataclass(frozen=True)
class ReportState:
    """The 报告财产令 of a case and its reports: `ordered` False when no order was issued or served yet."""

    ordered: bool
    served_on: date | None
    due_on: date | None
    reports: list[AssetReport]
    missing: list[Party]  # debtors that have not reported yet


def report_state(case_id: int) -> ReportState:
    notice = (
        EnforcementNotice.objects.filter(case_id=case_id)
        .values_list("asset_report_order", "served_on", "report_due_on")
        .first()
    )
    reports = list(
        AssetReport.objects.filter(case_id=case_id).select_related("debtor").order_by("received_on", "id")
    )
    done = {r.debtor_id for r in reports}
    missing = [
        p
        for p in Party.objects.filter(case_id=case_id, role=Party.Role.DEBTOR).order_by("id")
        if p.pk not in done
    ]
    if notice is None or not notice[0] or notice[1] is None:
        return ReportState(False, None, None, reports, missing)
    due = notice[2] or asset_report_due_on(notice[1], conf.asset_report_days(), current_calendar())
    return ReportState(True, notice[1], due, reports, missing)  # served before: computed now
