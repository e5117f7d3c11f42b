"""Reads of enforcement settlement agreements for other domains (the command center's alert sweep).

Court-scoped like every cases query: `reader` sees its own court and, from a higher court, the courts
below it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from zhixing.courts.queries import court_scope_q

from . import rules_settlement as rules
from .models import SettlementAgreement, SettlementResumeRequest
from .queries_payments import dated_payments

LIVE = (SettlementAgreement.Status.ACTIVE, SettlementAgreement.Status.BREACHED)
# What `summary` reads of each agreement, for a list of them.
PREFETCH = ("instalments", "resume_requests__party")


def matched(agreement: SettlementAgreement, today: date | None = None) -> list[rules.Matched]:
    """The agreement's instalments with the case's payments applied (see `rules_settlement.match`)."""
    today = today or timezone.localdate()
    dues = [rules.Due(i.seq, i.due_on, i.amount) for i in agreement.instalments.all()]
    payments = dated_payments([agreement.case_id])[agreement.case_id]
    return rules.match(dues, payments, agreement.signed_on, today)


def summary(a: SettlementAgreement, today: date | None = None) -> dict[str, Any]:
    """One agreement as the page and the API show it: matched instalments and what may be done next."""
    rows = matched(a, today)
    live = a.status in LIVE
    return {
        "id": a.pk,
        "parties": a.parties,
        "signed_on": a.signed_on,
        "document_ref": a.document_ref,
        "conditions": a.conditions,
        "suspended": a.suspended,
        "keep_controls": a.keep_controls,
        "status": a.status,
        "status_label": a.get_status_display(),
        "breached_on": a.breached_on,
        "ended_on": a.ended_on,
        "total": str(sum((m.amount for m in rows), Decimal("0")).quantize(rules.CENT)),
        "paid": str(sum((m.paid for m in rows), Decimal("0")).quantize(rules.CENT)),
        "instalments": [
            {
                "seq": m.seq,
                "due_on": m.due_on,
                "amount": str(m.amount),
                "paid": str(m.paid.quantize(rules.CENT)),
                "paid_on": m.paid_on,
                "state": m.state,
                "state_label": rules.STATE_LABELS[m.state],
            }
            for m in rows
        ],
        "may_resume": live and not rules.resume_refusal(rows),
        "may_close": live and rules.performed(rows),
        "resume_requests": [request_row(r) for r in a.resume_requests.all()],
        "check": rules.resume_refusal(rows) if live else "",
    }


def request_row(r: SettlementResumeRequest) -> dict[str, Any]:
    """One resume request as the judge's page, the API and the party portal show it."""
    return {
        "id": r.pk,
        "filed_on": r.filed_on,
        "party": r.party.name,
        "channel": r.channel,
        "grounds": r.grounds,
        "status": r.status,
        "status_label": r.get_status_display(),
        "decided_on": r.decided_on,
        "document_ref": r.document_ref,
        "reasons": r.reasons,
    }


def pending_requests(user: Any) -> Any:
    """Pending resume requests the user is to decide: the handling judge's own cases; a director's (or
    any other post that may resume) whole court. Oldest first."""
    court_id = getattr(user, "court_id", None)
    if court_id is None:
        return SettlementResumeRequest.objects.none()
    qs = SettlementResumeRequest.objects.filter(
        status=SettlementResumeRequest.Status.PENDING, case__court_id=court_id
    )
    if getattr(user, "role", "") == "judge":
        qs = qs.filter(case__handler=user)
    return qs.order_by("filed_on", "id")


def party_requests(case_id: int, party_id: int) -> list[SettlementResumeRequest]:
    """A party's own resume requests in a case, newest first (the party portal)."""
    return list(
        SettlementResumeRequest.objects.filter(case_id=case_id, party_id=party_id)
        .select_related("party", "agreement")
        .order_by("-id")[:20]
    )


@dataclass(frozen=True)
class MissedInstalment:
    """A breached agreement and its earliest missed instalment (for an alert)."""

    agreement: SettlementAgreement
    case: Any
    court: Any
    handler: Any
    seq: int
    due_on: date
    outstanding: Any


def missed_instalments(reader: Any, today: date, limit: int = 1000) -> list[MissedInstalment]:
    """Every breached agreement (marked by the sweep, not yet resumed or performed) in `reader`'s scope,
    with the instalment still missed on `today` (none if it was since paid: the breach stays recorded)."""
    rows = list(
        SettlementAgreement.objects.filter(court_scope_q(reader, "case__court"))
        .filter(status=SettlementAgreement.Status.BREACHED)
        .select_related("case", "case__court", "case__handler")
        .prefetch_related("instalments")
        .order_by("id")[:limit]
    )
    paid = dated_payments(a.case_id for a in rows)
    out = []
    for a in rows:
        dues = [rules.Due(i.seq, i.due_on, i.amount) for i in a.instalments.all()]
        missed = rules.ever_missed(rules.match(dues, paid[a.case_id], a.signed_on, today))
        if missed is None:
            continue
        out.append(
            MissedInstalment(
                a, a.case, a.case.court, a.case.handler, missed.seq, missed.due_on, missed.outstanding
            )
        )
    return out
