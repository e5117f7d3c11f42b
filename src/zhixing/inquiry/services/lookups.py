"""Audited reads: looking at a case's asset register, and exporting the inquiry log.

Every look-up of a person's property is audited (DESIGN invariant 2, "data iron cage"), but a page
refresh is not a new look-up: a user's views of one case's register are audited once per local day
(the first view writes a `RegisterView` marker and the audit record in one transaction; the marker's
unique key makes concurrent first views write one record). Further views that day only read.

Every export is audited: who, what, with which filter, how many rows.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhixing.cases.models import EnforcementCase
from zhixing.core import audit

from ..models import RegisterView


def record_register_view(actor: Any, case: EnforcementCase, channel: str = "web") -> bool:
    """Audit the user's look at the case's register once per day; True if this was the day's first."""
    day = timezone.localdate()
    marker = RegisterView.objects.filter(actor=actor, case=case, day=day)
    if marker.exists():  # a refresh: a GET that only reads
        return False
    with transaction.atomic():
        try:
            with transaction.atomic():
                RegisterView.objects.create(actor=actor, case=case, day=day, channel=channel)
        except IntegrityError:  # a concurrent first view of the same user, case and day won
            return False
        audit.record(
            actor,
            "inquiry.view.register",
            object_type="EnforcementCase",
            object_id=case.pk,
            case_id=case.pk,
            court=case.court,
            after={"via": channel, "day": day},
        )
    return True


def record_export(
    actor: Any,
    what: str,
    *,
    filters: dict[str, Any],
    rows: int,
    capped: bool = False,
    case: EnforcementCase | None = None,
) -> None:
    """One audit record per export (the log, a notice): who, what, the filter, the row count.

    A case's document goes on the case's chain; the log (many cases) on the exporting user's court's.
    """
    with transaction.atomic():
        audit.record(
            actor,
            "inquiry.export",
            object_type="EnforcementCase" if case else "InquiryRequest",
            object_id=case.pk if case else "",
            case_id=case.pk if case else None,
            court=case.court if case else actor.court,
            after={"what": what, "filter": filters, "rows": rows, "capped": capped},
        )
