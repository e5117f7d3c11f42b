"""Reads for the performance schedule (履行明细) and the delay interest of a case.

A resumed case (执恢, `EnforcementCase.origin`) continues its original case: the instrument's amounts,
the original's dated payments and its interest-excluded periods are carried, so the schedule goes on
from where the original stopped instead of restarting on the remaining principal. The chain is walked
from the root (the first case) to the case asked for.

Every other domain asks here for the doubled interest or what the debtor still owes (inquiry's claim,
funds' surplus refund), so one computation answers everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from . import conf
from .cost_rules import applicant_advanced, costs_owed
from .fees import computes_delay_interest
from .interest_exclusions import EXCLUSIONS, excludes_interest, period_key, suspension_key
from .judgment_terms import RMB, convert_instalments, late_performance_fee, to_rmb
from .models import (
    EnforcementCase,
    EnforcementCost,
    ExcludedPeriod,
    Instalment,
    Payment,
    PaymentOrderAgreement,
    Suspension,
)
from .rules import DELAY_RATE, Pause
from .schedule import (
    LEGAL_ORDER,
    Bucket,
    RunningInterest,
    Schedule,
    ScheduleRow,
    build_schedule,
    order_label,
    parse_order,
)

__all__ = [
    "CaseSchedule",
    "PausedPeriod",
    "case_chain",
    "case_schedule",
    "chain_payments",
    "interest_pauses",
]

MAX_CHAIN = 20  # a resumed case of a resumed case…: far more than any real chain


@dataclass(frozen=True)
class PausedPeriod:
    """A suspension or excluded period of the chain, with whether it stops the doubled interest."""

    label: str
    start: date
    end: date | None
    excluded: bool
    article: str
    reason: str
    case_number: str


@dataclass(frozen=True)
class CaseSchedule:
    schedule: Schedule
    chain: list[EnforcementCase]
    periods: list[PausedPeriod]
    agreement: PaymentOrderAgreement | None
    order_label: str
    money: bool
    row_cases: list[str]  # the case number of each schedule row's payment
    running: RunningInterest | None = None  # general interest at the adjudged annual rate
    instalments: tuple[tuple[date, Decimal], ...] = ()  # (deadline, amount) of each instalment
    currency: str = RMB  # the currency the schedule is computed in
    instrument_currency: str = RMB  # the currency the instrument fixes the money debt in
    fx_rate: Decimal | None = None  # RMB for 1 unit, when the instrument's amounts were converted
    late_fee: Decimal = Decimal("0.00")  # 迟延履行金 of a non-money obligation, in the principal bucket
    acceleration: bool = False  # the instrument's acceleration clause (加速到期)
    principal_amount: Decimal = Decimal("0.00")  # the principal as computed (RMB; + 迟延履行金 of an act)
    litigation_amount: Decimal = Decimal("0.00")  # the litigation costs as computed (RMB)
    doubled_foreign: Decimal | None = None  # the doubled part in the instrument's currency (Art 5)
    # Costs recorded on the chain that the debtor bears (执行程序解释 Art 26 media publication…), in the
    # costs bucket with the application fee; the part the applicant advanced is owed back to it.
    recorded_costs: Decimal = Decimal("0.00")
    applicant_advanced: Decimal = Decimal("0.00")

    @property
    def instalments_due(self) -> list[tuple[int, date, Decimal, bool]]:
        """(number, deadline, amount, expired on the schedule's date) of each instalment."""
        until = self.schedule.until
        return [(i, d, a, d < until) for i, (d, a) in enumerate(self.instalments, start=1)]

    @property
    def root(self) -> EnforcementCase:
        return self.chain[0]

    @property
    def rows_with_cases(self) -> list[tuple[ScheduleRow, str]]:
        return list(zip(self.schedule.rows, self.row_cases, strict=True))

    @property
    def carried(self) -> bool:
        return len(self.chain) > 1


def case_chain(case: EnforcementCase) -> list[EnforcementCase]:
    """The case and the cases it resumes, root first."""
    chain = [case]
    seen = {case.pk}
    while chain[0].origin_id and len(chain) < MAX_CHAIN:
        origin = EnforcementCase.objects.select_related("court").get(pk=chain[0].origin_id)
        if origin.pk in seen:
            break
        seen.add(origin.pk)
        chain.insert(0, origin)
    return chain


def chain_payments(chain: list[EnforcementCase]) -> list[tuple[date, Decimal, int]]:
    """Dated payments (date, amount, case id) of every case of the chain, in date order; a reversal
    cancels the latest earlier payments it undoes (money that bounced was never performed)."""
    kept: list[list[Any]] = []
    rows = Payment.objects.filter(case_id__in=[c.pk for c in chain]).order_by("paid_on", "id")
    for paid_on, amount, case_id in rows.values_list("paid_on", "amount", "case_id"):
        if amount > 0:
            kept.append([paid_on, amount, case_id])
            continue
        owed = -amount
        while owed > 0 and kept:
            take = min(owed, kept[-1][1])
            kept[-1][1] -= take
            owed -= take
            if kept[-1][1] == 0:
                kept.pop()
    return [(d, a, c) for d, a, c in kept if a > 0]


def _periods(chain: list[EnforcementCase]) -> list[PausedPeriod]:
    overrides = conf.interest_excluded()
    numbers = {c.pk: c.number for c in chain}
    out: list[PausedPeriod] = []
    ids = list(numbers)
    for s in Suspension.objects.filter(case_id__in=ids).order_by("start", "id"):
        key = "suspension:instrument_review" if s.instrument_review else suspension_key(s.ground)
        row = EXCLUSIONS.get(key)
        out.append(
            PausedPeriod(
                label=f"中止执行：{s.get_ground_display()}",
                start=s.start,
                end=s.end,
                excluded=excludes_interest(key, s.debtor_requested, overrides),
                article=row.article if row else "",
                reason=row.reason if row else "",
                case_number=numbers[s.case_id],
            )
        )
    for p in ExcludedPeriod.objects.filter(case_id__in=ids).order_by("start", "id"):
        key = period_key(p.kind)
        row = EXCLUSIONS.get(key)
        out.append(
            PausedPeriod(
                label=p.get_kind_display(),
                start=p.start,
                end=p.end,
                excluded=excludes_interest(key, p.debtor_requested, overrides),
                article=row.article if row else "",
                reason=row.reason if row else "",
                case_number=numbers[p.case_id],
            )
        )
    out.sort(key=lambda p: p.start)
    return out


def interest_pauses(case: EnforcementCase) -> list[Pause]:
    """Only the periods 迟延履行利息解释 Art 3(3) excludes, over the whole chain."""
    return [Pause(p.start, p.end) for p in _periods(case_chain(case)) if p.excluded]


def _agreement(chain: list[EnforcementCase]) -> PaymentOrderAgreement | None:
    latest = (
        PaymentOrderAgreement.objects.filter(case_id__in=[c.pk for c in chain])
        .order_by("-agreed_on", "-id")
        .first()
    )
    return latest if latest is not None and latest.order else None


def case_schedule(case: EnforcementCase, until: date, *, extra_costs: Decimal = Decimal("0")) -> CaseSchedule:
    """The schedule of `case` (with its original cases) up to `until`.

    `extra_costs`: actual enforcement costs the funds domain has booked (they are owed first, like the
    application fee). A non-money case accrues no doubled interest (Art 1 computes it on money debts).
    """
    chain = case_chain(case)
    root = chain[0]
    agreement = _agreement(chain)
    order = parse_order(agreement.order) if agreement else conf.payment_order()
    periods = _periods(chain)
    money = computes_delay_interest(root.obligation) or root.principal > 0
    # rule
    fee = sum((Decimal(c.application_fee) for c in chain), Decimal("0"))  # not prepaid: the debtor owes it
    # rule
    cost_rows = list(EnforcementCost.objects.filter(case__in=chain).values_list("advanced_by", "amount"))
    recorded = costs_owed(a for _, a in cost_rows)
    extra_costs = extra_costs + recorded
    payments = chain_payments(chain)
    numbers = {c.pk: c.number for c in chain}
    principal = Decimal(root.principal)
    litigation = Decimal(root.litigation_costs)
    adjudged = Decimal(root.adjudged_interest)
    instalments = list(Instalment.objects.filter(case=root).order_by("seq").values_list("due_on", "amount"))
    fx_rate = None
    currency = root.currency or RMB
    foreign = None
    # rule
    if currency != RMB and root.fx_rate:
        # Art 5: the instrument's amounts converted at the central parity of the start day; the case's
        # money (ledger, payments, seizure ceiling) is RMB, so the schedule runs in RMB. Unless the
        # applicant asked for RMB, the doubled part is also stated in the foreign currency (payments
        # converted back at the same rate).
        fx_rate = Decimal(root.fx_rate)
        if not root.fx_in_rmb:
            foreign = (principal, litigation, adjudged, list(instalments))
        principal, litigation, adjudged = (to_rmb(v, fx_rate) for v in (principal, litigation, adjudged))
        instalments = convert_instalments(instalments, principal + litigation, fx_rate)
        currency = RMB
    running = None
    if root.interest_rate and root.interest_from:
        running = RunningInterest(
            rate_percent=Decimal(root.interest_rate),
            start=root.interest_from,
            cap=principal,
            day_basis=conf.interest_day_basis(),
        )
    # rule
    late_fee = Decimal("0.00")
    if not computes_delay_interest(root.obligation):
        late_fee = late_performance_fee(root.late_fee_loss, root.late_fee_decided)
    schedule = build_schedule(
        principal=principal + litigation,
        late_fee=late_fee,
        interest=adjudged,
        costs=fee + extra_costs,
        deadline=root.performance_deadline,
        until=until,
        payments=[(d, a) for d, a, _ in payments],
        pauses=[Pause(p.start, p.end) for p in periods if p.excluded],
        order=order,
        rate=DELAY_RATE if money else Decimal("0"),
        running=running,
        instalments=instalments,
        acceleration=root.instalment_acceleration,
    )
    doubled_foreign = None
    if foreign is not None and fx_rate is not None:
        fp, fl, fa, fi = foreign
        doubled_foreign = build_schedule(
            principal=fp + fl,
            interest=fa,
            costs=((fee + extra_costs) / fx_rate).quantize(Decimal("0.01")),
            deadline=root.performance_deadline,
            until=until,
            payments=[(d, (a / fx_rate).quantize(Decimal("0.01"))) for d, a, _ in payments],
            pauses=[Pause(p.start, p.end) for p in periods if p.excluded],
            order=order,
            rate=DELAY_RATE if money else Decimal("0"),
            instalments=fi,
            acceleration=root.instalment_acceleration,
        ).doubled_total
    return CaseSchedule(
        schedule=schedule,
        chain=chain,
        periods=periods,
        agreement=agreement,
        order_label=order_label(order),
        money=money,
        row_cases=[numbers[c] for d, _, c in payments if d <= until],
        running=running,
        instalments=tuple(instalments),
        currency=currency,
        instrument_currency=root.currency or RMB,
        fx_rate=fx_rate,
        late_fee=late_fee,
        acceleration=root.instalment_acceleration,
        principal_amount=principal + late_fee,
        litigation_amount=litigation,
        doubled_foreign=doubled_foreign,
        recorded_costs=recorded,
        applicant_advanced=applicant_advanced(cost_rows),
    )


def doubled_owed(case: EnforcementCase, until: date) -> Decimal:
    """The doubled interest still owed on `until` (accrued minus what payments applied to it)."""
    return case_schedule(case, until).schedule.owed[Bucket.DOUBLED]


LEGAL_ORDER_LABEL = order_label(LEGAL_ORDER)
