"""Seeding path 1: play a plan through the real services, each step on its own business day."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any
from unittest import mock

from django.utils import timezone

from zhixing.cases.models import ClosingMode, EnforcementCase, Extension, NodeType
from zhixing.cases.rules_dormant import CONFIRMABLE
from zhixing.cases.services import (
    FilingData,
    PartyData,
    add_node,
    approve_extension,
    assign_case,
    close_case,
    complete_node,
    confirm_precondition,
    file_case,
    reject_extension,
    request_extension,
    resume_case,
    resume_execution,
    suspend_case,
)

from .plan import LEAD_NOTE, NODE_DOCUMENTS, CasePlan


@contextmanager
def business_day(day: date) -> Iterator[None]:
    """Make `timezone.localdate()` answer `day` (the services check dates against it); now() stays real."""
    real = timezone.localdate

    def localdate(value: Any = None, timezone: Any = None) -> date:
        return day if value is None else real(value, timezone)

    with mock.patch.object(timezone, "localdate", localdate):
        yield


def run_with_services(plan: CasePlan) -> EnforcementCase:
    """Play a plan through the real services, each step on its own business day."""
    cast = plan.cast
    with business_day(plan.filed_on):
        if plan.origin is not None:
            assert plan.origin.pk is not None  # origins are written before the cases resuming them
            origin = EnforcementCase.objects.get(pk=plan.origin.pk)
            case = resume_case(
                plan.handler, origin, applied_on=plan.applied_on, reason="申请执行人提供了新的财产线索"
            )
        else:
            case = file_case(
                plan.filer,
                cast.court,
                FilingData(
                    case_type="执",
                    applied_on=plan.applied_on,
                    filed_on=plan.filed_on,
                    instrument_type=plan.instrument,
                    issuing_body=plan.issuing_body,
                    basis_number=plan.basis_number,
                    effective_on=plan.effective_on,
                    performance_deadline=plan.performance_deadline,
                    principal=str(plan.principal),
                    adjudged_interest=str(plan.interest),
                    litigation_costs=str(plan.costs),
                    parties=[
                        PartyData(
                            role=role,
                            kind=s.kind,
                            name=s.name,
                            id_number=s.id_number,
                            credit_code=s.credit_code,
                            address=s.address,
                            phone=s.phone,
                            legal_representative=s.legal_representative,
                            former_names=list(s.former_names),
                        )
                        for role, s in plan.parties
                    ],
                ),
            )
    plan.pk, plan.number = case.pk, case.number
    handler, director, president = plan.handler, cast.director, cast.president
    nodes = {n.node_type.code: n for n in case.nodes.select_related("node_type")}
    events: list[tuple[date, int, Callable[[], object]]] = []
    if plan.assigned_on is not None:
        a, judge = plan.assigned_on, handler
        assert judge is not None  # the planner picks a handler whenever it assigns the case
        events.append((a, 0, lambda: assign_case(director, case, judge, on=a)))

    def complete(code: str, day: date) -> Callable[[], object]:
        document = f"{plan.number}{NODE_DOCUMENTS.get(code, '')}"
        # Nodes anchored on the assignment exist only once it ran.
        return lambda: complete_node(
            handler,
            nodes[code] if code in nodes else case.nodes.get(node_type__code=code),
            document_ref=document,
            completed_on=day,
        )

    for code, day in plan.completions.items():
        events.append((day, 3, complete(code, day)))
    if plan.lead is not None:
        started, done = plan.lead
        lead_type = NodeType.objects.get(code="verify_lead")

        def add_lead() -> None:
            nodes["verify_lead"] = add_node(handler, case, lead_type, started_on=started, note=LEAD_NOTE)

        events.append((started, 2, add_lead))
        if done is not None:
            events.append(
                (
                    done,
                    3,
                    lambda: complete_node(
                        handler,
                        nodes["verify_lead"],
                        completed_on=done,
                        document_ref=f"{plan.number}{NODE_DOCUMENTS['verify_lead']}",
                    ),
                )
            )
    susp = plan.suspension
    if susp is not None:
        events.append(
            (
                susp.start,
                4,
                lambda: suspend_case(
                    handler, case, ground=susp.ground, start=susp.start, document_ref=f"{plan.number}之一"
                ),
            )
        )
        if susp.end is not None and susp.resumed:
            end = susp.end
            events.append(
                (
                    end,
                    1,
                    lambda: resume_execution(
                        handler, case, on=end, document_ref=f"{plan.number}恢复执行通知书"
                    ),
                )
            )
    if plan.extension is not None:
        asked, status, decided = plan.extension
        holder: list[Extension] = []
        events.append(
            (
                asked,
                5,
                lambda: holder.append(
                    request_extension(handler, case, reason="案件涉及财产处置，需延长执行期限")
                ),
            )
        )
        if decided is not None:
            decide = approve_extension if status == Extension.Status.APPROVED else reject_extension
            events.append((decided, 6, lambda: decide(president, holder[0])))
    if plan.closing is not None:
        mode, closed_on = plan.closing
        closer = handler or director
        if mode == ClosingMode.DORMANT:  # 终本: the judge's work recorded first (终本规定 Arts 1-3)
            events.append((closed_on, 8, lambda: _confirm_dormant(closer, case, closed_on)))
        events.append(
            (
                closed_on,
                9,
                lambda: close_case(
                    closer, case, mode=mode, closed_on=closed_on, details=plan.closing_details()
                ),
            )
        )
    for day, _, action in sorted(events, key=lambda e: (e[0], e[1])):
        with business_day(day):
            action()
    return case


def _confirm_dormant(judge: Any, case: EnforcementCase, on: date) -> None:
    for p in CONFIRMABLE:
        confirm_precondition(judge, case, key=p.key, done_on=on, note=f"{p.label}（演示）")


# -- path 2: bulk rows ------------------------------------------------------------------------------
