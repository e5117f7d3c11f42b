"""The one service that applies the consequence table (rules.py) to a case event.

`apply_event` runs inside the event's transaction (the domains send their signals there): automatic
consequences are applied through the owning domain's service and recorded as `Consequence` rows; the
ones the table leaves to the judge become `Proposal` rows on the case. A consequence that cannot be
applied is recorded as failed with its reason and retried by `retry_due`; nothing is skipped silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases.models import EnforcementCase
from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.system_actor import system_actor
from zhixing.courts.roles import Cap
from zhixing.credit.services.access import may_write as may_decide_credit
from zhixing.inquiry import access as inquiry_access
from zhixing.inquiry import queries_release as controls

from . import rules, targets
from .conf import table
from .models import Consequence, Proposal
from .rules import EVENT_LABELS, MEASURE_LABELS, Action, Decider, Event, Measure

CONTROL_MEASURES = (Measure.FREEZE, Measure.SEIZURE, Measure.DEDUCTION, Measure.PENDING)
MAX_ATTEMPTS = 5
RETRY_BASE_MINUTES = 10


def may_decide(user: Any, case: EnforcementCase, measure: Measure) -> bool:
    """Controls are decided by whoever may take control measures; restrictions, listings and exposure by
    whoever may take credit decisions — in the case's own court."""
    if measure in CONTROL_MEASURES:
        return inquiry_access.can_control(user, case.court)
    return may_decide_credit(user, case.court)


def _why(event: Event, rule: rules.Rule) -> str:
    return f"{EVENT_LABELS[event]}：{rule.article}"[:200]


def _record(
    actor: Any,
    case: EnforcementCase,
    event: Event,
    measure: Measure,
    rule: rules.Rule,
    action: Action,
    found: targets.Found,
    proposal: Proposal | None = None,
) -> Consequence:
    """Apply one consequence in a savepoint; a refusal is recorded as failed (retried later), never lost."""
    on = timezone.localdate()
    row = Consequence(
        case=case,
        court_id=case.court_id,
        event=event,
        measure=measure,
        action=action,
        article=rule.article[:200],
        summary=found.summary[:300],
        targets=found.targets,
        proposal=proposal,
        key=found.key,
    )
    try:
        with transaction.atomic():
            row.requests = targets.apply(actor, case, event, measure, action, found, _why(event, rule), on)
    except (ServiceError, Conflict, NotPermitted) as exc:
        row.status, row.error = Consequence.Status.FAILED, str(exc)[:300]
        row.retry_at = timezone.now() + timedelta(minutes=RETRY_BASE_MINUTES)
    row.save()
    audit.record(
        actor,
        "measures.consequence",
        object_type="Consequence",
        object_id=row.pk,
        case_id=case.pk,
        after={
            "event": event,
            "measure": measure,
            "action": action,
            "status": row.status,
            "targets": found.targets,
            "requests": row.requests,
            "error": row.error,
            "article": rule.article,
        },
    )
    return row


def _close_open(case: EnforcementCase, measure: Measure, status: str) -> None:
    Proposal.objects.filter(case=case, measure=measure, status=Proposal.Status.OPEN).update(
        status=status, decided_at=timezone.now()
    )


def _subject(stored: list[Any]) -> Mapping[str, Any] | None:
    """The event's object as a sale consequence stores it (its first target), for a retry or an accept."""
    return stored[0] if stored and isinstance(stored[0], dict) else None


def apply_event(
    event: Event, case: EnforcementCase, actor: Any = None, subject: Mapping[str, Any] | None = None
) -> list[Consequence | Proposal]:
    """Apply the table's row for `event` to every measure `case` holds (call inside the event's tx).

    `subject` names the one object an event is about (a sale's lot, asset, date and document). Such a
    consequence carries a key: a repeated event finds the row already there and applies nothing again.
    """
    done: list[Consequence | Proposal] = []
    row = table()[event]
    with transaction.atomic():
        for measure in Measure:
            rule = row[measure]
            if rule.action == Action.KEEP:
                continue
            found = targets.find(case, event, measure, rule, subject)
            if found is not None and found.key and Consequence.objects.filter(key=found.key).exists():
                continue  # already applied (or failed and waiting for its retry): never twice
            # An event about one claimed asset (a third-party objection) says nothing of the proposals on
            # the case's other controls: they stay open.
            case_wide = rule.scope != "claimed"
            if found is None:
                # Nothing left to act on: a proposal still open for this measure has nothing to do.
                if case_wide:
                    _close_open(case, measure, Proposal.Status.MOOT)
                continue
            if case_wide:
                _close_open(case, measure, Proposal.Status.SUPERSEDED)
            if rule.decider == Decider.AUTO:
                done.append(_record(actor, case, event, measure, rule, rule.action, found))
                continue
            proposal = Proposal.objects.create(
                case=case,
                court_id=case.court_id,
                event=event,
                measure=measure,
                action=rule.action,
                article=rule.article[:200],
                summary=found.summary[:300],
                targets=found.targets,
            )
            audit.record(
                actor,
                "measures.propose",
                object_type="Proposal",
                object_id=proposal.pk,
                case_id=case.pk,
                after={"event": event, "measure": measure, "action": rule.action, "targets": found.targets},
            )
            done.append(proposal)
    return done


