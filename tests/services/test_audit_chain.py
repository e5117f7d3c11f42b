"""The audit chains (one per court) detect an edited, moved or deleted record; the command names the link."""

import hashlib
import json
import threading
import time
from datetime import UTC

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, connection, connections, transaction

from tests import factories
from zhixing.cases.models import EnforcementCase
from zhixing.core import audit
from zhixing.core.audit import verify_chain
from zhixing.core.audit_policy import ProtectedRowError
from zhixing.core.models import AuditChainHead, AuditRecord
from zhixing.courts.roles import Role

pytestmark = pytest.mark.django_db


def sql(statement: str, *params: object) -> None:
    """Tamper behind the application's back (the ORM refuses to delete audit rows), as a DBA could."""
    with connection.cursor() as cur:
        cur.execute(statement, list(params))


@pytest.fixture
def chain(people):
    for _ in range(3):
        factories.case(people["clerk"])
    return list(AuditRecord.objects.order_by("id"))


def test_intact_chain_verifies(chain, capsys):
    report = verify_chain()
    assert report.ok
    assert report.checked == len(chain)
    call_command("verify_audit")
    assert f"共{len(chain)}条" in capsys.readouterr().out


def test_edited_record_is_named(chain):
    victim = chain[-2]
    sql("UPDATE core_auditrecord SET action = %s WHERE id = %s", "case.delete", victim.pk)
    report = verify_chain()
    assert report.broken_at == victim.pk
    assert "篡改" in report.reason
    with pytest.raises(CommandError, match=f"#{victim.pk}"):
        call_command("verify_audit")


def test_edited_payload_is_detected(chain):
    victim = chain[3]
    AuditRecord.objects.filter(pk=victim.pk).update(after={"number": "forged"})
    assert verify_chain().broken_at == victim.pk


def test_deleted_record_is_named_by_its_successor(chain):
    victim, successor = chain[2], chain[3]
    sql("DELETE FROM core_auditrecord WHERE id = %s", victim.pk)
    report = verify_chain()
    assert report.broken_at == successor.pk
    assert "删除" in report.reason


def test_deleted_last_record_is_detected(chain):
    sql("DELETE FROM core_auditrecord WHERE id = %s", chain[-1].pk)
    report = verify_chain()
    assert report.broken_at == chain[-1].pk


def _append_before_heads_are_read(monkeypatch, people, *, then_delete: bool = False) -> list[int]:
    """Make a writer append a record after the pass over the records and before the heads are read
    (what the soak saw on the live cluster: a consumer's periodic task auditing during verify_audit)."""
    from zhixing.core import audit_verify

    real, added = audit_verify._heads, []

    def heads_after_an_append():
        if not added:
            with transaction.atomic():
                factories.case(people["clerk"])
            added.append(AuditRecord.objects.order_by("-pk")[0].pk)
            if then_delete:
                sql("DELETE FROM core_auditrecord WHERE id = %s", added[0])
        return real()

    monkeypatch.setattr(audit_verify, "_heads", heads_after_an_append)
    return added


def test_record_appended_while_verifying_is_not_a_deletion(chain, monkeypatch, people):
    added = _append_before_heads_are_read(monkeypatch, people)
    report = verify_chain()
    assert added and report.ok, report.reason
    assert report.checked == AuditRecord.objects.count() == len(chain) + 1  # the filing


def test_deleted_record_appended_while_verifying_is_still_detected(chain, monkeypatch, people):
    added = _append_before_heads_are_read(monkeypatch, people, then_delete=True)
    report = verify_chain()
    assert report.broken_at == added[0]
    assert "缺失" in report.reason


# --- per-court chains (ADR 0002) -------------------------------------------------------------------


