"""A second possible sighting (疑似出现) of a watched plate within the window raises the alert a sure hit
raises, naming both reads, once per plate and window — replayed batches and concurrent ingest workers
included; the command center can promote one by hand (audited). Time is frozen; the budget is set so that
the one-plate list tolerates no look-alike (every look-alike read is a possible sighting)."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, connections
from django.test import Client

from zhixing.command import dispatch, plate_watchlist, plates, sightings
from zhixing.command.models import Alert, PlateHit
from zhixing.core.models import AuditRecord, Notification

from .test_field_services import post_reads, read

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=TZ)


@pytest.fixture
def strict(settings: Any) -> None:
    """Look-alikes are possible sightings (the budget a one-plate list cannot meet); window 3 h (default)."""
    settings.ZHIXING_COMMAND = {**getattr(settings, "ZHIXING_COMMAND", {}), "plate_false_hit_budget": 1e-9}
    plate_watchlist.invalidate()


def _last_audit() -> int:
    return AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _hits() -> dict[str, int | None]:
    return dict(PlateHit.objects.order_by("read_id").values_list("read_id", "alert_id"))


@pytest.mark.django_db
@pytest.mark.usefixtures("strict")
@time_machine.travel(NOW, tick=False)
def test_a_second_possible_sighting_within_the_window_raises_the_alert_once(
    people: dict[str, Any], field: dict[str, Any]
) -> None:
    first = post_reads(field["key"], [read("a1", seen="2026-12-03T09:00:00+08:00")]).json()
    assert [p["read_id"] for p in first["possible"]] == ["a1"] and first["hits"] == []
    assert Alert.objects.count() == 0 and _hits() == {"a1": None}
    mark = _last_audit()
    # Another car park, another read id, 2 h 30 later (within 3 h), another look-alike misread.
    post_reads(field["key"], [read("a2", plate="粤AB52I8", seen="2026-12-03T11:30:00+08:00", park="P02")])
    alert = Alert.objects.get()
    assert (alert.kind, alert.case, alert.court, alert.handler) == (
        "plate_hit",
        field["case"],
        field["case"].court,
        people["judge"],
    )
    assert alert.subject == "布控车辆 粤AB5218 疑似出现在 体育西停车场"
    assert alert.detail.splitlines() == [
        "疑似出现 2 次（易混字符多于布控名单规模所容许的个数；3 小时内再次出现转为预警）：",
        "2026-12-03 09:00:00 天河城停车场（天河路208号）识别车牌 粤A85Z18（匹配度 0.75），摄像头 C3，"
        "识别记录 广州智慧停车/a1",
        "2026-12-03 11:30:00 体育西停车场（体育西路1号）识别车牌 粤AB52I8（匹配度 0.88），摄像头 C3，"
        "识别记录 广州智慧停车/a2",
    ]
    assert (alert.place, alert.latitude, alert.longitude) == ("体育西停车场（体育西路1号）", 23.135, 113.322)
    assert alert.source_key == f"plate-possible:{field['watch'].pk}:{PlateHit.objects.get(read_id='a1').pk}"
    assert _hits() == {"a1": alert.pk, "a2": alert.pk}
    told = Notification.objects.filter(kind="command.alert", url=f"/command/alerts/{alert.pk}/")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["th_judge", "th_operator"]
    records = AuditRecord.objects.filter(pk__gt=mark).order_by("pk")
    assert list(records.values_list("action", flat=True)) == [
        "command.watch.possible",
        "command.alert.raise",
        "command.watch.promote",
    ]
    assert records.last().after == {  # type: ignore[union-attr]
        "alert": alert.pk,
        "read_ids": ["a1", "a2"],
        "plates": ["粤A85Z18", "粤AB52I8"],
        "joined": False,
        "by_hand": False,
    }
    # The batch replayed: nothing stored, nothing raised.
    again = post_reads(
        field["key"], [read("a2", plate="粤AB52I8", seen="2026-12-03T11:30:00+08:00", park="P02")]
    ).json()
    assert (again["accepted"], again["duplicates"], again["possible"]) == (0, 1, [])
    # A third within the window joins the alert: once per plate and window.
    post_reads(field["key"], [read("a3", seen="2026-12-03T11:50:00+08:00")])
    assert Alert.objects.count() == 1 and _hits()["a3"] == alert.pk
    joined = AuditRecord.objects.filter(action="command.watch.promote").order_by("-pk").first()
    assert joined is not None and joined.after["joined"] is True and joined.after["read_ids"] == ["a3"]
    # One-click dispatch from the promoted alert: the nearest free team, as for a sure hit.
    task = dispatch.dispatch_nearest(people["operator"], alert.pk)
    assert task.team == field["t1"] and task.alert == alert


@pytest.mark.django_db
@pytest.mark.usefixtures("strict")
@time_machine.travel(NOW, tick=False)
def test_sightings_further_apart_than_the_window_stay_possible_and_a_new_window_raises_anew(
    field: dict[str, Any], settings: Any
) -> None:
    post_reads(field["key"], [read("b1", seen="2026-12-02T20:00:00+08:00")])
    post_reads(field["key"], [read("b2", seen="2026-12-02T23:01:00+08:00")])  # 3 h 1 min later
    assert Alert.objects.count() == 0 and _hits() == {"b1": None, "b2": None}
    # Two in one batch, 10 minutes apart, and 8 h after b2: one alert for the two.
    post_reads(
        field["key"],
        [
            read("b3", seen="2026-12-03T07:00:00+08:00"),
            read("b4", plate="粤AB52I8", seen="2026-12-03T07:10:00+08:00", park="P02"),
        ],
    )
    alert = Alert.objects.get()
    assert _hits() == {"b1": None, "b2": None, "b3": alert.pk, "b4": alert.pk}
    # A shorter window (configuration): 10 minutes apart no longer promote.
    settings.ZHIXING_COMMAND = {**settings.ZHIXING_COMMAND, "possible_sighting_promote_hours": 0.1}
    post_reads(field["key"], [read("b5", seen="2026-12-03T10:00:00+08:00")])
    post_reads(field["key"], [read("b6", seen="2026-12-03T10:10:00+08:00", park="P02")])
    assert Alert.objects.count() == 1 and (_hits()["b5"], _hits()["b6"]) == (None, None)
    settings.ZHIXING_COMMAND = {**settings.ZHIXING_COMMAND, "possible_sighting_promote_hours": 0}
    with pytest.raises(ValueError, match="possible_sighting_promote_hours"):
        sightings.promote_window()


@pytest.mark.django_db
@pytest.mark.usefixtures("strict")
@time_machine.travel(NOW, tick=False)
def test_entry_and_exit_reads_at_one_car_park_stay_possible_unless_configured(
    field: dict[str, Any], settings: Any
) -> None:
    """One stay (entry and exit cameras of one car park) is one car seen twice: no alert by default; a
    read at a second car park within the window then promotes all three; one place suffices if set."""
    post_reads(field["key"], [read("e1", seen="2026-12-03T08:00:00+08:00")])
    post_reads(field["key"], [read("e2", plate="粤AB52I8", seen="2026-12-03T09:40:00+08:00")])
    assert Alert.objects.count() == 0 and _hits() == {"e1": None, "e2": None}
    post_reads(field["key"], [read("e3", seen="2026-12-03T10:00:00+08:00", park="P02")])
    alert = Alert.objects.get()
    assert _hits() == {"e1": alert.pk, "e2": alert.pk, "e3": alert.pk}
    settings.ZHIXING_COMMAND = {**settings.ZHIXING_COMMAND, "possible_sighting_promote_places": 1}
    post_reads(field["key"], [read("e4", seen="2026-12-02T19:00:00+08:00")])
    post_reads(field["key"], [read("e5", seen="2026-12-02T19:30:00+08:00")])
    assert Alert.objects.count() == 2 and _hits()["e4"] == _hits()["e5"] != alert.pk
    settings.ZHIXING_COMMAND = {**settings.ZHIXING_COMMAND, "possible_sighting_promote_places": 0}
    with pytest.raises(ValueError, match="possible_sighting_promote_places"):
        sightings.promote_places()


@pytest.mark.django_db
@pytest.mark.usefixtures("strict")
@time_machine.travel(NOW, tick=False)
def test_a_possible_sighting_near_a_sure_hit_joins_its_alert(field: dict[str, Any]) -> None:
    body = post_reads(field["key"], [read("c1", plate="粤AB5218", seen="2026-12-03T11:00:00+08:00")]).json()
    alert_id = body["hits"][0]["alert_id"]
    post_reads(field["key"], [read("c2", seen="2026-12-03T11:20:00+08:00")])
    assert Alert.objects.count() == 1 and _hits() == {"c1": alert_id, "c2": alert_id}


@pytest.mark.django_db
@pytest.mark.usefixtures("strict")
@time_machine.travel(NOW, tick=False)
def test_the_command_center_promotes_a_possible_sighting_by_hand(
    people: dict[str, Any], field: dict[str, Any]
) -> None:
    post_reads(field["key"], [read("d1", seen="2026-12-03T11:00:00+08:00")])
    hit = PlateHit.objects.get(read_id="d1")
    page = _client(people["operator"]).get("/command/watch/").content.decode()
    assert "疑似（未预警）" in page and f'name="sighting" value="{hit.pk}"' in page and "转为预警" in page
    assert _client(people["judge"]).post("/command/watch/promote/", {"sighting": hit.pk}).status_code == 403
    assert (
        _client(people["yx_director"]).post("/command/watch/promote/", {"sighting": hit.pk}).status_code
        == 403
    )
    mark = _last_audit()
    resp = _client(people["operator"]).post("/command/watch/promote/", {"sighting": hit.pk})
    alert = Alert.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/command/alerts/{alert.pk}/"
    assert alert.detail.splitlines()[0] == "疑似出现 1 次，经指挥中心人工转为预警："
    assert _hits() == {"d1": alert.pk}
    promote = AuditRecord.objects.get(pk__gt=mark, action="command.watch.promote")
    assert (promote.actor, promote.after["by_hand"], promote.after["read_ids"]) == (
        people["operator"],
        True,
        ["d1"],
    )
    # Again: refused with a message, nothing changed; an unknown id names the field.
    again = _client(people["operator"]).post("/command/watch/promote/", {"sighting": hit.pk}, follow=True)
    assert "该记录已有预警" in again.content.decode() and Alert.objects.count() == 1
    bad = _client(people["operator"]).post("/command/watch/promote/", {"sighting": "x"}, follow=True)
    assert "请选择要转为预警的疑似出现记录" in bad.content.decode()
    assert AuditRecord.objects.filter(pk__gt=mark, action="command.watch.promote").count() == 1


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@pytest.mark.usefixtures("strict")
def test_concurrent_ingest_workers_raise_one_alert_per_plate_and_window(
    field: dict[str, Any], monkeypatch: Any
) -> None:
    """Two workers (connections) each store one possible sighting of the plate at the same moment, in
    rounds a day apart, each pausing between its insert and its look at the plate's reads: each round
    raises exactly one alert holding both reads — the second worker waits for the first's commit (the
    watched plate's row lock, taken before the insert) and joins nothing twice. Removing that lock does not
    make this test fail today: the batch's `command.watch.possible` audit record takes the platform
    chain's head, which serialises the two workers as well; the plate lock does not rely on it."""
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency needs PostgreSQL (SQLite serialises writers itself)")
    real = sightings.promote_repeats

    def slow(hits: Any) -> Any:
        time.sleep(0.3)  # widen the window between the insert and the read of the plate's reads
        return real(hits)

    monkeypatch.setattr(sightings, "promote_repeats", slow)
    rounds = 6
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def worker(n: int) -> None:
        try:
            for r in range(rounds):
                barrier.wait(timeout=60)
                seen = f"2026-12-{r + 1:02d}T{8 + n:02d}:00:00+08:00"
                park = f"P0{n + 1}"  # two car parks: one stay's two reads are not promoted
                plates.ingest(
                    field["operator"],
                    [
                        {
                            "read_id": f"w{n}-{r}",
                            "plate": "粤A85Z18",
                            "seen_at": seen,
                            "car_park": park,
                        }
                    ],
                )
        except BaseException as exc:
            errors.append(exc)
            barrier.abort()
        finally:
            connections.close_all()

    with time_machine.travel(datetime(2026, 12, 9, 12, 0, tzinfo=TZ), tick=True):
        threads = [threading.Thread(target=worker, args=(n,)) for n in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    assert errors == []
    assert Alert.objects.count() == rounds
    for r in range(rounds):
        ids = set(
            PlateHit.objects.filter(read_id__in=[f"w0-{r}", f"w1-{r}"]).values_list("alert_id", flat=True)
        )
        assert len(ids) == 1 and None not in ids
