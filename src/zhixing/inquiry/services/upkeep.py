"""Periodic upkeep and decisions: release excess, triage after the first round (terms: `expiry.py`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases.models import CaseStatus, ClosingMode, EnforcementCase
from zhixing.core import audit
from zhixing.core.errors import NotPermitted, ServiceError

from .. import access, conf, queries, rules
from ..models import Action, Asset, CaseTriage, InquiryRequest
from .requests import kick, new_key


def _release_request(case: EnforcementCase, asset: Asset, amount: Decimal | None, why: str) -> InquiryRequest:
    key = new_key()
    return InquiryRequest.objects.create(
        case=case,
        court_id=case.court_id,
        party_id=asset.party_id,
        partner_id=asset.partner_id,
        action=Action.RELEASE,
        asset=asset,
        amount=amount,
        reason=why,
        status=InquiryRequest.Status.PENDING,
        idempotency_key=key,
        notice_number=f"{case.number}解{key[:8]}",
        due_at=timezone.now(),
        requested_by=None,  # the system releases; the audit record says why
    )


def release_excess(case: EnforcementCase) -> list[InquiryRequest]:
    """Release what exceeds the claim: everything once the case is performed, the surplus otherwise."""
    with transaction.atomic():
        case = EnforcementCase.objects.select_for_update().get(pk=case.pk)
        active = list(Asset.objects.filter(case=case, state__in=queries.ACTIVE_STATES))
        busy = set(
            InquiryRequest.objects.filter(case=case, status__in=queries.IN_FLIGHT).values_list(
                "asset_id", flat=True
            )
        )
        active = [a for a in active if a.pk not in busy]
        if not active:
            return []
        performed = case.status == CaseStatus.CLOSED and case.closing_mode == ClosingMode.PERFORMED
        outstanding = Decimal("0") if performed else queries.case_claim(case).outstanding
        excess = queries.controlled_total(case.pk) - outstanding
        held = [
            rules.Held(
                a.pk,
                a.frozen_amount if a.state == Asset.State.FROZEN else Decimal("0"),
                a.value if a.state != Asset.State.FROZEN else Decimal("0"),
            )
            for a in active
        ]
        plan = rules.plan_release(excess, held)
        if performed:  # nothing is needed any more: every control goes
            plan = [(a.pk, None) for a in active]
        by_id = {a.pk: a for a in active}
        why = "案件执行完毕，解除控制" if performed else "已控制财产超过剩余执行标的，解除超标的部分"
        made = [_release_request(case, by_id[pk], amount, why) for pk, amount in plan]
        if made:
            audit.record(
                None,
                "inquiry.release_excess",
                object_type="EnforcementCase",
                object_id=case.pk,
                case_id=case.pk,
                after={"excess": excess, "requests": [r.pk for r in made]},
            )
            kick()
    return made


def release_sweep(limit: int = 500) -> int:
    """Find cases closed as performed (or over-controlled) that still hold controls; release them."""
    case_ids = (
        Asset.objects.filter(state__in=queries.ACTIVE_STATES, case__status=CaseStatus.CLOSED)
        .values_list("case_id", flat=True)
        .distinct()[:limit]
    )
    made = 0
    for case in EnforcementCase.objects.filter(pk__in=list(case_ids)):
        made += len(release_excess(case))
    return made


def propose_triage(case: EnforcementCase) -> CaseTriage | None:
    """After the first round, propose a track (kept on inquiry's own model until cases has one)."""
    if not queries.first_round_done(case.pk):
        return None
    thresholds = rules.TriageThresholds(
        simple_claim_max=Decimal(str(conf.option("triage_simple_max"))),
        complex_claim_min=Decimal(str(conf.option("triage_complex_min"))),
    )
    track, reasons = rules.propose_triage(queries.findings(case), thresholds)
    with transaction.atomic():
        triage, created = CaseTriage.objects.get_or_create(
            case=case, defaults={"proposed": track, "reasons": reasons, "track": track}
        )
        if created:
            audit.record(
                None,
                "inquiry.triage.proposed",
                object_type="CaseTriage",
                object_id=triage.pk,
                case_id=case.pk,
                after={"track": track, "reasons": reasons},
            )
    return triage


def triage_sweep(limit: int = 500) -> int:
    ids = (
        InquiryRequest.objects.filter(action=Action.QUERY, status=InquiryRequest.Status.DONE)
        .exclude(case_id__in=CaseTriage.objects.values("case_id"))
        .values_list("case_id", flat=True)
        .distinct()[:limit]
    )
    n = 0
    for case in EnforcementCase.objects.filter(pk__in=list(ids)):
        n += propose_triage(case) is not None
    return n


def decide_triage(actor: Any, case: EnforcementCase, track: str, reason: str) -> CaseTriage:
    """The handler overrides (or confirms) the proposed track; a change needs a reason."""
    if not access.can_control(actor, case.court):
        raise NotPermitted("只有本院执行法官或局长可以确定繁简分流")
    if track not in CaseTriage.Track.values:
        raise ServiceError("请选择分流轨道", field="track")
    with transaction.atomic():
        triage = CaseTriage.objects.select_for_update().filter(case=case).first()
        if triage is None:
            raise ServiceError("首轮查控尚未完成，暂无分流建议", field="track")
        if track != triage.proposed and not reason.strip():
            raise ServiceError("调整分流建议须填写理由", field="reason")
        before = {"track": triage.track}
        triage.track, triage.override_reason, triage.decided_by = track, reason.strip()[:200], actor
        triage.save()
        audit.record(
            actor,
            "inquiry.triage.decided",
            object_type="CaseTriage",
            object_id=triage.pk,
            case_id=case.pk,
            before=before,
            after={"track": track, "reason": triage.override_reason},
        )
    return triage
