"""The screening register: per-subject restriction masks over all cases, and its change log.

A subject (ID number or credit code) stays restricted while any listing or restriction of any case
is active and in force; its mask is recomputed from those rows after every change, so removing one
case's listing never frees a person another case still restricts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import ServiceError

from ..models import ChangeEvent, Listing, PrivateConsumption, RestrictedSubject, Restriction
from ..rules import CODE_BITS, INVALID_REASONS, items_mask, mask_of, subject_invalid


def exemptions(restriction_ids: list[int], today: date) -> dict[int, int]:
    """Screening bits each restriction's granted private/necessary consumption frees today.

    # rule: R-3.4.2
    限制消费规定 Arts 3(2), 8: an approved application lets the person consume (e.g. a medical flight)
    during the approved window; partners then answer "free" for those codes of that restriction only.
    """
    out: dict[int, int] = {}
    for rid, codes in PrivateConsumption.objects.filter(
        restriction_id__in=restriction_ids, granted=True, valid_from__lte=today, valid_until__gte=today
    ).values_list("restriction_id", "codes"):
        out[rid] = out.get(rid, 0) | mask_of([c for c in codes or [] if c in CODE_BITS])
    return out


def subject_mask(subject_key: str, today: date) -> tuple[int, date | None]:
    """OR of every active, published listing and in-force restriction of the subject; earliest start."""
    mask = 0
    starts: list[date] = []
    listings = Listing.objects.filter(
        subject_key=subject_key, status=Listing.Status.ACTIVE, publish_on__lte=today
    )
    first = listings.aggregate(m=Min("publish_on"))["m"]
    if first is not None:
        mask |= CODE_BITS["blacklist"]
        starts.append(first)
    rows = list(
        Restriction.objects.filter(
            subject_key=subject_key,
            status=Restriction.Status.ACTIVE,
            effective_on__lte=today,
            awaiting_service=False,
        ).values_list("pk", "kind", "items", "effective_on")
    )
    freed = exemptions([r[0] for r in rows if r[1] == Restriction.Kind.CONSUMPTION], today)
    for pk, kind, items, eff in rows:
        if kind == Restriction.Kind.EXIT:
            mask |= CODE_BITS["exit"]
        else:
            mask |= items_mask(items) & ~freed.get(pk, 0)
        starts.append(eff)
    return mask, (min(starts) if starts else None)


def refresh_subject(subject_key: str, today: date | None = None) -> int:
    """Recompute the subject's mask and append a change event. Caller holds the transaction.

    Callers call it after a change to the subject's measures; the event tells every worker's screening
    index and detail cache (credit/gateway/) to read the subject again.

    The register row is locked *before* the mask is computed, so concurrent changes to the same person
    from different cases serialise on it and the last one sees every committed row (READ COMMITTED).
    """
    if not subject_key:
        return 0  # a bound person whose ID number is not recorded yet cannot be screened
    today = today or timezone.localdate()
    row, _ = RestrictedSubject.objects.get_or_create(subject_key=subject_key)
    row = RestrictedSubject.objects.select_for_update().get(pk=row.pk)
    mask, since = subject_mask(subject_key, today)
    old = row.mask
    if old != mask or row.since != since:
        row.mask, row.since = mask, since
        row.save(update_fields=["mask", "since"])
    # Also when the mask stays: a measure of the subject changed (another case restricts or releases it,
    # a listing was corrected), so the screening gateway's cached court and case details of this subject
    # are stale. The index applies the same mask; partners' feeds skip it (nothing visible changed).
    ChangeEvent.objects.create(subject_key=subject_key, old_mask=old, new_mask=mask, at=timezone.now())
    return mask


def load_register(
    actor: Any,
    keys: Iterable[str],
    *,
    mask: int,
    since: date,
    chunk: int = 50_000,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Put many subjects on the screening register at once: (added, already there).

    For load tests and the screening benchmark (`manage.py credit_load_register`, refused in
    production): each valid resident ID or credit code not yet on the register gets its register row
    with `mask` and `since`, and its change event (so every worker's index, detail cache and the
    partners' change feeds follow, as after a listing). Every item is checked as it is read: one with a
    wrong check character is refused (ServiceError naming its row and the number) before its chunk is
    written; the chunks before it stay. Written in chunks of `chunk` subjects, each in one transaction
    with one audit record ``credit.register_load`` (how many, which mask); `progress(added, present)`
    after each. On PostgreSQL a chunk is one COPY into a temporary table and one statement that inserts
    the new rows and their change events (`_insert_copied`; 246 s per million through `executemany`
    before); elsewhere multi-row INSERTs. These subjects have no listing or restriction behind them: a
    partner's hit on one names no court or case.
    """
    added = present = 0
    batch: list[str] = []

    def flush() -> None:
        nonlocal added, present
        if not batch:
            return
        keys = list(dict.fromkeys(batch))
        ops = connection.ops
        at, day = ops.adapt_datetimefield_value(timezone.now()), ops.adapt_datefield_value(since)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                fresh = _insert_copied(keys, mask, day, at)
            else:
                fresh = _insert_rows(keys, mask, day, at)
            audit.record(
                actor,
                "credit.register_load",
                object_type="RestrictedSubject",
                after={"added": fresh, "present": len(keys) - fresh, "mask": mask, "since": since},
            )
        added += fresh
        present += len(batch) - fresh
        batch.clear()
        if progress is not None:
            progress(added, present)

    for row, key in enumerate(keys, start=1):
        reason = subject_invalid(key)
        if reason:
            raise ServiceError(
                f"第{row}行身份号码无效（{INVALID_REASONS[reason]}）：{key}", field="keys", code=reason
            )
        batch.append(key)
        if len(batch) >= chunk:
            flush()
    flush()
    return added, present


