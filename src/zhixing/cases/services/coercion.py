"""Coercive measures (强制措施) and the refusal-crime referral (拒执罪移送): every write, audited.

* `propose_measure` — the handling team proposes a fine, detention, summons by force or search against a
  debtor of its own court's case; the quantity is checked against its statutory limit (`coercion`).
* `decide_measure` — the court president of the case's court approves (the measure's document — fine or
  detention decision, 拘传票, 搜查令 — is generated through `zhixing.documents` in the same step) or refuses.
* `record_service` — the decision served: the 3-day review (复议) clock starts.
* `record_review_application` — a review applied for: refused after the 3 days; the 5-day clock starts.
* `record_start` — custody began (detention: the 24-hour family-notice clock) or the summoned person
  arrived (the 8 / 24-hour questioning limit).
* `record_family_notice` — the detainee's family told.
* `refer_refusal` — the referral of the refusal crime, with the evidence bundle's digest.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Cap
from zhixing.documents import services as documents

from .. import coercion
from ..coercion import MeasureError, MeasureKind
from ..models import CoerciveMeasure, EnforcementCase, Party, RefusalReferral

__all__ = [
    "decide_measure",
    "propose_measure",
    "record_family_notice",
    "record_review_application",
    "record_service",
    "record_start",
    "refer_refusal",
]

ACT_MAX = 500
DOCUMENT_KIND = {
    MeasureKind.FINE: "fine_decision",
    MeasureKind.DETENTION: "detention_decision",
    MeasureKind.SUMMONS: "summons_warrant",
    MeasureKind.SEARCH: "search_warrant",
}


def _require(actor: Any, case: EnforcementCase, cap: str) -> None:
    if not can_write_court(actor, case.court):
        raise NotPermitted("只能办理本院案件；上级法院只能查看")
    if not actor.can(cap):
        raise NotPermitted(f"您的岗位无权{Cap(cap).label}")


def _debtor(case: EnforcementCase, party_id: int | None) -> Party:
    p = Party.objects.filter(case_id=case.pk, role=Party.Role.DEBTOR, pk=party_id or 0).first()
    if p is None:
        raise ServiceError("请选择本案的被执行人", field="party")
    return p


def _snap(m: CoerciveMeasure) -> dict[str, Any]:
    return {
        "kind": m.kind,
        "party": m.party_id,
        "person": m.person_name,
        "amount": m.amount,
        "days": m.days,
        "hours": m.hours,
        "status": m.status,
    }


# rule
def propose_measure(
    actor: Any,
    case: EnforcementCase,
    *,
    kind: str,
    party_id: int | None,
    act: str,
    amount: str = "",
    days: str = "",
    hours: str = "",
    complex_case: bool = False,
    custody: str = "",
    place: str = "",
    person_name: str = "",
) -> CoerciveMeasure:
    """Propose one coercive measure; over-limit input raises ServiceError naming the field, nothing saved."""
    _require(actor, case, Cap.COERCION_PROPOSE)
    if not case.is_open:
        raise Conflict(f"案件已结案（{case.get_status_display()}），不能采取强制措施")
    party = _debtor(case, party_id)
    act = (act or "").strip()
    if not act:
        raise ServiceError("请填写妨害执行的事实", field="act")
    if len(act) > ACT_MAX:
        raise ServiceError(f"妨害执行的事实不能超过{ACT_MAX}字", field="act")
    person_name = (person_name or "").strip()[:64]
    # A unit's legal representative or responsible person is summoned (or searched) by name; a fine or
    # detention is decided on the party itself, so its 决定书 names the party (a unit is fined as a unit).
    if kind in (MeasureKind.FINE, MeasureKind.DETENTION):
        person_name = ""
    unit = party.kind == Party.Kind.ORGANISATION and not person_name
    try:
        checked = coercion.check_measure(
            kind, unit=unit, amount=amount, days=days, hours=hours, complex_case=complex_case
        )
    except MeasureError as exc:
        raise ServiceError(exc.message, field=exc.field) from exc
    if checked.kind is MeasureKind.DETENTION and not (custody or "").strip():
        raise ServiceError("请填写看管被拘留人的公安机关", field="custody")
    if checked.kind is MeasureKind.SEARCH and not (place or "").strip():
        raise ServiceError("请填写搜查地点", field="place")
    with transaction.atomic():
        m = CoerciveMeasure.objects.create(
            case=case,
            court_id=case.court_id,
            party=party,
            person_name=person_name,
            kind=checked.kind.value,
            act=act,
            amount=checked.amount,
            days=checked.days,
            hours=checked.hours,
            complex_case=bool(complex_case) and checked.kind is MeasureKind.SUMMONS,
            custody=(custody or "").strip()[:128] if checked.kind is MeasureKind.DETENTION else "",
            place=(place or "").strip()[:200] if checked.kind is MeasureKind.SEARCH else "",
            proposed_by=actor,
        )
        audit.record(
            actor,
            "case.coercion.propose",
            object_type="CoerciveMeasure",
            object_id=m.pk,
            case_id=case.pk,
            after=_snap(m),
            court=case.court,
        )
    return m


def _lock(m: CoerciveMeasure) -> CoerciveMeasure:
    return (
        CoerciveMeasure.objects.select_for_update(of=("self",))
        .select_related("case__court", "party")
        .get(pk=m.pk)
    )


# rule
def decide_measure(actor: Any, measure: CoerciveMeasure, *, approve: bool, note: str = "") -> CoerciveMeasure:
    """The court president approves or refuses; approval makes the measure's document: the 决定书 of a
    fine or detention, the 拘传票 of a summons by force, the 搜查令 of a search."""
    with transaction.atomic():
        m = _lock(measure)
        _require(actor, m.case, Cap.COERCION_APPROVE)
        if m.status != CoerciveMeasure.Status.PROPOSED:
            raise Conflict(f"该措施已{m.get_status_display()}，不能再次审批")
        note = (note or "").strip()
        if not approve and not note:
            raise ServiceError("不予批准的，请填写审批意见", field="note")
        before = m.status
        m.status = CoerciveMeasure.Status.APPROVED if approve else CoerciveMeasure.Status.REFUSED
        m.decided_by, m.decided_at, m.decision_note = actor, timezone.now(), note[:300]
        code = DOCUMENT_KIND.get(MeasureKind(m.kind))
        if approve and code:
            inputs = {"act": m.act}
            if m.kind == MeasureKind.FINE:
                inputs["amount"] = str(m.amount)
            elif m.kind == MeasureKind.DETENTION:
                inputs.update(days=str(m.days), custody=m.custody)
            elif m.kind == MeasureKind.SUMMONS:
                unit = m.party.kind == Party.Kind.ORGANISATION
                inputs.update(person=m.person_name if unit else "", hours=str(m.hours))
            else:
                inputs["place"] = m.place
            # The president signs; the kind's own capability (case work) is the team's, so the batch
            # generator is called without its capability check, after the approval check above.
            docs = documents.generate_many(
                actor, [documents.Request(m.case, code, str(m.party_id), inputs)], check=False
            )
            if not docs:
                raise ServiceError("无法生成决定书：案件信息不全", field="kind")
            m.document_id = docs[0].pk
        m.save()
        audit.record(
            actor,
            "case.coercion.approve" if approve else "case.coercion.refuse",
            object_type="CoerciveMeasure",
            object_id=m.pk,
            case_id=m.case_id,
            before={"status": before},
            after={"status": m.status, "note": m.decision_note, "document": m.document_id},
            court=m.case.court,
        )
    return m


def _approved(actor: Any, measure: CoerciveMeasure) -> CoerciveMeasure:
    m = _lock(measure)
    _require(actor, m.case, Cap.COERCION_PROPOSE)
    if m.status != CoerciveMeasure.Status.APPROVED:
        raise Conflict("该措施尚未经院长批准")
    return m


def _aware(moment: datetime) -> datetime:
    """A moment given without a zone is the court's local time (Asia/Shanghai)."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _not_future(d: date, field: str) -> None:
    if d > timezone.localdate():
        raise ServiceError("日期不能晚于今天", field=field)


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


