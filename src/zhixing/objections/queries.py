"""Reads of objections: a case's objections, the court's open ones with their clocks, statistics, and the
public form's look-up of a controlled asset (masked)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhixing.cases.models import EnforcementCase
from zhixing.core.identity import mask_id
from zhixing.courts.queries import court_scope_q
from zhixing.credit.queries import case_listings
from zhixing.inquiry.models import Asset

from . import distribution, rules, valuation
from .conf import retrial_blocks
from .models import Objection


def for_case(case: EnforcementCase) -> list[Objection]:
    return list(Objection.objects.filter(case_id=case.pk).select_related("asset").order_by("-id"))


def scoped(user: Any) -> QuerySet[Objection]:
    """Objections of the user's court and (for a higher court) its subordinate courts."""
    return Objection.objects.filter(court_scope_q(user)).select_related("court", "case", "asset")


NOTICE_CLOCK, SERVICE_CLOCK = "通知当事人期限", "裁定送达期限"
LATE_CLOCKS = (NOTICE_CLOCK, SERVICE_CLOCK)  # the supervision page's two "overdue" counts, in order


@dataclass(frozen=True)
class Clock:
    """One running clock of an objection, for the supervision pages."""

    objection: Objection
    label: str
    due: date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def open_clocks(user: Any, today: date | None = None, limit: int = 200) -> list[Clock]:
    """Pending reviews (decision due) and open suit windows, soonest first."""
    today = today or timezone.localdate()
    out: list[Clock] = []
    # rule: — one query for the review clocks (pending), the parties to be told within 3 days
    # of filing (执行异议复议规定 Art 2: a notice not yet recorded) and the ruling not yet served in time.
    decided = (Objection.Status.REJECTED, Objection.Status.UPHELD)
    untold_q = Q(notified_on__isnull=True) & ~Q(status=Objection.Status.WITHDRAWN)
    unserved_q = Q(served_on__isnull=True, service_due__isnull=False, status__in=decided)
    rows = scoped(user).filter(Q(status=Objection.Status.PENDING) | untold_q | unserved_q)
    for o in rows.order_by("decision_due", "pk")[: 3 * limit]:
        if o.status == Objection.Status.PENDING:
            out.append(Clock(o, "审查期限", o.decision_due, (o.decision_due - today).days))
        if o.notified_on is None and o.status != Objection.Status.WITHDRAWN:
            out.append(Clock(o, NOTICE_CLOCK, o.notify_due, (o.notify_due - today).days))
        if o.served_on is None and o.service_due is not None and o.status in decided:
            out.append(Clock(o, SERVICE_CLOCK, o.service_due, (o.service_due - today).days))
    windows = scoped(user).filter(
        suit_due__gte=today, suit_state="", status__in=(Objection.Status.REJECTED, Objection.Status.UPHELD)
    )
    for o in windows.order_by("suit_due", "pk")[:limit]:
        assert o.suit_due is not None
        out.append(Clock(o, "起诉期限", o.suit_due, (o.suit_due - today).days))
    # rule: — an act objection's ruling: the 10-day 复议 window, then the higher court's own clock.
    # One query for both: the 10-day window (served, nothing filed) and the higher court's pending 复议.
    act_clocks = reviews(user).filter(Q(review_due__gte=today, review_status="") | Q(review_status="pending"))
    for o in act_clocks.order_by("pk")[:limit]:
        if o.review_status == "pending" and o.review_decision_due is not None:
            due, label = (
                o.review_decision_due,
                f"复议审查期限（{o.review_court.name if o.review_court else ''}）",
            )
        elif o.review_due is not None:
            due, label = o.review_due, "复议申请期限"
        else:  # pragma: no cover - a pending 复议 always has its due date
            continue
        out.append(Clock(o, label, due, (due - today).days))
    return sorted(out, key=lambda c: (c.due, c.objection.pk))


def reviews(user: Any) -> QuerySet[Objection]:
    """Act objections of the user's court and the courts below it (a 复议 goes to the next-higher court,
    which is in the deciding court's scope upwards), with their 复议 court."""
    return scoped(user).filter(kind=Objection.Kind.ACT).select_related("review_court")


def review_docket(user: Any, limit: int = 200) -> list[Objection]:
    """The 复议 the user's court must decide (pending first, by due date), for the higher court's page."""
    court_id = getattr(user, "court_id", None) or 0
    return list(
        reviews(user)
        .filter(review_court_id=court_id)
        .order_by("review_status", "review_decision_due", "pk")[:limit]
    )