# rule
def apply_to_act(
    event: Event, case: EnforcementCase, measure: Measure, target_id: int, actor: Any = None
) -> Consequence | None:
    """Apply the table's cell (event, measure) to one named act of `case` (call inside the event's tx):
    an upheld act objection undoes that freeze, seizure or listing and nothing else. None when the cell
    keeps, or the act no longer stands (released or removed since)."""
    rule = table()[event][measure]
    if rule.action == Action.KEEP:
        return None
    found = targets.find_act(case, measure, target_id)
    if found is None:
        return None
    return _record(actor, case, event, measure, rule, rule.action, found)


def _locked_open(proposal: Proposal) -> Proposal:
    locked = (
        Proposal.objects.select_for_update(of=("self",)).select_related("case__court").get(pk=proposal.pk)
    )
    if locked.status != Proposal.Status.OPEN:
        raise Conflict(f"该建议已{locked.get_status_display()}", field="proposal")
    return locked


def accept(actor: Any, proposal: Proposal) -> Consequence | None:
    """The judge accepts: the action is applied to what the case holds *now* (a plan made at proposal time
    may be stale); returns the consequence, or None when nothing is left to act on (proposal moot)."""
    with transaction.atomic():
        EnforcementCase.objects.select_for_update(no_key=True).filter(
            pk=proposal.case_id
        ).first()  # serialise per case
        p = _locked_open(proposal)
        case = p.case
        event, measure = Event(p.event), Measure(p.measure)
        if not may_decide(actor, case, measure):
            raise NotPermitted(f"您无权决定本案的{MEASURE_LABELS[measure]}措施")
        base = rules.DEFAULT_TABLE[event][measure]
        rule = rules.Rule(
            Action(p.action), Decider.JUDGE, p.article, base.source, base.configurable, base.scope
        )
        found = targets.find(case, event, measure, rule, _subject(p.targets))
        p.decided_by, p.decided_at = actor, timezone.now()
        if found is None:
            p.status = Proposal.Status.MOOT
            p.save(update_fields=["status", "decided_by", "decided_at"])
            audit.record(actor, "measures.moot", object_type="Proposal", object_id=p.pk, case_id=case.pk)
            return None
        p.status = Proposal.Status.ACCEPTED
        p.save(update_fields=["status", "decided_by", "decided_at"])
        audit.record(
            actor,
            "measures.accept",
            object_type="Proposal",
            object_id=p.pk,
            case_id=case.pk,
            before={"status": "open"},
            after={"status": p.status, "targets": found.targets},
        )
        return _record(actor, case, event, measure, rule, rule.action, found, proposal=p)


def decline(actor: Any, proposal: Proposal, reason: str) -> Proposal:
    """The judge declines with a reason, which is recorded; the same event does not propose it again."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("不予采纳须填写理由", field="reason")
    if len(reason) > 200:
        raise ServiceError("理由不能超过200个字符", field="reason")
    with transaction.atomic():
        p = _locked_open(proposal)
        if not may_decide(actor, p.case, Measure(p.measure)):
            raise NotPermitted(f"您无权决定本案的{MEASURE_LABELS[Measure(p.measure)]}措施")
        p.status, p.decline_reason = Proposal.Status.DECLINED, reason
        p.decided_by, p.decided_at = actor, timezone.now()
        p.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
        audit.record(
            actor,
            "measures.decline",
            object_type="Proposal",
            object_id=p.pk,
            case_id=p.case_id,
            before={"status": "open"},
            after={"status": p.status, "reason": reason},
        )
    return p


def _refused(row: Consequence) -> str:
    """The partner's reason when a release this consequence sent was refused or failed, else ""."""
    for status, reason in controls.request_outcomes(row.requests).values():
        if status in ("failed", "rejected"):
            return reason or "联动单位未能解除"
    return ""


