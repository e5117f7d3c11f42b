"""Alerts, plate ingest, dispatch and field evidence through their services and the ingest URL."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from zhixing.command import alert_feeds, alerts, dispatch, plate_watchlist
from zhixing.command.models import Alert, AlertStep, Evidence, FieldTask, PlateHit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.models import AuditRecord, Notification

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=TZ)


def post_reads(key: str, reads: Any) -> Any:
    return Client().post(
        "/api/v1/command/plate-reads",
        {"reads": reads},
        content_type="application/json",
        HTTP_X_PARTNER_KEY=key,
    )


def read(
    read_id: str, plate: str = "粤A85Z18", seen: str = "2026-12-03T09:58:00+08:00", park: str = "P01"
) -> dict[str, str]:
    return {"read_id": read_id, "plate": plate, "seen_at": seen, "car_park": park, "camera": "C3"}


@time_machine.travel(NOW, tick=False)
def test_raise_alert_is_idempotent_and_steps_are_audited(
    people: dict[str, Any], field: dict[str, Any]
) -> None:
    case = field["case"]
    first = alerts.raise_alert("node_overdue", case.court, case, "节点超期", "详情", None, "node:1:overdue")
    again = alerts.raise_alert("node_overdue", case.court, case, "节点超期", "详情", None, "node:1:overdue")
    assert first.created and not again.created and again.alert.pk == first.alert.pk
    assert first.alert.handler == people["judge"]  # routed to the case handler
    with pytest.raises(NotPermitted):
        alerts.step(people["clerk"], first.alert.pk, "acknowledge")
    with pytest.raises(ServiceError, match="请填写处置情况"):
        alerts.step(people["judge"], first.alert.pk, "close", " ")
    alerts.step(people["judge"], first.alert.pk, "acknowledge")
    alerts.step(people["operator"], first.alert.pk, "act", "已电话催办")
    alerts.step(people["judge"], first.alert.pk, "close", "节点已办理")
    with pytest.raises(Conflict):
        alerts.step(people["judge"], first.alert.pk, "act", "再处理")
    assert [s.action for s in AlertStep.objects.filter(alert=first.alert)] == [
        "raise",
        "acknowledge",
        "act",
        "close",
    ]
    actions = list(
        AuditRecord.objects.filter(object_type="command.alert")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "command.alert.raise",
        "command.alert.acknowledge",
        "command.alert.act",
        "command.alert.close",
    ]
    # The catch-up cursor: a screen that saw nothing gets it; one that saw it gets nothing.
    rows, nxt = alerts.since(people["operator"], 0)
    assert [a.pk for a in rows] == [first.alert.pk] and nxt == first.alert.pk
    assert alerts.since(people["operator"], nxt) == ([], nxt)
    assert alerts.since(people["yx_director"], 0)[0] == []  # another court's command center sees none


@time_machine.travel(NOW, tick=False)
def test_sweep_raises_each_domain_warning_once(people: dict[str, Any], field: dict[str, Any]) -> None:
    from zhixing.cases.models import Alert as NodeAlert
    from zhixing.cases.models import Node

    case = field["case"]
    node = Node.objects.filter(case=case, status=Node.Status.PENDING).first()
    assert node is not None
    NodeAlert.objects.create(
        node=node,
        case=case,
        court=case.court,
        handler=people["judge"],
        level=2,
        due_on=date(2026, 12, 1),
        raised_at=NOW,
    )
    assert alert_feeds.sweep(date(2026, 12, 3)) == {"node_overdue": 1}
    assert alert_feeds.sweep(date(2026, 12, 3)) == {}
    a = Alert.objects.get(kind="node_overdue")
    assert a.handler == people["judge"] and a.source_key == f"node:{node.pk}:overdue"


@time_machine.travel(NOW, tick=False)
def test_plate_ingest_errors_duplicates_and_hit(people: dict[str, Any], field: dict[str, Any]) -> None:
    assert post_reads("zxp_unknown", [read("r1")]).status_code == 401
    resp = post_reads(
        field["key"],
        [
            read("r1"),  # 粤A85Z18 is the watched 粤AB5218 with B→8 and 2→Z
            read("r2", plate="AB12345"),
            read("r3", seen="yesterday"),
            read("r4", plate="湘C12345"),  # an unwatched car: accepted, nothing kept
            read("r1"),  # replayed within the batch
            read("r5", plate="粤AB5218", park="P99"),
        ],
    )
    body = resp.json()
    assert resp.status_code == 200
    assert (body["accepted"], body["duplicates"], body["rejected"]) == (2, 1, 3)
    assert [(e["row"], e["field"]) for e in body["errors"]] == [(1, "plate"), (2, "seen_at"), (5, "car_park")]
    assert "首字不是省份简称" in body["errors"][0]["detail"]
    assert [h["plate"] for h in body["hits"]] == ["粤AB5218"] and body["hits"][0]["score"] == 0.75
    alert = Alert.objects.get(pk=body["hits"][0]["alert_id"])
    assert alert.kind == "plate_hit" and alert.case == field["case"] and alert.handler == people["judge"]
    assert alert.place == "天河城停车场（天河路208号）" and alert.latitude == 23.132
    told = Notification.objects.filter(kind="command.alert", url=f"/command/alerts/{alert.pk}/")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["th_judge", "th_operator"]
    again = post_reads(field["key"], [read("r1")]).json()  # the whole batch replayed later
    assert (again["accepted"], again["duplicates"], again["hits"]) == (0, 1, [])
    assert PlateHit.objects.count() == 1 and Alert.objects.filter(kind="plate_hit").count() == 1
    bad = Client().post(
        "/api/v1/command/plate-reads", "{", content_type="application/json", HTTP_X_PARTNER_KEY=field["key"]
    )
    assert bad.status_code == 422 and bad.json()["field"] == "reads"
    shape = Client().post(
        "/api/v1/command/plate-reads", [], content_type="application/json", HTTP_X_PARTNER_KEY=field["key"]
    )
    assert shape.status_code == 422 and shape.json()["detail"] == '请求体须为 {"reads": [...]}'
    text = Client().post(
        "/api/v1/command/plate-reads", "x", content_type="text/plain", HTTP_X_PARTNER_KEY=field["key"]
    )
    assert text.status_code == 415 and text.json()["code"] == "unsupported_media_type"
    unknown = post_reads("zxp_unknown", [read("r9")])
    assert unknown.json() == {
        "detail": "停车场运营方密钥无效或已吊销（请求头 X-Partner-Key）",
        "field": None,
        "code": "partner_key",
    }
    assert resp["Content-Type"] == "application/json; charset=utf-8" and resp["X-Frame-Options"] == "DENY"


@time_machine.travel(NOW, tick=False)
def test_a_control_character_in_a_matched_read_is_a_row_error_and_nothing_is_stored(
    field: dict[str, Any],
) -> None:
    """A NUL in the read id or camera of a read that matches the watchlist would be stored with the hit
    (a 500 on PostgreSQL): the row is refused naming the field, the batch's other reads go on."""
    body = post_reads(
        field["key"],
        [read("n\x00ul"), {**read("r7"), "camera": "C\x1b3"}, read("r8", plate="湘C12345", park="P01")],
    ).json()
    assert (body["accepted"], body["rejected"], body["hits"]) == (1, 2, [])
    assert [(e["row"], e["field"], e["read_id"]) for e in body["errors"]] == [
        (0, "read_id", ""),
        (1, "camera", ""),
    ]
    assert body["errors"][0]["detail"] == "“read_id”含有不允许的控制字符（如空字符NUL）"
    assert not PlateHit.objects.exists() and not Alert.objects.filter(kind="plate_hit").exists()


