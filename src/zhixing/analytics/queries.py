"""Reads for ability-to-pay analysis; cases are read only through `zhixing.cases.queries`.

`restriction_periods` and `freeze_dates` read the credit and inquiry domains through their queries;
callers may still pass periods/dates explicitly (e.g. a restriction recorded outside the platform).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from typing import Any

from django.db import connection
from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from zhixing.cases import queries as case_queries
from zhixing.core import glob_lookup
from zhixing.courts.queries import can_read_court, can_write_court, court_scope_q
from zhixing.courts.roles import Cap
from zhixing.credit import queries as credit_queries
from zhixing.inquiry import queries as inquiry_queries

from . import leadrules, names
from .exchange import RateTable
from .models import (
    BatchRun,
    ExchangeRate,
    ImportJob,
    Profile,
    PropertyLead,
    QuarantinedRow,
    RelatedPerson,
    RuleSet,
    StatementPreset,
    Transaction,
    TravelRecord,
)
from .ruleconfig import DEFAULT_CONFIG

ANALYSABLE_STATUSES = ("registered", "in_progress", "suspended", "dormant")


@dataclass
class DebtorRef:
    """A debtor (Party) with its case, as the analytics pages address it."""

    case: Any
    party: Any

    @property
    def surname(self) -> str:
        return self.party.name[:1] if self.party.kind == "person" else ""


def debtor(user: Any, case_id: int, party_id: int) -> DebtorRef | None:
    """The debtor `party_id` of case `case_id` if the user may read the case, else None."""
    case = case_queries.get_case(user, case_id)
    if case is None:
        return None
    for p in case_queries.case_parties(case):
        if p.pk == party_id and p.role == "debtor":
            return DebtorRef(case, p)
    return None


def allowed(user: Any, ref: DebtorRef, cap: str) -> bool:
    """Whether the user may make this kind of write (`cap`, a `Cap`) on the debtor's case.

    Writes belong to the case's own court (higher courts read) and to the roles the capability table
    (`zhixing.courts.roles`) gives that kind of write.
    """
    return (
        bool(getattr(user, "is_authenticated", False))
        and can_write_court(user, ref.case.court)
        and user.can(cap)
    )


def may_batch(user: Any) -> bool:
    """Whether the user may start the analysis of every debtor of their court (a court-wide write)."""
    return getattr(user, "court", None) is not None and user.can(Cap.ANALYTICS_BATCH)


def key_dates(case: Any) -> dict[str, date | None]:
    """Judgment effective date, performance deadline, filing date and the enforcement notice date."""
    return key_dates_of([case])[case.pk]


def key_dates_of(cases: Sequence[Any]) -> dict[int, dict[str, date | None]]:
    """`key_dates` of many cases (by case id) with one query: the notice date is the completion day of
    the case's last finished 执行通知 node."""
    notices = case_queries.last_done_dates([c.pk for c in cases], "notice")
    return {
        c.pk: {
            "effective_on": c.effective_on,
            "deadline": c.performance_deadline,
            "filed_on": c.filed_on,
            "notice_on": notices[c.pk],
        }
        for c in cases
    }


def restriction_periods(party: Any) -> list[tuple[date, date | None]]:
    """Consumption-restriction periods (start, end or None while in force) binding the debtor."""
    return restriction_periods_of([party])[party.pk]


def restriction_periods_of(parties: Sequence[Any]) -> dict[int, list[tuple[date, date | None]]]:
    """Per party id, the consumption-restriction periods binding the debtor (one query for all).

    From the credit domain: restrictions of this party or of the same ID number / credit code in any
    case (限制消费规定 Art 3: restricted consumption while the order is in force is a violation).
    """
    return credit_queries.consumption_restriction_periods_of(parties)


def permitted_consumption(party: Any) -> list[tuple[date, date, list[str], str]]:
    """Approved private / necessary consumption windows (first day, last day, screening codes, purpose)
    on the debtor's consumption restrictions, from the credit domain (限制消费规定 Arts 3(2), 8)."""
    return permitted_consumption_of([party])[party.pk]


