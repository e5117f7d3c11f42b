"""What the credit record shows about two 终本 preconditions (终本规定 Art 1(2)), for the cases domain's
`dormant_facts` signal: a consumption restriction issued, and the debtor listed as dishonest.

A restriction issued and later lifted still counts (the order was made); only an active listing counts,
because a listing revoked as wrongful was never "done where required". A measure a 执恢 case carried
over (`services.carry_over`) still answers for the original it was taken in (`carried_from`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from zhixing.cases.models import EnforcementCase

from .models import Listing, Restriction


def facts(sender: Any, case: EnforcementCase, **kwargs: Any) -> dict[str, tuple[bool, str]]:
    taken_here = Q(case_id=case.pk) | Q(carried_from_id=case.pk)
    restrictions = list(
        Restriction.objects.filter(taken_here, kind=Restriction.Kind.CONSUMPTION)
        .order_by("id")
        .values_list("ordered_on", flat=True)[:1]
    )
    listings = list(
        Listing.objects.filter(taken_here, status=Listing.Status.ACTIVE)
        .order_by("id")
        .values_list("decided_on", flat=True)[:1]
    )
    return {
        "consumption_restriction": (
            bool(restrictions),
            f"限制消费令 {restrictions[0]} 发出" if restrictions else "系统中没有本案的限制消费令",
        ),
        "listing": (
            bool(listings),
            f"{listings[0]} 纳入失信被执行人名单" if listings else "系统中没有本案在册的失信名单",
        ),
    }
