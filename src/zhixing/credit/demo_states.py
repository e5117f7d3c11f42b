"""Credit demo rows the other credit demos leave out (issue 13: every module with data in every state).

Applicants' listing applications in each state (待决定, 已纳入 on application, 不予纳入) on 天河's cases, and
partner checks: a sandbox airline and railway with interceptions of restricted debtors, so the case pages
and the supervision tables show what screening stopped. Run by ``credit_demo`` (``seed_demo``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases.models import OPEN_STATUSES, Obligation, Party
from zhixing.cases.services import issue_and_serve_notice
from zhixing.core.errors import ServiceError

from . import rules
from .models import Listing, Partner, Restriction
from .services import (
    ListingData,
    create_partner,
    list_debtor,
    record_application,
    record_interception,
    reject_application,
)

COURT = "粤0106"
CHECKERS = (
    ("中国南方航空股份有限公司（演示）", Partner.Kind.AIRLINE, "flight", "白云机场T2值机柜台"),
    ("中国铁路广州局集团有限公司（演示）", Partner.Kind.RAILWAY, "soft_sleeper", "广州南站售票窗口"),
)


def _candidates() -> list[Party]:
    return list(
        Party.objects.filter(
            role=Party.Role.DEBTOR,
            kind=Party.Kind.PERSON,
            is_minor=False,
            id_number__startswith="44",
            case__court__code=COURT,
            case__status__in=OPEN_STATUSES,
            case__obligation=Obligation.MONEY,
        )
        .exclude(pk__in=Listing.objects.values("party_id"))
        .select_related("case", "case__court", "case__handler")
        .order_by("pk")[:20]
    )


def applications(judge: Any) -> dict[str, int]:
    """One application per state: pending (decision due in the coming days), granted, rejected."""
    today = timezone.localdate()
    made: dict[str, int] = {}
    plans = ["pending", "granted", "rejected"]
    for party in _candidates():
        if not plans:
            break
        plan = plans[0]
        try:
            with transaction.atomic():
                app = record_application(
                    judge,
                    party.case,
                    party,
                    received_on=today - timedelta(days=4 if plan == "pending" else 12),
                )
                if plan == "granted":
                    issue_and_serve_notice(judge, party.case, on=party.case.filed_on)  # 失信规定 Art 5(1)
                    list_debtor(
                        judge,
                        party.case,
                        party,
                        ListingData(
                            ground=4,
                            dishonest_act="未按执行通知履行，亦未报告财产",
                            initiation=Listing.Initiation.APPLICATION,
                            application=app,
                        ),
                    )
                elif plan == "rejected":
                    reject_application(judge, app, reason="被执行人已提供足额有效担保，不予纳入失信名单")
        except ServiceError:
            continue  # a debtor this demo cannot use (identity, ground): take the next one
        made[plan] = made.get(plan, 0) + 1
        plans.pop(0)
    return made


def partner_checks() -> int:
    """Sandbox airline and railway partners, each with interceptions of a restricted debtor."""
    if Partner.objects.filter(kind__in=[k for _, k, _, _ in CHECKERS]).exists():
        return 0
    now = timezone.now()
    restrictions = list(
        Restriction.objects.filter(status=Restriction.Status.ACTIVE, kind=Restriction.Kind.CONSUMPTION)
        .select_related("party")
        .order_by("pk")
    )
    made = 0
    for name, kind, code, place in CHECKERS:
        partner, _key = create_partner(None, name=name, kind=kind)
        bit = rules.CODE_BITS[code]
        hits = [r for r in restrictions if rules.items_mask(r.items) & bit][:2]
        for i, r in enumerate(hits):
            try:
                record_interception(
                    partner,
                    subject=r.party.id_number,
                    code=code,
                    at=now - timedelta(days=3 + 5 * i, hours=2),
                    channel="值机" if kind == Partner.Kind.AIRLINE else "售票",
                    place=place,
                    mask=rules.items_mask(r.items),
                )
            except ServiceError:
                continue
            made += 1
    return made


def seed(judge: Any) -> dict[str, Any]:
    return {"applications": applications(judge), "interceptions": partner_checks()}
