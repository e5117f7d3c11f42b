"""Removing listings on time (失信规定 Arts 9–10) and the periodic scan that finds due removals.

Triggers the platform can verify itself (case closed as performed / terminated / not enforced, fixed
term expired) are removed by the scan as soon as it sees them, with the statutory due date recorded.
Triggers a judge records (applicant's request, dormant case after two empty inquiries, suspension for
retrial or bankruptcy, early removal) are removed by the judge; until then they show on the director's
supervision page, in red once overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.holidays import current_calendar

from .. import rules
from ..models import Listing, Restriction
from .access import require_write
from .register import refresh_subject
from .restrictions import lift_case_restrictions

# Case closing modes that are removal triggers under Art 10(1), read from the case's closing data.
CLOSING_TRIGGERS = {"performed": "performed", "terminated": "termination", "refused": "non_enforcement"}
# Triggers after which the debtor's restrictions in that case are lifted too (限消规定 Art 9: must lift).
LIFT_WITH = {"performed", "settlement"}


def _remove(actor: Any, listing: Listing, trigger: str, trigger_on: date, note: str) -> Listing:
    today = timezone.localdate()
    cal = current_calendar()
    listing.status = Listing.Status.REVOKED if trigger == "wrongful" else Listing.Status.REMOVED
    listing.removal_trigger, listing.trigger_on = trigger, trigger_on
    listing.removal_due = listing.removal_due or (
        rules.expiry_removal_due(trigger_on, cal)
        if trigger == "expired"
        else rules.removal_due(trigger_on, cal)
    )
    listing.removed_on, listing.removal_note = today, note[:200]
    listing.save(
        update_fields=["status", "removal_trigger", "trigger_on", "removal_due", "removed_on", "removal_note"]
    )
    audit.record(
        actor,
        "credit.remove",
        object_type="Listing",
        object_id=listing.pk,
        case_id=listing.case_id,
        before={"status": "active"},
        after={
            "status": listing.status,
            "trigger": trigger,
            "trigger_on": trigger_on,
            "removal_due": listing.removal_due,
            "removed_on": today,
            "note": note,
        },
    )
    if trigger in LIFT_WITH:
        lift_case_restrictions(actor, listing.case_id, listing.party_id, trigger, trigger_on)
    refresh_subject(listing.subject_key, today)
    return listing


def remove_listing(
    actor: Any, listing: Listing, *, trigger: str, trigger_on: date | None = None, note: str = ""
) -> Listing:
    """A judge removes (or, if wrongful, revokes) a listing; the subject stays restricted by other cases."""
    require_write(actor, listing.court)
    if trigger not in rules.REMOVAL_TRIGGERS:
        raise ServiceError("请选择删除事由（失信规定第10条）", field="trigger")
    today = timezone.localdate()
    trigger_on = trigger_on or today
    if trigger_on > today:
        raise ServiceError("删除事由发生日不能晚于今天", field="trigger_on")
    with transaction.atomic():
        locked = Listing.objects.select_for_update().get(pk=listing.pk)
        if locked.status != Listing.Status.ACTIVE:
            raise Conflict("该失信信息已删除", field="listing")
        return _remove(actor, locked, trigger, trigger_on, note)


def record_trigger(actor: Any, listing: Listing, *, trigger: str, trigger_on: date) -> Listing:
    """Record that a removal trigger occurred; the removal is then due within 3 working days."""
    require_write(actor, listing.court)
    if trigger not in rules.REMOVAL_TRIGGERS or trigger in ("expired", "wrongful"):
        raise ServiceError("请选择删除事由（失信规定第10条）", field="trigger")
    if trigger_on > timezone.localdate():
        raise ServiceError("删除事由发生日不能晚于今天", field="trigger_on")
    with transaction.atomic():
        locked = Listing.objects.select_for_update().get(pk=listing.pk)
        if locked.status != Listing.Status.ACTIVE:
            raise Conflict("该失信信息已删除", field="listing")
        locked.removal_trigger, locked.trigger_on = trigger, trigger_on
        locked.removal_due = rules.removal_due(trigger_on, current_calendar())
        locked.save(update_fields=["removal_trigger", "trigger_on", "removal_due"])
        audit.record(
            actor,
            "credit.removal_due",
            object_type="Listing",
            object_id=locked.pk,
            case_id=locked.case_id,
            after={"trigger": trigger, "trigger_on": trigger_on, "removal_due": locked.removal_due},
        )
    return locked


@dataclass
class ScanResult:
    removed: int = 0
    published: int = 0
    overdue: int = 0


def scan_credit(today: date | None = None, batch: int = 500) -> ScanResult:
    """Periodic scan: publish listings whose grace period ended, remove listings whose trigger is verified."""
    today = today or timezone.localdate()
    out = ScanResult()
    # 1. Grace periods ended: the listing and its restrictions enter the screening register.
    while True:
        rows = list(
            Listing.objects.filter(
                status=Listing.Status.ACTIVE, registered=False, publish_on__lte=today
            ).values_list("pk", "subject_key")[:batch]
        )
        rrows = list(
            Restriction.objects.filter(
                status=Restriction.Status.ACTIVE, registered=False, effective_on__lte=today
            ).values_list("pk", "subject_key")[:batch]
        )
        if not rows and not rrows:
            break
        with transaction.atomic():
            Listing.objects.filter(pk__in=[r[0] for r in rows]).update(registered=True)
            Restriction.objects.filter(pk__in=[r[0] for r in rrows]).update(registered=True)
            for key in {k for _, k in rows} | {k for _, k in rrows}:
                refresh_subject(key, today)
            audit.record(
                None,
                "credit.publish",
                object_type="Listing",
                object_id="batch",
                after={"listings": [r[0] for r in rows], "restrictions": [r[0] for r in rrows]},
            )
        out.published += len(rows) + len(rrows)
    # 2. Cases closed as performed / terminated / not enforced (read from the case), and expired terms.
    last = 0
    while True:
        chunk = list(
            Listing.objects.filter(status=Listing.Status.ACTIVE, pk__gt=last)
            .filter(case__closing_mode__in=list(CLOSING_TRIGGERS))
            .values_list("pk", "case__closing_mode", "case__closed_on")
            .order_by("pk")[:batch]
        )
        if not chunk:
            break
        last = chunk[-1][0]
        for pk, mode, closed_on in chunk:
            out.removed += _auto_remove(pk, CLOSING_TRIGGERS[mode], closed_on or today)
    for case_id, party_id, closed_on in set(
        Restriction.objects.filter(
            status=Restriction.Status.ACTIVE, case__closing_mode="performed"
        ).values_list("case_id", "party_id", "case__closed_on")[:batch]
    ):
        with transaction.atomic():
            lift_case_restrictions(None, case_id, party_id, "performed", closed_on or today)
    for pk, expires_on in list(
        Listing.objects.filter(status=Listing.Status.ACTIVE, expires_on__lt=today).values_list(
            "pk", "expires_on"
        )
    ):
        out.removed += _auto_remove(pk, "expired", expires_on or today)
    out.overdue = Listing.objects.filter(status=Listing.Status.ACTIVE, removal_due__lt=today).count()
    return out


def _auto_remove(pk: int, trigger: str, trigger_on: date) -> int:
    with transaction.atomic():
        listing = Listing.objects.select_for_update().filter(pk=pk, status=Listing.Status.ACTIVE).first()
        if listing is None:
            return 0
        _remove(None, listing, trigger, trigger_on, f"系统自动删除：{rules.REMOVAL_TRIGGERS[trigger]}")
    return 1
