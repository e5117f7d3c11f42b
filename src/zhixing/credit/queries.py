"""Reads of the credit domain: the case's credit page, supervision, statistics, public search, screening."""

from __future__ import annotations

import dataclasses
import re
import threading
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhixing.cases.models import EnforcementCase, Party
from zhixing.courts.queries import court_scope_q

from . import rules
from .models import (
    ChangeEvent,
    Correction,
    Interception,
    Listing,
    ListingApplication,
    PrivateConsumption,
    RestrictedSubject,
    Restriction,
)
from .names import is_latin, simplified
from .screening import ScreeningIndex, feed_deltas

PUBLIC_LIMIT = 20
MIN_NAME_CHARS = 2
_ID = re.compile(r"^(\d{17}[\dX]|[0-9A-HJ-NPQRTUWXY]{18})$")
_WILDCARDS = set("%*?_")


# -- the case's credit page ------------------------------------------------------------------------------
@dataclass
class DebtorCredit:
    party: Party
    listing: Listing | None
    restrictions: list[Restriction]
    history: list[Listing]
    notices: list[Any] = dataclasses.field(default_factory=list)  # its exposure notices (the view fills)


def case_credit(case: EnforcementCase) -> dict[str, Any]:
    debtors = list(case.parties.filter(role=Party.Role.DEBTOR).order_by("id"))
    listings = list(
        Listing.objects.filter(case=case)
        .select_related("carried_from")
        .order_by("-decided_on", "-pk")
        .prefetch_related("corrections")
    )
    restrictions = list(
        Restriction.objects.filter(case=case)
        .select_related("carried_from")
        .prefetch_related("private_applications", "border_notices__partner")
        .order_by("-ordered_on", "pk")
    )
    today = timezone.localdate()
    for r in restrictions:
        r.exit_badge, r.exit_text = exit_stage(r, today)  # type: ignore[attr-defined]
    rows = []
    for p in debtors:
        mine = [x for x in listings if x.party_id == p.pk]
        active = next((x for x in mine if x.status == Listing.Status.ACTIVE), None)
        rows.append(DebtorCredit(p, active, [r for r in restrictions if r.party_id == p.pk], mine))
    counts = Interception.objects.filter(case=case).values("code").annotate(n=Count("id")).order_by("code")
    return {
        "debtors": rows,
        "applications": list(ListingApplication.objects.filter(case=case).order_by("-received_on")),
        "interceptions": [(rules.CODE_LABELS[c["code"]], c["n"]) for c in counts],
        "leads": list(Interception.objects.filter(case=case).select_related("partner").order_by("-at")[:20]),
        "carried_to": carried_to(case),
    }


def carried_to(case: EnforcementCase) -> list[EnforcementCase]:
    """The 执恢 cases that carried this case's listings or restrictions (`services.carry_over`)."""
    ids = set(Listing.objects.filter(carried_from=case).values_list("case_id", flat=True))
    ids |= set(Restriction.objects.filter(carried_from=case).values_list("case_id", flat=True))
    return list(EnforcementCase.objects.filter(pk__in=ids).order_by("id"))


