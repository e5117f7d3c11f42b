"""PostgreSQL only: a screening group commits without waiting for the disk (the audit chain's lock is
released at once) and is answered only after one durable commit flushed the WAL past it
(`core.commit_flush`, credit/gateway/engine.py)."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from django.conf import settings
from django.db import OperationalError, connection, connections

from zhixing.core import audit, commit_flush, plain_statements
from zhixing.core.models import AuditChainHead, AuditRecord
from zhixing.credit import services
from zhixing.credit.gateway import Engine, Job

from .conftest import ADULT_ID, OTHER_ID, debtor, debtor_case, make_partner

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="PostgreSQL's WAL flush"
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _no_belief() -> None:
    """Each test's database starts its chains again: no head believed from another test's."""
    commit_flush._BELIEVED_HEAD.clear()


def _job(key: str, number: str = ADULT_ID) -> Job:
    return Job("check", key, "application/json", "", "", json.dumps({"id": number}).encode())


def _setup(people: dict[str, Any]) -> str:
    case = debtor_case(people["clerk"])
    services.restrict_consumption(people["judge"], case, debtor(case), items=[1, 9], bound_persons=[])
    return make_partner("railway", "国铁集团", rate=100_000)[1]


def _in_thread(fn: Any) -> Any:
    """`fn()` on a thread of its own (its own connection, closed after); its result or exception."""
    out: list[Any] = []

    def go() -> None:
        try:
            out.append(fn())
        except BaseException as exc:
            out.append(exc)
        finally:
            connections.close_all()

    t = threading.Thread(target=go)
    t.start()
    t.join(30)
    assert not t.is_alive()
    return out[0]


def _chain_head_free() -> bool:
    """The platform chain's head row can be locked by another connection right now (NOWAIT)."""

    def probe() -> bool:
        from django.db import transaction

        with transaction.atomic():
            try:
                plain_statements.fetch(
                    f"SELECT id FROM {AuditChainHead._meta.db_table} WHERE chain = '' FOR UPDATE NOWAIT"
                )
            except OperationalError:
                return False
        return True

    return bool(_in_thread(probe))


