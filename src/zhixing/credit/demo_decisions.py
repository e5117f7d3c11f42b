"""Demo credit decisions signed by the court president (ADR 0015) and an exit ban reaching border control.

On 天河 (the demo judge th_judge1's cases, signed by th_president): one listing proposal waiting for the
president (his worklist shows it), one listing approved and served (its 限制消费令 bound from service),
one 限制消费令 approved and waiting to be served, and one exit restriction whose control notice the
border-control partner (广东出入境边防检查总站, `BORDER-GD` of the sandbox) has received. Run by
``credit_demo_decisions`` (``seed_demo``); a second run adds nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases.models import CaseStatus, EnforcementCase, Party
from zhixing.cases.services import issue_and_serve_notice
from zhixing.core.errors import ServiceError
from zhixing.courts.models import Staff
from zhixing.partners.sandbox.holdings import partner_secret

from .models import BorderNotice, Listing, Partner, Proposal, Restriction
from .services import ListingData, approval, border, create_partner, record_exit_service, restrict_exit

BORDER_CODE = "BORDER-GD"


def _debtors(judge: Any, n: int) -> list[tuple[EnforcementCase, Party]]:
    """Person debtors of the court's open cases (adults), those with no credit measure yet first, the
    judge's own first; a candidate the decision refuses (already listed, restricted …) is skipped."""
    busy = set(Restriction.objects.values_list("case_id", flat=True)) | set(
        Listing.objects.values_list("case_id", flat=True)
    )
    open_cases = list(
        EnforcementCase.objects.filter(court=judge.court)
        .exclude(status__in=(CaseStatus.CLOSED, CaseStatus.DORMANT))
        .order_by("pk")[:200]
    )
    open_cases.sort(key=lambda c: (c.pk in busy, c.handler_id != judge.pk, c.pk))
    out: list[tuple[EnforcementCase, Party]] = []
    for case in open_cases:
        debtor = Party.objects.filter(case=case, role=Party.Role.DEBTOR, kind=Party.Kind.PERSON).first()
        if debtor is not None and not debtor.is_minor:
            out.append((case, debtor))
        if len(out) == n:
            break
    return out


def _border_partner() -> Partner:
    found = Partner.objects.filter(code=BORDER_CODE).first()
    if found is not None:
        return found
    partner, _ = create_partner(
        None,
        name="广东出入境边防检查总站",
        kind=Partner.Kind.BORDER,
        code=BORDER_CODE,
        shared_secret=partner_secret(BORDER_CODE),
    )
    return partner


def seed() -> int:
    """Returns how many demo decisions it made (0 when there is nothing to do or it ran before)."""
    judge = Staff.objects.filter(username="th_judge1", is_active=True).first()
    president = Staff.objects.filter(username="th_president", is_active=True).first()
    if judge is None or president is None or Proposal.objects.exists():
        return 0
    today = timezone.localdate()
    made = 0
    plans = ["pending", "served", "signed", "exit"]
    for case, debtor in _debtors(judge, 12):
        if not plans:
            break
        plan = plans[0]
        try:
            with transaction.atomic():
                if plan == "exit":
                    _border_partner()
                    [r, *_] = restrict_exit(judge, case, debtor, initiation="application", bound_persons=[])
                    record_exit_service(judge, r, served_on=today)
                    for n in BorderNotice.objects.filter(restriction=r):
                        # as the dispatcher leaves it once the sandbox's border partner answered
                        n.attempts = 1
                        border.apply_answer(
                            n, {"status": "done", "result": {"ref": f"{BORDER_CODE}-BK{r.pk:06d}"}}, ""
                        )
                elif plan == "signed":
                    issue_and_serve_notice(judge, case, on=case.filed_on)  # 限消规定 Art 1(1)
                    p = approval.propose_consumption(judge, case, debtor, items=[1, 2, 9], bound_persons=[])
                    approval.approve(president, p)
                else:
                    issue_and_serve_notice(judge, case, on=case.filed_on)  # 失信规定 Art 5(1)
                    data = ListingData(ground=4, dishonest_act="未按执行通知报告财产", grace_months=0)
                    p = approval.propose_listing(judge, case, debtor, data)
                    if plan == "served":
                        p = approval.approve(president, p)
                        approval.record_service(judge, p, method="personal", on=today)
                made += 1
                plans.pop(0)
        except ServiceError:
            continue  # e.g. a debtor whose document the rules refuse: the next candidate
    return made
