"""Removing listings on time (失信规定 Arts 9–10) and the periodic scan that finds due removals.

Every trigger is due for deletion 3 working days after it occurred (Art 10). The scan
(`scan_credit`, every 15 minutes) reads the facts from the other domains through their read modules:

* the case closed as performed / terminated / not enforced (`cases.queries.closed_cases`), the case
  suspended for retrial or bankruptcy (`cases.queries.open_suspensions`), a fixed term expired: the
  platform verifies these itself and deletes at once;
* a trigger a judge recorded (`record_trigger`: the applicant's written request granted, a settlement
  performed, ...): the judge's record is the verification; the scan deletes it on its next pass;
* a dormant (终本) case whose network inquiries came back empty twice since 终本
  (`inquiry.history.empty_round_dates`): the scan raises the trigger with its due date, and the judge
  confirms that nobody supplied a valid property lead (Art 10(1)(4)) by deleting.

Anything not deleted by its due date is red on the director's supervision page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases import queries as case_queries
from zhixing.core import audit
from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.inquiry import history

from .. import rules
from ..events import listing_removed
from ..models import Listing, Restriction
from .access import require_write
from .notices import queue_listing_notices
from .register import refresh_subject
from .restrictions import lift_case_restrictions, scan_private_windows

# Case closing modes that are removal triggers under Art 10(1), read from the case's closing data.
CLOSING_TRIGGERS = {"performed": "performed", "terminated": "termination", "refused": "non_enforcement"}
# Triggers after which the debtor's restrictions in that case are lifted too (限消规定 Art 9: must lift).
LIFT_WITH = {"performed", "settlement"}  # rule


def _remove(actor: Any, listing: Listing, trigger: str, trigger_on: date, note: str) -> Listing:
    if not rules.art10_1_applies(listing.ground, trigger):  # rule
        raise ServiceError(rules.FIXED_TERM_REFUSAL, field="trigger")
    today = timezone.localdate()
    cal = current_calendar()
    listing.status = Listing.Status.REVOKED if trigger == "wrongful" else Listing.Status.REMOVED
    listing.removal_trigger, listing.trigger_on = trigger, trigger_on
    recorded = listing.removal_trigger == trigger and listing.removal_due is not None
    listing.removal_due = (
        listing.removal_due
        if recorded
        else rules.expiry_removal_due(trigger_on, cal)
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
    queue_listing_notices(actor, listing, "removed")  # the recipients of the Art 8 notice are told
    listing_removed.send(sender=Listing, listing=listing, trigger=trigger, actor=actor)
    return listing


def remove_case_listings(actor: Any, case_id: int, *, trigger: str, trigger_on: date, note: str) -> list[int]:
    """Delete (or, for "wrongful", revoke) every active listing of a case because of a case event.

    The consequence service calls it inside the event's transaction; the actor's right to act on the
    case was checked there. Returns the listings removed. A fixed-term listing (grounds 2–6) stays on
    an Art 10(1) trigger (Art 10(2)): it is deleted when its term expires.
    """
    if trigger not in rules.REMOVAL_TRIGGERS:
        raise ServiceError("请选择删除事由（失信规定第10条）", field="trigger")
    done = []
    for listing in Listing.objects.select_for_update().filter(case_id=case_id, status=Listing.Status.ACTIVE):
        if not rules.art10_1_applies(listing.ground, trigger):  # rule
            continue
        _remove(actor, listing, trigger, trigger_on, note)
        done.append(listing.pk)
    return done


def remove_listing(
    actor: Any, listing: Listing, *, trigger: str, trigger_on: date | None = None, note: str = ""
) -> Listing:
    """A judge removes (or, if wrongful, revokes) a listing; the subject stays restricted by other cases.

    Without `trigger_on`, a trigger already recorded on the listing keeps its date (confirming a trigger
    the scan raised); otherwise the trigger occurred today.
    """
    require_write(actor, listing.court)
    if trigger not in rules.REMOVAL_TRIGGERS:
        raise ServiceError("请选择删除事由（失信规定第10条）", field="trigger")
    today = timezone.localdate()
    if trigger_on is not None and trigger_on > today:
        raise ServiceError("删除事由发生日不能晚于今天", field="trigger_on")
    with transaction.atomic():
        audit.lock_chain(listing.court)  # before the listing's row lock: see `audit.lock_chain`
        locked = Listing.objects.select_for_update().get(pk=listing.pk)
        if locked.status != Listing.Status.ACTIVE:
            raise Conflict("该失信信息已删除", field="listing")
        if trigger_on is None:
            recorded = locked.trigger_on if locked.removal_trigger == trigger else None
            trigger_on = recorded or today
        return _remove(actor, locked, trigger, trigger_on, note)


def record_trigger(actor: Any, listing: Listing, *, trigger: str, trigger_on: date) -> Listing:
    """A judge records that a removal trigger occurred (Art 10(1)), e.g. the applicant's written request
    the court granted; the periodic scan deletes the listing on its next pass, and the deletion is due
    within 3 working days of `trigger_on`. Fixed-term expiry and wrongful listing are not recorded here
    (the scan handles expiry; a wrongful listing is revoked at once with `remove_listing`)."""
    require_write(actor, listing.court)
    if trigger not in rules.REMOVAL_TRIGGERS or trigger in ("expired", "wrongful"):
        raise ServiceError("请选择删除事由（失信规定第10条）", field="trigger")
    if trigger_on is None:
        raise ServiceError("请填写删除事由发生日", field="trigger_on")
    if trigger_on > timezone.localdate():
        raise ServiceError("删除事由发生日不能晚于今天", field="trigger_on")
    if trigger_on < listing.decided_on:
        raise ServiceError("删除事由发生日不能早于纳入决定日", field="trigger_on")
    if not rules.art10_1_applies(listing.ground, trigger):  # rule
        raise ServiceError(rules.FIXED_TERM_REFUSAL, field="trigger")
    with transaction.atomic():
        locked = Listing.objects.select_for_update().get(pk=listing.pk)
        if locked.status != Listing.Status.ACTIVE:
            raise Conflict("该失信信息已删除", field="listing")
        before = {"trigger": locked.removal_trigger, "trigger_on": locked.trigger_on}
        _set_trigger(actor, locked, trigger, trigger_on, confirmed=True, before=before)
    return locked


def _set_trigger(
    actor: Any, listing: Listing, trigger: str, trigger_on: date, *, confirmed: bool, before: Any = None
) -> None:
    """Store a removal trigger on a locked listing with its due date (3 working days) and audit it."""
    listing.removal_trigger, listing.trigger_on = trigger, trigger_on
    listing.removal_due = rules.removal_due(trigger_on, current_calendar())
    listing.trigger_confirmed = confirmed
    listing.save(update_fields=["removal_trigger", "trigger_on", "removal_due", "trigger_confirmed"])
    after = {"trigger": trigger, "trigger_on": trigger_on, "removal_due": listing.removal_due}
    if not confirmed:
        after["needs_confirmation"] = True
    audit.record(
        actor,
        "credit.removal_due",
        object_type="Listing",
        object_id=listing.pk,
        case_id=listing.case_id,
        before=before,
        after=after,
    )


@dataclass
class ScanResult:
    removed: int = 0
    published: int = 0
    overdue: int = 0
    raised: int = 0  # triggers found that wait for the judge's confirmation (dormant, Art 10(1)(4))
    lifted: int = 0
    windows: int = 0  # approved private-consumption windows that began or ended (限制消费规定 Arts 3(2), 8)


def _publish(today: date, batch: int) -> int:
    """Grace periods ended: the listing and its restrictions enter the screening register."""
    published = 0
    while True:
        rows = list(
            Listing.objects.filter(
                status=Listing.Status.ACTIVE, registered=False, publish_on__lte=today
            ).values_list("pk", "subject_key")[:batch]
        )
        rrows = list(
            Restriction.objects.filter(
                status=Restriction.Status.ACTIVE,
                registered=False,
                effective_on__lte=today,
                awaiting_service=False,
            )
            .exclude(subject_key="")
            .values_list("pk", "subject_key")[:batch]
        )
        if not rows and not rrows:
            return published
        with transaction.atomic():
            Listing.objects.filter(pk__in=[r[0] for r in rows]).update(registered=True)
            Restriction.objects.filter(pk__in=[r[0] for r in rrows]).update(registered=True)
            for key in {k for _, k in rows} | {k for _, k in rrows}:
                refresh_subject(key, today)
            for listing in Listing.objects.filter(pk__in=[r[0] for r in rows]):
                queue_listing_notices(None, listing, "listed")  # 失信规定 Art 8, on publication
            audit.record(
                None,
                "credit.publish",
                object_type="Listing",
                object_id="batch",
                after={"listings": [r[0] for r in rows], "restrictions": [r[0] for r in rrows]},
            )
        published += len(rows) + len(rrows)


def _scan_listings(
    chunk: list[tuple[int, int, str, date | None, bool]], today: date, out: ScanResult
) -> None:
    """Apply the removal triggers to one batch of active listings (pk, case, trigger, date, confirmed)."""
    case_ids = {c for _, c, _, _, _ in chunk}
    closed = case_queries.closed_cases(case_ids)
    suspended = case_queries.open_suspensions(case_ids, rules.SUSPENSION_TRIGGER_GROUNDS)
    # Dormant cases not resumed: count the empty inquiry rounds made after the 终本 ruling.
    dormant = {
        cid: c.closed_on
        for cid, c in closed.items()
        if c.mode == "dormant" and not c.resumed and c.closed_on is not None
    }
    wanted = {cid for _, cid, trig, _, _ in chunk if cid in dormant and not trig}
    rounds = history.empty_round_dates(wanted, since={c: dormant[c] for c in wanted}) if wanted else {}
    for pk, cid, trig, trig_on, confirmed in chunk:
        c = closed.get(cid)
        if trig and confirmed:
            out.removed += _auto_remove(pk, trig, trig_on or today)
        elif c is not None and c.mode in CLOSING_TRIGGERS:
            out.removed += _auto_remove(pk, CLOSING_TRIGGERS[c.mode], c.closed_on or today)
        elif cid in suspended:
            out.removed += _auto_remove(pk, "suspended", suspended[cid][1])
        elif not trig and cid in wanted:
            # The platform counts the rounds but cannot know whether someone supplied a valid property
            # lead (Art 10(1)(4)), so this trigger waits for the judge's confirmation.
            on = rules.dormant_trigger_on(rounds.get(cid, []))
            if on is not None:
                out.raised += _raise(pk, "dormant_no_assets", on)


def _lift_performed(today: date, batch: int) -> int:
    """Restrictions of cases closed as performed are lifted (限制消费规定 Art 9; 执行程序解释 Art 25)."""
    lifted, last = 0, 0
    while True:
        chunk = list(
            Restriction.objects.filter(status=Restriction.Status.ACTIVE, pk__gt=last)
            .order_by("pk")
            .values_list("pk", "case_id", "party_id")[:batch]
        )
        if not chunk:
            return lifted
        last = chunk[-1][0]
        closed = case_queries.closed_cases({c for _, c, _ in chunk})
        for case_id, party_id in sorted({(c, p) for _, c, p in chunk}):
            done = closed.get(case_id)
            if done is not None and done.mode == "performed":
                with transaction.atomic():
                    lifted += lift_case_restrictions(
                        None, case_id, party_id, "performed", done.closed_on or today
                    )


def scan_credit(today: date | None = None, batch: int = 500) -> ScanResult:
    """Periodic scan: publish listings whose grace period ended; delete listings whose trigger is verified;
    raise the dormant trigger for the judge; lift restrictions of performed cases; count overdue removals."""
    today = today or timezone.localdate()
    out = ScanResult(published=_publish(today, batch))
    last = 0
    while True:
        chunk = list(
            # rule: — Art 10(2): fixed-term listings (grounds 2–6) wait for their expiry below.
            Listing.objects.filter(status=Listing.Status.ACTIVE, pk__gt=last, ground=1)
            .order_by("pk")
            .values_list("pk", "case_id", "removal_trigger", "trigger_on", "trigger_confirmed")[:batch]
        )
        if not chunk:
            break
        last = chunk[-1][0]
        _scan_listings(chunk, today, out)
    out.lifted = _lift_performed(today, batch)
    out.windows = scan_private_windows(today)
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


def _raise(pk: int, trigger: str, trigger_on: date) -> int:
    """Record a trigger the scan found but a judge must confirm; the deletion is due in 3 working days."""
    with transaction.atomic():
        listing = (
            Listing.objects.select_for_update()
            .filter(pk=pk, status=Listing.Status.ACTIVE, removal_trigger="")
            .first()
        )
        if listing is None:
            return 0
        _set_trigger(None, listing, trigger, trigger_on, confirmed=False)
    return 1
