"""The engine's kept screening state (gateway/state_watch.py: partners and the change log's cursor, read
again when PostgreSQL notifies a change) and the limits counted in leases (core.ratelimit.Leases)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.credit.conftest import ADULT_ID, debtor, debtor_case, make_partner
from zhixing.core import ratelimit
from zhixing.core.ratelimit import Leases
from zhixing.credit import services
from zhixing.credit.gateway import Engine, Job
from zhixing.credit.gateway.state_watch import ScreeningState, StateWatch

pg_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="LISTEN/NOTIFY is PostgreSQL's")


def _counted(scope: str, ident: str) -> int:
    return int(ratelimit.store().get(ratelimit.window_key(scope, ident, 60)) or 0)


# -- leases -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_lease_is_a_hundredth_of_the_limit_and_its_calls_need_no_store_round_trip() -> None:
    leases = Leases()
    assert leases.admit("partner", "1", 600, 1) == 1
    assert _counted("partner", "1") == 6  # one lease of 600 // 100
    assert [leases.admit("partner", "1", 600, 1) for _ in range(5)] == [1] * 5
    assert _counted("partner", "1") == 6  # spent from the lease, the store not asked
    assert leases.admit("partner", "1", 600, 3) == 3
    assert _counted("partner", "1") == 12


@pytest.mark.django_db
def test_a_group_bigger_than_a_lease_takes_what_it_needs() -> None:
    leases = Leases()
    assert leases.admit("partner", "2", 600, 40) == 40
    assert _counted("partner", "2") == 40


@pytest.mark.django_db
def test_one_process_admits_exactly_the_limit() -> None:
    leases = Leases()
    admitted = [leases.admit("partner", "3", 250, 7) for _ in range(40)]
    assert sum(admitted) == 250
    assert admitted[35] == 5 and admitted[36:] == [0, 0, 0, 0]  # 35 × 7 = 245, then 5 of 7, then none


@pytest.mark.django_db
def test_a_small_limit_counts_every_group() -> None:
    leases = Leases()
    assert [leases.admit("partner", "4", 3, 1) for _ in range(5)] == [1, 1, 1, 0, 0]
    assert _counted("partner", "4") == 5  # refused calls count too, as with `admit`


@pytest.mark.django_db
def test_processes_sharing_a_limit_never_admit_more_and_refuse_at_most_a_lease_early() -> None:
    a, b = Leases(), Leases()
    total = 0
    for i in range(1200):
        total += (a if i % 3 else b).admit("partner", "5", 1000, 1)
    assert 1000 - 10 <= total <= 1000  # b may still hold up to a lease (1000 // 100) unused


@pytest.mark.django_db
def test_a_new_window_drops_what_was_held() -> None:
    leases = Leases()
    start = timezone.now().replace(second=1, microsecond=0)
    with time_machine.travel(start, tick=False):
        assert leases.admit("partner", "6", 600, 1) == 1
        assert leases.held == {ratelimit.window_key("partner", "6", 60): 5}
    with time_machine.travel(start + timedelta(seconds=60), tick=False):
        assert leases.admit("partner", "6", 600, 1) == 1
        assert _counted("partner", "6") == 6  # the new window's own lease
        assert list(leases.held.values()) == [5]


@pytest.mark.django_db
def test_an_unreachable_store_admits_uncounted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ratelimit, "count_hit", lambda *a, **k: 0)
    assert Leases().admit("partner", "7", 600, 4) == 4


# -- the kept state -----------------------------------------------------------------------------------


class _Told:
    """A StateWatch stand-in: says "changed" when told to (the notices are tested on PostgreSQL below)."""

    def __init__(self) -> None:
        self.notice = True

    def changed(self) -> bool:
        told, self.notice = self.notice, False
        return told

    def close(self) -> None:
        pass


def _reads(state: ScreeningState, keys: set[str]) -> tuple[int, tuple[int, dict[str, Any]]]:
    with CaptureQueriesContext(connection) as ctx:
        got = state.read(keys)
    return len(ctx.captured_queries), got


@pytest.mark.django_db
def test_the_state_is_read_once_until_a_notice_and_new_keys_only_are_asked(people: dict[str, Any]) -> None:
    partner, key = make_partner("railway", "国铁集团")
    watch = _Told()
    state = ScreeningState(watch)  # type: ignore[arg-type]
    n, (_cursor, found) = _reads(state, {key})
    assert n == 1 and found == {key: partner}
    n, (_cursor, found) = _reads(state, {key})
    assert n == 0 and found == {key: partner}
    n, (_cursor, found) = _reads(state, {key, "zxp_made_up"})
    assert n == 1 and found == {key: partner}  # the new key asked once, and kept as unknown
    n, (_cursor, found) = _reads(state, {"zxp_made_up"})
    assert n == 0 and found == {}
    services.revoke_partner(None, partner)
    watch.notice = True
    n, (_cursor, found) = _reads(state, {key})
    assert n == 1 and found == {}


@pytest.mark.django_db
def test_a_kept_state_is_read_again_after_max_age_even_without_a_notice() -> None:
    from zhixing.credit.gateway import state_watch

    partner, key = make_partner("railway", "国铁集团")
    state = ScreeningState(_Told())  # type: ignore[arg-type]
    assert _reads(state, {key})[0] == 1
    assert _reads(state, {key})[0] == 0
    state.read_at -= state_watch.MAX_AGE  # a notice lost on the way (a pooler): trusted this long only
    services.revoke_partner(None, partner)
    n, (_cursor, found) = _reads(state, {key})
    assert n == 1 and found == {}


@pytest.mark.django_db
def test_past_the_kept_keys_the_whole_group_is_asked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    from zhixing.credit.gateway import state_watch

    monkeypatch.setattr(state_watch, "MAX_KEYS", 2)
    partner, key = make_partner("railway", "国铁集团")
    state = ScreeningState(_Told())  # type: ignore[arg-type]
    state.read({key, "zxp_a"})
    _, found = state.read({key, "zxp_b"})  # past the limit: kept keys dropped, the group asked again
    assert found == {key: partner}


# -- PostgreSQL's notices -----------------------------------------------------------------------------


def _until(check: Callable[[], bool]) -> bool:
    for _ in range(200):  # the notice reaches the listening socket a scheduling delay after the commit
        if check():
            return True
        time.sleep(0.01)
    return False


@pg_only
@pytest.mark.django_db(transaction=True)
def test_a_revoked_key_and_a_new_listing_are_heard_by_the_next_groups(people: dict[str, Any]) -> None:
    partner, key = make_partner("railway", "国铁集团")
    watch = StateWatch()
    state = ScreeningState(watch)
    try:
        cursor, found = state.read({key})
        assert found == {key: partner}
        assert not watch.changed()  # nothing changed since it listened
        n, (same, _) = _reads(state, {key})
        assert (n, same) == (0, cursor)
        case = debtor_case(people["clerk"])
        services.restrict_consumption(people["judge"], case, debtor(case), items=[1], bound_persons=[])
        assert _until(lambda: state.read({key})[0] > cursor)  # the change log moved: heard
        services.revoke_partner(None, partner)
        assert _until(lambda: state.read({key})[1] == {})  # revoked: heard
    finally:
        state.close()


@pg_only
@pytest.mark.django_db(transaction=True)
def test_a_broken_listening_connection_reads_every_group_until_it_is_open_again() -> None:
    _partner, key = make_partner("railway", "国铁集团")
    watch = StateWatch()
    state = ScreeningState(watch)
    try:
        state.read({key})
        pid = watch.conn.info.backend_pid
        with connection.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert _until(lambda: _reads(state, {key})[0] == 1)  # broken: read again, not trusted
        assert watch.conn is None or watch.conn.info.backend_pid != pid
        watch.tried_at = -1e9  # no wait for the retry
        assert watch.changed() is True  # opened again: what happened meanwhile is unknown
        assert watch.conn is not None and not watch.changed()
    finally:
        state.close()


@pg_only
@pytest.mark.django_db(transaction=True)
def test_the_engine_refuses_a_key_revoked_after_its_state_was_kept(people: dict[str, Any]) -> None:
    partner, key = make_partner("railway", "国铁集团")
    engine = Engine(state=ScreeningState(StateWatch()))
    job = Job("check", key, "application/json", "", "", json.dumps({"id": ADULT_ID}).encode())
    try:
        assert [a.status for a in engine.process([job])] == [200]
        services.revoke_partner(None, partner)
        assert _until(lambda: engine.process([job])[0].status == 401)
    finally:
        assert engine.state is not None
        engine.state.close()
