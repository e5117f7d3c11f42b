"""Recording the parties' agreement on the order payments are applied in (迟延履行利息解释 Art 4)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Cap

from ..models import EnforcementCase, PaymentOrderAgreement
from ..schedule import parse_order

__all__ = ["record_payment_order"]


def record_payment_order(
    actor: Any, case: EnforcementCase, *, order: str, agreed_on: date, document_ref: str
) -> PaymentOrderAgreement:
    """Record the agreed order (e.g. "doubled,costs,interest,principal"); "" withdraws it (legal order).

    The agreement applies to every payment of the case (and of a case resuming it), past and future:
    the schedule is recomputed from the dated payments. Needs the closing capability (the judge).
    """
    if not can_write_court(actor, case.court):
        raise NotPermitted("只能办理本院案件；上级法院只能查看")
    if not actor.can(Cap.CASE_CLOSE):
        raise NotPermitted("您的岗位无权登记清偿顺序约定")
    text = ",".join(p.strip() for p in (order or "").split(",") if p.strip())
    if text:
        try:
            parse_order(text)
        except ValueError as exc:
            raise ServiceError(str(exc), field="order") from None
    ref = (document_ref or "").strip()
    if not ref:
        raise ServiceError("请填写载明约定的文书（执行和解协议、笔录等）编号", field="document_ref")
    if len(ref) > 128:
        raise ServiceError("文书编号不能超过128个字符", field="document_ref")
    if agreed_on > timezone.localdate():
        raise ServiceError("约定日期不能晚于今天", field="agreed_on")
    with transaction.atomic():
        case = (
            EnforcementCase.objects.select_for_update(of=("self",), no_key=True)
            .select_related("court")
            .get(pk=case.pk)
        )
        before = case.payment_orders.order_by("-agreed_on", "-id").values_list("order", flat=True).first()
        row = PaymentOrderAgreement.objects.create(
            case=case, order=text, agreed_on=agreed_on, document_ref=ref, recorded_by=actor
        )
        audit.record(
            actor,
            "case.payment_order",
            object_type="PaymentOrderAgreement",
            object_id=row.pk,
            case_id=case.pk,
            before={"order": before or ""},
            after={"order": text, "agreed_on": agreed_on, "document": ref},
        )
    return row
