"""``manage.py credit_demo_restrictions``: demo 限制消费令 whose issue completes the flow node (issue 11).

`seed_demo` runs it after loading the demo cases. For a few open cases (the demo judge th_judge1's first)
with no restriction yet, the handler adds the on-demand "发出限制消费令" node and issues the order through
the service: the node completes from that event with a link to the order. Two more cases get the node
still pending, to issue by hand. Refused in production; running it again skips restricted cases.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from zhixing.cases import services as case_services
from zhixing.cases.models import CaseStatus, EnforcementCase, NodeType, Party
from zhixing.core.errors import ServiceError
from zhixing.credit import services
from zhixing.credit.models import Restriction


class Command(BaseCommand):
    help = "演示：为部分在办案件发出限制消费令（流程节点随之自动完成并链接到限制消费令）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=6, help="发出限制消费令的案件数（默认6）")

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境（ZHIXING_PRODUCTION=1）不能生成演示数据")
        node_type = NodeType.objects.filter(code="restrict").first()
        if node_type is None:
            return
        candidates = (
            # 限消规定 Art 1(1): the notice's period must have run out — cases filed at least two weeks ago
            # (the notice served on the filing day).
            EnforcementCase.objects.filter(
                status=CaseStatus.IN_PROGRESS,
                handler__isnull=False,
                filed_on__lte=timezone.localdate() - timedelta(days=14),
            )
            .exclude(pk__in=Restriction.objects.values("case_id"))
            # a notice issued lately and not yet served stays so (the notice demo shows it waiting)
            .exclude(enforcement_notice__isnull=False, enforcement_notice__served_on__isnull=True)
            .exclude(nodes__node_type=node_type)
            .select_related("court", "handler")
        )
        cases = _mine_first(candidates, opts["cases"] + 2, "-id")
        issued = 0
        for i, case in enumerate(cases):
            case_services.add_node(case.handler, case, node_type, note="演示：依申请发出限制消费令")
            if i >= opts["cases"]:
                continue  # left pending: issue it on the credit page
            debtor = Party.objects.filter(case=case, role=Party.Role.DEBTOR, kind=Party.Kind.PERSON).first()
            if debtor is None:
                continue
            try:
                with transaction.atomic():  # 限消规定 Art 1(1): the notice served, its period run out
                    case_services.issue_and_serve_notice(case.handler, case, on=case.filed_on)
                    services.restrict_consumption(case.handler, case, debtor, items=[1, 9], bound_persons=[])
            except ServiceError as exc:
                self.stderr.write(f"{case.number}: {exc.message}")
                continue
            issued += 1
        if opts["verbosity"]:
            self.stdout.write(f"已为{issued}件案件发出限制消费令")


def _mine_first(qs: QuerySet[EnforcementCase], n: int, order: str) -> list[EnforcementCase]:
    """The demo judge th_judge1's cases first (the login the README suggests), then the others."""
    mine = list(qs.filter(handler__username="th_judge1").order_by(order)[:n])
    return mine + list(qs.exclude(pk__in=[c.pk for c in mine]).order_by(order)[: n - len(mine)])