def pending_count(user: Any) -> int:
    return scoped(user).filter(status=Objection.Status.PENDING).count()


def pending_counts(user: Any, today: date | None = None) -> tuple[int, int]:
    """(pending, of them past the decision deadline) in one query, for the worklist."""
    today = today or timezone.localdate()
    row = (
        scoped(user)
        .filter(status=Objection.Status.PENDING)
        .aggregate(n=Count("pk"), late=Count("pk", filter=Q(decision_due__lt=today)))
    )
    return int(row["n"]), int(row["late"])


def notice_overdue(user: Any, today: date | None = None) -> tuple[int, int]:
    """(filings whose parties were not told by `notify_due`, rulings not served by `service_due`) in one
    query, for the worklist and the supervision page (执行异议复议规定 Art 2)."""
    today = today or timezone.localdate()
    row = scoped(user).aggregate(
        untold=Count(
            "pk",
            filter=Q(notified_on__isnull=True, notify_due__lt=today) & ~Q(status=Objection.Status.WITHDRAWN),
        ),
        unserved=Count(
            "pk",
            filter=Q(
                served_on__isnull=True,
                service_due__lt=today,
                status__in=(Objection.Status.REJECTED, Objection.Status.UPHELD),
            ),
        ),
    )
    return int(row["untold"]), int(row["unserved"])


def late_notices(user: Any, today: date | None = None, limit: int = 1000) -> list[Clock]:
    """Each objection whose parties were not told by `notify_due`, or whose ruling did not reach the
    objector by `service_due` (the command center's alert sweep); labels as on the supervision page."""
    today = today or timezone.localdate()
    decided = (Objection.Status.REJECTED, Objection.Status.UPHELD)
    untold = Q(notified_on__isnull=True, notify_due__lt=today) & ~Q(status=Objection.Status.WITHDRAWN)
    unserved = Q(served_on__isnull=True, service_due__lt=today, status__in=decided)
    out: list[Clock] = []
    for o in scoped(user).filter(untold | unserved).order_by("pk")[:limit]:
        if o.notified_on is None and o.notify_due < today and o.status != Objection.Status.WITHDRAWN:
            out.append(Clock(o, NOTICE_CLOCK, o.notify_due, (o.notify_due - today).days))
        if (
            o.served_on is None
            and o.service_due is not None
            and o.service_due < today
            and o.status in decided
        ):
            out.append(Clock(o, SERVICE_CLOCK, o.service_due, (o.service_due - today).days))
    return out


def overdue_count(user: Any, today: date | None = None) -> int:
    today = today or timezone.localdate()
    return scoped(user).filter(status=Objection.Status.PENDING, decision_due__lt=today).count()


@dataclass(frozen=True)
class Statistics:
    filed: int
    pending: int
    upheld: int
    rejected: int
    withdrawn: int
    decided_late: int
    average_days: float | None  # receipt to ruling, over decided objections
    act_filed: int = 0  # objections to an enforcement act (CPL-2023 Art 236)
    act_upheld: int = 0
    reviews_filed: int = 0  # 复议 of act objections' rulings
    reviews_pending: int = 0


def statistics(user: Any) -> Statistics:
    everything = list(
        scoped(user).values_list(
            "status", "received_on", "decided_on", "decision_due", "kind", "review_status"
        )
    )
    rows = [r[:4] for r in everything]
    acts = [(r[0], r[5]) for r in everything if r[4] == Objection.Kind.ACT]
    decided = [(r, d, due) for s, r, d, due in rows if s in ("upheld", "rejected") and d is not None]
    days = [(d - r).days for r, d, _ in decided]
    return Statistics(
        filed=len(rows),
        pending=sum(1 for s, *_ in rows if s == Objection.Status.PENDING),
        upheld=sum(1 for s, *_ in rows if s == Objection.Status.UPHELD),
        rejected=sum(1 for s, *_ in rows if s == Objection.Status.REJECTED),
        withdrawn=sum(1 for s, *_ in rows if s == Objection.Status.WITHDRAWN),
        decided_late=sum(1 for _, d, due in decided if d > due),
        average_days=round(sum(days) / len(days), 1) if days else None,
        act_filed=len(acts),
        act_upheld=sum(1 for s, _ in acts if s == Objection.Status.UPHELD),
        reviews_filed=sum(1 for _, r in acts if r),
        reviews_pending=sum(1 for _, r in acts if r == "pending"),
    )


