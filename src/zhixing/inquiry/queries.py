"""Reads for network inquiry: what a case still claims, what is controlled, the register, the log, queues."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from zhixing.cases.higher_court import HigherCourtDate
from zhixing.cases.models import EnforcementCase, Party
from zhixing.cases.queries_schedule import case_schedule
from zhixing.cases.queries_term import found_property_higher_court
from zhixing.core import progress
from zhixing.courts.queries import court_scope_q

from . import conf, rules
from .access import next_step
from .info_words import InfoField, info_fields
from .models import Action, Asset, DeductionReceivable, InquiryRequest, Partner, PartnerCategory

IN_FLIGHT = (
    InquiryRequest.Status.AWAITING_APPROVAL,
    InquiryRequest.Status.PENDING,
    InquiryRequest.Status.SENDING,
    InquiryRequest.Status.WAITING,
)
ACTIVE_STATES = (Asset.State.FROZEN, Asset.State.SEIZED, Asset.State.QUEUED)


def case_claim(case: EnforcementCase, today: date | None = None) -> rules.Claim:
    """Principal + adjudged interest (fixed and running) + delay interest to today + costs − paid −
    instalments not yet due (rules.md §6.3).

    From the case's performance schedule (`cases.queries_schedule`): payments applied in the legal
    (or agreed) order, the doubled interest accruing on the unpaid principal and litigation costs, only
    the periods 迟延履行利息解释 Art 3(3) names excluded; a resumed case carries its original's payments.
    """
    today = today or timezone.localdate()
    cs = case_schedule(case, today)
    sched = cs.schedule
    paid = sum(sched.paid.values(), Decimal("0"))
    return rules.Claim(
        # the instrument's amounts as the schedule computes them (RMB; a non-money case's 迟延履行金)
        principal=cs.principal_amount,
        adjudged_interest=sched.interest_total,  # the fixed figure + running interest to today
        delay_interest=sched.doubled_total,
        # the application fee and the costs recorded on the case, the debtor's to bear
        costs=cs.litigation_amount
        + sum((c.application_fee for c in cs.chain), Decimal("0"))
        + cs.recorded_costs,
        paid=paid,
        not_due=sched.not_due,
    )


def booked_deductions(case_id: int) -> Decimal:
    """Deducted money the funds ledger has booked to the case: it is already in the case's `paid_amount`."""
    total = DeductionReceivable.objects.filter(case_id=case_id, booked=True).aggregate(s=Sum("amount"))["s"]
    return total or Decimal("0")


def controlled_total(case_id: int, exclude_request: int | None = None) -> Decimal:
    """Frozen + seized + deducted across every asset and partner, plus control orders still in flight.

    A deduction counts once: while its money is on the way it is controlled; once funds books it, it is
    paid (it lowers what the case claims) and no longer counts here.
    """
    total = -booked_deductions(case_id)
    for a in Asset.objects.filter(case_id=case_id).exclude(state=Asset.State.NONE, deducted_amount=0):
        total += a.controlled_value
    pending = InquiryRequest.objects.filter(
        case_id=case_id, status__in=IN_FLIGHT, action__in=[Action.FREEZE, Action.SEIZE]
    )
    if exclude_request:
        pending = pending.exclude(pk=exclude_request)
    for r in pending.select_related("asset"):
        total += (
            (r.amount or Decimal("0")) if r.action == Action.FREEZE else (r.asset.value if r.asset else 0)
        )
    return total


def case_headroom(case: EnforcementCase) -> tuple[rules.Claim, Decimal, Decimal]:
    claim = case_claim(case)
    controlled = controlled_total(case.pk)
    return claim, controlled, rules.headroom(claim.outstanding, controlled)


def categories() -> list[PartnerCategory]:
    return list(PartnerCategory.objects.all())


def partners_for(category_codes: list[str]) -> list[Partner]:
    return list(
        Partner.objects.filter(active=True, category__code__in=category_codes).select_related("category")
    )


def debtors(case: EnforcementCase) -> list[Party]:
    return list(Party.objects.filter(case=case, role=Party.Role.DEBTOR).order_by("id"))


@dataclass
class RegisterRow:
    asset: Asset
    expiry: str = "none"
    # The control order on this asset still in flight (awaiting approval, to send, sent, awaiting the
    # partner's answer): the row shows it and offers no other control until it is answered.
    pending: InquiryRequest | None = None
    # The amount the freeze form offers (rules.freeze_default); None when the register was read without
    # the case's headroom.
    freeze_default: Decimal | None = None
    # A refused control order on this row, carried over the redirect: {form, field, message, value}.
    error: dict[str, Any] | None = None
    # 执行程序解释 Art 10(2): found after the application and not yet executed — from when the applicant
    # may apply to the next-higher court (None: found with the application, or executed).
    higher_court: HigherCourtDate | None = None


@dataclass
class DebtorRegister:
    party: Party
    rows: list[RegisterRow] = field(default_factory=list)
    info: list[tuple[str, list[InfoField]]] = field(default_factory=list)


