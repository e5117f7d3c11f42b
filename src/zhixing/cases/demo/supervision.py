"""Demo 督办 (supervision orders) for `seed_demo`: open ones, replied ones and overdue unanswered ones.

Issued through `services.issue_supervision_order` and answered through `reply_supervision_order`, by
the demo leaders (`th_president`, `th_director`, `gz_director`, `gd_president`, `sz_director`) to the
judges handling open cases that have overdue nodes. Overdue orders are issued on an earlier business
day (`replay.business_day`) with a deadline that has since passed.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from zhixing.courts.models import Staff

from .. import services
from ..models import OPEN_STATUSES, EnforcementCase, Node, SupervisionOrder
from .replay import business_day

# (issuer, court of the case, 督办事项, days until the deadline, reply or "" , days ago it was issued)
ORDERS: tuple[tuple[str, str, str, int, str, int], ...] = (
    ("th_president", "粤0106", "该案节点已超期，请于三日内完成并书面说明超期原因。", 3, "", 0),
    ("gz_director", "粤0106", "上级法院督办：请加快网络查控与财产处置，按期报告进展。", 5, "", 1),
    (
        "gd_president",
        "粤0106",
        "请核实被执行人名下不动产情况并报告处置计划。",
        7,
        "已于本周完成不动产登记查询，已申请评估，预计下月挂拍。",
        4,
    ),
    (
        "th_director",
        "粤0106",
        "请说明执行期限届满前的结案计划。",
        8,
        "已与申请人沟通，拟于本月内以执行完毕方式结案。",
        6,
    ),
    ("th_director", "粤0106", "请立即完成超期节点，并报告未按期办理的原因。", 3, "", 12),
    ("gz_director", "粤0104", "该案超期节点较多，请于期限内集中清理并回复。", 2, "", 9),
    ("sz_director", "粤0304", "请核查被执行人银行账户冻结情况，按期回复。", 10, "", 2),
)


def _candidates(court_code: str, limit: int) -> list[EnforcementCase]:
    """Open, assigned cases of the court with a pending overdue node, most overdue first."""
    today = timezone.localdate()
    return list(
        EnforcementCase.objects.filter(
            court__code=court_code,
            status__in=OPEN_STATUSES,
            handler__isnull=False,
            next_due_on__lt=today,
        )
        .select_related("court", "handler")
        .order_by("next_due_on", "id")[:limit]
    )


def seed_supervision_orders() -> int:
    """Write the demo orders; returns how many were made (0 when the demo has no suitable cases)."""
    today = timezone.localdate()
    leaders = {s.username: s for s in Staff.objects.filter(username__in={o[0] for o in ORDERS})}
    pools: dict[str, list[EnforcementCase]] = {}
    made = 0
    with transaction.atomic():
        for issuer, court, text, days, reply, ago in ORDERS:
            actor = leaders.get(issuer)
            pool = pools.setdefault(court, _candidates(court, 10))
            if actor is None or not pool:
                continue
            case = pool.pop(0)
            node = (
                Node.objects.filter(case=case, status=Node.Status.PENDING, due_on__lt=today)
                .order_by("due_on")
                .first()
            )
            issued_on = today - timedelta(days=ago)
            with business_day(issued_on):
                order = services.issue_supervision_order(
                    actor, case, text=text, due_on=issued_on + timedelta(days=days), node=node
                )
            if ago:
                # issued on that business day: its time too, or an overdue order reads as issued today
                # after its own deadline
                SupervisionOrder.objects.filter(pk=order.pk).update(
                    issued_at=timezone.now() - timedelta(days=ago)
                )
            if reply:
                services.reply_supervision_order(case.handler, order, reply=reply)
            made += 1
    return made
