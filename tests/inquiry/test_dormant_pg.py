"""The daily 终本 re-inquiry task on PostgreSQL: two runs racing file each due case exactly once.

Real row locks (SELECT … FOR UPDATE on the case) and the unique (case, day) constraint, with two
threads on two connections; then the Huey task itself finds nothing left to file.
"""

from __future__ import annotations

import threading
from datetime import datetime, time
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from tests.inquiry.test_dormant import CATEGORIES, SH, make_dormant, periodic
from zhixing.core.models import AuditRecord
from zhixing.inquiry import rules, services, tasks
from zhixing.inquiry.models import DormantRound

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL (row locks across connections)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgres,
]


def test_racing_runs_and_the_task_file_each_case_once(people: dict[str, Any], settings: Any) -> None:
    settings.ZHIXING_INQUIRY = {"kick_on_commit": False, "dormant_categories": CATEGORIES}
    past = datetime.combine(rules.add_months(timezone.localdate(), -7), time(10), SH)
    cases = [make_dormant(people, past) for _ in range(8)]
    start = threading.Barrier(2)
    results: list[services.RunResult] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            results.append(services.reinquiry_run())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sum(r.filed for r in results) == 8
    assert DormantRound.objects.count() == 8
    assert [len(periodic(c)) for c in cases] == [2] * 8
    assert AuditRecord.objects.filter(action="inquiry.dormant.reinquiry").count() == 8
    assert tasks.dormant_reinquiry_task.call_local() == 0  # the daily task: nothing left today


def test_daily_task_files_due_cases(people: dict[str, Any], settings: Any) -> None:
    settings.ZHIXING_INQUIRY = {"kick_on_commit": False, "dormant_categories": CATEGORIES}
    past = datetime.combine(rules.add_months(timezone.localdate(), -7), time(10), SH)
    recent = datetime.combine(rules.add_months(timezone.localdate(), -2), time(10), SH)
    due, inside = make_dormant(people, past), make_dormant(people, recent)
    assert tasks.dormant_reinquiry_task.call_local() == 1
    assert len(periodic(due)) == 2 and periodic(inside) == []
    assert tasks.dormant_reinquiry_task.call_local() == 0
