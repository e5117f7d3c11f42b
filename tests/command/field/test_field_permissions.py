"""Permission matrix over every alert, vehicle-watch, dispatch and field-app page: 天河 (粤0106) roles, the
粤01 director, the 粤 president, the sibling 粤0104 director, anonymous. 200 page / 302 done / L login /
403 refused / 404 unreadable. Every cell runs on fresh data rolled back afterwards."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from zhixing.command import alerts, dispatch
from zhixing.command.models import FieldTask

# backend_neutral: a role × route matrix decides the same on both databases; the PostgreSQL stage skips it
# (docs/adr/0029-postgresql-stage-runs-what-can-differ.md).
pytestmark = [pytest.mark.django_db, pytest.mark.backend_neutral]

USERS = [
    "clerk",
    "judge",
    "assistant",
    "bailiff",
    "operator",
    "finance",
    "director",
    "president",
    "gz_director",
    "gd_president",
    "yx_director",
    "anon",
]
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def alert(p: dict[str, Any], f: dict[str, Any]) -> int:
    case = f["case"]
    return alerts.raise_alert(
        "plate_hit",
        case.court,
        case,
        "布控车辆",
        "",
        None,
        f"t:{case.pk}",
        place="天河城",
        latitude=23.13,
        longitude=113.32,
    ).alert.pk


def task(p: dict[str, Any], f: dict[str, Any]) -> FieldTask:
    return dispatch.create_task(
        p["operator"],
        dispatch.TaskData(
            kind="seal",
            team_id=f["t1"].pk,
            target="厂房",
            place="黄埔",
            starts_at=NOW,
            ends_at=NOW + timedelta(hours=2),
            case=f["case"],
        ),
    )


def simple(name: str) -> Any:
    return lambda p, f: (reverse(name), {})


def on_alert(name: str, data: dict[str, str] | None = None) -> Any:
    return lambda p, f: (reverse(name, args=[alert(p, f)]), data or {})


def on_task(name: str, data: dict[str, str] | None = None) -> Any:
    return lambda p, f: (reverse(name, args=[task(p, f).pk]), data or {})


def sighting(p: dict[str, Any], f: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A possible sighting of the watched plate (no alert) to promote by hand."""
    from django.utils import timezone

    from zhixing.command.models import PlateHit

    hit = PlateHit.objects.create(
        operator=f["operator"],
        read_id=f"perm-{PlateHit.objects.count()}",
        plate_read="粤A85Z18",
        watch=f["watch"],
        score=0.75,
        seen_at=timezone.now(),
        car_park=f["park"],
    )
    return reverse("command_watch_promote"), {"sighting": str(hit.pk)}