# -- supervision and statistics ----------------------------------------------------------------------
def supervision_rows(user: Any, today: date | None = None) -> dict[str, list[Any]]:
    today = today or timezone.localdate()
    scope = court_scope_q(user)
    due = (
        Listing.objects.filter(scope, status=Listing.Status.ACTIVE, removal_due__isnull=False)
        .select_related("case", "court")
        .order_by("removal_due")[:200]
    )
    apps = (
        ListingApplication.objects.filter(status=ListingApplication.Status.PENDING)
        .filter(court_scope_q(user, "case__court"))
        .select_related("case")
        .order_by("decision_due")[:200]
    )
    corrections = (
        Correction.objects.filter(
            status__in=[Correction.Status.PENDING, Correction.Status.UPHELD, Correction.Status.RECONSIDERING]
        )
        .filter(court_scope_q(user, "listing__court"))
        .select_related("listing__case")
        .order_by("review_due")[:200]
    )
    # Exit restrictions whose 复议 is pending before the higher court (15 days, 执行异议复议规定 Art 9).
    reviews = (
        Restriction.objects.filter(
            scope, kind=Restriction.Kind.EXIT, reconsideration_filed_on__isnull=False, review_result=""
        )
        .select_related("case", "court")
        .order_by("review_due")[:200]
    )
    return {
        "removals": [(x, x.removal_due is not None and x.removal_due < today) for x in due],
        "applications": [(a, a.decision_due < today) for a in apps],
        "corrections": [
            (c, rules.correction_overdue(c.status, c.review_due, c.fix_due, c.higher_review_due, today))
            for c in corrections
        ],
        "exit_reviews": [(r, r.review_due is not None and r.review_due < today) for r in reviews],
    }


def exit_stage(r: Restriction, today: date) -> tuple[str, str]:
    """Where an exit restriction's 复议 stands, as (badge colour, text) for the case page."""
    if r.kind != Restriction.Kind.EXIT:
        return "", ""
    if r.review_result:
        return "", f"复议结果：{r.get_review_result_display()}（{r.reviewed_on:%Y-%m-%d}）"
    if r.review_due is not None:
        if r.review_due < today:
            return "red", f"复议已超期未审结（应于{r.review_due:%Y-%m-%d}前审结）"
        return "yellow", f"复议审查中，应于{r.review_due:%Y-%m-%d}前审结"
    if r.reconsideration_due is None:
        return "yellow", "决定书未登记送达，复议期限未起算"
    if r.reconsideration_due >= today:
        return "yellow", f"复议期内，截止{r.reconsideration_due:%Y-%m-%d}"
    return "", f"复议期限已于{r.reconsideration_due:%Y-%m-%d}届满，未申请复议"


def statistics(user: Any) -> dict[str, Any]:
    scope = court_scope_q(user)
    listed = Listing.objects.filter(scope)
    # Debtors who paid after being listed: read from the case's dated payments (issue 14 item 9).
    from .queries_repair import paid_after_listing

    paid = paid_after_listing(user)
    by_partner = (
        Interception.objects.filter(court_scope_q(user, "case__court"))
        .values("partner__kind")
        .annotate(n=Count("id"))
        .order_by("partner__kind")
    )
    return {
        "listed": listed.count(),
        "active": listed.filter(status=Listing.Status.ACTIVE).count(),
        "removed": listed.exclude(status=Listing.Status.ACTIVE).count(),
        "restrictions": Restriction.objects.filter(scope, status=Restriction.Status.ACTIVE).count(),
        **paid,
        "interceptions": [
            (dict(_partner_kinds()).get(r["partner__kind"], r["partner__kind"]), r["n"]) for r in by_partner
        ],
    }


def _partner_kinds() -> list[tuple[str, str]]:
    from .models import Partner

    return list(Partner.Kind.choices)


# -- public search ----------------------------------------------------------------------
class QueryTooBroad(ValueError):
    """The public query is empty, too short, has wildcards, or asks by ID number without the name."""

    def __init__(self, message: str, field: str = "q") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class PublicQuery:
    """A validated public query: a name key, and the ID number / credit code when one was given."""

    name: str  # simplified name, or toneless pinyin when `pinyin`
    pinyin: bool
    number: str = ""


def published() -> QuerySet[Listing]:
    return Listing.objects.filter(status=Listing.Status.ACTIVE, publish_on__lte=timezone.localdate())


MAX_QUERY_CHARS = 128  # a party's name is at most 128 characters


