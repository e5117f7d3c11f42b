"""Reads of the credit domain: the case's credit page, supervision, statistics, public search, screening.

Public search lives in `queries_public`, the screening reads in `queries_screening`; both are re-exported
here under their old names.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from zhixing.cases.models import EnforcementCase, Party
from zhixing.courts.queries import court_scope_q

from . import rules
from .models import (
    Correction,
    Interception,
    Listing,
    ListingApplication,
    PrivateConsumption,
    Restriction,
)
from .queries_public import MAX_QUERY_CHARS as MAX_QUERY_CHARS
from .queries_public import MIN_NAME_CHARS as MIN_NAME_CHARS
from .queries_public import PUBLIC_LIMIT as PUBLIC_LIMIT
from .queries_public import PublicQuery as PublicQuery
from .queries_public import QueryTooBroad as QueryTooBroad
from .queries_public import exposure_board as exposure_board
from .queries_public import parse_public_query as parse_public_query
from .queries_public import public_search as public_search
from .queries_public import published as published
from .queries_screening import change_feed as change_feed
from .queries_screening import changed_subjects as changed_subjects
from .queries_screening import current_index as current_index
from .queries_screening import index_at as index_at
from .queries_screening import log_cursor_sql as log_cursor_sql
from .queries_screening import reset_index as reset_index
from .queries_screening import subject_details as subject_details
from .queries_screening import subjects_with_measures as subjects_with_measures


# -- the case's credit page ------------------------------------------------------------------------------
@dataclass
class DebtorCredit:
    party: Party
    listing: Listing | None
    restrictions: list[Restriction]
    history: list[Listing]
    notices: list[Any] = dataclasses.field(default_factory=list)  # its exposure notices (the view fills)


def case_credit(case: EnforcementCase) -> dict[str, Any]:
    debtors = list(case.parties.filter(role=Party.Role.DEBTOR).order_by("id"))
    listings = list(
        Listing.objects.filter(case=case)
        .select_related("carried_from")
        .order_by("-decided_on", "-pk")
        .prefetch_related("corrections")
    )
    restrictions = list(
        Restriction.objects.filter(case=case)
        .select_related("carried_from")
        .prefetch_related("private_applications", "border_notices__partner")
        .order_by("-ordered_on", "pk")
    )
    today = timezone.localdate()
    for r in restrictions:
        r.exit_badge, r.exit_text = exit_stage(r, today)  # type: ignore[attr-defined]
    rows = []
    for p in debtors:
        mine = [x for x in listings if x.party_id == p.pk]
        active = next((x for x in mine if x.status == Listing.Status.ACTIVE), None)
        rows.append(DebtorCredit(p, active, [r for r in restrictions if r.party_id == p.pk], mine))
    counts = Interception.objects.filter(case=case).values("code").annotate(n=Count("id")).order_by("code")
    return {
        "debtors": rows,
        "applications": list(ListingApplication.objects.filter(case=case).order_by("-received_on")),
        "interceptions": [(rules.CODE_LABELS[c["code"]], c["n"]) for c in counts],
        "leads": list(Interception.objects.filter(case=case).select_related("partner").order_by("-at")[:20]),
        "carried_to": carried_to(case),
    }


def carried_to(case: EnforcementCase) -> list[EnforcementCase]:
    """The 执恢 cases that carried this case's listings or restrictions (`services.carry_over`)."""
    ids = set(Listing.objects.filter(carried_from=case).values_list("case_id", flat=True))
    ids |= set(Restriction.objects.filter(carried_from=case).values_list("case_id", flat=True))
    return list(EnforcementCase.objects.filter(pk__in=ids).order_by("id"))


