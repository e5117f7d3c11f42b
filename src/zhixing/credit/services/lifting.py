"""Lifting a consumption or exit restriction (限制消费规定 Art 9; 执行程序解释 Art 25): one, or a case's."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.holidays import current_calendar

from .. import rules
from ..models import Listing, Restriction
from . import border
from .access import require_write
from .register import refresh_subject

LIFT_TRIGGERS: dict[str, str] = {
    "performed": "被执行人已履行全部义务（应当解除）",
    "guarantee": "被执行人提供确实有效的担保",
    "applicant_consent": "申请执行人同意解除",
    "personnel_change": "原法定代表人等证明不再是实际控制人或直接责任人员",
    "listing_removed": "失信名单已删除",
    "case_ended": "案件以终结执行、不予执行、驳回申请或销案方式结案，执行程序已结束",
    "reconsideration": "上一级人民法院复议撤销限制出境决定",
    "other": "其他依法应当解除的情形",
}
# 执行程序解释 Art 25: an exit restriction must be lifted on full performance and may be lifted on a
# sufficient guarantee or the applicant's consent; the higher court's 复议 may revoke it. It is not tied
# to the dishonest list (a removed listing leaves it in force) nor to a unit's personnel change.
# rule
# rule
EXIT_LIFT_TRIGGERS = ("performed", "guarantee", "applicant_consent", "reconsideration", "case_ended", "other")


def _lift(actor: Any, rows: list[Restriction], trigger: str, note: str, trigger_on: date) -> None:
    today = timezone.localdate()
    due = rules.removal_due(trigger_on, current_calendar())
    for r in rows:
        r.status, r.lift_trigger, r.trigger_on, r.lift_due, r.lifted_on = (
            Restriction.Status.LIFTED,
            trigger,
            trigger_on,
            due,
            today,
        )
        r.lift_note = note[:200]
        r.save(update_fields=["status", "lift_trigger", "trigger_on", "lift_due", "lifted_on", "lift_note"])
    for key in {r.subject_key for r in rows}:
        refresh_subject(key, today)
    border.queue([r for r in rows if r.kind == Restriction.Kind.EXIT], "lift")


def lift_restriction(
    actor: Any, restriction: Restriction, *, trigger: str, note: str = "", trigger_on: date | None = None
) -> Restriction:
    """Lift one restriction (限制消费规定 Art 9; 执行程序解释 Art 25); other cases' restrictions stay."""
    require_write(actor, restriction.court)
    if restriction.status != Restriction.Status.ACTIVE:
        raise Conflict("该限制措施已解除", field="restriction")
    if trigger not in LIFT_TRIGGERS:
        raise ServiceError("请选择解除事由", field="trigger")
    if restriction.kind == Restriction.Kind.EXIT and trigger not in EXIT_LIFT_TRIGGERS:
        raise ServiceError(
            "限制出境只能因履行完毕、提供充分担保、申请执行人同意或复议撤销而解除（执行程序解释第25条）",
            field="trigger",
        )
    if restriction.kind == Restriction.Kind.CONSUMPTION and trigger == "reconsideration":
        raise ServiceError("复议撤销仅适用于限制出境", field="trigger")
    listing_active = (
        restriction.listing_id is not None
        and Listing.objects.filter(pk=restriction.listing_id, status=Listing.Status.ACTIVE).exists()
    )
    if message := rules.listed_lift_refusal(restriction.kind, listing_active, trigger):  # rule
        raise Conflict(message, field="trigger")
    today = timezone.localdate()
    trigger_on = trigger_on or today
    if trigger_on > today:
        raise ServiceError("解除事由发生日不能晚于今天", field="trigger_on")
    with transaction.atomic():
        locked = Restriction.objects.select_for_update().get(pk=restriction.pk)
        if locked.status != Restriction.Status.ACTIVE:
            raise Conflict("该限制措施已解除", field="restriction")
        _lift(actor, [locked], trigger, note, trigger_on)
        audit.record(
            actor,
            "credit.lift",
            object_type="Restriction",
            object_id=locked.pk,
            case_id=locked.case_id,
            before={"status": "active"},
            after={"status": "lifted", "trigger": trigger, "note": note},
        )
    return locked


def lift_case_restrictions(
    actor: Any,
    case_id: int,
    party_id: int | None,
    trigger: str,
    trigger_on: date,
    kinds: tuple[str, ...] = (),
) -> int:
    """Lift every active restriction of a debtor (every debtor if `party_id` is None) in one case, of the
    given kinds (all kinds if empty). Caller holds the transaction. A person another case restricts
    stays restricted: the screening register is rebuilt from every case's active rows."""
    qs = Restriction.objects.select_for_update().filter(case_id=case_id, status=Restriction.Status.ACTIVE)
    if party_id is not None:
        qs = qs.filter(party_id=party_id)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    rows = list(qs)
    if rows:
        _lift(actor, rows, trigger, LIFT_TRIGGERS.get(trigger, ""), trigger_on)
        audit.record(
            actor,
            "credit.lift",
            object_type="Restriction",
            object_id=party_id if party_id is not None else case_id,
            case_id=case_id,
            after={"lifted": [r.pk for r in rows], "trigger": trigger},
        )
    return len(rows)
