"""Analytics writes follow the capability table (issue 10, finding 21): role × endpoint → status.

Every staff role of the debtor's own court (粤0106) against every analytics write, on the web and the
API: roles with read-only case access (bailiff, finance, the president; the command center except
for the court-wide batch) are refused with 403, whatever the court. Each cell runs on the same data,
rolled back afterwards. The background entry points (import task, batch task) check again when they
run: a right withdrawn after queueing stops the work.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from zhixing.analytics import services
from zhixing.analytics.models import BatchRun, ImportJob
from zhixing.core.errors import NotPermitted
from zhixing.core.models import AuditRecord
from zhixing.courts.roles import Cap, Role, role_can

from .conftest import FIXTURES
from .test_indicators import GENERIC
from .test_permissions import world  # noqa: F401  (fixture)

ROLES = ["clerk", "judge", "assistant", "bailiff", "operator", "finance", "director", "president"]
Call = Callable[[Client, dict[str, Any]], int]


def web_upload(c: Client, w: dict[str, Any]) -> int:
    ref = w["ref"]
    with (FIXTURES / "abc_sample.csv").open("rb") as fh:
        return c.post(
            reverse("analytics:upload", args=[ref.case.pk, ref.party.pk]),
            {"kind": "statement", "preset": w["job"].preset_id, "mode": "strict", "file": fh},
        ).status_code


def api_upload(c: Client, w: dict[str, Any]) -> int:
    ref = w["ref"]
    with (FIXTURES / "abc_sample.csv").open("rb") as fh:
        return c.post(
            f"/api/v1/analytics/cases/{ref.case.pk}/debtors/{ref.party.pk}/imports",
            {"file": fh, "preset": "abc", "mode": "strict"},
        ).status_code


def web_related(c: Client, w: dict[str, Any]) -> int:
    ref = w["ref"]
    url = reverse("analytics:related", args=[ref.case.pk, ref.party.pk])
    return c.post(url, {"name": "李某", "relation": "spouse"}).status_code


def web_compute(c: Client, w: dict[str, Any]) -> int:
    ref = w["ref"]
    url = reverse("analytics:compute", args=[ref.case.pk, ref.party.pk])
    return c.post(url, {"start": "2023-01-01", "end": "2026-01-01"}).status_code


def api_compute(c: Client, w: dict[str, Any]) -> int:
    ref = w["ref"]
    url = f"/api/v1/analytics/cases/{ref.case.pk}/debtors/{ref.party.pk}/profile"
    return c.post(url, {"start": "2023-01-01", "end": "2026-01-01"}, "application/json").status_code


def web_batch(c: Client, w: dict[str, Any]) -> int:
    return c.post(reverse("analytics:batch_start")).status_code


def web_preset(c: Client, w: dict[str, Any]) -> int:
    return c.post(reverse("analytics:presets"), {**GENERIC, "code": "matrix", "name": "矩阵"}).status_code


def api_preset(c: Client, w: dict[str, Any]) -> int:
    return c.post(
        "/api/v1/analytics/presets", {**GENERIC, "code": "matrix", "name": "矩阵"}, "application/json"
    ).status_code


#                      clerk judge assistant bailiff operator finance director president
MATRIX: list[tuple[str, Call, str]] = [
    ("web_upload", web_upload, "302 302 302 403 403 403 302 403"),
    ("api_upload", api_upload, "201 201 201 403 403 403 201 403"),
    ("web_related", web_related, "302 302 302 403 403 403 302 403"),
    ("web_compute", web_compute, "302 302 302 403 403 403 302 403"),
    ("api_compute", api_compute, "201 201 201 403 403 403 201 403"),
    ("web_batch", web_batch, "403 403 403 403 302 403 302 403"),
    ("web_preset", web_preset, "302 302 302 403 403 403 302 403"),
    ("api_preset", api_preset, "201 201 201 403 403 403 201 403"),
]


@pytest.mark.parametrize(("name", "call", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
def test_write_matrix(
    world: dict[str, Any],  # noqa: F811
    people: dict[str, Any],
    name: str,
    call: Call,
    expected: str,
) -> None:
    got = []
    for who in ROLES:
        with transaction.atomic():
            c = Client()
            c.force_login(people[who])
            got.append(str(call(c, world)))
            transaction.set_rollback(True)
    assert " ".join(got) == expected, dict(zip(ROLES, got, strict=True))


@pytest.mark.parametrize("who", ROLES)
def test_services_refuse_what_the_table_does_not_grant(
    world: dict[str, Any],  # noqa: F811
    people: dict[str, Any],
    who: str,
) -> None:
    user, ref = people[who], world["ref"]
    checks = [
        (Cap.ANALYTICS_PROFILE, lambda: services.compute_profile(user, ref, start=date(2023, 1, 1))),
        (Cap.ANALYTICS_IMPORT, lambda: services.add_related_person(user, ref, name="王某", relation="other")),
        (Cap.ANALYTICS_BATCH, lambda: services.create_batch(user)),
        (
            Cap.ANALYTICS_RATE,
            lambda: services.set_exchange_rate(user, currency="EUR", valid_from=date(2026, 1, 1), rate="7.8"),
        ),
    ]
    for cap, call in checks:
        with transaction.atomic():
            if role_can(user.role, cap):
                call()
            else:
                with pytest.raises(NotPermitted):
                    call()
            transaction.set_rollback(True)


def test_the_table_gives_analysis_writes_to_the_handling_team() -> None:
    holders = {cap: {r.value for r in Role if role_can(r, cap)} for cap in Cap.values}
    assert holders[Cap.ANALYTICS_IMPORT] == {"judge", "assistant", "clerk", "director"}
    assert holders[Cap.ANALYTICS_PROFILE] == {"judge", "assistant", "clerk", "director"}
    assert holders[Cap.ANALYTICS_PRESET] == {"judge", "assistant", "clerk", "director"}
    assert holders[Cap.ANALYTICS_BATCH] == {"director", "operator"}
    assert holders[Cap.ANALYTICS_RATE] == {"director", "finance"}
    read_only = {"bailiff", "finance", "president"}
    for cap in (Cap.ANALYTICS_IMPORT, Cap.ANALYTICS_PROFILE, Cap.ANALYTICS_PRESET):
        assert not holders[cap] & read_only


def test_import_task_stops_when_the_uploader_lost_the_right(
    world: dict[str, Any],  # noqa: F811
    people: dict[str, Any],
) -> None:
    judge = people["judge"]
    job = services.create_import(
        judge,
        world["ref"],
        kind="statement",
        file_name="cmb.csv",
        data=(FIXTURES / "cmb_sample.csv").read_bytes(),
        preset=world["job"].preset,
    )
    judge.role = Role.BAILIFF
    judge.save()
    done = services.run_import(job.pk)
    assert (done.status, done.imported) == (ImportJob.Status.REJECTED, 0)
    assert done.errors == [{"row": 0, "reason": "导入人已无导入数据的权限，任务未执行"}]
    assert AuditRecord.objects.filter(action="analytics.import.reject", object_id=str(job.pk)).count() == 1


def test_batch_task_stops_when_the_starter_lost_the_right(
    world: dict[str, Any],  # noqa: F811
    people: dict[str, Any],
) -> None:
    director = people["director"]
    run = services.create_batch(director)
    director.role = Role.JUDGE
    director.save()
    done = services.run_batch(run.pk)
    assert done.status == BatchRun.Status.FAILED and done.processed == 0
    assert AuditRecord.objects.filter(action="analytics.batch.refused", object_id=str(run.pk)).count() == 1


@pytest.mark.parametrize("what", ["bundle"])
def test_every_export_is_audited_once_with_who_what_and_rows(
    world: dict[str, Any],  # noqa: F811
    people: dict[str, Any],
    what: str,
) -> None:
    prof = world["profile"]
    c = Client()
    c.force_login(people["gz_director"])  # a higher court reads, and its download is recorded
    before = AuditRecord.objects.filter(action="analytics.export").count()
    r = c.get(reverse(f"analytics:{what}", args=[prof.pk]))
    assert r.status_code == 200
    recs = list(AuditRecord.objects.filter(action="analytics.export").order_by("id"))[before:]
    assert len(recs) == 1
    rec = recs[0]
    evidence = sum(len(f["evidence"]) + len(f.get("travel_evidence", [])) for f in prof.findings)
    expected = {"bundle": ("evidence.csv", evidence)}[what]
    assert (rec.actor_id, rec.object_id, rec.case_id, rec.chain) == (
        people["gz_director"].pk,
        str(prof.pk),
        world["ref"].case.pk,
        "粤0106",
    )
    assert rec.after == {"what": expected[0], "filter": {}, "rows": expected[1]}
    if what == "bundle":
        assert r.content.decode("utf-8-sig").count("\n") == evidence + 1


def test_a_refused_related_person_or_profile_form_names_its_fields(
    world: dict[str, Any],  # noqa: F811
    people: dict[str, Any],
) -> None:
    """Found by the demo walk: an empty 关联人 form redirected back saying nothing at all, and the profile
    form's errors did not say which field they were about."""
    from django.contrib.messages import get_messages

    from zhixing.analytics.models import RelatedPerson

    ref = world["ref"]
    c = Client()
    c.force_login(people["judge"])
    before = RelatedPerson.objects.count()
    resp = c.post(
        reverse("analytics:related", args=[ref.case.pk, ref.party.pk]), {"name": "", "relation": "x"}
    )
    assert resp.status_code == 302 and RelatedPerson.objects.count() == before
    said = [str(m) for m in get_messages(resp.wsgi_request)]
    assert len(said) == 1 and said[0].startswith("姓名/名称：") and "；关系：" in said[0], said
    resp = c.post(reverse("analytics:compute", args=[ref.case.pk, ref.party.pk]), {"start": "2026-13-45"})
    said = [str(m) for m in get_messages(resp.wsgi_request)]  # the first message was never shown: kept
    assert said[-1] == "分析起始日：输入一个有效的日期。", said
