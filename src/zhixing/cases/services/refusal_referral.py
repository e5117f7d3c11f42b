"""The referral of the refusal crime (拒执罪移送), with the digest of the evidence bundle sent."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from zhixing.core import audit
from zhixing.core.errors import ServiceError
from zhixing.courts.roles import Cap

from .. import coercion
from ..coercion import MeasureError, MeasureKind
from ..models import CoerciveMeasure, EnforcementCase, RefusalReferral
from .measure_checks import _debtor, _not_future, _require


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
