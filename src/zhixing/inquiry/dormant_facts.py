"""What the inquiry record shows about the 终本 precondition "network inquiry done" (终本规定 Arts 1(3), 3),
for the cases domain's `dormant_facts` signal: at least one network query of the case was answered.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max
from django.utils import timezone

from zhixing.cases.models import EnforcementCase

from .models import Action, InquiryRequest


def facts(sender: Any, case: EnforcementCase, **kwargs: Any) -> dict[str, tuple[bool, str]]:
    done = InquiryRequest.objects.filter(
        case_id=case.pk, action=Action.QUERY, status=InquiryRequest.Status.DONE
    ).aggregate(n=Count("id"), last=Max("completed_at"))
    if not done["n"]:
        return {"network_inquiry": (False, "尚无已反馈的网络查控查询")}
    last = timezone.localdate(done["last"]) if done["last"] else None
    return {"network_inquiry": (True, f"网络查控已反馈 {done['n']} 项（最近 {last}）")}