def parse_public_query(q: str, number: str = "") -> PublicQuery:
    """Validate a public query without touching the database (so a refusal says nothing about the list).

    Follows 中国执行信息公开网: a name alone (simplified or traditional; toneless full pinyin, exact,
    ≥ 4 letters; two characters match exactly, three or more also by prefix), or the name together with
    the full ID number / credit code — an ID number alone is refused (field ``q``), and with an ID
    number the name must be the full name in characters (field ``q``).
    """
    text = "".join(unicodedata.normalize("NFKC", q or "").split()).upper()
    raw_number = "".join(unicodedata.normalize("NFKC", number or "").split()).upper()
    for value, field in ((text, "q"), (raw_number, "id")):
        if any(c in _WILDCARDS for c in value):
            raise QueryTooBroad("查询条件不能包含通配符", field)
        if len(value) > MAX_QUERY_CHARS:  # no name or code is longer; a huge LIKE prefix overflows SQLite
            raise QueryTooBroad(f"查询内容过长：最多{MAX_QUERY_CHARS}个字", field)
    if _ID.match(text):
        raise QueryTooBroad("按身份证号/统一社会信用代码查询须同时填写被执行人姓名/名称全称", "q")
    if not text:
        if raw_number:
            raise QueryTooBroad("按身份证号/统一社会信用代码查询须同时填写被执行人姓名/名称全称", "q")
        raise QueryTooBroad("请输入被执行人姓名/名称")
    if raw_number:
        if not _ID.match(raw_number):
            raise QueryTooBroad("证件号码应为18位公民身份号码或统一社会信用代码", "id")
        if is_latin(text):
            raise QueryTooBroad("按证件号码查询时请填写被执行人姓名/名称全称（汉字）", "q")
        return PublicQuery(simplified(q), False, raw_number)
    if len(text) < MIN_NAME_CHARS:
        raise QueryTooBroad(f"姓名/名称至少输入{MIN_NAME_CHARS}个字")
    if is_latin(text):
        if len(text) < 4:
            raise QueryTooBroad("拼音查询至少输入4个字母")
        return PublicQuery(text.lower(), True)
    return PublicQuery(simplified(q), False)


def public_search(query: PublicQuery) -> list[Listing]:
    """The published listings a query finds; with an ID number only that person's, under that exact name."""
    qs = published().select_related("court", "case")
    if query.number:
        qs = qs.filter(subject_key=query.number, name_key=query.name)
    elif query.pinyin:
        qs = qs.filter(name_pinyin=query.name)
    elif len(query.name) >= 3:
        # Two-character names match exactly; longer ones (unit names) also by prefix.
        qs = qs.filter(Q(name_key=query.name) | Q(name_key__startswith=query.name))
    else:
        qs = qs.filter(name_key=query.name)
    return list(qs.order_by("-decided_on", "-pk")[:PUBLIC_LIMIT])


def exposure_board(limit: int = 50) -> list[Listing]:
    return list(
        published()
        .filter(exposed_on__isnull=False)
        .select_related("court", "case")
        .order_by("-exposed_on", "-pk")[:limit]
    )


# -- screening ----------------------------------------------------------------------
_INDEX = ScreeningIndex()
_INDEX_LOCK = threading.Lock()


def reset_index() -> None:
    """Forget the in-memory index (tests; after a restore)."""
    global _INDEX
    with _INDEX_LOCK:
        _INDEX = ScreeningIndex()


def current_index() -> ScreeningIndex:
    """The process's screening index, brought up to date with the change log (one cheap query)."""
    global _INDEX
    with connection.cursor() as cursor:  # plain SQL: the ORM's aggregate compiles for ~0.1 ms per call
        cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(ChangeEvent._meta.db_table)}")  # noqa: S608
        last = int(cursor.fetchone()[0] or 0)
    idx = _INDEX
    if last == idx.cursor:
        return idx
    with _INDEX_LOCK:
        idx = _INDEX
        if last < idx.cursor or idx.cursor == 0:
            fresh = ScreeningIndex()
            fresh.load(
                RestrictedSubject.objects.filter(mask__gt=0)
                .values_list("subject_key", "mask")
                .iterator(chunk_size=10000)
            )
            fresh.cursor = last
            _INDEX = fresh
            return fresh
        for key, mask in (
            ChangeEvent.objects.filter(id__gt=idx.cursor, id__lte=last)
            .order_by("id")
            .values_list("subject_key", "new_mask")
        ):
            idx.set(key, mask)
        idx.cursor = last
        return idx


