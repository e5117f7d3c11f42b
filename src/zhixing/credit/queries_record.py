"""What the record already knows when a judge considers listing under item (1) (失信规定 Art 3).

Art 3(ii) — property already seized, frozen or deducted suffices to pay — is a fact of the asset
register: the case's controlled total (inquiry's query module, deductions counted once there) against
what the case still owes (principal + interest + delay interest + costs − paid, rules.md §6.3). The
listing form, the API and the listing service all read it here; the judge confirms only (i), (iii) and
(iv), which the record cannot know.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from zhixing.cases.models import EnforcementCase, Obligation
from zhixing.core.money import round_fen, yuan
from zhixing.inquiry import queries as inquiry_queries

from . import rules

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Ground1Record:
    """The register's answer to Art 3(ii) for one case, in yuan."""

    applicable: bool  # a money case: act-performance cases owe no sum the register could cover
    controlled: Decimal
    owed: Decimal

    @property
    def covered(self) -> bool:
        return self.applicable and rules.controlled_covers(self.controlled, self.owed)

    @property
    def figures(self) -> str:
        if not self.applicable:
            return "行为履行案件，不适用已控制财产核查"
        return f"已控制财产 {yuan(self.controlled)} 元 / 尚欠 {yuan(self.owed)} 元"

    @property
    def refusal(self) -> str:
        return rules.ground1_refusal(self.controlled, self.owed) if self.covered else ""


def ground1_record(case: EnforcementCase) -> Ground1Record:
    """Controlled total against what is still owed, read now (inquiry.queries.case_headroom)."""
    if case.obligation != Obligation.MONEY:
        return Ground1Record(False, ZERO, ZERO)
    claim, controlled, _ = inquiry_queries.case_headroom(case)
    return Ground1Record(True, round_fen(controlled), claim.outstanding)
