"""A case's plan (what happens to it and when) and the deadline cache both seeding paths share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from zhixing.cases.models import ClosingMode
from zhixing.cases.rules import Deadline, Pause, Unit, compute_deadline
from zhixing.core.workdays import WorkCalendar
from zhixing.courts.models import Staff

from .people import PartySpec
from .province import CourtCast

TERMINATION_GROUNDS = (
    "applicant_withdraws",
    "basis_revoked",
    "debtor_died_no_estate",
    "debtor_bankrupt",
    "other",
)
REFUSAL_REASONS = (
    "裁决的事项不属于仲裁协议的范围",
    "仲裁庭的组成或者仲裁的程序违反法定程序",
    "公证债权文书的内容与事实不符",
    "执行该文书违背社会公共利益",
)
DISMISSAL_REASONS = (
    "申请执行超过法定期间且无中止、中断事由",
    "申请执行人不是执行依据确定的权利人",
    "执行依据的给付内容不明确",
)
LEAD_NOTE = "申请执行人提供财产线索"
INVESTIGATION_SUMMARY = "经网络查控及传统调查，未发现被执行人有可供执行的财产，已限制高消费"


@dataclass(frozen=True)
class NodeKind:
    """What the seeder needs of a NodeType row."""

    pk: int
    code: str
    budget: int
    budget_non_litigation: int | None
    unit: str
    anchor: str
    roll: bool
    pausable: bool
    extendable: bool
    auto_create: bool
    completion: str

    def budget_for(self, non_litigation: bool) -> int:
        if non_litigation and self.budget_non_litigation:
            return self.budget_non_litigation
        return self.budget


@dataclass
class SuspensionPlan:
    start: date
    end: date | None  # None: still suspended today
    ground: str
    resumed: bool  # ended by a resumption order (False: ended by closing the case while suspended)


@dataclass
class CasePlan:
    """Everything that happens to one case, decided up front."""

    cast: CourtCast
    filed_on: date
    applied_on: date
    effective_on: date
    performance_deadline: date
    instrument: str
    issuing_body: str
    basis_number: str
    principal: Decimal
    interest: Decimal
    costs: Decimal
    parties: list[tuple[str, PartySpec]]  # (role, party)
    filer: Staff
    handler: Staff | None = None
    assigned_on: date | None = None
    completions: dict[str, date] = field(default_factory=dict)  # manual node code -> completed on
    lead: tuple[date, date | None] | None = None  # verify_lead started, completed
    suspension: SuspensionPlan | None = None
    extension: tuple[date, str, date | None] | None = None  # requested on, final status, decided on
    closing: tuple[str, date] | None = None  # mode, closed on
    origin: CasePlan | None = None
    resume_on: date | None = None
    choice: int = 0  # a random number for per-case text choices
    # filled in when written
    pk: int | None = None
    number: str = ""

    @property
    def non_litigation(self) -> bool:
        return self.instrument == "administrative_decision"

    @property
    def claim(self) -> Decimal:
        return self.principal + self.interest + self.costs

    def closing_details(self) -> dict[str, str]:
        """The closing mode's required fields (closing.CLOSING_FIELDS)."""
        assert self.closing is not None
        mode, closed_on = self.closing
        c = self.choice
        if mode == ClosingMode.PERFORMED:
            return {
                "document_ref": f"{self.number}结案通知书",
                "performed_amount": str(self.claim),
                "how": ("voluntary", "compulsory", "compulsory", "settlement")[c % 4],
            }
        if mode == ClosingMode.DORMANT:
            return {
                "document_ref": f"{self.number}之二",
                "interview_on": (closed_on - timedelta(days=3 + c % 20)).isoformat(),
                "approval": ("applicant_confirmed", "collegial_panel")[c % 2],
                "investigation_summary": INVESTIGATION_SUMMARY,
            }
        if mode == ClosingMode.TERMINATED:
            return {
                "document_ref": f"{self.number}之二",
                "ground": TERMINATION_GROUNDS[c % len(TERMINATION_GROUNDS)],
                "served_on": closed_on.isoformat(),  # 民事诉讼法第269条: effective on service
            }
        if mode == ClosingMode.WITHDRAWN:
            return {
                "document_ref": f"{self.number}销案",
                "ground": ("entrusted", "jurisdiction", "other")[c % 3],
            }
        if mode == ClosingMode.REFUSED:
            return {"document_ref": f"{self.number}之一", "reason": REFUSAL_REASONS[c % len(REFUSAL_REASONS)]}
        return {"document_ref": f"{self.number}之一", "reason": DISMISSAL_REASONS[c % len(DISMISSAL_REASONS)]}


NODE_DOCUMENTS = {
    "network_inquiry": "网络查控记录",
    "notice": "执行通知书、报告财产令",
    "investigation": "财产调查报告",
    "verify_lead": "财产线索核查记录",
    "ask_leads": "告知申请执行人提供财产线索通知",
}


class Deadlines:
    """`compute_deadline` with a cache for the common case (no suspension): few distinct start dates."""

    def __init__(self, cal: WorkCalendar) -> None:
        self.cal = cal
        self._cache: dict[tuple[date, int, bool, int], Deadline] = {}

    def due(
        self, nt: NodeKind, start: date, non_litigation: bool, extra: int = 0, pauses: Sequence[Pause] = ()
    ) -> Deadline:
        extra = extra if nt.extendable else 0
        if pauses and nt.pausable:
            return compute_deadline(
                start,
                nt.budget_for(non_litigation),
                Unit(nt.unit),
                self.cal,
                pauses=pauses,
                extra_months=extra,
                roll_to_workday=nt.roll,
            )
        key = (start, nt.pk, non_litigation, extra)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = compute_deadline(
                start,
                nt.budget_for(non_litigation),
                Unit(nt.unit),
                self.cal,
                extra_months=extra,
                roll_to_workday=nt.roll,
            )
        return hit
