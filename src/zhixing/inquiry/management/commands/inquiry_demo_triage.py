"""``manage.py inquiry_demo_triage``: demo cases in every triage (繁简分流) state, for `make run`.

`seed_demo` runs it after loading the demo courts and cases (cases may not import inquiry). For each
basic court it takes open cases with a handler and walks them through the real paths: a one-click
inquiry whose answers (the partners' answer format) are applied as the dispatcher applies them, which
fires the round event and the triage evaluation; then the notice, flags and decisions through the
services. States: waiting (one empty round), proposed simple / complex / no-property (two empty
rounds), accepted (moved to the fast team, term running), overridden with a reason, designated by the
intermediate court. Refused in production; running it again adds nothing to courts already done.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import override_settings

from zhixing.cases import services as case_services
from zhixing.cases.models import CaseStatus, EnforcementCase, Node
from zhixing.core.errors import ServiceError
from zhixing.courts.models import Court, CourtLevel, Staff
from zhixing.courts.roles import Role
from zhixing.inquiry import queries, services
from zhixing.inquiry.models import CaseTriage, InquiryRequest
from zhixing.inquiry.services import feedback, jobs

Answer = list[dict[str, Any]]


def _answer(case: EnforcementCase, assets: Callable[[int], Answer]) -> None:
    """Answer the case's open queries as partners would (assets for the first request of a category)."""
    rows = list(InquiryRequest.objects.filter(case=case, action="query", status="pending").order_by("id"))
    InquiryRequest.objects.filter(pk__in=[r.pk for r in rows]).update(status="sending")
    answers = [
        {"key": r.idempotency_key, "status": "done", "result": {"assets": assets(i)}}
        for i, r in enumerate(rows)
    ]
    feedback.apply_answers(jobs.load([r.pk for r in rows]), answers)


class Command(BaseCommand):
    help = "生成繁简分流演示数据：待满足条件、建议简案/繁案/终本、已采纳、已调整、上级指定（仅限演示环境）"

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境（ZHIXING_PRODUCTION=1）不能生成演示数据")
        made = 0
        # Answers are applied here, so nothing is sent to the (not yet running) sandbox.
        with override_settings(ZHIXING_INQUIRY={"kick_on_commit": False}):
            for court in Court.objects.filter(level=CourtLevel.BASIC).order_by("pk"):
                if CaseTriage.objects.filter(court=court).exists():
                    continue
                made += self._court(court)
                if opts.get("verbosity", 1):
                    self.stdout.write(f"{court.name}：繁简分流演示案件已生成")
        if opts.get("verbosity", 1):
            self.stdout.write(f"繁简分流演示案件共 {made} 件")

    def _court(self, court: Court) -> int:
        director = Staff.objects.filter(court=court, role=Role.DIRECTOR, is_active=True).first()
        higher = Staff.objects.filter(court=court.parent, role=Role.DIRECTOR, is_active=True).first()
        pool = iter(
            EnforcementCase.objects.filter(
                court=court, status=CaseStatus.IN_PROGRESS, obligation="money", handler__isnull=False
            )
            .select_related("court", "handler")
            .order_by("-filed_on", "-year", "-seq", "case_type_id")[:60]
        )
        plan = ["waiting", "simple", "complex", "dormant", "accepted", "overridden", "designated"]
        done = 0
        for state in plan:
            for case in pool:
                try:
                    self._make(case, state, director, higher)
                except ServiceError:
                    continue  # e.g. a debtor without a valid identity number: take the next case
                done += 1
                break
        return done

    def _make(self, case: EnforcementCase, state: str, director: Any, higher: Any) -> None:
        owed = queries.case_claim(case).outstanding
        money: Answer = [
            {
                "kind": "account",
                "ref": f"62220{case.pk:08d}",
                "value": str(owed * Decimal("1.2")),
                "description": "活期",
            }
        ]
        house: Answer = [
            {
                "kind": "house",
                "ref": f"粤(2024)不动产权第{case.pk:07d}号",
                "value": "2600000.00",
                "divisible": False,
            },
        ]
        first: Answer = {
            "waiting": [],
            "dormant": [],
            "complex": [{**money[0], "value": "1200.00"}],
        }.get(state, money)
        self._notice(case)
        services.start_inquiry(case.handler, case, ["deposit", "real_estate"])
        _answer(case, lambda i: first if i == 0 else (house if state == "complex" and i == 1 else []))
        if state == "dormant":  # "经再次查询财产无果": the second empty round
            services.start_inquiry(case.handler, case, ["deposit", "real_estate"])
            _answer(case, lambda i: [])
        if state == "accepted":
            services.decide(director, case, "simple")
        elif state == "overridden":
            services.decide(director, case, "complex", "申请人反映被执行人另有大额应收账款，需调查处置")
        elif state == "designated" and higher is not None:
            services.set_flag(
                higher, case, "designated", f"（{case.year}）{higher.court.code}执监{case.seq}号"
            )

    def _notice(self, case: EnforcementCase) -> None:
        node = case.nodes.filter(node_type__code="notice", status=Node.Status.PENDING).first()
        if node is not None:
            case_services.complete_node(case.handler, node, document_ref=f"{case.number}执行通知书")