# -- supervision and statistics ----------------------------------------------------------------------
def supervision_rows(user: Any, today: date | None = None) -> dict[str, list[Any]]:
    today = today or timezone.localdate()
    scope = court_scope_q(user)
    due = (
        Listing.objects.filter(scope, status=Listing.Status.ACTIVE, removal_due__isnull=False)
        .select_related("case", "court")
        .order_by("removal_due")[:200]
    )
    apps = (
        ListingApplication.objects.filter(status=ListingApplication.Status.PENDING)
        .filter(court_scope_q(user, "case__court"))
        .select_related("case")
        .order_by("decision_due")[:200]
    )
    corrections = (
        Correction.objects.filter(
            status__in=[Correction.Status.PENDING, Correction.Status.UPHELD, Correction.Status.RECONSIDERING]
        )
        .filter(court_scope_q(user, "listing__court"))
        .select_related("listing__case")
        .order_by("review_due")[:200]
    )
    # Exit restrictions whose 复议 is pending before the higher court (15 days, 执行异议复议规定 Art 9).
    reviews = (
        Restriction.objects.filter(
            scope, kind=Restriction.Kind.EXIT, reconsideration_filed_on__isnull=False, review_result=""
        )
        .select_related("case", "court")
        .order_by("review_due")[:200]
    )
    return {
        "removals": [(x, x.removal_due is not None and x.removal_due < today) for x in due],
        "applications": [(a, a.decision_due < today) for a in apps],
        "corrections": [
            (c, rules.correction_overdue(c.status, c.review_due, c.fix_due, c.higher_review_due, today))
            for c in corrections
        ],
        "exit_reviews": [(r, r.review_due is not None and r.review_due < today) for r in reviews],
    }


def exit_stage(r: Restriction, today: date) -> tuple[str, str]:
    """Where an exit restriction's 复议 stands, as (badge colour, text) for the case page."""
    if r.kind != Restriction.Kind.EXIT:
        return "", ""
    if r.review_result:
        return "", f"复议结果：{r.get_review_result_display()}（{r.reviewed_on:%Y-%m-%d}）"
    if r.review_due is not None:
        if r.review_due < today:
            return "red", f"复议已超期未审结（应于{r.review_due:%Y-%m-%d}前审结）"
        return "yellow", f"复议审查中，应于{r.review_due:%Y-%m-%d}前审结"
    if r.reconsideration_due is None:
        return "yellow", "决定书未登记送达，复议期限未起算"
    if r.reconsideration_due >= today:
        return "yellow", f"复议期内，截止{r.reconsideration_due:%Y-%m-%d}"
    return "", f"复议期限已于{r.reconsideration_due:%Y-%m-%d}届满，未申请复议"


def statistics(user: Any) -> dict[str, Any]:
    scope = court_scope_q(user)
    listed = Listing.objects.filter(scope)
    # Debtors who paid after being listed: read from the case's dated payments (issue 14 item 9).
    from .queries_repair import paid_after_listing

    paid = paid_after_listing(user)
    by_partner = (
        Interception.objects.filter(court_scope_q(user, "case__court"))
        .values("partner__kind")
        .annotate(n=Count("id"))
        .order_by("partner__kind")
    )
    return {
        "listed": listed.count(),
        "active": listed.filter(status=Listing.Status.ACTIVE).count(),
        "removed": listed.exclude(status=Listing.Status.ACTIVE).count(),
        "restrictions": Restriction.objects.filter(scope, status=Restriction.Status.ACTIVE).count(),
        **paid,
        "interceptions": [
            (dict(_partner_kinds()).get(r["partner__kind"], r["partner__kind"]), r["n"]) for r in by_partner
        ],
    }


def _partner_kinds() -> list[tuple[str, str]]:
    from .models import Partner

    return list(Partner.Kind.choices)


# -- for ability-to-pay analysis (analytics) -------------------------------------------------------------
def _subject_keys(party: Party) -> set[str]:
    """The party's ID number and credit code as restrictions name their subject (`subject_key`)."""
    return {k.strip().upper() for k in (party.id_number, party.credit_code) if k and k.strip()}


def _binding(parties: Sequence[Party], prefix: str = "") -> tuple[Q, Any]:
    """The filter of the restrictions binding any of `parties` (`prefix`: the path to the restriction)
    and a function naming the parties (ids) one of them binds: its debtor's, and every party whose ID
    number or credit code is its subject (限制消费规定 Art 1: the order binds the person, not one case)."""
    ids = {p.pk for p in parties}
    by_key: dict[str, list[int]] = {}
    for p in parties:
        for key in _subject_keys(p):
            by_key.setdefault(key, []).append(p.pk)
    match = Q(**{f"{prefix}party_id__in": sorted(ids), f"{prefix}bound": Restriction.Bound.DEBTOR})
    if by_key:
        match |= Q(**{f"{prefix}subject_key__in": sorted(by_key)})

    def bound(party_id: int, kind: str, key: str | None) -> set[int]:
        out = {party_id} if party_id in ids and kind == Restriction.Bound.DEBTOR else set()
        return out.union(by_key.get(key or "", ()))

    return match, bound


