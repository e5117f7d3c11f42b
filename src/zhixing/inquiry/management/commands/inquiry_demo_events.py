"""``manage.py inquiry_demo_events``: demo inquiries whose events complete their flow nodes (issue 11).

`seed_demo` runs it after loading the demo cases. For a few open cases (the demo judge th_judge1's first)
whose "发起网络查控" node is still pending, the handler files a one-click inquiry through the service
(cases not yet assigned: the court's command center, as one centralised inquiry): the node completes
from that event with a link to the inquiry. Some of them also get an on-demand
"控制查明的财产" node, which the first confirmed freeze or seizure completes once the sandbox partners
have answered (`make run` dispatches the inquiries). Refused in production; running it again finds no
pending inquiry node on those cases and does nothing more.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Case, IntegerField, Value, When

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
        cases = (
            EnforcementCase.objects.filter(
                status__in=[CaseStatus.IN_PROGRESS, CaseStatus.REGISTERED], pk__in=pending.values("case_id")
            )
            .select_related("court", "handler")
            .annotate(
                mine=Case(
                    When(handler__username="th_judge1", then=Value(0)), default=1, output_field=IntegerField()
                )
            )
            .order_by("mine", "id")[: opts["cases"]]
        )
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
        if opts["verbosity"]:
            self.stdout.write(f"已为{filed}件案件发起网络查控")
