"""A resumed (执恢) case carries its original's property and controls (恢复执行: 2014 立结案意见 Art 6;
终本规定 Art 9): the assets found for the original that are not closed — frozen accounts, seized houses and
cars, queued seizures, and property found but not yet controlled (e.g. by the 终本 re-inquiry) — move to
the resumed case, so its register, control terms, renewals and releases work on the case being enforced.

Each asset is re-attached to the resumed case's copy of the same debtor (matched by identity number, or
by name when the debtor has none). The requests that found and controlled it stay with the original as
its history. Runs inside the filing's transaction (`cases.events.case_refiled`).
"""

from __future__ import annotations

from typing import Any

from zhixing.cases.models import EnforcementCase, Party
from zhixing.core import audit

from ..models import Asset, ControlAlert

GONE = (Asset.State.CLOSED, Asset.State.RELEASED, Asset.State.LAPSED)


def _key(p: Party) -> tuple[str, str]:
    return (p.role, p.id_number or p.credit_code or f"name:{p.name}")


# rule
def carry_over(origin: EnforcementCase, case: EnforcementCase, actor: Any, *, preserved: bool = False) -> int:
    """Move the original's live assets to the resumed case; how many moved.

    With `preserved` the origin is a preservation case (执保) taken over by the enforcement case filed for
    the same parties (诉执衔接): each moved asset is marked with the preservation's number. The row itself
    moves, so its seizure rank, registration and effective dates, term and the renewal requests that
    extended it stay as they were: a seizure another court registered later still ranks behind it.
    """
    new_parties = {_key(p): p.pk for p in Party.objects.filter(case_id=case.pk)}
    old_parties = {p.pk: _key(p) for p in Party.objects.filter(case_id=origin.pk)}
    assets = list(Asset.objects.filter(case_id=origin.pk).exclude(state__in=GONE).order_by("id"))
    moved = []
    for a in assets:
        party_id = new_parties.get(old_parties.get(a.party_id, ("", "")))
        if party_id is None:  # the debtor was not copied (removed before resumption): stays with the original
            continue
        extra = {"preserved_in": origin.number} if preserved else {}
        Asset.objects.filter(pk=a.pk).update(case_id=case.pk, party_id=party_id, **extra)
        moved.append(a)
    if moved:
        ControlAlert.objects.filter(asset_id__in=[a.pk for a in moved]).update(case_id=case.pk)
        audit.record_many(
            actor,
            [
                {
                    "action": "inquiry.preservation_carried" if preserved else "inquiry.carry_over",
                    "object_type": "Asset",
                    "object_id": a.pk,
                    "case_id": case.pk,
                    "before": {"case": origin.number},
                    "after": {
                        "case": case.number,
                        "kind": a.kind,
                        "ref": a.ref,
                        "state": a.state,
                        "seizure_rank": a.seizure_rank,
                        "control_expires": a.control_expires,
                    },
                }
                for a in moved
            ],
            court=case.court,
        )
    return len(moved)


def on_refiled(
    sender: Any, origin: EnforcementCase, case: EnforcementCase, actor: Any = None, **kw: Any
) -> None:
    carry_over(origin, case, actor)


def on_preservation_carried(
    sender: Any, preservation: EnforcementCase, case: EnforcementCase, actor: Any = None, **kw: Any
) -> None:
    carry_over(preservation, case, actor, preserved=True)