# rule
def refer_refusal(
    actor: Any,
    case: EnforcementCase,
    *,
    party_id: int | None,
    situations: list[str],
    facts: str,
    receiver: str,
    referred_on: date,
    evidence_sha256: str,
    evidence_files: list[str],
) -> RefusalReferral:
    """Record the referral of the refusal crime with the digest of the evidence bundle sent."""
    _require(actor, case, Cap.COERCION_PROPOSE)
    party = _debtor(case, party_id)
    sanctioned = CoerciveMeasure.objects.filter(
        case_id=case.pk,
        party=party,
        kind__in=(MeasureKind.FINE, MeasureKind.DETENTION),
        status=CoerciveMeasure.Status.APPROVED,
    ).exists()
    try:
        chosen = coercion.check_situations(list(situations or []), sanctioned=sanctioned)
    except MeasureError as exc:
        raise ServiceError(exc.message, field=exc.field) from exc
    facts, receiver = (facts or "").strip(), (receiver or "").strip()
    if not facts:
        raise ServiceError("请填写拒不执行的主要事实", field="facts")
    if len(facts) > 1000:
        raise ServiceError("主要事实不能超过1000字", field="facts")
    if not receiver:
        raise ServiceError("请填写移送的公安机关", field="receiver")
    _not_future(referred_on, "referred_on")
    with transaction.atomic():
        r = RefusalReferral.objects.create(
            case=case,
            court_id=case.court_id,
            party=party,
            situations=[s.code for s in chosen],
            facts=facts,
            receiver=receiver[:128],
            referred_on=referred_on,
            evidence_sha256=evidence_sha256,
            evidence_files=evidence_files,
            referred_by=actor,
        )
        audit.record(
            actor,
            "case.refusal.refer",
            object_type="RefusalReferral",
            object_id=r.pk,
            case_id=case.pk,
            after={
                "party": party.pk,
                "situations": r.situations,
                "receiver": r.receiver,
                "on": referred_on,
                "evidence": evidence_sha256,
            },
            court=case.court,
        )
    return r
