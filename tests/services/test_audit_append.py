"""`audit.append_many` and `record_many` (rows built as tuples with precomputed field preparation) store
exactly what the ORM stores for the same records, on the same chain, and the chain verifies."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction

from zhixing.core import audit
from zhixing.core.audit import verify_chain
from zhixing.core.models import AuditRecord

pytestmark = pytest.mark.django_db

ITEMS = [
    {"action": "screening.check", "object_type": "Partner", "object_id": 7, "after": {"asked": 1, "hits": 0}},
    {
        "action": "screening.batch",
        "object_type": "Partner",
        "object_id": "8",
        "case_id": 42,
        # Not plain JSON: a date, a Decimal, a tuple, an int key and a float take jsonable's round trip.
        "before": {"on": date(2026, 1, 2), "amount": Decimal("1.50"), "ids": ("a", "b"), 3: 0.5},
        "after": {"partner": "铁路", "shared_secret": "s3cret", "nested": [{"hmac_key": "k", "x": None}]},
    },
    {"action": "screening.check", "object_type": "Partner", "before": None, "after": [1, "二", True]},
]


def raw_rows(ids: list[int]) -> list[tuple]:
    """The stored columns (no id, no hashes: they bind the chain position) as the database holds them."""
    cols = (
        "at, actor_id, actor_name, court_code, action, object_type, object_id, case_id, before, after, chain"
    )
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT {cols} FROM core_auditrecord WHERE id IN ({', '.join(['%s'] * len(ids))}) ORDER BY id",
            ids,
        )
        return cur.fetchall()


def orm_rows(actor, items, chain: str) -> list[AuditRecord]:
    """The records as the ORM saves them (model instances, `get_db_prep_save` per field)."""
    user, name, court = audit._actor_fields(actor)
    recs = [
        AuditRecord(
            at=AuditRecord.objects.latest("id").at,
            actor=user,
            actor_name=name,
            court_code=court,
            action=i["action"],
            object_type=i["object_type"],
            object_id=str(i.get("object_id", "")),
            case_id=i.get("case_id"),
            before=audit.redact(audit.jsonable(i.get("before"))),
            after=audit.redact(audit.jsonable(i.get("after"))),
            chain=chain,
            prev_hash="x",
            hash=f"orm-{n}-{chain}",
        )
        for n, i in enumerate(items)
    ]
    AuditRecord.objects.bulk_create(recs)
    return list(AuditRecord.objects.filter(hash__startswith="orm-").order_by("id"))


@pytest.mark.parametrize("actor_key", [None, "clerk"])
def test_append_many_stores_what_the_orm_stores(people, actor_key):
    actor = people[actor_key] if actor_key else None
    with transaction.atomic():
        assert audit.append_many(actor, ITEMS, court="粤0106") == 3
    fast = list(AuditRecord.objects.order_by("-id")[:3])[::-1]
    assert [r.action for r in fast] == [i["action"] for i in ITEMS]
    assert fast[1].before == {"on": "2026-01-02", "amount": "1.50", "ids": ["a", "b"], "3": 0.5}
    assert fast[1].after == {
        "partner": "铁路",
        "shared_secret": audit.SECRET_MARK,
        "nested": [{"hmac_key": audit.SECRET_MARK, "x": None}],
    }
    assert fast[2].before is None and fast[2].after == [1, "二", True]
    with connection.cursor() as cur:  # None is SQL NULL, as JSONField stores it
        cur.execute("SELECT before IS NULL FROM core_auditrecord WHERE id = %s", [fast[2].pk])
        assert cur.fetchone()[0] in (1, True)
    slow = orm_rows(actor, ITEMS, "粤0106")
    assert raw_rows([r.pk for r in fast]) == raw_rows([r.pk for r in slow])


def test_chain_links_and_verifies(people):
    with transaction.atomic():
        audit.append_many(None, ITEMS)
        kept = audit.record_many(people["clerk"], ITEMS, court="粤0106")
        audit.append_many(people["clerk"], ITEMS[:1], court="粤0106")
    assert [r.pk for r in kept] == list(
        AuditRecord.objects.filter(chain="粤0106").order_by("id").values_list("id", flat=True)[:3]
    )
    assert kept[0].actor == people["clerk"] and not kept[0]._state.adding
    for rec in AuditRecord.objects.filter(chain__in=["", "粤0106"]):
        assert audit._digest(rec) == rec.hash
    links = list(AuditRecord.objects.filter(chain="粤0106").order_by("id").values_list("prev_hash", "hash"))
    assert all(links[n][0] == links[n - 1][1] for n in range(1, len(links)))
    assert verify_chain().ok


def test_digest_matches_the_canonical_json_definition(people):
    import hashlib
    import json
    from datetime import UTC

    with transaction.atomic():
        audit.append_many(people["clerk"], ITEMS, court="粤0106")
    for rec in AuditRecord.objects.filter(chain="粤0106"):
        payload = {
            "at": rec.at.astimezone(UTC).isoformat(),
            "actor": rec.actor_id,
            "actor_name": rec.actor_name,
            "court": rec.court_code,
            "action": rec.action,
            "object_type": rec.object_type,
            "object_id": rec.object_id,
            "case_id": rec.case_id,
            "before": rec.before,
            "after": rec.after,
            "prev": rec.prev_hash,
            "chain": rec.chain,
        }
        canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        assert hashlib.sha256(canonical.encode()).hexdigest() == rec.hash