def permitted_consumption_of(parties: Sequence[Any]) -> dict[int, list[tuple[date, date, list[str], str]]]:
    """`permitted_consumption` of many debtors (by party id) with one query."""
    return credit_queries.consumption_permissions_of(parties)


def freeze_dates(party: Any) -> list[date]:
    """Days a freeze or seizure of the debtor's property took effect (from the inquiry domain)."""
    return freeze_dates_of([party])[party.pk]


def freeze_dates_of(parties: Sequence[Any]) -> dict[int, list[date]]:
    """`freeze_dates` of many debtors (by party id) with one query."""
    return inquiry_queries.control_dates_of(parties)


def _db_prefix(value: str, prefix: str) -> bool:
    """Whether the database's `startswith` lookup (LIKE 'prefix%') matches `value` for a prefix of at
    most one character: exact on PostgreSQL, ASCII letters of either case on SQLite (its LIKE folds
    ASCII case only)."""
    if value.startswith(prefix):
        return True
    head = value[:1]
    folds = connection.vendor == "sqlite" and head.isascii() and prefix.isascii()
    return folds and head.lower() == prefix.lower()


def related_parties(user: Any, ref: DebtorRef) -> list[tuple[str, str, str]]:
    """(name, why, account) of related parties (`related_parties_of` for one debtor)."""
    return related_parties_of(user, [ref])[ref.party.pk]


def related_parties_of(user: Any, refs: Sequence[DebtorRef]) -> dict[int, list[tuple[str, str, str]]]:
    """Per debtor (party id), (name, why, account) of related parties: declared relatives (with any
    recorded account), persons with the debtor's surname and address, companies whose legal
    representative is the debtor; for many debtors with a fixed number of queries.

    The legal representative is recognised through written variants of the debtor's name (spaces,
    width, traditional characters, pinyin: `names.same_person_name`), not only the identical string,
    in the readable cases (at most 50 a debtor, the lowest ids first) where a company's representative
    has the debtor's surname.
    """
    out: dict[int, list[tuple[str, str, str]]] = {ref.party.pk: [] for ref in refs}
    for r in RelatedPerson.objects.filter(party_id__in=list(out)).order_by("id"):
        out[r.party_id].append((r.name, r.get_relation_display(), r.account))
    persons = [ref.party for ref in refs if ref.party.kind == "person"]
    for p, found in _same_address(user, [p for p in persons if p.address]).items():
        out[p.pk] += [(name, "同姓同住址", "") for name in found]
    for p, found in _represented(user, persons).items():
        out[p.pk] += [(name, "担任法定代表人的单位", "") for name in found]
    for pk, rows in out.items():
        seen: set[str] = set()
        out[pk] = [x for x in rows if not (x[0] in seen or seen.add(x[0]))]  # type: ignore[func-returns-value]
    return out


def _same_address(user: Any, persons: list[Any]) -> dict[Any, list[str]]:
    """Per person, the names of other parties of the readable cases at the same address with the same
    surname (in at most the 50 lowest-id such cases), in case order and each case's party order."""
    if not persons:
        return {}
    rows = (
        case_queries.scoped_parties(user)
        .filter(address__in=sorted({p.address for p in persons}))
        .order_by("case_id", "role", "id")
        .values_list("case_id", "name", "address")
    )
    by_address: dict[str, list[tuple[int, str]]] = {}
    for case_id, name, address in rows:
        by_address.setdefault(address, []).append((case_id, name))
    out = {}
    for p in persons:
        here = by_address.get(p.address, [])
        surname = p.name[:1]
        cases = set(sorted({c for c, name in here if _db_prefix(name, surname)})[:50])
        out[p] = [name for c, name in here if c in cases and name != p.name and name.startswith(surname)]
    return out


