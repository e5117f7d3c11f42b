"""The screening engine's group mechanics (credit/gateway/): how a group is taken, its one transaction,
and the SQLite WAL checkpoints kept off the engine's commits."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest
from django.db import connection, connections

from tests.credit.conftest import ADULT_ID, debtor, debtor_case, make_partner
from zhixing.core.models import AuditRecord
from zhixing.credit import gateway, services
from zhixing.credit.gateway import Engine, Job


def _job(key: str = "zxp_k", number: str = ADULT_ID) -> Job:
    return Job("check", key, "application/json", "", "", json.dumps({"id": number}).encode())


def test_a_group_waits_for_later_requests_until_the_linger_after_its_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(gateway.engine, "LINGER", 0.3)
    engine = Engine()
    first, second, late = _job(), _job(), _job()
    first.queued_at = time.monotonic()
    engine.queue.put(first)

    def later(job: Job, delay: float) -> None:
        time.sleep(delay)
        engine.queue.put(job)

    threading.Thread(target=later, args=(second, 0.05)).start()
    threading.Thread(target=later, args=(late, 0.6)).start()
    t0 = time.monotonic()
    assert engine.take() == [first, second]  # the second arrived within the linger, the late one not
    assert 0.2 < time.monotonic() - t0 < 0.55
    assert engine.take() == [late]


def test_a_first_request_that_already_waited_does_not_wait_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gateway.engine, "LINGER", 0.3)
    engine = Engine()
    old, queued = _job(), _job()
    old.queued_at = time.monotonic() - 1  # queued while the engine handled the previous group
    queued.queued_at = time.monotonic()
    engine.queue.put(old)
    engine.queue.put(queued)
    t0 = time.monotonic()
    assert engine.take() == [old, queued]  # what is queued is taken, nothing waited for
    assert time.monotonic() - t0 < 0.1


@pytest.mark.django_db
def test_a_group_whose_audit_fails_is_neither_counted_nor_audited(
    people: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    case = debtor_case(people["clerk"])
    services.restrict_consumption(people["judge"], case, debtor(case), items=[1, 9], bound_persons=[])
    _, key = make_partner("railway", "国铁集团", rate=2)
    top = AuditRecord.objects.order_by("-pk").first()

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(gateway.engine, "audit_screening_many", broken)
    with pytest.raises(RuntimeError):
        Engine().process([_job(key), _job(key)])
    assert AuditRecord.objects.order_by("-pk").first() == top
    monkeypatch.undo()
    # The failed group's two calls were rolled back with it: the limit of 2 is still whole.
    answers = Engine().process([_job(key), _job(key), _job(key)])
    assert [a.status for a in answers] == [200, 200, 429]
    assert AuditRecord.objects.filter(action="screening.check", pk__gt=top.pk).count() == 2


@pytest.mark.django_db
def test_the_engine_connection_leaves_wal_checkpoints_to_its_own_thread() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: other databases have no WAL to checkpoint")
    engine = Engine()
    engine.checkpoints = threading.Thread(target=lambda: None)  # no background thread in the test run
    try:
        engine._no_checkpoints()
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint")
            assert cursor.fetchone()[0] == 0
        assert engine.tuned is connection.connection
        engine._no_checkpoints()  # the same connection: told once
        assert engine.tuned is connection.connection
        # The checkpointing thread's own connection (outside the test's transaction, as in the server).
        done: list[tuple[int, int, int]] = []

        def checkpoint() -> None:
            try:
                done.append(gateway.checkpoint_wal())
            finally:
                connections.close_all()

        thread = threading.Thread(target=checkpoint)
        thread.start()
        thread.join()
        ((busy, frames, copied),) = done
        assert busy == 0 and 0 <= copied <= frames
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint=1000")
