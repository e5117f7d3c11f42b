"""Triage that acts (繁简分流, seed 004): evaluate after every inquiry round, flags, and the decision.

* `evaluate` re-reads the case's facts (`queries_triage.facts`) and stores the proposal the pure rules
  give (`rules_triage.propose`) with every reason and its source. It runs when a round of inquiry
  completes for the case (`events.round_completed`, sent where answers land), when a flag changes, and
  from the periodic sweep (the net for a missed event, a notice served since, act-performance cases).
* A flag records what the platform cannot know — likely settlement, disputed law, major local impact
  (the case's court), designation by a higher court (a user of a court above) — with who and when.
* `decide` (the bureau; one click to accept, a reason to choose otherwise) moves the case to a team of
  the track's kind through `cases.services.assign_case` and starts the track's internal term through
  `cases.services.set_track_term` (the case deadline machinery: shown on the case, warned like any node).

Every write appends its audit record in its transaction.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from zhixing.cases import services as case_services
from zhixing.cases.models import OPEN_STATUSES, EnforcementCase
from zhixing.cases.queries_audit import teams_of_court
from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.courts.models import Staff, Team
from zhixing.courts.queries import handlers_of_court
from zhixing.courts.roles import Role

from .. import access, queries_triage, rules_triage
from ..models import CaseTriage, TriageFlag

log = logging.getLogger("zhixing.inquiry.triage")
T = CaseTriage.Status
TEAM_KIND = {
    rules_triage.SIMPLE: Team.Kind.FAST,
    rules_triage.COMPLEX: Team.Kind.COMPLEX,
    rules_triage.DORMANT: Team.Kind.DORMANT,
}


def _status(t: CaseTriage, proposed: str) -> str:
    """Waiting until there is a proposal; once decided, back in the queue only for a new proposal."""
    if not t.track:
        return T.PROPOSED if proposed else T.WAITING
    if not proposed or proposed == t.track or proposed == (t.effects or {}).get("proposal"):
        return t.status  # nothing new to decide: the decided track (or the proposal set aside) stands
    return T.PROPOSED


def evaluate(case: EnforcementCase, trigger: str = "round", actor: Any = None) -> CaseTriage | None:
    """(Re-)evaluate the case's proposal; audited when anything changed. None for a case not open."""
    if case.status not in OPEN_STATUSES:
        return None
    facts = queries_triage.facts(case)
    proposal = rules_triage.propose(facts, queries_triage.config())
    rounds = facts.rounds
    reasons = [r.as_dict() for r in proposal.reasons]
    also = [r.as_dict() for r in proposal.also]
    now = timezone.now()
    with transaction.atomic():
        t = CaseTriage.objects.select_for_update().filter(case=case).first()
        created = t is None
        if t is None:
            t = CaseTriage(case=case, court_id=case.court_id)
        before = {"status": t.status, "proposed": t.proposed, "reasons": [r.get("code") for r in t.reasons]}
        status = _status(t, proposal.track)
        changed = created or (
            (t.proposed, t.reasons, t.also, t.waiting, t.rounds, t.status)
            != (proposal.track, reasons, also, proposal.waiting, rounds, status)
        )
        t.proposed, t.reasons, t.also, t.waiting, t.rounds = (
            proposal.track,
            reasons,
            also,
            proposal.waiting,
            rounds,
        )
        t.status, t.evaluated_at = status, now
        t.save()
        if changed:
            audit.record(
                actor,
                "inquiry.triage.evaluated",
                object_type="CaseTriage",
                object_id=t.pk,
                case_id=case.pk,
                before=None if created else before,
                after={
                    "trigger": trigger,
                    "rounds": rounds,
                    "status": t.status,
                    "proposed": t.proposed,
                    "reasons": [r["code"] for r in reasons],
                    "waiting": t.waiting,
                },
            )
    return t


def propose_triage(case: EnforcementCase) -> CaseTriage | None:
    """Kept for callers of the first version: evaluate now."""
    return evaluate(case, "manual")


