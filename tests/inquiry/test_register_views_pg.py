"""The once-a-day register audit under real concurrency (PostgreSQL): racing first views write one record.

Eight threads on eight connections look at the same case as the same user at the same moment; the
unique (user, case, day) marker lets exactly one of them write the audit record.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from tests.inquiry.conftest import open_case
from zhixing.core.models import AuditRecord
from zhixing.inquiry import services
from zhixing.inquiry.models import RegisterView

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL (concurrent transactions on several connections)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgres,
]


def test_racing_first_views_write_one_audit_record(people: dict[str, Any], quiet: None) -> None:
    case = open_case(people)
    start = threading.Barrier(8)
    results: list[bool] = []
    errors: list[BaseException] = []

    def look() -> None:
        try:
            start.wait()
            results.append(services.record_register_view(people["judge"], case, "web"))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=look) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sorted(results) == [False] * 7 + [True]
    assert RegisterView.objects.filter(case=case).count() == 1
    assert AuditRecord.objects.filter(action="inquiry.view.register", case_id=case.pk).count() == 1
