"""Inquiry history: how many network-inquiry rounds of a case came back empty (read only).

Used by the credit domain for 失信规定 Art 10(1)(4): after 终本, once the network enforcement system
has been searched at least twice without finding property, the dishonest-list entry is deleted.

A *round* is one inquiry batch (一键查控 or 集中查控): every query request sent to the partner
institutions for the case in that batch. Query requests without a batch are grouped by the day they
were sent. A round is *empty* when it is finished (no request still pending, sending or waiting), at
least one institution answered, and no answer found any asset (the answer's `found` count is 0 for
every request; pure information answers such as household registration are not property). A round
with a request still in flight is not counted yet; a round whose every request failed is not an
inquiry at all. The round's date is the day its last answer arrived.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from .models import Action, InquiryRequest

S = InquiryRequest.Status
_IN_FLIGHT = {S.AWAITING_APPROVAL, S.PENDING, S.SENDING, S.WAITING}


@dataclass
class _Round:
    started: date
    finished: date | None = None
    answered: int = 0
    found: int = 0
    open: bool = False


# rule
def empty_round_dates(
    case_ids: Iterable[int], since: Mapping[int, date] | None = None
) -> dict[int, list[date]]:
    """For each case, the completion dates of its empty inquiry rounds, oldest first.

    `since` (case id -> date) keeps only rounds started after that day, e.g. the 终本 closing date: the
    rounds that led to 终本 do not count towards deletion. Cases with no empty round are omitted.
    """
    ids = list(case_ids)
    if not ids:
        return {}
    since = since or {}
    rounds: dict[tuple[int, object], _Round] = {}
    rows = (
        InquiryRequest.objects.filter(case_id__in=ids, action=Action.QUERY)
        .order_by()
        .values_list("case_id", "batch_id", "status", "outcome", "created_at", "completed_at")
    )
    for case_id, batch_id, status, outcome, created_at, completed_at in rows:
        started = timezone.localdate(created_at)
        floor = since.get(case_id)
        if floor is not None and started <= floor:
            continue
        key = (case_id, batch_id if batch_id is not None else started)
        r = rounds.setdefault(key, _Round(started))
        if status in _IN_FLIGHT:
            r.open = True
        elif status == S.DONE:
            r.answered += 1
            r.found += int((outcome or {}).get("found") or 0)
            done = timezone.localdate(completed_at) if completed_at else started
            r.finished = max(r.finished or done, done)
    out: dict[int, list[date]] = {}
    for (case_id, _), r in rounds.items():
        if not r.open and r.answered and not r.found and r.finished is not None:
            out.setdefault(case_id, []).append(r.finished)
    return {k: sorted(v) for k, v in out.items()}


def empty_rounds(case_ids: Iterable[int], since: Mapping[int, date] | None = None) -> dict[int, int]:
    """Number of empty inquiry rounds per case (see `empty_round_dates`); cases with none are omitted."""
    return {k: len(v) for k, v in empty_round_dates(case_ids, since).items()}
