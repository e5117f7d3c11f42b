"""The internal term of a triage track (繁简分流): a node with its own deadline, warned like the others.

Seed 004 (a basic court's practice, not an SPC rule): cases routed to the simple-execution team are to
be concluded and filed within 3 months. The term is a `NodeType` row whose completion is `TRACK_TERM`
and whose code is ``track_<track>`` (``track_simple`` is seeded; an administrator may change its budget,
deactivate it, or add ``track_complex`` / ``track_dormant``). Its deadline, suspension pauses and
yellow/red warnings are the case deadline machinery's (`deadlines.recompute_case_deadlines`,
`scan_due_nodes`); closing the case completes it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.courts.roles import Cap

from ..models import EnforcementCase, Node, NodeType
from .deadlines import recompute_case_deadlines
from .lifecycle import _lock, _require, _require_open

TRACK_TERM_PREFIX = "track_"


def track_term_type(track: str) -> NodeType | None:
    """The active internal-term node type of a track, if the court keeps one."""
    return NodeType.objects.filter(
        code=f"{TRACK_TERM_PREFIX}{track}", active=True, completion=NodeType.Completion.TRACK_TERM
    ).first()


def set_track_term(actor: Any, case: EnforcementCase, track: str, *, on: date | None = None) -> Node | None:
    """Start `track`'s internal term from `on` (today) and cancel another track's pending term.

    Returns the pending term node of the track, or None when the track has no term configured. Running
    it again for the same track keeps the running term (its start does not move).
    """
    on = on or timezone.localdate()
    with transaction.atomic():
        case = _lock(case)
        _require(actor, case, Cap.CASE_ASSIGN)
        _require_open(case, "设定分流期限")
        nt = track_term_type(track)
        pending = list(
            Node.objects.filter(
                case=case, status=Node.Status.PENDING, node_type__completion=NodeType.Completion.TRACK_TERM
            ).select_related("node_type")
        )
        keep = next((n for n in pending if nt is not None and n.node_type_id == nt.pk), None)
        cancelled = [n for n in pending if n is not keep]
        if cancelled:
            Node.objects.filter(pk__in=[n.pk for n in cancelled]).update(
                status=Node.Status.CANCELLED, note="案件改为其他分流"
            )
        node = keep
        if node is None and nt is not None:
            node = Node.objects.create(
                case=case,
                node_type=nt,
                court_id=case.court_id,
                handler=case.handler,
                started_on=on,
                note="繁简分流确定后起算",
            )
        if cancelled or node is not keep:
            recompute_case_deadlines(case)
            if node is not None:
                node.refresh_from_db()
            audit.record(
                actor,
                "case.track_term",
                object_type="EnforcementCase",
                object_id=case.pk,
                case_id=case.pk,
                before={"terms": [[n.node_type.code, n.due_on] for n in cancelled]},
                after={
                    "track": track,
                    "term": [node.node_type.code, node.started_on, node.due_on] if node else None,
                },
            )
    return node