def on_round_completed(sender: Any, rounds: list[tuple[int, int]], **_: Any) -> None:
    """`events.round_completed`: re-evaluate each case whose round completed."""
    ids = sorted({case_id for case_id, _ in rounds})
    for case in EnforcementCase.objects.filter(pk__in=ids, status__in=OPEN_STATUSES).select_related("court"):
        evaluate(case, "round")


def triage_sweep(limit: int = 500) -> int:
    """The net under the event: re-evaluate the cases whose triage may be stale. Returns how many."""
    n = 0
    ids = queries_triage.sweep_candidates(limit)
    for case in EnforcementCase.objects.filter(pk__in=ids).select_related("court").order_by("pk"):
        try:
            n += evaluate(case, "sweep") is not None
        except Exception:  # one bad case must not stop the sweep; it is retried next time
            log.exception("triage evaluation failed for case %s", case.pk)
    return n


# -- flags ----------------------------------------------------------------------------------------------
def _check_flag_right(actor: Any, case: EnforcementCase, kind: str) -> None:
    if kind not in TriageFlag.Kind.values:
        raise ServiceError("请选择标注事项", field="kind")
    if kind == TriageFlag.Kind.DESIGNATED:
        if not access.can_designate(actor, case.court):
            raise NotPermitted(access.DESIGNATE_REFUSED)
    elif not access.can_flag(actor, case.court):
        raise NotPermitted(access.FLAG_REFUSED)
    if case.status not in OPEN_STATUSES:
        raise Conflict(f"案件已{case.get_status_display()}，不能标注分流事实")


def set_flag(actor: Any, case: EnforcementCase, kind: str, note: str) -> TriageFlag:
    """Record a fact for triage (who, which court, when, on what basis) and re-evaluate the proposal."""
    _check_flag_right(actor, case, kind)
    note = (note or "").strip()
    if not note:
        raise ServiceError("请填写标注依据或说明", field="note")
    if len(note) > 200:
        raise ServiceError("标注依据不能超过200个字符", field="note")
    with transaction.atomic():
        case = (
            EnforcementCase.objects.select_for_update(of=("self",), no_key=True)
            .select_related("court")
            .get(pk=case.pk)
        )
        if TriageFlag.objects.filter(case=case, kind=kind, cleared_at__isnull=True).exists():
            raise Conflict(f"已标注“{TriageFlag.Kind(kind).label}”", field="kind")
        flag = TriageFlag.objects.create(
            case=case,
            kind=kind,
            note=note,
            set_by=actor,
            set_by_court_id=actor.court_id,
            set_at=timezone.now(),
        )
        audit.record(
            actor,
            "inquiry.triage.flag_set",
            object_type="TriageFlag",
            object_id=flag.pk,
            case_id=case.pk,
            after={"kind": kind, "note": note, "court": actor.court_id},
        )
        evaluate(case, "flag", actor)
    return flag


def clear_flag(actor: Any, case: EnforcementCase, kind: str, reason: str) -> TriageFlag:
    """Withdraw a flag (kept with who, when and why) and re-evaluate the proposal."""
    _check_flag_right(actor, case, kind)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("请填写撤销标注的理由", field="reason")
    with transaction.atomic():
        case = (
            EnforcementCase.objects.select_for_update(of=("self",), no_key=True)
            .select_related("court")
            .get(pk=case.pk)
        )
        flag = (
            TriageFlag.objects.select_for_update()
            .filter(case=case, kind=kind, cleared_at__isnull=True)
            .first()
        )
        if flag is None:
            raise ServiceError(f"未标注“{TriageFlag.Kind(kind).label}”", field="kind")
        flag.cleared_by, flag.cleared_at, flag.clear_reason = actor, timezone.now(), reason[:200]
        flag.save(update_fields=["cleared_by", "cleared_at", "clear_reason"])
        audit.record(
            actor,
            "inquiry.triage.flag_cleared",
            object_type="TriageFlag",
            object_id=flag.pk,
            case_id=case.pk,
            before={"kind": kind, "note": flag.note, "set_by": flag.set_by_id},
            after={"reason": flag.clear_reason},
        )
        evaluate(case, "flag", actor)
    return flag