def _insert_rows(keys: list[str], mask: int, day: Any, at: Any) -> int:
    """The keys not yet on the register, with their change events, by multi-row INSERTs; how many."""
    there: set[str] = set()
    for k in range(0, len(keys), 20_000):  # within every backend's limit of bound parameters
        rows = RestrictedSubject.objects.filter(subject_key__in=keys[k : k + 20_000])
        there.update(rows.values_list("subject_key", flat=True))
    fresh = [k for k in keys if k not in there]
    # Plain multi-row INSERTs: the ORM's per-object work is most of bulk_create's cost here.
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {RestrictedSubject._meta.db_table} (subject_key, mask, since) "  # noqa: S608
            "VALUES (%s, %s, %s)",
            [(k, mask, day) for k in fresh],
        )
        cursor.executemany(
            f"INSERT INTO {ChangeEvent._meta.db_table} (subject_key, old_mask, new_mask, at) "  # noqa: S608
            "VALUES (%s, 0, %s, %s)",
            [(k, mask, at) for k in fresh],
        )
    return len(fresh)


def _insert_copied(keys: list[str], mask: int, day: Any, at: Any) -> int:
    """PostgreSQL, in the caller's transaction: the keys COPYed into a temporary table (dropped at
    commit), then ONE statement inserts those not yet on the register (ON CONFLICT DO NOTHING: also
    against a concurrent writer) and, from what it inserted, their change events, in the keys' order;
    how many were new."""
    qn = connection.ops.quote_name
    subjects, events = qn(RestrictedSubject._meta.db_table), qn(ChangeEvent._meta.db_table)
    with connection.cursor() as cursor:
        # Dropped first: inside a caller's transaction the previous chunk's table is still there.
        cursor.execute("DROP TABLE IF EXISTS zx_register_load")
        cursor.execute(
            "CREATE TEMP TABLE zx_register_load (n integer, subject_key varchar(18)) ON COMMIT DROP"
        )
        with cursor.cursor.copy("COPY zx_register_load (n, subject_key) FROM STDIN") as copy:
            for n, key in enumerate(keys):
                copy.write_row((n, key))
        cursor.execute(
            f"WITH added AS (INSERT INTO {subjects} (subject_key, mask, since) "  # noqa: S608
            "SELECT subject_key, %s, %s FROM zx_register_load ORDER BY n "
            "ON CONFLICT (subject_key) DO NOTHING RETURNING subject_key) "
            f"INSERT INTO {events} (subject_key, old_mask, new_mask, at) "
            "SELECT subject_key, 0, %s, %s FROM added",
            [mask, day, mask, at],
        )
        return int(cursor.rowcount)
