"""Reads for issue 14 items 7 and 9: a case's Art 8 notices, credit repairs, legal-representative changes,
and the "paid after listing" figures read from the case payments (`cases.queries_payments`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from zhixing.cases import queries_payments
from zhixing.cases.models import EnforcementCase, Party
from zhixing.courts.queries import court_scope_q

from . import rules
from .models import CreditRepair, DebtorProfile, LegalRepChange, Listing, ListingNotice, NoticeRecipient

NOTICE_BADGES = {"queued": "yellow", "sent": "yellow", "acknowledged": "green", "failed": "red"}


@dataclass
class DebtorRepair:
    party: Party
    profile: DebtorProfile | None
    notices: list[ListingNotice] = field(default_factory=list)
    repairs: list[CreditRepair] = field(default_factory=list)
    changes: list[LegalRepChange] = field(default_factory=list)
    listings: list[Listing] = field(default_factory=list)  # repairable: active or deleted, newest first
    relist_barred_until: date | None = None


def case_notices(case_id: int) -> list[ListingNotice]:
    rows = list(
        ListingNotice.objects.filter(listing__case_id=case_id)
        .select_related("recipient", "listing")
        .order_by("listing_id", "pk")
    )
    for n in rows:
        n.badge = NOTICE_BADGES.get(n.status, "")  # type: ignore[attr-defined]
    return rows


def case_repairs(case_id: int) -> list[CreditRepair]:
    return list(
        CreditRepair.objects.filter(listing__case_id=case_id).select_related("listing").order_by("-pk")
    )


def case_context(case: EnforcementCase) -> dict[str, Any]:
    """What the case's credit page shows of items 7 and 9, per debtor."""
    debtors = list(case.parties.filter(role=Party.Role.DEBTOR).order_by("id"))
    profiles = {
        p.party_id: p
        for p in DebtorProfile.objects.filter(party__in=debtors).select_related("employer", "superior")
    }
    notices, repairs = case_notices(case.pk), case_repairs(case.pk)
    changes = list(
        LegalRepChange.objects.filter(case=case).select_related("imposed", "lifted").order_by("-pk")
    )
    listings = list(
        Listing.objects.filter(case=case)
        .exclude(status=Listing.Status.REVOKED)
        .order_by("-decided_on", "-pk")
    )
    today = timezone.localdate()
    rows = []
    for p in debtors:
        mine = [x for x in listings if x.party_id == p.pk]
        barred = [
            rules.relisting_barred_until(x.removal_trigger, x.removed_on)
            for x in mine
            if x.status == Listing.Status.REMOVED
        ]
        until = max((d for d in barred if d is not None and d >= today), default=None)
        rows.append(
            DebtorRepair(
                party=p,
                profile=profiles.get(p.pk),
                notices=[n for n in notices if n.listing.party_id == p.pk],
                repairs=[r for r in repairs if r.listing.party_id == p.pk],
                changes=[c for c in changes if c.party_id == p.pk],
                listings=mine,
                relist_barred_until=until,
            )
        )
    recipients = list(NoticeRecipient.objects.filter(active=True).order_by("kind", "name"))
    return {
        "repair_debtors": rows,
        "employers": [r for r in recipients if r.kind == NoticeRecipient.Kind.EMPLOYER],
        "superiors": [r for r in recipients if r.kind == NoticeRecipient.Kind.SUPERIOR],
        "unit_natures": list(rules.UNIT_NATURES.items()),
        "repair_conditions": list(rules.REPAIR_CONDITIONS.items()),
    }


def get_repair(user: Any, pk: int) -> CreditRepair | None:
    """A credit repair of a case the user may read, or None."""
    from zhixing.cases.queries import get_case

    r = (
        CreditRepair.objects.select_related("listing__case", "listing__court", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if r is None or get_case(user, r.listing.case_id) is None:
        return None
    return r


# -- statistics ---------------------------------------------------------------------------------------
def paid_after_listing(user: Any) -> dict[str, Any]:
    """Listings (in the user's scope) on whose case money was performed on or after the decision day:
    how many, how many then performed in full, and the sum performed after listing — from the dated
    payments, not from the closing mode."""
    rows = list(Listing.objects.filter(court_scope_q(user)).values_list("case_id", "decided_on"))
    cases = sorted({c for c, _ in rows})
    payments = queries_payments.dated_payments(cases) if cases else {}
    owed = queries_payments.obligations(cases) if cases else {}
    count = full = 0
    amount = Decimal("0")
    for case_id, decided_on in rows:
        after = rules.paid_since(payments.get(case_id, []), decided_on)
        if after > 0:
            count += 1
            amount += after
            if (
                rules.performance_status(owed.get(case_id, Decimal("0")), rules.paid_total(payments[case_id]))
                == "full"
            ):
                full += 1
    return {
        "paid_after_listing": count,
        "paid_in_full_after_listing": full,
        "paid_after_listing_amount": amount,
    }


def repair_policy_text() -> str:
    conf = getattr(settings, "ZHIXING_CREDIT_REPAIR", {})
    return "；".join(f"{k}={v}" for k, v in sorted(conf.items()))
