"""What waits in the cases domain for one person (the home page's worklist, `core.worklist`).

By role: the handling judge's (or director's) own nodes overdue or due within a week and own
warnings; the court's cases waiting for assignment (who assigns, and the clerk who filed them); the
notices the clerk prepares; extension requests for the president; court-wide overdue nodes and
warnings for supervisors. Each count is one query.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone

from zhixing.core.worklist import WorkItem, register
from zhixing.courts.queries import court_scope_q
from zhixing.courts.roles import Cap, Role

from . import queries_settlement
from .models import Alert, CaseStatus, EnforcementCase, Extension, Node

SOON_DAYS = 7
HANDLER_ROLES = (Role.JUDGE, Role.DIRECTOR)
# The clerk keeps the file: the notices and report-property orders (执行通知书、报告财产令) go out
# through them; the node that tracks it.
NOTICE_NODE = "notice"


def is_handler(user: Any) -> bool:
    """Roles that can handle cases (分案 assigns only judges and directors): the home shows "my" panels."""
    return getattr(user, "role", None) in HANDLER_ROLES


def is_clerk(user: Any) -> bool:
    return getattr(user, "role", None) in (Role.CLERK, Role.ASSISTANT)


def court_notice_nodes(user: Any, limit: int = 20) -> list[Node]:
    """Pending notice nodes of the user's own court, soonest deadline first (the clerk's table)."""
    if getattr(user, "court_id", None) is None:
        return []
    return list(
        Node.objects.filter(
            court_id=user.court_id,
            node_type__code=NOTICE_NODE,
            status=Node.Status.PENDING,
            due_on__isnull=False,
        )
        .select_related("case", "node_type", "handler")
        .order_by("due_on", "id")[:limit]
    )


def items(user: Any) -> list[WorkItem]:
    today = timezone.localdate()
    home = reverse("home")
    out: list[WorkItem] = []
    court_id = getattr(user, "court_id", None)
    if is_handler(user):
        mine = Node.objects.filter(handler=user, status=Node.Status.PENDING, due_on__isnull=False).aggregate(
            overdue=Count("id", filter=Q(due_on__lt=today)),
            soon=Count("id", filter=Q(due_on__gte=today, due_on__lte=today + timedelta(days=SOON_DAYS))),
        )
        out.append(WorkItem("cases", "my-overdue", "我的超期节点", mine["overdue"], home + "#my-nodes", True))
        out.append(
            WorkItem("cases", "my-soon", f"{SOON_DAYS}日内到期的节点", mine["soon"], home + "#my-nodes")
        )
    supervise = user.can(Cap.SUPERVISE)
    alerts = Alert.objects.filter(node__status=Node.Status.PENDING)
    if supervise:
        n = alerts.filter(court_scope_q(user)).count()
        out.append(WorkItem("cases", "alerts", "辖区节点预警", n, home + "#my-alerts", True))
    elif is_handler(user):
        n = alerts.filter(handler=user).count()
        out.append(WorkItem("cases", "alerts", "我的节点预警", n, home + "#my-alerts", True))
    if court_id is not None and (user.can(Cap.CASE_ASSIGN) or is_clerk(user)):
        n = EnforcementCase.objects.filter(court_id=court_id, status=CaseStatus.REGISTERED).count()
        out.append(
            WorkItem("cases", "to-assign", "已立案待分案", n, reverse("case_list") + "?status=registered")
        )
    if court_id is not None and is_clerk(user):
        n = Node.objects.filter(
            court_id=court_id, node_type__code=NOTICE_NODE, status=Node.Status.PENDING, due_on__isnull=False
        ).count()
        out.append(WorkItem("cases", "notices", "待发送执行通知书", n, home + "#court-notices"))
    if court_id is not None and user.can(Cap.EXTENSION_APPROVE):
        n = Extension.objects.filter(case__court_id=court_id, status=Extension.Status.REQUESTED).count()
        out.append(
            WorkItem("cases", "extensions", "待审批的延长执行期限", n, home + "#extension-queue", True)
        )
    if supervise and court_id is not None:  # the list is a court's (a court-less administrator has none)
        n = Node.objects.filter(court_scope_q(user), status=Node.Status.PENDING, due_on__lt=today).count()
        out.append(
            WorkItem(
                "cases", "court-overdue", "辖区超期节点", n, reverse("supervision_nodes") + "?tree=1", True
            )
        )
    if court_id is not None and user.can(Cap.CASE_SUSPEND):
        # The applicant's online requests to resume after a settlement was not performed (执行和解规定
        # Art 11); one query, the link opens the settlement page of one of them (the lowest case id).
        got = queries_settlement.pending_requests(user).aggregate(n=Count("id"), case=Min("case_id"))
        url = reverse("case_settlement", args=[got["case"]]) if got["n"] else ""
        out.append(
            WorkItem("cases", "settlement-resume", "待审查的恢复执行申请（执行和解）", got["n"], url, True)
        )
    return out


def install() -> None:
    register("cases", "案件与节点", items, order=10)