def changed_subjects(after: int, upto: int, limit: int) -> set[str] | None:
    """The subjects of the change events after `after` up to `upto` (the screening gateway's detail
    cache forgets them), or None when there are more than `limit` events (forget everything)."""
    if upto - after > limit:
        return None
    table = connection.ops.quote_name(ChangeEvent._meta.db_table)
    with connection.cursor() as cursor:  # plain SQL, as current_index
        cursor.execute(
            f"SELECT subject_key FROM {table} WHERE id > %s AND id <= %s",  # noqa: S608
            [after, upto],
        )
        return {row[0] for row in cursor.fetchall()}


_DETAIL_CHUNK = 5000  # subjects per query (every backend's limit of bound parameters is above it)


def _key_in(model: Any, keys: list[str]) -> tuple[str, list[str]]:
    """``<table>.subject_key IN (%s, …)`` for `extra(where=…)`: the same SQL as ``subject_key__in``
    without Django's per-value lookup preparation, which costs ~10 µs per key (0.2 s for a batch of
    10,000 hits)."""
    table = connection.ops.quote_name(model._meta.db_table)
    return f"{table}.subject_key IN ({', '.join(['%s'] * len(keys))})", keys


def subject_details(keys: list[str]) -> dict[str, list[dict[str, Any]]]:
    """For restricted subjects: which court and case restrict them, since when (for the refusal message).

    Each in-force measure is one row with its screening `mask` (the codes it sets, as in the register),
    so that a partner is shown only the measures of its business (`visibility.visible_measures`).
    """
    out: dict[str, list[dict[str, Any]]] = {}
    today = timezone.localdate()
    kinds = dict(Restriction.Kind.choices)
    exit_bit = rules.CODE_BITS["exit"]
    unique = list(dict.fromkeys(keys))
    chunks = [unique[i : i + _DETAIL_CHUNK] for i in range(0, len(unique), _DETAIL_CHUNK)]
    rows: list[tuple[Any, ...]] = []
    for chunk in chunks:
        where, params = _key_in(Restriction, chunk)
        rows.extend(
            Restriction.objects.filter(
                status=Restriction.Status.ACTIVE, effective_on__lte=today, awaiting_service=False
            )
            .extra(where=[where], params=params)  # noqa: S610 - placeholders only, values bound
            .values_list("subject_key", "court__name", "case__number", "effective_on", "kind", "items")
        )
    rows.sort(key=lambda r: r[3])
    for key, court, number, since, kind, items in rows:
        out.setdefault(key, []).append(
            {
                "court": court,
                "case_number": number,
                "since": since,
                "measure": kinds.get(kind, kind),
                "mask": exit_bit if kind == Restriction.Kind.EXIT else rules.items_mask(items),
            }
        )
    for chunk in chunks:
        where, params = _key_in(Listing, chunk)
        for key, court, number, since in (
            published()
            .extra(where=[where], params=params)  # noqa: S610 - placeholders only, values bound
            .values_list("subject_key", "court__name", "case__number", "publish_on")
        ):
            out.setdefault(key, []).append(
                {
                    "court": court,
                    "case_number": number,
                    "since": since,
                    "measure": "失信被执行人",
                    "mask": rules.CODE_BITS["blacklist"],
                }
            )
    return out