def watch_releases(limit: int = 500) -> int:
    """Release orders a consequence sent that a partner refused: mark the consequence failed with the
    partner's reason so it shows on the case and is retried."""
    n = 0
    since = timezone.now() - timedelta(days=30)
    for row in Consequence.objects.filter(
        status=Consequence.Status.APPLIED, action=Action.RELEASE, created_at__gte=since
    ).exclude(requests=[])[:limit]:
        reason = _refused(row)
        if reason:
            with transaction.atomic():
                Consequence.objects.filter(pk=row.pk, status=Consequence.Status.APPLIED).update(
                    status=Consequence.Status.FAILED,
                    error=reason[:300],
                    retry_at=timezone.now() + timedelta(minutes=RETRY_BASE_MINUTES),
                )
                audit.record(
                    None,
                    "measures.refused",
                    object_type="Consequence",
                    object_id=row.pk,
                    case_id=row.case_id,
                    after={"error": reason},
                )
            n += 1
    return n


# What the background retry may do as the system (core.system_actor): the automatic rows of the table
# apply through services that check their actor's post; only the term clock's (审限规定 Art 9 periods,
# `cases.services.excluded`) does so today, and it needs the post that may suspend and resume.
RETRY_PURPOSE = "措施联动定时重试"
RETRY_CAPS = (Cap.CASE_SUSPEND,)


def retry(actor: Any, row: Consequence) -> Consequence:
    """Apply a failed consequence again to what the case still holds; gives up after MAX_ATTEMPTS.

    `actor` None is the periodic retry: it acts as the system actor of the case's court (named in the
    audit as "系统（措施联动定时重试）"), so a consequence whose service checks the actor's post — the
    term clock's pause or resumption — is applied, not refused until it gives up."""
    with transaction.atomic():
        locked = (
            Consequence.objects.select_for_update(of=("self",)).select_related("case__court").get(pk=row.pk)
        )
        retryable = [Consequence.Status.FAILED] + ([Consequence.Status.GAVE_UP] if actor is not None else [])
        if locked.status not in retryable:
            raise Conflict("该联动记录无需重试", field="consequence")
        case, event, measure = locked.case, Event(locked.event), Measure(locked.measure)
        if actor is not None and not may_decide(actor, case, measure):
            raise NotPermitted(f"您无权决定本案的{MEASURE_LABELS[measure]}措施")
        system = system_actor(RETRY_PURPOSE, case.court, RETRY_CAPS) if actor is None else None
        # Only the term clock's service takes the system actor; the others record their actor as a user
        # (a release request's requester) and take None for background work, as they always have.
        applier = system if system is not None and measure == Measure.TERM else actor
        base = rules.DEFAULT_TABLE[event][measure]
        rule = rules.Rule(
            Action(locked.action), base.decider, locked.article, base.source, base.configurable, base.scope
        )
        found = targets.find(case, event, measure, rule, _subject(locked.targets))
        locked.attempts += 1
        if found is None:  # what failed is gone (released or lifted meanwhile): nothing left to do
            locked.status, locked.retry_at = Consequence.Status.APPLIED, None
            locked.error = f"{locked.error}（重试时已无需处理）"[:300]
        else:
            try:
                with transaction.atomic():
                    locked.requests = targets.apply(
                        applier,
                        case,
                        event,
                        measure,
                        Action(locked.action),
                        found,
                        _why(event, rule),
                        timezone.localdate(),
                    )
                locked.status, locked.retry_at, locked.error = Consequence.Status.APPLIED, None, ""
            except (ServiceError, Conflict, NotPermitted) as exc:
                locked.error = str(exc)[:300]
                gave_up = locked.attempts >= MAX_ATTEMPTS
                locked.status = Consequence.Status.GAVE_UP if gave_up else Consequence.Status.FAILED
                delay = RETRY_BASE_MINUTES * 2 ** (locked.attempts - 1)
                locked.retry_at = None if gave_up else timezone.now() + timedelta(minutes=delay)
        locked.save()
        audit.record(
            actor or system,
            "measures.retry",
            object_type="Consequence",
            object_id=locked.pk,
            case_id=case.pk,
            after={"status": locked.status, "attempts": locked.attempts, "error": locked.error},
        )
    return locked


def retry_due(limit: int = 200) -> int:
    """Periodic: notice refused releases, then retry the failed consequences whose time has come."""
    watch_releases()
    ids = list(
        Consequence.objects.filter(status=Consequence.Status.FAILED, retry_at__lte=timezone.now())
        .order_by("retry_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        try:
            retry(None, Consequence(pk=pk))
        except Conflict:
            continue
    return len(ids)
