"""Enumeration detection: the pure rule, the shared window counters, and the alert through the real URL."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from tests import factories
from zhixing.core.models import AuditRecord, Notification
from zhixing.credit import rules
from zhixing.credit.rules import EnumerationThresholds, enumeration_signals, id_body, sequential_share
from zhixing.credit.services import enumeration

from .conftest import NOW, make_partner

T = EnumerationThresholds()
SMALL = {"min_sequential_sample": 20, "sample_size": 50, "min_sample": 40, "max_volume": 500}


def body(d: date, seq: int, area: str = "440106") -> int:
    value = id_body(factories.make_id(d, area=area, seq=seq))
    assert value is not None
    return value


SPREAD = [
    body(date(1960, 1, 1) + timedelta(days=37 * i), 100 + i, area=f"{110101 + 97 * i}") for i in range(60)
]


# -- the pure rule ---------------------------------------------------------------------------------------
def test_id_body() -> None:
    assert id_body("11010519491231002X") == 11010519491231002
    assert id_body("1101051949123100") is None
    assert id_body("GARBAGE") is None


def test_sequential_share_counts_neighbours_once() -> None:
    assert sequential_share([], 10) == 0.0
    assert sequential_share([5], 10) == 0.0
    assert sequential_share([5, 5, 5], 10) == 0.0  # duplicates are one number
    assert sequential_share([1, 2, 3, 100], 10) == 0.75
    assert sequential_share([1, 12, 23], 10) == 0.0
    assert sequential_share([1, 11, 100, 1000], 10) == 0.5
    assert sequential_share([30, 20, 10], 10) == 1.0  # order of arrival does not matter


def test_quiet_window_trips_nothing() -> None:
    assert enumeration_signals(100, 1, SPREAD, T) == ((), 0.0)
    assert enumeration_signals(0, 0, [], T) == ((), 0.0)


def test_volume() -> None:
    assert enumeration_signals(T.max_volume, 5000, [], T)[0] == ()
    assert enumeration_signals(T.max_volume + 1, 5000, [], T)[0] == ("volume",)


def test_miss_ratio_needs_a_sample() -> None:
    assert enumeration_signals(T.min_sample - 1, 0, [], T)[0] == ()
    assert enumeration_signals(T.min_sample, 0, [], T)[0] == ("miss_ratio",)
    assert enumeration_signals(T.min_sample, 1, [], T)[0] == ()  # one hit in 2,000: real travellers
    loose = EnumerationThresholds(max_miss_ratio=0.99)
    assert enumeration_signals(2000, 20, [], loose)[0] == ("miss_ratio",)
    assert enumeration_signals(2000, 21, [], loose)[0] == ()


def test_sequence_numbers_of_one_birth_date() -> None:
    probe = [body(date(1980, 5, 6), seq) for seq in range(T.min_sequential_sample)]
    assert enumeration_signals(len(probe), 0, probe, T) == (("sequential",), 1.0)
    assert enumeration_signals(len(probe), 0, probe[:-1], T)[0] == ()  # below the sample


def test_same_sequence_on_consecutive_days_is_near_sequential() -> None:
    probe = [body(date(1980, 5, 1) + timedelta(days=i), 111) for i in range(T.min_sequential_sample)]
    reasons, share = enumeration_signals(len(probe), 0, probe, T)
    assert reasons == ("sequential",) and share > 0.9  # month ends jump by more than `near`


def test_half_sequential_is_the_threshold() -> None:
    probe = [body(date(1980, 5, 6), seq) for seq in range(25)] + SPREAD[:25]
    assert enumeration_signals(50, 0, probe, T) == (("sequential",), 0.5)
    probe = [body(date(1980, 5, 6), seq) for seq in range(24)] + SPREAD[:26]
    assert enumeration_signals(50, 0, probe, T) == ((), 0.48)


def test_all_reasons_at_once() -> None:
    probe = [body(date(1980, 5, 6), seq) for seq in range(60)]
    assert enumeration_signals(T.max_volume + 1, 0, probe, T)[0] == ("volume", "miss_ratio", "sequential")


def test_reasons_have_words() -> None:
    assert set(rules.ENUMERATION_REASONS) == {"volume", "miss_ratio", "sequential"}


# -- shared window counters (frozen time) ----------------------------------------------------------------
@pytest.mark.django_db
def test_counters_sum_calls_and_restart_with_the_window(settings: Any) -> None:
    settings.ZHIXING_ENUMERATION = SMALL
    partner, _ = make_partner("railway")
    ids = [factories.make_id(date(1980, 5, 6), seq=s) for s in range(10)]
    assert enumeration.observe(partner, 10, 0, ids) == ()
    assert enumeration.observe(partner, 10, 0, ids) == ()  # repeats: still 10 distinct numbers
    more = [factories.make_id(date(1980, 5, 6), seq=s) for s in range(10, 20)]
    assert enumeration.observe(partner, 10, 0, more) == ("sequential",)
    assert enumeration.observe(partner, 20, 0, []) == ("miss_ratio", "sequential")  # 50 asked, no hit
    with time_machine.travel(NOW + timedelta(seconds=T.window_seconds), tick=False):
        assert enumeration.observe(partner, 1, 0, ids[:1]) == ()  # a new window
        assert enumeration.observe(partner, 500, 1, []) == ("volume",)
    assert AuditRecord.objects.filter(action=enumeration.ACTION).count() == 1  # once per day


@pytest.mark.django_db
def test_counters_are_per_partner(settings: Any) -> None:
    settings.ZHIXING_ENUMERATION = SMALL
    a, _ = make_partner("railway")
    b, _ = make_partner("airline")
    probe = [factories.make_id(date(1980, 5, 6), seq=s) for s in range(19)]
    assert enumeration.observe(a, 19, 0, probe) == ()
    assert enumeration.observe(b, 1, 0, [factories.make_id(date(1980, 5, 6), seq=19)]) == ()
    assert enumeration.observe(a, 1, 0, [factories.make_id(date(1980, 5, 6), seq=19)]) == ("sequential",)


@pytest.mark.django_db
def test_alert_notifies_every_active_administrator_once_a_day(settings: Any, courts: Any) -> None:
    settings.ZHIXING_ENUMERATION = SMALL
    root = factories.staff(None, "director", username="root", is_superuser=True)
    ops = factories.staff(None, "director", username="ops")
    ops.is_staff = True
    ops.save()
    gone = factories.staff(None, "director", username="gone", is_superuser=True)
    gone.is_active = False
    gone.save()
    judge = factories.staff(courts["th"], "judge", username="j")
    partner, _ = make_partner("railway", "国铁集团")
    assert enumeration.observe(partner, 2001, 0, []) == ("volume", "miss_ratio")
    alerts = Notification.objects.filter(kind=enumeration.NOTIFY_KIND)
    assert sorted(n.recipient_id for n in alerts) == sorted([root.pk, ops.pk])
    assert gone.pk not in {n.recipient_id for n in alerts} and judge.pk not in {
        n.recipient_id for n in alerts
    }
    n = alerts.first()
    assert n is not None and n.url == f"/admin/credit/partner/{partner.pk}/change/"
    assert n.text.startswith("疑似枚举查询：国铁集团（")
    enumeration.observe(partner, 10, 0, [])  # still tripped: no second alert today
    assert alerts.all().count() == 2
    rec = AuditRecord.objects.get(action=enumeration.ACTION)
    assert rec.object_id == str(partner.pk)
    assert rec.after == {
        "partner": "国铁集团",
        "reasons": ["volume", "miss_ratio"],
        "asked": 2001,
        "hits": 0,
        "sequential_share": 0.0,
    }
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        assert enumeration.observe(partner, 2001, 0, []) == ("volume", "miss_ratio")
        assert alerts.all().count() == 4  # the next day: told again


# -- through the real URL ------------------------------------------------------------------------------
def _check(client: Client, key: str, number: str) -> Any:
    return client.post(
        "/api/v1/screening/check",
        data=json.dumps({"id": number}),
        content_type="application/json",
        HTTP_X_PARTNER_KEY=key,
    )


def _admin_list(client: Client, admin: Any) -> str:
    client.force_login(admin)
    page = client.get("/admin/credit/partner/").content.decode()
    client.logout()
    return page


@pytest.mark.django_db
def test_sequential_probing_raises_the_alert_normal_traffic_does_not(client: Client, settings: Any) -> None:
    settings.ZHIXING_ENUMERATION = SMALL
    admin = factories.staff(None, "director", username="root", is_superuser=True)
    admin.is_staff = True
    admin.save()
    honest, hkey = make_partner("railway", "正常铁路")
    prober, pkey = make_partner("airline", "可疑航空")
    for i in range(30):  # normal traffic: different areas and birth dates
        number = factories.make_id(
            date(1960, 1, 1) + timedelta(days=37 * i), area=f"{110101 + 97 * i}", seq=100 + i
        )
        assert _check(client, hkey, number).status_code == 200
    assert not Notification.objects.filter(kind=enumeration.NOTIFY_KIND).exists()
    page = _admin_list(client, admin)
    assert "⚠ 疑似枚举" not in page
    for seq in range(19):  # the same birth date, sequence numbers one after another
        assert _check(client, pkey, factories.make_id(date(1980, 5, 6), seq=seq)).status_code == 200
    assert not Notification.objects.filter(kind=enumeration.NOTIFY_KIND).exists()
    r = client.post(
        "/api/v1/screening/batch",
        data=factories.make_id(date(1980, 5, 6), seq=19),
        content_type="text/plain",
        HTTP_X_PARTNER_KEY=pkey,
        HTTP_ACCEPT="text/csv",
    )
    assert r.status_code == 200
    n = Notification.objects.get(kind=enumeration.NOTIFY_KIND)
    assert n.recipient_id == admin.pk and "可疑航空" in n.text and "身份号码连号或近似连号" in n.text
    rec = AuditRecord.objects.get(action=enumeration.ACTION)
    assert rec.object_id == str(prober.pk) and rec.after["reasons"] == ["sequential"]
    page = _admin_list(client, admin)
    assert page.count("⚠ 疑似枚举") == 1 and "2026-03-10 10:00（身份号码连号或近似连号）" in page
    assert honest.pk != prober.pk


@pytest.mark.django_db
def test_hits_counted_by_one_call_are_read_by_a_later_one(settings: Any) -> None:
    settings.ZHIXING_ENUMERATION = SMALL
    partner, _ = make_partner("railway")
    assert enumeration.observe(partner, 30, 1, []) == ()
    assert enumeration.observe(partner, 20, 0, []) == ()  # 50 asked, 1 hit: not all misses
    other, _ = make_partner("airline")
    assert enumeration.observe(other, 30, 0, []) == ()
    assert enumeration.observe(other, 20, 0, []) == ("miss_ratio",)


@pytest.mark.django_db
def test_a_shared_store_outage_skips_the_detector_not_the_answer(monkeypatch: Any) -> None:
    """Redis restarting while a call is judged: the detector lets the call go unjudged instead of failing the
    partner's answer and its audit record (a screening call answered 500 in the cluster soak)."""
    from redis.exceptions import ConnectionError as RedisConnectionError

    class Down:
        def get(self, *a: Any, **k: Any) -> Any:
            raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        set = add = get

    partner, _ = make_partner("railway")
    monkeypatch.setattr(enumeration, "count_hit", lambda *a, **k: 5000)  # fail-open counters, tripping volume
    monkeypatch.setattr(enumeration, "store", lambda: Down())
    assert enumeration.observe(partner, 2001, 0, []) == ()
    assert not AuditRecord.objects.filter(action=enumeration.ACTION).exists()
