"""Computing explained debtor profiles (one debtor or a court's batch) and recording relatives."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.roles import Cap

from .. import indicators, leadrules, queries, store
from ..models import BatchRun, Profile, PropertyLead, RelatedPerson
from ..params import check_day
from ..rules import evaluate_many, is_organisation
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


CHUNK = 200  # profiles a batch writes per transaction (with their leads, audit records and progress)


def _debtor_input(ref: queries.DebtorRef, start: date, end: date, kd: dict[str, Any]) -> store.DebtorInput:
    """The debtor's row of the analysis; `kd` its case's key dates (the context holds them)."""
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


def _save_many(
    user: Any,
    ruleset: Any,
    rows: list[tuple[queries.DebtorRef, date, dict[str, Any], dict[str, Any], dict[str, Any]]],
    end: date,
    batch: BatchRun | None,
) -> list[Profile]:
    """Store the profiles of `rows` (debtor, period start, context, indicators, evaluation) in one
    transaction: the profiles and their leads in bulk, one audit record per profile."""
    lines = queries.vehicle_lines_of({ref.party.pk: (start, end) for ref, start, *_ in rows})
    profiles: list[Profile] = []
    leads: list[list[dict[str, Any]]] = []
    for ref, start, ctx, ind, result in rows:
        profiles.append(
            Profile(
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
        )
        leads.append(_all_leads(lines[ref.party.pk], ind, result, ruleset.config))
    with transaction.atomic():
        if connection.features.can_return_rows_from_bulk_insert:  # PostgreSQL, SQLite ≥ 3.35
            Profile.objects.bulk_create(profiles)
        else:
            for prof in profiles:
                prof.save()
        PropertyLead.objects.bulk_create(
            PropertyLead(
                party=prof.party,
                profile=prof,
                counterparty=x["counterparty"][:200],
                account=x["account"][:64],
                lead_type=x["lead_type"],
                months=x["months"],
                total=x["total"],
                kind=x.get("kind") or leadrules.kind_of(x["lead_type"]),
                target=str(x.get("target") or "")[:64],
            )
            for prof, found in zip(profiles, leads, strict=True)
            for x in found
        )
        chains: dict[str, tuple[Any, list[dict[str, Any]]]] = {}
        for prof, (ref, _, _, _, result) in zip(profiles, rows, strict=True):
            court = ref.case.court
            chains.setdefault(court.code, (court, []))[1].append(
                {
                    "action": "analytics.profile.compute",
                    "object_type": "Profile",
                    "object_id": prof.pk,
                    "case_id": ref.case.pk,
                    "after": {
                        "score": prof.score,
                        "ruleset": ruleset.version,
                        "rules": [f["rule"] for f in result["findings"]],
                    },
                }
            )
        for court, items in chains.values():  # the chain of each case's court, as `audit.record` finds it
            audit.append_many(user, items, court=court)
    return profiles


def _all_leads(
    vehicle_lines: list[Any], ind: dict[str, Any], result: dict[str, Any], config: dict[str, Any]
) -> list[dict[str, Any]]:
    """Every lead of a profile: cars by plate, employers paying a salary, regular payees."""
    vehicles = leadrules.vehicle_leads(vehicle_lines)
    employers = leadrules.employer_leads(
        ind.get("regular_income", []), lambda name: is_organisation(name, config)
    )
    return vehicles + employers + list(result["leads"])


def _contexts(
    user: Any,
    debtors: list[tuple[queries.DebtorRef, date]],
    end: date,
    restrictions: list[Period] | None = None,
    freezes: list[date] | None = None,
) -> dict[int, dict[str, Any]]:
    """Each debtor's context (by party id; `debtors`: each one with its period's first day), read with
    one query per kind of context for all of them. `restrictions` and `freezes`, when given, replace
    what the credit and inquiry domains record (one debtor's profile with periods typed in)."""
    refs = [ref for ref, _ in debtors]
    parties = [ref.party for ref in refs]
    kds = queries.key_dates_of([ref.case for ref in refs])
    found_restrictions = queries.restriction_periods_of(parties) if restrictions is None else {}
    found_freezes = queries.freeze_dates_of(parties) if freezes is None else {}
    permits = queries.permitted_consumption_of(parties)
    related = queries.related_parties_of(user, refs)
    out = {}
    for ref, start in debtors:
        pid = ref.party.pk
        out[pid] = {
            **kds[ref.case.pk],
            "claim": ref.case.principal,
            "is_minor": ref.party.is_minor,
            "period": [start, end],
            "restrictions": restrictions if restrictions is not None else found_restrictions[pid],
            "freezes": freezes if freezes is not None else found_freezes[pid],
            "permits": permits[pid],
            "related": related[pid],
        }
    return out


def _indicators(
    debtors: list[tuple[queries.DebtorRef, date]], end: date, ctxs: dict[int, dict[str, Any]], config: Any
) -> dict[int, dict[str, Any]]:
    """The indicators of every debtor (by party id) from one DuckDB pass over their snapshots."""
    inputs, related, restrictions, freezes, permits = [], [], [], [], []
    for ref, start in debtors:
        pid, ctx = ref.party.pk, ctxs[ref.party.pk]
        inputs.append(_debtor_input(ref, start, end, ctx))
        related += [(pid, n, acc) for n, _, acc in ctx["related"]]
        restrictions += [(pid, s, e) for s, e in ctx["restrictions"]]
        freezes += [(pid, d) for d in ctx["freezes"]]
        permits += _permits(pid, ctx)
    tx_files, travel_files = _files([ref.party.pk for ref, _ in debtors])
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
        return indicators.compute(con, config)
    finally:
        con.close()


def _profiles(
    user: Any,
    debtors: list[tuple[queries.DebtorRef, date]],
    end: date,
    batch: BatchRun | None = None,
    restrictions: list[Period] | None = None,
    freezes: list[date] | None = None,
) -> list[Profile]:
    """Analyse `debtors` (each with its period's first day; the period ends on `end`) and store their
    profiles with the active rule set, `CHUNK` a transaction; a batch's progress after each."""
    ruleset = queries.active_ruleset()
    ctxs = _contexts(user, debtors, end, restrictions, freezes)
    all_ind = _indicators(debtors, end, ctxs, ruleset.config)
    out: list[Profile] = []
    for n in range(0, len(debtors), CHUNK):
        chunk = [
            (ref, start, ctxs[ref.party.pk], all_ind[ref.party.pk]) for ref, start in debtors[n : n + CHUNK]
        ]
        results = evaluate_many([(ind, ctx) for _, _, ctx, ind in chunk], ruleset.config)
        rows = [(*row, result) for row, result in zip(chunk, results, strict=True)]
        out += _save_many(user, ruleset, rows, end, batch)
        if batch is not None:
            BatchRun.objects.filter(pk=batch.pk).update(processed=len(out))
    return out


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
    return _profiles(user, [(ref, start)], end, restrictions=restrictions, freezes=freezes)[0]


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
    end = timezone.localdate()
    _profiles(user, [(ref, min(ref.case.effective_on - timedelta(days=365), end)) for ref in refs], end, run)
    with transaction.atomic():
        BatchRun.objects.filter(pk=run.pk).update(status=BatchRun.Status.DONE, finished_at=timezone.now())
        audit.record(
            user, "analytics.batch.done", object_type="BatchRun", object_id=run.pk, after={"total": len(refs)}
        )
    run.refresh_from_db()
    return run
