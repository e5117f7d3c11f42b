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

The records after approval live in `measure_records`, the referral in `refusal_referral`, the shared
checks in `measure_checks`; the public names are re-exported here.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, ServiceError
from zhixing.courts.roles import Cap
from zhixing.documents import services as documents

from .. import coercion
from ..coercion import MeasureError, MeasureKind
from ..models import CoerciveMeasure, EnforcementCase, Party
from .measure_checks import _debtor, _lock, _require, _snap
from .measure_records import record_family_notice, record_review_application, record_service, record_start
from .refusal_referral import refer_refusal

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
