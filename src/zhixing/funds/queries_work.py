"""What waits for whom in case funds: the approval queue (with each payout's history and next approver)
and the counts the home page (工作台) shows each role. Reads only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q
from django.urls import reverse

from zhixing.courts.queries import court_scope_q
from zhixing.courts.roles import Role

from . import conf
from .labels import role_label
from .models import Payout, PayoutApproval, Receipt

CLOSED = (Payout.Status.PAID, Payout.Status.REJECTED, Payout.Status.CANCELLED)
QUEUE_LIMIT = 500


def _waiting_for(user: Any, rows: list[tuple[int, int, list[str], set[int]]]) -> list[int]:
    """Ids of the proposals whose current step is the user's role and that the user may still approve."""
    return [
        pk
        for pk, step, chain, approvers in rows
        if step < len(chain) and chain[step] == user.role and user.pk not in approvers
    ]


def _candidates(user: Any) -> list[tuple[int, int, list[str], set[int]]]:
    court = getattr(user, "court", None)
    # Finance approves the one step of a deposit refund (services.deposit_refunds).
    if court is None or user.role not in {*conf.approval_chain(True), Role.FINANCE}:
        return []
    rows = list(
        Payout.objects.filter(court=court, status=Payout.Status.PROPOSED)
        .exclude(proposed_by=user)
        .order_by("pk")
        .values_list("pk", "step", "chain")[:QUEUE_LIMIT]
    )
    mine: dict[int, set[int]] = {}
    for pid, approver in PayoutApproval.objects.filter(
        payout_id__in=[r[0] for r in rows], approver=user
    ).values_list("payout_id", "approver_id"):
        mine.setdefault(pid, set()).add(approver)
    return [(pk, step, chain, mine.get(pk, set())) for pk, step, chain in rows]


@dataclass(frozen=True)
class Step:
    role: str
    label: str
    state: str  # "done" | "next" | "later" | "rejected"
    who: str = ""
    at: Any = None
    note: str = ""


def chain_steps(p: Payout, decisions: list[PayoutApproval]) -> list[Step]:
    """Every step of the payout's chain: who decided it and when, which one is next."""
    by_step = {a.step: a for a in decisions}
    out = []
    for i, role in enumerate(p.chain):
        a = by_step.get(i)
        if a is not None:
            who = a.approver.get_full_name() or a.approver.username
            out.append(Step(role, role_label(role), "done" if a.approve else "rejected", who, a.at, a.note))
        elif p.status == Payout.Status.PROPOSED and i == p.step:
            out.append(Step(role, role_label(role), "next"))
        else:
            out.append(Step(role, role_label(role), "later"))
    return out


def approval_queue(user: Any) -> list[Payout]:
    """Proposals waiting for this user (their role at the current step, own court, not their own, not
    one they approved at an earlier step), each with `steps` (history + next) and `next_label`."""
    ids = _waiting_for(user, _candidates(user))
    if not ids:
        return []
    rows = list(
        Payout.objects.filter(pk__in=ids)
        .select_related("case", "proposed_by")
        .prefetch_related(
            Prefetch("approvals", queryset=PayoutApproval.objects.select_related("approver").order_by("step"))
        )
        .order_by("pk")
    )
    for p in rows:
        p.steps = chain_steps(p, list(p.approvals.all()))  # type: ignore[attr-defined]
        p.next_label = role_label(p.chain[p.step])  # type: ignore[attr-defined]
    return rows


def approval_count(user: Any) -> int:
    return len(_waiting_for(user, _candidates(user)))


@dataclass(frozen=True)
class Todo:
    """One line of the home page's funds panel: how many, what, where to go."""

    key: str
    label: str
    count: int
    url: str
    urgent: bool = False


def todo_for(user: Any, today: date) -> list[Todo]:
    """What waits for this user in case funds (empty when their role has no funds work)."""
    court = getattr(user, "court", None)
    if court is None:
        return []
    role = user.role
    out: list[Todo] = []
    if role in set(conf.approval_chain(True)):
        out.append(Todo("approvals", "待我审批的发款", approval_count(user), reverse("funds_approvals")))
    if role == Role.FINANCE:
        own = Q(court=court)
        out.append(
            Todo(
                "to_send",
                "已审批待发送的支付指令",
                Payout.objects.filter(own, status=Payout.Status.APPROVED).count(),
                reverse("funds_finance") + "#to-send",
            )
        )
        stuck = Payout.objects.filter(own, status=Payout.Status.SENDING).exclude(last_error="").count()
        if stuck:
            out.append(
                Todo("stuck", "银行未确认的支付指令", stuck, reverse("funds_finance") + "#to-send", True)
            )
        unid = Receipt.objects.filter(own, status=Receipt.Status.UNIDENTIFIED)
        out.append(
            Todo("unidentified", "不明款待认领", unid.count(), reverse("funds_finance") + "#unidentified")
        )
        late = unid.filter(claim_due__lt=today).count()
        if late:
            out.append(
                Todo(
                    "unidentified_late",
                    "不明款已过认领期限",
                    late,
                    reverse("funds_finance") + "#unidentified",
                    True,
                )
            )
    overdue = Payout.objects.filter(due_on__lt=today).exclude(status__in=CLOSED)
    if role in (Role.FINANCE, Role.DIRECTOR, Role.PRESIDENT):
        n = overdue.filter(court_scope_q(user)).count()
        url = reverse("funds_director") if role != Role.FINANCE else reverse("funds_finance") + "#overdue"
        out.append(Todo("overdue", "超期未发放的发款", n, url, bool(n)))
    elif role in (Role.JUDGE, Role.ASSISTANT):
        n = overdue.filter(court=court, case__handler=user).count()
        if n:
            out.append(Todo("overdue", "我承办案件的超期发款", n, reverse("case_list") + "?mine=1", True))
    return out


def returned_refunds(user: Any) -> list[Payout]:
    """Deposit refunds that ended unpaid (returned by the bank, rejected, withdrawn) and are not yet
    ordered again: the deposit is still held (the finance page lists them)."""
    court = getattr(user, "court", None)
    if court is None:
        return []
    rows = list(
        Payout.objects.filter(
            court=court,
            purpose=Payout.Purpose.DEPOSIT,
            status__in=(Payout.Status.FAILED, Payout.Status.REJECTED, Payout.Status.CANCELLED),
        )
        .select_related("case")
        .order_by("pk")[:200]
    )
    live = set(
        Payout.objects.filter(
            source__in=[p.source for p in rows],
            status__in=(
                Payout.Status.PROPOSED,
                Payout.Status.APPROVED,
                Payout.Status.SENDING,
                Payout.Status.PAID,
            ),
        ).values_list("source", flat=True)
    )
    return [p for p in rows if p.source not in live]
