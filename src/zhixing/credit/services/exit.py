"""The exit restriction's 复议 (执行异议复议规定 Art 9): service, application, the higher court's decision.

Deadlines are computed, never typed: the restricted person may apply to the next-higher court within
10 days of receiving the decision; that court decides within 15 days of receiving the application; a
period ending on a rest day runs to the next working day (CPL-2021 Art 85). The restriction stays in
force while the 复议 is pending (复议期间不停止执行). A revocation lifts the restriction at once.
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
from ..models import Restriction
from .access import require_write
from .restrictions import LIFT_TRIGGERS, _lift

REVIEW_RESULTS = {"upheld": "驳回复议申请，维持限制出境", "revoked": "撤销限制出境决定"}


def _locked_exit(restriction: Restriction) -> Restriction:
    locked = Restriction.objects.select_for_update().get(pk=restriction.pk)
    if locked.kind != Restriction.Kind.EXIT:
        raise ServiceError("只有限制出境决定可以申请复议", field="restriction")
    return locked


def _check_day(value: date | None, field: str, label: str, not_before: date, floor_label: str) -> date:
    if value is None:
        raise ServiceError(f"请填写{label}", field=field)
    if value > timezone.localdate():
        raise ServiceError(f"{label}不能晚于今天", field=field)
    if value < not_before:
        raise ServiceError(f"{label}不能早于{floor_label}（{not_before:%Y-%m-%d}）", field=field)
    return value


def record_exit_service(
    actor: Any, restriction: Restriction, *, served_on: date | None, method: str = "personal"
) -> Restriction:
    """Record how and when the decision was served; the 10-day 复议 period runs from the day service took
    effect (`rules.service_periods`: service by publication is deemed made 30 days later)."""
    require_write(actor, restriction.court)
    if method not in rules.SERVICE_METHODS:
        raise ServiceError("请选择送达方式", field="method")
    served_on = _check_day(served_on, "served_on", "送达日期", restriction.ordered_on, "决定日期")
    periods = rules.service_periods("exit", method, served_on, 0, restriction.ordered_on, current_calendar())
    with transaction.atomic():
        locked = _locked_exit(restriction)
        if locked.served_on is not None:
            raise Conflict("已登记送达日期", field="served_on")
        locked.served_on, locked.service_method = periods.served_on, method
        locked.reconsideration_due = periods.reconsideration_due
        locked.save(update_fields=["served_on", "service_method", "reconsideration_due"])
        audit.record(
            actor,
            "credit.exit_served",
            object_type="Restriction",
            object_id=locked.pk,
            case_id=locked.case_id,
            after={
                "method": method,
                "on": served_on,
                "served_on": locked.served_on,
                "reconsideration_due": locked.reconsideration_due,
            },
        )
    return locked


def file_exit_reconsideration(actor: Any, restriction: Restriction, *, filed_on: date | None) -> Restriction:
    """Record a 复议 application received within the 10 days; the higher court's decision is due in 15."""
    require_write(actor, restriction.court)
    with transaction.atomic():
        locked = _locked_exit(restriction)
        if locked.served_on is None or locked.reconsideration_due is None:
            raise Conflict("请先登记限制出境决定书的送达日期", field="served_on")
        if locked.reconsideration_filed_on is not None:
            raise Conflict("已登记复议申请", field="filed_on")
        if locked.status != Restriction.Status.ACTIVE:
            raise Conflict("限制出境已解除，无需复议", field="restriction")
        filed_on = _check_day(filed_on, "filed_on", "收到复议申请日期", locked.served_on, "送达日期")
        if filed_on > locked.reconsideration_due:
            raise ServiceError(
                f"已超过10日复议期限（截止{locked.reconsideration_due:%Y-%m-%d}），不能登记复议申请",
                field="filed_on",
            )
        locked.reconsideration_filed_on = filed_on
        locked.review_due = rules.exit_review_due(filed_on, current_calendar())
        locked.save(update_fields=["reconsideration_filed_on", "review_due"])
        audit.record(
            actor,
            "credit.exit_reconsideration",
            object_type="Restriction",
            object_id=locked.pk,
            case_id=locked.case_id,
            after={"filed_on": filed_on, "review_due": locked.review_due},
        )
    return locked


def decide_exit_reconsideration(
    actor: Any, restriction: Restriction, *, result: str, decided_on: date | None
) -> Restriction:
    """Record the higher court's 复议 decision; a revocation lifts the exit restriction at once."""
    require_write(actor, restriction.court)
    if result not in REVIEW_RESULTS:
        raise ServiceError("请选择复议结果（维持或撤销）", field="result")
    with transaction.atomic():
        locked = _locked_exit(restriction)
        if locked.reconsideration_filed_on is None:
            raise Conflict("尚未登记复议申请", field="filed_on")
        if locked.review_result:
            raise Conflict("已登记复议结果", field="result")
        decided_on = _check_day(
            decided_on, "decided_on", "复议决定日期", locked.reconsideration_filed_on, "收到复议申请日期"
        )
        locked.review_result, locked.reviewed_on = result, decided_on
        locked.save(update_fields=["review_result", "reviewed_on"])
        if result == "revoked" and locked.status == Restriction.Status.ACTIVE:
            _lift(actor, [locked], "reconsideration", LIFT_TRIGGERS["reconsideration"], decided_on)
        audit.record(
            actor,
            "credit.exit_review",
            object_type="Restriction",
            object_id=locked.pk,
            case_id=locked.case_id,
            after={"result": result, "decided_on": decided_on, "status": locked.status},
        )
    return locked
