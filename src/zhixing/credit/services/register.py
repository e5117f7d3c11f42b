"""The screening register: per-subject restriction masks over all cases, and its change log.

A subject (ID number or credit code) stays restricted while any listing or restriction of any case
is active and in force; its mask is recomputed from those rows after every change, so removing one
case's listing never frees a person another case still restricts.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Min
from django.utils import timezone

from ..models import ChangeEvent, Listing, RestrictedSubject, Restriction
from ..rules import CODE_BITS, items_mask


def subject_mask(subject_key: str, today: date) -> tuple[int, date | None]:
    """OR of every active, published listing and in-force restriction of the subject; earliest start."""
    mask = 0
    starts: list[date] = []
    listings = Listing.objects.filter(
        subject_key=subject_key, status=Listing.Status.ACTIVE, publish_on__lte=today
    )
    first = listings.aggregate(m=Min("publish_on"))["m"]
    if first is not None:
        mask |= CODE_BITS["blacklist"]
        starts.append(first)
    for kind, items, eff in Restriction.objects.filter(
        subject_key=subject_key, status=Restriction.Status.ACTIVE, effective_on__lte=today
    ).values_list("kind", "items", "effective_on"):
        mask |= CODE_BITS["exit"] if kind == Restriction.Kind.EXIT else items_mask(items)
        starts.append(eff)
    return mask, (min(starts) if starts else None)


def refresh_subject(subject_key: str, today: date | None = None) -> int:
    """Recompute the subject's mask and append a change event. Caller holds the transaction.

    Callers call it after a change to the subject's measures; the event tells every worker's screening
    index and detail cache (credit/gateway.py) to read the subject again.

    The register row is locked *before* the mask is computed, so concurrent changes to the same person
    from different cases serialise on it and the last one sees every committed row (READ COMMITTED).
    """
    today = today or timezone.localdate()
    row, _ = RestrictedSubject.objects.get_or_create(subject_key=subject_key)
    row = RestrictedSubject.objects.select_for_update().get(pk=row.pk)
    mask, since = subject_mask(subject_key, today)
    old = row.mask
    if old != mask or row.since != since:
        row.mask, row.since = mask, since
        row.save(update_fields=["mask", "since"])
    # Also when the mask stays: a measure of the subject changed (another case restricts or releases it,
    # a listing was corrected), so the screening gateway's cached court and case details of this subject
    # are stale. The index applies the same mask; partners' feeds skip it (nothing visible changed).
    ChangeEvent.objects.create(subject_key=subject_key, old_mask=old, new_mask=mask, at=timezone.now())
    return mask
