"""Running a case: assignment, node completion, suspension, extension, closing, identity look-ups.

Suspension lives in `suspensions`, the term extension in `extensions`, the shared checks in `case_guards`;
they are re-exported here under their old names.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.money import parse_amount
from zhixing.core.notify import notify
from zhixing.courts.models import Staff, Team
from zhixing.courts.queries import can_read_court
from zhixing.courts.roles import Cap, Role

from .. import conf
from ..closing import CLOSING_FIELDS, check_closing
from ..events import case_closed, closing_vetoes, nodes_completed
from ..models import (
    CaseStatus,
    ClosingMode,
    EnforcementCase,
    ExcludedPeriod,
    Node,
    NodeType,
    Obligation,
    Party,
)
from . import dormant
from .case_guards import _lock, _require, _require_open
from .deadlines import recompute_case_deadlines
from .extensions import EXTENSION_NOTICE_DAYS as EXTENSION_NOTICE_DAYS
from .extensions import approve_extension as approve_extension
from .extensions import reject_extension as reject_extension
from .extensions import request_extension as request_extension
from .notice import notice_after_assignment
from .suspensions import resume_execution as resume_execution
from .suspensions import suspend_case as suspend_case

# The case's signals live in `cases.events`; re-exported here for the domains that connected to them.
__all__ = ["case_closed", "closing_vetoes"]


def assign_case(
    actor: Any, case: EnforcementCase, handler: Staff, team: Team | None = None, on: date | None = None
) -> EnforcementCase:
    """Assign the handling judge (分案); completes the 'handler assigned' node."""
    on = on or timezone.localdate()
    with transaction.atomic():
        case = _lock(case)
        _require(actor, case, Cap.CASE_ASSIGN)
        _require_open(case, "分案")
        if (
            handler.court_id != case.court_id
            or handler.role not in (Role.JUDGE, Role.DIRECTOR)
            or not handler.is_active
        ):
            raise ServiceError("承办人须为本院在职的执行法官", field="handler")
        if team is not None and team.court_id != case.court_id:
            raise ServiceError("执行团队须为本院团队", field="team")
        if on < case.filed_on or on > timezone.localdate():
            raise ServiceError("分案日期须在立案日期与今天之间", field="assigned_on")
        before = {"handler": case.handler_id, "team": case.team_id}
        case.handler, case.team = handler, team or handler.team
        first = case.assigned_on is None
        if first:
            case.assigned_on = on
        if case.status == CaseStatus.REGISTERED:
            case.status = CaseStatus.IN_PROGRESS
        case.save(update_fields=["handler", "team", "assigned_on", "status"])
        if first:
            _create_assignment_nodes(case)
        Node.objects.filter(case=case).update(handler=handler)
        # node_type__in a subquery, not node_type__completion: a join makes Django wrap the UPDATE in
        # `id IN (SELECT ...)`, which PostgreSQL without fresh statistics (a long demo load in one
        # transaction) answers with a scan of every node version (~1 s per call at 400 cases).
        Node.objects.filter(
            case=case,
            status=Node.Status.PENDING,
            node_type__in=NodeType.objects.filter(completion=NodeType.Completion.ON_ASSIGNMENT),
        ).update(status=Node.Status.DONE, completed_on=on, completed_by=actor, document_ref="分案")
        recompute_case_deadlines(case)
        audit.record(
            actor,
            "case.assign",
            object_type="EnforcementCase",
            object_id=case.pk,
            case_id=case.pk,
            before=before,
            after={"handler": handler.pk, "team": case.team_id, "on": on},
        )
        if first and conf.notice_within_3_days_of_assignment():
            # rule: — when configured, the notice within 3 days of the officer receiving the case
            notice_after_assignment(case.pk, on, actor=actor)
        if before["handler"] != handler.pk and handler.pk != getattr(actor, "pk", None):
            notify(
                handler,
                "case.assigned",
                f"案件{case.number}已分配给您承办",
                reverse("case_detail", args=[case.pk]),
                source=f"cases.EnforcementCase:{case.pk}",
            )
    return case


# rule
def _create_assignment_nodes(case: EnforcementCase) -> None:
    """The nodes whose period runs from the handling officer's receipt of the materials (the first
    assignment), e.g. asking the applicant for asset leads within 3 days (2006 期限规定 Art 5)."""
    assert case.assigned_on is not None
    have = set(case.nodes.values_list("node_type_id", flat=True))
    Node.objects.bulk_create(
        Node(
            case=case,
            node_type=nt,
            court_id=case.court_id,
            handler=case.handler,
            started_on=case.assigned_on,
        )
        for nt in NodeType.objects.filter(active=True, auto_create=True, anchor=NodeType.Anchor.ASSIGNED)
        if nt.pk not in have
    )


def complete_node(
    actor: Any, node: Node, *, document_ref: str, completed_on: date | None = None, note: str = ""
) -> Node:
    """Record a node as done: who, when, with what document."""
    completed_on = completed_on or timezone.localdate()
    with transaction.atomic():
        case = _lock(node.case)
        node = Node.objects.select_for_update(of=("self",)).select_related("node_type").get(pk=node.pk)
        _require(actor, case, Cap.NODE_COMPLETE)
        _require_open(case, "办理节点")
        if case.status == CaseStatus.SUSPENDED:
            raise Conflict("案件中止执行期间不能办理节点，请先恢复执行")
        if node.status != Node.Status.PENDING:
            raise Conflict(f"节点“{node.node_type.name}”已{node.get_status_display()}")
        if node.node_type.completion != NodeType.Completion.MANUAL:
            raise Conflict(
                f"节点“{node.node_type.name}”由系统在{node.node_type.get_completion_display()}自动完成"
            )
        if not (document_ref or "").strip():
            raise ServiceError("请填写完成节点所依据的文书编号", field="document_ref")
        if completed_on > timezone.localdate() or completed_on < node.started_on:
            raise ServiceError("完成日期须在节点起算日与今天之间", field="completed_on")
        node.status, node.completed_on, node.completed_by = Node.Status.DONE, completed_on, actor
        node.document_ref, node.note = document_ref.strip()[:128], note.strip()[:200]
        node.save()
        recompute_case_deadlines(case)
        audit.record(
            actor,
            "node.complete",
            object_type="Node",
            object_id=node.pk,
            case_id=case.pk,
            after={
                "node": node.node_type.code,
                "on": completed_on,
                "document": node.document_ref,
                "late": bool(node.due_on and completed_on > node.due_on),
            },
        )
        nodes_completed.send(Node, nodes=[node], actor=actor)
    return node


def add_node(
    actor: Any, case: EnforcementCase, node_type: NodeType, *, started_on: date | None = None, note: str = ""
) -> Node:
    """Add an on-demand node, e.g. verifying a property lead the applicant supplied (7 days)."""
    started_on = started_on or timezone.localdate()
    with transaction.atomic():
        case = _lock(case)
        _require(actor, case, Cap.NODE_COMPLETE)
        _require_open(case, "添加节点")
        if not node_type.active or node_type.completion != NodeType.Completion.MANUAL:
            raise ServiceError("该节点类型不能手动添加", field="node_type")
        if started_on > timezone.localdate() or started_on < case.filed_on:
            raise ServiceError("起算日须在立案日期与今天之间", field="started_on")
        node = Node.objects.create(
            case=case,
            node_type=node_type,
            court_id=case.court_id,
            handler=case.handler,
            started_on=started_on,
            note=note.strip()[:200],
        )
        recompute_case_deadlines(case)
        node.refresh_from_db()
        audit.record(
            actor,
            "node.add",
            object_type="Node",
            object_id=node.pk,
            case_id=case.pk,
            after={"node": node_type.code, "started_on": started_on, "note": node.note},
        )
    return node


def close_case(
    actor: Any, case: EnforcementCase, *, mode: str, closed_on: date, details: dict[str, str]
) -> EnforcementCase:
    """Close a case in one of the six modes with that mode's required fields."""
    with transaction.atomic():
        case = _lock(case)
        _require(actor, case, Cap.CASE_CLOSE)
        _require_open(case, "再次结案")
        if case.status == CaseStatus.SUSPENDED and mode == ClosingMode.PERFORMED:
            raise Conflict("中止执行期间不能以执行完毕结案，请先恢复执行")
        if closed_on > timezone.localdate():
            raise ServiceError("结案日期不能晚于今天", field="closed_on")
        notice_done = case.nodes.filter(node_type__code="notice", status=Node.Status.DONE).exists()
        money = case.obligation == Obligation.MONEY or case.principal > 0
        problems = check_closing(
            mode,
            details,
            filed_on=case.filed_on,
            closed_on=closed_on,
            notice_done=notice_done,
            money=money,
            optional=conf.optional_closing_fields(),
        )
        if problems:
            field, message = problems[0]
            raise ServiceError(message, field=field)
        # rule: — every 终本 precondition, named when missing (终本规定 Arts 1–3).
        checks = dormant.require_preconditions(case, closed_on) if mode == ClosingMode.DORMANT else []
        for _receiver, reason in closing_vetoes.send(sender=EnforcementCase, case=case, mode=mode):
            if reason:
                raise Conflict(str(reason), field="closing_mode")
        clean = {
            spec.name: str(parse_amount(details[spec.name]))
            if spec.kind == "amount"
            else details[spec.name].strip()
            for spec in CLOSING_FIELDS[mode]
            if (details.get(spec.name) or "").strip()
        }
        if len(clean.get("document_ref", "")) > 128:  # it is copied into Node.document_ref (128 characters)
            raise ServiceError("结案文书文号不能超过128个字符", field="document_ref")
        before = case.status
        case.closing_mode, case.closed_on, case.closing_details = mode, closed_on, clean
        case.status = CaseStatus.DORMANT if mode == ClosingMode.DORMANT else CaseStatus.CLOSED
        open_susp = case.suspensions.filter(end__isnull=True).first()
        if open_susp:
            open_susp.end = closed_on
            open_susp.save(update_fields=["end"])
        # Periods not counted in the term end with the case (the term ends with it too).
        ExcludedPeriod.objects.filter(case=case, end__isnull=True).update(end=closed_on)
        case.save(update_fields=["closing_mode", "closed_on", "closing_details", "status"])
        case_closed.send(sender=EnforcementCase, case=case, actor=actor)
        Node.objects.filter(
            case=case,
            status=Node.Status.PENDING,
            # a subquery on the node types, not a join (see `assign_case`)
            node_type__in=NodeType.objects.filter(
                completion__in=(NodeType.Completion.ON_CLOSING, NodeType.Completion.TRACK_TERM)
            ),
        ).update(
            status=Node.Status.DONE,
            completed_on=closed_on,
            completed_by=actor,
            document_ref=clean.get("document_ref", ""),
        )
        Node.objects.filter(case=case, status=Node.Status.PENDING).update(status=Node.Status.CANCELLED)
        case.next_due_on = None
        EnforcementCase.objects.filter(pk=case.pk).update(next_due_on=None)
        if mode == ClosingMode.DORMANT:
            dormant.record_review(actor, case, checks)
        audit.record(
            actor,
            "case.close",
            object_type="EnforcementCase",
            object_id=case.pk,
            case_id=case.pk,
            before={"status": before},
            after={"status": case.status, "mode": mode, "closed_on": closed_on, "details": clean},
        )
    return case


def view_party_identity(actor: Any, party: Party) -> Party:
    """Reveal a party's full identity data; every look-up is audited ("data iron cage")."""
    if not can_read_court(actor, party.case.court) or not actor.can(Cap.IDENTITY_VIEW):
        raise NotPermitted("无权查看当事人完整身份信息")
    with transaction.atomic():
        audit.record(
            actor,
            "party.view_identity",
            object_type="Party",
            object_id=party.pk,
            case_id=party.case_id,
            after={"name": party.name},
        )
    return party
