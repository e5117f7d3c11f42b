"""Reads for the measures pages and API: a case's proposals and consequences, the court-wide queue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from zhixing.cases.models import EnforcementCase
from zhixing.courts.queries import court_scope_q
from zhixing.inquiry import queries_release as controls

from . import rules
from .conf import table
from .models import Consequence, Proposal
from .rules import ACTION_LABELS, EVENT_LABELS, MEASURE_LABELS, Event, Measure

REQUEST_LABELS = {
    "awaiting_approval": "待审批",
    "pending": "待发送",
    "sending": "发送中",
    "waiting": "等待反馈",
    "done": "已完成",
    "failed": "失败",
    "rejected": "审批未通过",
    "cancelled": "已撤回",
}


def event_label(value: str) -> str:
    return EVENT_LABELS.get(Event(value), value) if value in Event._value2member_map_ else value


def measure_label(value: str) -> str:
    return MEASURE_LABELS.get(Measure(value), value) if value in Measure._value2member_map_ else value


@dataclass
class ConsequenceRow:
    row: Consequence
    requests: list[tuple[int, str, str]]  # (request id, status label, partner's reason)


def case_proposals(case: EnforcementCase) -> list[Proposal]:
    return list(
        Proposal.objects.filter(case=case).select_related("decided_by").order_by("-created_at", "-id")[:100]
    )


def case_consequences(case: EnforcementCase) -> list[ConsequenceRow]:
    rows = list(Consequence.objects.filter(case=case).order_by("-created_at", "-id")[:100])
    ids = [i for r in rows for i in r.requests]
    outcomes = controls.request_outcomes(ids) if ids else {}
    return [
        ConsequenceRow(
            r,
            [
                (i, REQUEST_LABELS.get(outcomes[i][0], outcomes[i][0]), outcomes[i][1])
                for i in r.requests
                if i in outcomes
            ],
        )
        for r in rows
    ]


def open_count(case: EnforcementCase) -> int:
    return Proposal.objects.filter(case=case, status=Proposal.Status.OPEN).count()


def queue(user: Any) -> QuerySet[Proposal]:
    """Open proposals in the courts the user reads, oldest first."""
    return (
        Proposal.objects.filter(court_scope_q(user), status=Proposal.Status.OPEN)
        .select_related("case", "court")
        .order_by("created_at", "id")
    )


def failures(user: Any) -> QuerySet[Consequence]:
    """Consequences that could not be applied (waiting for retry or for a person), in the user's courts."""
    return (
        Consequence.objects.filter(
            court_scope_q(user), status__in=[Consequence.Status.FAILED, Consequence.Status.GAVE_UP]
        )
        .select_related("case", "court")
        .order_by("created_at", "id")
    )


@dataclass
class TableCell:
    measure: str
    label: str
    article: str
    source: str
    configurable: bool
    action: str
    decider: str


def table_rows() -> list[tuple[str, str, list[TableCell]]]:
    """The effective consequence table for display: (event, label, cells in measure order)."""
    effective = table()
    out = []
    for event in Event:
        cells = [
            TableCell(
                m.value,
                effective[event][m].label(),
                effective[event][m].article,
                effective[event][m].source,
                effective[event][m].configurable,
                effective[event][m].action.value,
                effective[event][m].decider.value,
            )
            for m in Measure
        ]
        out.append((event.value, EVENT_LABELS[event], cells))
    return out


MEASURE_HEADERS = [(m.value, MEASURE_LABELS[m]) for m in Measure]
ACTION_NAMES = {a.value: ACTION_LABELS[a] for a in rules.Action}