def register(
    case: EnforcementCase, today: date | None = None, room: Decimal | None = None
) -> list[DebtorRegister]:
    """The per-debtor asset register with each asset's control state and expiry warning.

    Given the case's headroom (`room`), each row also carries the freeze amount its form offers.
    """
    today = today or timezone.localdate()
    warn = int(conf.option("warn_days"))
    out = {p.pk: DebtorRegister(p) for p in debtors(case)}
    in_flight = {
        r.asset_id: r
        for r in InquiryRequest.objects.filter(case=case, asset__isnull=False, status__in=IN_FLIGHT).order_by(
            "id"
        )
    }
    assets = list(
        Asset.objects.filter(case=case)
        .exclude(kind=Asset.Kind.INFO)
        .select_related("partner", "category")
        .order_by("party_id", "category__order", "id")
    )
    # rule
    found = found_property_higher_court(
        case, (timezone.localdate(a.found_at) for a in assets if a.state in rules.UNEXECUTED_STATES)
    )
    for a in assets:
        if a.party_id in out:
            state = rules.expiry_state(a.control_expires, today, warn) if a.state in ACTIVE_STATES else "none"
            offer = None if room is None else rules.freeze_default(room, a.value, a.frozen_amount)
            higher = found.get(timezone.localdate(a.found_at)) if a.state in rules.UNEXECUTED_STATES else None
            row = RegisterRow(a, state, in_flight.get(a.pk), offer, higher_court=higher)
            out[a.party_id].rows.append(row)
    for a in Asset.objects.filter(case=case, kind=Asset.Kind.INFO).select_related("category").order_by("id"):
        if a.party_id in out and a.details:
            out[a.party_id].info.append((a.category.name, info_fields(a.details)))
    return list(out.values())


def expiring(case: EnforcementCase, today: date | None = None) -> list[Asset]:
    """Active controls inside the warning window; `renewing` marks those with a renewal in flight."""
    today = today or timezone.localdate()
    warn_until = today + timedelta(days=int(conf.option("warn_days")))
    rows = list(
        Asset.objects.filter(
            case=case, state__in=ACTIVE_STATES, control_expires__gte=today, control_expires__lte=warn_until
        ).order_by("control_expires")
    )
    busy = set(
        InquiryRequest.objects.filter(asset__in=rows, action=Action.RENEW, status__in=IN_FLIGHT).values_list(
            "asset_id", flat=True
        )
    )
    for a in rows:
        a.renewing = a.pk in busy  # type: ignore[attr-defined]
    return rows


def case_requests(case: EnforcementCase, limit: int = 200) -> list[InquiryRequest]:
    return list(
        InquiryRequest.objects.filter(case=case)
        .select_related("partner", "party", "asset", "requested_by")
        .order_by("-id")[:limit]
    )


ANSWERED = (
    InquiryRequest.Status.DONE,
    InquiryRequest.Status.FAILED,
    InquiryRequest.Status.REJECTED,
    InquiryRequest.Status.CANCELLED,
)
# Waiting on a machine (the dispatcher or the partner), so worth polling; awaiting approval waits on a person.
MOVING = (InquiryRequest.Status.PENDING, InquiryRequest.Status.SENDING, InquiryRequest.Status.WAITING)


def round_progress(requests: list[InquiryRequest]) -> progress.Progress | None:
    """The latest inquiry round (一键查控 or 集中查控 batch) among a case's newest requests (as
    `case_requests` reads them, so the page spends no query on it): how many are answered.

    None when there is no round. Finished when no request of the round waits on a machine.
    """
    batch_id = max((r.batch_id for r in requests if r.batch_id), default=None)
    if batch_id is None:
        return None
    statuses = [r.status for r in requests if r.batch_id == batch_id]
    answered = sum(1 for st in statuses if st in ANSWERED)
    moving = sum(1 for st in statuses if st in MOVING)
    return progress.of(answered, len(statuses), "已反馈", finished=moving == 0)


def any_moving(requests: list[InquiryRequest]) -> bool:
    """Whether any of these requests (round or control order) still waits on a machine."""
    return any(r.status in MOVING for r in requests)


