"""Demo data of issue 14 items 7 and 9 on 天河区法院 (run by ``credit_demo_repair``, i.e. ``seed_demo``).

The sandbox's Art 8 recipients (征信中心, two employers, two superior departments; base URL empty, so
ZHIXING_SANDBOX_URL is used) and, on open debtors no other demo listed:

* a state functionary listed: 征信中心 acknowledged, the employer's notice delivered and waiting for its
  acknowledgement (`make run`'s sandbox sends it within seconds of a live delivery);
* a listing whose 征信中心 notice failed twice and went through on the third attempt, and one that
  failed every attempt (red, re-sendable);
* a pending credit-repair application and a granted one (settlement performed) with its certificate;
* a partial payment on a listed case, so the published 履行情况 reads 部分履行 with the amount;
* a unit debtor whose legal representative changed: the former released on the Art 17 finding, the new
  one restricted.

Answers are replayed through the dispatcher's own `apply_answer`. Does nothing when recipients exist.
"""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases import queries_payments
from zhixing.cases.models import OPEN_STATUSES, Obligation, Party
from zhixing.cases.services import issue_and_serve_notice
from zhixing.cases.services.performance import record_payment
from zhixing.core.errors import ServiceError
from zhixing.partners.sandbox.art8 import RECIPIENTS
from zhixing.partners.sandbox.holdings import partner_secret

from .models import CreditRepair, Listing, ListingNotice, NoticeRecipient, Restriction
from .services import BoundPerson, ListingData, list_debtor, repair
from .services import notices as art8

COURT = "粤0106"
S = ListingNotice.Status


def _id(birth: date, seq: int) -> str:
    """A valid resident ID number of 天河 (ISO 7064 MOD 11-2 check character)."""
    body = f"440106{birth:%Y%m%d}{seq:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


def _answer(n: ListingNotice, reply: dict[str, Any] | None, error: str = "") -> None:
    ListingNotice.objects.filter(pk=n.pk).update(
        due_at=timezone.now() - timedelta(seconds=1), lease_until=None
    )
    art8.claim(1, only=[n.pk])
    art8.apply_answer(n.pk, n.idempotency_key, reply, error)


def _debtors(kind: str) -> list[Party]:
    return list(
        Party.objects.filter(
            role=Party.Role.DEBTOR,
            kind=kind,
            is_minor=False,
            case__court__code=COURT,
            case__status__in=OPEN_STATUSES,
            case__obligation=Obligation.MONEY,
        )
        .exclude(pk__in=Listing.objects.values("party_id"))
        .exclude(pk__in=Restriction.objects.values("party_id"))  # its own restriction binds the persons
        .select_related("case", "case__court")
        .order_by("pk")[:20]
    )


def _list(judge: Any, pool: list[Party], **kw: Any) -> Listing | None:
    while pool:
        party = pool.pop(0)
        try:
            with transaction.atomic():
                issue_and_serve_notice(judge, party.case, on=party.case.filed_on)  # 失信规定 Art 5(1)
                return list_debtor(
                    judge,
                    party.case,
                    party,
                    ListingData(ground=4, dishonest_act="未按执行通知报告财产", **kw),
                )
        except ServiceError:
            continue
    return None


def _spare_listing(judge: Any) -> Listing | None:
    return (
        Listing.objects.filter(court=judge.court, status=Listing.Status.ACTIVE)
        .exclude(pk__in=CreditRepair.objects.values("listing_id"))
        .order_by("-pk")
        .first()
    )


def seed(judge: Any) -> dict[str, int]:
    if judge is None or NoticeRecipient.objects.exists():
        return {}
    made: dict[str, int] = {}
    with transaction.atomic():
        r = {
            code: NoticeRecipient.objects.create(
                name=name, kind=kind, code=code, shared_secret=partner_secret(code)
            )
            for code, (name, kind) in RECIPIENTS.items()
        }
    people = _debtors(Party.Kind.PERSON)
    # 1. a state functionary: bureau acknowledged, employer delivered (acknowledgement to come)
    if people:
        p = people[0]
        with contextlib.suppress(ServiceError):
            art8.record_profile(judge, p.case, p, state_functionary=True, employer=r["EMP-THEDU"])
    x = _list(judge, people)
    if x is not None:
        for n in ListingNotice.objects.filter(listing=x).select_related("recipient"):
            ref = f"{n.recipient.code}-{n.pk:06d}"
            _answer(
                n,
                {"status": "done", "result": {"ref": ref}}
                if n.recipient.kind == "credit_bureau"
                else {"status": "accepted"},
            )
        made["delivered"] = 1
    # 2. failed twice then delivered; failed every attempt
    for plan in ("retried", "failed"):
        x = _list(judge, people)
        if x is None:
            continue
        n = ListingNotice.objects.get(listing=x, recipient__code="PBOC-CRC")
        tries = int(art8.option("max_attempts")) if plan == "failed" else 2
        for _ in range(tries):
            n.refresh_from_db()
            _answer(n, None, "对方返回 HTTP 503")
        if plan == "retried":
            n.refresh_from_db()
            _answer(n, {"status": "done", "result": {"ref": f"PBOC-CRC-{n.pk:06d}"}})
        made[plan] = 1
    # 3. credit repair: pending, and granted on a performed settlement (the listing is deleted)
    today = timezone.localdate()
    x = _list(judge, people)
    if x is not None:
        repair.apply_repair(judge, x, applied_on=today, statement="已与申请执行人协商分期履行，申请信用修复")
        made["repair_pending"] = 1
    # (a listing another demo made when no unlisted debtor is left: the certificate page needs one)
    x = _list(judge, people) or _spare_listing(judge)
    if x is not None:
        g = repair.apply_repair(
            judge, x, applied_on=today, statement="执行和解协议已履行完毕", settled=True, corrected=True
        )
        repair.decide_repair(judge, g, grant=True, reason="执行和解协议已履行完毕，已纠正失信行为")
        made["repair_granted"] = 1
    # 4. a partial payment on a listed case: 部分履行 with the amount. On a case with nothing paid yet and
    # more than the payment owed: which cases are open (and what other demos paid on them) moves with the
    # demo's date, and an earlier payment or a small debt would publish another amount or 全部履行.
    owed = queries_payments.obligations([p.case_id for p in people])
    paid = queries_payments.dated_payments([p.case_id for p in people])
    unpaid = [
        p for p in people if owed.get(p.case_id, Decimal(0)) > Decimal("12000.00") and not paid[p.case_id]
    ]
    x = _list(judge, unpaid)
    if x is not None:
        record_payment(
            x.case_id, Decimal("12000.00"), today, source="direct", reference=f"demo-repair-{x.pk}"
        )
        made["partial"] = 1
    # 5. a unit whose legal representative changed
    units = _debtors(Party.Kind.ORGANISATION)
    rep = (units[0].legal_representative if units else "") or "周原"
    bound = [BoundPerson(bound="legal_rep", name=rep, id_number=_id(date(1968, 4, 2), 611))]
    x = _list(judge, units, bound_persons=bound)
    if x is not None:
        repair.record_legal_rep_change(
            judge,
            x.case,
            x.party,
            new_name="吴新",
            new_id_number=_id(date(1982, 9, 15), 713),
            changed_on=today,
            former_released=True,
        )
        made["legal_rep"] = 1
    return made
