"""Concurrent filing on PostgreSQL: case numbers stay consecutive, no gap, no duplicate."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, connections

from tests import factories
from zhixing.cases.models import EnforcementCase
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
