"""Demo listings due for removal (失信规定 Art 10; docs/credit.md "Removal triggers") on the director's
supervision page, which the demo walk found empty in every court: in 天河 the applicant's written request
granted a week ago (the deletion past its 3 working days: red) and a settlement performed today (待删除),
each recorded by the judge through `record_trigger`, as the page's form does.

The periodic scan (every 15 minutes in a running demo) deletes confirmed triggers on its next pass, as it
would in a court: the rows show what a supervisor sees between the judge's record and the deletion."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from zhixing.core.errors import ServiceError

from .models import Listing
from .services.removal import record_trigger

# (trigger, days ago)
TRIGGERS = (("applicant_request", 8), ("settlement", 0))


def seed(judge: Any) -> int:
    """Returns how many triggers it recorded (0 when it ran before or the court has no plain listings)."""
    if judge is None or judge.court_id is None:
        return 0
    if (
        Listing.objects.filter(court_id=judge.court_id, status=Listing.Status.ACTIVE)
        .exclude(removal_due=None)
        .exists()
    ):
        return 0
    today = timezone.localdate()
    listings = list(
        # Art 10(1) triggers apply to ground 1 (the fixed-term grounds wait for their expiry); the oldest
        # plain ones (decided before the week-old trigger can be).
        Listing.objects.filter(court_id=judge.court_id, status=Listing.Status.ACTIVE, ground=1)
        .exclude(performance__startswith="部分履行")
        .order_by("pk")[: len(TRIGGERS) * 10]
    )
    made = 0
    for listing in listings:
        if made == len(TRIGGERS):
            break
        trigger, days = TRIGGERS[made]
        # the trigger cannot precede the listing (the demo's listings are often decided today: then the
        # week-old request is dated the decision day and the row is not yet overdue)
        on = max(today - timedelta(days=days), listing.decided_on)
        try:
            record_trigger(judge, listing, trigger=trigger, trigger_on=on)
        except ServiceError:
            continue
        made += 1
    return made