@pytest.fixture
def two_courts(people, courts):
    """Cases filed alternately in 天河 (粤0106) and 越秀 (粤0104): two chains, interleaved by id."""
    yx_clerk = factories.staff(courts["yx"], Role.CLERK, username="yx_clerk")
    before = AuditRecord.objects.count()
    cases = []
    for _ in range(3):
        cases.append(factories.case(people["clerk"]))
        cases.append(factories.case(yx_clerk))
    return cases, list(AuditRecord.objects.order_by("id")[before:])


def test_records_chain_per_court_of_case_or_actor(two_courts):
    _cases, recs = two_courts
    assert {r.chain for r in recs} == {"粤0106", "粤0104"}
    # Each record sits in the chain of its case's court and links to the previous record of that chain.
    for rec in recs:
        if rec.case_id:
            assert rec.chain == EnforcementCase.objects.get(pk=rec.case_id).court.code
    for code in ("粤0106", "粤0104"):
        mine = [r for r in AuditRecord.objects.order_by("id") if r.chain == code]
        assert [r.prev_hash for r in mine[1:]] == [r.hash for r in mine[:-1]]
        head = AuditChainHead.objects.get(chain=code)
        assert (head.last_id, head.last_hash) == (mine[-1].pk, mine[-1].hash)


def test_two_interleaved_chains_verify(two_courts, capsys):
    _cases, recs = two_courts
    ids = [r.chain for r in recs]
    assert ids.index("粤0104") < len(ids) - 1 - ids[::-1].index("粤0106")  # really interleaved
    report = verify_chain()
    assert report.ok and report.checked == AuditRecord.objects.count()
    assert report.chains["粤0104"] == AuditRecord.objects.filter(chain="粤0104").count() > 0
    call_command("verify_audit")
    assert "粤0104：" in capsys.readouterr().out


def test_deleting_last_record_of_one_chain_is_detected(two_courts):
    _cases, recs = two_courts
    last_th = [r for r in recs if r.chain == "粤0106"][-1]
    assert recs[-1].chain == "粤0104"  # the other chain has later records
    sql("DELETE FROM core_auditrecord WHERE id = %s", last_th.pk)
    report = verify_chain()
    assert (report.broken_at, report.chain) == (last_th.pk, "粤0106")
    assert "粤0106" in report.reason and "删除" in report.reason


def test_deleting_middle_record_names_successor_in_same_chain(two_courts):
    _cases, recs = two_courts
    yx = [r for r in recs if r.chain == "粤0104"]
    sql("DELETE FROM core_auditrecord WHERE id = %s", yx[1].pk)
    report = verify_chain()
    assert (report.broken_at, report.chain) == (yx[2].pk, "粤0104")


def test_moving_a_record_to_another_chain_is_detected(two_courts):
    _cases, recs = two_courts
    victim = [r for r in recs if r.chain == "粤0104"][-1]
    AuditRecord.objects.filter(pk=victim.pk).update(chain="粤0106")
    assert verify_chain().broken_at == victim.pk


def test_deleted_head_is_detected(two_courts):
    sql("DELETE FROM core_auditchainhead WHERE chain = %s", "粤0104")
    report = verify_chain()
    assert report.chain == "粤0104" and "链头缺失" in report.reason


def test_chain_choice_explicit_case_actor_platform(people, courts):
    case = factories.case(people["clerk"])  # 粤0106
    with transaction.atomic():
        explicit = audit.record(None, "t.explicit", object_type="t", case_id=case.pk, court=courts["yx"])
        by_code = audit.record(None, "t.code", object_type="t", court="粤01")
        by_case = audit.record(people["gz_director"], "t.case", object_type="t", case_id=case.pk)
        by_actor = audit.record(people["gz_director"], "t.actor", object_type="t")
        platform = audit.record(None, "t.platform", object_type="t")
    assert [r.chain for r in (explicit, by_code, by_case, by_actor, platform)] == [
        "粤0104",
        "粤01",
        "粤0106",
        "粤01",
        "",
    ]
    assert by_case.court_code == "粤01"  # court_code stays the actor's court
    assert verify_chain().ok