def _represented(user: Any, persons: list[Any]) -> dict[Any, list[str]]:
    """Per person, the names of the companies of the readable cases whose legal representative is the
    person under a written variant of the name, in the (at most 50 lowest-id) cases where a company's
    representative is the name or begins with its surname; in case order and each case's party order."""
    if not persons:
        return {}
    firsts = {p.name[:1] for p in persons}
    firsts |= {c.swapcase() for c in firsts if c.isascii()}  # SQLite's LIKE folds ASCII case
    orgs = case_queries.scoped_parties(user).filter(kind="organisation")
    if "" not in firsts:
        orgs = orgs.annotate(rep_first=Substr("legal_representative", 1, 1)).filter(
            rep_first__in=sorted(firsts)
        )
    reps = list(orgs.order_by("case_id").values_list("case_id", "legal_representative").distinct())
    chosen = {}
    for p in persons:
        surname = p.name[:1]
        chosen[p] = sorted({c for c, rep in reps if rep == p.name or _db_prefix(rep, surname)})[:50]
    wanted = sorted({c for cases in chosen.values() for c in cases})
    by_case: dict[int, list[tuple[str, str]]] = {c: [] for c in wanted}
    if wanted:
        rows = (
            case_queries.scoped_parties(user)
            .filter(case_id__in=wanted, kind="organisation")
            .order_by("case_id", "role", "id")
            .values_list("case_id", "name", "legal_representative")
        )
        for case_id, name, rep in rows:
            by_case[case_id].append((name, rep or ""))
    return {
        p: [name for c in chosen[p] for name, rep in by_case[c] if names.same_person_name(rep, p.name)]
        for p in persons
    }


def related_names(user: Any, ref: DebtorRef) -> list[tuple[str, str]]:
    """(name, why) of the related parties (`related_parties` without accounts)."""
    return [(n, why) for n, why, _ in related_parties(user, ref)]


def active_ruleset() -> RuleSet:
    rs = RuleSet.objects.filter(active=True).order_by("-version").first()
    if rs is None:
        rs, _ = RuleSet.objects.get_or_create(
            version=1, defaults={"name": "默认规则", "config": DEFAULT_CONFIG, "active": True}
        )
    return rs


def may_read_rates(user: Any) -> bool:
    """Whether the user sees the rate table: a court's staff who keep it, import or define layouts."""
    readers = (Cap.ANALYTICS_RATE, Cap.ANALYTICS_IMPORT, Cap.ANALYTICS_PRESET)
    return getattr(user, "court", None) is not None and any(user.can(c) for c in readers)


def exchange_rates() -> QuerySet[ExchangeRate]:
    """The rate table as the rates page lists it: by currency, the latest first."""
    return ExchangeRate.objects.order_by("currency", "-valid_from")


def rate_table() -> RateTable:
    """Every conversion rate to CNY (a few hundred rows at most), for converting an import's lines."""
    return RateTable(ExchangeRate.objects.values_list("currency", "valid_from", "rate"))


def _ancestor_paths(court: Any) -> list[str]:
    """Paths of the courts above `court` ("/粤/粤01/粤0106/" -> "/粤/", "/粤/粤01/")."""
    parts = [p for p in court.path.split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts))]


def usable_presets(user: Any) -> QuerySet[StatementPreset]:
    """Layouts the user's court may import with: platform-wide ones, its own, and those a court
    above it shares. Another court's own layouts are invisible (not even their codes are told)."""
    scope = Q(court__isnull=True)
    court = getattr(user, "court", None)
    if court is not None:
        scope |= Q(court_id=court.pk) | Q(shared=True, court__path__in=_ancestor_paths(court))
    return StatementPreset.objects.filter(scope).select_related("court")


def presets(user: Any) -> list[StatementPreset]:
    return list(usable_presets(user))


def preset(user: Any, preset_id: int) -> StatementPreset | None:
    """One layout the user may use (None for another court's layout or a missing one)."""
    return usable_presets(user).filter(pk=preset_id).first()


def preset_editable(user: Any, preset: StatementPreset) -> bool:
    """Only the defining court's staff with the layout capability change a layout; built-in and
    platform-wide layouts are changed by an administrator in admin, shared ones by their court."""
    court = getattr(user, "court", None)
    return (
        court is not None
        and not preset.builtin
        and preset.court_id == court.pk
        and bool(getattr(user, "is_active", False))
        and user.can(Cap.ANALYTICS_PRESET)
    )


