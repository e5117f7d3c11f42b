"""Computing explained debtor profiles (one debtor or a court's batch) and recording relatives."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.roles import Cap

from .. import indicators, leadrules, queries, store
from ..models import BatchRun, Profile, PropertyLead, RelatedPerson
from ..params import check_day
from ..rules import evaluate, is_organisation
from .snapshots import rebuild_snapshot

Period = tuple[date, date | None]
PROFILE_REFUSED = "只有本案所在法院的承办法官、法官助理、书记员或局长可以生成画像"
BATCH_REFUSED = "只有执行局局长或指挥中心可以发起全院批量分析"


def add_related_person(
    user: Any, ref: queries.DebtorRef, *, name: str, relation: str, account: str = ""
) -> RelatedPerson:
    if not queries.allowed(user, ref, Cap.ANALYTICS_IMPORT):
        raise NotPermitted("只有本案所在法院负责流水分析的工作人员可以登记关联人")
    name = name.strip()
    if not name:
        raise ServiceError("请填写关联人姓名或名称", field="name")
    if relation not in RelatedPerson.Relation.values:
        raise ServiceError("关系无效", field="relation")
    with transaction.atomic():
        rp = RelatedPerson.objects.create(
            party=ref.party, name=name[:128], relation=relation, account=account[:64], created_by=user
        )
        audit.record(
            user,
            "analytics.related.add",
            object_type="RelatedPerson",
            object_id=rp.pk,
            case_id=ref.case.pk,
            after={"name": name, "relation": relation},
        )
    return rp


def _debtor_input(
    ref: queries.DebtorRef, start: date, end: date, kd: dict[str, Any] | None = None
) -> store.DebtorInput:
    """The debtor's row of the analysis; `kd` the case's key dates when already read (`_context`
    holds them: reading them costs a query of the case's nodes)."""
    kd = kd if kd is not None else queries.key_dates(ref.case)
    return store.DebtorInput(
        debtor_id=ref.party.pk,
        p_start=start,
        p_end=end,
        effective_on=kd["effective_on"],
        deadline=kd["deadline"],
        filed_on=kd["filed_on"],
        notice_on=kd["notice_on"],
        claim=float(ref.case.principal),
        name=ref.party.name,
    )


def _files(party_ids: list[int]) -> tuple[list[Any], list[Any]]:
    """The debtors' Parquet snapshots, rebuilt when missing or older than their latest finished import."""
    latest = queries.last_import_times(party_ids)
    for pid in party_ids:
        path = store.tx_path(pid)
        finished = latest.get(pid)
        if not path.exists() or (finished is not None and path.stat().st_mtime < finished.timestamp()):
            rebuild_snapshot(pid)
    return [store.tx_path(p) for p in party_ids], [store.travel_path(p) for p in party_ids]


def _save(
    user: Any,
    ref: queries.DebtorRef,
    ruleset: Any,
    ind: dict[str, Any],
    result: dict[str, Any],
    start: date,
    end: date,
    ctx: dict[str, Any],
    batch: BatchRun | None,
) -> Profile:
    with transaction.atomic():
        prof = Profile.objects.create(
            party=ref.party,
            court=ref.case.court,
            ruleset=ruleset,
            batch=batch,
            period_start=start,
            period_end=end,
            score=result["score"],
            indicators=audit.jsonable(ind),
            findings=result["findings"],
            recommendations=result["recommendations"],
            key_dates=audit.jsonable(ctx),
            computed_by=user,
        )
        PropertyLead.objects.bulk_create(
            PropertyLead(
                party=ref.party,
                profile=prof,
                counterparty=x["counterparty"][:200],
                account=x["account"][:64],
                lead_type=x["lead_type"],
                months=x["months"],
                total=x["total"],
                kind=x.get("kind") or leadrules.kind_of(x["lead_type"]),
                target=str(x.get("target") or "")[:64],
            )
            for x in _all_leads(ref, ind, result, ruleset.config, start, end)
        )
        audit.record(
            user,
            "analytics.profile.compute",
            object_type="Profile",
            object_id=prof.pk,
            case_id=ref.case.pk,
            after={
                "score": prof.score,
                "ruleset": ruleset.version,
                "rules": [f["rule"] for f in result["findings"]],
            },
        )
    return prof


def _all_leads(
    ref: queries.DebtorRef,
    ind: dict[str, Any],
    result: dict[str, Any],
    config: dict[str, Any],
    start: date,
    end: date,
) -> list[dict[str, Any]]:
    """Every lead of a profile: cars by plate, employers paying a salary, regular payees."""
    vehicles = leadrules.vehicle_leads(queries.vehicle_lines(ref.party.pk, start, end))
    employers = leadrules.employer_leads(
        ind.get("regular_income", []), lambda name: is_organisation(name, config)
    )
    return vehicles + employers + list(result["leads"])


def _context(
    user: Any,
    ref: queries.DebtorRef,
    start: date,
    end: date,
    restrictions: list[Period] | None,
    freezes: list[date] | None,
) -> dict[str, Any]:
    kd = queries.key_dates(ref.case)
    return {
        **kd,
        "claim": ref.case.principal,
        "is_minor": ref.party.is_minor,
        "period": [start, end],
        "restrictions": restrictions if restrictions is not None else queries.restriction_periods(ref.party),
        "freezes": freezes if freezes is not None else queries.freeze_dates(ref.party),
        "permits": queries.permitted_consumption(ref.party),
        "related": queries.related_parties(user, ref),
    }


def _permits(pid: int, ctx: dict[str, Any]) -> list[tuple[int, str, date, date, str]]:
    """One row per screening code of each approved consumption window (what `store.connect` loads)."""
    return [(pid, code, lo, hi, purpose) for lo, hi, codes, purpose in ctx["permits"] for code in codes]


def _check_days(
    start: date, end: date, restrictions: list[Period] | None, freezes: list[date] | None
) -> None:
    """A `ServiceError` naming the field of the first day out of `params.check_day`'s range: the
    period's local days become UTC times, a day near year 1 or 9999 overflows (a server error)."""
    check_day(start, "start", "分析起始日")
    check_day(end, "end", "分析终止日")
    for lo, hi in restrictions or []:
        for day in (lo, hi) if hi is not None else (lo,):
            check_day(day, "restrictions", "限制消费期间")
    for day in freezes or []:
        check_day(day, "freezes", "冻结日期")


def compute_profile(
    user: Any,
    ref: queries.DebtorRef,
    *,
    start: date | None = None,
    end: date | None = None,
    restrictions: list[Period] | None = None,
    freezes: list[date] | None = None,
) -> Profile:
    """Compute and store one debtor's profile with the active rule set."""
    if not queries.allowed(user, ref, Cap.ANALYTICS_PROFILE):
        raise NotPermitted(PROFILE_REFUSED)
    end = end or timezone.localdate()
    start = start or min(ref.case.effective_on - timedelta(days=365), end)
    if start > end:
        raise ServiceError("分析起始日不能晚于终止日", field="start")
    _check_days(start, end, restrictions, freezes)
    ruleset = queries.active_ruleset()
    ctx = _context(user, ref, start, end, restrictions, freezes)
    pid = ref.party.pk
    tx_files, travel_files = _files([pid])
    con = store.connect(
        [_debtor_input(ref, start, end, ctx)],
        tx_files=tx_files,
        travel_files=travel_files,
        related=[(pid, n, acc) for n, _, acc in ctx["related"]],
        restrictions=[(pid, s, e) for s, e in ctx["restrictions"]],
        freezes=[(pid, d) for d in ctx["freezes"]],
        permits=_permits(pid, ctx),
    )
    try:
        ind = indicators.compute(con, ruleset.config)[pid]
    finally:
        con.close()
    return _save(user, ref, ruleset, ind, evaluate(ind, ruleset.config, ctx), start, end, ctx, None)


def create_batch(user: Any) -> BatchRun:
    """Queue the analysis of every debtor with imported data in the user's court."""
    if not queries.may_batch(user):
        raise NotPermitted(BATCH_REFUSED)
    with transaction.atomic():
        run = BatchRun.objects.create(
            court=user.court, started_by=user, total=len(queries.batch_candidates(user))
        )
        audit.record(
            user,
            "analytics.batch.create",
            object_type="BatchRun",
            object_id=run.pk,
            after={"total": run.total},
        )
    return run


def run_batch(batch_id: int) -> BatchRun:
    """Analyse every candidate debtor in one DuckDB pass, then store ranked profiles with progress."""
    run = BatchRun.objects.select_related("court", "started_by").get(pk=batch_id)
    user = get_user_model().objects.select_related("court").get(pk=int(run.started_by_id or 0))
    if run.status not in (BatchRun.Status.PENDING, BatchRun.Status.RUNNING):
        return run
    if not queries.may_batch(user) or user.court_id != run.court_id:  # the right may be gone since queued
        with transaction.atomic():
            BatchRun.objects.filter(pk=run.pk).update(
                status=BatchRun.Status.FAILED, finished_at=timezone.now()
            )
            audit.record(
                user,
                "analytics.batch.refused",
                object_type="BatchRun",
                object_id=run.pk,
                court=run.court,
                after={"reason": "发起人已无批量分析的权限"},
            )
        run.refresh_from_db()
        return run
    BatchRun.objects.filter(pk=run.pk).update(status=BatchRun.Status.RUNNING)
    refs = queries.batch_candidates(user)
    BatchRun.objects.filter(pk=run.pk).update(total=len(refs))
    ruleset = queries.active_ruleset()
    end = timezone.localdate()
    inputs, related, restrictions, freezes, permits, ctxs = [], [], [], [], [], {}
    for ref in refs:
        start = min(ref.case.effective_on - timedelta(days=365), end)
        ctx = _context(user, ref, start, end, None, None)
        ctxs[ref.party.pk] = (ref, start, ctx)
        inputs.append(_debtor_input(ref, start, end, ctx))
        related += [(ref.party.pk, n, acc) for n, _, acc in ctx["related"]]
        restrictions += [(ref.party.pk, s, e) for s, e in ctx["restrictions"]]
        freezes += [(ref.party.pk, d) for d in ctx["freezes"]]
        permits += _permits(ref.party.pk, ctx)
    tx_files, travel_files = _files(list(ctxs))
    con = store.connect(
        inputs,
        tx_files=tx_files,
        travel_files=travel_files,
        related=related,
        restrictions=restrictions,
        freezes=freezes,
        permits=permits,
    )
    try:
        all_ind = indicators.compute(con, ruleset.config)
    finally:
        con.close()
    for n, (pid, (ref, start, ctx)) in enumerate(ctxs.items(), start=1):
        ind = all_ind[pid]
        _save(user, ref, ruleset, ind, evaluate(ind, ruleset.config, ctx), start, end, ctx, run)
        BatchRun.objects.filter(pk=run.pk).update(processed=n)
    with transaction.atomic():
        BatchRun.objects.filter(pk=run.pk).update(status=BatchRun.Status.DONE, finished_at=timezone.now())
        audit.record(
            user, "analytics.batch.done", object_type="BatchRun", object_id=run.pk, after={"total": len(refs)}
        )
    run.refresh_from_db()
    return run
