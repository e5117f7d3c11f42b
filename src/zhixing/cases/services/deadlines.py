"""Deadline computation for stored cases and the periodic scan that raises warnings.

Deadlines are never typed in: each pending node's due date is recomputed from its node type's
statutory budget on the working-day calendar, minus suspensions, plus approved extensions
(`rules.compute_deadline`). Recomputation runs after every change that can move a deadline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.holidays import current_calendar

from ..conf import coordination_stops_term
from ..models import OPEN_STATUSES, Alert, EnforcementCase, ExcludedPeriod, Extension, Node, NodeType
from ..rules import Pause, Unit, capped_due, compute_deadline


def case_pauses(case: EnforcementCase) -> list[Pause]:
    """The suspensions of a case: what stops delay interest (迟延履行利息解释 Art 3(3)) — and the term."""
    return [Pause(s.start, s.end) for s in case.suspensions.all()]


# rule
def term_pauses(case: EnforcementCase) -> list[Pause]:
    """What the enforcement term does not count: suspensions and the other periods of 审限规定 Art 9
    (暂缓执行, appraisal, auction, public notice, jurisdiction disputes — `ExcludedPeriod`). A
    coordination of an enforcement dispute (执行程序解释 Art 13 only) counts unless configured
    (`conf.coordination_stops_term`)."""
    runs = set() if coordination_stops_term() else {ExcludedPeriod.Kind.COORDINATION.value}
    return case_pauses(case) + [
        Pause(p.start, p.end) for p in case.excluded_periods.all() if p.kind not in runs
    ]


# rule
# rule
def _anchor_date(case: EnforcementCase, nt: NodeType) -> date | None:
    """The day a node's period starts from, by its type's anchor; None for nodes anchored on creation."""
    if nt.anchor == NodeType.Anchor.APPLIED:
        return case.applied_on
    if nt.anchor == NodeType.Anchor.FILED:
        return case.filed_on
    if nt.anchor == NodeType.Anchor.ASSIGNED:
        return case.assigned_on
    return None


def recompute_case_deadlines(case: EnforcementCase) -> None:
    """Recompute every pending node's due date and the case's term and next-due summary."""
    cal = current_calendar()
    pauses = term_pauses(case)
    extra = sum(case.extensions.filter(status=Extension.Status.APPROVED).values_list("months", flat=True))
    uncertain = False
    changed: list[Node] = []
    reanchored: list[Node] = []
    term_due: date | None = None
    for node in case.nodes.select_related("node_type").all():
        nt = node.node_type
        if node.status == Node.Status.CANCELLED:
            continue
        budget = nt.budget_non_litigation if case.non_litigation and nt.budget_non_litigation else nt.budget
        anchored = _anchor_date(case, nt)
        if anchored is not None and node.status == Node.Status.PENDING and node.started_on != anchored:
            # An administrator changed the node type's anchor (e.g. 民诉解释 Art 480: from receipt).
            node.started_on = anchored
            reanchored.append(node)
        result = compute_deadline(
            node.started_on,
            budget,
            Unit(nt.unit),
            cal,
            pauses=pauses if nt.pausable else (),
            extra_months=extra if nt.extendable else 0,
            roll_to_workday=nt.roll_to_workday,
        )
        if result.missing_years and node.status == Node.Status.PENDING:
            uncertain = True
        if nt.completion == NodeType.Completion.ON_CLOSING:
            term_due = result.due
        due = capped_due(result.due, node.due_cap)  # e.g. the notice after a measure (执行程序解释 Art 22)
        if node.due_on != due:
            node.due_on = due
            # A moved deadline may need a fresh warning.
            if node.status == Node.Status.PENDING:
                node.alerted = Node.Alerted.NONE
            changed.append(node)
    if changed:
        Node.objects.bulk_update(changed, ["due_on", "alerted"])
    if reanchored:
        Node.objects.bulk_update(reanchored, ["started_on"])
    next_due = case.nodes.filter(status=Node.Status.PENDING).aggregate(m=Min("due_on"))["m"]
    EnforcementCase.objects.filter(pk=case.pk).update(
        term_due=term_due, next_due_on=next_due, calendar_uncertain=uncertain, extension_months=extra
    )
    case.term_due, case.next_due_on, case.calendar_uncertain, case.extension_months = (
        term_due,
        next_due,
        uncertain,
        extra,
    )


def recompute_open_cases(batch: int = 500) -> int:
    """Recompute all open cases (after a holiday year is loaded). Returns the number of cases."""
    count = 0
    last = 0
    while True:
        ids = list(
            EnforcementCase.objects.filter(status__in=OPEN_STATUSES, pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return count
        with transaction.atomic():
            for case in EnforcementCase.objects.filter(pk__in=ids).prefetch_related(
                "suspensions", "excluded_periods"
            ):
                recompute_case_deadlines(case)
        count += len(ids)
        last = ids[-1]


@dataclass(frozen=True)
class ScanResult:
    red: int
    yellow: int


def _raise_alerts(nodes: Iterable[tuple[int, int, int, int | None, date]], level: int, now: datetime) -> int:
    rows = [
        Alert(
            node_id=nid,
            case_id=cid,
            court_id=court,
            handler_id=handler,
            level=level,
            due_on=due,
            raised_at=now,
        )
        for nid, cid, court, handler, due in nodes
    ]
    if not rows:
        return 0
    Alert.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    Node.objects.filter(pk__in=[r.node_id for r in rows]).update(alerted=level)
    return len(rows)


def scan_due_nodes(today: date | None = None, batch: int = 5000) -> ScanResult:
    """Raise a red alert for every newly overdue node and a yellow one for every node newly due soon.

    Nodes are durable timers: the scan claims them in batches by `(due_on, alerted)` through a partial
    index, so it reads only nodes that need a new warning. Each batch commits on its own, so a crash
    mid-scan leaves finished batches done and the rest for the next run; `alerted` plus the unique
    (node, level) constraint keep a retried batch from warning twice.
    """
    today = today or timezone.localdate()
    cal = current_calendar()
    now = timezone.now()
    fields = ("pk", "case_id", "court_id", "handler_id", "due_on")
    red = 0
    while True:
        with transaction.atomic():
            chunk = list(
                Node.objects.filter(
                    status=Node.Status.PENDING, due_on__lt=today, alerted__lt=Node.Alerted.RED
                )
                .order_by("due_on", "pk")
                .values_list(*fields)[:batch]
            )
            red += _raise_alerts(chunk, Node.Alerted.RED, now)
        if len(chunk) < batch:
            break
    yellow = 0
    windows = dict(NodeType.objects.values_list("pk", "yellow_workdays"))
    for window in sorted(set(windows.values())):
        type_ids = [pk for pk, w in windows.items() if w == window]
        # Yellow when workdays_between(today, due) <= window, i.e. due before the (window+1)-th working day.
        limit = cal.add_workdays(today, window + 1)
        while True:
            with transaction.atomic():
                chunk = list(
                    Node.objects.filter(
                        status=Node.Status.PENDING,
                        due_on__gte=today,
                        due_on__lt=limit,
                        alerted__lt=Node.Alerted.YELLOW,
                        node_type_id__in=type_ids,
                    )
                    .order_by("due_on", "pk")
                    .values_list(*fields)[:batch]
                )
                yellow += _raise_alerts(chunk, Node.Alerted.YELLOW, now)
            if len(chunk) < batch:
                break
    if red or yellow:
        with transaction.atomic():
            audit.record(
                None, "node.scan", object_type="Node", after={"red": red, "yellow": yellow, "today": today}
            )
    return ScanResult(red=red, yellow=yellow)
