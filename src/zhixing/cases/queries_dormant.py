"""Reads of dormant (终本) cases for other domains and the command center: the compliance check.

`dormant_compliance` scores every case closed as 终本 in a period (终本合格率): compliant when every
precondition held at closing (system record, the judge's confirmation with evidence, or not applicable)
and the ruling was generated. A dormant case with no review (closed before the checks existed, or by a
path that skipped them) is scored too — as non-compliant, with every precondition unknown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from . import rules_dormant
from .choices import ClosingMode
from .models import DormantReview, EnforcementCase


@dataclass(frozen=True)
class CaseScore:
    case_id: int
    number: str
    court_id: int
    closed_on: date
    met: int
    total: int
    compliant: bool
    missing: tuple[str, ...]  # labels of the preconditions not shown as held


@dataclass
class Compliance:
    """终本合格率 of some courts over a period of closing dates (both ends included)."""

    total: int = 0
    compliant: int = 0
    by_court: dict[int, tuple[int, int]] = field(default_factory=dict)  # court id → (compliant, total)
    cases: list[CaseScore] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return self.compliant / self.total if self.total else None


def _score(
    case_id: int, number: str, court_id: int, closed_on: date, review: DormantReview | None
) -> CaseScore:
    states = review.states if review else {}
    s = rules_dormant.score(states, ruling=bool(review and review.ruling_id))
    missing = tuple(
        p.label
        for p in rules_dormant.PRECONDITIONS
        if states.get(p.key, rules_dormant.MISSING) == rules_dormant.MISSING
    )
    if review is None or not review.ruling_id:
        missing = (*missing, "终本裁定书已生成")
    return CaseScore(case_id, number, court_id, closed_on, s.met, s.total, s.compliant, missing)


def dormant_compliance(court_ids: Iterable[int], start: date, end: date) -> Compliance:
    """Score every case of `court_ids` closed as 终本 between `start` and `end` (inclusive). Two queries.

    Every dormant closing counts, including cases resumed since (the closing's quality does not change).

    # rule: R-5.12
    """
    ids = list(court_ids)
    out = Compliance()
    if not ids or end < start:
        return out
    rows = list(
        EnforcementCase.objects.filter(
            court_id__in=ids, closing_mode=ClosingMode.DORMANT, closed_on__gte=start, closed_on__lte=end
        )
        .order_by("closed_on", "id")
        .values_list("id", "number", "court_id", "closed_on")
    )
    reviews = {r.case_id: r for r in DormantReview.objects.filter(case_id__in=[r[0] for r in rows])}
    for case_id, number, court_id, closed_on in rows:
        assert closed_on is not None  # the filter above requires a closing date
        sc = _score(case_id, number, court_id, closed_on, reviews.get(case_id))
        out.cases.append(sc)
        out.total += 1
        out.compliant += sc.compliant
        good, total = out.by_court.get(court_id, (0, 0))
        out.by_court[court_id] = (good + sc.compliant, total + 1)
    return out


def review_of(case: EnforcementCase) -> DormantReview | None:
    return DormantReview.objects.filter(case_id=case.pk).select_related("ruling").first()
