"""Statement layouts (版式预设) belong to their court (issue 10, finding 8).

粤0106 (天河) and 粤0104 (越秀) are siblings under 粤01 (广州中院); 粤0304 (福田) is under 粤03. A court
sees and changes only its own layouts; 粤01 shares one layout with the courts below it (they use it,
read-only) and keeps another to itself; built-in layouts are read-only for every court. Web pages and
the API answer the same: another court's own layout is a 404 (not even its code is told), a usable
read-only one a 403.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests import factories
from zhixing.analytics import queries, services
from zhixing.analytics.models import ImportJob, StatementPreset
from zhixing.analytics.presets import BUILTIN
from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.models import AuditRecord
from zhixing.courts.models import Staff

from .conftest import FIXTURES
from .test_indicators import GENERIC

API = "/api/v1/analytics/presets"
ABC_LAYOUT = dict(BUILTIN["abc"])


def layout(**kw: Any) -> dict[str, Any]:
    return {**GENERIC, **kw}


@pytest.fixture
def world(people: dict[str, Any], presets: dict[str, Any]) -> dict[str, Any]:
    return {
        "th": services.save_preset(people["judge"], layout(name="天河自定义", code="thbank")),
        "yx": services.save_preset(people["yx_judge"], layout(name="越秀自定义", code="yxbank")),
        "gz_shared": services.save_preset(
            people["gz_director"], layout(name="广州中院共享", code="gzbank", shared=True)
        ),
        "gz_private": services.save_preset(people["gz_director"], layout(name="广州中院自用", code="gzown")),
        "alipay": presets["alipay"],
    }


def client(people: dict[str, Any], who: str) -> Client:
    c = Client()
    c.force_login(people[who])
    return c


def snapshot(p: StatementPreset) -> tuple[Any, ...]:
    p.refresh_from_db()
    return (p.name, p.code, p.date_column, p.shared, p.court_id)


def page(c: Client) -> str:
    r = c.get(reverse("analytics:presets"))
    assert r.status_code == 200
    return r.content.decode()


def api_codes(c: Client) -> dict[str, bool]:
    r = c.get(API)
    assert r.status_code == 200
    return {p["code"]: p["editable"] for p in r.json()}


@pytest.mark.parametrize(
    ("who", "target"),
    [
        ("yx_judge", "th"),
        ("yx_director", "th"),
        ("judge", "yx"),
        ("judge", "gz_private"),
        ("ft_director", "gz_shared"),
    ],
)
def test_another_courts_layout_is_invisible_and_untouchable(
    world: dict[str, Any], people: dict[str, Any], who: str, target: str
) -> None:
    p = world[target]
    before = snapshot(p)
    c = client(people, who)
    assert p.name not in page(c) and p.code not in api_codes(c)
    edit = reverse("analytics:preset_edit", args=[p.pk])
    assert c.get(edit).status_code == 404
    assert c.post(edit, {**layout(name="改名", code=p.code)}).status_code == 404
    assert c.post(reverse("analytics:preset_delete", args=[p.pk])).status_code == 404
    assert c.put(f"{API}/{p.pk}", layout(name="改名", code=p.code), "application/json").status_code == 404
    assert c.delete(f"{API}/{p.pk}").status_code == 404
    assert queries.preset(people[who], p.pk) is None and queries.preset_by_code(people[who], p.code) is None
    with pytest.raises(NotPermitted):
        services.save_preset(people[who], layout(name="改名"), p)
    with pytest.raises(NotPermitted):
        services.delete_preset(people[who], p)
    assert snapshot(p) == before


@pytest.mark.parametrize(
    ("who", "target"), [("judge", "gz_shared"), ("yx_judge", "gz_shared"), ("judge", "alipay")]
)
def test_shared_and_builtin_layouts_are_used_read_only(
    world: dict[str, Any], people: dict[str, Any], who: str, target: str
) -> None:
    p = world[target]
    before = snapshot(p)
    c = client(people, who)
    html = page(c)
    assert f'data-preset="{p.pk}" data-editable="0"' in html
    assert api_codes(c)[p.code] is False
    edit = reverse("analytics:preset_edit", args=[p.pk])
    shown = c.get(edit)
    assert shown.status_code == 200 and "（只读）" in shown.content.decode()
    assert 'id="preset-form"' not in shown.content.decode()
    assert c.post(edit, layout(name="改名", code=p.code)).status_code == 403
    assert c.post(reverse("analytics:preset_delete", args=[p.pk])).status_code == 403
    assert c.put(f"{API}/{p.pk}", layout(name="改名", code=p.code), "application/json").status_code == 403
    assert c.delete(f"{API}/{p.pk}").status_code == 403
    assert snapshot(p) == before
    assert queries.preset_by_code(people[who], p.code) == p


def test_a_subordinate_court_imports_with_a_shared_layout(
    world: dict[str, Any], people: dict[str, Any], debtor: Any
) -> None:
    shared = services.save_preset(
        people["gz_director"], {**ABC_LAYOUT, "name": "农行明细（共享）", "code": "gzabc", "shared": True}
    )
    abc = (FIXTURES / "abc_sample.csv").read_bytes()
    c = client(people, "judge")
    url = reverse("analytics:upload", args=[debtor.case.pk, debtor.party.pk])
    with (FIXTURES / "abc_sample.csv").open("rb") as fh:
        r = c.post(url, {"kind": "statement", "preset": shared.pk, "mode": "strict", "file": fh})
    assert r.status_code == 302
    assert ImportJob.objects.filter(preset=shared, party=debtor.party).count() == 1
    with (FIXTURES / "abc_sample.csv").open("rb") as fh:
        api = c.post(
            f"/api/v1/analytics/cases/{debtor.case.pk}/debtors/{debtor.party.pk}/imports",
            {"file": fh, "preset": "gzabc", "mode": "strict"},
        )
    assert api.status_code == 201
    job = services.create_import(
        people["judge"], debtor, kind="statement", file_name="a.csv", data=abc, preset=shared
    )
    assert job.preset_id == shared.pk


def test_another_courts_layout_cannot_be_imported_with(
    world: dict[str, Any], people: dict[str, Any], debtor: Any
) -> None:
    other = world["yx"]
    c = client(people, "judge")
    with (FIXTURES / "abc_sample.csv").open("rb") as fh:
        r = c.post(
            reverse("analytics:upload", args=[debtor.case.pk, debtor.party.pk]),
            {"kind": "statement", "preset": other.pk, "mode": "strict", "file": fh},
        )
    assert r.status_code == 302  # back to the page with the form's error
    with (FIXTURES / "abc_sample.csv").open("rb") as fh:
        api = c.post(
            f"/api/v1/analytics/cases/{debtor.case.pk}/debtors/{debtor.party.pk}/imports",
            {"file": fh, "preset": other.code, "mode": "strict"},
        )
    assert api.status_code == 422 and api.json()["field"] == "preset"
    with pytest.raises(ServiceError) as exc:
        services.create_import(
            people["judge"], debtor, kind="statement", file_name="a", data=b"x", preset=other
        )
    assert exc.value.field == "preset"
    assert ImportJob.objects.filter(preset=other).count() == 0


def test_own_courts_layouts_are_kept_by_its_staff(world: dict[str, Any], people: dict[str, Any]) -> None:
    own = world["th"]
    clerk = client(people, "clerk")  # a colleague of the judge who defined it
    assert api_codes(clerk)["thbank"] is True
    r = clerk.put(f"{API}/{own.pk}", layout(name="天河自定义（改）", code="thbank"), "application/json")
    assert r.status_code == 200 and r.json()["editable"] is True and r.json()["court"] == "粤0106"
    web = clerk.post(
        reverse("analytics:preset_edit", args=[own.pk]), layout(name="天河自定义（再改）", code="thbank")
    )
    assert web.status_code == 302
    assert snapshot(own)[:2] == ("天河自定义（再改）", "thbank")
    saves = AuditRecord.objects.filter(action="analytics.preset.save", object_id=str(own.pk)).order_by("id")
    assert [(a.chain, a.before["name"] if a.before else None, a.after["name"]) for a in saves] == [
        ("粤0106", None, "天河自定义"),
        ("粤0106", "天河自定义", "天河自定义（改）"),
        ("粤0106", "天河自定义（改）", "天河自定义（再改）"),
    ]
    created = clerk.post(API, layout(name="天河第二版式", code="thbank2"), "application/json")
    assert created.status_code == 201 and created.json()["court"] == "粤0106"
    assert clerk.delete(f"{API}/{created.json()['id']}").status_code == 204
    assert not StatementPreset.objects.filter(code="thbank2").exists()
    assert AuditRecord.objects.filter(action="analytics.preset.delete").count() == 1


def test_a_used_layout_is_not_deleted(world: dict[str, Any], people: dict[str, Any], debtor: Any) -> None:
    own = services.save_preset(people["judge"], {**ABC_LAYOUT, "name": "农行", "code": "abc2"})
    services.create_import(
        people["judge"],
        debtor,
        kind="statement",
        file_name="a.csv",
        data=(FIXTURES / "abc_sample.csv").read_bytes(),
        preset=own,
    )
    with pytest.raises(Conflict):
        services.delete_preset(people["judge"], own)
    r = client(people, "judge").delete(f"{API}/{own.pk}")
    assert r.status_code == 409 and StatementPreset.objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize("who", ["bailiff", "finance", "operator", "president"])
def test_roles_without_the_layout_capability_define_none(
    world: dict[str, Any], people: dict[str, Any], who: str
) -> None:
    c = client(people, who)
    assert c.post(API, layout(name="新版式", code="newone"), "application/json").status_code == 403
    assert c.post(reverse("analytics:presets"), layout(name="新版式", code="newone")).status_code == 403
    assert (
        c.put(f"{API}/{world['th'].pk}", layout(name="x", code="thbank"), "application/json").status_code
        == 403
    )
    assert not StatementPreset.objects.filter(code="newone").exists()
    assert "您的岗位不能维护流水版式" in page(c)


def test_words_are_unique_among_the_layouts_a_court_can_use(
    world: dict[str, Any], people: dict[str, Any]
) -> None:
    judge = people["judge"]
    for code, field in [("alipay", "code"), ("gzbank", "code"), ("thbank", "code")]:
        with pytest.raises(ServiceError) as exc:
            services.save_preset(judge, layout(name=f"新{code}", code=code))
        assert exc.value.field == field
    with pytest.raises(ServiceError) as exc:
        services.save_preset(judge, layout(name="广州中院共享", code="fresh"))
    assert exc.value.field == "name"
    # Another court's own words are not the court's business: 越秀 has "yxbank", 天河 may too.
    mine = services.save_preset(judge, layout(name="越秀自定义", code="yxbank"))
    assert queries.preset_by_code(judge, "yxbank") == mine
    assert queries.preset_by_code(people["yx_judge"], "yxbank") == world["yx"]


def test_only_a_court_with_subordinates_shares(world: dict[str, Any], people: dict[str, Any]) -> None:
    with pytest.raises(ServiceError) as exc:
        services.save_preset(people["judge"], layout(name="想共享", code="share", shared=True))
    assert exc.value.field == "shared"
    gz = services.save_preset(people["gz_director"], layout(name="再共享", code="share", shared=True))
    assert {p.pk for p in queries.presets(people["yx_judge"])} >= {gz.pk, world["gz_shared"].pk}
    assert gz.pk not in {p.pk for p in queries.presets(people["ft_director"])}


def test_an_administrator_shares_and_changes_built_ins_in_admin(
    world: dict[str, Any], people: dict[str, Any]
) -> None:
    admin = Staff.objects.create_superuser("root", password=factories.PASSWORD)
    c = Client()
    c.force_login(admin)
    p = world["gz_private"]
    url = reverse("admin:analytics_statementpreset_change", args=[p.pk])
    form = {
        k: ("on" if v is True else "" if v is False else v)
        for k, v in {**layout(name="广州中院自用", code="gzown"), "court": p.court_id, "shared": True}.items()
    }
    form = {k: v for k, v in form.items() if v != ""}
    assert c.post(url, form).status_code == 302
    assert snapshot(p)[3] is True
    assert p.pk in {x.pk for x in queries.presets(people["judge"])}
    rec = AuditRecord.objects.filter(action="admin.change", object_id=str(p.pk)).get()
    assert rec.before["shared"] is False and rec.after["shared"] is True


def test_migration_gives_existing_layouts_to_the_court_that_defined_them(
    people: dict[str, Any], presets: dict[str, Any]
) -> None:
    migration = importlib.import_module("zhixing.analytics.migrations.0004_preset_court_scope")
    legacy = StatementPreset.objects.create(court=None, **layout(name="旧版式", code="legacy"))
    orphan = StatementPreset.objects.create(court=None, **layout(name="后台版式", code="orphan"))
    with transaction.atomic():
        audit.record(
            people["yx_judge"], "analytics.preset.save", object_type="StatementPreset", object_id=legacy.pk
        )
        audit.record(
            people["judge"], "analytics.preset.save", object_type="StatementPreset", object_id=legacy.pk
        )
    migration.scope_to_defining_court(apps, None)
    assert snapshot(legacy)[4] == people["yx_judge"].court_id  # the first author's court
    assert snapshot(orphan)[4] is None  # no author on record: stays platform-wide
    assert snapshot(presets["alipay"])[4] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"code": "有 空格"}, "code"),
        ({"name": "x" * 65}, "name"),
        ({"file_format": "pdf"}, "file_format"),
        ({"encoding": "no-such-codec"}, "encoding"),
        ({"date_column": "日\x00期"}, "date_column"),
        ({"header_row": -1}, "header_row"),
    ],
)
def test_bad_layout_input_is_refused_naming_the_field(
    people: dict[str, Any], presets: dict[str, Any], change: dict[str, Any], field: str
) -> None:
    c = client(people, "judge")
    r = c.post(API, layout(**{"name": "坏版式", "code": "bad", **change}), "application/json")
    assert r.status_code == 422 and r.json()["field"] == field, r.json()
    assert not StatementPreset.objects.filter(court=people["judge"].court).exists()


def test_the_import_form_offers_exactly_the_usable_layouts(
    world: dict[str, Any], people: dict[str, Any], debtor: Any
) -> None:
    html = client(people, "judge").get(reverse("analytics:debtor", args=[debtor.case.pk, debtor.party.pk]))
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', html.content.decode())
    offered = {int(pk): label for pk, label in options}
    assert offered[world["th"].pk] == "天河自定义"
    assert offered[world["gz_shared"].pk] == "广州中院共享（广州市中级人民法院共享）"
    assert offered[world["alipay"].pk] == "支付宝账单（GBK，含前言）"
    assert world["yx"].pk not in offered and world["gz_private"].pk not in offered


@pytest.mark.parametrize("owner", ["yx_judge", "gz_director", "ft_director"])
def test_another_courts_layout_is_not_proposed_previewed_confirmed_or_copied(
    people: dict[str, Any], debtor: Any, owner: str
) -> None:
    """The preview flow (issue 16) and the copy, page and API, for 天河's judge against a layout of 越秀
    (sibling), 广州中院 (parent, not shared) and 福田 (another branch), each reading 天河's statement
    exactly: never proposed, every use answers as for a missing layout, nothing imported or copied."""
    theirs = services.save_preset(people[owner], {**ABC_LAYOUT, "name": "他院农行", "code": "otherabc"})
    layouts = StatementPreset.objects.count()
    c = client(people, "judge")
    abc = (FIXTURES / "abc_sample.csv").read_bytes()
    base = f"/api/v1/analytics/cases/{debtor.case.pk}/debtors/{debtor.party.pk}/previews"
    started = c.post(base, {"file": SimpleUploadedFile("abc.csv", abc)})
    assert started.status_code == 200
    assert "otherabc" not in {p["code"] for p in started.json()["proposals"]}
    token = started.json()["token"]
    for step, extra in (("review", {}), ("confirm", {"mode": "strict"})):
        r = c.post(
            f"{base}/{step}",
            {"token": token, "preset": "otherabc", "edits": {}, **extra},
            content_type="application/json",
        )
        assert (r.status_code, r.json()["field"]) == (422, "preset"), step
    # the pages: the preview with its id, the confirm with its id, the copy
    held = c.post(
        reverse("analytics:preview_upload", args=[debtor.case.pk, debtor.party.pk]),
        {"file": SimpleUploadedFile("abc.csv", abc)},
    )
    web_token = held["Location"].split("token=")[1]
    page = c.get(
        reverse("analytics:preview", args=[debtor.case.pk, debtor.party.pk]),
        {"token": web_token, "preset": theirs.pk},
        follow=True,
    )
    assert "他院农行" not in page.content.decode() and "版式预设不存在" in page.content.decode()
    confirm = c.post(
        reverse("analytics:preview_confirm", args=[debtor.case.pk, debtor.party.pk]),
        {"token": web_token, "preset": theirs.pk, "mode": "strict"},
        follow=True,
    )
    assert "版式预设不存在" in confirm.content.decode()
    assert c.post(reverse("analytics:preset_copy", args=[theirs.pk]), {"name": "抄来的"}).status_code == 404
    api_copy = c.post(f"{API}/{theirs.pk}/copy", {"name": "抄来的"}, content_type="application/json")
    assert api_copy.status_code == 404
    with pytest.raises(ServiceError):
        services.copy_preset(people["judge"], theirs, name="抄来的")
    assert ImportJob.objects.count() == 0 and StatementPreset.objects.count() == layouts
