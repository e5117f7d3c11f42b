"""The debtor's record next to the ability-to-pay indicators: the case's asset register and credit record.

Read through the other domains' query modules only: the register (controlled, frozen, seized,
deducted, released) from `zhixing.inquiry.queries_targeted`, the listing and restrictions from
`zhixing.credit.queries`. The register is a person's property: it is shown only to the roles that may
see a case's register (`inquiry.access.can_view_register`), and the caller audits the look
(`inquiry.services.record_register_view`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zhixing.credit import queries as credit_queries
from zhixing.inquiry import access as inquiry_access
from zhixing.inquiry import queries_targeted as inquiry_targeted

from .queries import DebtorRef


@dataclass
class DebtorRecord:
    register: inquiry_targeted.RegisterSummary | None  # None: the user may not see the register
    listing: Any  # the active dishonest-debtor listing in this case, or None
    restrictions: list[Any]
    listings: int  # listings of this debtor in this case, whatever their status


def may_see_register(user: Any, ref: DebtorRef) -> bool:
    return inquiry_access.can_view_register(user, ref.case.court)


def debtor_record(user: Any, ref: DebtorRef) -> DebtorRecord:
    register = (
        inquiry_targeted.register_summary(ref.case.pk, ref.party.pk) if may_see_register(user, ref) else None
    )
    credit = credit_queries.case_credit(ref.case)
    row = next((d for d in credit["debtors"] if d.party.pk == ref.party.pk), None)
    return DebtorRecord(
        register=register,
        listing=row.listing if row else None,
        restrictions=list(row.restrictions) if row else [],
        listings=len(row.history) if row else 0,
    )
