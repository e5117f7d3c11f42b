"""The periodic sweep that makes a served third-party objection ruling final when nobody sued in time.

Every ruling (upheld or rejected) served on the objector opens 15 days to sue (CPL-2023 Art 238). Once
`suit_due` has passed without a suit recorded, `sweep` marks the objection final (`final_on`, the day
after the window; audited `objections.final`) and tells the consequence table, in the same transaction:

* rejected → `third_party_objection_cleared`: the claimed asset's suspended lot is resumed
  (网拍规定 Art 28: within 5 days after the cause ends — the sweep runs every hour);
* upheld → `third_party_objection_final`: the asset's freeze or seizure is released through inquiry's
  release service and any lot of it withdrawn (民诉解释 2015 numbering Art 314(2), to be confirmed).

Exactly once: the row is locked and `final_on` checked again before anything is written, and each
consequence row carries a key per objection. Running the sweep twice releases once.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit

from . import lot_consequences, rules
from .models import Objection


def _facts(obj: Objection) -> rules.BlockFacts:
    return rules.BlockFacts(
        obj.status, obj.served_on, obj.suit_due, obj.suit_state, obj.number, obj.retrial_state
    )


def due(today: date, limit: int = 200) -> list[int]:
    """Third-party objections served, past their window, with no suit or retrial application and not yet
    marked final."""
    return list(
        Objection.objects.filter(
            kind=Objection.Kind.THIRD_PARTY,
            status__in=(Objection.Status.UPHELD, Objection.Status.REJECTED),
            served_on__isnull=False,
            suit_due__lt=today,
            suit_state="",
            retrial_state="",  # a retrial application decides instead (retrial.py)
            final_on__isnull=True,
        )
        .order_by("suit_due", "pk")
        .values_list("pk", flat=True)[:limit]
    )


# rule
def mark_final(pk: int, today: date) -> bool:
    """Mark one objection final and send its event; False when it is not (or no longer) due."""
    with transaction.atomic():
        obj = Objection.objects.select_for_update(of=("self",)).select_related("case").get(pk=pk)
        if obj.final_on is not None or obj.kind != Objection.Kind.THIRD_PARTY:
            return False
        final = rules.final_on(_facts(obj), today)
        if final is None:
            return False
        obj.final_on = final
        obj.save(update_fields=["final_on"])
        upheld = obj.status == Objection.Status.UPHELD
        audit.record(
            None,
            "objections.final",
            object_type="objections.Objection",
            object_id=obj.pk,
            case_id=obj.case_id,
            after={
                "status": obj.status,
                "suit_due": obj.suit_due,
                "final_on": final,
                "cause": lot_consequences.UPHELD_FINAL if upheld else lot_consequences.LAPSED,
            },
            court=obj.court,
        )
        if upheld:
            lot_consequences.final(None, obj)
        else:
            lot_consequences.cleared(None, obj)
    return True


def sweep(today: date | None = None) -> int:
    """Periodic: every objection whose window to sue lapsed without a suit becomes final; returns how many."""
    today = today or timezone.localdate()
    return sum(mark_final(pk, today) for pk in due(today))