@time_machine.travel(NOW, tick=False)
def test_look_alikes_beyond_the_lists_tolerance_are_possible_sightings(
    people: dict[str, Any], field: dict[str, Any], settings: Any
) -> None:
    """With a budget the one-plate list cannot meet for two look-alikes, 粤A85Z18 is a possible
    sighting: kept, audited once per batch, no alert and no notification; the exact plate still alerts."""
    settings.ZHIXING_COMMAND = {**getattr(settings, "ZHIXING_COMMAND", {}), "plate_false_hit_budget": 1e-9}
    plate_watchlist.invalidate()
    mark = AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    # Hours apart (beyond the promotion window, sightings.py): each stays on its own.
    body = post_reads(
        field["key"],
        [
            read("p1"),
            read("p2", plate="粤AB52I8", seen="2026-12-03T03:00:00+08:00"),
            read("p3", plate="粤AB5218", seen="2026-12-02T20:00:00+08:00"),
        ],
    ).json()
    assert body["possible"] == [
        {"read_id": "p1", "plate": "粤AB5218", "score": 0.75},
        {"read_id": "p2", "plate": "粤AB5218", "score": 0.875},
    ]
    assert [(h["read_id"], h["score"]) for h in body["hits"]] == [("p3", 1.0)]
    kept = PlateHit.objects.order_by("read_id")
    assert [(h.read_id, h.alert_id is None) for h in kept] == [("p1", True), ("p2", True), ("p3", False)]
    assert Alert.objects.filter(kind="plate_hit").count() == 1
    assert (
        Notification.objects.filter(kind="command.alert").count() == 2
    )  # the exact hit's judge and operator
    actions = list(AuditRecord.objects.filter(pk__gt=mark).order_by("pk").values_list("action", flat=True))
    assert actions == ["command.alert.raise", "command.watch.possible"]
    possible = AuditRecord.objects.get(pk__gt=mark, action="command.watch.possible")
    assert possible.after == {"read_ids": ["p1", "p2"], "plates": ["粤A85Z18", "粤AB52I8"]}
    again = post_reads(field["key"], [read("p1")]).json()  # a replayed possible sighting: nothing twice
    assert (again["accepted"], again["duplicates"], again["possible"]) == (0, 1, [])


