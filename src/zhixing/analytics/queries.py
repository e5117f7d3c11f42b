"""Reads for ability-to-pay analysis; cases are read only through `zhixing.cases.queries`.

`restriction_periods` and `freeze_dates` read the credit and inquiry domains through their queries;
callers may still pass periods/dates explicitly (e.g. a restriction recorded outside the platform).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from typing import Any

from django.db import connection
from django.db.models import Max, Q, QuerySet
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
    notice = None
    for node in case_queries.case_nodes(case):
        if node.node_type.code == "notice" and node.status == "done":
            notice = node.completed_on
    return {
        "effective_on": case.effective_on,
        "deadline": case.performance_deadline,
        "filed_on": case.filed_on,
        "notice_on": notice,
    }


def restriction_periods(party: Any) -> list[tuple[date, date | None]]:
    """Consumption-restriction periods (start, end or None while in force) binding the debtor.

    From the credit domain: restrictions of this party or of the same ID number / credit code in any
    case (限制消费规定 Art 3: restricted consumption while the order is in force is a violation).
    """
    return credit_queries.consumption_restriction_periods(party)


def permitted_consumption(party: Any) -> list[tuple[date, date, list[str], str]]:
    """Approved private / necessary consumption windows (first day, last day, screening codes, purpose)
    on the debtor's consumption restrictions, from the credit domain (限制消费规定 Arts 3(2), 8)."""
    return credit_queries.consumption_permissions(party)


def freeze_dates(party: Any) -> list[date]:
    """Days a freeze or seizure of the debtor's property took effect (from the inquiry domain)."""
    return inquiry_queries.control_dates(party)


def related_parties(user: Any, ref: DebtorRef) -> list[tuple[str, str, str]]:
    """(name, why, account) of related parties: declared relatives (with any recorded account), persons
    with the debtor's surname and address, companies whose legal representative is the debtor.

    The legal representative is recognised through written variants of the debtor's name (spaces,
    width, traditional characters, pinyin: `names.same_person_name`), not only the identical string.
    """
    out = [
        (r.name, r.get_relation_display(), r.account)
        for r in RelatedPerson.objects.filter(party_id=ref.party.pk)
    ]
    p = ref.party
    scoped = case_queries.scoped_cases(user)
    if p.kind == "person" and p.address:
        for case in scoped.filter(
            parties__address=p.address, parties__name__startswith=p.name[:1]
        ).distinct()[:50]:
            for other in case_queries.case_parties(case):
                if other.name != p.name and other.address == p.address and other.name.startswith(p.name[:1]):
                    out.append((other.name, "同姓同住址", ""))
    if p.kind == "person":
        rep = Q(parties__legal_representative=p.name)
        rep |= Q(parties__legal_representative__startswith=p.name[:1])
        for case in scoped.filter(rep, parties__kind="organisation").distinct()[:50]:
            for other in case_queries.case_parties(case):
                if other.kind == "organisation" and names.same_person_name(
                    other.legal_representative or "", p.name
                ):
                    out.append((other.name, "担任法定代表人的单位", ""))
    seen: set[str] = set()
    return [x for x in out if not (x[0] in seen or seen.add(x[0]))]  # type: ignore[func-returns-value]


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
    """Statement lines of the period that write a licence plate (tolls, parking, fuel...), in time order,
    the first `limit` of them.

    The period is the local days `start`..`end` as a range of the stored time: the (party, time) index
    finds it, where a per-row date conversion (`occurred_at__date`, a Python function per row on SQLite)
    read every line of the debtor (9.4 of a 40-debtor batch's 11.9 s, cProfile). On SQLite the text is
    first narrowed by GLOB (C) to lines with a province character and an office letter — a superset of
    `leadrules.PLATE` — and the plate pattern itself is checked here; elsewhere the database's own
    regular expression does it."""
    zone = timezone.get_current_timezone()
    lo = timezone.make_aware(datetime.combine(start, dt_time.min), zone)
    hi = timezone.make_aware(datetime.combine(end + timedelta(days=1), dt_time.min), zone)
    if glob_lookup.available(connection):
        pattern = f"*[{leadrules.PROVINCES}][A-HJ-NP-Z]*"
        plate = Q(summary__glob=pattern) | Q(merchant__glob=pattern) | Q(counterparty__glob=pattern)
        cut = None  # the superset's extra lines must not take the limit's places
    else:
        pattern = leadrules.PLATE.pattern
        plate = Q(summary__regex=pattern) | Q(merchant__regex=pattern) | Q(counterparty__regex=pattern)
        cut = limit
    rows = (
        Transaction.objects.filter(party_id=party_id, occurred_at__gte=lo, occurred_at__lt=hi)
        .exclude(kind=Transaction.Kind.IGNORED)
        .filter(plate, duplicate_of__isnull=True)
        .order_by("occurred_at")
        .values_list("pk", "occurred_at", "amount", "summary", "merchant", "counterparty")[:cut]
    )
    out = []
    for pk, at, amount, summary, merchant, cp in rows:
        if leadrules.plate_in(summary, merchant, cp):
            out.append(
                leadrules.Line(
                    pk, timezone.localtime(at, zone).strftime("%Y-%m"), amount, (summary, merchant, cp)
                )
            )
            if len(out) >= limit:
                break
    return out


def batch_candidates(user: Any) -> list[DebtorRef]:
    """Debtors of the user's court's active and dormant cases that have imported data."""
    court = user.court
    party_ids = set(
        ImportJob.objects.filter(court=court, status=ImportJob.Status.DONE).values_list("party_id", flat=True)
    )
    out: list[DebtorRef] = []
    cases = case_queries.scoped_cases(user).filter(court=court, status__in=ANALYSABLE_STATUSES)
    for case in cases.filter(parties__id__in=party_ids).distinct():
        out += [DebtorRef(case, p) for p in case_queries.case_parties(case) if p.pk in party_ids]
    return out


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
