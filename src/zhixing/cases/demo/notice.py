"""Demo enforcement notices (issue 15): in 粤0106, one notice made and waiting for service, one served on the
filing day (its period run out). The credit demos serve a notice before every listing or restriction."""

from __future__ import annotations

from django.utils import timezone

from zhixing.core.errors import ServiceError

from ..models import CaseStatus, EnforcementCase, EnforcementNotice
from ..services import issue_and_serve_notice, issue_notice


def seed_notice_demo() -> int:
    """Returns how many notices it made (0 when it ran before or there is no open 粤0106 case)."""
    cases = list(
        EnforcementCase.objects.filter(court__code="粤0106", status=CaseStatus.IN_PROGRESS)
        .filter(handler__isnull=False, handler__is_active=True)
        .exclude(pk__in=EnforcementNotice.objects.values("case_id"))
        .select_related("court", "handler")
        .order_by("-pk")[:2]
    )
    made = 0
    for i, case in enumerate(cases):
        try:
            if i == 0:
                issue_notice(case.handler, case, on=timezone.localdate())  # made, waiting for service
            else:
                issue_and_serve_notice(case.handler, case, on=case.filed_on)
        except ServiceError:
            continue
        made += 1
    return made
