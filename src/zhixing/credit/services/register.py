"""The screening register: per-subject restriction masks over all cases, and its change log.

A subject (ID number or credit code) stays restricted while any listing or restriction of any case
is active and in force; its mask is recomputed from those rows after every change, so removing one
case's listing never frees a person another case still restricts.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Min
from django.utils import timezone

from ..models import ChangeEvent, Listing, PrivateConsumption, RestrictedSubject, Restriction
from ..rules import CODE_BITS, items_mask, mask_of


def exemptions(restriction_ids: list[int], today: date) -> dict[int, int]:
    """Screening bits each restriction's granted private/necessary consumption frees today.

    # rule: R-3.4.2
    限制消费规定 Arts 3(2), 8: an approved application lets the person consume (e.g. a medical flight)
    during the approved window; partners then answer "free" for those codes of that restriction only.
    """
    out: dict[int, int] = {}
    for rid, codes in PrivateConsumption.objects.filter(
        restriction_id__in=restriction_ids, granted=True, valid_from__lte=today, valid_until__gte=today
    ).values_list("restriction_id", "codes"):
        out[rid] = out.get(rid, 0) | mask_of([c for c in codes or [] if c in CODE_BITS])
    return out


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
    rows = list(
        Restriction.objects.filter(
            subject_key=subject_key,
            status=Restriction.Status.ACTIVE,
            effective_on__lte=today,
            awaiting_service=False,
        ).values_list("pk", "kind", "items", "effective_on")
    )
    freed = exemptions([r[0] for r in rows if r[1] == Restriction.Kind.CONSUMPTION], today)
    for pk, kind, items, eff in rows:
        if kind == Restriction.Kind.EXIT:
            mask |= CODE_BITS["exit"]
        else:
            mask |= items_mask(items) & ~freed.get(pk, 0)
        starts.append(eff)
    return mask, (min(starts) if starts else None)


def refresh_subject(subject_key: str, today: date | None = None) -> int:
    """Recompute the subject's mask; append a change event when it changed. Caller holds the transaction.

    The register row is locked *before* the mask is computed, so concurrent changes to the same person
    from different cases serialise on it and the last one sees every committed row (READ COMMITTED).
    """
    if not subject_key:
        return 0  # a bound person whose ID number is not recorded yet cannot be screened
    today = today or timezone.localdate()
    row, _ = RestrictedSubject.objects.get_or_create(subject_key=subject_key)
    row = RestrictedSubject.objects.select_for_update().get(pk=row.pk)
    mask, since = subject_mask(subject_key, today)
    old = row.mask
    if old != mask or row.since != since:
        row.mask, row.since = mask, since
        row.save(update_fields=["mask", "since"])
    if old != mask:
        ChangeEvent.objects.create(subject_key=subject_key, old_mask=old, new_mask=mask, at=timezone.now())
    return mask