def objection_counts(court_ids: list[int], start: date, end: date) -> dict[str, int]:
    """The command center's source `objection_counts` (command.sources): objections received in
    [start, end] by those courts, how many were decided, upheld, decided within the 15 days, and the
    total days from receipt to ruling (the center divides by `decided` for the average)."""
    rows = list(
        Objection.objects.filter(court_id__in=court_ids, received_on__range=(start, end)).values_list(
            "kind", "status", "received_on", "decided_on", "decision_due"
        )
    )
    decided = [(r, d, due) for _, s, r, d, due in rows if s in ("upheld", "rejected") and d is not None]
    return {
        "filed": len(rows),
        "act_filed": sum(1 for k, *_ in rows if k == Objection.Kind.ACT),
        "decided": len(decided),
        "upheld": sum(1 for _, s, *_ in rows if s == Objection.Status.UPHELD),
        "decided_in_time": sum(1 for _, d, due in decided if d <= due),
        "days_to_decide": sum((d - r).days for r, d, _ in decided),
    }


def block_reasons(obj: Objection, today: date | None = None) -> str:
    """Why this objection forbids disposing of its asset today. An act objection does not block disposal
    by itself (the block is the third-party objection's, CPL-2023 Art 238); an upheld one undoes its act."""
    if obj.kind != Objection.Kind.THIRD_PARTY:
        return ""
    facts = rules.BlockFacts(
        obj.status, obj.served_on, obj.suit_due, obj.suit_state, obj.number, obj.retrial_state
    )
    return rules.block_reason(facts, today or timezone.localdate(), retrial_blocks=retrial_blocks())


def masked_id(obj: Objection) -> str:
    return mask_id(obj.objector_id_number)


def objectable_assets(case: EnforcementCase) -> list[Asset]:
    """The case's assets a third party can still object to (held, not disposed of)."""
    return list(
        Asset.objects.filter(
            case_id=case.pk, state__in=(Asset.State.FROZEN, Asset.State.SEIZED, Asset.State.QUEUED)
        )
        .select_related("partner")
        .order_by("pk")
    )


def public_target(case_number: str, asset_ref: str) -> tuple[EnforcementCase, Asset] | None:
    """The public form's look-up: the enforcement case by its full number and one of its assets by the
    certificate/plate/account number the third party holds. Both must match exactly, so the form reveals
    nothing to someone who does not already know both."""
    number = str(case_number or "").strip()
    ref = str(asset_ref or "").strip()
    if not number or not ref:
        return None
    case = EnforcementCase.objects.select_related("court").filter(number=number).first()
    if case is None:
        return None
    asset = Asset.objects.filter(case_id=case.pk, ref=ref).exclude(kind=Asset.Kind.INFO).first()
    return (case, asset) if asset is not None else None


def public_act_type(asset: Asset) -> str:
    """The act an interested person objects to on the public form: the asset's freeze (a frozen account
    or share) or its seizure (anything else; a control no longer in force is refused by the service)."""
    return "freeze" if asset.state == Asset.State.FROZEN else "seizure"


@dataclass(frozen=True)
class ActChoice:
    """One act of the case in force a party may object to (the counter and portal forms)."""

    act_type: str
    act_id: int
    label: str
    party_id: int | None

    @property
    def value(self) -> str:
        return f"{self.act_type}:{self.act_id}"


def objectable_acts(case: EnforcementCase) -> list[ActChoice]:
    """Freezes, seizures, active dishonest listings, reference prices and distribution plans open to
    objection (R-0.13)."""
    out = [
        ActChoice(
            "freeze" if a.state == Asset.State.FROZEN else "seizure",
            a.pk,
            f"{a.get_state_display()} {a}",
            a.party_id,
        )
        for a in objectable_assets(case)
    ]
    out += [
        ActChoice("listing", x.pk, f"纳入失信被执行人名单 {x.name}（{x.document_number}）", x.party_id)
        for x in case_listings(case.pk)
    ]
    # 参考价异议 (issue 19): reference prices still within their objection window (参考价规定 Art 22).
    out += [
        ActChoice(valuation.ACT_TYPE, pk, label, party)
        for pk, label, party in valuation.choices(case, timezone.localdate())
    ]
    # A plan in its objection period: filing routes to the funds procedure (distribution.py).
    out += [
        ActChoice(distribution.ACT_TYPE, pk, label, None)
        for pk, label in distribution.choices(case, timezone.localdate())
    ]
    return out
