"""What follows the ruling or ends the objection: the suit filed and ended, a withdrawal."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError

from .. import access, lot_consequences, valuation
from ..models import Objection
from .inputs import _date, _text


# rule
def record_suit(actor: Any, obj: Objection, *, filed_on: Any, number: str) -> Objection:
    """A suit (执行异议之诉 / 许可执行之诉) filed within the window: the asset stays blocked while it runs."""
    if not access.can_decide(actor, obj.court):
        raise NotPermitted("只有本院执行法官或局长可以登记执行异议之诉")
    filed = _date(filed_on, "suit_filed_on", "起诉日期")
    suit_number = _text(number, "suit_number", "诉讼案号", 64)
    with transaction.atomic():
        obj = Objection.objects.select_for_update().get(pk=obj.pk)
        if obj.suit_due is None:
            raise Conflict("裁定尚未送达，起诉期间尚未起算")
        if obj.suit_state:
            raise Conflict("已登记执行异议之诉")
        if obj.retrial_state:
            raise Conflict("已登记再审申请（审判监督程序），不能再登记执行异议之诉")
        if filed > obj.suit_due:
            raise ServiceError(
                f"起诉日期晚于起诉期限（{obj.suit_due.isoformat()}届满），不能登记", field="suit_filed_on"
            )
        if obj.served_on and filed < obj.served_on:
            raise ServiceError("起诉日期不能早于裁定送达日期", field="suit_filed_on")
        obj.suit_state, obj.suit_filed_on, obj.suit_number = Objection.Suit.PENDING, filed, suit_number
        obj.save(update_fields=["suit_state", "suit_filed_on", "suit_number"])
        audit.record(
            actor,
            "objections.suit",
            object_type="objections.Objection",
            object_id=obj.pk,
            case_id=obj.case_id,
            after={"suit_filed_on": filed, "suit_number": suit_number},
            court=obj.court,
        )
    return obj


def end_suit(actor: Any, obj: Objection, *, ended_on: Any, objector_won: Any = None) -> Objection:
    """The suit ended by an effective judgment or ruling: this objection no longer blocks the asset.

    `objector_won` (True / False; None: not recorded) decides the asset's disposal through the
    consequence table: the objector lost → a lot suspended by the objection is resumed (网拍规定 Art 28);
    the objector won → the asset's lot is withdrawn and its controls released."""
    if not access.can_decide(actor, obj.court):
        raise NotPermitted("只有本院执行法官或局长可以登记诉讼结果")
    ended = _date(ended_on, "suit_ended_on", "诉讼终结日期")
    if objector_won in ("", None):
        outcome = ""
    elif objector_won in (True, "true", "1", "objector_won"):
        outcome = "objector_won"
    elif objector_won in (False, "false", "0", "objector_lost"):
        outcome = "objector_lost"
    else:
        raise ServiceError("请选择诉讼结果（案外人胜诉或败诉）", field="objector_won")
    with transaction.atomic():
        obj = Objection.objects.select_for_update().get(pk=obj.pk)
        if obj.suit_state != Objection.Suit.PENDING:
            raise Conflict("没有正在审理的执行异议之诉")
        if obj.suit_filed_on and ended < obj.suit_filed_on:
            raise ServiceError("诉讼终结日期不能早于起诉日期", field="suit_ended_on")
        obj.suit_state, obj.suit_ended_on, obj.suit_outcome = Objection.Suit.ENDED, ended, outcome
        if outcome:
            obj.final_on = ended
        obj.save(update_fields=["suit_state", "suit_ended_on", "suit_outcome", "final_on"])
        audit.record(
            actor,
            "objections.suit_ended",
            object_type="objections.Objection",
            object_id=obj.pk,
            case_id=obj.case_id,
            after={"suit_ended_on": ended, "suit_outcome": outcome},
            court=obj.court,
        )
        if outcome == "objector_lost":
            lot_consequences.cleared(actor, obj)
        elif outcome == "objector_won":
            lot_consequences.final(actor, obj)
    return obj


def withdraw(actor: Any, obj: Objection, reason: str) -> Objection:
    """The objector withdraws before the ruling (recorded by the court's staff)."""
    if not access.can_decide(actor, obj.court):
        raise NotPermitted("只有本院执行法官或局长可以登记撤回")
    text = _text(reason, "reason", "撤回说明", 200)
    with transaction.atomic():
        obj = Objection.objects.select_for_update().get(pk=obj.pk)
        if obj.status != Objection.Status.PENDING:
            raise Conflict("只有审查中的异议可以撤回")
        obj.status, obj.decision_reason, obj.decided_on = (
            Objection.Status.WITHDRAWN,
            text,
            timezone.localdate(),
        )
        obj.save(update_fields=["status", "decision_reason", "decided_on"])
        audit.record(
            actor,
            "objections.withdraw",
            object_type="objections.Objection",
            object_id=obj.pk,
            case_id=obj.case_id,
            before={"status": Objection.Status.PENDING},
            after={"status": obj.status, "reason": text},
            court=obj.court,
        )
        lot_consequences.cleared(actor, obj)  # the cause of a lot's suspension ended
        valuation.cleared(actor, obj)  # likewise for an objection to the asset's reference price
    return obj
