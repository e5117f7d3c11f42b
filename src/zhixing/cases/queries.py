"""Reads on cases: the scoped, filtered case list, a case's detail, and supervision counts.

Lists never COUNT(*) or OFFSET through the whole table: paging is keyset on (filed_on, id), and every
filter is an indexed predicate, so the first page stays fast at a million cases.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from zhixing.core.id_documents import parse_subject
from zhixing.core.identity import IdentityError
from zhixing.courts.models import Court, Staff
from zhixing.courts.queries import court_scope_q, readable_courts, readable_object

from .models import (
    OPEN_STATUSES,
    Alert,
    CaseStatus,
    EnforcementCase,
    Extension,
    Node,
    NodeType,
    Party,
    PartyAlias,
    Payment,
    Suspension,
)
from .search import normalise_number, party_filter, search_filter

# An identity number of any document (resident ID, permit, passport, organisation code, subject key):
# letters and digits (with a digit), maybe a hyphen or the key's colon — never a name.
ID_LIKE = re.compile(r"^(?=.*\d)[0-9A-Za-z:\-]{5,32}$")


def normalised_number(text: str) -> str:
    """A typed 案号 as numbers are stored: (2024) and （2024） alike, half-width digits, no spaces
    (`search.normalise_number`): what a form that takes a case number looks the case up by."""
    return normalise_number(text or "")


def _id_values(term: str) -> set[str]:
    """The stored spellings an identity-number search term matches (typed form and normalised form)."""
    values = {term.upper().replace("-", "")}
    with suppress(IdentityError):
        values.add(parse_subject(term, timezone.localdate()).number)
    return values


@dataclass
class CaseFilters:
    """Case-list filters as the page and the API accept them (all optional)."""

    court: str = ""
    handler: int | None = None
    status: str = ""
    overdue: bool = False
    debtor: str = ""
    filed_from: date | None = None
    filed_to: date | None = None
    mine: bool = False
    q: str = ""  # 案号 (any part), party name / former name prefix, ID number (exact or last ≥4 digits)
    applicant: str = ""  # applicant's name / former name prefix, or exact ID / credit code


@dataclass
class CasePage:
    rows: list[EnforcementCase]
    next_cursor: str | None
    filters: CaseFilters = field(default_factory=CaseFilters)


def scoped_cases(user: Any) -> QuerySet[EnforcementCase]:
    """Cases the user may read: own court, and for higher courts every subordinate court."""
    return EnforcementCase.objects.filter(court_scope_q(user))


def _prefix(q: str) -> Q:
    # A range instead of LIKE: both SQLite and PostgreSQL answer it from the plain B-tree index.
    return Q(name__gte=q, name__lt=q + "\uffff")


DEBTOR_ID_CAP = 2000  # past this many matching cases, filter with a subquery instead of an id list


def debtor_case_ids(term: str, limit: int = DEBTOR_ID_CAP) -> set[int] | None:
    """Case ids whose debtor matches a name prefix, a former name prefix, or an exact ID/credit code.

    Returns None when more than `limit` cases match (a bare surname over a province): the caller then
    filters with `debtor_filter`, so the newest matching cases are never cut off by an arbitrary cap.
    """
    term = term.strip()
    if ID_LIKE.match(term):
        values = _id_values(term)
        return set(
            Party.objects.filter(Q(id_number__in=values) | Q(credit_code__in=values), role=Party.Role.DEBTOR)
            .order_by()
            .values_list("case_id", flat=True)
        )
    ids = set(
        Party.objects.filter(_prefix(term), role=Party.Role.DEBTOR)
        .order_by()
        .values_list("case_id", flat=True)[: limit + 1]
    )
    ids.update(
        PartyAlias.objects.filter(_prefix(term), party__role=Party.Role.DEBTOR)
        .order_by()
        .values_list("party__case_id", flat=True)[: limit + 1]
    )
    return ids if len(ids) <= limit else None


def debtor_filter(term: str) -> Q:
    """The same match as a correlated subquery, for terms that match too many cases to list."""
    term = term.strip()
    by_name = Party.objects.filter(_prefix(term), case=OuterRef("pk"), role=Party.Role.DEBTOR)
    by_alias = PartyAlias.objects.filter(
        _prefix(term), party__case=OuterRef("pk"), party__role=Party.Role.DEBTOR
    )
    return Q(Exists(by_name)) | Q(Exists(by_alias))


def filtered_cases(user: Any, filters: CaseFilters) -> QuerySet[EnforcementCase]:
    """The scoped case list with `filters` applied (unordered; the page, its export and totals)."""
    qs = scoped_cases(user)
    if filters.court:
        qs = qs.filter(court__code=filters.court)
    if filters.mine:
        qs = qs.filter(handler=user)
    elif filters.handler:
        qs = qs.filter(handler_id=filters.handler)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.overdue:
        qs = qs.filter(next_due_on__lt=timezone.localdate(), status__in=OPEN_STATUSES)
    if filters.debtor:
        ids = debtor_case_ids(filters.debtor)
        qs = qs.filter(pk__in=ids) if ids is not None else qs.filter(debtor_filter(filters.debtor))
    if filters.filed_from:
        qs = qs.filter(filed_on__gte=filters.filed_from)
    if filters.filed_to:
        qs = qs.filter(filed_on__lte=filters.filed_to)
    if filters.q:
        qs = qs.filter(search_filter(filters.q))
    if filters.applicant:
        qs = qs.filter(party_filter(filters.applicant, Party.Role.APPLICANT))
    return qs


def case_page(
    user: Any,
    filters: CaseFilters,
    cursor: str | None = None,
    size: int | None = None,
    base: QuerySet[EnforcementCase] | None = None,
) -> CasePage:
    """One page of the scoped case list, newest filing first; `cursor` continues after the last row.

    `base` is `filtered_cases(user, filters)` when the caller already built it (for the totals too).
    """
    size = size or settings.ZHIXING_PAGE_SIZE
    qs = base if base is not None else filtered_cases(user, filters)
    if cursor:
        try:
            c_date, c_id = cursor.split("_")
            cd, ci = date.fromisoformat(c_date), int(c_id)
        except ValueError:
            cd, ci = None, None
        if cd is not None:
            qs = qs.filter(Q(filed_on__lt=cd) | Q(filed_on=cd, pk__lt=ci))
    rows = list(qs.select_related("court", "case_type", "handler").order_by("-filed_on", "-id")[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = f"{last.filed_on.isoformat()}_{last.pk}"
    _attach_debtor_names(rows)
    return CasePage(rows=rows, next_cursor=next_cursor, filters=filters)


def _attach_debtor_names(rows: list[EnforcementCase]) -> None:
    names: dict[int, list[str]] = {}
    for case_id, name in Party.objects.filter(
        case_id__in=[r.pk for r in rows], role=Party.Role.DEBTOR
    ).values_list("case_id", "name"):
        names.setdefault(case_id, []).append(name)
    for r in rows:
        r.debtor_names = "、".join(names.get(r.pk, []))  # type: ignore[attr-defined]


def get_case(user: Any, pk: int) -> EnforcementCase | None:
    """A case the user may read, with what its page shows, or None (another court's case is None too)."""
    return readable_object(
        user,
        EnforcementCase.objects.select_related(
            "court", "case_type", "handler", "team", "instrument_type", "origin"
        ),
        pk,
    )


def case_parties(case: EnforcementCase) -> list[Party]:
    return list(case.parties.prefetch_related("aliases").order_by("role", "id"))


def case_nodes(case: EnforcementCase) -> list[Node]:
    return list(case.nodes.select_related("node_type", "completed_by").order_by("node_type__order", "id"))


def parties_of_cases(case_ids: Iterable[int]) -> dict[int, list[Party]]:
    """`case_parties` of many cases with one query (and one for the aliases), by case id."""
    out: dict[int, list[Party]] = {pk: [] for pk in case_ids}
    rows = Party.objects.filter(case_id__in=list(out)).prefetch_related("aliases").order_by("role", "id")
    for party in rows:
        out[party.case_id].append(party)
    return out


def scoped_parties(user: Any) -> QuerySet[Party]:
    """Parties of the cases the user may read (`scoped_cases`), for matching names or addresses."""
    return Party.objects.filter(court_scope_q(user, "case__court"))


def last_done_dates(case_ids: Iterable[int], code: str) -> dict[int, date | None]:
    """Per case, the completion day of its last finished node of type `code` in `case_nodes` order
    (None when a case has none, or when that node has no day), for many cases with one query."""
    out: dict[int, date | None] = dict.fromkeys(case_ids)
    rows = (
        Node.objects.filter(case_id__in=list(out), node_type__code=code, status=Node.Status.DONE)
        .order_by("case_id", "node_type__order", "id")
        .values_list("case_id", "completed_on")
    )
    for case_id, day in rows:
        out[case_id] = day
    return out


def case_payments(case: EnforcementCase) -> list[tuple[date, Decimal]]:
    """The money performed on the case, dated, as `rules.delay_interest` takes it.

    A reversal (negative amount) cancels the latest earlier payments it undoes: money that bounced was
    never performed, so it never stopped the delay interest.
    """
    kept: list[list[Any]] = []
    for p in case.payments.order_by("paid_on", "id"):
        if p.amount > 0:
            kept.append([p.paid_on, p.amount])
            continue
        owed = -p.amount
        while owed > 0 and kept:
            take = min(owed, kept[-1][1])
            kept[-1][1] -= take
            owed -= take
            if kept[-1][1] == 0:
                kept.pop()
    return [(d, a) for d, a in kept]


def payment_rows(case: EnforcementCase, limit: int = 200) -> list[Payment]:
    """The case's performed amounts for its page, in date order (reversals included as rows)."""
    return list(case.payments.order_by("paid_on", "id")[:limit])


def pending_extensions(case: EnforcementCase) -> list[Extension]:
    return list(case.extensions.select_related("requested_by", "decided_by", "reported_to").order_by("-id"))


def my_due_nodes(user: Any, limit: int = 50) -> list[Node]:
    """Pending nodes of the user's cases, soonest deadline first."""
    return list(
        Node.objects.filter(handler=user, status=Node.Status.PENDING, due_on__isnull=False)
        .select_related("case", "node_type")
        .order_by("due_on", "pk")[:limit]
    )


def recent_alerts(user: Any, limit: int = 30) -> list[Alert]:
    """Warnings for the user: their own nodes, or, for directors and presidents, their whole scope."""
    qs = Alert.objects.select_related("case", "node__node_type", "handler")
    if user.can("supervise"):
        qs = qs.filter(court_scope_q(user))
    else:
        qs = qs.filter(handler=user)
    return list(qs.filter(node__status=Node.Status.PENDING).order_by("-raised_at", "-id")[:limit])


def extension_queue(user: Any) -> list[Extension]:
    """Extension requests awaiting the president of the user's court."""
    if not user.can("extension.approve"):
        return []
    return list(
        Extension.objects.filter(case__court=user.court, status=Extension.Status.REQUESTED)
        .select_related("case", "requested_by")
        .order_by("requested_on")
    )


@dataclass(frozen=True)
class HandlerOverdue:
    """Overdue pending nodes of one handler in one court; `handler_id` None is 未分案 (not yet assigned)."""

    court_id: int
    handler_id: int | None
    name: str
    count: int


@dataclass
class CourtRow:
    """One court's line of the supervision page: open cases, overdue nodes, cases past their term, and
    the overdue nodes per handler (most first, with the handler's id so each count links to the list)."""

    court: Court
    open_cases: int = 0
    overdue_nodes: int = 0
    term_overdue: int = 0
    handlers: list[HandlerOverdue] = field(default_factory=list)


def overdue_counts(user: Any, today: date | None = None) -> list[CourtRow]:
    """Supervision: per readable court, open cases, overdue nodes (also per handler) and term-overdue cases.

    Three grouped counts plus the handlers' names, each count read from one index without touching a
    row (the province at 1 M cases: ~50 ms on SQLite): pending nodes due before `today` from
    `node_pending_court_due`, open cases from `case_court_status_filed`, and cases past their
    enforcement term from the partial index `case_open_court_term` (one `term_due` range per court).
    Courts come in hierarchy order.
    """
    today = today or timezone.localdate()
    courts = {c.pk: c for c in readable_courts(user)}
    court_ids = list(courts)
    result = {pk: CourtRow(court=c) for pk, c in courts.items()}
    per_handler = list(
        Node.objects.filter(status=Node.Status.PENDING, due_on__lt=today, court_id__in=court_ids)
        .values_list("court_id", "handler_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    ids = {h for _, h, _ in per_handler if h}
    names = dict(Staff.objects.filter(pk__in=ids).values_list("pk", "full_name")) if ids else {}
    for court_id, handler_id, n in sorted(per_handler, key=lambda t: (-t[2], t[1] or 0)):
        name = names.get(handler_id, "未分案") if handler_id else "未分案"
        result[court_id].overdue_nodes += n
        result[court_id].handlers.append(HandlerOverdue(court_id, handler_id, name, n))
    for court_id, n in (
        EnforcementCase.objects.filter(court_id__in=court_ids, status__in=OPEN_STATUSES)
        .values_list("court_id")
        .annotate(n=Count("*"))
        .order_by()
    ):
        result[court_id].open_cases = n
    for court_id, n in (
        EnforcementCase.objects.filter(
            # next_due_on is None once a case closes: these are open cases (the partial index's condition),
            # and an open case's next_due_on is never after its term_due (the term node is pending).
            court_id__in=court_ids,
            next_due_on__isnull=False,
            term_due__isnull=False,
            next_due_on__lt=today,
            term_due__lt=today,
        )
        .values_list("court_id")
        .annotate(n=Count("*"))
        .order_by()
    ):
        result[court_id].term_overdue = n
    return sorted(result.values(), key=lambda r: r.court.path)


def status_counts(user: Any) -> dict[str, int]:
    rows = scoped_cases(user).values_list("status").annotate(n=Count("*")).order_by()
    counts = dict.fromkeys(CaseStatus.values, 0)
    counts.update(dict(rows))
    return counts


# -- facts other domains act on (credit removal triggers) ------------------------------------------------
@dataclass(frozen=True)
class ClosedCase:
    """How and when a case was closed (结案方式 and 结案日期), and whether it has been resumed (执恢)."""

    mode: str
    closed_on: date | None
    resumed: bool = False


def closed_cases(ids: Iterable[int]) -> dict[int, ClosedCase]:
    """The closed cases among `ids` (any closing mode, including 终本), keyed by case id.

    One indexed query per call; callers pass their own batch of ids (a few hundred at a time).
    """
    rows = (
        EnforcementCase.objects.filter(pk__in=list(ids))
        .exclude(closing_mode="")
        .annotate(resumed=Exists(EnforcementCase.objects.filter(origin=OuterRef("pk"))))
        .values_list("pk", "closing_mode", "closed_on", "resumed")
    )
    return {pk: ClosedCase(mode, closed_on, resumed) for pk, mode, closed_on, resumed in rows}


def open_suspensions(ids: Iterable[int], grounds: Iterable[str]) -> dict[int, tuple[str, date]]:
    """Cases among `ids` suspended now (no resumption yet) on one of `grounds`: case id -> (ground, start)."""
    rows = (
        Suspension.objects.filter(case_id__in=list(ids), end__isnull=True, ground__in=list(grounds))
        .order_by("case_id", "start")
        .values_list("case_id", "ground", "start")
    )
    return {case_id: (ground, start) for case_id, ground, start in rows}


def node_type_by_code(code: str) -> NodeType | None:
    """An active node type by its code (e.g. verify_lead), for the domains that add on-demand nodes."""
    return NodeType.objects.filter(code=code, active=True).first()
