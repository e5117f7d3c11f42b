"""Privacy-mode screening (隐私模式): the partner's keyed-hash table, built ahead of time and kept current.

In privacy mode a partner sends HMAC-SHA256(shared key, ID number) and never receives an ID in clear,
so the platform needs, per partner, the keyed hash of every restricted subject (≈ 10 M HMACs at
national scale). That table is built in a Huey task when privacy mode is switched on or the key
rotates, and follows the register's change log incrementally afterwards; a screening call never builds
it (it answers 503 "准备中" instead). Rows are `KeyedHash` (8-byte prefix → subject); the state is one
`PrivacyTable` row per partner.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max

from zhixing.core import audit
from zhixing.core.errors import ServiceError

from ..models import ChangeEvent, KeyedHash, Partner, PrivacyTable, RestrictedSubject
from ..screening import digest64, hash_prefix, keyed_hash

CHUNK = 5_000  # rows per bulk insert / per IN (...) query (well under SQLite's variable limit)
# Changes not yet merged into the table are looked at per request (one HMAC each); past this backlog
# the call waits for the background sync instead.
MAX_OVERLAY = 20_000


class Preparing(ServiceError):
    """The partner's keyed-hash table is being (re)built or far behind: try again shortly (HTTP 503)."""

    status = 503

    def __init__(self) -> None:
        super().__init__(
            "隐私模式比对表正在准备中（首次使用或密钥轮换后需预先计算），请稍后重试",
            field=None,
            code="preparing",
        )


def key_digest(hmac_key: str) -> str:
    return hashlib.sha256(hmac_key.encode()).hexdigest()


def enable_privacy_mode(actor: Any, partner: Partner) -> PrivacyTable:
    """Switch privacy mode on for `partner`: from now on it may use only the privacy endpoints (hashes
    in, hashes out; its clear endpoints answer 403), and its keyed-hash table is prepared.

    Idempotent: a partner already in privacy mode with a table for the current key is unchanged.
    """
    with transaction.atomic():
        if not partner.privacy_mode:
            partner.privacy_mode = True
            partner.save(update_fields=["privacy_mode"])
            audit.record(
                actor,
                "screening.privacy_only",
                object_type="Partner",
                object_id=partner.pk,
                after={"partner": partner.name, "privacy_mode": True},
            )
        return prepare_privacy_table(actor, partner)


def prepare_privacy_table(actor: Any, partner: Partner) -> PrivacyTable:
    """An empty keyed-hash table marked 'building' for `partner` (privacy mode itself is not switched on:
    any partner may use the privacy endpoints; see `enable_privacy_mode`).

    The periodic task (every minute) queues the build of every 'building' table.
    Idempotent: a table that exists for the current key is returned unchanged.
    """
    with transaction.atomic():
        table, created = PrivacyTable.objects.select_for_update().get_or_create(
            partner=partner, defaults={"key_digest": key_digest(partner.hmac_key)}
        )
        if not created and table.key_digest == key_digest(partner.hmac_key):
            return table
        if not created:  # the key changed outside rotate_privacy_key: rebuild
            table.key_digest, table.status, table.cursor, table.rows = (
                key_digest(partner.hmac_key),
                PrivacyTable.Status.BUILDING,
                0,
                0,
            )
            table.save()
        audit.record(
            actor,
            "screening.privacy_enable",
            object_type="Partner",
            object_id=partner.pk,
            after={"partner": partner.name, "status": table.status},
        )
    return table


def rotate_privacy_key(actor: Any, partner: Partner) -> str:
    """Give the partner a new shared key (returned once, to hand over) and mark the table for rebuild.

    The old key stops matching at once: until the new table is ready, privacy-mode calls answer 503.
    """
    with transaction.atomic():
        partner.hmac_key = secrets.token_hex(32)
        partner.save(update_fields=["hmac_key"])
        PrivacyTable.objects.update_or_create(
            partner=partner,
            defaults={
                "key_digest": key_digest(partner.hmac_key),
                "status": PrivacyTable.Status.BUILDING,
                "cursor": 0,
                "rows": 0,
            },
        )
        audit.record(
            actor,
            "screening.privacy_rotate",
            object_type="Partner",
            object_id=partner.pk,
            after={"partner": partner.name, "status": PrivacyTable.Status.BUILDING},
        )
    return partner.hmac_key


def _last_event() -> int:
    return int(ChangeEvent.objects.aggregate(m=Max("id"))["m"] or 0)


def _pending(cursor: int, last: int) -> dict[str, int]:
    """Subjects changed in (cursor, last] → their latest mask (later events win)."""
    return dict(
        ChangeEvent.objects.filter(id__gt=cursor, id__lte=last)
        .order_by("id")
        .values_list("subject_key", "new_mask")
    )


def _write_subjects(partner: Partner, raw: bytes, latest: dict[str, int]) -> int:
    """Make the table agree with `latest` for those subjects (delete, then insert if restricted).

    Delete-then-insert is idempotent, so a sync that races another one, or overlaps the build's
    snapshot, leaves exactly one row per restricted subject. Returns the change in row count.
    """
    delta = 0
    items = list(latest.items())
    for i in range(0, len(items), CHUNK):
        part = [(k, m, digest64(raw, k)) for k, m in items[i : i + CHUNK]]
        # Filter on the digests too, so the (partner, digest) index finds the rows.
        deleted, _ = KeyedHash.objects.filter(
            partner=partner, digest__in=[d for _, _, d in part], subject_key__in=[k for k, _, _ in part]
        ).delete()
        rows = [KeyedHash(partner=partner, digest=d, subject_key=k) for k, m, d in part if m]
        KeyedHash.objects.bulk_create(rows, batch_size=CHUNK)
        delta += len(rows) - deleted
    return delta


