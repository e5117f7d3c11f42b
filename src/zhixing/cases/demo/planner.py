"""The planner: decides each demo case's story (filing, assignment, nodes, suspension, extension, closing)."""

from __future__ import annotations

import bisect
import random
from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from decimal import Decimal

from zhixing.cases.closing import add_months
from zhixing.cases.models import ClosingMode, Extension, NodeType, Party
from zhixing.courts.models import Team

from .people import PartySpec, People
from .plan import CasePlan, Deadlines, NodeKind, SuspensionPlan
from .province import CourtCast, Province

FIRST_FILING_DAY = date(2024, 1, 1)

# instrument code, weight
INSTRUMENTS = (
    ("civil_judgment", 0.45),
    ("mediation", 0.18),
    ("civil_ruling", 0.05),
    ("payment_order", 0.04),
    ("criminal_property", 0.03),
    ("arbitral_award", 0.08),
    ("notarised_debt", 0.07),
    ("administrative_decision", 0.10),
)
# closing mode, weight, duration sampler (days from filing)
CLOSINGS: tuple[tuple[str, float, Callable[[random.Random], int]], ...] = (
    (
        ClosingMode.PERFORMED,
        0.45,
        lambda r: r.choices((r.randint(10, 120), r.randint(121, 180), r.randint(181, 400)), (6, 3, 1))[0],
    ),
    (ClosingMode.DORMANT, 0.33, lambda r: r.randint(95, 420)),
    (ClosingMode.TERMINATED, 0.08, lambda r: r.randint(30, 300)),
    (ClosingMode.WITHDRAWN, 0.05, lambda r: r.randint(3, 60)),
    (ClosingMode.REFUSED, 0.04, lambda r: r.randint(10, 90)),
    (ClosingMode.DISMISSED, 0.05, lambda r: r.randint(5, 45)),
)
NEVER_CLOSES = 0.04  # long-running cases, mostly overdue by now
SUSPENSION_SHARE = 0.09
LEAD_SHARE = 0.10
EXTENSION_SHARE = 0.35  # of the cases still open a little before their term ends
RESUME_SHARE = 0.3  # of dormant cases (sampled down to RESUMED_SHARE of the total)
SUSPENSION_GROUNDS = ("applicant_agrees", "objection", "heir_pending", "successor_pending", "other")


