"""Flow nodes that close themselves: a platform event completes the node of its act, with a link to it.

A node whose act happens in the platform — the network inquiry filed (网络查控), a 限制消费令 issued, a
freeze or seizure confirmed by the partner — is completed by the domain that records the act, inside
that act's transaction: `complete_node_from_event` completes the case's earliest pending node of the
code, stores the event and a link to its record on the node, appends the audit record and moves the
case's next due date. It is idempotent: no pending node of the code, a closed case (its nodes are
cancelled) or an event record that already completed a node of the code changes nothing. The upper
domains call it directly (they may import cases services); cases never imports them.

Manual completion (`lifecycle.complete_node`) still works for acts done outside the platform.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from zhixing.core import audit

from ..events import nodes_completed
from ..models import EnforcementCase, Node

# The nodes the platform completes, the event that does it (shown on the flow page while pending).
NETWORK_INQUIRY = "network_inquiry"
NOTICE = "notice"  # completed when the platform's 执行通知书 is served (services.notice); by hand still works
RESTRICT = "restrict"
CONTROL = "control"
ASSET_REPORT = (
    "asset_report"  # created when the notice with the 报告财产令 is served (services.asset_reports)
)
EVENT_NODES: dict[str, str] = {
    NETWORK_INQUIRY: "发起网络查控后自动完成",
    NOTICE: "登记执行通知书送达后自动完成",
    RESTRICT: "在平台发出限制消费令后自动完成",
    CONTROL: "冻结、查封、扣押经联动单位反馈成功后自动完成",
    ASSET_REPORT: "登记全部被执行人的财产报告后自动完成",
}


@dataclass(frozen=True)
class NodeEvent:
    """One case's event: the record it produced and where to see it."""

    case_id: int
    link_url: str
    link_label: str
    document_ref: str = ""


def complete_node_from_event(
    case_id: int,
    node_code: str,
    *,
    event: str,
    link_url: str,
    link_label: str,
    document_ref: str = "",
    on: date | None = None,
    actor: Any = None,
) -> Node | None:
    """Complete case `case_id`'s earliest pending `node_code` node from `event`; None when nothing to do."""
    done = complete_nodes_from_event(
        [NodeEvent(case_id, link_url, link_label, document_ref)], node_code, event=event, on=on, actor=actor
    )
    return done[0] if done else None


def complete_nodes_from_event(
    items: Sequence[NodeEvent], node_code: str, *, event: str, on: date | None = None, actor: Any = None
) -> list[Node]:
    """The same for many cases at once (a centralised inquiry): a few queries, not a few per case."""
    if not items:
        return []
    on = on or timezone.localdate()
    by_case = {i.case_id: i for i in items}
    completer = actor if getattr(actor, "pk", None) else None
    with transaction.atomic():
        pending = list(
            Node.objects.select_for_update(of=("self",))
            .filter(case_id__in=list(by_case), node_type__code=node_code, status=Node.Status.PENDING)
            .select_related("node_type")
            .order_by("case_id", "started_on", "id")
        )
        if not pending:
            return []
        seen = set(  # an event record that already completed a node of this code completes no other
            Node.objects.filter(
                case_id__in={n.case_id for n in pending},
                node_type__code=node_code,
                event=event,
                link_url__in={_local(i.link_url) for i in items},
            ).values_list("case_id", "link_url")
        )
        picked: dict[int, Node] = {}
        for node in pending:
            if (
                node.case_id not in picked
                and (node.case_id, _local(by_case[node.case_id].link_url)) not in seen
            ):
                picked[node.case_id] = node
        if not picked:
            return []
        nodes = list(picked.values())
        for node in nodes:
            item = by_case[node.case_id]
            node.status, node.completed_on, node.completed_by = Node.Status.DONE, on, completer
            node.event, node.link_url, node.link_label = (
                event[:32],
                _local(item.link_url),
                item.link_label[:100],
            )
            node.document_ref = (item.document_ref or item.link_label)[:128]
        Node.objects.bulk_update(
            nodes,
            ["status", "completed_on", "completed_by", "event", "link_url", "link_label", "document_ref"],
        )
        _refresh_next_due(list(picked))
        by_court: dict[int, list[Node]] = {}
        for n in nodes:
            by_court.setdefault(n.court_id, []).append(n)
        for group in by_court.values():  # one audit chain per court: the chain of the group's first case
            audit.record_many(actor, [_audit_item(n, node_code, event, on) for n in group])
        nodes_completed.send(Node, nodes=nodes, actor=actor)
    return nodes


def _local(url: str) -> str:
    """Only a path on this site is stored (the flow page renders it as a link)."""
    url = (url or "").strip()
    return url[:200] if url.startswith("/") and not url.startswith("//") and len(url) <= 200 else ""


def _audit_item(n: Node, node_code: str, event: str, on: date) -> dict[str, Any]:
    return {
        "action": "node.complete_by_event",
        "object_type": "Node",
        "object_id": n.pk,
        "case_id": n.case_id,
        "after": {
            "node": node_code,
            "event": event,
            "on": on,
            "document": n.document_ref,
            "link": n.link_url,
            "late": bool(n.due_on and on > n.due_on),
        },
    }


def _refresh_next_due(case_ids: list[int]) -> None:
    """Completing a node moves only the case's next due date (the other deadlines stay as computed)."""
    nexts = dict(
        Node.objects.filter(case_id__in=case_ids, status=Node.Status.PENDING)
        .values("case_id")
        .annotate(m=Min("due_on"))
        .values_list("case_id", "m")
    )
    for case_id in case_ids:
        EnforcementCase.objects.filter(pk=case_id).update(next_due_on=nexts.get(case_id))
