"""Looking at a case's asset register is audited once per user, case and day (issue 10, finding 24).

Refreshing the page (or calling the API) again the same day writes nothing; the next day writes one
new record; another user or another case is another look-up. GETs otherwise only read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.inquiry.conftest import open_case
from zhixing.core.models import AuditRecord
from zhixing.inquiry.models import RegisterView

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def views_of(case: Any) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(action="inquiry.view.register", case_id=case.pk).order_by("id"))


def get(c: Client, case: Any, api: bool = False) -> int:
    url = f"/api/v1/inquiry/cases/{case.pk}/assets" if api else reverse("inquiry_case", args=[case.pk])
    return c.get(url).status_code


def test_two_views_one_record_and_the_next_day_another(people: dict[str, Any], case: Any) -> None:
    judge = Client()
    judge.force_login(people["judge"])
    # 23:50 and 23:59 Beijing time are the same day (in UTC 15:50 and 15:59), 00:05 is the next.
    with time_machine.travel(datetime(2026, 3, 10, 23, 50, tzinfo=SH), tick=False):
        assert get(judge, case) == 200
    with time_machine.travel(datetime(2026, 3, 10, 23, 59, tzinfo=SH), tick=False):
        assert get(judge, case) == 200
        assert get(judge, case, api=True) == 200  # the API is the same look-up by the same user
    first = views_of(case)
    assert [(r.actor_id, r.after) for r in first] == [
        (people["judge"].pk, {"via": "web", "day": "2026-03-10"})
    ]
    with time_machine.travel(datetime(2026, 3, 11, 0, 5, tzinfo=SH), tick=False):
        assert get(judge, case, api=True) == 200
        assert get(judge, case) == 200
    assert [r.after for r in views_of(case)] == [
        {"via": "web", "day": "2026-03-10"},
        {"via": "api", "day": "2026-03-11"},
    ]
    assert all(r.chain == "粤0106" and r.object_id == str(case.pk) for r in views_of(case))


def test_each_user_and_case_is_its_own_look_up(people: dict[str, Any], quiet: None) -> None:
    a, b = open_case(people), open_case(people)
    with time_machine.travel(datetime(2026, 3, 10, 10, tzinfo=SH), tick=False):
        for who in ("judge", "director", "judge"):
            c = Client()
            c.force_login(people[who])
            assert get(c, a) == 200 and get(c, b) == 200
    assert sorted(
        (r.case_id, r.actor_id) for r in AuditRecord.objects.filter(action="inquiry.view.register")
    ) == sorted(
        [
            (a.pk, people["judge"].pk),
            (a.pk, people["director"].pk),
            (b.pk, people["judge"].pk),
            (b.pk, people["director"].pk),
        ]
    )
    assert RegisterView.objects.count() == 4


def test_a_refresh_only_reads(people: dict[str, Any], case: Any) -> None:
    c = Client()
    c.force_login(people["judge"])
    assert get(c, case) == 200
    with CaptureQueriesContext(connection) as ctx:
        assert get(c, case) == 200
    writes = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in q["sql"]
    ]
    assert writes == []


def test_a_refused_look_up_is_not_recorded(people: dict[str, Any], case: Any) -> None:
    for who in ("clerk", "finance", "gd_president", "yx_director"):
        c = Client()
        c.force_login(people[who])
        assert get(c, case) in (403, 404) and get(c, case, api=True) in (403, 404)
    assert views_of(case) == [] and RegisterView.objects.count() == 0
