"""督办 (supervision orders): a leader issues one to the handling judge, the judge replies.

Who may issue: the president (院长) or bureau director (执行局局长) of the case's court or of any court
above it. Who replies: the addressee only (the case's handler when the order was issued). Each write is
audited in its transaction; the notification hook is marked `# notify:` for the notification slice.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.courts.queries import can_read_court
from zhixing.courts.roles import Role

from ..models import EnforcementCase, Node, SupervisionOrder

__all__ = ["ISSUER_ROLES", "can_issue", "issue_supervision_order", "reply_supervision_order"]

# 院长 and 执行局局长 supervise; the court scope (own court or a court above the case's) is checked too.
ISSUER_ROLES = frozenset({Role.PRESIDENT, Role.DIRECTOR})
MAX_TEXT = 500
MAX_REPLY = 1000


def can_issue(actor: Any, case: EnforcementCase) -> bool:
    """A president or director whose court is the case's court or above it."""
    return getattr(actor, "role", None) in ISSUER_ROLES and can_read_court(actor, case.court)


def issue_supervision_order(
    actor: Any, case: EnforcementCase, *, text: str, due_on: date, node: Node | None = None
) -> SupervisionOrder:
    """Order the case's handling judge to act (on the case or one of its pending nodes) by `due_on`."""
    if not can_issue(actor, case):
        raise NotPermitted("只有本院或上级法院的院长、执行局局长可以督办")
    text = (text or "").strip()
    if not text:
        raise ServiceError("请填写督办事项", field="text")
    if len(text) > MAX_TEXT:
        raise ServiceError(f"督办事项不能超过{MAX_TEXT}个字", field="text")
    today = timezone.localdate()
    if due_on < today:
        raise ServiceError("回复期限不能早于今天", field="due_on")
    if not case.is_open:
        raise Conflict("案件已不在执行中，不能督办")
    if node is not None:
        if node.case_id != case.pk:
            raise ServiceError("该节点不属于本案", field="node")
        if node.status != Node.Status.PENDING:
            raise Conflict("只能督办未完成的节点", field="node")
    if case.handler_id is None:
        raise Conflict("案件尚未分案，没有可督办的承办人")
    with transaction.atomic():
        order = SupervisionOrder.objects.create(
            case=case,
            node=node,
            court_id=case.court_id,
            issued_by=actor,
            addressee_id=case.handler_id,
            text=text,
            due_on=due_on,
        )
        audit.record(
            actor,
            "case.supervision_order.issue",
            object_type="SupervisionOrder",
            object_id=order.pk,
            case_id=case.pk,
            after={
                "addressee": case.handler_id,
                "node": node.pk if node else None,
                "due_on": due_on,
                "text": text,
            },
        )
        # notify: the addressee (order.addressee), after commit —
        #   "收到督办：{case.number}，请于{due_on}前回复", linking to the case page's #supervision-orders.
    return order


def reply_supervision_order(actor: Any, order: SupervisionOrder, *, reply: str) -> SupervisionOrder:
    """The addressee answers an open order (once; the reply is kept as the record)."""
    if getattr(actor, "pk", None) != order.addressee_id:
        raise NotPermitted("只有被督办人可以回复督办")
    reply = (reply or "").strip()
    if not reply:
        raise ServiceError("请填写回复内容", field="reply")
    if len(reply) > MAX_REPLY:
        raise ServiceError(f"回复内容不能超过{MAX_REPLY}个字", field="reply")
    with transaction.atomic():
        locked = SupervisionOrder.objects.select_for_update().get(pk=order.pk)
        if locked.status != SupervisionOrder.Status.OPEN:
            raise Conflict("该督办已回复")
        now = timezone.now()
        late = locked.due_on < timezone.localdate()
        locked.status = SupervisionOrder.Status.REPLIED
        locked.reply = reply
        locked.replied_at = now
        locked.save(update_fields=["status", "reply", "replied_at"])
        audit.record(
            actor,
            "case.supervision_order.reply",
            object_type="SupervisionOrder",
            object_id=locked.pk,
            case_id=locked.case_id,
            before={"status": SupervisionOrder.Status.OPEN},
            after={"status": SupervisionOrder.Status.REPLIED, "reply": reply, "late": late},
        )
        # notify: the issuer (locked.issued_by) — "督办已回复：{case.number}" — after commit.
    return locked
