"""The enforcement notice (执行通知书): issuing it, recording its service, and 执行程序解释 Art 22.

* `issue_notice` makes the case's notice (one per case): the period it fixes for performance is read from
  the configuration now (``ZHIXING_CASES["notice_performance_days"]``) and kept on the notice; a money case
  gets the order to report assets with it (财产调查规定 Art 3).
* `record_notice_service` records how and when it was served: the deemed day of service
  (`core.service_of_documents.deemed_served_on`, shared with credit's decisions), the last day of the
  period it fixes (`rules.notice_period_ends_on`), and completes the case's `notice` node on the day of the
  service act, with a link to the notice (no longer by hand only).
* `measure_before_notice` — called by the domain that takes an immediate control measure (inquiry: a
  freeze or seizure confirmed) — brings the pending `notice` node's deadline forward to 3 days after the
  measure when the notice was not served yet (执行程序解释 Art 22); the cap survives every recompute.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.core.service_of_documents import SERVICE_METHODS, deemed_served_on
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Cap

from .. import conf
from ..choices import Obligation
from ..models import EnforcementCase, EnforcementNotice, Node
from ..rules import notice_due_after_assignment, notice_due_after_measure, notice_period_ends_on
from .asset_reports import open_report_period
from .node_events import NOTICE, complete_node_from_event

__all__ = ["issue_and_serve_notice", "issue_notice", "measure_before_notice", "record_notice_service"]


def _may_write(actor: Any, case: EnforcementCase) -> None:
    if not can_write_court(actor, case.court):
        raise NotPermitted("只能办理本院案件；上级法院只能查看")
    if not actor.can(Cap.NODE_COMPLETE):
        raise NotPermitted("您的岗位无权制作或送达执行通知书")


def issue_notice(actor: Any, case: EnforcementCase, *, on: date | None = None) -> EnforcementNotice:
    """Make the case's enforcement notice (with the asset report order in a money case), dated `on` (today
    by default; an earlier day from the filing on records a notice made before it was entered)."""
    _may_write(actor, case)
    if not case.is_open:
        raise Conflict("案件已结案，不能制作执行通知书", field="case")
    days = conf.notice_performance_days()
    today = on or timezone.localdate()
    if today > timezone.localdate():
        raise ServiceError("制作日期不能晚于今天", field="issued_on")
    if today < case.filed_on:
        raise ServiceError("制作日期不能早于立案日期", field="issued_on")
    with transaction.atomic():
        case = (
            EnforcementCase.objects.select_for_update(of=("self",), no_key=True)
            .select_related("court")
            .get(pk=case.pk)
        )
        if EnforcementNotice.objects.filter(case=case).exists():
            raise Conflict("本案已制作执行通知书", field="case")
        notice = EnforcementNotice.objects.create(
            case=case,
            court=case.court,
            document_number=f"{case.number}之通知",
            issued_on=today,
            performance_days=days,
            listing_warning=True,
            asset_report_order=case.obligation == Obligation.MONEY,
            created_by=actor,
        )
        audit.record(
            actor,
            "case.notice_issue",
            object_type="EnforcementNotice",
            object_id=notice.pk,
            case_id=case.pk,
            after={
                "document": notice.document_number,
                "days": days,
                "asset_report": notice.asset_report_order,
            },
        )
    return notice


def record_notice_service(
    actor: Any, case: EnforcementCase, *, method: str, act_on: date
) -> EnforcementNotice:
    """Record the service of the case's notice: method and day of the act; the deemed day, the end of the
    period it fixes, and the `notice` node completed on the act's day."""
    _may_write(actor, case)
    if method not in SERVICE_METHODS:
        raise ServiceError("请选择送达方式", field="method")
    today = timezone.localdate()
    if act_on > today:
        raise ServiceError("送达日期不能晚于今天", field="act_on")
    with transaction.atomic():
        notice = (
            EnforcementNotice.objects.select_for_update(of=("self",))
            .select_related("case")
            .filter(case_id=case.pk)
            .first()
        )
        if notice is None:
            raise Conflict("本案尚未制作执行通知书", field="case")
        if notice.served_on is not None:
            raise Conflict("执行通知书已登记送达", field="method")
        if act_on < notice.issued_on:
            raise ServiceError("送达日期不能早于执行通知书的制作日期", field="act_on")
        served = deemed_served_on(method, act_on)
        ends = notice_period_ends_on(served, notice.performance_days, current_calendar())
        notice.service_method, notice.service_act_on = method, act_on
        notice.served_on, notice.period_ends_on, notice.served_by = served, ends, actor
        notice.save(
            update_fields=["service_method", "service_act_on", "served_on", "period_ends_on", "served_by"]
        )
        report_due = open_report_period(notice, notice.case)  # the 报告财产令's period and node (R-0.8)
        after: dict[str, Any] = {"method": method, "on": act_on, "served_on": served, "period_ends_on": ends}
        if report_due is not None:
            after["report_due_on"] = report_due
        audit.record(
            actor,
            "case.notice_serve",
            object_type="EnforcementNotice",
            object_id=notice.pk,
            case_id=case.pk,
            after=after,
        )
        # The flow node "发出执行通知书" closes itself on the day the notice was served (sent), with a link.
        complete_node_from_event(
            case.pk,
            NOTICE,
            event="case.notice_serve",
            link_url=reverse("case_notice", args=[case.pk]),
            link_label="执行通知书",
            document_ref=notice.document_number,
            on=act_on,
            actor=actor,
        )
    return notice


