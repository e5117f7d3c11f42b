"""Demo correction applications (失信规定 Arts 11–12) in each state, on 天河's active listings.

One overdue application the court has not reviewed in 15 days (red), one upheld and waiting to be
corrected, one rejected whose 复议 is before 广州中院, one rejected whose decision is not yet served (no 复议
period runs). Run by ``credit_demo`` (``seed_demo``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core.errors import ServiceError
from zhixing.courts.models import Staff
from zhixing.courts.roles import Cap

from .models import Correction, Listing
from .services import decide_correction, file_correction, file_correction_reconsideration

PLANS = (
    ("overdue", Correction.Ground.INACCURATE, "公布的年龄与身份证记载不符", 20),
    ("upheld", Correction.Ground.SHOULD_DELETE, "执行和解协议已履行完毕，失信信息应予删除", 3),
    ("reconsidering", Correction.Ground.SHOULD_NOT_LIST, "已提供足额担保，不应纳入失信名单", 2),
    ("unserved", Correction.Ground.INACCURATE, "公布的性别有误", 1),
)


def _reviewer(listing: Listing) -> Any:
    if listing.court.parent_id is None:
        return None
    for s in Staff.objects.filter(court_id=listing.court.parent_id, is_active=True).order_by("pk"):
        if s.can(Cap.CREDIT_DECIDE):
            return s
    return None


def seed(judge: Any) -> int:
    if judge is None or Correction.objects.exists():
        return 0
    today = timezone.localdate()
    listings = list(
        Listing.objects.filter(court=judge.court, status=Listing.Status.ACTIVE)
        .select_related("court")
        .order_by("pk")[: len(PLANS)]
    )
    made = 0
    for listing, (plan, ground, detail, days) in zip(listings, PLANS, strict=False):
        try:
            with transaction.atomic():
                c = file_correction(
                    judge, listing, ground=ground, detail=detail, received_on=today - timedelta(days=days)
                )
                if plan == "upheld":
                    decide_correction(judge, c, upheld=True)
                elif plan == "unserved":
                    decide_correction(judge, c, upheld=False)
                elif plan == "reconsidering":
                    reviewer = _reviewer(listing)
                    c = decide_correction(judge, c, upheld=False, served_on=today)
                    if reviewer is not None:
                        file_correction_reconsideration(reviewer, c, filed_on=today)
        except ServiceError:
            continue
        made += 1
    return made