class Planner:
    """Decides each case's story: who files and handles it, which nodes are done when, how it ends."""

    def __init__(
        self,
        rng: random.Random,
        people: People,
        province: Province,
        today: date,
        deadlines: Deadlines,
        node_kinds: dict[str, NodeKind],
    ) -> None:
        self.r = rng
        self.people = people
        self.province = province
        self.today = today
        self.deadlines = deadlines
        self.term = next(nk for nk in node_kinds.values() if nk.completion == NodeType.Completion.ON_CLOSING)
        self.cal = deadlines.cal
        self._next_workday: dict[date, date] = {}
        self.workdays = [d for d in _days(FIRST_FILING_DAY, today) if self.cal.is_workday(d)]
        self.instruments = [code for code, _ in INSTRUMENTS]
        self.instrument_cum = _cumulative([w for _, w in INSTRUMENTS])
        self.closing_cum = _cumulative([w for _, w, _ in CLOSINGS])
        self.court_cum = _cumulative([c.locale.weight for c in province.basic])

    def wd(self, d: date) -> date:
        """`d`, or the next working day."""
        hit = self._next_workday.get(d)
        if hit is None:
            hit = self._next_workday[d] = self.cal.next_workday(d)
        return hit

    def prev_wd(self, d: date) -> date:
        while not self.cal.is_workday(d):
            d -= timedelta(days=1)
        return d

    def filing_days(self, n: int) -> list[date]:
        """`n` filing days (working days), a little more recent filings than old ones, ascending."""
        count = len(self.workdays)
        cum = _cumulative([1.0 + 0.4 * i / count for i in range(count)])
        return sorted(self.r.choices(self.workdays, cum_weights=cum, k=n))

    def court(self) -> CourtCast:
        return self.province.basic[bisect.bisect(self.court_cum, self.r.random() * self.court_cum[-1])]

    def plan(self, cast: CourtCast, filed_on: date, origin: CasePlan | None = None) -> CasePlan:
        r, people, loc = self.r, self.people, cast.locale
        if origin is None:
            instrument = self.instruments[
                bisect.bisect(self.instrument_cum, r.random() * self.instrument_cum[-1])
            ]
            applied = filed_on - timedelta(days=r.randint(0, 5))
            deadline = applied - timedelta(days=r.randint(1, 360))
            effective = deadline - timedelta(days=r.choice((10, 15, 15, 30)))
            issuing, basis = self._basis(cast, instrument, effective)
            principal = Decimal(min(max(r.lognormvariate(11.0, 1.3), 500), 50_000_000)).quantize(
                Decimal("0.01")
            )
            interest = (
                (principal * Decimal(r.randint(1, 15)) / 100).quantize(Decimal("0.01"))
                if r.random() < 0.3
                else Decimal("0.00")
            )
            costs = (principal / 100 + 50).quantize(Decimal("0.01")) if r.random() < 0.7 else Decimal("0.00")
            debtors = [people.debtor(loc, filed_on) for _ in range(r.choices((1, 2, 3), (15, 4, 1))[0])]
            parties: list[tuple[str, PartySpec]] = [(Party.Role.APPLICANT, people.applicant(loc, filed_on))]
            seen = {parties[0][1].id_number or parties[0][1].credit_code}
            for d in debtors:
                key = d.id_number or d.credit_code
                if key not in seen:
                    seen.add(key)
                    parties.append((Party.Role.DEBTOR, d))
            plan = CasePlan(
                cast=cast,
                filed_on=filed_on,
                applied_on=applied,
                effective_on=effective,
                performance_deadline=deadline,
                instrument=instrument,
                issuing_body=issuing,
                basis_number=basis,
                principal=principal,
                interest=interest,
                costs=costs,
                parties=parties,
                filer=r.choice(cast.filers),
            )
        else:
            plan = CasePlan(
                cast=cast,
                filed_on=filed_on,
                applied_on=max(origin.effective_on, filed_on - timedelta(days=r.randint(0, 3))),
                effective_on=origin.effective_on,
                performance_deadline=origin.performance_deadline,
                instrument=origin.instrument,
                issuing_body=origin.issuing_body,
                basis_number=origin.basis_number,
                principal=origin.principal,
                interest=origin.interest,
                costs=origin.costs,
                parties=origin.parties,
                filer=origin.filer,
                origin=origin,
            )
            plan.handler = origin.handler
        plan.choice = r.randrange(1 << 30)
        self._story(plan)
        return plan

    def _basis(self, cast: CourtCast, instrument: str, effective: date) -> tuple[str, str]:
        r, loc, y, n = self.r, cast.locale, effective.year, self.r.randint(1, 60000)
        code = cast.court.code
        if instrument in (
            "civil_judgment",
            "mediation",
            "civil_ruling",
            "payment_order",
            "criminal_property",
        ):
            if instrument == "civil_judgment" and r.random() < 0.15:
                parent = cast.court.parent
                assert parent is not None
                return parent.name, f"（{y}）{parent.code}民终{n}号"
            kind = {
                "civil_judgment": "民初",
                "mediation": "民初",
                "civil_ruling": "民特",
                "payment_order": "民督",
                "criminal_property": "刑初",
            }[instrument]
            return cast.court.name, f"（{y}）{code}{kind}{n}号"
        if instrument == "arbitral_award":
            if loc.short == "穗":
                return "广州仲裁委员会", f"（{y}）穗仲案字第{n}号"
            return "深圳国际仲裁院", f"（{y}）深国仲裁{n}号"
        if instrument == "notarised_debt":
            if loc.short == "穗":
                return "广东省广州市南方公证处", f"（{y}）粤广南方第{n}号"
            return "广东省深圳市深圳公证处", f"（{y}）深证字第{n}号"
        body = r.choice(("市场监督管理局", "人力资源和社会保障局", "城市管理和综合执法局"))
        return f"{loc.city}{loc.district}{body}", f"{loc.short}{loc.district[0]}{body[:2]}罚〔{y}〕{n}号"

    def _story(self, p: CasePlan) -> None:
        r, today, F = self.r, self.today, p.filed_on
        # How it ends (if it has ended by today).
        if r.random() >= NEVER_CLOSES:
            i = bisect.bisect(self.closing_cum, r.random() * self.closing_cum[-1])
            mode, _, duration = CLOSINGS[i]
            if mode == ClosingMode.REFUSED and p.instrument not in ("arbitral_award", "notarised_debt"):
                mode = ClosingMode.DISMISSED
            ends = self.wd(F + timedelta(days=duration(r)))
            if mode == ClosingMode.DORMANT:
                ends = max(ends, self.wd(add_months(F, 3) + timedelta(days=1)))
            if ends <= today:
                p.closing = (mode, ends)
        closed_on = p.closing[1] if p.closing else None
        cutoff = closed_on or today

        # Assignment (分案): usually within the 7-day limit, sometimes late; always before closing.
        first = self.wd(F + timedelta(days=r.randint(0, 5) if r.random() < 0.9 else r.randint(6, 14)))
        assigned = first if first <= cutoff else closed_on
        if assigned is None:
            return  # still registered, waiting for a handler
        p.assigned_on = assigned
        if p.handler is None:
            cast = p.cast
            if r.random() < 0.12:
                p.handler = r.choice(cast.judges[Team.Kind.DORMANT])
            elif p.claim < 100_000:
                p.handler = r.choice(cast.judges[Team.Kind.FAST])
            else:
                p.handler = r.choice(cast.judges[Team.Kind.COMPLEX])

        # Suspension (中止执行).
        susp = None
        if r.random() < SUSPENSION_SHARE:
            start = self.wd(max(assigned, F + timedelta(days=r.randint(20, 150))))
            if (closed_on is None and start <= today) or (closed_on is not None and start < closed_on):
                day = self.wd(start + timedelta(days=r.randint(15, 200)))
                end: date | None = day
                resumed = True
                if p.closing is not None and day >= p.closing[1]:
                    end = p.closing[1]
                    # 执行完毕 cannot close a suspended case: it is resumed that day first.
                    resumed = p.closing[0] == ClosingMode.PERFORMED
                elif closed_on is None and day > today:
                    end = None
                susp = p.suspension = SuspensionPlan(start, end, r.choice(SUSPENSION_GROUNDS), resumed)

        def place(d: date) -> date | None:
            """A completion day, moved out of the suspension (no node work while suspended)."""
            if d > cutoff:
                return None
            if susp is not None and d >= susp.start and (susp.end is None or d < susp.end):
                if susp.end is None or not susp.resumed:
                    return None
                d = susp.end
            return d

        late = r.random
        planned = {
            "network_inquiry": self.wd(
                assigned + timedelta(days=r.randint(0, 2) if late() < 0.85 else r.randint(4, 10))
            ),
            "notice": self.wd(
                max(assigned, F + timedelta(days=r.randint(1, 8) if late() < 0.85 else r.randint(11, 30)))
            ),
            "investigation": self.wd(
                F + timedelta(days=r.randint(14, 30) if late() < 0.75 else r.randint(32, 90))
            ),
            # Created by the assignment, 3 days (2006 期限规定 Art 5); no draw, so the demo stays as it was.
            "ask_leads": self.wd(assigned + timedelta(days=1)),
        }
        for code, day in planned.items():
            done = place(day)
            if done is not None:
                p.completions[code] = done
        if p.closing and p.closing[0] == ClosingMode.DORMANT and "notice" not in p.completions:
            p.completions["notice"] = assigned  # 终本 needs the notice sent (终本规定 Art 1)

        if r.random() < LEAD_SHARE:
            started = self.wd(F + timedelta(days=r.randint(20, 150)))
            if started <= cutoff:
                done = place(
                    self.wd(started + timedelta(days=r.randint(1, 6) if late() < 0.8 else r.randint(8, 20)))
                )
                p.lead = (started, done)

        # Extension of the term (审限规定 Art 5): asked 5–20 days before the term ends,
        # decided by the president.
        if susp is None and r.random() < EXTENSION_SHARE:
            term = self.deadlines.due(self.term, F, p.non_litigation).due
            assert term is not None
            asked = self.prev_wd(term - timedelta(days=r.randint(5, 20)))
            if assigned <= asked <= today and (closed_on is None or asked < closed_on):
                day = self.wd(asked + timedelta(days=r.randint(1, 5)))
                decided: date | None = day
                status = Extension.Status.APPROVED if r.random() < 0.85 else Extension.Status.REJECTED
                if day > today or (closed_on is not None and day > closed_on):
                    status, decided = Extension.Status.REQUESTED, None
                p.extension = (asked, status, decided)

        # Resumption (恢复执行): new property found after 终本.
        if (
            p.origin is None
            and p.closing
            and p.closing[0] == ClosingMode.DORMANT
            and r.random() < RESUME_SHARE
        ):
            resume_on = self.wd(p.closing[1] + timedelta(days=r.randint(30, 400)))
            if resume_on <= today:
                p.resume_on = resume_on


def _days(first: date, last: date) -> Iterator[date]:
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


def _cumulative(weights: Sequence[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


# -- path 1: the real services ----------------------------------------------------------------------
