"""Following an analysis lead: a targeted inquiry request, or a field-verification node; its outcome.

`follow_lead` is the judge's click. The lead's kind names the partner category that can verify it
(`leadrules.ROUTES`); if an active partner of that category answers queries, inquiry's
`targeted_query` files one persisted, retryable request with the lead's identifier (e.g. the plate) and
the lead becomes REQUESTED; otherwise cases' `add_node` opens a 财产线索核查 node due in 7 days (3 if
urgent, 财产调查规定 Art 2) and the lead is in FIELD verification. `settle_requested` runs in the
transaction in which inquiry records the answer (its `queries_settled` signal) and moves the lead to
FOUND (with the register row) or NOT_FOUND; `record_field_result` closes a field verification and its
node. Every write appends its audit record in its transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases import queries as case_queries
from zhixing.cases import services as case_services
from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.courts.roles import Cap
from zhixing.inquiry import queries_targeted as inquiry_targeted
from zhixing.inquiry import services as inquiry_services

from .. import leadrules, queries
from ..models import PropertyLead

S = PropertyLead.State
FOLLOW_REFUSED = "只有本案所在法院的承办法官、法官助理或指挥中心可以处理财产线索；上级法院只能查看"
FIELD_REFUSED = "只有本案所在法院办理流程节点的工作人员可以登记实地核查结果"


def _snapshot(lead: PropertyLead) -> dict[str, Any]:
    return {
        "state": lead.state,
        "request": lead.request_id,
        "asset": lead.asset_id,
        "node": lead.node_id,
        "due_on": lead.due_on,
        "outcome": lead.outcome,
    }


def _refollowable(lead: PropertyLead) -> bool:
    """A new lead, or a requested one whose query failed for good (the judge may try again)."""
    if lead.state == S.NEW:
        return True
    return lead.state == S.REQUESTED and lead.request is not None and lead.request.status == "failed"


def follow_lead(user: Any, lead: PropertyLead, *, urgent: bool = False) -> PropertyLead:
    """The judge's click: the lead becomes a targeted query, or a field-verification node."""
    ref = queries.lead_ref(user, lead)
    if ref is None or not queries.allowed(user, ref, Cap.INQUIRY_REQUEST):
        raise NotPermitted(FOLLOW_REFUSED)
    with transaction.atomic():
        lead = PropertyLead.objects.select_for_update(of=("self",)).select_related("request").get(pk=lead.pk)
        if not _refollowable(lead):
            raise Conflict(f"线索“{lead.counterparty}”已{lead.get_state_display()}，不能重复处理")
        before = _snapshot(lead)
        category, reason = leadrules.route(lead.kind)
        partner = inquiry_targeted.query_partner(category) if category else None
        if category and partner is not None:
            req = inquiry_services.targeted_query(
                user,
                ref.case,
                ref.party,
                category,
                target_ref=lead.target,
                reason=f"{reason}（分析线索#{lead.pk}：{lead.counterparty}）",
            )
            lead.state, lead.request, lead.outcome = S.REQUESTED, req, f"已向{partner.name}定向查询"
            lead.node, lead.due_on = None, None
        else:
            code = leadrules.FIELD_NODE[urgent]
            node_type = case_queries.node_type_by_code(code)
            if node_type is None:
                raise ServiceError(f"流程节点类型“{code}”未启用，不能安排实地核查", field="urgent")
            node = case_services.add_node(
                user, ref.case, node_type, note=f"分析线索：{lead.counterparty} {lead.target}".strip()[:200]
            )
            lead.state, lead.node, lead.due_on = S.FIELD, node, node.due_on
            lead.outcome = f"无联动单位可查，转实地核查（{leadrules.FIELD_DAYS[urgent]}日内）"
        lead.followed_by, lead.followed_at = user, timezone.now()
        lead.save()
        audit.record(
            user,
            "analytics.lead.follow",
            object_type="PropertyLead",
            object_id=lead.pk,
            case_id=ref.case.pk,
            before=before,
            after={**_snapshot(lead), "urgent": urgent, "category": category if partner else None},
        )
    return lead


def settle_requested(request_ids: Iterable[int]) -> int:
    """Move the leads waiting on these targeted queries to found / not found (in the answer's transaction)."""
    ids = list(request_ids)
    if not ids:
        return 0
    leads = list(
        PropertyLead.objects.select_for_update(of=("self",))
        .select_related("party")
        .filter(request_id__in=ids, state=S.REQUESTED)
    )
    if not leads:
        return 0
    results = inquiry_targeted.outcomes([lead.request_id for lead in leads if lead.request_id])
    now = timezone.now()
    moved = 0
    for lead in leads:
        res = results.get(int(lead.request_id or 0))
        if res is None or res.status == "pending":
            continue
        before = _snapshot(lead)
        if res.status == "found":
            lead.state, lead.asset_id, lead.outcome = S.FOUND, res.asset_id, f"已查得：{res.label}"[:200]
        elif res.status == "not_found":
            lead.state, lead.outcome = S.NOT_FOUND, "联动单位反馈未查得"
        else:  # failed for good: stays requested, the judge may ask again
            lead.outcome = f"查询失败：{res.error}"[:200]
        lead.settled_at = now
        lead.save(update_fields=["state", "asset", "outcome", "settled_at"])
        audit.record(
            None,
            "analytics.lead.settle",
            object_type="PropertyLead",
            object_id=lead.pk,
            case_id=lead.party.case_id,
            before=before,
            after=_snapshot(lead),
        )
        moved += 1
    return moved


def on_queries_settled(sender: Any, request_ids: Iterable[int], **kwargs: Any) -> None:
    """Receiver of inquiry's `queries_settled` signal (connected in `AnalyticsConfig.ready`)."""
    settle_requested(request_ids)


def record_field_result(
    user: Any,
    lead: PropertyLead,
    *,
    found: bool,
    document_ref: str,
    note: str = "",
    completed_on: date | None = None,
) -> PropertyLead:
    """The field team's finding on a lead in field verification; completes its 财产线索核查 node."""
    ref = queries.lead_ref(user, lead)
    if ref is None or not queries.allowed(user, ref, Cap.NODE_COMPLETE):
        raise NotPermitted(FIELD_REFUSED)
    note = (note or "").strip()
    if not note:
        raise ServiceError("请填写核查情况", field="note")
    with transaction.atomic():
        lead = PropertyLead.objects.select_for_update(of=("self",)).select_related("node").get(pk=lead.pk)
        if lead.state != S.FIELD:
            raise Conflict(f"线索“{lead.counterparty}”不在实地核查中（{lead.get_state_display()}）")
        before = _snapshot(lead)
        if lead.node is not None and lead.node.status == "pending":
            case_services.complete_node(
                user, lead.node, document_ref=document_ref, completed_on=completed_on, note=note[:200]
            )
        elif not (document_ref or "").strip():
            raise ServiceError("请填写核查记录文号", field="document_ref")
        lead.state = S.VERIFIED if found else S.NOT_FOUND
        lead.outcome = f"实地核查{'属实' if found else '未发现财产'}：{note}"[:200]
        lead.settled_at = timezone.now()
        lead.save(update_fields=["state", "outcome", "settled_at"])
        audit.record(
            user,
            "analytics.lead.field_result",
            object_type="PropertyLead",
            object_id=lead.pk,
            case_id=ref.case.pk,
            before=before,
            after={**_snapshot(lead), "document": document_ref},
        )
    return lead