def consumption_restriction_periods(party: Party) -> list[tuple[date, date | None]]:
    """(start, end or None while in force) of every consumption restriction binding this debtor
    (`consumption_restriction_periods_of` for one party)."""
    return consumption_restriction_periods_of([party])[party.pk]


def consumption_restriction_periods_of(parties: Sequence[Party]) -> dict[int, list[tuple[date, date | None]]]:
    """Per party id, (start, end or None while in force) of every consumption restriction binding it,
    for many parties with one query.

    Matches the restrictions of the party (as the debtor itself) and any restriction, in any case or
    court, whose subject is the party's ID number or credit code (限制消费规定 Art 1: the order binds
    the person, not one case). A restriction starts on `effective_on` (after any grace period) and
    ends on `lifted_on`; one still active has no end. Sorted by start; read-only.
    """
    match, bound = _binding(parties)
    rows = (
        Restriction.objects.filter(match, kind=Restriction.Kind.CONSUMPTION, awaiting_service=False)
        .order_by("effective_on", "pk")
        .values_list("party_id", "bound", "subject_key", "effective_on", "status", "lifted_on")
    )
    out: dict[int, list[tuple[date, date | None]]] = {p.pk: [] for p in parties}
    for party_id, kind, key, start, status, lifted in rows:
        for pk in bound(party_id, kind, key):
            out[pk].append((start, (lifted or start) if status == Restriction.Status.LIFTED else None))
    return out


def consumption_permissions(party: Party) -> list[tuple[date, date, list[str], str]]:
    """(first day, last day, screening codes, purpose) of every granted private / necessary consumption
    window on a consumption restriction binding this debtor (`consumption_permissions_of` for one)."""
    return consumption_permissions_of([party])[party.pk]


def consumption_permissions_of(
    parties: Sequence[Party],
) -> dict[int, list[tuple[date, date, list[str], str]]]:
    """Per party id, (first day, last day, screening codes, purpose) of every granted private /
    necessary consumption window on a consumption restriction binding it (the same restrictions as
    `consumption_restriction_periods_of`), for many parties with one query. 限制消费规定 Arts 3(2), 8:
    consumption the court approved for that window is no violation. Applications granted without codes
    or a window are not listed (the judge weighs them). Sorted by first day; read-only.

    # rule: R-3.4.2
    """
    match, bound = _binding(parties, "restriction__")
    rows = (
        PrivateConsumption.objects.filter(
            match,
            restriction__kind=Restriction.Kind.CONSUMPTION,
            granted=True,
            valid_from__isnull=False,
            valid_until__isnull=False,
        )
        .exclude(codes=[])
        .order_by("valid_from", "pk")
        .values_list(
            "restriction__party_id",
            "restriction__bound",
            "restriction__subject_key",
            "valid_from",
            "valid_until",
            "codes",
            "purpose",
        )
    )
    out: dict[int, list[tuple[date, date, list[str], str]]] = {p.pk: [] for p in parties}
    for party_id, kind, key, start, end, codes, purpose in rows:
        if start is None or end is None:
            continue
        for pk in bound(party_id, kind, key):
            out[pk].append((start, end, list(codes or []), purpose))
    return out


def case_restrictions(case_id: int, kind: str) -> list[Restriction]:
    """Active restrictions of one kind ("consumption" or "exit") in a case, every debtor and bound person."""
    return list(
        Restriction.objects.filter(case_id=case_id, kind=kind, status=Restriction.Status.ACTIVE).order_by(
            "id"
        )
    )


def case_listings(case_id: int) -> list[Listing]:
    """Active dishonest listings of a case."""
    return list(Listing.objects.filter(case_id=case_id, status=Listing.Status.ACTIVE).order_by("id"))


def cases_with_measures(case_ids: list[int]) -> set[int]:
    """Which of these cases hold an active restriction or listing (one query)."""
    restricted = Restriction.objects.filter(case_id__in=case_ids, status=Restriction.Status.ACTIVE)
    listed = Listing.objects.filter(case_id__in=case_ids, status=Listing.Status.ACTIVE)
    return set(restricted.values_list("case_id", flat=True).union(listed.values_list("case_id", flat=True)))
