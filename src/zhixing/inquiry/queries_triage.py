"""Reads for triage (繁简分流): the facts a proposal is made of, the case's triage, flags, the queue."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum

from zhixing.cases import queries as case_queries
from zhixing.cases.models import OPEN_STATUSES, EnforcementCase, Node, Party
from zhixing.courts.queries import court_scope_q

from . import conf, queries, rules_triage
from .models import Action, Asset, CaseTriage, InquiryRequest, TriageFlag

S = InquiryRequest.Status
TRACK_TERM_PREFIX = "track_"  # cases.services.tracks: the term node type of a track is "track_<track>"


def config() -> rules_triage.TriageConfig:
    return rules_triage.TriageConfig(
        simple_claim_max=Decimal(str(conf.option("triage_simple_max"))),
        complex_claim_min=Decimal(str(conf.option("triage_complex_min"))),
        mass_parties_min=int(conf.option("triage_mass_parties")),
        empty_rounds=int(conf.option("triage_empty_rounds")),
        after_notice=bool(conf.option("triage_after_notice")),
        act_obligations=frozenset(conf.option("triage_act_obligations")),
    )


def answered_rounds(case_id: int) -> int:
    """Inquiry rounds (batches) of the case with no query in flight and at least one answer."""
    rows = (
        InquiryRequest.objects.filter(case_id=case_id, action=Action.QUERY, batch__isnull=False)
        .values("batch_id")
        .annotate(
            busy=Count("pk", filter=Q(status__in=queries.IN_FLIGHT)),
            done=Count("pk", filter=Q(status=S.DONE)),
        )
    )
    return sum(1 for r in rows if r["busy"] == 0 and r["done"] > 0)


def active_flags(case_id: int) -> list[TriageFlag]:
    return list(
        TriageFlag.objects.filter(case_id=case_id, cleared_at__isnull=True)
        .select_related("set_by", "set_by_court")
        .order_by("id")
    )


def facts(case: EnforcementCase) -> rules_triage.Facts:
    assets = Asset.objects.filter(case=case).exclude(state=Asset.State.CLOSED).exclude(kind=Asset.Kind.INFO)
    sums = assets.aggregate(
        liquid=Sum("value", filter=Q(kind=Asset.Kind.ACCOUNT)),
        frozen=Sum("frozen_amount"),
        deducted=Sum("deducted_amount"),
        items=Count("pk", filter=~Q(kind=Asset.Kind.ACCOUNT)),
    )
    notice = any(
        n.node_type.code == "notice" and n.status == Node.Status.DONE for n in case_queries.case_nodes(case)
    )
    return rules_triage.Facts(
        rounds=answered_rounds(case.pk),
        notice_done=notice,
        obligation=case.obligation,
        outstanding=queries.case_claim(case).outstanding,
        liquid=sums["liquid"] or Decimal("0"),
        secured=(sums["frozen"] or Decimal("0")) + (sums["deducted"] or Decimal("0")),
        property_items=sums["items"] or 0,
        parties=Party.objects.filter(case=case).count(),
        flags=frozenset(f.kind for f in active_flags(case.pk)),
    )


def triage_of(case: EnforcementCase) -> CaseTriage | None:
    return CaseTriage.objects.filter(case=case).select_related("decided_by").first()


@dataclass
class CaseView:
    """What the case's triage section shows."""

    triage: CaseTriage | None
    flags: list[TriageFlag]
    term: Node | None  # the running (or last) internal term of the decided track
    history: list[TriageFlag] = field(default_factory=list)  # cleared flags


def case_view(case: EnforcementCase) -> CaseView:
    term = next(
        (
            n
            for n in reversed(case_queries.case_nodes(case))
            if n.node_type.code.startswith(TRACK_TERM_PREFIX) and n.status != Node.Status.CANCELLED
        ),
        None,
    )
    cleared = list(
        TriageFlag.objects.filter(case=case, cleared_at__isnull=False)
        .select_related("set_by", "cleared_by")
        .order_by("-cleared_at")[:20]
    )
    return CaseView(triage_of(case), active_flags(case.pk), term, cleared)


def queue(user: Any, limit: int = 200) -> QuerySet[CaseTriage]:
    """Proposals awaiting the bureau's decision: the user's court and the courts below it, oldest first."""
    return (
        CaseTriage.objects.filter(court_scope_q(user), status=CaseTriage.Status.PROPOSED)
        .select_related("case", "case__handler", "case__team", "court")
        .order_by("evaluated_at", "id")[:limit]
    )


def state_counts(user: Any) -> dict[str, int]:
    rows = CaseTriage.objects.filter(court_scope_q(user)).values("status").annotate(n=Count("pk"))
    return {r["status"]: r["n"] for r in rows}


def sweep_candidates(limit: int) -> list[int]:
    """Open cases whose triage may be stale: an answer newer than the last evaluation (or none yet), a
    proposal still waiting for its conditions, or an act-performance case never evaluated."""
    open_statuses = OPEN_STATUSES
    last = CaseTriage.objects.filter(case_id=OuterRef("case_id")).values("evaluated_at")[:1]
    answered = list(
        InquiryRequest.objects.filter(action=Action.QUERY, status=S.DONE, case__status__in=open_statuses)
        .annotate(last=Subquery(last))
        .filter(Q(last__isnull=True) | Q(completed_at__gt=F("last")))
        .values_list("case_id", flat=True)
        .distinct()[:limit]
    )
    ids = list(dict.fromkeys(answered))
    if len(ids) < limit:
        ids += [
            pk
            for pk in CaseTriage.objects.filter(
                status=CaseTriage.Status.WAITING, case__status__in=open_statuses
            )
            .order_by("evaluated_at")
            .values_list("case_id", flat=True)[: limit - len(ids)]
            if pk not in ids
        ]
    if len(ids) < limit:
        ids += list(
            EnforcementCase.objects.filter(status__in=open_statuses)
            .exclude(obligation="money")
            .exclude(pk__in=CaseTriage.objects.values("case_id"))
            .exclude(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)[: limit - len(ids)]
        )
    return ids