def test_the_group_is_answered_only_after_a_flush_run_outside_the_chain_lock(
    people: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    key = _setup(people)
    top = AuditRecord.objects.order_by("-pk").first()
    assert top is not None
    real_flush = commit_flush.flush_commits
    gate, entered = threading.Event(), threading.Event()
    seen: dict[str, Any] = {}

    def watched_flush(using: str = "default") -> None:
        # The group has committed: its WAL position now, then hold the flush until the test looked.
        seen["lsn"] = plain_statements.fetch_one("SELECT pg_current_wal_insert_lsn()::text")[0]  # type: ignore[index]
        seen["in_transaction"] = connection.in_atomic_block
        entered.set()
        assert gate.wait(20)
        # The test server runs with synchronous_commit=off (scripts/services.sh); the deployment's
        # session has it on: the flush's own commit then waits for the disk.
        plain_statements.execute("SET synchronous_commit = on")
        try:
            real_flush(using)
            seen["flushed"] = plain_statements.fetch_one(
                "SELECT pg_current_wal_flush_lsn() >= %s::pg_lsn", [seen["lsn"]]
            )[0]  # type: ignore[index]
        finally:
            plain_statements.execute("RESET synchronous_commit")

    monkeypatch.setattr(commit_flush, "flush_commits", watched_flush)
    engine = Engine()
    result: list[Any] = []

    def group() -> None:
        try:
            with connection.execute_wrapper(_statements(seen)):
                result.append(engine.handle([_job(key), _job(key, OTHER_ID)]))
        finally:
            connections.close_all()

    thread = threading.Thread(target=group)
    thread.start()
    try:
        assert entered.wait(20)
        # While the flush is held: no answer yet, the group's records are committed (another connection
        # sees them) and the audit chain's head is free (the other worker's group may append).
        assert result == []
        new = list(AuditRecord.objects.filter(pk__gt=top.pk).order_by("pk").values_list("action", flat=True))
        assert new == ["screening.check", "screening.check"]
        assert _chain_head_free()
        other = _in_thread(lambda: _append_one("while the first group waits for the disk"))
        assert other == 1
    finally:
        gate.set()
        thread.join(30)
    assert not thread.is_alive()
    ((check, miss),) = result
    assert (check.status, miss.status) == (200, 200)
    assert json.loads(check.body)["restricted"] is True
    assert seen["in_transaction"] is False
    assert seen["flushed"] is True  # the flush's commit took the WAL on disk past the group's commit
    # The group's transaction begins with the SET LOCAL (its commit does not wait for the disk): the
    # chain head's lock and the audit INSERT come after it; the flush is the last statement, after COMMIT.
    sql = seen["sql"]
    begin = sql.index("SET LOCAL synchronous_commit = off")
    assert sum(1 for s in sql if "FOR UPDATE" in s or s.startswith("INSERT")) >= 2
    assert min(i for i, s in enumerate(sql) if "FOR UPDATE" in s or s.startswith("INSERT")) > begin
    assert sql[-1] == commit_flush.FLUSH_SQL and sql.count(commit_flush.FLUSH_SQL) == 1
    assert audit.verify_chain().ok


def _statements(seen: dict[str, Any]) -> Any:
    seen["sql"] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if "pg_current_wal" not in sql and not sql.endswith(
            ("synchronous_commit = on", "RESET synchronous_commit")
        ):
            seen["sql"].append(sql)
        return execute(sql, params, many, context)

    return wrapper


def _append_one(what: str) -> int:
    from django.db import transaction

    with transaction.atomic():
        return audit.append_many(
            None, [{"action": "screening.check", "object_type": "Partner", "after": what}]
        )


def test_a_failed_flush_answers_500_and_nothing_is_retried_on_a_new_connection(
    people: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    key = _setup(people)
    calls: list[int] = []

    def broken(using: str = "default") -> None:
        calls.append(1)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(commit_flush, "flush_commits", broken)
    answers = Engine().handle([_job(key), _job(key)])
    assert [a.status for a in answers] == [500, 500]
    assert calls == [1]  # once: never retried (a new connection could not vouch for the commit)
    # The records were committed (audited, unanswered: as calls whose answers were lost).
    assert AuditRecord.objects.filter(action="screening.check").count() == 2


def test_a_flush_needs_the_connection_that_committed() -> None:
    connection.close()
    with pytest.raises(RuntimeError, match="connection that committed"):
        commit_flush.flush_commits()


def test_two_engines_appending_concurrently_keep_the_chain_whole(people: dict[str, Any]) -> None:
    key = _setup(people)
    before = AuditRecord.objects.filter(action="screening.check").count()
    barrier = threading.Barrier(2)

    def worker() -> list[int]:
        engine, statuses = Engine(), []
        barrier.wait()
        for _ in range(15):
            statuses += [a.status for a in engine.handle([_job(key), _job(key, OTHER_ID), _job(key)])]
        return statuses

    results: list[Any] = [None, None]

    def run(i: int) -> None:
        try:
            results[i] = worker()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results[0] == results[1] == [200] * 45
    assert AuditRecord.objects.filter(action="screening.check").count() - before == 90
    assert audit.verify_chain().ok


def test_inside_a_caller_s_transaction_nothing_commits_so_nothing_is_flushed(
    people: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import transaction

    key = _setup(people)
    monkeypatch.setattr(commit_flush, "flush_commits", lambda using="default": pytest.fail("flushed"))
    with transaction.atomic():
        assert not commit_flush.flushes_late()
        assert [a.status for a in Engine().process([_job(key)])] == [200]


@pytest.mark.parametrize("believed", [False, True], ids=["locked-head", "believed-head"])
def test_the_usual_group_is_pipelined_and_answered_only_after_its_flush(
    people: dict[str, Any], monkeypatch: pytest.MonkeyPatch, settings: Any, believed: bool
) -> None:
    """The documented deployment's group (limits in Redis, not the enumeration detector's turn): its
    records, COMMIT and the flush in one pipeline (locked head) or one message (the head this process
    left, `believed`); the flush held here behind an advisory lock the test holds, to look at the group
    while its answers wait for the disk."""
    import time

    from django.db import transaction

    key = _setup(people)
    if believed:  # this process wrote the chain's last record: the next append is one message
        commit_flush.append_and_flush(
            [{"action": "screening.check", "object_type": "Partner", "after": "warm"}]
        )
        assert "" in commit_flush._BELIEVED_HEAD
    tries: list[str] = []
    real_once, real_locked = commit_flush._at_once, commit_flush._pipelined
    monkeypatch.setattr(commit_flush, "_at_once", lambda *a: (tries.append("believed"), real_once(*a))[1])
    monkeypatch.setattr(commit_flush, "_pipelined", lambda *a: (tries.append("locked"), real_locked(*a))[1])
    settings.ZHIXING_RATE_LIMIT_CACHE = "default"  # not the database (Redis in the deployment)
    top = AuditRecord.objects.order_by("-pk").first()
    assert top is not None
    held = (
        f"SELECT pg_logical_emit_message(true, '{commit_flush.FLUSH_PREFIX}', '') "
        "FROM pg_advisory_xact_lock_shared(4242)"
    )
    monkeypatch.setattr(commit_flush, "FLUSH_SQL", held)
    pipelined: list[str | None] = []
    real = commit_flush.append_and_flush

    def spy(*args: Any, **kwargs: Any) -> str | None:
        pipelined.append(real(*args, **kwargs))
        return pipelined[-1]

    monkeypatch.setattr(commit_flush, "append_and_flush", spy)
    engine = Engine()
    engine.observed_at = time.monotonic() + 3600  # the detector's turn is not now
    result: list[Any] = []

    def group() -> None:
        try:
            plain_statements.execute("SET synchronous_commit = on")  # the deployment's session
            result.append(engine.handle([_job(key), _job(key, OTHER_ID), _job("zxp_unknown")]))
        finally:
            connections.close_all()

    thread = threading.Thread(target=group)
    with transaction.atomic():
        plain_statements.fetch("SELECT pg_advisory_xact_lock(4242)")
        thread.start()
        deadline = time.monotonic() + 20
        while AuditRecord.objects.filter(pk__gt=top.pk).count() < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        # Committed (seen from here), the chain's head free, the flush waiting: nothing answered yet.
        assert AuditRecord.objects.filter(pk__gt=top.pk, action="screening.check").count() == 2
        assert _chain_head_free()
        time.sleep(0.2)
        assert result == [] and thread.is_alive()
        committed_to = plain_statements.fetch_one("SELECT pg_current_wal_insert_lsn()::text")[0]  # type: ignore[index]
    thread.join(30)
    assert not thread.is_alive()
    ((check, miss, unknown),) = result
    assert (check.status, miss.status, unknown.status) == (200, 200, 401)
    assert json.loads(check.body)["restricted"] is True
    assert len(pipelined) == 1 and pipelined[0] is not None
    assert tries == (["believed"] if believed else ["locked"])
    flushed = plain_statements.fetch_one(
        "SELECT pg_current_wal_flush_lsn() >= %s::pg_lsn, %s::pg_lsn >= %s::pg_lsn",
        [pipelined[0], pipelined[0], committed_to],
    )
    assert flushed == (True, True)  # the flush's message came after the group's commit, and is on disk
    assert audit.verify_chain().ok
    # The calls wait for the enumeration detector's next turn (fed with their sums then).
    assert sum(o.asked for o in engine.pending.values()) == 2


def test_a_believed_head_appends_in_one_message_and_a_moved_head_is_locked_and_read_again(
    people: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine's usual append is one simple-protocol message on the head it left (no lock first);
    after another writer moved the head that message writes nothing, and the locking path appends the
    records exactly once, on the real head."""
    _append_one("first")  # the platform chain's head row exists
    tries: list[str] = []
    real_once, real_locked = commit_flush._at_once, commit_flush._pipelined

    def once(*args: Any) -> str | None:
        tries.append("believed")
        return real_once(*args)

    def locked(*args: Any) -> str | None:
        tries.append("locked")
        return real_locked(*args)

    monkeypatch.setattr(commit_flush, "_at_once", once)
    monkeypatch.setattr(commit_flush, "_pipelined", locked)
    items = [{"action": "screening.check", "object_type": "Partner", "after": {"n": i}} for i in range(3)]
    records = AuditRecord.objects.filter(action="screening.check")
    before = records.count()

    assert commit_flush.append_and_flush(items)  # nothing believed yet: the locking path
    assert tries == ["locked"]
    assert commit_flush.append_and_flush(items)  # on the head it left: one message
    assert tries == ["locked", "believed"]
    assert records.count() - before == 6

    _append_one("another writer")  # moves the head behind the engine's back
    assert commit_flush.append_and_flush(items)
    assert tries == ["locked", "believed", "believed", "locked"]
    assert records.count() - before == 10  # 3 + 3 + the other writer's 1 + 3: none twice, none lost
    head = AuditChainHead.objects.get(chain="")
    assert (
        head.last_id == AuditRecord.objects.filter(chain="").order_by("-pk").values_list("pk", flat=True)[0]
    )
    assert commit_flush._BELIEVED_HEAD[""] == (head.pk, head.last_hash)
    assert audit.verify_chain().ok
