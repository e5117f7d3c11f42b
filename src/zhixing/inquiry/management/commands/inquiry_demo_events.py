"""``manage.py inquiry_demo_events``: demo inquiries whose events complete their flow nodes (issue 11).

`seed_demo` runs it after loading the demo cases. For a few open cases (the demo judge th_judge1's first)
whose "发起网络查控" node is still pending, the handler files a one-click inquiry through the service
(cases not yet assigned: the court's command center, as one centralised inquiry): the node completes
from that event with a link to the inquiry. Some of them, and three of th_judge1's open cases, get an
on-demand "控制查明的财产" node, which the first confirmed freeze or seizure completes once the sandbox
partners have answered (`make run` dispatches the inquiries). Refused in production; running it
again finds no pending inquiry node and adds no second control node.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet

from zhixing.cases import services as case_services
from zhixing.cases.models import CaseStatus, EnforcementCase, Node, NodeType
from zhixing.core.errors import ServiceError
from zhixing.courts.models import Staff
from zhixing.courts.roles import Role
from zhixing.inquiry import queries, services


class Command(BaseCommand):
    help = "演示：为部分在办案件发起网络查控（流程节点随查控自动完成并链接到查控记录）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=12, help="发起查控的案件数（默认12）")

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境（ZHIXING_PRODUCTION=1）不能生成演示数据")
        control_type = NodeType.objects.filter(code="control").first()
        categories = [c.code for c in queries.categories() if c.default_selected]
        pending = Node.objects.filter(node_type__code="network_inquiry", status=Node.Status.PENDING)
        candidates = EnforcementCase.objects.filter(
            status__in=[CaseStatus.IN_PROGRESS, CaseStatus.REGISTERED], pk__in=pending.values("case_id")
        ).select_related("court", "handler")
        cases = _mine_first(candidates, opts["cases"], "id")
        filed = 0
        registered: dict[int, list[EnforcementCase]] = {}
        for i, case in enumerate(cases):
            if case.status == CaseStatus.REGISTERED or case.handler is None:
                registered.setdefault(case.court_id, []).append(case)
                continue
            try:  # 一键查控 by the handling judge
                services.start_inquiry(case.handler, case, categories)
            except ServiceError as exc:  # a debtor without a valid identity number: skip the case
                self.stderr.write(f"{case.number}: {exc.message}")
                continue
            filed += 1
            if control_type is not None and i % 2 == 0:
                case_services.add_node(case.handler, case, control_type, note="演示：查控反馈后冻结或查封")
        for court_id, todo in registered.items():  # 集中查控 by the command center of the court
            operator = Staff.objects.filter(court_id=court_id, role=Role.OPERATOR, is_active=True).first()
            if operator is not None:
                result = services.centralised_inquiry(operator, todo, categories)
                filed += len(todo) - len(result.refused)
        if control_type is not None:  # the demo judge's open cases: inquire, freeze, and watch it close
            waiting = EnforcementCase.objects.filter(
                status=CaseStatus.IN_PROGRESS, handler__username="th_judge1"
            ).exclude(nodes__node_type=control_type)
            for case in waiting.select_related("handler").order_by("-id")[:3]:
                assert case.handler is not None
                case_services.add_node(case.handler, case, control_type, note="演示：查控反馈后冻结或查封")
        if opts["verbosity"]:
            self.stdout.write(f"已为{filed}件案件发起网络查控")


def _mine_first(qs: QuerySet[EnforcementCase], n: int, order: str) -> list[EnforcementCase]:
    """The demo judge th_judge1's cases first (the login the README suggests), then the others."""
    mine = list(qs.filter(handler__username="th_judge1").order_by(order)[:n])
    return mine + list(qs.exclude(pk__in=[c.pk for c in mine]).order_by(order)[: n - len(mine)])