# rule
def measure_before_notice(case_id: int, measure_on: date, *, event: str, actor: Any = None) -> Node | None:
    """An immediate control measure taken on `measure_on` before the notice was served: the pending `notice`
    node is due at the latest 3 days after it (执行程序解释 Art 22). The cap is kept on the node, so every
    recompute honours it. None when nothing moves (notice served, no pending node, a stopped clock, or the
    node already due by then)."""
    cap = notice_due_after_measure(measure_on, current_calendar())
    return _cap_notice(
        case_id, cap, "node.notice_due_by_measure", {"measure_on": measure_on, "event": event}, actor
    )


# rule
def notice_after_assignment(case_id: int, assigned_on: date, *, actor: Any = None) -> Node | None:
    """The handling officer received the materials on `assigned_on` (the first assignment): the pending
    `notice` node is due at the latest 3 days later (2006 期限规定 Art 4), or on its statutory day (10 days
    from receipt, 民诉解释 Art 480) if earlier. Kept on the node as its cap, like Art 22's."""
    cap = notice_due_after_assignment(assigned_on, current_calendar())
    return _cap_notice(case_id, cap, "node.notice_due_by_assignment", {"assigned_on": assigned_on}, actor)


def _cap_notice(case_id: int, cap: date, action: str, why: dict[str, Any], actor: Any) -> Node | None:
    """Bring the pending `notice` node's deadline forward to `cap` (kept as `Node.due_cap`), audited as
    `action`; None when nothing moves (notice served, no pending node, a stopped clock, already due)."""
    served = EnforcementNotice.objects.filter(case_id=case_id, served_on__isnull=False).exists()
    if served:
        return None
    with transaction.atomic():
        # Only the node's row, and no key lock: a bare FOR UPDATE of this join also locked the shared
        # `notice` node type, which every filing's node insert checks at COMMIT (a deadlock with the audit
        # chain head under load — the cluster soak, issue 22).
        node = (
            Node.objects.select_for_update(of=("self",), no_key=True)
            .filter(case_id=case_id, node_type__code=NOTICE, status=Node.Status.PENDING)
            .order_by("started_on", "id")
            .first()
        )
        if node is None or node.due_on is None or node.due_on <= cap:
            return None  # no pending node, its clock stopped (suspension), or already due by then
        before = node.due_on
        node.due_cap = cap if node.due_cap is None else min(node.due_cap, cap)
        node.due_on, node.alerted = cap, Node.Alerted.NONE
        node.save(update_fields=["due_cap", "due_on", "alerted"])
        nxt = Node.objects.filter(case_id=case_id, status=Node.Status.PENDING).aggregate(m=Min("due_on"))["m"]
        EnforcementCase.objects.filter(pk=case_id).update(next_due_on=nxt)
        audit.record(
            actor if getattr(actor, "pk", None) else None,
            action,
            object_type="Node",
            object_id=node.pk,
            case_id=case_id,
            before={"deadline": before},
            after={"deadline": node.due_on, **why},
        )
    return node


def issue_and_serve_notice(
    actor: Any, case: EnforcementCase, *, on: date, method: str = "personal"
) -> EnforcementNotice:
    """The notice issued (if not yet) and served on `on` — for the demo seeds and test worlds that list or
    restrict a debtor, which needs it first. A notice already served is returned as it is."""
    notice = EnforcementNotice.objects.filter(case_id=case.pk).first()
    if notice is not None and notice.served_on is not None:
        return notice
    if notice is None:
        issue_notice(actor, case, on=on)
    return record_notice_service(actor, case, method=method, act_on=on)