def test_legacy_platform_chain_still_verifies(people):
    """Records of the "" chain hash without a chain key, exactly as before the split (migration 0004)."""
    with transaction.atomic():
        legacy = audit.record(None, "legacy", object_type="t", after={"x": 1})
    payload = {
        "at": legacy.at.astimezone(UTC).isoformat(),
        "actor": None,
        "actor_name": "系统",
        "court": "",
        "action": "legacy",
        "object_type": "t",
        "object_id": "",
        "case_id": None,
        "before": None,
        "after": {"x": 1},
        "prev": legacy.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert legacy.hash == hashlib.sha256(canonical.encode()).hexdigest()
    assert AuditChainHead.objects.get(chain="").last_id == legacy.pk  # the migrated global head
    factories.case(people["clerk"])
    assert verify_chain().ok


def test_record_many_appends_one_linked_run(courts):
    with transaction.atomic():
        first = audit.record(None, "a", object_type="t", court=courts["th"])
        many = audit.record_many(
            None, [{"action": f"b{i}", "object_type": "t", "object_id": i} for i in range(4)], court="粤0106"
        )
    assert [r.prev_hash for r in many] == [first.hash] + [r.hash for r in many[:-1]]
    assert all(r.pk for r in many)
    head = AuditChainHead.objects.get(chain="粤0106")
    assert (head.last_id, head.last_hash) == (many[-1].pk, many[-1].hash)
    assert verify_chain().ok


def test_audit_rows_refuse_orm_deletes(chain):
    """Evidence rows (audit_protected) cannot be deleted through the ORM, one by one or in bulk."""
    with pytest.raises(ProtectedRowError, match="留痕依据"), transaction.atomic():
        chain[0].delete()
    with pytest.raises(ProtectedRowError), transaction.atomic():
        AuditRecord.objects.filter(pk__in=[r.pk for r in chain]).delete()
    with pytest.raises(ProtectedRowError), transaction.atomic():
        AuditChainHead.objects.all().delete()
    assert AuditRecord.objects.count() == len(chain)
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_record_outside_transaction_is_refused():
    with pytest.raises(audit.AuditError):
        audit.record(None, "x", object_type="t")
    assert AuditRecord.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_pg_one_court_holding_its_head_does_not_block_another(courts):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    for code in ("粤0106", "粤0104"):  # heads exist, so both sides only lock (no insert race)
        with transaction.atomic():
            audit.record(None, "warm", object_type="t", court=code)
    holding, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold_th() -> None:
        try:
            with transaction.atomic():
                audit.record(None, "hold", object_type="t", court="粤0106")
                holding.set()
                release.wait(10)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    t = threading.Thread(target=hold_th)
    t.start()
    try:
        assert holding.wait(10)
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("SET LOCAL lock_timeout = '300ms'")
            started = time.monotonic()
            other = audit.record(None, "free", object_type="t", court="粤0104")  # not blocked
            assert time.monotonic() - started < 0.3 and other.chain == "粤0104"
            # The same court IS serialised: proves the timeout would have caught a block.
            with pytest.raises(OperationalError, match="lock timeout"), transaction.atomic():
                audit.record(None, "blocked", object_type="t", court="粤0106")
    finally:
        release.set()
        t.join()
    assert errors == []
    report = verify_chain()
    assert report.ok and report.chains["粤0106"] == 2 and report.chains["粤0104"] == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_pg_concurrent_writers_of_two_courts_keep_both_chains_linear(courts):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def writer(code: str, n: int) -> None:
        try:
            barrier.wait()
            for i in range(n):
                with transaction.atomic():
                    audit.record(None, "w", object_type="t", object_id=i, court=code)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(c, 15)) for c in ("粤0106", "粤0104") * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    report = verify_chain()
    assert report.ok and (report.chains["粤0106"], report.chains["粤0104"]) == (30, 30)
