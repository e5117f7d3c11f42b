"""The screening engine's group mechanics (credit/gateway/): how a group is taken, its one transaction,
and the SQLite WAL checkpoints kept off the engine's commits."""

from __future__ import annotations

import json
import queue
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


@pytest.mark.django_db
def test_the_change_log_cursor_and_the_partners_are_read_in_one_statement(people: dict[str, Any]) -> None:
    from django.test.utils import CaptureQueriesContext

    from zhixing.credit.models import ChangeEvent
    from zhixing.credit.services.partners import screening_state

    case = debtor_case(people["clerk"])
    services.restrict_consumption(people["judge"], case, debtor(case), items=[1, 9], bound_persons=[])
    railway, key = make_partner("railway", "国铁集团")
    airline, akey = make_partner("airline", "航空公司")
    last = ChangeEvent.objects.order_by("-id").values_list("id", flat=True).first()
    assert last
    with CaptureQueriesContext(connection) as queries:
        cursor, found = screening_state([key, akey, "zxp_unknown", "not-a-key", ""])
    assert len(queries.captured_queries) == 1
    assert cursor == last
    assert {k: (p.pk, p.kind, p.rate_per_minute) for k, p in found.items()} == {
        key: (railway.pk, "railway", 600),
        akey: (airline.pk, "airline", 600),
    }
    # No key at all (or none that can be one): still the cursor, in one statement.
    with CaptureQueriesContext(connection) as queries:
        assert screening_state(["", "nope"]) == (last, {})
    assert len(queries.captured_queries) == 1


@pytest.mark.django_db
def test_a_partner_changed_or_revoked_is_seen_by_the_next_group(people: dict[str, Any]) -> None:
    from zhixing.credit.models import Partner
    from zhixing.credit.services.partners import screening_state

    partner, key = make_partner("railway", "国铁集团", rate=600)
    first = screening_state([key])[1][key]
    assert screening_state([key])[1][key] is first  # an unchanged row: the same instance
    Partner.objects.filter(pk=partner.pk).update(rate_per_minute=2, privacy_mode=True)
    changed = screening_state([key])[1][key]
    assert (changed.rate_per_minute, changed.privacy_mode) == (2, True)
    # Privacy mode: the clear endpoints refused (the call counted against the limit, as before).
    assert [a.status for a in Engine().process([_job(key)])] == [403]
    Partner.objects.filter(pk=partner.pk).update(privacy_mode=False)
    assert [a.status for a in Engine().process([_job(key), _job(key)])] == [200, 429]
    services.revoke_partner(None, Partner.objects.get(pk=partner.pk))
    assert screening_state([key])[1] == {}
    assert [a.status for a in Engine().process([_job(key)])] == [401]


def test_a_lingering_group_is_taken_in_one_wake_up_after_the_linger(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine sleeps through the linger and then drains the queue: requests arriving meanwhile do
    not wake it one by one (each wake-up was a thread switch and a GIL hand-over)."""
    monkeypatch.setattr(gateway.engine, "LINGER", 0.2)
    engine = Engine()

    class Watched:  # the engine's queue, recording every blocking wait on it
        def __init__(self) -> None:
            self.inner: queue.SimpleQueue[Job] = queue.SimpleQueue()
            self.waits: list[float | None] = []

        def put(self, job: Job) -> None:
            self.inner.put(job)

        def get(self, block: bool = True, timeout: float | None = None) -> Job:
            self.waits.append(timeout)
            return self.inner.get(block, timeout)

        def get_nowait(self) -> Job:
            return self.inner.get_nowait()

    watched = Watched()
    engine.queue = watched  # type: ignore[assignment]
    first = _job()
    first.queued_at = time.monotonic()
    engine.queue.put(first)
    others = [_job() for _ in range(5)]

    def later() -> None:
        for job in others:
            time.sleep(0.01)
            engine.queue.put(job)

    threading.Thread(target=later).start()
    assert engine.take() == [first, *others]
    assert watched.waits == [None]  # one blocking get for the first request, none with a timeout after it


@pytest.mark.django_db
def test_the_details_of_many_subjects_are_one_statement_with_the_orm_s_rows(people: dict[str, Any]) -> None:
    """`queries.subject_details` binds the whole key list as one parameter (SQLite `json_each`,
    PostgreSQL `unnest`): 12,000 keys (the former IN list was cut at 5,000) in one statement, the same
    rows as the ORM's in-force restrictions and published listings."""
    from datetime import timedelta

    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tests.credit.conftest import listing_data
    from zhixing.credit import queries
    from zhixing.credit.models import Listing, Restriction
    from zhixing.credit.queries_public import published
    from zhixing.credit.synthetic import synthetic_id

    case = debtor_case(people["clerk"])
    services.restrict_consumption(people["judge"], case, debtor(case), items=[1, 9], bound_persons=[])
    listing = services.list_debtor(people["judge"], case, debtor(case), listing_data())
    Listing.objects.filter(pk=listing.pk).update(publish_on=timezone.localdate() - timedelta(days=1))
    today = timezone.localdate()
    expected = sorted(
        [
            ("restriction", r.court.name, r.case.number, r.effective_on)
            for r in Restriction.objects.filter(
                subject_key=ADULT_ID,
                status=Restriction.Status.ACTIVE,
                effective_on__lte=today,
                awaiting_service=False,
            )
        ]
        + [
            ("listing", lst.court.name, lst.case.number, lst.publish_on)
            for lst in published().filter(subject_key=ADULT_ID)
        ]
    )
    assert [e[0] for e in expected] == ["listing", "restriction"]
    keys = (
        [synthetic_id(i) for i in range(6000)]
        + [ADULT_ID, 'ORG:"quoted\\key']
        + [synthetic_id(i) for i in range(6000)]
    )
    with CaptureQueriesContext(connection) as seen:
        found = queries.subject_details(keys)
    assert len(seen.captured_queries) == 1
    assert list(found) == [ADULT_ID]
    got = sorted(
        (
            "listing" if m["measure"] == "失信被执行人" else "restriction",
            m["court"],
            m["case_number"],
            m["since"],
        )
        for m in found[ADULT_ID]
    )
    assert got == expected
    assert queries.subject_details([]) == {}
