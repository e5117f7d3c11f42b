"""Controls over time under real concurrency (PostgreSQL): racing renewals and racing term sweeps.

Eight threads on eight connections click 一键续行 on the same controls at once: each control gets one
renewal order. Two sweeps racing over the same due controls lapse each once, raise each alert once and
move the 轮候 queue once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.db import connection

from tests.inquiry.conftest import open_case
from tests.inquiry.expiry_support import TZ, frozen, seized
from zhixing.inquiry import services
from zhixing.inquiry.models import Action, Asset, ControlAlert, InquiryRequest

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL (concurrent transactions on several connections)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgres,
]


def race(n: int, work: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    start = threading.Barrier(n)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            results.append(work())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results, errors


def test_racing_bulk_renewals_send_one_order_per_control(people: dict[str, Any], quiet: None) -> None:
    with time_machine.travel(datetime(2026, 3, 10, 10, tzinfo=TZ), tick=False):
        case = open_case(people)
        assets = [frozen(case, f"A{i}", date(2026, 3, 10)) for i in range(4)]
    ids = [a.pk for a in assets]
    with time_machine.travel(datetime(2027, 3, 1, 10, tzinfo=TZ), tick=False):
        results, errors = race(
            8, lambda: services.renew_controls(people["judge"], list(reversed(ids))).renewed
        )
    assert errors == []
    assert sum(results) == 4
    assert sorted(
        InquiryRequest.objects.filter(action=Action.RENEW).values_list("asset_id", flat=True)
    ) == sorted(ids)


def test_racing_sweeps_lapse_alert_and_advance_once(people: dict[str, Any], quiet: None) -> None:
    with time_machine.travel(datetime(2026, 4, 1, 10, tzinfo=TZ), tick=False):
        firsts = [seized(open_case(people), date(2026, 4, 1), ref=f"H{i}") for i in range(3)]
        queued = [seized(open_case(people), date(2026, 6, 1), rank=2, ref=f"H{i}") for i in range(3)]
        freezes = [frozen(open_case(people), f"F{i}", date(2028, 4, 20)) for i in range(3)]
    with time_machine.travel(datetime(2029, 4, 1, 10, tzinfo=TZ), tick=False):
        results, errors = race(4, lambda: services.term_sweep())
    assert errors == []
    assert sum(r.lapsed for r in results) == 3
    assert Asset.objects.filter(pk__in=[a.pk for a in firsts], state=Asset.State.LAPSED).count() == 3
    assert (
        list(
            Asset.objects.filter(pk__in=[a.pk for a in queued]).values_list(
                "state", "seizure_rank", "effective_on"
            )
        )
        == [(Asset.State.SEIZED, 1, date(2029, 4, 1))] * 3
    )
    assert ControlAlert.objects.filter(level=ControlAlert.Level.LAPSED).count() == 3
    assert ControlAlert.objects.filter(level=ControlAlert.Level.EFFECTIVE).count() == 3
    assert ControlAlert.objects.filter(level=ControlAlert.Level.WARN).count() == 3  # the freezes, once each
    assert len(freezes) == 3
