"""The alert stream's feeds: a periodic sweep over the domains' own warning queries, and receivers.

The sweep reads each domain through its `queries` module with a court-wide reader (`PlatformReader`:
the root of the court tree, supervising), so the command center owns no copy of their data. Each source
row has a stable `source_key`, so the sweep raising the same rows every period creates nothing twice.
It runs from `command.field_tasks.sweep_alerts`, a Huey periodic task that `zhixing.core.periodic` claims
once per period however many consumers run.

Feeds: overdue nodes (cases' red node alerts), controls about to lapse / lapsed / taking effect
(inquiry's control alerts), payouts past their deadline (funds), unidentified receipts past their claim
deadline (funds), listings past their removal deadline (credit), settlement agreements with a
missed instalment (cases), objections whose parties were not told or whose ruling was not served in
time (objections). Plate hits are raised by the ingest
(`plates.ingest`); tip-offs by the portal's `tip_received` signal (`receive_tip`, connected when the portal
module exists).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from zhixing.cases import queries as case_queries
from zhixing.cases import queries_settlement
from zhixing.courts.roles import Role
from zhixing.credit import queries as credit_queries
from zhixing.funds import queries as funds_queries
from zhixing.inquiry import queries_expiry
from zhixing.objections import queries as objection_queries

from .alerts import raise_alert
from .models import Alert


@dataclass(frozen=True)
class _RootCourt:
    pk: None = None
    level: str = "high"
    path: str = ""


@dataclass(frozen=True)
class PlatformReader:
    """A reader that every court-scoped query treats as the root court with supervision caps.

    Used only by the sweep (never a signed-in user): `court_scope_q` of a non-basic court filters by
    `path__startswith`, which for the root path "" is every court.
    """

    court: _RootCourt = field(default_factory=_RootCourt)
    is_authenticated: bool = True
    pk: None = None
    role: str = "platform"

    def can(self, cap: str) -> bool:
        return True


READER = PlatformReader()


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


def sweep(today: date | None = None) -> dict[str, int]:
    """Raise an alert for every warning the domains report; returns how many were new, per kind."""
    today = today or timezone.localdate()
    new: dict[str, int] = {}

    def put(
        kind: str, court: Any, case: Any, subject: str, detail: str, due: Any, key: str, **kw: Any
    ) -> None:
        if raise_alert(kind, court, case, subject, detail, due, key, **kw).created:
            new[kind] = new.get(kind, 0) + 1

    # Overdue nodes: cases' node alerts of the red level (the deadline has passed).
    for a in case_queries.recent_alerts(READER, limit=1000):
        if a.level >= 2:
            put(
                Alert.Kind.NODE_OVERDUE,
                a.court,
                a.case,
                f"{a.case.number} {a.node.node_type.name}",
                f"节点“{a.node.node_type.name}”期限 {a.due_on:%Y-%m-%d} 已届满",
                _end_of(a.due_on),
                f"node:{a.node_id}:overdue",
                handler=a.handler,
            )
    # Controls: warning window, lapsed, 轮候 taking effect.
    for c in queries_expiry.alerts_queryset(READER).select_related("asset", "case", "court", "handler")[
        :1000
    ]:
        lapsed = c.level != "warn"
        put(
            Alert.Kind.CONTROL_LAPSED if lapsed else Alert.Kind.CONTROL_EXPIRING,
            c.court,
            c.case,
            f"{c.case.number} {c.asset}",
            f"{c.get_level_display()}：控制到期日 {c.expires_on:%Y-%m-%d}",
            _end_of(c.expires_on),
            f"control:{c.pk}",
            handler=c.handler,
        )
    for p in funds_queries.overdue_payouts(READER, today):
        put(
            Alert.Kind.PAYOUT_OVERDUE,
            p.court,
            p.case,
            f"{p.case.number} 发款 {p.amount} 元",
            f"发款期限 {p.due_on:%Y-%m-%d} 已过，尚未发放",
            _end_of(p.due_on) if p.due_on else None,
            f"payout:{p.pk}:overdue",
        )
    for r in funds_queries.unidentified_queue(READER, today):
        if r.claim_due is not None and r.claim_due < today:
            put(
                Alert.Kind.RECEIPT_UNCLAIMED,
                r.court,
                None,
                f"不明款 {r.amount} 元（{r.payer_name or '付款人不详'}）",
                f"认领期限 {r.claim_due:%Y-%m-%d} 已过，仍未认领",
                _end_of(r.claim_due),
                f"receipt:{r.pk}:unclaimed",
                role=Role.FINANCE,  # no case, so no handler: any of the court's finance officers claims it
            )
    for listing, overdue in credit_queries.supervision_rows(READER, today)["removals"]:
        if overdue:
            put(
                Alert.Kind.REMOVAL_OVERDUE,
                listing.court,
                listing.case,
                f"{listing.case.number} 失信名单 {listing.name}",
                f"应于 {listing.removal_due:%Y-%m-%d} 前删除，尚未删除",
                _end_of(listing.removal_due),
                f"listing:{listing.pk}:removal",
            )
    # Settlement agreements with a missed instalment (执行和解规定 Art 9: the applicant may ask to resume).
    for m in queries_settlement.missed_instalments(READER, today):
        put(
            Alert.Kind.SETTLEMENT_MISSED,
            m.court,
            m.case,
            f"{m.case.number} 执行和解第{m.seq}期逾期",
            f"和解协议第{m.seq}期履行期限 {m.due_on:%Y-%m-%d} 已过，尚欠 {m.outstanding} 元；"
            "申请执行人可申请恢复执行原生效法律文书",
            _end_of(m.due_on),
            f"settlement:{m.agreement.pk}:missed",
            handler=m.handler,
        )
    # Objections: parties not told within 3 days of filing (执行异议复议规定 Art 2), a ruling not served.
    for late in objection_queries.late_notices(READER, today):
        o, notice = late.objection, late.label == objection_queries.NOTICE_CLOCK
        put(
            Alert.Kind.OBJECTION_LATE,
            o.court,
            o.case,
            f"{o.number} {'逾期未通知当事人' if notice else '异议裁定逾期未送达'}",
            f"{late.label} {late.due:%Y-%m-%d} 已过：{o.objector_name}对"
            f"{o.act_label or o.asset or '执行标的'}的异议",
            _end_of(late.due),
            f"objection:{o.pk}:{'notice' if notice else 'service'}",
            handler=o.case.handler,
        )
    return new


def receive_tip(sender: Any = None, *, tip: Any = None, **kw: Any) -> None:
    """Receiver for `zhixing.portal.events.tip_received` (sent after the tip's transaction commits): the
    tip becomes an alert for the handler and the command center, due when the tip must be acted on."""
    if tip is None:
        return
    due = timezone.make_aware(datetime.combine(tip.due_on, time(18, 0))) if tip.due_on else None
    raise_alert(
        Alert.Kind.TIP_OFF,
        tip.court,
        tip.case,
        f"群众举报（{tip.get_kind_display()}）：{tip.reference}",
        str(tip.content)[:500],
        due,
        f"tip:{tip.pk}",
    )
