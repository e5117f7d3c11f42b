"""The panel's ruling on an objection and its service, which opens the windows to sue or ask for 复议."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.courts.models import Staff
from zhixing.documents import services as documents

from .. import access, lot_consequences, rules, valuation
from ..models import Objection
from .inputs import _date, _text


def _panel(actor: Any, obj: Objection, panel_ids: Any) -> list[dict[str, Any]]:
    ids: list[int] = []
    for raw in panel_ids or []:
        try:
            ids.append(int(str(raw)))
        except ValueError:
            raise ServiceError("合议庭成员选择有误", field="panel") from None
    ids = list(dict.fromkeys(ids))
    members = list(
        Staff.objects.filter(
            pk__in=ids, court_id=obj.court_id, role__in=access.DECIDER_ROLES, is_active=True
        ).order_by("pk")
    )
    if len(members) != len(ids):
        raise ServiceError("合议庭成员须为本院在职的执行法官或局长", field="panel")
    if len(members) < access.PANEL_MIN:
        raise ServiceError(f"合议庭至少由{access.PANEL_MIN}名法官组成", field="panel")
    if actor.pk not in ids:
        raise ServiceError("作出裁定的法官须为合议庭成员", field="panel")
    return [{"id": m.pk, "name": m.full_name or m.username} for m in members]


# rule
def decide(actor: Any, obj: Objection, *, upheld: Any, panel_ids: Any, reason: str) -> Objection:
    """The collegial panel's ruling: upheld (enforcement against the asset suspended) or rejected.

    The ruling (执行裁定书, kind `objection_ruling`) is generated through `zhixing.documents` in the same
    transaction; a ruling after `decision_due` is allowed (the clock shows it overdue) but recorded as such.
    """
    if not access.can_decide(actor, obj.court):
        raise NotPermitted("只有本院执行法官或局长可以作出异议裁定")
    if upheld not in (True, False):
        raise ServiceError("请选择审查结果（异议成立或驳回异议）", field="upheld")
    text = _text(reason, "reason", "裁定理由", 2000)
    panel = _panel(actor, obj, panel_ids)
    today = timezone.localdate()
    with transaction.atomic():
        obj = Objection.objects.select_for_update().get(pk=obj.pk)
        if obj.status != Objection.Status.PENDING:
            raise Conflict(f"该异议已{obj.get_status_display()}，不能再次裁定")
        obj.status = Objection.Status.UPHELD if upheld else Objection.Status.REJECTED
        obj.panel, obj.decided_on, obj.decision_reason = panel, today, text
        obj.save(update_fields=["status", "panel", "decided_on", "decision_reason"])
        undone = ""
        if obj.kind == Objection.Kind.ACT and upheld:
            from ..acts import undo_act  # acts imports this module's helpers

            undone = undo_act(actor, obj)
        elif upheld:  # a third party's claim upheld: its asset's lot is withdrawn (consequence table)
            lot_consequences.upheld(actor, obj)
        valuation.decided(actor, obj)  # a reference-price objection: its lot withdrawn or resumed
        doc = documents.generate(actor, obj.case, "objection_ruling", source=str(obj.pk))
        obj.ruling_document_id = doc.pk
        obj.save(update_fields=["ruling_document_id"])
        from ..notices import serve_ruling  # notices imports this module's helpers

        e_served = serve_ruling(actor, obj, doc, today)
        audit.record(
            actor,
            "objections.decide",
            object_type="objections.Objection",
            object_id=obj.pk,
            case_id=obj.case_id,
            before={"status": Objection.Status.PENDING},
            after={
                "status": obj.status,
                "decided_on": today,
                "late": today > obj.decision_due,
                "panel": [m["name"] for m in panel],
                "document": doc.pk,
                "undone": undone,
                "service_due": obj.service_due,
                "e_served": e_served,
            },
            court=obj.court,
        )
    return obj


# rule
def record_service(actor: Any, obj: Objection, served_on: Any) -> Objection:
    """The ruling served on the objector: the 15-day window to sue (CPL-2023 Art 238) starts the next day."""
    if not access.can_decide(actor, obj.court):
        raise NotPermitted("只有本院执行法官或局长可以登记送达")
    served = _date(served_on, "served_on", "送达日期")
    return start_service_windows(actor, obj, served)


def start_service_windows(actor: Any, obj: Objection, served: date, *, method: str = "") -> Objection:
    """Record the ruling's service on `served` and open its window: 复议 within 10 days for an act
    objection (CPL-2023 Art 236), a suit within 15 days for a third party's (Art 238). The caller has
    checked the actor (a judge recording by hand) or the proof (an electronic delivery to the objector)."""
    with transaction.atomic():
        obj = Objection.objects.select_for_update().get(pk=obj.pk)
        if obj.status not in (Objection.Status.UPHELD, Objection.Status.REJECTED):
            raise Conflict("异议尚未裁定，不能登记送达")
        if obj.served_on is not None:
            raise Conflict("裁定已登记送达")
        if obj.decided_on and served < obj.decided_on:
            raise ServiceError("送达日期不能早于裁定日期", field="served_on")
        if served > timezone.localdate():
            raise ServiceError("送达日期不能晚于今天", field="served_on")
        obj.served_on = served
        if obj.kind == Objection.Kind.ACT:  # CPL-2023 Art 236: 复议 within 10 days of service
            obj.review_due = rules.review_filing_due(served, current_calendar())
        else:  # CPL-2023 Art 238: a suit within 15 days of service
            obj.suit_due = rules.suit_due(served, current_calendar())
        obj.save(update_fields=["served_on", "suit_due", "review_due"])
        after: dict[str, Any] = {"served_on": served, "suit_due": obj.suit_due, "review_due": obj.review_due}
        if method:
            after["method"] = method
        if obj.service_due is not None:
            after["late"] = served > obj.service_due
        audit.record(
            actor,
            "objections.served",
            object_type="objections.Objection",
            object_id=obj.pk,
            case_id=obj.case_id,
            after=after,
            court=obj.court,
        )
    return obj