def change_feed(cursor: int, visible: int, limit: int = 1000) -> tuple[list[dict[str, Any]], int]:
    """Deltas after `cursor` visible to a partner: a subject 'added' or 'removed' for its business."""
    out: list[dict[str, Any]] = []
    last = cursor
    while len(out) < limit:
        rows = list(
            ChangeEvent.objects.filter(id__gt=last)
            .order_by("id")
            .values_list("id", "subject_key", "old_mask", "new_mask", "at")[: limit * 4]
        )
        if not rows:
            break
        deltas, consumed = feed_deltas(rows, visible, limit - len(out))
        out.extend(deltas)
        last = consumed if consumed is not None else last
    return out, last


# -- for ability-to-pay analysis (analytics) -------------------------------------------------------------
def consumption_restriction_periods(party: Party) -> list[tuple[date, date | None]]:
    """(start, end or None while in force) of every consumption restriction binding this debtor.

    Matches the restrictions of this party (as the debtor itself) and any restriction, in any case or
    court, whose subject is the party's ID number or credit code (限制消费规定 Art 1: the order binds
    the person, not one case). A restriction starts on `effective_on` (after any grace period) and
    ends on `lifted_on`; one still active has no end. Sorted by start; read-only.
    """
    keys = {k.strip().upper() for k in (party.id_number, party.credit_code) if k and k.strip()}
    match = Q(party=party, bound=Restriction.Bound.DEBTOR)
    if keys:
        match |= Q(subject_key__in=keys)
    rows = (
        Restriction.objects.filter(match, kind=Restriction.Kind.CONSUMPTION, awaiting_service=False)
        .order_by("effective_on", "pk")
        .values_list("effective_on", "status", "lifted_on")
    )
    return [
        (start, (lifted or start) if status == Restriction.Status.LIFTED else None)
        for start, status, lifted in rows
    ]


def consumption_permissions(party: Party) -> list[tuple[date, date, list[str], str]]:
    """(first day, last day, screening codes, purpose) of every granted private / necessary consumption
    window on a consumption restriction binding this debtor (the same restrictions as
    `consumption_restriction_periods`). 限制消费规定 Arts 3(2), 8: consumption the court approved for
    that window is no violation. Applications granted without codes or a window are not listed (the
    judge weighs them). Sorted by first day; read-only.

    # rule: R-3.4.2
    """
    keys = {k.strip().upper() for k in (party.id_number, party.credit_code) if k and k.strip()}
    match = Q(restriction__party=party, restriction__bound=Restriction.Bound.DEBTOR)
    if keys:
        match |= Q(restriction__subject_key__in=keys)
    rows = (
        PrivateConsumption.objects.filter(
            match,
            restriction__kind=Restriction.Kind.CONSUMPTION,
            granted=True,
            valid_from__isnull=False,
            valid_until__isnull=False,
        )
        .exclude(codes=[])
        .order_by("valid_from", "pk")
        .values_list("valid_from", "valid_until", "codes", "purpose")
    )
    return [
        (start, end, list(codes or []), purpose)
        for start, end, codes, purpose in rows
        if start is not None and end is not None
    ]


def case_restrictions(case_id: int, kind: str) -> list[Restriction]:
    """Active restrictions of one kind ("consumption" or "exit") in a case, every debtor and bound person."""
    return list(
        Restriction.objects.filter(case_id=case_id, kind=kind, status=Restriction.Status.ACTIVE).order_by(
            "id"
        )
    )


def case_listings(case_id: int) -> list[Listing]:
    """Active dishonest listings of a case."""
    return list(Listing.objects.filter(case_id=case_id, status=Listing.Status.ACTIVE).order_by("id"))


def cases_with_measures(case_ids: list[int]) -> set[int]:
    """Which of these cases hold an active restriction or listing (one query)."""
    restricted = Restriction.objects.filter(case_id__in=case_ids, status=Restriction.Status.ACTIVE)
    listed = Listing.objects.filter(case_id__in=case_ids, status=Listing.Status.ACTIVE)
    return set(restricted.values_list("case_id", flat=True).union(listed.values_list("case_id", flat=True)))