def log_queryset(
    user: Any,
    case_id: int | None = None,
    *,
    number: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[InquiryRequest]:
    """The inquiry log (查控日志) the user may read: own court and subordinate courts, newest first.

    Optionally one case (by id or by case number) and requests made in [since, until).
    """
    qs = InquiryRequest.objects.filter(court_scope_q(user))
    if case_id:
        qs = qs.filter(case_id=case_id)
    if number:
        qs = qs.filter(case__number=number)
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    if until is not None:
        qs = qs.filter(created_at__lt=until)
    return qs.select_related("case", "party", "partner", "requested_by").order_by("-id")


def log_page(
    user: Any, before: int | None = None, size: int = 100
) -> tuple[list[InquiryRequest], int | None]:
    qs = log_queryset(user)
    if before:
        qs = qs.filter(pk__lt=before)
    rows = list(qs[: size + 1])
    more = rows[size].pk if len(rows) > size else None
    return rows[:size], (rows[size - 1].pk if more else None)


def log_rows(user: Any, case_id: int | None = None, **filters: Any) -> Iterator[InquiryRequest]:
    """Streams the log for the Excel export (filters as in `log_queryset`)."""
    return log_queryset(user, case_id, **filters).iterator(chunk_size=2000)


def approval_queue(user: Any) -> list[InquiryRequest]:
    """Control orders of the user's court whose next approval step is the user's role."""
    if getattr(user, "court", None) is None:
        return []
    rows = (
        InquiryRequest.objects.filter(court=user.court, status=InquiryRequest.Status.AWAITING_APPROVAL)
        .select_related("case", "party", "partner", "asset", "requested_by")
        .order_by("id")
    )
    return [r for r in rows if next_step(r.approvals) == user.role and r.requested_by_id != user.pk]


def unbooked_deductions(limit: int = 500) -> list[Any]:
    """Confirmed deductions whose money the case-funds ledger has not booked yet, oldest first."""
    from .models import DeductionReceivable

    return list(
        DeductionReceivable.objects.filter(booked=False)
        .select_related("case", "case__court")
        .order_by("id")[:limit]
    )


# -- for ability-to-pay analysis (analytics) -------------------------------------------------------------
def control_dates(party: Party) -> list[date]:
    """Distinct days on which a freeze or seizure of this debtor's property took effect, ascending
    (`control_dates_of` for one party)."""
    return control_dates_of([party])[party.pk]


def control_dates_of(parties: Sequence[Party]) -> dict[int, list[date]]:
    """Per party id, the distinct days on which a freeze or seizure of its property took effect,
    ascending; for many parties with one query.

    Counts the debtor's answered control orders in every case that names the same person or unit
    (same ID number or credit code): a freeze that froze a positive amount, or a seizure (first or
    queued). The day is the local date the partner's answer was applied (when the control took
    effect on the platform's record). Read-only; used to look for money moved before a freeze.
    """
    by_id: dict[str, list[int]] = {}
    by_code: dict[str, list[int]] = {}
    for p in parties:
        if p.id_number:
            by_id.setdefault(p.id_number, []).append(p.pk)
        if p.credit_code:
            by_code.setdefault(p.credit_code, []).append(p.pk)
    ids = {p.pk for p in parties}
    match = Q(party_id__in=sorted(ids))
    if by_id:
        match |= Q(party__id_number__in=sorted(by_id))
    if by_code:
        match |= Q(party__credit_code__in=sorted(by_code))
    rows = InquiryRequest.objects.filter(
        match,
        action__in=[Action.FREEZE, Action.SEIZE],
        status=InquiryRequest.Status.DONE,
        completed_at__isnull=False,
    ).values_list("party_id", "party__id_number", "party__credit_code", "action", "outcome", "completed_at")
    days: dict[int, set[date]] = {pk: set() for pk in ids}
    for party_id, id_number, credit_code, action, outcome, completed in rows:
        if action == Action.FREEZE:
            try:
                frozen = Decimal(str((outcome or {}).get("frozen") or "0"))
            except ArithmeticError:
                frozen = Decimal("0")
            if frozen <= 0:
                continue
        day = timezone.localdate(completed)
        hit = {party_id} & ids
        hit.update(by_id.get(id_number or "", ()), by_code.get(credit_code or "", ()))
        for pk in hit:
            days[pk].add(day)
    return {pk: sorted(found) for pk, found in days.items()}


def deducted_proceeds(case_id: int) -> dict[int, Decimal]:
    """Booked deduction proceeds of the case per asset (asset id -> yuan): the money in the case account
    that came from disposing of that asset, for the funds domain's disposal guard on payouts."""
    rows = DeductionReceivable.objects.filter(
        case_id=case_id, booked=True, request__asset__isnull=False
    ).values_list("request__asset_id", "amount")
    out: dict[int, Decimal] = {}
    for asset_id, amount in rows:
        out[asset_id] = out.get(asset_id, Decimal("0")) + amount
    return out


# Issue 20 (entrustment, 委托执行规定 Art 6(3)): the controls of a case expiring before `until`.
def controls_expiring_before(case: EnforcementCase, until: date) -> list[Asset]:
    """Active controls of `case` expiring before `until`; `renewing` marks those with a renewal in flight."""
    rows = list(
        Asset.objects.filter(case=case, state__in=ACTIVE_STATES, control_expires__lt=until).order_by(
            "control_expires", "pk"
        )
    )
    busy = set(
        InquiryRequest.objects.filter(asset__in=rows, action=Action.RENEW, status__in=IN_FLIGHT).values_list(
            "asset_id", flat=True
        )
    )
    for a in rows:
        a.renewing = a.pk in busy  # type: ignore[attr-defined]
    return rows
