"""Correction applications after the decision (失信规定 Arts 11–12): 复议 and every kind of correction.

The enforcing court reviews a correction application within 15 days (`corrections.file_correction`,
`corrections.decide_correction`). An upheld application is carried out here for each Art 11 ground: a
listing that should not have been made is revoked (Art 9), one that should have been deleted is deleted
(Art 10), inaccurate published information is corrected item by item (Art 6) and the Art 8 recipients
are told the corrected items. A rejected applicant may ask the next-higher court for 复议 within 10 days
of service (`corrections.record_correction_service`); that court decides within 15 days of receiving it
and is the only court that may record the decision. Enforcement is not suspended meanwhile.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.core.identity import IdentityError, check_credit_code, check_resident_id
from zhixing.courts.models import Court

from .. import rules
from ..models import Correction, Listing
from ..names import pinyin_key, simplified
from .access import _can, require_write
from .notices import queue_listing_notices
from .register import refresh_subject
from .removal import remove_listing

DELETE_TRIGGERS = tuple(
    t for t in rules.REMOVAL_TRIGGERS if t not in ("wrongful", "expired", "case_cancelled")
)


def higher_court(court: Court) -> Court | None:
    return court.parent


def may_review(user: Any, correction: Correction) -> bool:
    """The user sits in the next-higher court of the enforcing court and takes credit decisions."""
    from zhixing.courts.roles import Cap

    parent_id = correction.listing.court.parent_id
    return (
        parent_id is not None
        and getattr(user, "court_id", None) == parent_id
        and _can(user, Cap.CREDIT_DECIDE)
    )


def _require_review(user: Any, correction: Correction) -> None:
    if not may_review(user, correction):
        raise NotPermitted("纠正申请的复议由作出决定的执行法院的上一级法院审查决定")


def _day(value: date | None, field: str, label: str, not_before: date | None) -> date:
    if value is None:
        raise ServiceError(f"请填写{label}", field=field)
    if value > timezone.localdate():
        raise ServiceError(f"{label}不能晚于今天", field=field)
    if not_before is not None and value < not_before:
        raise ServiceError(f"{label}不能早于{not_before:%Y-%m-%d}", field=field)
    return value


def _locked(correction: Correction) -> Correction:
    return (
        Correction.objects.select_for_update(of=("self",))
        .select_related("listing__court")
        .get(pk=correction.pk)
    )


def file_correction_reconsideration(
    actor: Any, correction: Correction, *, filed_on: date | None
) -> Correction:
    """The next-higher court records a 复议 application received within 10 days of the rejection."""
    _require_review(actor, correction)
    with transaction.atomic():
        c = _locked(correction)
        if c.status != Correction.Status.REJECTED or c.higher_result:
            raise Conflict("只有被驳回且尚未复议的纠正申请可以申请复议", field="correction")
        filed_on = _day(filed_on, "filed_on", "收到复议申请日期", c.decided_on)
        if c.reconsideration_due is not None and filed_on > c.reconsideration_due:
            raise ServiceError(
                f"已超过10日复议期限（截止{c.reconsideration_due:%Y-%m-%d}），不能登记复议申请",
                field="filed_on",
            )
        c.status = Correction.Status.RECONSIDERING
        c.reconsideration_filed_on = filed_on
        c.review_court = c.listing.court.parent
        c.higher_review_due = rules.correction_higher_review_due(filed_on, current_calendar())
        c.save(update_fields=["status", "reconsideration_filed_on", "review_court", "higher_review_due"])
        audit.record(
            actor,
            "credit.correction_reconsideration",
            object_type="Correction",
            object_id=c.pk,
            case_id=c.listing.case_id,
            after={"filed_on": filed_on, "higher_review_due": c.higher_review_due},
        )
    return c


def decide_correction_reconsideration(
    actor: Any, correction: Correction, *, result: str, decided_on: date | None = None
) -> Correction:
    """The next-higher court decides: uphold the rejection, or revoke it (corrected in 3 working days)."""
    _require_review(actor, correction)
    if result not in Correction.HigherResult.values:
        raise ServiceError("请选择复议结果（维持或撤销）", field="result")
    with transaction.atomic():
        c = _locked(correction)
        if c.status != Correction.Status.RECONSIDERING:
            raise Conflict("该纠正申请没有待决定的复议", field="correction")
        decided_on = _day(
            decided_on or timezone.localdate(), "decided_on", "复议决定日期", c.reconsideration_filed_on
        )
        c.higher_result, c.higher_decided_on = result, decided_on
        if result == Correction.HigherResult.REVOKED:
            c.status = Correction.Status.UPHELD
            c.fix_due = rules.correction_fix_due(decided_on, current_calendar())
        else:
            c.status = Correction.Status.REJECTED
        c.save(update_fields=["higher_result", "higher_decided_on", "status", "fix_due"])
        audit.record(
            actor,
            "credit.correction_review",
            object_type="Correction",
            object_id=c.pk,
            case_id=c.listing.case_id,
            after={"result": result, "decided_on": decided_on, "status": c.status, "fix_due": c.fix_due},
        )
    return c


def _clean_changes(listing: Listing, changes: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, raw in changes.items():
        if name not in rules.CORRECTABLE_FIELDS:
            raise ServiceError("该项不是公布的失信信息", field=name)
        value = (raw or "").strip()
        current = getattr(listing, name)
        if name == "age":
            if value == "":
                continue
            if not (value.isascii() and value.isdigit()) or len(value) > 3 or int(value) > 150:
                raise ServiceError("年龄应为整数", field="age")
            new: Any = int(value)
        elif name == "subject_key":
            try:
                if listing.kind == "person":
                    new = check_resident_id(value, timezone.localdate()).number
                else:
                    new = check_credit_code(value)
            except IdentityError as exc:
                raise ServiceError(str(exc), field="subject_key") from None
        else:
            if name in ("name", "dishonest_act", "obligation") and not value:
                raise ServiceError(f"请填写{rules.CORRECTABLE_FIELDS[name]}", field=name)
            new = value[: getattr(Listing._meta.get_field(name), "max_length", None) or 300]
        if new != current:
            out[name] = new
    return out


def apply_correction(
    actor: Any, correction: Correction, *, changes: dict[str, str] | None = None, trigger: str = ""
) -> Correction:
    """Carry out an upheld correction application according to its Art 11 ground.

    should_not_list → the listing is revoked (Art 9); should_delete → deleted with the Art 10 `trigger`;
    inaccurate → the published items in `changes` are corrected (at least one must change).
    """
    listing = correction.listing
    require_write(actor, listing.court)
    today = timezone.localdate()
    with transaction.atomic():
        c = _locked(correction)
        if c.status != Correction.Status.UPHELD:
            raise Conflict("纠正申请尚未审查成立", field="correction")
        if c.ground == Correction.Ground.SHOULD_NOT_LIST:
            remove_listing(actor, listing, trigger="wrongful", note=f"纠正申请理由成立：{c.detail}")
            after: dict[str, Any] = {"status": "revoked"}
            before: dict[str, Any] = {}
        elif c.ground == Correction.Ground.SHOULD_DELETE:
            if trigger not in DELETE_TRIGGERS:
                raise ServiceError("请选择应予删除的事由（失信规定第10条）", field="trigger")
            remove_listing(actor, listing, trigger=trigger, note=f"纠正申请理由成立：{c.detail}")
            after, before = {"status": "removed", "trigger": trigger}, {}
        else:
            locked = Listing.objects.select_for_update().get(pk=listing.pk)
            fixed = _clean_changes(locked, changes or {})
            if not fixed:
                raise ServiceError("请填写需要更正的信息", field="changes")
            before = {k: getattr(locked, k) for k in fixed}
            for k, v in fixed.items():
                setattr(locked, k, v)
            fields = list(fixed)
            if "name" in fixed:
                locked.name_key, locked.name_pinyin = simplified(locked.name), pinyin_key(locked.name)
                fields += ["name_key", "name_pinyin"]
            locked.save(update_fields=fields)
            if "subject_key" in fixed:
                refresh_subject(before["subject_key"], today)
                refresh_subject(locked.subject_key, today)
            # 失信规定 Art 8: the recipients told of the listing hold the inaccurate items; they are told the
            # corrected ones (and the ID they know it under, when the ID itself was corrected).
            queue_listing_notices(
                actor, locked, "updated", cause="correction", previous_id=before.get("subject_key", "")
            )
            after = dict(fixed)
        c.status, c.fixed_on = Correction.Status.CORRECTED, today
        c.save(update_fields=["status", "fixed_on"])
        audit.record(
            actor,
            "credit.correction_apply",
            object_type="Listing",
            object_id=listing.pk,
            case_id=listing.case_id,
            before=before,
            after={**after, "correction": c.pk},
        )
    return c
