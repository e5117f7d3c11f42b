"""The enforcement notice counts from receipt of the application (issue 15 item 2).

民诉解释 Art 480 (2022 numbering): "人民法院应当在收到申请执行书或者移交执行书后十日内发出执行通知" —
from receipt, not from filing (up to 7 days later, 执行工作规定 Art 16). The node type's anchor becomes
``applied``; pending notice nodes of open cases are re-anchored on the application date and their due
date recomputed with the same pure rule the services use (suspensions and 审限规定 Art 9 periods
excluded, the loaded holiday years applied).
"""

from django.db import migrations

from zhixing.cases.rules import Pause, Unit, compute_deadline
from zhixing.core.workdays import WorkCalendar

BASIS = (
    "民诉法解释第480条（2022）：收到申请执行书或者移交执行书后10日内发出执行通知；"
    "财产调查规定第3条：报告财产令与执行通知同时发出"
)
OLD_BASIS = "民诉法解释第480条（2022）：10日内发出执行通知；财产调查规定第3条：报告财产令与执行通知同时发出"


def _calendar(apps) -> WorkCalendar:
    HolidayYear = apps.get_model("core", "HolidayYear")
    HolidayDay = apps.get_model("core", "HolidayDay")
    table = {y.year: {} for y in HolidayYear.objects.all()}
    for day in HolidayDay.objects.select_related("year"):
        table[day.year.year][day.date] = day.is_workday
    return WorkCalendar(table)


def _reanchor(apps, anchor: str, basis: str) -> None:
    NodeType = apps.get_model("cases", "NodeType")
    Node = apps.get_model("cases", "Node")
    Suspension = apps.get_model("cases", "Suspension")
    ExcludedPeriod = apps.get_model("cases", "ExcludedPeriod")
    nt = NodeType.objects.filter(code="notice").first()
    if nt is None:
        return
    nt.anchor = anchor
    nt.legal_basis = basis
    nt.save(update_fields=["anchor", "legal_basis"])
    cal = None
    for node in Node.objects.filter(node_type=nt, status="pending").select_related("case"):
        case = node.case
        start = case.applied_on if anchor == "applied" else case.filed_on
        if node.started_on == start:
            continue
        cal = cal or _calendar(apps)
        pauses = []
        if nt.pausable:
            pauses = [Pause(s.start, s.end) for s in Suspension.objects.filter(case=case)]
            pauses += [Pause(p.start, p.end) for p in ExcludedPeriod.objects.filter(case=case)]
        due = compute_deadline(
            start, nt.budget, Unit(nt.unit), cal, pauses=pauses, roll_to_workday=nt.roll_to_workday
        ).due
        Node.objects.filter(pk=node.pk).update(started_on=start, due_on=due, alerted=0)


def forward(apps, schema_editor):
    _reanchor(apps, "applied", BASIS)


def backward(apps, schema_editor):
    _reanchor(apps, "filed", OLD_BASIS)


class Migration(migrations.Migration):
    dependencies = [("cases", "0017_finder_search_indexes"), ("core", "0007_nav_notifications")]

    operations = [migrations.RunPython(forward, backward)]
