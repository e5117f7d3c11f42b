"""Correction applications before the enforcing court (失信规定 Arts 11–12): filing, review, service.

The enforcing court reviews a written application within 15 days (`file_correction`) and decides
(`decide_correction`): upheld → corrected within 3 working days (`objection.apply_correction`, by the Art
11 ground); rejected → the rejection decision is served on the applicant (`record_correction_service`),
and the 10 days to ask the next-higher court for 复议 run from the day service took effect (publication:
30 days after it was published, CPL-2021 Art 95). Until service is recorded no 复议 period runs: the row
shows "驳回决定待送达" and stays on the enforcing court's worklist.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.holidays import current_calendar

from .. import rules
from ..models import Correction, Listing
from .access import require_write


def file_correction(
    actor: Any, listing: Listing, *, ground: str, detail: str, received_on: date
) -> Correction:
    """Record a correction application (Art 11); review due within 15 days (Art 12)."""
    require_write(actor, listing.court)
    if ground not in Correction.Ground.values:
        raise ServiceError("请选择纠正申请事由", field="ground")
    if not detail.strip():
        raise ServiceError("请填写申请内容", field="detail")
    if received_on > timezone.localdate():
        raise ServiceError("收到申请日期不能晚于今天", field="received_on")
    with transaction.atomic():
        c = Correction.objects.create(
            listing=listing,
            ground=ground,
            detail=detail.strip()[:300],
            received_on=received_on,
            review_due=rules.correction_review_due(received_on, current_calendar()),
        )
        audit.record(
            actor,
            "credit.correction_file",
            object_type="Correction",
            object_id=c.pk,
            case_id=listing.case_id,
            after={"ground": ground, "review_due": c.review_due},
        )
    return c


def _service_day(method: str, on: date | None, decided_on: date | None) -> date:
    """Check a service act (method, day) of the rejection decision; the day service took effect."""
    if method not in rules.SERVICE_METHODS:
        raise ServiceError("请选择送达方式", field="method")
    if on is None:
        raise ServiceError("请填写送达日期", field="served_on")
    if on > timezone.localdate():
        raise ServiceError("送达日期不能晚于今天", field="served_on")
    if decided_on is not None and on < decided_on:
        raise ServiceError(f"送达日期不能早于驳回决定日期（{decided_on:%Y-%m-%d}）", field="served_on")
    return rules.deemed_served_on(method, on)


def _serve(c: Correction, method: str, on: date) -> None:
    c.service_method, c.service_act_on = method, on
    c.served_on = rules.deemed_served_on(method, on)
    c.reconsideration_due = rules.reconsideration_due(c.served_on, current_calendar())


def decide_correction(
    actor: Any,
    correction: Correction,
    *,
    upheld: bool,
    served_on: date | None = None,
    method: str = "personal",
) -> Correction:
    """Uphold (fix within 3 working days) or reject. A rejection served at once may carry its service
    (`method`, `served_on`: the act's day); otherwise it waits for `record_correction_service`."""
    require_write(actor, correction.listing.court)
    today = timezone.localdate()
    if not upheld and served_on is not None:
        _service_day(method, served_on, today)
    with transaction.atomic():
        c = Correction.objects.select_for_update().get(pk=correction.pk)
        if c.status != Correction.Status.PENDING:
            raise Conflict("该纠正申请已审查", field="correction")
        c.decided_on = today
        if upheld:
            c.status = Correction.Status.UPHELD
            c.fix_due = rules.correction_fix_due(today, current_calendar())
        else:
            c.status = Correction.Status.REJECTED
            if served_on is not None:
                _serve(c, method, served_on)
        c.save()
        audit.record(
            actor,
            "credit.correction_decide",
            object_type="Correction",
            object_id=c.pk,
            case_id=c.listing.case_id,
            after={
                "status": c.status,
                "fix_due": c.fix_due,
                "service_method": c.service_method,
                "served_on": c.served_on,
                "reconsideration_due": c.reconsideration_due,
            },
        )
    return c


def record_correction_service(
    actor: Any, correction: Correction, *, method: str, on: date | None
) -> Correction:
    """Record service of the rejection decision on the applicant; the 10-day 复议 period runs from it."""
    require_write(actor, correction.listing.court)
    with transaction.atomic():
        c = Correction.objects.select_for_update(of=("self",)).select_related("listing").get(pk=correction.pk)
        if c.status not in (Correction.Status.REJECTED, Correction.Status.RECONSIDERING) or c.higher_result:
            raise Conflict("只有驳回的纠正申请需要登记驳回决定的送达", field="correction")
        if c.served_on is not None:
            raise Conflict("已登记驳回决定的送达", field="served_on")
        _service_day(method, on, c.decided_on)
        assert on is not None
        _serve(c, method, on)
        c.save(update_fields=["service_method", "service_act_on", "served_on", "reconsideration_due"])
        audit.record(
            actor,
            "credit.correction_served",
            object_type="Correction",
            object_id=c.pk,
            case_id=c.listing.case_id,
            after={
                "method": method,
                "on": on,
                "served_on": c.served_on,
                "reconsideration_due": c.reconsideration_due,
            },
        )
    return c