def build_privacy_table(
    partner_id: int, progress: Callable[[int], None] | None = None
) -> PrivacyTable | None:
    """(Re)build a partner's keyed-hash table from the register; mark it ready. The Huey task's body.

    Chunked, outside one long transaction (SQLite would block every writer for minutes at national
    scale): the table stays 'building' until the last step, which merges the changes made meanwhile
    and flips it to 'ready' with its audit record. A key rotated during the build wins: this build
    gives up and the rotation's own job rebuilds. Returns None when there is nothing to build (no
    privacy mode, revoked, or the table is not 'building').
    """
    partner = Partner.objects.filter(pk=partner_id, revoked_at__isnull=True).first()
    table = PrivacyTable.objects.filter(partner_id=partner_id).first()
    if partner is None or table is None or table.status != PrivacyTable.Status.BUILDING:
        return None  # nothing to build (a duplicate job after the table became ready)
    digest = key_digest(partner.hmac_key)
    raw = partner.hmac_key.encode()
    start = _last_event()
    KeyedHash.objects.filter(partner=partner).delete()
    count = 0
    batch: list[KeyedHash] = []
    subjects: Iterable[str] = (
        RestrictedSubject.objects.filter(mask__gt=0)
        .values_list("subject_key", flat=True)
        .iterator(chunk_size=CHUNK)
    )
    for key in subjects:
        batch.append(KeyedHash(partner=partner, digest=digest64(raw, key), subject_key=key))
        if len(batch) >= CHUNK:
            KeyedHash.objects.bulk_create(batch)
            count += len(batch)
            batch = []
            if progress:
                progress(count)
    KeyedHash.objects.bulk_create(batch)
    count += len(batch)
    with transaction.atomic():
        table = PrivacyTable.objects.select_for_update().get(pk=table.pk)
        if table.key_digest != digest:
            return None  # rotated meanwhile
        last = _last_event()
        count += _write_subjects(partner, raw, _pending(start, last))
        table.status, table.cursor, table.rows = PrivacyTable.Status.READY, last, count
        table.save()
        audit.record(
            None,
            "screening.privacy_ready",
            object_type="Partner",
            object_id=partner.pk,
            after={"partner": partner.name, "rows": count, "cursor": last},
        )
    return table


def tables_to_build() -> list[int]:
    """Partners whose table is 'building' (switched on, rotated, or a build that died half-way)."""
    building = PrivacyTable.objects.filter(status=PrivacyTable.Status.BUILDING)
    return list(building.filter(partner__revoked_at__isnull=True).values_list("partner_id", flat=True))


def sync_privacy_tables() -> int:
    """Merge the register's new changes into every ready table (the periodic task); returns tables synced."""
    last = _last_event()
    synced = 0
    for table_id in PrivacyTable.objects.filter(
        status=PrivacyTable.Status.READY, cursor__lt=last
    ).values_list("pk", flat=True):
        with transaction.atomic():
            table = (
                PrivacyTable.objects.select_for_update(of=("self",))
                .select_related("partner")
                .get(pk=table_id)
            )
            if table.status != PrivacyTable.Status.READY or table.cursor >= last:
                continue
            raw = table.partner.hmac_key.encode()
            table.rows += _write_subjects(table.partner, raw, _pending(table.cursor, last))
            table.cursor = last
            table.save(update_fields=["rows", "cursor", "updated_at"])
            synced += 1
    return synced


def resolve_hashes(partner: Partner, hashes: list[str]) -> dict[str, str]:
    """Keyed hash → subject for the asked hashes that name a restricted subject; read-only.

    Answers from the partner's ready table plus the few changes not merged yet (one HMAC per pending
    subject). Raises `Preparing` (503) while the table is being built or far behind the log, and
    starts the table of a partner that never used it (without restricting it to privacy mode). Never
    returns a subject the partner did not ask about: every candidate is confirmed against the full
    32-byte hash.
    """
    table = PrivacyTable.objects.filter(partner=partner).first()
    if table is None or table.key_digest != key_digest(partner.hmac_key):
        prepare_privacy_table(None, partner)
        raise Preparing()
    if table.status != PrivacyTable.Status.READY:
        raise Preparing()
    wanted = set(hashes)
    prefixes = sorted({hash_prefix(h) for h in wanted})
    candidates: set[str] = set()
    for i in range(0, len(prefixes), CHUNK):
        candidates.update(
            KeyedHash.objects.filter(partner=partner, digest__in=prefixes[i : i + CHUNK]).values_list(
                "subject_key", flat=True
            )
        )
    last = _last_event()
    if last > table.cursor:
        if last - table.cursor > MAX_OVERLAY:
            raise Preparing()
        candidates.update(k for k, m in _pending(table.cursor, last).items() if m)
    found = {}
    for subject in candidates:
        h = keyed_hash(partner.hmac_key, subject)
        if h in wanted:
            found[h] = subject
    return found
