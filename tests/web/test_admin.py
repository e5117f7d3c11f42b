"""The back office: reference data editable and audited, holiday CSV upload, the audit trail read-only."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from tests.web.conftest import node
from zhixing.core.audit import SECRET_MARK
from zhixing.cases.models import NodeType
from zhixing.core.models import AuditRecord, HolidayDay, HolidayYear
from zhixing.courts.models import Staff
from zhixing.courts.roles import Role

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
    assert node(case, "notice").due_on == date(2026, 3, 16)
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
    assert node(case, "notice").due_on == date(2026, 3, 19)  # 2026-03-04 + 15 days


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
