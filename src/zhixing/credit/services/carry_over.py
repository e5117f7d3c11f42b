"""A resumed (执恢) case carries its original's credit measures: the dishonest listing (失信名单) and the
consumption and exit restrictions (限制消费令, 限制出境) in force when a 终本 or closed case is resumed
(2014 立结案意见 Art 6; docs/rules-additions.md "执恢 carries the credit measures").

The measure is neither revoked nor issued again: the same row — its decision number, dates, publication
and term — moves to the resumed case and its copy of the same person, so screening partners see no gap
and no second decision, and the credit rules (removal on full performance, on termination…) now act on
the case being enforced. `carried_from` keeps the original case for history; lifted or removed measures
stay with the original. Runs inside the filing's transaction (`cases.events.case_refiled`).
"""

from __future__ import annotations

from typing import Any

from zhixing.cases.models import EnforcementCase, Party
from zhixing.core import audit

from ..models import Listing, Restriction
from .register import refresh_subject


def _key(p: Party) -> tuple[str, str]:
    return (p.role, p.id_number or p.credit_code or f"name:{p.name}")


def carry_over(origin: EnforcementCase, case: EnforcementCase, actor: Any) -> tuple[int, int]:
    """Move the original's active listings and restrictions to the resumed case: (listings, restrictions)."""
    new_parties = {_key(p): p.pk for p in Party.objects.filter(case_id=case.pk)}
    old_parties = {p.pk: _key(p) for p in Party.objects.filter(case_id=origin.pk)}

    def target(party_id: int) -> int | None:
        return new_parties.get(old_parties.get(party_id, ("", "")))

    listings = list(
        Listing.objects.select_for_update()
        .filter(case_id=origin.pk, status=Listing.Status.ACTIVE)
        .order_by("id")
    )
    restrictions = list(
        Restriction.objects.select_for_update()
        .filter(case_id=origin.pk, status=Restriction.Status.ACTIVE)
        .order_by("id")
    )
    items: list[dict[str, Any]] = []
    keys: set[str] = set()
    moved = {"Listing": 0, "Restriction": 0}
    for model, rows in ((Listing, listings), (Restriction, restrictions)):
        for row in rows:
            party_id = target(row.party_id)
            if party_id is None:  # the debtor was not copied (removed before resumption): stays behind
                continue
            model.objects.filter(pk=row.pk).update(case_id=case.pk, party_id=party_id, carried_from=origin)
            moved[model.__name__] += 1
            keys.add(row.subject_key)
            items.append(
                {
                    "action": "credit.carry_over",
                    "object_type": model.__name__,
                    "object_id": row.pk,
                    "case_id": case.pk,
                    "before": {"case": origin.number},
                    "after": {
                        "case": case.number,
                        "carried_from": origin.number,
                        "document_number": row.document_number,
                        "name": row.name,
                        "status": row.status,
                    },
                }
            )
    if items:
        audit.record_many(actor, items, court=case.court)
        # The mask stays (same rows, same status); the change event makes every screening worker read the
        # subject's court and case number again, so partners are told the case now enforcing it.
        for key in sorted(keys):
            refresh_subject(key)
    return moved["Listing"], moved["Restriction"]


def on_refiled(
    sender: Any, origin: EnforcementCase, case: EnforcementCase, actor: Any = None, **kw: Any
) -> None:
    carry_over(origin, case, actor)