def case_field(p: dict[str, Any], f: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return reverse("command_case_field", args=[f["case"].pk]), {}


WATCHERS = "403 403 403 403 200 403 200 200 200 200 200 L"
MATRIX = [
    ("alerts", "GET", simple("command_alerts"), WATCHERS),
    ("my_alerts", "GET", simple("command_my_alerts"), "200 200 200 200 200 200 200 200 200 200 200 L"),
    # The judge is the case's handler: the alert is routed to them.
    ("alert", "GET", on_alert("command_alert"), "404 200 404 404 200 404 200 200 200 200 404 L"),
    (
        "alert_step",
        "POST",
        on_alert("command_alert_step", {"action": "acknowledge"}),
        "404 302 404 404 302 404 302 302 403 403 404 L",
    ),
    (
        "alert_dispatch",
        "POST",
        on_alert("command_alert_dispatch"),
        "404 403 404 404 302 404 302 403 403 403 404 L",
    ),
    ("watch", "GET", simple("command_watch"), WATCHERS),
    ("watch_sync", "POST", simple("command_watch_sync"), "403 403 403 403 302 403 302 302 302 302 302 L"),
    # The higher courts' command centers read 天河's watch but only 天河's own promotes its sightings.
    ("watch_promote", "POST", sighting, "403 403 403 403 302 403 302 302 403 403 403 L"),
    ("tasks", "GET", simple("command_tasks"), "403 403 403 403 200 403 200 403 200 403 200 L"),
    # The bailiff is on team 1 (the task's team); the judge and assistant have no team.
    ("task", "GET", on_task("command_task"), "404 404 404 200 200 404 200 200 200 200 404 L"),
    (
        "task_instruct",
        "POST",
        on_task("command_task_instruct", {"note": "注意安全"}),
        "404 404 404 403 302 404 302 403 403 403 404 L",
    ),
    (
        "task_status",
        "POST",
        on_task("command_task_status", {"status": "en_route"}),
        "404 404 404 302 302 404 302 403 403 403 404 L",
    ),
    ("field", "GET", simple("command_field"), "403 200 200 200 403 403 403 403 403 403 403 L"),
    ("field_task", "GET", on_task("command_field_task"), "403 404 404 200 403 403 403 403 403 403 403 L"),
    ("case_field", "GET", case_field, "200 200 200 200 200 200 200 200 200 200 404 L"),
]


def outcome(resp: Any) -> str:
    if resp.status_code == 302:
        return "L" if "/login/" in resp["Location"] else "302"
    return str(resp.status_code)


@pytest.mark.parametrize(("name", "method", "setup", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
def test_matrix(
    people: dict[str, Any], field: dict[str, Any], name: str, method: str, setup: Any, expected: str
) -> None:
    got = []
    for who in USERS:
        with transaction.atomic():
            url, data = setup(people, field)
            client = Client()
            if who != "anon":
                client.force_login(people[who])
            resp = client.post(url, data) if method == "POST" else client.get(url)
            got.append(outcome(resp))
            transaction.set_rollback(True)
    assert " ".join(got) == expected, dict(zip(USERS, got, strict=True))


def test_api_and_upload_permissions(people: dict[str, Any], field: dict[str, Any]) -> None:
    pk = alert(people, field)
    t = task(people, field)
    for who, n in [("operator", 1), ("judge", 1), ("clerk", 0), ("yx_director", 0), ("gz_director", 1)]:
        c = Client()
        c.force_login(people[who])
        assert len(c.get("/api/v1/command/alerts?after=0").json()["alerts"]) == n, who
    assert Client().get("/api/v1/command/alerts").status_code == 401
    c = Client()
    c.force_login(people["clerk"])
    step = c.post(
        f"/api/v1/command/alerts/{pk}/steps", {"action": "acknowledge"}, content_type="application/json"
    )
    assert step.status_code == 404
    c.force_login(people["judge"])
    ok = c.post(
        f"/api/v1/command/alerts/{pk}/steps", {"action": "acknowledge"}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["status"] == "acknowledged"
    body = {
        "filename": "a.jpg",
        "content_type": "image/jpeg",
        "size": 3,
        "sha256": "a" * 64,
        "captured_at": "2026-12-03T09:00:00+08:00",
    }
    for who, status in [("bailiff", 201), ("judge", 404), ("yx_director", 404)]:
        c.force_login(people[who])
        r = c.post(f"/command/field/tasks/{t.pk}/uploads/", body, content_type="application/json")
        assert r.status_code == status, who
    assert (
        Client()
        .post(f"/command/field/tasks/{t.pk}/uploads/", body, content_type="application/json")
        .status_code
        == 302
    )


def test_alert_list_keeps_a_query_budget(
    people: dict[str, Any], field: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    case = field["case"]
    for i in range(5):
        alerts.raise_alert("node_overdue", case.court, case, f"节点{i}", "", None, f"n:{i}")
    c = Client()
    c.force_login(people["operator"])
    with django_assert_max_num_queries(10):
        assert c.get(reverse("command_alerts")).content.decode().count('data-testid="alert-row"') == 5


def test_an_upload_file_name_holding_a_control_character_is_refused_naming_it(
    people: dict[str, Any], field: dict[str, Any]
) -> None:
    """The name is stored as sent: a NUL in it (\\u0000 in the JSON) would fail the insert on PostgreSQL."""
    from zhixing.command.models.dispatch import EvidenceUpload

    t = task(people, field)
    c = Client()
    c.force_login(people["bailiff"])
    body = {
        "filename": "a\x00.jpg",
        "content_type": "image/jpeg",
        "size": 3,
        "sha256": "a" * 64,
        "captured_at": "2026-12-03T09:00:00+08:00",
    }
    r = c.post(f"/command/field/tasks/{t.pk}/uploads/", body, content_type="application/json")
    assert r.status_code == 422
    assert r.json()["field"] == "filename"
    assert r.json()["detail"] == "参数“filename”含有不允许的控制字符（U+0000）"
    assert EvidenceUpload.objects.count() == 0
