"""What happens to an approved coercive measure (强制措施): service, the review application, custody or
arrival, the family notice — each recorded and audited."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.holidays import current_calendar

from .. import coercion
from ..coercion import MeasureKind
from ..models import CoerciveMeasure
from .measure_checks import _approved, _aware, _not_future


# rule
def record_service(actor: Any, measure: CoerciveMeasure, *, served_on: date) -> CoerciveMeasure:
    """The fine or detention decision was served on `served_on`: the 3-day review period starts."""
    with transaction.atomic():
        m = _approved(actor, measure)
        if MeasureKind(m.kind) not in coercion.REVIEWABLE:
            raise Conflict("只有罚款、拘留决定书需要登记送达并计算复议期间")
        if m.served_on is not None:
            raise Conflict("决定书送达已登记")
        _not_future(served_on, "served_on")
        if m.decided_at is not None and served_on < timezone.localdate(m.decided_at):
            raise ServiceError("送达日期不能早于批准日期", field="served_on")
        m.served_on = served_on
        m.review_apply_by = coercion.review_apply_by(served_on, current_calendar())
        m.save(update_fields=["served_on", "review_apply_by"])
        audit.record(
            actor,
            "case.coercion.serve",
            object_type="CoerciveMeasure",
            object_id=m.pk,
            case_id=m.case_id,
            after={"served_on": served_on, "review_apply_by": m.review_apply_by},
            court=m.case.court,
        )
    return m


# rule
def record_review_application(actor: Any, measure: CoerciveMeasure, *, applied_on: date) -> CoerciveMeasure:
    """A 复议 applied for on `applied_on` (within the 3 days): the higher court's 5-day clock starts."""
    with transaction.atomic():
        m = _approved(actor, measure)
        if m.served_on is None or m.review_apply_by is None:
            raise Conflict("请先登记决定书送达")
        if m.review_applied_on is not None:
            raise Conflict("复议申请已登记（同一决定只能申请复议一次）")
        _not_future(applied_on, "applied_on")
        if applied_on < m.served_on:
            raise ServiceError("申请复议日期不能早于送达日期", field="applied_on")
        if applied_on > m.review_apply_by:
            raise ServiceError(
                f"复议申请已超过期限（{m.review_apply_by:%Y-%m-%d}届满，收到决定书之日起三日内）",
                field="applied_on",
            )
        m.review_applied_on = applied_on
        m.review_decide_by = coercion.review_decide_by(applied_on, current_calendar())
        m.save(update_fields=["review_applied_on", "review_decide_by"])
        audit.record(
            actor,
            "case.coercion.review",
            object_type="CoerciveMeasure",
            object_id=m.pk,
            case_id=m.case_id,
            after={"applied_on": applied_on, "review_decide_by": m.review_decide_by},
            court=m.case.court,
        )
    return m


# rule
def record_start(actor: Any, measure: CoerciveMeasure, *, started_at: datetime) -> CoerciveMeasure:
    """Custody began (detention → family notice due in 24 hours) or the summoned person arrived
    (summons → questioning ends by the granted hours)."""
    with transaction.atomic():
        m = _approved(actor, measure)
        kind = MeasureKind(m.kind)
        if kind not in (MeasureKind.DETENTION, MeasureKind.SUMMONS):
            raise Conflict("只有拘留、拘传需要登记执行开始时间")
        if m.started_at is not None:
            raise Conflict("执行开始时间已登记")
        started_at = _aware(started_at)
        if started_at > timezone.now():
            raise ServiceError("开始时间不能晚于现在", field="started_at")
        m.started_at = started_at
        if kind is MeasureKind.DETENTION:
            m.family_notice_due = coercion.family_notice_due(started_at)
        else:
            m.ends_at = coercion.summons_ends_at(started_at, m.hours or coercion.SUMMONS_HOURS)
        m.save(update_fields=["started_at", "family_notice_due", "ends_at"])
        audit.record(
            actor,
            "case.coercion.start",
            object_type="CoerciveMeasure",
            object_id=m.pk,
            case_id=m.case_id,
            after={"started_at": started_at, "family_notice_due": m.family_notice_due, "ends_at": m.ends_at},
            court=m.case.court,
        )
    return m


# rule
def record_family_notice(actor: Any, measure: CoerciveMeasure, *, notified_at: datetime) -> CoerciveMeasure:
    """The detainee's family was told at `notified_at` (late after 24 hours is recorded, and shown)."""
    with transaction.atomic():
        m = _approved(actor, measure)
        if m.kind != MeasureKind.DETENTION or m.started_at is None:
            raise Conflict("请先登记拘留开始时间")
        if m.family_notified_at is not None:
            raise Conflict("通知家属已登记")
        notified_at = _aware(notified_at)
        if notified_at > timezone.now() or notified_at < m.started_at:
            raise ServiceError("通知时间须在拘留开始之后、现在之前", field="notified_at")
        m.family_notified_at = notified_at
        m.save(update_fields=["family_notified_at"])
        audit.record(
            actor,
            "case.coercion.family_notice",
            object_type="CoerciveMeasure",
            object_id=m.pk,
            case_id=m.case_id,
            after={"notified_at": notified_at, "late": notified_at > (m.family_notice_due or notified_at)},
            court=m.case.court,
        )
    return m