@time_machine.travel(NOW, tick=False)
def test_one_click_dispatch_goes_to_the_nearest_free_team_and_conflicts_show(
    people: dict[str, Any], field: dict[str, Any]
) -> None:
    hit = post_reads(field["key"], [read("r1")]).json()["hits"][0]
    with pytest.raises(NotPermitted):
        dispatch.dispatch_nearest(people["judge"], hit["alert_id"])
    task = dispatch.dispatch_nearest(people["operator"], hit["alert_id"])
    assert task.team == field["t1"] and task.kind == "seize_vehicle" and task.vehicle == field["vehicle"]
    assert list(task.bailiffs.all()) == [people["bailiff"]]
    assert Alert.objects.get(pk=hit["alert_id"]).status == "acting"
    # Team 1 is now busy: the next nearest free team is team 2; a second task with the same vehicle conflicts.
    assert dispatch.nearest_team(task.court, 23.132, 113.327)[0] == field["t2"]  # type: ignore[index]
    other = dispatch.create_task(
        people["operator"],
        dispatch.TaskData(
            kind="serve",
            team_id=field["t2"].pk,
            target="送达",
            place="从化",
            starts_at=NOW + timedelta(hours=1),
            ends_at=NOW + timedelta(hours=3),
            vehicle_id=field["vehicle"].pk,
            bailiff_ids=(people["bailiff"].pk,),
        ),
    )
    assert [(t.pk, what) for t, what in dispatch.conflicts(other)] == [
        (task.pk, "车辆 粤A00001，司法警察 " + people["bailiff"].full_name)
    ]
    with pytest.raises(ServiceError, match="晚于开始时间"):
        dispatch.create_task(
            people["operator"],
            dispatch.TaskData(
                kind="serve", team_id=field["t2"].pk, target="x", place="y", starts_at=NOW, ends_at=NOW
            ),
        )
    with pytest.raises(NotPermitted):
        dispatch.move(field["b2"], task.pk, "en_route")  # another team's bailiff
    dispatch.move(people["bailiff"], task.pk, "en_route")
    with pytest.raises(Conflict):
        dispatch.move(people["bailiff"], task.pk, "en_route")
    assert [t.pk for t in dispatch.my_tasks_today(people["bailiff"])] == [task.pk, other.pk]


@time_machine.travel(NOW, tick=False)
def test_resumable_upload_hash_refusal_and_altered_file(
    people: dict[str, Any], field: dict[str, Any], settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    task = dispatch.create_task(
        people["operator"],
        dispatch.TaskData(
            kind="seal",
            team_id=field["t1"].pk,
            target="厂房",
            place="黄埔",
            starts_at=NOW,
            ends_at=NOW + timedelta(hours=2),
            case=field["case"],
        ),
    )
    c = Client()
    c.force_login(people["bailiff"])
    data = b"\xff\xd8photo" * 5000
    start = c.post(
        f"/command/field/tasks/{task.pk}/uploads/",
        {
            "filename": "seal.jpg",
            "content_type": "image/jpeg",
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "captured_at": "2026-12-03T09:50:00+08:00",
            "latitude": 23.1,
            "longitude": 113.4,
        },
        content_type="application/json",
    )
    assert start.status_code == 201
    url = f"/command/field/uploads/{start.json()['token']}/"
    assert (
        c.put(f"{url}?offset=0", data[:10000], content_type="application/octet-stream").json()["received"]
        == 10000
    )
    # The connection dropped after the first chunk; a retry at a stale offset is told where to resume.
    stale = c.put(f"{url}?offset=0", data[:10000], content_type="application/octet-stream")
    assert stale.status_code == 409 and "10000" in stale.json()["detail"]
    assert c.get(url).json()["received"] == 10000
    done = c.put(f"{url}?offset=10000", data[10000:], content_type="application/octet-stream").json()
    ev = Evidence.objects.get(pk=done["evidence"]["id"])
    assert ev.sha256 == hashlib.sha256(data).hexdigest() and ev.case == field["case"] and ev.latitude == 23.1
    assert AuditRecord.objects.get(pk=ev.audit_id).after["sha256"] == ev.sha256
    from zhixing.command import field as field_mod

    assert field_mod.verify(ev).ok
    (tmp_path / "field-evidence" / ev.stored_as).write_bytes(data[:-1] + b"X")  # altered afterwards
    assert field_mod.verify(ev) == field_mod.Verification(False, "证据文件内容已被改动（哈希不一致）")
    # A declared hash that the bytes do not match is refused and nothing is recorded.
    start = c.post(
        f"/command/field/tasks/{task.pk}/uploads/",
        {
            "filename": "x.jpg",
            "content_type": "image/jpeg",
            "size": 4,
            "sha256": "0" * 64,
            "captured_at": "2026-12-03T09:50:00+08:00",
        },
        content_type="application/json",
    )
    bad = c.put(
        f"/command/field/uploads/{start.json()['token']}/?offset=0",
        b"abcd",
        content_type="application/octet-stream",
    )
    assert bad.status_code == 422 and bad.json()["field"] == "sha256"
    assert Evidence.objects.count() == 1
    # The operator sees it on the case.
    op = Client()
    op.force_login(people["operator"])
    page = op.get(f"/command/cases/{field['case'].pk}/field/").content.decode()
    assert ev.sha256 in page and "证据文件内容已被改动" in page
    assert FieldTask.objects.count() == 1
