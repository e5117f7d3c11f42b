"""The asset reports (财产报告) on the case page and in the API: the section loaded by the page, recording a
report through the form (late ones in red), refusals shown with nothing written, and who may do what."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests import factories
from zhixing.cases.models import AssetReport, EnforcementCase, Node
from zhixing.core.models import AuditRecord
from zhixing.courts.services import issue_token

pytestmark = pytest.mark.django_db


def _debtor(case: EnforcementCase) -> int:
    return case.parties.get(role="debtor").pk


def test_the_case_page_loads_the_section_and_the_form_records_a_late_report(
    case: EnforcementCase, people: dict[str, Any], login
) -> None:
    client = login(people["judge"])
    assert (
        f'hx-get="{reverse("case_asset_reports", args=[case.pk])}"'
        in client.get(reverse("case_detail", args=[case.pk])).content.decode()
    )
    panel = reverse("case_asset_reports", args=[case.pk])
    html = client.get(panel).content.decode()
    assert 'data-testid="asset-report-none"' in html and 'id="form-asset-report"' not in html
    factories.serve_notice(case, people["clerk"])  # served 03-04: the period ends Monday 03-09
    html = client.get(panel).content.decode()
    assert "报告财产令已于2026-03-04送达；报告期限至2026-03-09届满" in html
    assert 'id="form-asset-report"' in html and "尚未报告：张三" in html and "已超过报告期限" in html
    r = client.post(
        reverse("case_asset_report_add", args=[case.pk]),
        {"debtor": _debtor(case), "received_on": "2026-03-10", "summary": "银行存款2万元；房产1套"},
        follow=True,
    )
    assert r.redirect_chain[-1][0] == f"/cases/{case.pk}/#asset-reports"
    assert "已登记张三的财产报告，逾期报告（期限2026-03-09届满）" in r.content.decode()
    html = client.get(panel).content.decode()
    assert 'data-testid="asset-report-late"' in html and "badge red" in html
    assert "2025-03-04至2026-03-10" in html and "银行存款2万元；房产1套" in html
    assert 'id="form-asset-report"' not in html  # every debtor has reported
    node = Node.objects.get(case=case, node_type__code="asset_report")
    assert (node.status, str(node.completed_on)) == ("done", "2026-03-10")


def test_a_report_in_time_is_green_and_a_refusal_writes_nothing(
    case: EnforcementCase, people: dict[str, Any], login
) -> None:
    factories.serve_notice(case, people["clerk"])
    client = login(people["clerk"])
    url = reverse("case_asset_report_add", args=[case.pk])
    before = AuditRecord.objects.count()
    for data, message in (
        ({"debtor": _debtor(case), "received_on": "2026-03-11", "summary": "x"}, "收到日期不能晚于今天"),
        ({"debtor": _debtor(case), "received_on": "0309", "summary": "x"}, "收到日期应为YYYY-MM-DD格式"),
        ({"debtor": "", "received_on": "2026-03-09", "summary": "x"}, "请选择本案的被执行人"),
        ({"debtor": _debtor(case), "received_on": "2026-03-09", "summary": ""}, "请填写财产报告的内容摘要"),
    ):
        r = client.post(url, data, follow=True)
        assert f"财产报告未登记，未作任何更改：{message}" in r.content.decode()
    assert AuditRecord.objects.count() == before and not AssetReport.objects.exists()
    client.post(url, {"debtor": _debtor(case), "received_on": "2026-03-09", "summary": "无财产"})
    html = client.get(reverse("case_asset_reports", args=[case.pk])).content.decode()
    assert "按期" in html and 'data-testid="asset-report-late"' not in html


def test_permissions(case: EnforcementCase, people: dict[str, Any], login) -> None:
    factories.serve_notice(case, people["clerk"])
    panel = reverse("case_asset_reports", args=[case.pk])
    add = reverse("case_asset_report_add", args=[case.pk])
    data = {"debtor": _debtor(case), "received_on": "2026-03-09", "summary": "x"}
    anon = login(None)
    assert anon.get(panel)["Location"].startswith("/login/")
    assert anon.post(add, data)["Location"].startswith("/login/")
    other = login(people["yx_director"])  # another court, not above 天河
    assert other.get(panel).status_code == 404 and other.post(add, data).status_code == 404
    bailiff = login(people["bailiff"])
    assert bailiff.get(panel).status_code == 200
    assert 'id="form-asset-report"' not in bailiff.get(panel).content.decode()  # a reader: no form
    assert bailiff.post(add, data).status_code == 403
    assert login(people["gz_director"]).post(add, data).status_code == 403  # the higher court reads only
    assert not AssetReport.objects.exists()


def _api(staff: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(None, staff, 't')}"}


def test_api_list_and_record(case: EnforcementCase, people: dict[str, Any], client) -> None:
    url = f"/api/v1/cases/{case.pk}/asset-reports"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=_api(people["yx_director"])).status_code == 404
    body = client.get(url, headers=_api(people["bailiff"])).json()
    assert body == {
        "case_id": case.pk,
        "ordered": False,
        "served_on": None,
        "due_on": None,
        "missing": ["张三"],
        "reports": [],
    }
    payload = {"debtor_id": _debtor(case), "received_on": "2026-03-09", "summary": "存款"}
    r = client.post(url, payload, content_type="application/json", headers=_api(people["judge"]))
    assert r.status_code == 409 and r.json()["field"] == "case"  # no order served yet
    factories.serve_notice(case, people["clerk"])
    assert (
        client.post(
            url, payload, content_type="application/json", headers=_api(people["bailiff"])
        ).status_code
        == 403
    )
    r = client.post(url, payload, content_type="application/json", headers=_api(people["judge"]))
    assert r.status_code == 201
    assert r.json() == {
        "id": AssetReport.objects.get().pk,
        "debtor_id": _debtor(case),
        "debtor": "张三",
        "received_on": "2026-03-09",
        "period_from": "2025-03-04",
        "period_to": "2026-03-09",
        "due_on": "2026-03-09",
        "late": False,
        "summary": "存款",
    }
    body = client.get(url, headers=_api(people["bailiff"])).json()
    assert (body["ordered"], body["served_on"], body["due_on"], body["missing"], len(body["reports"])) == (
        True,
        "2026-03-04",
        "2026-03-09",
        [],
        1,
    )


def test_the_order_states_the_reporting_period(
    case: EnforcementCase, people: dict[str, Any], login, settings
) -> None:
    factories.serve_notice(case, people["clerk"])
    page = reverse("case_notice", args=[case.pk])
    assert (
        "责令被执行人自收到本令之日起5日内，如实向本院书面报告"
        in login(people["judge"]).get(page).content.decode()
    )
    settings.ZHIXING_CASES = {"asset_report_days": 7}
    assert "自收到本令之日起7日内" in login(people["judge"]).get(page).content.decode()