# -- the decision ---------------------------------------------------------------------------------------
def _team_for(case: EnforcementCase, track: str) -> Team:
    kind = TEAM_KIND[track]
    if case.team is not None and case.team.kind == kind:
        return case.team
    teams = [t for t in teams_of_court(case.court_id) if t.kind == kind]
    if not teams:
        raise ServiceError(f"本院未设立{Team.Kind(kind).label}，请先在团队管理中设立", field="track")
    if len(teams) == 1:
        return teams[0]
    load = dict(
        Team.objects.filter(pk__in=[t.pk for t in teams])
        .annotate(n=Count("cases", filter=Q(cases__status__in=OPEN_STATUSES)))
        .values_list("pk", "n")
    )
    return min(teams, key=lambda t: (load.get(t.pk, 0), t.pk))


def _handler_for(case: EnforcementCase, team: Team) -> Staff:
    """Keep the handler who is in the team; else the team's judge with the fewest open cases."""
    if case.handler is not None and case.handler.team_id == team.pk:
        return case.handler
    judges = list(
        handlers_of_court(case.court)
        .filter(team=team, role=Role.JUDGE)
        .annotate(n=Count("handled_cases", filter=Q(handled_cases__status__in=OPEN_STATUSES)))
        .order_by("n", "pk")
    )
    if judges:
        return judges[0]
    if case.handler is not None:
        return case.handler
    raise ServiceError(f"{team.name}没有在职的执行法官，无法移送", field="track")


def decide(actor: Any, case: EnforcementCase, track: str, reason: str = "") -> CaseTriage:
    """Accept the proposal (one click) or choose another track (with a reason): the case moves to a team
    of that track and the track's internal term starts; both effects are recorded on the triage."""
    if not access.can_decide_triage(actor, case.court):
        raise NotPermitted(access.DECIDE_REFUSED)
    if track not in CaseTriage.Track.values:
        raise ServiceError("请选择分流轨道", field="track")
    reason = (reason or "").strip()
    if len(reason) > 200:
        raise ServiceError("调整理由不能超过200个字符", field="reason")
    with transaction.atomic():
        case = (
            EnforcementCase.objects.select_for_update(of=("self",), no_key=True)
            .select_related("court", "team", "handler")
            .get(pk=case.pk)
        )
        t = CaseTriage.objects.select_for_update().filter(case=case).first()
        if t is None or not t.proposed:
            raise ServiceError(
                (t.waiting if t and t.waiting else "首轮查控尚未完成") + "，暂无分流建议", field="track"
            )
        if case.status not in OPEN_STATUSES:
            raise Conflict(f"案件已{case.get_status_display()}，不能分流")
        if track != t.proposed and not reason:
            raise ServiceError("调整分流建议须填写理由", field="reason")
        team = _team_for(case, track)
        handler = _handler_for(case, team)
        before = {
            "track": t.track,
            "status": t.status,
            "team": case.team.name if case.team else "",
            "handler": case.handler_id,
        }
        if case.team_id != team.pk or case.handler_id != handler.pk:
            case = case_services.assign_case(actor, case, handler, team)
        term = case_services.set_track_term(actor, case, track)
        t.track = track
        t.status = T.ACCEPTED if track == t.proposed else T.OVERRIDDEN
        t.override_reason = "" if track == t.proposed else reason
        t.decided_by, t.decided_at = actor, timezone.now()
        t.effects = {
            "proposal": t.proposed,
            "team": team.name,
            "team_from": before["team"],
            "handler": str(handler),
            "term": term.node_type.name if term else "",
            "term_due": term.due_on.isoformat() if term and term.due_on else "",
        }
        t.save()
        audit.record(
            actor,
            "inquiry.triage.decided",
            object_type="CaseTriage",
            object_id=t.pk,
            case_id=case.pk,
            before=before,
            after={"track": track, "status": t.status, "reason": t.override_reason, **t.effects},
        )
    return t


def decide_triage(actor: Any, case: EnforcementCase, track: str, reason: str) -> CaseTriage:
    """The first version's name for `decide`."""
    return decide(actor, case, track, reason)