def preset_by_code(user: Any, code: str) -> StatementPreset | None:
    """The layout `code` names for the user: the own court's first, then the nearest sharing court's,
    then the platform-wide one."""
    if not code:
        return None
    own = getattr(getattr(user, "court", None), "pk", None)

    def rank(p: StatementPreset) -> tuple[int, int]:
        if p.court is None:
            return (2, 0)
        return (0, 0) if p.court_id == own else (1, -len(p.court.path))

    found = sorted(usable_presets(user).filter(code=code), key=rank)
    return found[0] if found else None


def preset_in_use(preset: StatementPreset) -> bool:
    return ImportJob.objects.filter(preset=preset).exists()


def preset_clashes(user: Any, preset: StatementPreset, field: str) -> bool:
    """Whether another layout the court can use already has this name or code (one meaning per word)."""
    value = getattr(preset, field)
    return usable_presets(user).filter(**{field: value}).exclude(pk=preset.pk).exists()


def jobs_for(party_id: int) -> list[ImportJob]:
    return list(ImportJob.objects.filter(party_id=party_id).select_related("preset")[:50])


def job(user: Any, job_id: int) -> ImportJob | None:
    j = ImportJob.objects.select_related("court", "preset").filter(pk=job_id).first()
    return j if j and can_read_court(user, j.court) else None


def quarantine_of(job: ImportJob) -> list[QuarantinedRow]:
    return list(job.quarantine.all()[:500])


def latest_profile(party_id: int) -> Profile | None:
    return Profile.objects.filter(party_id=party_id).select_related("ruleset").first()


def profile(user: Any, profile_id: int) -> Profile | None:
    p = Profile.objects.select_related("ruleset", "court", "party").filter(pk=profile_id).first()
    return p if p and can_read_court(user, p.court) else None


def transactions(party_id: int, ids: list[int]) -> list[Transaction]:
    qs = Transaction.objects.filter(party_id=party_id, pk__in=ids).select_related("correction")
    return list(qs.order_by("occurred_at"))


def travel_records(party_id: int, ids: list[int]) -> list[TravelRecord]:
    return list(TravelRecord.objects.filter(party_id=party_id, pk__in=ids).order_by("start_at"))


def last_import_times(party_ids: list[int]) -> dict[int, Any]:
    """Latest finished import per debtor (to know when a Parquet snapshot is stale)."""
    rows = (
        ImportJob.objects.filter(party_id__in=party_ids, finished_at__isnull=False)
        .values("party_id")
        .annotate(last=Max("finished_at"))
    )
    return {r["party_id"]: r["last"] for r in rows}


def transaction_count(party_id: int) -> int:
    return Transaction.objects.filter(party_id=party_id).count()


def related_people(party_id: int) -> list[RelatedPerson]:
    return list(RelatedPerson.objects.filter(party_id=party_id))


def leads_of(profile: Profile) -> list[PropertyLead]:
    return list(profile.leads.select_related("party", "request", "asset", "node").order_by("id"))


def lead(user: Any, lead_id: int) -> PropertyLead | None:
    """A lead whose profile's court the user may read (None otherwise)."""
    found = (
        PropertyLead.objects.select_related("profile__court", "party", "request").filter(pk=lead_id).first()
    )
    return found if found and can_read_court(user, found.profile.court) else None


def lead_ref(user: Any, lead: PropertyLead) -> DebtorRef | None:
    """The debtor (with case) the lead is about, if the user may read that case."""
    return debtor(user, lead.party.case_id, lead.party_id)


def vehicle_lines(party_id: int, start: date, end: date, limit: int = 5000) -> list[Any]:
    """Statement lines of the period that write a licence plate (`vehicle_lines_of` for one debtor)."""
    return vehicle_lines_of({party_id: (start, end)}, limit)[party_id]


