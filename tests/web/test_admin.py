"""The back office: every write audited, evidence never deleted, holiday CSV upload, the trail read-only."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.actions import delete_selected
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models.deletion import Collector
from django.forms import inlineformset_factory
from django.test import RequestFactory

from tests import factories
from tests.web.conftest import node
from zhixing.analytics.models import Profile, RelatedPerson, RuleSet, StatementPreset
from zhixing.cases.models import CaseType, InstrumentType, NodeType
from zhixing.core.admin import AuditedModelAdmin
from zhixing.core.audit import SECRET_MARK
from zhixing.core.audit_policy import ProtectedRowError, is_protected
from zhixing.core.models import AuditRecord, HolidayDay, HolidayYear
from zhixing.courts.models import ApiToken, Staff
from zhixing.courts.roles import Role
from zhixing.courts.services import issue_token
from zhixing.credit import services as credit_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def huey_immediate() -> Iterator[None]:
    """Run background tasks inline (the recompute after a node-type change)."""
    from huey.contrib.djhuey import HUEY

    before = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = before


@pytest.fixture
def admin_client(login, courts):
    root = factories.staff(None, Role.OPERATOR, username="root", is_superuser=True)
    return login(root)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/cases/casetype/",
        "/admin/cases/instrumenttype/",
        "/admin/cases/nodetype/",
        "/admin/core/holidayyear/",
        "/admin/core/holidayyear/upload/",
        "/admin/core/holidayday/",
        "/admin/core/auditrecord/",
        "/admin/courts/court/",
        "/admin/courts/team/",
        "/admin/courts/staff/",
        "/admin/courts/staff/add/",
        "/admin/courts/apitoken/",
    ],
)
def test_admin_pages_open(admin_client, people, path):
    assert admin_client.get(path).status_code == 200


def test_staff_without_admin_rights_cannot_enter(login, people):
    response = login(people["director"]).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_node_type_budget_edit_is_audited_and_recomputes_open_cases(
    admin_client, people, frozen, django_capture_on_commit_callbacks, huey_immediate
):
    case = factories.case(people["clerk"])
    assert node(case, "notice").due_on == date(2026, 3, 12)  # 民诉解释 Art 480: from receipt, 2 March
    notice = NodeType.objects.get(code="notice")
    data = {
        f: getattr(notice, f)
        for f in ("code", "name", "order", "unit", "anchor", "completion", "yellow_workdays", "legal_basis")
    }
    data.update(
        budget=15,
        budget_non_litigation="",
        roll_to_workday="on",
        pausable="on",
        auto_create="on",
        active="on",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/cases/nodetype/{notice.pk}/change/", data)
    assert response.status_code == 302
    record = AuditRecord.objects.filter(action="admin.change", object_type="cases.NodeType").get()
    assert isinstance(record.before, dict) and isinstance(record.after, dict)
    assert (record.before["budget"], record.after["budget"]) == (10, 15)
    assert node(case, "notice").due_on == date(2026, 3, 17)  # 2026-03-02 (receipt) + 15 days


def test_holiday_csv_upload_loads_the_year(admin_client, django_capture_on_commit_callbacks, huey_immediate):
    csv = "日期,类型,名称\n2027-01-01,休,元旦\n2027-02-06,休,春节\n2027-02-14,班,春节调休\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/core/holidayyear/upload/",
            {
                "year": "2027",
                "source": "国办发明电〔2026〕1号",
                "csv_file": SimpleUploadedFile("2027.csv", csv, content_type="text/csv"),
            },
        )
    assert response.status_code == 302
    year = HolidayYear.objects.get(year=2027)
    assert year.source == "国办发明电〔2026〕1号"
    assert list(HolidayDay.objects.values_list("date", "is_workday")) == [
        (date(2027, 1, 1), False),
        (date(2027, 2, 6), False),
        (date(2027, 2, 14), True),
    ]
    assert AuditRecord.objects.filter(action="calendar.load_year").exists()


def test_bad_holiday_csv_names_the_row_and_loads_nothing(admin_client):
    csv = "2027-01-01,休,元旦\n2027-13-01,休,坏日期\n".encode()
    response = admin_client.post(
        "/admin/core/holidayyear/upload/",
        {"year": "2027", "csv_file": SimpleUploadedFile("2027.csv", csv, content_type="text/csv")},
    )
    assert response.status_code == 200
    assert "第2行：日期“2027-13-01”格式应为YYYY-MM-DD" in response.content.decode()
    assert not HolidayYear.objects.exists()


def test_holiday_upload_needs_a_superuser(login, people):
    staff_user: Staff = factories.staff(None, Role.OPERATOR, username="plainstaff")
    Staff.objects.filter(pk=staff_user.pk).update(is_staff=True)
    staff_user.refresh_from_db()
    response = login(staff_user).get("/admin/core/holidayyear/upload/")
    assert response.status_code == 403


def test_audit_records_are_read_only(admin_client, people):
    record = AuditRecord.objects.first()
    assert record is not None
    assert admin_client.get(f"/admin/core/auditrecord/{record.pk}/change/").status_code == 200  # view only
    assert admin_client.get("/admin/core/auditrecord/add/").status_code == 403
    assert (
        admin_client.post(f"/admin/core/auditrecord/{record.pk}/change/", {"action": "x"}).status_code == 403
    )
    assert (
        admin_client.post(f"/admin/core/auditrecord/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    record.refresh_from_db()
    assert record.action != "x"


def test_staff_created_in_the_admin_is_audited_without_the_password(admin_client, courts):
    response = admin_client.post(
        "/admin/courts/staff/add/",
        {
            "username": "th_new_judge",
            "password1": "a-long-Password-2026",
            "password2": "a-long-Password-2026",
            "full_name": "新法官",
            "court": courts["th"].pk,
            "role": "judge",
            "team": "",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    staff = Staff.objects.get(username="th_new_judge")
    assert staff.court == courts["th"] and staff.check_password("a-long-Password-2026")
    record = AuditRecord.objects.filter(action="admin.add", object_type="courts.Staff").get()
    assert isinstance(record.after, dict)
    assert record.after["username"] == "th_new_judge" and record.after["password"] == SECRET_MARK
    assert staff.password not in json.dumps(record.after)


# -- every admin write is audited; evidence is never deleted (finding 10) ---------------------------

REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def _superuser_request() -> Any:
    request = RequestFactory().get("/admin/")
    request.user = Staff(username="probe", is_superuser=True, is_staff=True, is_active=True)
    return request


@pytest.mark.parametrize(("model", "model_admin"), REGISTRY, ids=[m._meta.label for m, _a in REGISTRY])
def test_every_registered_admin_is_audited(model, model_admin):
    assert isinstance(model_admin, AuditedModelAdmin)
    request = _superuser_request()
    if is_protected(model):
        assert not model_admin.has_delete_permission(request)
        assert "delete_selected" not in model_admin.get_actions(request)
    for _name, (func, _n, _d) in model_admin.get_actions(request).items():
        assert func is delete_selected or func.__wrapped__  # wrapped by the audited action


@pytest.mark.parametrize(("model", "model_admin"), REGISTRY, ids=[m._meta.label for m, _a in REGISTRY])
def test_every_registered_admin_list_opens(admin_client, model, model_admin):
    opts = model._meta
    assert admin_client.get(f"/admin/{opts.app_label}/{opts.model_name}/").status_code == 200


def _record(action: str, object_type: str) -> AuditRecord:
    return AuditRecord.objects.get(action=action, object_type=object_type)


def test_changing_a_builtin_statement_layout_is_audited(admin_client):
    preset = StatementPreset.objects.filter(builtin=True).order_by("pk").first()
    assert preset is not None
    data = {f.name: getattr(preset, f.attname) for f in preset._meta.concrete_fields if not f.primary_key}
    data = {k: ("on" if v is True else "" if v is False or v is None else v) for k, v in data.items()}
    data["refund_markers"] = "退款|退货"
    response = admin_client.post(f"/admin/analytics/statementpreset/{preset.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:1500]
    rec = _record("admin.change", "analytics.StatementPreset")
    assert rec.object_id == str(preset.pk)
    assert (rec.before["refund_markers"], rec.after["refund_markers"]) == (preset.refund_markers, "退款|退货")
    assert {k for k in rec.after if rec.after[k] != rec.before[k]} == {"refund_markers"}


def test_adding_a_rule_set_is_audited(admin_client):
    response = admin_client.post(
        "/admin/analytics/ruleset/add/",
        {"version": "99", "name": "测试规则", "config": json.dumps({"weights": {"rent": 5}}), "active": ""},
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    ruleset = RuleSet.objects.get(version=99)
    rec = _record("admin.add", "analytics.RuleSet")
    assert rec.object_id == str(ruleset.pk) and rec.before is None
    assert (rec.after["version"], rec.after["name"], rec.after["config"]) == (
        99,
        "测试规则",
        {"weights": {"rent": 5}},
    )


def test_editing_a_list_column_is_audited(admin_client):
    kinds = list(CaseType.objects.order_by("pk")[:1])
    case_type = kinds[0]
    response = admin_client.post(
        "/admin/cases/casetype/",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": case_type.pk,
            "form-0-active": "" if case_type.active else "on",
            "form-0-confirmed": "on" if case_type.confirmed else "",
            "_save": "保存",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    rec = _record("admin.change", "cases.CaseType")
    assert (rec.before["active"], rec.after["active"]) == (case_type.active, not case_type.active)


def test_deleting_a_row_is_audited_with_its_last_state(admin_client, people):
    case = factories.case(people["clerk"])
    party = case.parties.order_by("pk").first()
    related = RelatedPerson.objects.create(
        party=party, name="李四", relation="spouse", account="6222000011112222"
    )
    response = admin_client.post(f"/admin/analytics/relatedperson/{related.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not RelatedPerson.objects.filter(pk=related.pk).exists()
    rec = _record("admin.delete", "analytics.RelatedPerson")
    assert rec.object_id == str(related.pk) and rec.after is None
    assert (rec.before["name"], rec.before["account"], rec.before["party"]) == (
        "李四",
        "6222000011112222",
        party.pk,
    )


def test_bulk_delete_action_is_audited_row_by_row(admin_client):
    made = [InstrumentType.objects.create(code=f"zz{i}", name=f"测试依据{i}") for i in range(2)]
    response = admin_client.post(
        "/admin/cases/instrumenttype/",
        {"action": "delete_selected", "_selected_action": [t.pk for t in made], "post": "yes"},
    )
    assert response.status_code == 302
    assert not InstrumentType.objects.filter(pk__in=[t.pk for t in made]).exists()
    recs = AuditRecord.objects.filter(action="admin.delete", object_type="cases.InstrumentType").order_by(
        "id"
    )
    assert [(r.object_id, r.before["code"]) for r in recs] == [(str(t.pk), t.code) for t in made]


def test_a_custom_action_is_audited_with_what_it_changed(admin_client):
    partner, _key = credit_services.create_partner(None, name="国铁集团", kind="railway")
    response = admin_client.post(
        "/admin/credit/partner/", {"action": "revoke", "_selected_action": [partner.pk]}
    )
    assert response.status_code == 302
    rec = _record("admin.action.revoke", "credit.Partner")
    assert rec.before["revoked_at"] is None and rec.after["revoked_at"] is not None
    assert AuditRecord.objects.filter(action="credit.partner_revoke").count() == 1  # and the service's own


def test_group_permissions_changed_in_the_admin_are_audited(admin_client):
    group = Group.objects.create(name="财务审核")
    perm = Permission.objects.get(codename="view_auditrecord")
    response = admin_client.post(
        f"/admin/auth/group/{group.pk}/change/", {"name": "财务审核", "permissions": [perm.pk]}
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    rec = _record("admin.change", "auth.Group")
    assert (rec.before["permissions"], rec.after["permissions"]) == ([], [perm.pk])


@pytest.mark.parametrize(
    "path",
    ["/admin/analytics/profile/{pk}/delete/", "/admin/credit/partner/{pk}/delete/"],
    ids=["profile", "credit-partner"],
)
def test_evidence_rows_cannot_be_deleted_in_the_admin(admin_client, people, path):
    if "profile" in path:
        case = factories.case(people["clerk"])
        party = case.parties.order_by("pk").first()
        ruleset = RuleSet.objects.create(version=7, name="v7", config={})
        row: Any = Profile.objects.create(
            party=party,
            court=case.court,
            ruleset=ruleset,
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
            score=40,
        )
    else:
        row, _key = credit_services.create_partner(None, name="某航空公司", kind="airline")
    before = AuditRecord.objects.count()
    assert admin_client.post(path.format(pk=row.pk), {"post": "yes"}).status_code == 403
    assert type(row).objects.filter(pk=row.pk).exists()
    assert AuditRecord.objects.count() == before


def test_a_delete_that_would_cascade_into_evidence_is_refused(admin_client, courts):
    judge = factories.staff(courts["th"], Role.JUDGE, username="th_token_judge")
    issue_token(None, judge, "脚本")
    response = admin_client.post(f"/admin/courts/staff/{judge.pk}/delete/", {"post": "yes"})
    assert response.status_code == 200  # Django's "cannot delete: protected related objects" page
    assert "无法删除" in response.content.decode() and "接口令牌" in response.content.decode()
    # The admin's own delete path refuses too, whatever page led there (the cascade is checked).
    staff_admin = admin.site._registry[Staff]
    with pytest.raises(PermissionDenied, match="连带删除留痕依据：接口令牌"):
        staff_admin.delete_queryset(_superuser_request(), Staff.objects.filter(pk=judge.pk))
    assert Staff.objects.filter(pk=judge.pk).exists() and ApiToken.objects.filter(staff=judge).exists()
    assert not AuditRecord.objects.filter(action="admin.delete").exists()


PROTECTED = sorted(
    (m for m in apps.get_models() if getattr(m, "audit_protected", False)), key=lambda m: m._meta.label
)


@pytest.mark.parametrize("model", PROTECTED, ids=[m._meta.label for m in PROTECTED])
def test_evidence_rows_refuse_orm_deletes(model):
    """The service-level guard: any ORM delete path (instance, queryset, cascade) reaches the collector."""
    obj = model(pk=987654321)
    collector = Collector(using="default")
    with pytest.raises(ProtectedRowError, match="留痕依据"), transaction.atomic():
        collector.collect([obj])
        collector.delete()


def test_the_protected_list_covers_the_evidence_the_probe_deleted():
    labels = {m._meta.label for m in PROTECTED}
    assert {
        "core.AuditRecord",
        "core.AuditChainHead",
        "core.AuditCheckpoint",
        "inquiry.CallbackLog",
        "funds.Entry",
        "funds.Transaction",
        "credit.Interception",
        "credit.ChangeEvent",
        "analytics.Profile",
        "analytics.ImportJob",
        "analytics.RuleSet",
        "courts.ApiToken",
    } <= labels


def test_inline_rows_saved_with_their_parent_are_audited(db):
    year = HolidayYear.objects.create(year=2031)
    day = HolidayDay.objects.create(year=year, date=date(2031, 1, 1), name="元旦")
    formset_class = inlineformset_factory(
        HolidayYear, HolidayDay, fields=("date", "is_workday", "name"), extra=1, can_delete=True
    )
    model_admin = AuditedModelAdmin(HolidayYear, admin.site)
    data = {
        "days-TOTAL_FORMS": "2",
        "days-INITIAL_FORMS": "1",
        "days-0-id": day.pk,
        "days-0-date": "2031-01-01",
        "days-0-name": "元旦节",
        "days-1-date": "2031-02-08",
        "days-1-name": "调休",
        "days-1-is_workday": "on",
    }
    formset = formset_class(data, instance=year)
    assert formset.is_valid(), formset.errors
    with transaction.atomic():
        model_admin.save_formset(_superuser_request(), None, formset, change=True)
    changed = _record("admin.change", "core.HolidayDay")
    assert (changed.object_id, changed.before["name"], changed.after["name"]) == (
        str(day.pk),
        "元旦",
        "元旦节",
    )
    added = _record("admin.add", "core.HolidayDay")
    assert (added.after["name"], added.after["is_workday"]) == ("调休", True)
    data = {**data, "days-TOTAL_FORMS": "1", "days-0-DELETE": "on"}
    data = {k: v for k, v in data.items() if not k.startswith("days-1-")}
    formset = formset_class(data, instance=year)
    assert formset.is_valid(), formset.errors
    with transaction.atomic():
        model_admin.save_formset(_superuser_request(), None, formset, change=True)
    deleted = _record("admin.delete", "core.HolidayDay")
    assert (deleted.object_id, deleted.before["name"], deleted.after) == (str(day.pk), "元旦节", None)
    assert not HolidayDay.objects.filter(pk=day.pk).exists()


def test_saving_an_unchanged_form_writes_no_record(admin_client):
    partner, _key = credit_services.create_partner(None, name="某酒店集团", kind="hotel", rate_per_minute=100)
    response = admin_client.post(
        f"/admin/credit/partner/{partner.pk}/change/",
        {"name": partner.name, "kind": "hotel", "rate_per_minute": "100", "area_code": ""},
    )
    assert response.status_code == 302
    assert not AuditRecord.objects.filter(object_type="credit.Partner", action__startswith="admin.").exists()


def test_holiday_csv_over_the_spreadsheet_limit_loads_nothing(admin_client, settings):
    """core.upload_limits: the CSV is refused naming the field and the limit before it is read."""
    settings.ZHIXING_UPLOAD_MAX_MB = {"spreadsheet": 1}
    csv = ("2027-01-01,休,元旦\n" * 60000).encode()
    response = admin_client.post(
        "/admin/core/holidayyear/upload/",
        {"year": "2027", "csv_file": SimpleUploadedFile("2027.csv", csv, content_type="text/csv")},
    )
    assert response.status_code == 200
    assert "CSV文件过大（1.3 MB）：每个文件不超过1 MB，未保存" in response.content.decode()
    assert not HolidayYear.objects.exists()
