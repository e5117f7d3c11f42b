"""Which inquiry rounds the answers just applied completed, and the `round_completed` event for them."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from ..events import round_completed
from ..models import Action, InquiryRequest

S = InquiryRequest.Status
IN_FLIGHT = (S.AWAITING_APPROVAL, S.PENDING, S.SENDING, S.WAITING)
log = logging.getLogger("zhixing.inquiry.rounds")


def completed(request_ids: Iterable[int]) -> list[tuple[int, int]]:
    """(case, batch) of these query requests whose round has no query left in flight."""
    ids = list(request_ids)
    if not ids:
        return []
    pairs = set(
        InquiryRequest.objects.filter(
            pk__in=ids, action=Action.QUERY, batch__isnull=False, status__in=(S.DONE, S.FAILED)
        ).values_list("case_id", "batch_id")
    )
    if not pairs:
        return []
    busy = set(
        InquiryRequest.objects.filter(
            batch_id__in={b for _, b in pairs},
            case_id__in={c for c, _ in pairs},
            action=Action.QUERY,
            status__in=IN_FLIGHT,
        )
        .values_list("case_id", "batch_id")
        .distinct()
    )
    return sorted(pairs - busy)


def announce(request_ids: Iterable[int]) -> list[tuple[int, int]]:
    """Send `round_completed` for the rounds these answers completed (called where answers land)."""
    done = completed(request_ids)
    if done:
        for receiver, result in round_completed.send_robust(sender=InquiryRequest, rounds=done):
            if isinstance(result, Exception):  # the sweeps retry; the answers stay applied
                log.error("round_completed receiver %r failed: %r", receiver, result, exc_info=result)
    return done