def vehicle_lines_of(periods: dict[int, tuple[date, date]], limit: int = 5000) -> dict[int, list[Any]]:
    """Per debtor (party id → its period's first and last day), the statement lines of the period that
    write a licence plate (tolls, parking, fuel...), in time order, the first `limit` of them; for
    many debtors with one query.

    The period is the local days `start`..`end` as a range of the stored time: the (party, time) index
    finds it, where a per-row date conversion (`occurred_at__date`, a Python function per row on SQLite)
    read every line of the debtor (9.4 of a 40-debtor batch's 11.9 s, cProfile). Several debtors are
    read over the union of their periods and each one's own period is kept here. On SQLite the text is
    first narrowed by GLOB (C) to lines with a province character and an office letter — a superset of
    `leadrules.PLATE` — and the plate pattern itself is checked here; elsewhere the database's own
    regular expression does it."""
    zone = timezone.get_current_timezone()

    def local_range(start: date, end: date) -> tuple[datetime, datetime]:
        lo = timezone.make_aware(datetime.combine(start, dt_time.min), zone)
        return lo, timezone.make_aware(datetime.combine(end + timedelta(days=1), dt_time.min), zone)

    ranges = {pid: local_range(start, end) for pid, (start, end) in periods.items()}
    out: dict[int, list[Any]] = {pid: [] for pid in periods}
    if not ranges:
        return out
    if glob_lookup.available(connection):
        pattern = f"*[{leadrules.PROVINCES}][A-HJ-NP-Z]*"
        plate = Q(summary__glob=pattern) | Q(merchant__glob=pattern) | Q(counterparty__glob=pattern)
        cut = None  # the superset's extra lines must not take the limit's places
    else:
        pattern = leadrules.PLATE.pattern
        plate = Q(summary__regex=pattern) | Q(merchant__regex=pattern) | Q(counterparty__regex=pattern)
        cut = limit if len(ranges) == 1 else None  # several debtors: each one's limit is counted here
    lo = min(r[0] for r in ranges.values())
    hi = max(r[1] for r in ranges.values())
    rows = (
        Transaction.objects.filter(party_id__in=sorted(ranges), occurred_at__gte=lo, occurred_at__lt=hi)
        .exclude(kind=Transaction.Kind.IGNORED)
        .filter(plate, duplicate_of__isnull=True)
        .order_by("party_id", "occurred_at")
        .values_list("party_id", "pk", "occurred_at", "amount", "summary", "merchant", "counterparty")[:cut]
    )
    for party_id, pk, at, amount, summary, merchant, cp in rows:
        found = out[party_id]
        first, after = ranges[party_id]
        if len(found) >= limit or not first <= at < after:
            continue
        if leadrules.plate_in(summary, merchant, cp):
            month = timezone.localtime(at, zone).strftime("%Y-%m")
            found.append(leadrules.Line(pk, month, amount, (summary, merchant, cp)))
    return out


def batch_candidates(user: Any) -> list[DebtorRef]:
    """Debtors of the user's court's active and dormant cases that have imported data."""
    court = user.court
    party_ids = set(
        ImportJob.objects.filter(court=court, status=ImportJob.Status.DONE).values_list("party_id", flat=True)
    )
    scoped = case_queries.scoped_cases(user).filter(court=court, status__in=ANALYSABLE_STATUSES)
    cases = list(scoped.filter(parties__id__in=party_ids).select_related("court").distinct().order_by("id"))
    parties = case_queries.parties_of_cases([c.pk for c in cases])
    return [DebtorRef(case, p) for case in cases for p in parties[case.pk] if p.pk in party_ids]


def recent_debtors(user: Any, limit: int = 30) -> list[DebtorRef]:
    """Debtors of the user's readable open and dormant cases, newest cases first (the page's index)."""
    out: list[DebtorRef] = []
    cases = case_queries.scoped_cases(user).filter(status__in=ANALYSABLE_STATUSES).order_by("-id")[:limit]
    for case in cases:
        out += [DebtorRef(case, p) for p in case_queries.case_parties(case) if p.role == "debtor"]
    return out


def batches(user: Any) -> list[BatchRun]:
    return list(BatchRun.objects.filter(court_scope_q(user))[:10])


def batch(user: Any, batch_id: int) -> BatchRun | None:
    b = BatchRun.objects.select_related("court").filter(pk=batch_id).first()
    return b if b and can_read_court(user, b.court) else None


def ranking(run: BatchRun, limit: int = 20) -> list[Profile]:
    return list(Profile.objects.filter(batch=run).select_related("party").order_by("-score", "id")[:limit])
