"""Concurrent filing on PostgreSQL: case numbers stay consecutive, no gap, no duplicate; one application
submitted many times at once is filed once (the filing-key row lock of the duplicate guard)."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, connections

from tests import factories
from zhixing.cases import services
from zhixing.cases.models import EnforcementCase, FilingKey
from zhixing.core.audit import verify_chain

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def only_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency needs PostgreSQL (SQLite serialises writers itself)")


def test_concurrent_filings_get_consecutive_unique_numbers(people):
    clerks = [people["clerk"], people["assistant"], people["judge"], people["director"]]
    per_thread = 6
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(clerks))

    def worker(clerk):
        try:
            barrier.wait()
            for _ in range(per_thread):
                factories.case(clerk, confirm_duplicate=True)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    with time_machine.travel(datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        threads = [threading.Thread(target=worker, args=(c,)) for c in clerks]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    seqs = sorted(EnforcementCase.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, len(clerks) * per_thread + 1))
    assert verify_chain().ok


def _race(n, submit):
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = submit(i)
        except BaseException as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _parties(*debtor_ids):
    return [
        services.PartyData(
            role="applicant",
            kind="organisation",
            name="广州某银行股份有限公司",
            credit_code=factories.VALID_CREDIT,
            legal_representative="陈行长",
        ),
        *(
            services.PartyData(role="debtor", kind="person", name=f"被执行人{i}", id_number=d)
            for i, d in enumerate(debtor_ids)
        ),
    ]


def test_one_application_submitted_eight_times_at_once_files_one_case(people):
    """The filing-key row lock: eight concurrent submissions, one case, seven told its number."""
    staff = [people[k] for k in ("clerk", "assistant", "judge", "director")] * 2
    basis = "（2025）粤0106民初888号"
    with time_machine.travel(datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        results = _race(len(staff), lambda i: factories.case(staff[i], basis_number=basis))
    filed = [r for r in results if isinstance(r, EnforcementCase)]
    refused = [r for r in results if isinstance(r, services.DuplicateFiling)]
    assert (len(filed), len(refused)) == (1, 7), results
    assert {tuple(r.numbers) for r in refused} == {(filed[0].number,)}
    assert FilingKey.objects.count() == 1
    assert verify_chain().ok


def test_debtors_listed_in_either_order_neither_deadlock_nor_both_file(people):
    """Two debtors, listed A,B by one clerk and B,A by another: the keys lock in one order."""
    a, b = factories.VALID_IDS[0], factories.VALID_IDS[2]
    orders = [(a, b), (b, a)] * 3
    staff = [people[k] for k in ("clerk", "assistant", "judge")] * 2
    with time_machine.travel(datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        results = _race(
            len(orders),
            lambda i: factories.case(
                staff[i], basis_number="（2025）粤0106民初889号", parties=_parties(*orders[i])
            ),
        )
    assert not [r for r in results if not isinstance(r, EnforcementCase | services.DuplicateFiling)], results
    assert EnforcementCase.objects.count() == 1


def test_different_applications_file_side_by_side(people):
    """Keys of different applications do not serialise each other: all of them are filed."""
    staff = [people[k] for k in ("clerk", "assistant", "judge", "director")]
    with time_machine.travel(datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        results = _race(
            len(staff), lambda i: factories.case(staff[i], basis_number=f"（2025）粤0106民初{900 + i}号")
        )
    assert all(isinstance(r, EnforcementCase) for r in results), results
    assert sorted(EnforcementCase.objects.values_list("seq", flat=True)) == [1, 2, 3, 4]
